"""Anchors a Markdown page will have once rendered: heading ids as Python-Markdown's ``toc``
extension makes them (``slugify`` + ``_1`` suffixes for repeats), ``{#custom}`` ids from
``attr_list`` and ``id="…"`` in inline HTML. Used to check ``page.md#anchor`` links."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Heading:
    line: int  # 0-based line of the heading's text in the Markdown
    level: int  # 1–6
    text: str  # as written (markup kept, attribute list removed)
    anchor: str  # the id it gets once rendered


def headings(markdown: str) -> list[Heading]:
    """The headings of a Markdown text in order, each with the id it gets once rendered
    (``toc``'s slug with ``_1`` suffixes for repeats, or its ``{#custom}`` id)."""
    out: list[Heading] = []
    seen: dict[str, int] = {}
    previous = ""
    for n, line in unfenced_lines(markdown):
        if line is None:  # a fence's opening or closing line
            previous = ""
            continue
        heading, level, at = heading_text(line) or None, 0, n
        if heading is not None:
            level = len(line.lstrip(" ")) - len(line.lstrip(" ").lstrip("#"))
        elif previous.strip() and _SETEXT.match(line) and not previous.lstrip().startswith(("-", "*", "#")):
            heading, level, at = previous.strip(), 1 if line.strip()[0] == "=" else 2, n - 1
        previous = line
        if heading is None:
            continue
        heading, attrs = _attr_list(heading)
        custom = _ATTR_ID.search(attrs)
        if custom:
            out.append(Heading(at, level, heading.strip(), custom.group(1)))
            continue
        slug = toc_slugify(_MARKUP.sub("", _LINK.sub(r"\1", heading)))
        if slug in seen:
            seen[slug] += 1
            slug = f"{slug}_{seen[slug]}"
        else:
            seen[slug] = 0
        out.append(Heading(at, level, heading.strip(), slug))
    return out


def heading_anchors(markdown: str) -> set[str]:
    anchors = {h.anchor for h in headings(markdown)}
    for _, line in unfenced_lines(markdown):
        if line is not None:
            anchors.update(_HTML_ID.findall(line))
    return anchors
