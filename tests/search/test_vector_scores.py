"""Cosines to every record: the int8 estimate, then exact cosines where fusion reads them."""

from __future__ import annotations

import numpy as np
import pytest

from carebase.search.semantic import CANDIDATES, _top
from carebase.search.vector_scores import VectorScores

pytest.importorskip("onnxruntime")


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def _records(n: int, seed: int = 3) -> np.ndarray:
    """[2, n, 384] like a help centre's: records in topics (many close neighbours), each
    record's two vectors near each other."""
    rng = np.random.default_rng(seed)
    topics = rng.normal(size=(n // 20, 384))
    about = topics[rng.integers(0, len(topics), n)] + rng.normal(scale=0.6, size=(n, 384))
    whole = about + rng.normal(scale=0.4, size=(n, 384))
    return np.stack([_unit(about), _unit(whole)])


def test_the_best_records_get_their_exact_cosines_at_scale():
    vectors = _records(4000)
    scorer = VectorScores(vectors)
    exact_all = lambda q: np.einsum("tnd,d->tn", vectors, q).max(axis=0)  # noqa: E731
    rng = np.random.default_rng(4)
    for i in rng.integers(0, 4000, 40):
        q = _unit(vectors[0, i] + rng.normal(scale=0.05, size=384))  # a query near a record, as typed
        found, exact = scorer.all(q), exact_all(q)
        best = _top(exact, CANDIDATES * 2)
        assert _top(found, CANDIDATES * 2) == best  # what fusion reads: the same records...
        assert np.array_equal(found[best], exact[best])  # ...with the same cosines
        assert np.abs(found - exact).max() < 0.02  # the rest: estimates
        rows = [7, 123, 3999]  # search's lexical candidates are made exact too
        assert np.array_equal(scorer.exact(rows, q), exact[rows])
    assert scorer.estimates and scorer._int8  # the int8 pass ran


def test_small_help_centres_are_scored_exactly_in_float32():
    vectors = _records(200)
    scorer = VectorScores(vectors)
    q = vectors[1, 5]
    assert not scorer.estimates
    assert np.array_equal(scorer.all(q), np.einsum("tnd,d->tn", vectors, q).max(axis=0))
