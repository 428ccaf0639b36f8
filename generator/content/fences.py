"""Markdown lines outside fenced code blocks (``` or ~~~), for the scanners of links and headings."""

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
