"""Search ranked with what was learned: the base ranking fused with nearest-wording votes.

For a query, the base search (``Searcher.search``: BM25F, fused with meaning when it is
on) gives its top ``limit`` hits; the learned snapshot gives each item its vote share from
the nearest logged wordings (``nearest.py``, 0..1, summing to 1). The fused score of an
item is ``base score / best base score + weight × vote share``; an item with votes that
the base search did not return joins with its vote alone. An item customers reached with
wordings like this one is a strong match (strong matches come first, as in the base
search). Without votes (nothing learned near the query) the base ranking is returned
unchanged.
"""

from __future__ import annotations

from dataclasses import replace

from carebase.learned.model import Learned
from carebase.search.analysis import stems


def search(searcher, learned: Learned | None, q: str, *, kind: str | None = None, limit: int = 10,
           snippets: bool = True):
    results = searcher.search(q, kind=kind, limit=limit, snippets=snippets)
    if learned is None:
        return results
    votes = learned.votes(q)
    if not votes:
        return results
    results.votes = votes  # the answer API's confidence reads them
    weight = learned.settings.weight
    best = max((h.score for h in results.hits), default=0.0) or 1.0
    fused: dict[str, float] = {}
    hits = {}
    for h in results.hits:
        if h.id not in hits:  # a video's chapters share its id: the best one stands for it
            hits[h.id] = h
            fused[h.id] = h.score / best
    missing = [item for item in votes if item not in hits]
    if missing:
        kinds = searcher.kinds_of_keys()
        wanted = [(item, 0.0) for item in missing if item in kinds and (kind is None or kinds[item] == kind)]
        for h in searcher.hits_for_keys(wanted, set(stems(q)), snippets=snippets):
            hits[h.id] = h
            fused[h.id] = 0.0
    for item, share in votes.items():
        if item in fused:
            fused[item] += weight * share
    strong = {item: bool(getattr(h, "strong", True)) or item in votes for item, h in hits.items()}
    order = sorted(fused, key=lambda item: (not strong[item], -fused[item]))[:limit]
    results.hits = [replace(hits[item], score=fused[item], strong=strong[item]) for item in order]
    results.total = max(results.total, len(results.hits))
    if getattr(results, "strong", None) is not None:
        results.strong = max(results.strong, sum(strong[item] for item in order))
    return results
