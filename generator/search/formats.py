"""A Whoosh posting format for text analysed once, by carebase, before Whoosh sees it.

Whoosh's own ``Positions.word_values`` pulls one ``Token`` object per word through the
analyser's generator, the stop filter and two dictionaries: at 5,000 items that loop was
the largest part of writing the index. ``index.py`` hands each field to Whoosh already
analysed, as its list of terms (carebase's analyser: stop words out, stems cached per word),
and ``AnalysedPositions`` groups their positions; given a text instead, it asks the field's
``AnalyserTokenizer`` for that list. What it yields is what ``Positions.word_values`` yields
for the same text and analyser (same terms, positions, frequencies, weights and encoded
bytes — ``tests/search/test_search_formats.py`` compares them), so the index is the same.
"""

from __future__ import annotations

from whoosh.formats import Positions


#: The encoded posting value of a term found once, at each position below this (the same
#: bytes for every field and index: Positions.encode depends only on the positions).
_CACHED_POSITIONS = 4096
_ONCE: dict[int, bytes] = {}


class AnalysedPositions(Positions):
    """Positions, from a field's list of terms (see the module's docstring)."""

    def word_values(self, value, analyzer, **kwargs):
        if isinstance(value, list):
            terms = value
        elif isinstance(value, str) and hasattr(analyzer, "terms"):  # schema.AnalyserTokenizer
            terms = analyzer.terms(value)
        else:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        yield from term_values(terms, self.field_boost, self.encode)


def term_values(terms: list[str], field_boost: float, encode=Positions().encode) -> list[tuple]:
    """(term, frequency, weight, encoded positions) of each distinct term of a field's list of
    terms, in the order of their first position: what ``Positions.word_values`` yields."""
    poses: dict[str, list[int]] = {}
    for pos, term in enumerate(terms):
        found = poses.get(term)
        if found is None:
            poses[term] = [pos]
        else:
            found.append(pos)
    out = []
    for w, poslist in poses.items():
        if len(poslist) == 1 and poslist[0] < _CACHED_POSITIONS:  # most terms: once in a field
            value = _ONCE.get(poslist[0])
            if value is None:
                value = _ONCE[poslist[0]] = encode(poslist)
        else:
            value = encode(poslist)
        out.append((w, len(poslist), float(len(poslist)) * field_boost, value))
    return out
