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

**A region change is a refresh at once.** A snapshot holds the wordings masked with the site's
region of its refresh; when the site's region changes (a rebuild names another), the snapshot is
no longer served (``current`` is None: search ranks without learned phrasings, the lead's views
say not ready), the service's phrase caches are emptied, and a refresh starts at once rather than
at the next interval, so a national number learned before the site named its region is never
served after it (its stored row is masked again by that refresh: ``worker.learn_in_region``).

Nothing here loads the embedding model while the service starts: the worker loads its own,
and the service's copy (to embed a customer's query against the learned wordings) is loaded
by the first search that needs it (``_embed_query``), so ``carebase serve`` and ``carebase
service`` answer sooner. ``stop()`` ends the worker at once, mid-refresh too (its only
lasting state, the vector cache file, is written in SQLite transactions), instead of
waiting for a refresh to finish.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
import time
from sqlalchemy import Engine

from carebase.learned.model import Learned, Settings, VectorMemo, learn

log = logging.getLogger("carebase.learned")

REFRESH_SECONDS = 300.0
MAX_NEW = 2_000  # wordings embedded per refresh
SOON = 1.0  # seconds before the next refresh while wordings are pending
RETRY_SECONDS = 10.0  # after a failed refresh, before a region change asks for another
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
        self.vocabulary: frozenset = frozenset()  # the help centre's words the worker holds

    def learn(self, embed_query, region: tuple[str, ...] = (), vocabulary: frozenset = frozenset()) -> Learned:
        from carebase.learned.worker import read_snapshot, write_frame

        if vocabulary is not self.vocabulary:  # a new build: its words, once
            write_frame(self.process.stdin, b"words")
            write_frame(self.process.stdin, pickle.dumps(vocabulary, protocol=pickle.HIGHEST_PROTOCOL))
            self.vocabulary = vocabulary
        write_frame(self.process.stdin, pickle.dumps(("learn", tuple(region))))
        return read_snapshot(self.process.stdout, embed_query)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 5) -> None:
        """End the worker now, mid-refresh too: a refresh waiting on it fails (EOF). Nothing is
        lost: the snapshot it was making is made again at the next start, and its cache file is
        written in SQLite transactions."""
        try:
            self.process.stdin.close()
        except OSError:
            pass
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()


