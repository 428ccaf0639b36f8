"""A persistent cache of text vectors, keyed by (model id, kind, text): embed each text once.

Keys are SHA-256 digests of the model id, the kind (``query`` or ``passage``) and the text,
so the file holds no customer text, and a new model (or model version) never reuses another's
vectors. One SQLite file (WAL: several processes may share it):

    cache = VectorCache()                        # ~/.cache/carebase/vectors.sqlite
    vecs = cache.queries(wordings)               # float32 [n, d]; only unseen texts are embedded
    cache.embedded                               # how many texts this object had to embed

The default folder is ``$CAREBASE_CACHE_DIR``, else ``$XDG_CACHE_HOME/carebase``, else
``~/.cache/carebase``; ``CAREBASE_CACHE_DIR=off`` keeps vectors in memory only.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from carebase.search import meaning

FILE = "vectors.sqlite"
#: Look-ups and inserts go to SQLite in chunks of this many keys.
CHUNK = 500


def default_path() -> Path | None:
    """Where the shared cache lives, or None when turned off (``CAREBASE_CACHE_DIR=off``)."""
    raw = os.environ.get("CAREBASE_CACHE_DIR", "").strip()
    if raw.lower() in meaning.OFF_VALUES:
        return None
    if raw:
        return Path(raw) / FILE
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "carebase" / FILE


def _key(model: str, kind: str, text: str) -> bytes:
    return hashlib.sha256(f"{model}\0{kind}\0{text}".encode("utf-8", "surrogatepass")).digest()


class VectorCache:
    """Vectors by (model id, kind, text), in SQLite at ``path`` (None: in memory only)."""

    def __init__(self, path: str | Path | None = ..., *, embed=None):
        if path is ...:
            path = default_path()
        self.path = Path(path) if path is not None else None
        self.embedded = 0  # texts this object embedded (the rest came from the cache)
        self._embed = embed  # (texts, kind) -> float32 [n, d]; default: carebase.search.meaning
        self._memory: dict[bytes, np.ndarray] = {}
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")
                db.commit()
                self._db = db
            except (OSError, sqlite3.Error):
                self._db = None  # a read-only or broken cache folder: keep vectors in memory

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.vectors(texts, "query")

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.vectors(texts, "passage")

    def vectors(self, texts: Sequence[str], kind: str) -> np.ndarray:
        """float32 [n, d], L2-normalised, in the order of ``texts``."""
        texts = list(texts)
        if self._embed is None:
            model, dim = meaning.model_id(), meaning.dim()
            embed = meaning.embed_queries if kind == "query" else meaning.embed_passages
        else:
            model, dim, embed = self._embed.model_id, self._embed.dim, lambda t: self._embed.embed(t, kind)
        keys = [_key(model, kind, t) for t in texts]
        found = self._lookup(keys)
        missing = {}
        for t, k in zip(texts, keys):
            if k not in found and k not in missing:
                missing[k] = t
        if missing:
            vecs = np.asarray(embed(list(missing.values())), dtype=np.float32)
            new = dict(zip(missing.keys(), vecs))
            self.embedded += len(new)
            self._store(new)
            found.update(new)
        out = np.empty((len(texts), dim), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = found[k]
        return out

    def known(self, texts: Sequence[str], kind: str) -> dict[str, np.ndarray]:
        """The vectors of those ``texts`` already in the cache (nothing is embedded)."""
        model = self._embed.model_id if self._embed is not None else meaning.model_id()
        keys = {_key(model, kind, t): t for t in texts}
        return {keys[k]: v for k, v in self._lookup(list(keys)).items()}

    def retain(self, texts: Sequence[str], kind: str) -> int:
        """Forget every vector of ``kind``'s model but those of ``texts`` (a cache of customer
        wordings keeps nothing of wordings no longer stored); returns how many were removed.
        Only for a cache file of its own: it removes every other key, whatever its kind."""
        model = self._embed.model_id if self._embed is not None else meaning.model_id()
        keep = {_key(model, kind, t) for t in texts}
        gone = [k for k in self._memory if k not in keep]
        for k in gone:
            del self._memory[k]
        if self._db is None:
            return len(gone)
        with self._lock:
            try:
                stale = [k for (k,) in self._db.execute("SELECT key FROM vectors") if k not in keep]
                for i in range(0, len(stale), CHUNK):
                    chunk = stale[i: i + CHUNK]
                    self._db.execute(f"DELETE FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                self._db.commit()
            except sqlite3.Error:
                return len(gone)
        return len(gone) + len(stale)

    def _lookup(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found = {k: self._memory[k] for k in keys if k in self._memory}
        rest = list({k for k in keys if k not in found})
        if self._db is None or not rest:
            return found
        with self._lock:
            for i in range(0, len(rest), CHUNK):
                chunk = rest[i: i + CHUNK]
                marks = ",".join("?" * len(chunk))
                try:
                    rows = self._db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk).fetchall()
                except sqlite3.Error:
                    return found
                for k, blob in rows:
                    found[k] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _store(self, new: dict[bytes, np.ndarray]) -> None:
        if self._db is None:
            self._memory.update(new)
            return
        with self._lock:
            try:
                self._db.executemany("INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)",
                                     [(k, v.astype(np.float32).tobytes()) for k, v in new.items()])
                self._db.commit()
            except sqlite3.Error:
                self._memory.update(new)
