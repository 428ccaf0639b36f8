"""Replaying failed queries against the *current* content.

``Replayer`` is the small interface the missing-content analysis needs: ``search(query,
limit) -> [(item id, score)]``. ``WhooshReplayer`` wraps the site's own search over the
build output's index (``carebase report`` always uses it), so a query is replayed exactly
as customers would run it today. ``TermReplayer`` is a plain in-memory term matcher, the
default of ``build_report`` for callers that have a catalogue and no build output.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Protocol

from carebase.report.normalise import Normaliser


class Replayer(Protocol):
    name: str

    def search(self, query: str, limit: int = 5) -> list[tuple[str, float]]: ...


def headline_text(item) -> str:
    """What a customer sees in a result: title, summary, keywords and tags."""
    return " ".join([item.title, getattr(item, "summary", "") or "", " ".join(item.keywords), " ".join(item.tags)])


def body_text(item) -> str:
    if item.kind == "article":
        return item.body
    if item.kind == "faq":
        return item.answer
    chapters = " ".join(c.title for c in item.chapters)
    return chapters + " " + " ".join(c.text for c in item.transcript)


class TermReplayer:
    """OR-matching over stems, idf-weighted, headline fields worth 3× the body."""

    name = "built-in term matcher"

    def __init__(self, catalogue, normaliser: Normaliser):
        self.normaliser = normaliser
        self.postings: dict[str, dict[str, float]] = {}
        items = list(catalogue.items())
        for item in items:
            weights: Counter = Counter()
            for s in normaliser.stems_of(body_text(item)):
                weights[s] = 1.0
            for s in normaliser.stems_of(headline_text(item)):
                weights[s] = 3.0
            for s, w in weights.items():
                self.postings.setdefault(s, {})[item.id] = w
        self.total = max(1, len(items))

    def search(self, query: str, limit: int = 5) -> list[tuple[str, float]]:
        scores: Counter = Counter()
        for s in self.normaliser.analyse(query).key:
            posting = self.postings.get(s, {})
            if not posting:
                continue
            idf = math.log(1 + self.total / len(posting))
            for item_id, weight in posting.items():
                scores[item_id] += weight * idf
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:limit]


class WhooshReplayer:
    """The site's search (carebase.search.Searcher) over the current catalogue.

    The replay needs only the ranked ids and scores: ``Searcher.ranked`` gives the ranking
    ``search`` returns without cutting snippets (tests/report/test_report_index_cache.py
    checks that they agree)."""

    name = "carebase search (Whoosh)"

    def __init__(self, searcher):
        self.searcher = searcher

    def search(self, query: str, limit: int = 5) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        seen = set()
        for item_id, score in self.searcher.ranked(query, limit=limit * 2):
            if item_id not in seen:
                seen.add(item_id)
                out.append((item_id, score))
        return out[:limit]
