"""``LiveOutput``: the current build output of a folder, followed while a service runs.

The stamp is checked at most once a second (``CHECK_SECONDS``); when another build has made
a new revision current, the next caller gets it — its manifest at once, its searcher when
its index is written (the previous one answers until then). ``recheck()`` reads the stamp sooner, for a caller
about to refuse an item it does not know, but at most once every ``RECHECK_SECONDS`` (a flood
of bogus item ids never makes every request read the stamp). A folder without an output yet
(``carebase serve`` before its first build) gives None until one appears; an output that
cannot be opened keeps the last good one (a warning says why).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from carebase.output import formats
from carebase.output import stamp as stamps
from carebase.output.opened import BuildOutput, OutputError

log = logging.getLogger("carebase.output")
CHECK_SECONDS = 1.0
RECHECK_SECONDS = 0.1  # the least time between two stamp reads when a caller asks for one now


class LiveOutput:
    def __init__(self, folder, *, check_every: float | None = None, recheck_every: float = RECHECK_SECONDS):
        self.folder = Path(folder)
        self._check_every = CHECK_SECONDS if check_every is None else check_every
        self._recheck_every = recheck_every
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._raw: dict | None = None
        self._current: BuildOutput | None = None
        self._searching: BuildOutput | None = None  # the output whose searcher answers
        self._opening: threading.Thread | None = None
        self._failed = None  # an index that could not be opened: not tried again
        self._refused: dict | None = None  # the stamp of an output in another format (never read again)
        self._said: dict | None = None  # the stamp of the last output that could not be used (said once)
        self._listeners: list = []

    def on_change(self, listener) -> None:
        """Call ``listener(output)`` each time another output becomes current (in the thread that
        noticed it, so it must be quick: the service's region starts a thread of its own)."""
        self._listeners.append(listener)

    def current(self) -> BuildOutput | None:
        """The newest output (None before the first build)."""
        now = time.monotonic()
        if now - self._checked >= self._check_every:
            with self._lock:
                if now - self._checked >= self._check_every:
                    self._checked = now
                    self._refresh()
        return self._current

    def recheck(self) -> BuildOutput | None:
        """The newest output, reading the stamp now (not after the interval): for a caller about
        to refuse something the output it holds does not know (a vote for an item a build made
        a moment ago). Rate-limited: within ``recheck_every`` of the last stamp read it gives
        the output held, without reading the stamp again."""
        with self._lock:
            now = time.monotonic()
            if now - self._checked >= self._recheck_every:
                self._checked = now
                self._refresh()
        return self._current

    def _refresh(self) -> None:
        raw = stamps.read(self.folder)
        if raw is None or raw == self._raw or raw == self._refused:
            return
        try:
            found = BuildOutput.from_stamp(self.folder, raw)
            found.manifest  # read now: a damaged output never replaces a good one
        except OutputError as exc:
            if raw != self._said:  # said once per stamp, not at every check
                if self._current is None:
                    log.warning("build output cannot be used (%s): waiting for another build", exc)
                else:
                    log.warning("build output changed but cannot be used (%s): keeping the previous one", exc)
                self._said = raw
            # an output in another format is never read again until its stamp changes; a read that
            # failed (a file being copied, a transient error) is tried again at the next check
            if formats.refusal(raw) is not None:
                self._refused = raw
            return
        if self._current is not None and self._current.revision != found.revision:
            log.info("build output %s: revision %s", self.folder, found.revision)
        self._raw, self._current = raw, found
        for listener in self._listeners:
            try:
                listener(found)
            except Exception:  # a listener's fault never keeps the output from being followed
                log.exception("build output %s: a listener failed", self.folder)

    def searcher(self, lang: str | None = None):
        """The searcher of the newest output that has its index (None when none has), in a
        language (``lang``: None for the default; raises OutputError for one the output does
        not hold). A newer index is opened in a background thread while the one held answers,
        so a reload never makes a request wait; the first one is opened at once."""
        out = self.current()
        if out is None or out.search_dir is None:
            return None
        held = self._searching
        if held is None:
            found = out.searcher(lang=lang)  # raises OutputError when it cannot be opened
            self._searching = out
            return found
        if held.search_dir != out.search_dir and self._opening is None and out.search_dir != self._failed:
            self._opening = threading.Thread(target=self._open, args=(out,), name="carebase-reload", daemon=True)
            self._opening.start()
        return self._searching.searcher(lang=lang)

    def index_catalogue(self, lang: str | None = None):
        """The catalogue of the index ``searcher(lang)`` answers with (None before one is open)."""
        held = self._searching
        return held.index_catalogue_of(lang) if held is not None else None

    def languages(self) -> tuple[str, ...]:
        """The languages the searcher answers in, the default first (() before an index is open)."""
        held = self._searching or self.current()
        return held.languages if held is not None else ()

    def _open(self, out: BuildOutput) -> None:
        try:
            for lang in out.languages:  # every language's index opens before the new output answers
                out.searcher(lang=lang)
            self._searching = out
        except OutputError as exc:
            log.warning("search index changed but cannot be opened (%s): keeping the previous one", exc)
            self._failed = out.search_dir
        finally:
            self._opening = None
