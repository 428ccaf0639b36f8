"""The Whoosh reference path of ``Searcher`` (``engine="whoosh"``):
Whoosh's own matchers score every match, strong matches (``cutoff.py``) first — the fast
engine (``engine.py``) must rank exactly the same (tests/search compare the two)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from carebase.search.cutoff import credits, cut
from carebase.search.dismax import BestOf
from carebase.search.impact import KINDS


@dataclass(slots=True)
class Run:
    ranked: list[tuple[int, float]]  # (document number, score), strong matches first
    counts: dict[str, int]
    stems: set[str]
    strong: list[bool]  # per ranked document
    strong_counts: dict[str, int]


def run_whoosh(searcher, query, *, kind, limit, stems) -> Run:
    """The Whoosh path: every match scored, strong matches first (cutoff.py), counts per
    kind."""
    kinds = searcher._kind_column()
    scored = score_all(searcher, query)  # every match: the counts need no second pass of the matchers
    counts = dict.fromkeys(KINDS, 0)
    for docnum in scored:
        counts[kinds[docnum]] = counts.get(kinds[docnum], 0) + 1
    strong = strong_docs(searcher, query, scored)
    strong_counts = dict.fromkeys(KINDS, 0)
    for docnum in strong:
        strong_counts[kinds[docnum]] = strong_counts.get(kinds[docnum], 0) + 1
    if kind is not None:
        scored = {d: v for d, v in scored.items() if kinds[d] == kind}
    order = sorted(scored, key=lambda d: (d not in strong, -round(scored[d], 9), d))[:limit]
    return Run([(d, scored[d]) for d in order], counts, stems, [d in strong for d in order], strong_counts)


def score_all(searcher, query) -> dict[int, float]:
    """Every matching document's score through Whoosh's matchers: no top-k shortcuts
    (Whoosh's collector re-counts the coordination terms when it swaps exhausted
    matchers out, which makes a score depend on the document's place)."""
    s = searcher._searcher
    collector = s.collector(limit=None, optimize=False)
    c = collector
    while c is not None:
        if hasattr(c, "replace"):
            c.replace = 0
        c = getattr(c, "child", None)
    s.search_with_collector(query, collector)
    return {r.docnum: float(r.score) for r in collector.results()}


def strong_docs(searcher, query, scored: dict[int, float]) -> set[int]:
    """The strong matches (document numbers) among ``scored``, each clause's matches from Whoosh."""
    return set(np.flatnonzero(lexical_cut(searcher, query, scored)[0]).tolist())


def lexical_cut(searcher, query, scored: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """``cutoff.cut`` over every document (strong, covers a quarter), each clause's matches
    from Whoosh, each document crediting the clause its best alternative's weight
    (``cutoff.credits``)."""
    n = searcher._searcher.doc_count_all()
    coordinated = isinstance(query, wq.Or) and query.scale and len(query.subqueries) > 1
    parts = query.subqueries if coordinated else [query]
    clauses = []
    for part in parts:
        alternatives = part.subqueries if isinstance(part, BestOf) else [part]
        found = []
        for alt in alternatives:
            mask = np.zeros(n, dtype=bool)
            mask[list(searcher._searcher.docs_for_query(alt))] = True
            found.append((alt.boost * (part.boost if isinstance(part, BestOf) else 1.0), mask))
        clauses.append(credits(found))
    scores = np.zeros(n)
    matched = np.zeros(n, dtype=bool)
    scores[list(scored)] = list(scored.values())
    matched[list(scored)] = True
    return cut(clauses, scores, matched)
