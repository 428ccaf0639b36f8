"""Fast spelling corrections over the index vocabulary (symmetric-delete lookup).

Whoosh's own corrector walks a Levenshtein automaton in Python (≈15 ms a word); a
dictionary of "deletes" answers in microseconds. It is built once per searcher from
the ``spell`` field's terms.
"""

from __future__ import annotations

from bisect import bisect_left

from carebase.search.schema import LANGUAGE
from carebase.text import analyser_for

_ANALYSER = analyser_for(LANGUAGE)


def _deletes(word: str, depth: int) -> set[str]:
    return _ANALYSER.deletes(word, depth)


def max_distance(word: str) -> int:
    """Typos allowed (the analyser's rule): none under 3 letters, one up to 4, two from 5 on."""
    return _ANALYSER.max_edits(word)


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    return _ANALYSER.distance(a, b)


class SpellIndex:
    """word → document frequency, plus the delete dictionary for corrections."""

    def __init__(self, frequencies: dict[str, int]):
        self.freq = frequencies
        self.sorted = sorted(frequencies)
        self.table: dict[str, list[str]] = {}
        for word in frequencies:
            if not word.isalpha():
                continue
            for d in _deletes(word, max_distance(word)):
                self.table.setdefault(d, []).append(word)

    @classmethod
    def from_reader(cls, reader, fieldname: str = "spell") -> "SpellIndex":
        freq = {}
        for term, info in reader.iter_field(fieldname):
            word = term.decode("utf-8") if isinstance(term, bytes) else term
            freq[word] = info.doc_frequency()
        return cls(freq)

    def __contains__(self, word: str) -> bool:
        return word in self.freq

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """Known words within the allowed distance (same first letter), nearest and most
        frequent first."""
        maxd = max_distance(word)
        if not maxd or not word.isalpha():
            return []
        found: dict[str, tuple[int, int]] = {}
        for d in _deletes(word, maxd):
            for cand in self.table.get(d, ()):
                if cand in found or cand == word or cand[0] != word[0]:
                    continue
                dist = distance(word, cand)
                if dist <= min(maxd, max_distance(cand)):
                    found[cand] = (dist, -self.freq[cand])
        return sorted(found, key=lambda w: (found[w], w))[:limit]

    def completions(self, prefix: str, limit: int = 5) -> list[str]:
        if len(prefix) < 3:
            return []
        words = []
        for i in range(bisect_left(self.sorted, prefix), len(self.sorted)):
            w = self.sorted[i]
            if not w.startswith(prefix):
                break
            if w != prefix:
                words.append(w)
        return sorted(words, key=lambda w: (-self.freq[w], w))[:limit]
