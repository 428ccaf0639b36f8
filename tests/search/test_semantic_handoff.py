"""A hybrid search's query embedding runs beside its lexical pass, not after it."""

from __future__ import annotations

import threading

import numpy as np

from carebase.search import semantic
from carebase.search.semantic import SemanticIndex


def _index() -> SemanticIndex:
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(2, 30, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=-1, keepdims=True)
    return SemanticIndex([f"article:a{i}" for i in range(30)], vectors)


def test_the_worker_has_begun_embedding_when_start_returns(monkeypatch):
    # the caller goes on with Python (the lexical pass) right after start(): a worker that has
    # not begun by then waits for the GIL until that pass is over, so nothing overlaps
    monkeypatch.setattr(semantic, "HANDOFF_SECONDS", 30.0, raising=False)  # how long is not what is tested
    index = _index()
    began, release = threading.Event(), threading.Event()
    scores = np.arange(30, dtype=np.float32)

    def scores_of(text):
        began.set()
        release.wait(30)
        return np.zeros(8, np.float32), scores

    index._scores = scores_of
    for _ in range(20):
        began.clear()
        release.clear()
        pending = index.start("money back")
        begun = began.is_set()  # read before anything else lets the worker run
        release.set()
        q, found = pending.result(timeout=30)
        assert begun, "start() returned before its worker began embedding"
        assert found is scores


def test_a_worker_that_gets_no_core_does_not_hold_the_caller_for_long(monkeypatch):
    index = _index()
    blocker = threading.Event()
    # both pool threads busy: the query's task cannot begin until one is free
    busy = [semantic._workers().submit(blocker.wait, 30) for _ in range(semantic._workers()._max_workers)]
    try:
        monkeypatch.setattr(semantic, "HANDOFF_SECONDS", 0.05)
        index._scores = lambda text: (np.zeros(8, np.float32), np.ones(30, np.float32))
        pending = index.start("money back")  # returns after the bound, with the task queued
        assert not pending.done()
    finally:
        blocker.set()
    assert pending.result(timeout=30)[1].tolist() == [1.0] * 30
    for f in busy:
        f.result(timeout=30)
