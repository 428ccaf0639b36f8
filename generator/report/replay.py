"""Replaying failed queries against the *current* content.

``Replayer`` is the small interface the missing-content analysis needs: ``search(query,
limit) -> [(item id, score)]``. ``WhooshReplayer`` wraps the site's own search
(``carebase.search``), so a query is replayed exactly as customers would run it today.
``TermReplayer`` is a plain in-memory term matcher for catalogues without a search
index (unit tests, or an install without the search part); the command says so on
stderr whenever it has to use it, it is never picked silently.
"""

from __future__ import annotations

import math
import tempfile
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


def search_available() -> bool:
    try:
        import carebase.search.index  # noqa: F401
        import carebase.search.query  # noqa: F401
    except ImportError:
        return False
    return True


def open_replayer(catalogue, normaliser: Normaliser, *, index_dir: str | None = None, build_dir: str | None = None,
                  cache_dir=None, progress=None):
    """The Whoosh replayer when carebase.search is installed — over the index in
    ``index_dir``, or the one cached in ``cache_dir`` for this content (built and cached
    on a miss, see carebase.report.index_cache), or one built now into ``build_dir`` —
    else the term matcher. Returns (replayer, note); the note is non-empty when the
    fallback had to be used."""
    if not search_available():
        return TermReplayer(catalogue, normaliser), (
            "carebase.search is not installed: failed queries are replayed with the built-in term matcher")
    from carebase.search.index import build_index, open_index
    from carebase.search.query import Searcher

    if index_dir:
        index = open_index(index_dir)
    elif cache_dir:
        from carebase.report.index_cache import cached_index

        index, _reused = cached_index(catalogue, cache_dir, progress=progress)
    else:
        build_dir = build_dir or tempfile.mkdtemp(prefix="carebase-report-index-")
        index = build_index(catalogue, build_dir, progress=progress)
    return WhooshReplayer(Searcher(index, catalogue=catalogue)), ""
