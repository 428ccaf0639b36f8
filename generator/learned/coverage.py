"""How much of a query's words an item's logged wordings hold (session 48, `learn`; audit 47 A4).

A measure, not (yet) part of the ranking: ``benchmarks/search/learned_coverage_diag.py`` counts
with it how many learned votes come from wordings that share only part of a query (after the
demo's simulated traffic, "thermostat offline" was 0.58–0.61 alike to the popular wordings "old
thermostat" and "remove old thermostat", which share only the product noun, and their votes put
*Remove your old thermostat* first). Session 48's trial 2 multiplied each item's vote share by
``of(query)`` of its wordings near the query (branch ``learn-48``, commit 6877c103; its results
and why it did not land: benchmarks/RESULTS.md, "Session 48 (`learn`)"). The share: the IDF
(over the logged wordings, as ``nearest.LexicalVectors`` weighs stems) of the query's stems the
wordings hold together, over the IDF of the query's stems any logged wording holds; a stem no
logged wording holds is left out (a query with none: 1.0).
"""

from __future__ import annotations

import math
from collections import Counter

from carebase.learned.phrases import tokens


def stems_of(text: str) -> frozenset[str]:
    return frozenset(stem for _, stem in tokens(text))


class Coverage:
    """The IDF of the logged wordings' stems; ``of(query)`` weighs an item's wordings."""

    def __init__(self, texts: list[str]):
        self.stems = {t: stems_of(t) for t in texts}  # a wording's stems, made once per snapshot
        df = Counter(s for t in texts for s in self.stems[t])  # per wording record (one per item it is tied to)
        n = len(texts)
        self.idf = {s: math.log((n + 1) / (c + 1)) + 1.0 for s, c in df.items()}

    def of(self, query: str):
        """A function (wordings' texts) → the share (0..1) of the query's known information
        they hold together (1.0 when the query has no known stem)."""
        known = {s: self.idf[s] for s in stems_of(query) if s in self.idf}
        total = sum(known.values())

        def held(texts: list[str]) -> float:
            if not known:
                return 1.0
            weight = sum(w for s, w in known.items() if any(s in self.stems[t] for t in texts))
            return weight / total

        return held
