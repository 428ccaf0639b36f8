"""Keep the service's learned snapshot fresh: a background thread relearns every interval.

``Refresher.start()`` learns once at once (in the background: the service answers with
no learned ranking until the first snapshot is ready, typically well under a second on a
small store), then every ``interval`` seconds (default ``REFRESH_SECONDS``; ``--learn-every``).
``refresh_now()`` relearns at once and waits (after a lead blocks a phrasing, say). A
failed refresh logs one warning and keeps the previous snapshot. The cost is one ordered
read of the window's journey events plus a little Python per distinct wording; new
wordings are embedded once and remembered (``VectorMemo``).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from carebase.learned.model import Learned, Settings, VectorMemo, learn

log = logging.getLogger("carebase.learned")

REFRESH_SECONDS = 300.0


def _meaning():
    """The search's embedding model (``carebase.search.meaning``) when it is available."""
    try:
        from carebase.search import meaning
    except ImportError:
        return None
    try:
        return meaning if meaning.available() else None
    except Exception:  # a broken model: learned ranking falls back to TF-IDF
        return None


class Refresher:
    def __init__(self, engine: Engine, settings: Settings = Settings(), *, interval: float = REFRESH_SECONDS,
                 use_meaning: bool = True):
        self.engine = engine
        self.settings = settings
        self.interval = interval
        self.current: Learned | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        meaning = _meaning() if use_meaning else None
        self._embed_query = meaning.embed_query if meaning is not None else None
        self._memo = VectorMemo(meaning.embed_queries, meaning.model_id()) if meaning is not None else None
        self.errors = 0

    def refresh_now(self) -> Learned | None:
        with self._lock:
            try:
                snapshot = learn(self.engine, self.settings, memo=self._memo, embed_query=self._embed_query)
            except Exception as exc:
                self.errors += 1
                log.warning("learned phrasings: refresh failed, keeping the previous snapshot (%s)", exc)
                return self.current
            self.current = snapshot
            log.info("learned phrasings: %d ties, %d wordings in %.2f s", len(snapshot.ties),
                     len(snapshot.nearest), snapshot.seconds)
            return snapshot

    def _run(self) -> None:
        self.refresh_now()
        while not self._stop.wait(self.interval):
            self.refresh_now()

    def start(self) -> None:
        if self._thread is None and self.interval > 0:
            self._thread = threading.Thread(target=self._run, name="carebase-learned", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
