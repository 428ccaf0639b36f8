"""Hybrid search: sentence embeddings (``meaning``) fused with BM25F.

Each record gets two vectors: its title with summary and keywords (what the item is
about), and its whole text. A record's semantic score is the larger cosine of the two.
The fused score is ``ALPHA * semantic + (1 - ALPHA) * lexical / best lexical``;
ALPHA was chosen on half A of the relevance harness (benchmarks/search/tune_weights.py).

Vectors are computed when the index is built (``SemanticIndex.build``) and saved beside it;
a ``VectorCache`` keyed by (model, text) means an unchanged record is not embedded again
on the next build. ``wanted()`` decides whether search uses meaning at all.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from carebase.search import meaning
from carebase.search.records import Record, catalogue_records

log = logging.getLogger("carebase.search")

EMBEDDINGS = "carebase-embeddings.npy"
KEYS = "carebase-embeddings.json"
#: Weight of the semantic score in the fused score (tuned on half A of the harness).
ALPHA = 0.9
#: A record found only by meaning must be at least this similar to the query.
MIN_SIMILARITY = 0.25
CANDIDATES = 50

_noticed = False


def available() -> bool:
    """Whether an embedding model is installed and loadable (``meaning.available``)."""
    return meaning.available()


def wanted() -> bool:
    """Whether search should use meaning: on by default when a model loads, off with
    ``CAREBASE_SEMANTIC=0``. Logs one line (once per process) when it is off."""
    global _noticed
    if meaning.available():
        return True
    if not _noticed:
        _noticed = True
        log.warning("%s", meaning.status())
    return False


def _about(rec: Record) -> str:
    return ". ".join(p for p in (rec.title, rec.summary, rec.keywords) if p)


def embed(texts: list[str]):
    """Passage vectors (kept for callers of before; use ``meaning.embed_passages``)."""
    return meaning.embed_passages(texts)


def record_vectors(records: list[Record], cache=None) -> np.ndarray:
    """[2, n, d]: each record's "about" and whole-text vectors (through ``cache``, a
    ``VectorCache``, when given: texts embedded before are not embedded again)."""
    texts = [_about(r) for r in records] + [r.text() for r in records]
    vecs = cache.passages(texts) if cache is not None else meaning.embed_passages(texts)
    n = len(records)
    return np.stack([vecs[:n], vecs[n:]]) if n else np.zeros((2, 0, meaning.dim()), np.float32)


class SemanticIndex:
    def __init__(self, keys: list[str], vectors, *, alpha: float = ALPHA, model: str | None = None):
        self.keys = keys
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)  # shape (2, n, dim)
        self.alpha = alpha
        self.model = model
        self.position = {k: i for i, k in enumerate(keys)}
        self._primed: dict[str, np.ndarray] = {}

    def prime(self, texts: list[str]) -> None:
        """Embed many query texts in one batch (faster than one at a time), for replays."""
        texts = [t for t in dict.fromkeys(texts) if t not in self._primed]
        if texts:
            self._primed.update(zip(texts, meaning.embed_queries(texts)))

    @classmethod
    def build(cls, catalogue, index_dir, *, records: list[Record] | None = None, cache=None,
              **kw) -> "SemanticIndex":
        """Embed every record and save the vectors beside the Whoosh index in ``index_dir``.
        ``cache``: a ``VectorCache`` (default: the shared one, see ``vector_cache``)."""
        from carebase.search.vector_cache import VectorCache

        records = list(catalogue_records(catalogue)) if records is None else records
        if cache is None:
            cache = VectorCache()
        vectors = record_vectors(records, cache)
        folder = Path(index_dir)
        np.save(folder / EMBEDDINGS, vectors)
        model = meaning.model_id()
        (folder / KEYS).write_text(json.dumps({"model": model, "keys": [r.key for r in records]}))
        return cls([r.key for r in records], vectors, model=model, **kw)

    @classmethod
    def open(cls, index_dir, **kw) -> "SemanticIndex | None":
        """The saved vectors, or None when the index has none, meaning is unavailable, or
        they were made by another model (then the index must be built again)."""
        folder = Path(index_dir)
        if not (folder / EMBEDDINGS).exists() or not meaning.available():
            return None
        saved = json.loads((folder / KEYS).read_text())
        if not isinstance(saved, dict) or saved.get("model") != meaning.model_id():
            log.warning("%s: vectors of another model (%s), not %s: lexical search until the "
                        "index is built again", folder, saved.get("model") if isinstance(saved, dict) else "?",
                        meaning.model_id())
            return None
        return cls(saved["keys"], np.load(folder / EMBEDDINGS), model=saved["model"], **kw)

    def scores(self, text: str):
        q = self._primed.get(text)
        if q is None:
            q = meaning.embed_query(text)
        return (self.vectors @ q).max(axis=0)

    def search(self, searcher, text: str, query, *, kind, limit, suggestion):
        """Fuse lexical (top CANDIDATES) and semantic scores; see the module docstring."""
        from carebase.search.query import SearchResults

        lexical, counts, stems = searcher.lexical(query, kind=kind, limit=CANDIDATES)
        sem = self.scores(suggestion or text)
        best = max((s for _, s in lexical), default=0.0) or 1.0
        fused: dict[str, float] = {}
        for key, s in lexical:
            i = self.position.get(key)
            fused[key] = (1 - self.alpha) * s / best + self.alpha * (float(sem[i]) if i is not None else 0.0)
        kinds = searcher.kinds_of_keys() if kind else None
        for i in np.argsort(-sem)[: CANDIDATES]:
            key = self.keys[i]
            if sem[i] < MIN_SIMILARITY:
                break
            if key in fused or (kinds is not None and kinds.get(key) != kind):
                continue
            fused[key] = self.alpha * float(sem[i])
        ranked = sorted(fused.items(), key=lambda kv: -kv[1])[:limit]
        hits = searcher.hits_for_keys(ranked, stems)
        total = counts[kind] if kind else sum(counts.values())
        return SearchResults(hits, max(total, len(hits)), suggestion, counts)
