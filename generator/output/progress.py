"""Progress notes of a long build step on a terminal (quiet in CI and when piped).

Embedding a cold multilingual build's search records takes minutes (about 18 CPU-minutes for
14,000 German texts on 2 cores with an empty vector cache), so the writer sees how far it is:

    carebase: embedding the German search records for meaning: 2,560 of 14,000 (1 min 12 s)

A note at most every ``EVERY`` seconds, the first once the step has run that long (a warm
cache embeds nothing and prints nothing), and a last one when it ends if any was printed.
Shown when stderr is a terminal and ``CI`` is not set, as ``carebase build`` and
``carebase report`` decide; ``CAREBASE_PROGRESS=1``/``0`` decides instead (the build's
index worker process writes to a pipe: its parent passes ``CAREBASE_PROGRESS=1`` on and
copies the notes to its own terminal, see ``worker.py``). ``CAREBASE_PROGRESS_EVERY``
sets the seconds between notes.
"""

from __future__ import annotations

import os
import sys
import time

#: Seconds between two notes (and before the first); ``CAREBASE_PROGRESS_EVERY`` sets it.
EVERY = 5.0
#: Worker processes start the lines they mean for the terminal with this mark.
MARK = "carebase-progress: "


def wanted() -> bool:
    """Whether progress notes are shown here."""
    forced = os.environ.get("CAREBASE_PROGRESS", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    try:
        terminal = sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
    return terminal and not os.environ.get("CI")


def _every() -> float:
    try:
        return max(0.0, float(os.environ.get("CAREBASE_PROGRESS_EVERY", EVERY)))
    except ValueError:
        return EVERY


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


class Notes:
    """``notes(done, total)``: a note on ``stream`` at most every ``every`` seconds."""

    def __init__(self, what: str, *, every: float | None = None, stream=None, mark: str = ""):
        self.what = what
        self.every = every if every is not None else _every()
        self.stream = stream
        self.mark = mark
        self.started = time.monotonic()
        self.last = self.started
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < self.every:
            return
        if done >= total and not self.shown and now - self.started < self.every:
            return  # a short step: nothing to say
        self.last = now
        self.shown += 1
        stream = self.stream or sys.stderr
        print(f"{self.mark}carebase: {self.what}: {done:,} of {total:,} ({_duration(now - self.started)})",
              file=stream, flush=True)


def notes(what: str):
    """A progress callback for ``what`` when notes are wanted here, else None. In a worker
    process (``CAREBASE_PROGRESS=1`` with stderr a pipe) the lines carry ``MARK``."""
    if not wanted():
        return None
    try:
        piped = not sys.stderr.isatty()
    except (AttributeError, ValueError):
        piped = True
    return Notes(what, mark=MARK if piped else "")