class Refresher:
    def __init__(self, engine: Engine, settings: Settings = Settings(), *, interval: float = REFRESH_SECONDS,
                 use_meaning: bool = True, max_new: int = MAX_NEW, cache=..., region=None, vocabulary=None):
        """``cache``: the file for wording vectors across restarts (default: beside the shared
        vector cache; None: the worker's memory only). ``region``: what gives the site's region
        codes at each refresh (the service's: its build output's, followed as it is rebuilt).
        ``vocabulary``: a function giving the help centre's words now (``blocks.site_vocabulary``
        of the build output's index; the same object while the build is unchanged), never read as
        typos of a blocked word."""
        self._vocabulary = vocabulary
        self.engine = engine
        self._region = region or (lambda: ())
        self._last_region: tuple[str, ...] | None = None
        #: the snapshot and the region its wordings were masked with, set and read as one
        self._held: tuple[Learned | None, tuple[str, ...]] = (None, ())
        self._learning_region: tuple[str, ...] = ()
        self._wake = threading.Event()  # a refresh at once (the region changed)
        self._failed: tuple[tuple[str, ...], float] | None = None  # the region and time of the last failed refresh
        self.settings = settings
        self.interval = interval
        self.refreshing = False
        self.errors = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._worker: _Worker | None = None
        self._use_meaning = use_meaning
        self._max_new = max_new
        self._in_process = _in_memory(engine)
        self._memo = None  # in-process learning's wording vectors (made at its first refresh)
        self._memo_made = False
        # the worker decides whether meaning is available (it loads the model, not us)
        self._config = {"url": engine.url.render_as_string(hide_password=False), "settings": settings,
                        "use_meaning": use_meaning, "max_new": max_new,
                        "cache": _cache_path() if cache is ... else cache}

    @property
    def current(self) -> Learned | None:
        """The snapshot search and the lead's views use: None before the first, and while the
        one held was learned under another region than the site's now (a refresh is then
        started at once: ``region_changed``)."""
        snapshot, region = self._held
        if snapshot is not None and region != self._region_now():
            self.region_changed()
            return None
        return snapshot

    @current.setter
    def current(self, snapshot: Learned | None) -> None:
        self._held = (snapshot, self._region_now())

    def _region_now(self) -> tuple[str, ...]:
        try:
            return tuple(self._region())
        except Exception:  # never on the request path's account: an unreadable region is no region
            log.exception("learned phrasings: the site's region could not be read")
            return ()

    def region_changed(self) -> None:
        """The site's region changed: the service's phrase caches (wordings masked with the
        previous region) are emptied and a refresh starts at once."""
        now = self._region_now()
        if self._wake.is_set() or (self.refreshing and self._learning_region == now):
            return  # a refresh under the new region is asked for or running
        if self._failed is not None and self._failed[0] == now and time.monotonic() - self._failed[1] < self._retry_after():
            return  # one under it failed just now: not again at every request (the snapshot stays unserved)
        from carebase.learned import phrases

        phrases.normalise.cache_clear()
        phrases.tokens.cache_clear()
        self._wake.set()

    def _retry_after(self) -> float:
        """Seconds after a failed refresh before a region change asks for another: at least
        ``RETRY_SECONDS``, a tenth of the interval on a slower schedule."""
        return max(RETRY_SECONDS, self.interval / 10)

    @staticmethod
    def _embed_query(text: str):
        """A customer's query as a vector, by the search's model, loaded by the first call (only
        snapshots with embedded wordings call it: the worker had the model, so it is there)."""
        from carebase.search import meaning

        return meaning.embed_query(text)

    def _in_process_memo(self) -> VectorMemo | None:
        if not self._memo_made:
            from carebase.learned.nearest import meaning_or_none

            meaning = meaning_or_none() if self._use_meaning else None
            if meaning is not None:
                self._memo = VectorMemo(meaning.embed_queries, meaning.model_id(), max_new=self._max_new)
            self._memo_made = True
        return self._memo

    @property
    def worker_pid(self) -> int | None:
        """The worker process's id (None before the first refresh, or when learning in-process)."""
        worker = self._worker
        return worker.pid if worker is not None and worker.alive() else None

    def _words(self) -> frozenset:
        if self._vocabulary is None:
            return frozenset()
        try:
            return self._vocabulary() or frozenset()
        except Exception as exc:  # no build output yet, or an index that cannot be opened
            log.debug("learned phrasings: no help-centre vocabulary for the blocks (%s)", exc)
            return frozenset()

    def _learn(self) -> Learned:
        vocabulary = self._words()
        region = self._learning_region  # read by refresh_now
        if self._in_process:
            memo = self._in_process_memo()
            last, self._last_region = self._last_region, region
            from carebase.learned.worker import learn_in_region

            return learn_in_region(region, last, lambda: learn(self.engine, self.settings, memo=memo,
                                                               embed_query=self._embed_query if memo else None,
                                                               vocabulary=vocabulary))
        if self._stop.is_set():
            raise RuntimeError("the service is stopping")  # no new worker once stop() has begun
        if self._worker is None or not self._worker.alive():
            if self._worker is not None:
                self._worker.stop()
            self._worker = _Worker(self._config)
        worker = self._worker
        try:
            return worker.learn(self._embed_query, region, vocabulary)
        except (EOFError, OSError, pickle.UnpicklingError, ValueError):  # ValueError: its pipe closed by stop()
            worker.stop()
            if self._worker is worker:
                self._worker = None  # started again at the next refresh
            raise

    def refresh_now(self) -> Learned | None:
        with self._lock:
            self.refreshing = True
            self._learning_region = self._region_now()  # the region this refresh masks with
            try:
                snapshot = self._learn()
            except Exception as exc:
                if self._stop.is_set():
                    return self.current  # the service is stopping: the worker was stopped
                self.errors += 1
                self._failed = (self._learning_region, time.monotonic())
                log.warning("learned phrasings: refresh failed, keeping the previous snapshot (%s)", exc)
                return self.current
            finally:
                self.refreshing = False
            self._held = (snapshot, self._learning_region)
            self._failed = None
            log.info("learned phrasings: %d ties, %d wordings (%d waiting to be embedded) in %.2f s",
                     len(snapshot.ties), len(snapshot.nearest), snapshot.pending, snapshot.seconds)
            return snapshot

    def _run(self) -> None:
        self.refresh_now()
        while True:
            self._wake.wait(self._next())  # the interval, or at once when the region changed
            self._wake.clear()
            if self._stop.is_set():
                break
            self.refresh_now()

    def _next(self) -> float:
        snapshot = self._held[0]
        pending = snapshot is not None and snapshot.pending > 0
        return min(self.interval, SOON) if pending else self.interval

    def start(self) -> None:
        if self._thread is None and self.interval > 0:
            self._thread = threading.Thread(target=self._run, name="carebase-learned", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop(timeout / 2)  # a refresh waiting on it fails at once and the thread ends
        if self._thread is not None:
            self._thread.join(timeout / 2)
        late, self._worker = self._worker, None  # started by a refresh that began just before stop()
        if late is not None:
            late.stop(timeout / 2)

