"""Titles and descriptions as text: MkDocs and Material print them as HTML, so carebase
hands them over escaped (and marked safe, so templates that do escape do not escape twice)."""

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
