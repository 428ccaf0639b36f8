"""The learning worker's wording vectors: at most ``max_new`` embedded per refresh (the best
supported first, the rest pending), kept across a restart in a cache file, and that file
keeps nothing of wordings no longer learned from."""

from __future__ import annotations

import hashlib
import sqlite3

import numpy as np

from carebase.learned.model import VectorMemo
from carebase.search.vector_cache import VectorCache


class CountingEmbedder:
    """A deterministic stand-in for the model (a vector from the text's hash) that counts calls."""

    model_id, dim = "test-hash-model", 8

    def __init__(self):
        self.texts: list[str] = []

    def embed(self, texts, kind):
        self.texts.extend(texts)
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest()[:8], dtype=np.uint8) for t in texts]
        m = np.stack(rows).astype(np.float32) + 1.0
        return (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)


def memo(path, embedder):
    cache = VectorCache(path, embed=embedder)
    return VectorMemo(None, embedder.model_id, cache=cache, max_new=2), cache


def test_bounded_per_refresh_kept_across_restarts_and_pruned(tmp_path):
    path = tmp_path / "learned-vectors.sqlite"
    model = CountingEmbedder()
    first, _ = memo(path, model)
    texts = ["refund please", "money back", "cancel my plan", "wifi drops", "battery low"]
    kept, matrix = first.vectors(texts)
    assert kept == [0, 1] and matrix.shape == (2, 8) and first.pending == 3
    assert first.vectors(texts)[0] == [0, 1, 2, 3] and first.pending == 1
    assert first.vectors(texts)[0] == [0, 1, 2, 3, 4] and first.pending == 0
    assert model.texts == texts  # each wording embedded once

    restarted, _ = memo(path, model)
    kept, again = restarted.vectors(texts)
    assert kept == [0, 1, 2, 3, 4] and model.texts == texts  # nothing embedded again
    assert np.allclose(again[:2], matrix)

    restarted.vectors(["money back", "wifi drops"])  # the other wordings' events were deleted
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] == 2
