"""Titles and descriptions as text: MkDocs and Material print them as HTML, so carebase
hands them over escaped (and marked safe, so templates that do escape do not escape twice);
the page's writing direction on ``<html>``."""

from __future__ import annotations

from markupsafe import Markup, escape


def html_text(text: str) -> Markup:
    """Text as MkDocs' templates expect a title: HTML with the text escaped (marked safe, so
    a template that does escape does not escape it twice)."""
    return escape(text)


def escape_description(page) -> None:
    """Material prints ``page.meta.description`` into an attribute without escaping (the
    MkDocs Jinja environment has no autoescape): a summary with a quote would break the
    tag. Markup keeps it from being escaped twice by templates that do escape."""
    desc = page.meta.get("description")
    if isinstance(desc, str) and not isinstance(desc, Markup):
        page.meta["description"] = escape(desc)


def html_dir(html: str, lang: str) -> str:
    """``dir`` on ``<html>`` in the language's writing direction (Material writes it on
    ``<body>`` only)."""
    from carebase.content.languages import direction

    start = html.find("<html")
    end = html.find(">", start)
    if start < 0 or end < 0 or " dir=" in html[start:end]:
        return html
    return f'{html[:end]} dir="{direction(lang)}"{html[end:]}'
