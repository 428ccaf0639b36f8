"""What ``carebase serve`` shows in the writer's open page when the content has a problem.

The board listens to MkDocs' log while a build runs and keeps the problems that fail it:
errors, and with ``--strict`` warnings too; without it, a warning on the line of a shown error
is shown with that error, as it often says what to fix ("titel: … did you mean 'title'?" beside
"title: expected text, found nothing"). An error that only follows from another ("… whose file
has an error that leaves it out (faq/account.yml:2): fix that error first") is listed under the
error it names, so the page opens on the cause, not on its consequences. A content problem's record carries the problem
itself (carebase.plugins.site.adapters.report: its file, line and field); the board adds the
lines of the file around it, as the error overlays of JavaScript dev servers show them. The
preview server (carebase.cli._watching.Server) answers ``/.carebase/problems.json`` with the
board, holding the request until it changes (a long poll, like MkDocs' own live reload), and
every page it serves loads ``/.carebase/problems.js``, which draws them over the page and takes
them away once a build has none (carebase/cli/preview_problems.js).

Outcomes of a build, as the page words them:

- ``ok``: no problem; ``left-out``: errors, their items left out of the preview (as
  ``carebase build`` leaves them out);
- ``kept``: the change was not applied: a new content error (carebase.plugins.site.kept) or
  a mkdocs.yml that does not load; the site served is the one from before the change;
- ``failed``: the build stopped part way (with ``--strict``, warnings stop it at its end).
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

MAX_PROBLEMS = 50  # the page lists these; the terminal has them all
EXCERPT = 2  # lines of the file before and after the problem's line
LINE_CHARS = 240  # a line of the excerpt is cut after this many characters

_DOC_FILE = re.compile(r"Doc file '([^']+)'")
_CAUSE = re.compile(r"an error that leaves it out \(([^()]+)\): fix that error first")


class Board:
    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self.version = 0
        self.state = "ok"
        self.problems: list[dict] = []
        self.applied: list[dict] = []  # the problems of the site served (a kept change's are not)
        self.total = 0  # the problems of the last build (the page lists MAX_PROBLEMS)
        self.saved: set[str] | None = None  # the files a save rendered in place (updated_in_place)
        self._changed = threading.Condition()
        self._running: list[logging.LogRecord] | None = None
        self._handler = _Listener(self)

    # -- the build ---------------------------------------------------------------------------
    def install(self, logger: str = "mkdocs") -> "Board":
        logging.getLogger(logger).addHandler(self._handler)
        return self

    def uninstall(self, logger: str = "mkdocs") -> None:
        logging.getLogger(logger).removeHandler(self._handler)

    def begin(self) -> None:
        """A build (or a save rendered in place) starts: its records are collected."""
        self._running = []
        self.saved = None

    def updated_in_place(self, files) -> None:
        """The change was rendered without a full build (plugins/site/preview.py): the saved
        ``files`` (absolute paths) have no problem now, the others keep theirs."""
        self.saved = {str(Path(f)) for f in files}

    def end(self, failure: BaseException | None = None, kept: bool = False) -> None:
        """The build is over: publish its problems (``failure``: what stopped it)."""
        records, self._running = self._running or [], None
        problems = _arranged([self._entry(r) for r in records], self.strict)
        if failure is None and self.saved is not None and not problems:
            # a save rendered in place: the site served keeps its other files' problems (a change
            # not applied before it is now: its problems were never the site's)
            problems = [p for p in self.applied if p.get("_file") not in self.saved]
        if failure is not None and not problems:  # what stopped it, when nothing was logged before
            problems.append({"file": "", "line": 0, "field": "", "severity": "error", "message": _said(failure),
                             "excerpt": []})
        if kept:
            state = "kept"
        elif failure is not None:
            state = "failed"
        else:
            state = "left-out" if problems else "ok"
        read: dict[str, list[str] | None] = {}  # each file read once a build, whatever its problems
        for p in problems[:MAX_PROBLEMS]:  # the page lists these; the others get theirs if shown later
            if p["excerpt"] is None:
                p["excerpt"] = excerpt(p.get("_file", ""), p["line"], read)
        with self._changed:
            if not kept:
                self.applied = problems
            self.problems, self.state = problems[:MAX_PROBLEMS], state
            self.total = len(problems)
            self.version += 1
            self._changed.notify_all()

    def collect(self, record: logging.LogRecord) -> None:
        running = self._running
        if running is not None and record.levelno >= logging.WARNING:  # end() picks the warnings shown
            running.append(record)

    # -- the page ----------------------------------------------------------------------------
    def snapshot(self) -> dict:
        with self._changed:
            return {"version": self.version, "state": self.state, "strict": self.strict,
                    "total": self.total,
                    "problems": [{k: v for k, v in p.items() if not k.startswith("_")} for p in self.problems]}

    def wait(self, after: int, timeout: float) -> dict:
        """The board once its version is past ``after`` (at once when it is), or after ``timeout``."""
        with self._changed:
            self._changed.wait_for(lambda: self.version > after, timeout=timeout)
        return self.snapshot()

    # -- one problem -------------------------------------------------------------------------
    def _entry(self, record: logging.LogRecord) -> dict:
        severity = "error" if record.levelno >= logging.ERROR else "warning"
        problem = getattr(record, "carebase_problem", None)
        if problem is not None:
            file = getattr(record, "carebase_file", "")
            return {"file": getattr(record, "carebase_shown", problem.path), "line": problem.line,
                    "field": problem.field, "message": getattr(record, "carebase_message", problem.message),
                    "severity": severity,
                    "excerpt": None, "_file": str(Path(file)) if file else "",  # made in end(), if shown
                    "_at": f"{problem.path}:{problem.line}" if problem.line else problem.path,
                    "_said": problem.message}  # its cause named as the content folder names files
        message = record.getMessage()
        named = _DOC_FILE.search(message)  # MkDocs' link checks name the page: "Doc file 'a.md' contains …"
        return {"file": named.group(1) if named else "", "line": 0, "field": "", "severity": severity,
                "message": message.removeprefix("carebase: "), "excerpt": []}


def _arranged(problems: list[dict], strict: bool) -> list[dict]:
    """The problems as the page lists them: each error, then the warnings on its line (without
    ``strict`` the only warnings shown), then the errors that name it as their cause; the rest
    in the order the build logged them."""
    errors_at = {p["_at"] for p in problems if p["severity"] == "error" and p.get("_at")}

    def follows(p: dict) -> str | None:
        """The place of the error ``p`` is listed under, if any."""
        if p["severity"] == "warning":
            return p.get("_at") if p.get("_at") in errors_at else None
        named = _CAUSE.search(p.get("_said", ""))
        cause = named.group(1) if named else None
        return cause if cause in errors_at and cause != p.get("_at") else None

    under: dict[str, list[dict]] = {}
    top: list[dict] = []
    for p in problems:
        at = follows(p)
        if at is not None:
            under.setdefault(at, []).append(p)
        elif p["severity"] == "error" or strict:
            top.append(p)
    listed: list[dict] = []

    def add(p: dict) -> None:
        listed.append(p)
        if p["severity"] == "error" and p.get("_at"):
            for q in sorted(under.pop(p["_at"], []), key=lambda q: q["severity"] == "error"):
                add(q)

    for p in top:
        add(p)
    for rest in under.values():  # causes that are themselves consequences, in a ring
        listed.extend(rest)
    return listed


class _Listener(logging.Handler):
    def __init__(self, board: Board) -> None:
        super().__init__(logging.WARNING)
        self.board = board

    def emit(self, record: logging.LogRecord) -> None:
        self.board.collect(record)


def excerpt(file: str, line: int, read: dict[str, list[str] | None] | None = None) -> list[list]:
    """The lines ``line - EXCERPT`` … ``line + EXCERPT`` of ``file`` as ``[number, text]``
    (cut at LINE_CHARS), [] when there is no line or the file cannot be read. ``read``: the
    files read so far (path → lines, None: unreadable), so that 4,000 problems in one imported
    FAQ file read it once, not 4,000 times (reader 46, R2: 5 s a save)."""
    if not file or line <= 0:
        return []
    read = {} if read is None else read
    if file not in read:
        try:
            with open(file, encoding="utf-8", errors="replace") as f:
                read[file] = f.read(4_000_000).splitlines()
        except OSError:
            read[file] = None
    lines = read[file]
    if lines is None:
        return []
    first, last = max(1, line - EXCERPT), min(len(lines), line + EXCERPT)
    return [[n, lines[n - 1][:LINE_CHARS]] for n in range(first, last + 1)]


def _said(failure: BaseException) -> str:
    text = str(failure).strip() or type(failure).__name__
    return text.removeprefix("carebase: ")
