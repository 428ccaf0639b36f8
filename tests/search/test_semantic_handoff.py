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


def test_concurrent_searches_with_every_worker_taken_do_not_wait_for_a_worker(monkeypatch):
    # more searches in flight than pool threads (concurrent requests): the next search's task is
    # queued behind theirs and no thread can begin it, so start() must not wait for one
    monkeypatch.setattr(semantic, "HANDOFF_SECONDS", 30.0)  # a wait would be seen, whatever the load
    index = _index()
    blocker = threading.Event()

    def scores_of(text):
        blocker.wait(30)
        return np.zeros(8, np.float32), np.full(30, float(len(text)), np.float32)

    index._scores = scores_of
    taken = [index.start(f"search {i}") for i in range(semantic._workers()._max_workers)]  # each began
    returned = threading.Event()
    queued: list = []

    def caller():
        queued.append(index.start("money back"))
        returned.set()

    thread = threading.Thread(target=caller, daemon=True)
    try:
        thread.start()
        assert returned.wait(10), "start() waited for a worker while every worker was taken"
        assert not queued[0].done()
    finally:
        blocker.set()
    thread.join(30)
    assert queued[0].result(timeout=30)[1].tolist() == [10.0] * 30
    assert [f.result(timeout=30)[1][0] for f in taken] == [8.0] * len(taken)
