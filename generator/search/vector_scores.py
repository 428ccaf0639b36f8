"""Every record's cosine to a query, fast at 10,000 items: an int8 pass, then the best exact.

A record has two vectors ([2, n, d], L2-normalised: its "about" text and its whole text);
its score is the larger cosine. At 10,000 records the float32 product reads 30 MB per query,
about 3 ms of CPU: a tenth of the search API's budget. So from ``APPROX_FROM`` records on:

1. every vector's cosine is estimated with int8 arithmetic in one onnxruntime
   ``MatMulInteger`` (the vectors quantised once, each row on its own scale, to 7 bits:
   x86's u8 × s8 instructions add pairs of products in 16 bits, which 8-bit × 8-bit can
   overflow; the query to 8 bits on its own scale);
2. the ``RESCORE`` best records by that estimate get their exact float32 cosine, and so do
   any records the caller names (``exact``: search's lexical candidates).

The estimate is off by a few thousandths, so a record outside the estimated best
``RESCORE`` would need to be more than ~0.01 better than the estimate says to belong in
the best 100 that fusion reads: fusion (``semantic.fuse``) sees the same numbers as with the
float32 product (checked at 10,000 items in tests/search/test_vector_scores.py and by
benchmarks/search_api.py's agreement line). Below ``APPROX_FROM`` records, or without
onnxruntime, it is the float32 product itself. Speed: benchmarks/RESULTS.md, "Meaning: speed".
"""

from __future__ import annotations

import threading

import numpy as np

#: From this many records on, cosines are estimated in int8 first.
APPROX_FROM = 2000
#: Records (best by the estimate) whose cosine is then computed exactly.
RESCORE = 300
ITEM_LEVELS = 63  # 7 bits: see above
CHUNK = 2048  # rows quantised at a time
QUERY_ZERO = 128  # the query as uint8 around 128


class VectorScores:
    """Cosines of queries to records' vectors ([2, n, d], float32, L2-normalised)."""

    def __init__(self, vectors: np.ndarray, *, approx_from: int = APPROX_FROM, rescore: int = RESCORE):
        self.vectors = vectors
        self.n = vectors.shape[1]
        self.rescore = rescore
        self.estimates = self.n >= approx_from and self.n > rescore  # int8 first (when onnxruntime loads)
        self._int8 = None  # (session, row scales [2n]) once built; False: not available
        self._lock = threading.Lock()

    def exact(self, rows, q: np.ndarray) -> np.ndarray:
        """The exact score of these records (indices)."""
        # einsum: one pass in this thread; a BLAS product here starts BLAS's own threads, which
        # spin and cost 3-4x the CPU time for the same result (RESULTS.md, "Meaning: speed");
        # take: the same rows as ``vectors[:, rows]``, gathered in about two thirds of the time
        return np.einsum("tkd,d->tk", self.vectors.take(rows, axis=1), q).max(axis=0)

    def all(self, q: np.ndarray) -> np.ndarray:
        """[n] every record's score: exact for the best ``rescore`` by the estimate (or all)."""
        int8 = self._session() if self.estimates else None
        if int8 is None:
            return np.einsum("tnd,d->tn", self.vectors, q).max(axis=0)
        session, row_scales = int8
        scale = float(np.abs(q).max()) / 127.0 or 1.0
        q8 = (np.rint(q / scale) + QUERY_ZERO).astype(np.uint8)[None]
        products = session.run(None, {"q": q8})[0][0]
        scores = (products.astype(np.float32) * (row_scales * np.float32(scale))).reshape(2, self.n).max(axis=0)
        best = np.argpartition(-scores, self.rescore - 1)[: self.rescore]
        scores[best] = self.exact(best, q)
        return scores

    def warm(self) -> None:
        """Build the int8 pass now (a searcher opened for a service: not on its first query)."""
        if self.estimates:
            self._session()

    def _session(self):
        if self._int8 is None:
            with self._lock:
                if self._int8 is None:
                    self._int8 = _build(self.vectors) or False
        return self._int8 or None


def _build(vectors: np.ndarray):
    """(onnxruntime session computing q8 · rows8ᵀ in int32, each row's scale), or None
    without onnxruntime."""
    try:
        import onnxruntime as ort
    except ImportError:
        return None
    from carebase.search import onnx_wire as w

    rows = vectors.reshape(-1, vectors.shape[-1])
    scales = np.abs(rows).max(axis=1) / ITEM_LEVELS
    scales[scales == 0] = 1.0
    columns = np.empty((rows.shape[1], rows.shape[0]), np.int8)  # the rows as MatMulInteger's B
    for start in range(0, len(rows), CHUNK):  # no float temporary the size of all vectors
        part = slice(start, start + CHUNK)
        columns[:, part] = np.rint(rows[part] / scales[part, None]).T
    graph = [w.node(["q", "rows", "zero"], ["products"], "MatMulInteger"),
             *w.array("rows", columns, w.INT8),
             *w.array("zero", np.array(QUERY_ZERO, np.uint8), w.UINT8),
             w.value_info(w.GRAPH_INPUT, "q", w.UINT8, [1, rows.shape[1]]),
             w.value_info(w.GRAPH_OUTPUT, "products", w.INT32, [1, rows.shape[0]])]
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.enable_cpu_mem_arena = False
    opts.log_severity_level = 3
    session = ort.InferenceSession(w.model(graph), opts, providers=["CPUExecutionProvider"])
    return session, scales.astype(np.float32)
