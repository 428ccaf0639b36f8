"""Links in Markdown (article bodies, FAQ answers) and references to other items."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from carebase.content import fields as F
from carebase.content.ids import normalise
from carebase.content.fences import unfenced_lines
from carebase.content.problems import error

# a target in angle brackets (``[A](</billing/my page.md>)``, CommonMark's form for one with spaces)
# is group 1, without its brackets; any other, group 2
_INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(?:<([^<>\n]*)>|([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*))(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
ID_SCHEMES = ("article:", "faq:", "video:")


@dataclass(frozen=True, slots=True)
class Ref:
    """A pointer from one item to another: a `related` id or a link in Markdown."""

    path: str  # the file that holds the pointer
    line: int
    field: str
    target: str  # an id (article:…) or a path relative to the content root
    kind: str  # "id" | "file"
    draft: bool = False  # the pointing item is a draft (problems become warnings)
    anchor: str = ""  # the #fragment of a file link
    written: str = ""  # a link's target as the writer wrote it (``/billing/refunds.md#steps``), quoted in messages


def markdown_links(text: str, first_line: int):
    """(line, target) for every inline link, image and reference definition outside code."""
    if "](" not in text and "]:" not in text:
        return
    for n, line in unfenced_lines(text):
        if line is None or ("](" not in line and "]:" not in line):
            continue
        if "`" in line:
            line = _CODE_SPAN.sub("", line)
        for match in _INLINE.finditer(line):
            yield first_line + n, _target(match)
        ref = _REFDEF.match(line)
        if ref:
            yield first_line + n, ref.group(1)


def _target(match: re.Match) -> str:
    """An inline link's target as written, without the angle brackets that may hold it."""
    return match.group(1) if match.group(1) is not None else match.group(2)


def classify(target: str, base_dir: str, here: str = "") -> tuple[str, str, str] | None:
    """("id", id, "") / ("file", path from the content root, fragment) / None for external links.

    ``here`` is the page that holds the link: same-page anchors (``#steps``) are checked on it.
    """
    target = target.strip()
    if not target or target.startswith("//"):
        return None
    if target.startswith(ID_SCHEMES):
        return "id", target, ""
    if _SCHEME.match(target):
        return None  # https:, mailto:, tel: …
    rest, _, fragment = target.partition("#")
    path = unquote(rest.split("?", 1)[0])
    fragment = unquote(fragment)
    if not path:
        return ("file", here, fragment) if here and fragment else None
    if path.startswith("/"):
        return "file", path.lstrip("/"), fragment
    return "file", f"{base_dir}/{path}" if base_dir else path, fragment


@dataclass(frozen=True, slots=True)
class Claim:
    """An item saying "this id (or alias) is mine"; checked for clashes across the catalogue."""

    path: str
    line: int
    field: str
    target: str
    item_line: int  # identifies the claiming item within its file
    alias: bool = False
    derived: bool = False  # the id comes from the file's path (wins over an explicit id)


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A FAQ question an error in its entry (``field``: ``questions[2]``) kept from loading, and
    the id it would have had: a reference to it then names that error, not a missing item."""

    path: str
    line: int
    field: str
    target: str


@dataclass(frozen=True, slots=True)
class CategoryUse:
    """An item naming a category (explicitly, or by its folder); checked against categories.yml."""

    path: str
    line: int
    field: str
    target: str
    explicit: bool = True


def aliases_of(values, src, problems: list, refs: list, kind: str) -> tuple[str, ...]:
    """An article's or video's ``aliases``: old ids (or old paths) normalised to ``kind``
    ids; each is claimed, so an alias that clashes with another item is reported."""
    out = []
    for line, i, alias in F.entries(values, "aliases", src):
        item_id, complaint = normalise(alias, kind)
        if complaint:
            problems.append(error(src.path, line, f"aliases[{i}]", complaint))
        else:
            out.append(item_id)
            refs.append(Claim(src.path, line, f"aliases[{i}]", item_id, values.line, alias=True))
    return tuple(out)


def rewrite_links(text: str, rewrite) -> str:
    """``text`` with every link target outside code (inline links, images, reference
    definitions: what ``markdown_links`` finds) replaced by ``rewrite(target)`` where that
    gives one (None: left as written)."""
    if "](" not in text and "]:" not in text:
        return text
    lines = text.split("\n")
    for n, line in unfenced_lines(text):
        if line is None or ("](" not in line and "]:" not in line):
            continue
        masked = _CODE_SPAN.sub(lambda m: "\0" * len(m.group()), line) if "`" in line else line
        spans = [m.span(1 if m.group(1) is not None else 2) for m in _INLINE.finditer(masked)]
        ref = _REFDEF.match(masked)
        if ref:
            spans.append(ref.span(1))
        for start, end in sorted(spans, reverse=True):
            new = rewrite(line[start:end]) if end > start else None
            if new is not None:
                line = line[:start] + new + line[end:]
        lines[n] = line
    return "\n".join(lines)
