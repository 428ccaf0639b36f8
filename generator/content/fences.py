"""Markdown lines outside fenced code blocks (``` or ~~~), and ATX headings, for the scanners of
links and headings (plain string work: linear in the line, however long)."""

from __future__ import annotations

import re
from typing import Iterator

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def unfenced_lines(text: str) -> Iterator[tuple[int, str | None]]:
    """(0-based line number, line) for every line outside a fenced code block; a fence's
    opening or closing line itself comes as (n, None), so a scanner can reset its state."""
    fence = ""
    for n, line in enumerate(text.split("\n")):
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
            yield n, None
        elif not fence:
            yield n, line


def heading_text(line: str) -> str | None:
    """The text of an ATX heading line (``## Steps ##`` → ``Steps``); None for other lines."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped.startswith("#"):
        return None
    hashes = len(stripped) - len(stripped.lstrip("#"))
    rest = stripped[hashes:]
    if hashes > 6 or (rest and rest[0] not in " \t"):
        return None
    text = rest.strip(" \t")
    closed = text.rstrip("#")
    if closed != text and (not closed or closed[-1] in " \t"):
        text = closed.rstrip(" \t")
    return text
