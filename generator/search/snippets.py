"""Highlighted snippets: the densest window of matched words, HTML-escaped, with <mark>.

Whoosh's highlighter re-analyses the whole text per hit (≈2 ms); this matches words by
their stems with a cached stemmer and costs a few microseconds per word.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

_WORD = re.compile(r"\w+(?:'\w+)*")


@lru_cache(maxsize=100_000)
def word_stem(word: str) -> str:
    return stem(word.lower().translate(accent_map))


def snippet(text: str, stems: set[str], maxchars: int = 220) -> str:
    """HTML snippet of ``text`` around the words whose stems are in ``stems``."""
    text = " ".join(text.split())
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    hits = [i for i, (a, b) in enumerate(words) if word_stem(text[a:b]) in stems]
    if not hits:
        return _clip(text, 0, maxchars, set(), words)
    best, best_n = hits[0], 0
    for i in hits:
        end = words[i][0] + maxchars
        n = sum(1 for j in hits if i <= j and words[j][1] <= end)
        if n > best_n:
            best, best_n = i, n
    start_word = max(0, best - 3)
    return _clip(text, words[start_word][0], maxchars, set(hits), words)


def _clip(text: str, start: int, maxchars: int, marked: set[int], words) -> str:
    end = min(len(text), start + maxchars)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    out = ["… "] if start > 0 else []
    pos = start
    for i, (a, b) in enumerate(words):
        if a < start or b > end:
            continue
        if i in marked:
            out.append(html.escape(text[pos:a]))
            out.append(f"<mark>{html.escape(text[a:b])}</mark>")
            pos = b
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append(" …")
    return "".join(out)
