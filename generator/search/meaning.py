"""Meaning: sentence embeddings, the one interface search, the report and topics use.

    from carebase.search import meaning
    if meaning.available():
        q = meaning.embed_queries(["money back"])        # float32 [1, d], L2-normalised
        p = meaning.embed_passages(["Refunds: ..."])      # float32 [n, d], L2-normalised
        scores = p @ q[0]                                 # cosine similarity
        key = meaning.model_id()                          # for cache keys (model + version)

Queries and passages are embedded differently by some models (an instruction prefix):
always embed what a customer typed with ``embed_queries`` and what the content says with
``embed_passages``; ``embed_texts`` embeds like-for-like texts (wordings to cluster).

The model is chosen once per process (``embedders.py`` holds the backends, best first);
``CAREBASE_SEMANTIC=0`` (or ``off``/``false``/``no``) turns meaning off and search stays
lexical; ``knows(language)`` says whether the model knows a language (meaning is used only on
such a language's pages); ``CAREBASE_EMBEDDER=<name>`` picks a backend by name (benchmarks). When no
backend can be loaded, ``available()`` is False and ``status()`` says why in one line.

``embed_query`` keeps an LRU cache of single query vectors (a search API asks for the same
few hundred wordings all day); ``VectorCache`` (``vector_cache.py``) persists vectors on
disk keyed by (model id, kind, text) for replays of many logged wordings.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np

from carebase.search import embedders

OFF_VALUES = ("0", "off", "false", "no")
#: Single query vectors kept in memory (``embed_query``).
QUERY_CACHE_SIZE = 4096

_lock = threading.Lock()
_embedder: embedders.Embedder | None = None
_status: str | None = None  # why meaning is unavailable (None: not decided yet, or available)
_decided = False
_query_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def disabled_by_env() -> bool:
    return os.environ.get("CAREBASE_SEMANTIC", "").strip().lower() in OFF_VALUES


def _load() -> embedders.Embedder | None:
    global _embedder, _status, _decided
    if _decided:
        return _embedder
    with _lock:
        if _decided:
            return _embedder
        if disabled_by_env():
            _status = "meaning is off (CAREBASE_SEMANTIC=0): search is lexical only"
        else:
            _embedder, _status = embedders.load(os.environ.get("CAREBASE_EMBEDDER") or None)
        _decided = True
        return _embedder


def available() -> bool:
    """Whether an embedding model is installed, loadable and not turned off."""
    return _load() is not None


def status() -> str:
    """One line: the model in use, or why there is none (for logs and notices)."""
    e = _load()
    if e is not None:
        return f"meaning: {e.model_id} ({e.dim} dimensions)"
    return _status or "meaning is unavailable"


def _require() -> embedders.Embedder:
    e = _load()
    if e is None:
        raise RuntimeError(status())
    return e


def warm() -> bool:
    """Load now what the first query's embedding would load (the model's session), so a
    service's first search is as fast as the others. False when meaning is unavailable, or
    when the session cannot be opened: meaning is then off for this process and ``status``
    says why (as when the model did not load), so a search opened after this stays lexical."""
    global _embedder, _status
    e = _load()
    if e is None:
        return False
    try:
        e.warm()
    except Exception as exc:  # a broken onnxruntime install: lexical, said in one line
        with _lock:
            _embedder = None
            _status = (f"{e.name}: could not load ({type(exc).__name__}: {exc}): search is lexical only; "
                       f"reinstall carebase (pip install -e .) to get meaning")
        return False
    return True


def languages() -> frozenset[str]:
    """The languages the model knows (``Embedder.languages``: base codes); empty without a model."""
    e = _load()
    return e.languages if e is not None else frozenset()


def knows(language: str | None) -> bool:
    """Whether meaning is used on the pages of ``language`` (a help centre's code: "de",
    "pt-BR"; "" or None: English, as a catalogue that names none is read): a model is loaded
    and was trained on that language. Elsewhere search, the answer API and the gap report stay
    lexical: an English model's cosines to German text are noise that outvoted the words
    ("Werkseinstellungen" made billing FAQs strong; RESULTS.md, "Meaning per language")."""
    base = (language or "en").split("-")[0].lower()
    return base in languages()


def model_id() -> str:
    """The model and its version, e.g. for cache keys; changes when vectors would."""
    return _require().model_id


def dim() -> int:
    return _require().dim


def _clean(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("expected a sequence of texts, found one str (wrap it in a list)")
    return [t if isinstance(t, str) else str(t) for t in texts]


def _embed(texts: Sequence[str], kind: str) -> np.ndarray:
    e = _require()
    texts = _clean(texts)
    if not texts:
        return np.zeros((0, e.dim), dtype=np.float32)
    return e.embed(texts, kind=kind)


def embed_queries(texts: Sequence[str]) -> np.ndarray:
    """float32 [n, d], L2-normalised: what customers typed."""
    return _embed(texts, "query")


def embed_passages(texts: Sequence[str]) -> np.ndarray:
    """float32 [n, d], L2-normalised: what the content says (titles, summaries, bodies)."""
    return _embed(texts, "passage")


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """float32 [n, d], L2-normalised: like-for-like texts compared with each other (customer
    wordings to cluster); the same as ``embed_queries`` for short texts."""
    return embed_queries(texts)


def embed_query(text: str) -> np.ndarray:
    """One query's vector (float32 [d]), from an in-memory LRU cache when seen recently."""
    e = _require()
    key = f"{e.model_id}\0{text}"
    with _lock:
        found = _query_cache.get(key)
        if found is not None:
            _query_cache.move_to_end(key)
            return found
    vec = e.embed([text], kind="query")[0]
    vec.setflags(write=False)
    with _lock:
        _query_cache[key] = vec
        while len(_query_cache) > QUERY_CACHE_SIZE:
            _query_cache.popitem(last=False)
    return vec


def reset() -> None:
    """Forget the loaded model and decision (tests, or after changing the environment)."""
    global _embedder, _status, _decided
    with _lock:
        _embedder, _status, _decided = None, None, False
        _query_cache.clear()
