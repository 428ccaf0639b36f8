"""Vectors for grouping failed searches by meaning, and for comparing a topic with items.

Two kinds, one interface (``encode(texts, keys) -> unit-length rows``):

* ``EmbeddingVectors``: sentence embeddings from carebase's semantic search backend
  (``carebase.search.semantic``), when it is installed. Vectors are cached by (model, text)
  in the report's cache folder across runs (``VectorCache``), and at most ``MAX_EMBED``
  new texts are embedded per run: the rest are encoded lexically and say so.
* ``LexicalVectors``: the analyser's stems after typo and synonym folding, TF-IDF weighted
  and hashed into ``DIMENSIONS`` signed buckets (two different stems share a bucket with
  odds of about 1 in 1,000; a collision only adds a little similarity).

``open_vectors`` picks the embeddings when they can be had, else the lexical vectors; the
report names the one it used.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections import Counter
from pathlib import Path

import numpy as np

DIMENSIONS = 1024
MAX_EMBED = 2_000  # new (not cached) texts embedded per report run
CACHE_LIMIT = 50_000  # vectors kept in the cache (the most recently used)
CACHE_FILE = "topic-vectors-{model}.npz"


def _bucket(stem: str) -> tuple[int, float]:
    h = int.from_bytes(hashlib.blake2b(stem.encode(), digest_size=8).digest(), "little")
    return h % DIMENSIONS, (1.0 if (h >> 32) & 1 else -1.0)


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


class LexicalVectors:
    """Hashed TF-IDF over analysed stems; ``df`` counts documents per stem (queries and items)."""

    name = "lexical (analysed stems, TF-IDF)"
    kind = "lexical"

    def __init__(self, df: Counter, documents: int):
        self.df = df
        self.documents = max(1, documents)
        self._buckets: dict[str, tuple[int, float]] = {}

    def idf(self, stem: str) -> float:
        return math.log(1 + self.documents / (1 + self.df.get(stem, 0)))

    def encode_keys(self, keys: list[tuple[str, ...]]) -> np.ndarray:
        out = np.zeros((len(keys), DIMENSIONS), dtype=np.float32)
        for row, key in enumerate(keys):
            for stem in set(key):
                bucket = self._buckets.get(stem)
                if bucket is None:
                    bucket = self._buckets[stem] = _bucket(stem)
                out[row, bucket[0]] += bucket[1] * self.idf(stem)
        return _normalise(out)

    def encode(self, texts: list[str], keys: list[tuple[str, ...]]) -> np.ndarray:
        return self.encode_keys(keys)


class VectorCache:
    """Embeddings by text for one model, in one .npz file of the report's cache folder."""

    def __init__(self, folder, model: str):
        self.path = Path(folder) / CACHE_FILE.format(model="".join(c if c.isalnum() else "-" for c in model)) \
            if folder else None
        self.vectors: dict[str, np.ndarray] = {}
        self.used: list[str] = []
        if self.path is not None and self.path.is_file():
            try:
                with np.load(self.path, allow_pickle=False) as data:
                    texts = json.loads(str(data["texts"]))
                    self.vectors = dict(zip(texts, data["vectors"]))
            except (OSError, ValueError, KeyError):
                self.vectors = {}  # damaged by hand: start again

    def get(self, text: str):
        vector = self.vectors.get(text)
        if vector is not None:
            self.used.append(text)
        return vector

    def put(self, text: str, vector: np.ndarray) -> None:
        self.vectors[text] = vector
        self.used.append(text)

    def save(self) -> None:
        if self.path is None or not self.used:
            return
        keep = list(dict.fromkeys(reversed(self.used)))[:CACHE_LIMIT]
        keep += [t for t in self.vectors if t not in set(keep)][: max(0, CACHE_LIMIT - len(keep))]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp.npz")
        np.savez(scratch, texts=np.array(json.dumps(keep)), vectors=np.stack([self.vectors[t] for t in keep]))
        os.replace(scratch, self.path)


class EmbeddingVectors:
    """Sentence embeddings (``embed(texts) -> unit rows``) with a cache and a per-run cap;
    texts past the cap are encoded by ``fallback`` (lexical) and counted in ``capped``."""

    kind = "embedding"

    def __init__(self, name: str, embed, cache: VectorCache, *, max_new: int = MAX_EMBED):
        self.name = name
        self._embed = embed
        self.cache = cache
        self.max_new = max_new
        self.embedded = 0
        self.capped = 0

    def encode(self, texts: list[str], keys: list[tuple[str, ...]], fallback=None) -> np.ndarray:
        rows: list[np.ndarray | None] = [self.cache.get(t) for t in texts]
        missing = [i for i, row in enumerate(rows) if row is None]
        allowed = missing[: max(0, self.max_new - self.embedded)]
        if allowed:
            fresh = self._embed([texts[i] for i in allowed])
            self.embedded += len(allowed)
            for i, vector in zip(allowed, fresh):
                rows[i] = np.asarray(vector, dtype=np.float32)
                self.cache.put(texts[i], rows[i])
        over = [i for i, row in enumerate(rows) if row is None]
        self.capped += len(over)
        if not rows:
            return np.zeros((0, 1), dtype=np.float32)
        dim = next((len(r) for r in rows if r is not None), None)
        if dim is None:
            return fallback.encode(texts, keys) if fallback is not None else np.zeros((len(rows), 1), np.float32)
        for i in over:  # past the cap: no meaning for these, only a zero vector (they join nothing)
            rows[i] = np.zeros(dim, dtype=np.float32)
        return _normalise(np.stack(rows))


def open_embeddings(cache_dir=None, *, max_new: int = MAX_EMBED):
    """The semantic backend's embeddings (cached), or None when it is not installed."""
    try:
        from carebase.search import semantic
    except ImportError:
        return None
    if not semantic.available():
        return None
    name = getattr(semantic, "MODEL_NAME", None) or "all-MiniLM-L6-v2"
    return EmbeddingVectors(name, semantic.embed, VectorCache(cache_dir, name), max_new=max_new)
