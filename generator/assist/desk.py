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

    def __init__(self, current_searcher: Callable, current_catalogue: Callable | None = None, learned=None,
                 languages: Callable[[], tuple] | None = None):
        self._searcher = current_searcher
        self._catalogue = current_catalogue
        self.learned = learned
        #: the languages the searchers answer in, the default first (None: one language)
        self.languages = languages
        self._held: dict = {}
        self._lock = threading.Lock()

    def answerer(self, lang: str | None = None) -> Answerer | None:
        """The answerer of a language (``lang``: None for the default one)."""
        searcher = self._searcher(lang) if lang else self._searcher()
        if searcher is None:
            return None
        catalogue = getattr(searcher, "catalogue", None)
        if catalogue is None and self._catalogue is not None:
            catalogue = self._catalogue(lang) if lang else self._catalogue()
        if catalogue is None:
            return None
        with self._lock:
            held = self._held.get(lang)
            if held is None or held[0] is not searcher or held[1] is not catalogue:
                held = self._held[lang] = (searcher, catalogue, Answerer(searcher, catalogue))
            return held[2]

    def answer(self, question: str, limit: int = 3, lang: str | None = None):
        answerer = self.answerer(lang)
        if answerer is None:
            return None
        snapshot = self.learned.current if self.learned is not None else None
        return answerer.answer(question, learned=snapshot, limit=limit)

    def catalogue(self, lang: str | None = None):
        answerer = self.answerer(lang)
        return answerer.catalogue if answerer is not None else None

    def search(self, query: str, limit: int = 5, lang: str | None = None):
        """The search API's own ranking (learned phrasings included), or None when not ready."""
        from carebase.learned.ranking import search

        searcher = self._searcher(lang) if lang else self._searcher()
        if searcher is None:
            return None
        snapshot = self.learned.current if self.learned is not None else None
        return search(searcher, snapshot, query, limit=limit)

