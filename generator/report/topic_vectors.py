"""Vectors for grouping failed searches by meaning, and for comparing a topic with items.

Two kinds, one interface (``encode(texts, keys, kind) -> unit-length rows``):

* ``EmbeddingVectors``: sentence embeddings from carebase's meaning interface
  (``carebase.search.meaning``), cached by (model, kind, text) across runs
  (``carebase.search.vector_cache``): customers' wordings in the report's cache folder (one
  per database), the items' texts (the site's own published words) in carebase's shared
  vector cache, so a report on another database, or with a new cache folder, of the same
  site does not embed its items again;
* ``LexicalVectors``: the analyser's stems after typo and synonym folding, TF-IDF weighted
  and hashed into ``DIMENSIONS`` signed buckets (two different stems share a bucket with
  odds of about 1 in 1,000; a collision only adds a little similarity).

``open_embeddings`` gives the embeddings when a model is installed and not turned off
(``CAREBASE_SEMANTIC=0``), else None and the report uses the lexical vectors; it names the
one it used. Bounded work: only the ``MAX_EMBED`` wordings with the most failed searches
are embedded per run (missing.py says what the rest become).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from pathlib import Path

import numpy as np

DIMENSIONS = 1024
MAX_EMBED = 2_000  # wordings embedded per report run (the most failed)
CACHE_FILE = "vectors.sqlite"


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

    def encode(self, texts: list[str], keys: list[tuple[str, ...]], kind: str = "query") -> np.ndarray:
        return self.encode_keys(keys)


class EmbeddingVectors:
    """Sentence embeddings through carebase.search.meaning, with a persistent cache."""

    kind = "embedding"

    def __init__(self, name: str, cache, items_cache=None):
        self.name = name
        self.cache = cache  # customers' wordings (kind "query")
        self.items_cache = items_cache if items_cache is not None else cache  # items' texts (kind "passage")

    def encode(self, texts: list[str], keys: list[tuple[str, ...]], kind: str = "query") -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return self.cache.queries(texts) if kind == "query" else self.items_cache.passages(texts)

    @property
    def embedded(self) -> int:
        """Texts this run embedded (the rest came from a cache), wordings and items."""
        return self.cache.embedded + (self.items_cache.embedded if self.items_cache is not self.cache else 0)


def open_embeddings(cache_dir=None):
    """The meaning interface's embeddings, or None without a model: customers' wordings cached
    in ``cache_dir``; the items' texts in carebase's shared vector cache (they hold no customer
    text; ``CAREBASE_CACHE_DIR=off`` turns it off). Without ``cache_dir`` (``--no-cache``:
    remember nothing between runs) both stay in memory."""
    from carebase.search import meaning

    if not meaning.available():
        return None
    from carebase.search.vector_cache import VectorCache, default_path

    if not cache_dir:
        return EmbeddingVectors(meaning.model_id(), VectorCache(None))
    shared = default_path()
    items = VectorCache(shared) if shared is not None else None
    return EmbeddingVectors(meaning.model_id(), VectorCache(Path(cache_dir) / CACHE_FILE), items)
