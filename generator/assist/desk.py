"""What the answer API and the MCP server answer from: the current searcher and catalogue.

Both come from the service (or ``carebase mcp``) as callables, so a rebuilt index is used
as soon as the service follows it; the ``Answerer`` is made again when either changes. The
catalogue is the one the build output's index was written from
(``carebase.output.live.LiveOutput.index_catalogue``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from carebase.assist.answer import Answerer


class Answers:
    """The answerer of the current searcher and catalogue (a new one when either changes)."""

    def __init__(self, current_searcher: Callable, current_catalogue: Callable | None = None, learned=None):
        self._searcher = current_searcher
        self._catalogue = current_catalogue
        self.learned = learned
        self._held: tuple | None = None
        self._lock = threading.Lock()

    def answerer(self) -> Answerer | None:
        searcher = self._searcher()
        if searcher is None:
            return None
        catalogue = getattr(searcher, "catalogue", None)
        if catalogue is None and self._catalogue is not None:
            catalogue = self._catalogue()
        if catalogue is None:
            return None
        with self._lock:
            if self._held is None or self._held[0] is not searcher or self._held[1] is not catalogue:
                self._held = (searcher, catalogue, Answerer(searcher, catalogue))
            return self._held[2]

    def answer(self, question: str, limit: int = 3):
        answerer = self.answerer()
        if answerer is None:
            return None
        snapshot = self.learned.current if self.learned is not None else None
        return answerer.answer(question, learned=snapshot, limit=limit)

    def catalogue(self):
        answerer = self.answerer()
        return answerer.catalogue if answerer is not None else None

    def search(self, query: str, limit: int = 5):
        """The search API's own ranking (learned phrasings included), or None when not ready."""
        from carebase.learned.ranking import search

        searcher = self._searcher()
        if searcher is None:
            return None
        snapshot = self.learned.current if self.learned is not None else None
        return search(searcher, snapshot, query, limit=limit)

