"""Anchors a Markdown page will have once rendered: heading ids as Python-Markdown's ``toc``
extension makes them (``slugify`` + ``_1`` suffixes for repeats), ``{#custom}`` ids from
``attr_list`` and ``id="…"`` in inline HTML. Used to check ``page.md#anchor`` links."""

from __future__ import annotations

import re
import unicodedata

from carebase.content.fences import heading_text, unfenced_lines

# linear patterns only (see carebase.search.records): a heading line of any length costs its length
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_ATTR_ID = re.compile(r"#([\w-]+)")
_HTML_ID = re.compile(r"""\bid=["']([^"']+)["']""")
_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
_MARKUP = re.compile(r"[*`]|<[^<>]+>")


def toc_slugify(value: str, separator: str = "-") -> str:
    """Python-Markdown's default ``toc`` slugify."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(rf"[{separator}\s]+", separator, value)


def _attr_list(heading: str) -> tuple[str, str]:
    """(heading without a trailing ``{…}``, that attribute list or "")."""
    text = heading.rstrip()
    start = text.rfind("{")
    if text.endswith("}") and start >= 0 and "}" not in text[start:-1]:
        return text[:start], text[start:]
    return heading, ""


def heading_anchors(markdown: str) -> set[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    previous = ""
    for _, line in unfenced_lines(markdown):
        if line is None:  # a fence's opening or closing line
            previous = ""
            continue
        for html_id in _HTML_ID.findall(line):
            anchors.add(html_id)
        heading = heading_text(line) or None
        if heading is None and previous.strip() and _SETEXT.match(line) and not previous.lstrip().startswith(
                ("-", "*", "#")):
            heading = previous.strip()
        previous = line
        if heading is None:
            continue
        heading, attrs = _attr_list(heading)
        custom = _ATTR_ID.search(attrs)
        if custom:
            anchors.add(custom.group(1))
            continue
        text = _MARKUP.sub("", _LINK.sub(r"\1", heading))
        slug = toc_slugify(text)
        if slug in seen:
            seen[slug] += 1
            anchors.add(f"{slug}_{seen[slug]}")
        else:
            seen[slug] = 0
            anchors.add(slug)
    return anchors
