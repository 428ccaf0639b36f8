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


#: Shorter words are never corrected: one typo in three letters is a third of the word, and a
#: customer's three-letter word is more often an abbreviation the help centre lacks ("trv",
#: a thermostatic radiator valve) than a typo of an unrelated word ("try"). Lucene's
#: DirectSpellChecker uses the same minimum.
MIN_CORRECTED_LENGTH = 4


def max_distance(word: str) -> int:
    """Typos allowed (the analyser's rule): none under 3 letters, one up to 4, two from 5 on."""
    return _ANALYSER.max_edits(word)


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    return _ANALYSER.distance(a, b)


class SpellIndex:
    """word → document frequency, plus the delete dictionary for corrections. The typo
    rules (``max_distance``) are English's; every analyser shares them but CJK's, whose
    words are character pairs (never corrected: under ``MIN_CORRECTED_LENGTH``)."""

    def __init__(self, frequencies: dict[str, int], stems=()):
        self.freq = frequencies
        self.stems = frozenset(stems)  # the index's stemmed terms: a word with one is known
        self.sorted = sorted(frequencies)
        self.table: dict[str, list[str]] = {}
        # the help centre's contractions typed without the apostrophe ("wont" → "won't")
        self.contractions: dict[str, str] = {}
        for word in frequencies:
            bare = word.replace("'", "")
            if bare != word and bare.isalpha() and bare not in frequencies:
                best = self.contractions.get(bare)
                if best is None or frequencies[word] > frequencies[best]:
                    self.contractions[bare] = word
        for word in frequencies:
            if not word.isalpha():
                continue
            for d in _deletes(word, max_distance(word)):
                self.table.setdefault(d, []).append(word)

    @classmethod
    def from_reader(cls, reader, fieldname: str = "spell", stem_fields=(), words: dict | None = None) -> "SpellIndex":
        """``words``: word → document frequency, as the index's meta holds them; without
        it (an index written before that), the ``fieldname`` field's terms."""
        freq = dict(words) if words is not None else {}
        for term, info in reader.iter_field(fieldname) if words is None else ():
            word = term.decode("utf-8") if isinstance(term, bytes) else term
            freq[word] = info.doc_frequency()
        stems = set()
        for field in stem_fields:
            for term in reader.lexicon(field):
                stems.add(term.decode("utf-8") if isinstance(term, bytes) else term)
        return cls(freq, stems)

    def __contains__(self, word: str) -> bool:
        return word in self.freq

    def contraction(self, word: str) -> str | None:
        """The help centre's contraction this word is without its apostrophe, if any."""
        return self.contractions.get(word)

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """Known words within the allowed distance (same first letter), only the nearest
        ones, most frequent first; none for a word under ``MIN_CORRECTED_LENGTH`` letters."""
        maxd = max_distance(word)
        if not maxd or len(word) < MIN_CORRECTED_LENGTH or not word.isalpha():
            return []
        found: dict[str, tuple[int, int]] = {}
        for d in _deletes(word, maxd):
            for cand in self.table.get(d, ()):
                if cand in found or cand == word or cand[0] != word[0]:
                    continue
                dist = distance(word, cand)
                if dist <= min(maxd, max_distance(cand)):
                    found[cand] = (dist, -self.freq[cand])
        if not found:
            return []
        nearest = min(d for d, _ in found.values())  # a further word never competes with a nearer one
        return sorted((w for w in found if found[w][0] == nearest), key=lambda w: (found[w], w))[:limit]

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
