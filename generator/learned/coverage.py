"""How much of a query's words a logged wording covers (session 48; audit 47 A4).

An embedding's cosine does not say which words carry a question's need: after the demo's
simulated traffic, "thermostat offline" was 0.58–0.61 alike to the popular wordings "old
thermostat" and "remove old thermostat", which share only the product noun, and their votes
put *Remove your old thermostat* first. So a neighbour that shares some of the query's words
has its similarity scaled by the share of the query's information it holds: the IDF (over the
logged wordings, as ``nearest.LexicalVectors`` weighs stems) of the query's stems it has, over
the IDF of the query's stems any logged wording has. A stem no logged wording holds says
nothing about any neighbour and is left out; a neighbour that shares no stem with the query (a
paraphrase: "money back" for "refund") keeps its similarity, the embedding's alone.
"""

from __future__ import annotations

import math
from collections import Counter

from carebase.learned.phrases import tokens


def stems_of(text: str) -> frozenset[str]:
    return frozenset(stem for _, stem in tokens(text))


class Coverage:
    """The logged wordings' stems and their IDF; ``of(query)`` scales a neighbour by index."""

    def __init__(self, texts: list[str]):
        self.stems = [stems_of(t) for t in texts]
        df = Counter(s for found in self.stems for s in found)
        n = len(texts)
        self.idf = {s: math.log((n + 1) / (c + 1)) + 1.0 for s, c in df.items()}

    def of(self, query: str):
        """A function index → the share (0..1] of the query's known information that wording
        holds (1.0 when it shares none of the query's stems, or the query has no known stem)."""
        known = {s: self.idf[s] for s in stems_of(query) if s in self.idf}
        total = sum(known.values())
        if not known:
            return lambda i: 1.0

        def share(i: int) -> float:
            held = sum(w for s, w in known.items() if s in self.stems[i])
            return held / total if held else 1.0

        return share
