"""How much of a query's words an item's logged wordings hold (session 48; audit 47 A4).

An embedding's cosine does not say which words carry a question's need: after the demo's
simulated traffic, "thermostat offline" was 0.58–0.61 alike to the popular wordings "old
thermostat" and "remove old thermostat", which share only the product noun, and their votes
put *Remove your old thermostat* first. So an item's vote share (``nearest.NearestWordings.votes``)
is multiplied by the share of the query's information its wordings near the query hold
together: the IDF (over the logged wordings, as ``nearest.LexicalVectors`` weighs stems) of the
query's stems they hold, over the IDF of the query's stems any logged wording holds. A stem no
logged wording holds says nothing about any item and is left out (a query with none keeps every
share); an item whose wordings near the query hold none of its known stems has no vote: what
customers typed is what was learned ("reimbursement" for *Refunds* teaches the query
"reimbursement"), and a likeness of meaning alone is search's own (hybrid) ranking.
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
