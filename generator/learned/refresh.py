"""Keep the service's learned snapshot fresh, off the request path.

``Refresher.start()`` learns at once (in the background: the service answers with no
learned ranking until the first snapshot is ready), then every ``interval`` seconds
(default ``REFRESH_SECONDS``; ``--learn-every``), and sooner while wordings wait to be
embedded. ``refresh_now()`` relearns at once and waits (after a lead blocks a phrasing).

The work — one ordered read of the window's journey events, folding them in Python,
embedding new wordings — runs in a worker process (``worker.py``) at a lower CPU priority
with one embedding thread, so search never waits for it: requests keep being answered
with the previous snapshot, and the new one replaces it whole when it is ready. Each
refresh embeds at most ``MAX_NEW`` new wordings (the best supported first; the rest are
``pending`` and come with the next refreshes), and wording vectors are kept in the worker
and in a cache file of their own (``learned-vectors.sqlite`` beside the shared vector
cache), so a restart does not embed them again; it keeps only the wordings still learned
from. A failed refresh logs one warning and keeps the previous snapshot (a worker that
died is started again at the next refresh). An in-memory SQLite store, which another
process cannot open, is learned from in a thread of the service instead.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from sqlalchemy import Engine

from carebase.learned.model import Learned, Settings, VectorMemo, learn

log = logging.getLogger("carebase.learned")

REFRESH_SECONDS = 300.0
MAX_NEW = 2_000  # wordings embedded per refresh
SOON = 1.0  # seconds before the next refresh while wordings are pending
CACHE_FILE = "learned-vectors.sqlite"


def _cache_path() -> str | None:
    from carebase.search.vector_cache import default_path

    shared = default_path()
    return str(shared.with_name(CACHE_FILE)) if shared is not None else None


def _in_memory(engine: Engine) -> bool:
    url = engine.url
    return url.get_backend_name() == "sqlite" and (url.database or ":memory:") in (":memory:", "")


class _Worker:
    """The worker process and its pipes (see ``worker.py``)."""

    def __init__(self, config: dict):
        from carebase.children import child_env

        env = child_env({**os.environ, "CAREBASE_EMBED_THREADS": "1", "PYTHONUNBUFFERED": "1"})  # ends with us
        self.process = subprocess.Popen([sys.executable, "-m", "carebase.learned.worker"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env)
        from carebase.learned.worker import write_frame

        write_frame(self.process.stdin, pickle.dumps(config))

    def learn(self, embed_query) -> Learned:
        from carebase.learned.worker import read_snapshot, write_frame

        write_frame(self.process.stdin, b"learn")
        return read_snapshot(self.process.stdout, embed_query)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 5) -> None:
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()


class Refresher:
    def __init__(self, engine: Engine, settings: Settings = Settings(), *, interval: float = REFRESH_SECONDS,
                 use_meaning: bool = True, max_new: int = MAX_NEW, cache=...):
        """``cache``: the file for wording vectors across restarts (default: beside the shared
        vector cache; None: the worker's memory only)."""
        self.engine = engine
        self.settings = settings
        self.interval = interval
        self.current: Learned | None = None
        self.refreshing = False
        self.errors = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._worker: _Worker | None = None
        from carebase.learned.nearest import meaning_or_none

        meaning = meaning_or_none() if use_meaning else None
        self._embed_query = meaning.embed_query if meaning is not None else None
        self._in_process = _in_memory(engine)
        self._memo = None
        if self._in_process and meaning is not None:
            self._memo = VectorMemo(meaning.embed_queries, meaning.model_id(), max_new=max_new)
        self._config = {"url": engine.url.render_as_string(hide_password=False), "settings": settings,
                        "use_meaning": meaning is not None, "max_new": max_new,
                        "cache": _cache_path() if cache is ... else cache}

    @property
    def worker_pid(self) -> int | None:
        """The worker process's id (None before the first refresh, or when learning in-process)."""
        worker = self._worker
        return worker.pid if worker is not None and worker.alive() else None

    def _learn(self) -> Learned:
        if self._in_process:
            return learn(self.engine, self.settings, memo=self._memo, embed_query=self._embed_query)
        if self._worker is None or not self._worker.alive():
            if self._worker is not None:
                self._worker.stop()
            self._worker = _Worker(self._config)
        try:
            return self._worker.learn(self._embed_query)
        except (EOFError, OSError, pickle.UnpicklingError):
            self._worker.stop()
            self._worker = None  # started again at the next refresh
            raise

    def refresh_now(self) -> Learned | None:
        with self._lock:
            self.refreshing = True
            try:
                snapshot = self._learn()
            except Exception as exc:
                if self._stop.is_set():
                    return self.current  # the service is stopping: the worker was stopped
                self.errors += 1
                log.warning("learned phrasings: refresh failed, keeping the previous snapshot (%s)", exc)
                return self.current
            finally:
                self.refreshing = False
            self.current = snapshot
            log.info("learned phrasings: %d ties, %d wordings (%d waiting to be embedded) in %.2f s",
                     len(snapshot.ties), len(snapshot.nearest), snapshot.pending, snapshot.seconds)
            return snapshot

    def _run(self) -> None:
        self.refresh_now()
        while not self._stop.wait(self._next()):
            self.refresh_now()

    def _next(self) -> float:
        pending = self.current is not None and self.current.pending > 0
        return min(self.interval, SOON) if pending else self.interval

    def start(self) -> None:
        if self._thread is None and self.interval > 0:
            self._thread = threading.Thread(target=self._run, name="carebase-learned", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop(timeout / 2)  # a refresh waiting on it fails and the thread ends
        if self._thread is not None:
            self._thread.join(timeout / 2)

