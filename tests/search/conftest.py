"""The demo help centre's search index, built once for the search tests that read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebase.content import load_catalogue
from carebase.search.index import build_index

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo_index(tmp_path_factory):
    """(the demo's catalogue, the folder of its index)."""
    catalogue = load_catalogue(REPO / "content")
    folder = tmp_path_factory.mktemp("demo-ix")
    build_index(catalogue, folder)
    return catalogue, folder


@pytest.fixture
def reference_scores_once(monkeypatch):
    """The Whoosh reference scores a query once for the searches of this test that ask it: its
    kind-filtered search of a question keeps the matches of its unfiltered one (``run_whoosh`` scores
    every match, and the strong ones, then filters by kind), so ``score_all`` and ``strong_docs`` —
    functions of the searcher and the query alone — are kept by the query's whole pickled state
    (its terms, boosts, fields and structure) instead of being run again; so is its search with the
    last word completed where the completion adds no word (the same query). What is compared, and
    the fast engine's own evaluations, are unchanged (benchmarks/RESULTS.md "Session 49 (`suite`)")."""
    import pickle

    from carebase.search import whoosh_path

    kept: dict = {}

    def once(real):
        def run(searcher, query, *args):
            key = (real.__name__, id(searcher), pickle.dumps(query))
            if key not in kept:
                kept[key] = real(searcher, query, *args)
            return kept[key]
        return run
    monkeypatch.setattr(whoosh_path, "score_all", once(whoosh_path.score_all))
    monkeypatch.setattr(whoosh_path, "strong_docs", once(whoosh_path.strong_docs))
    return kept
