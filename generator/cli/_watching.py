"""How ``carebase serve`` notices a saved file: the system's own file events, not MkDocs' polling.

MkDocs' live-reload server polls: every 0.5 s it lists and stats every file under the watched
folders and compares the lists. At 10,000 items that is about 0.1 s of the serving process's
CPU twice a second, taken from the rendering of the saves, and a save is noticed up to 0.5 s
late. ``Server`` is MkDocs' server with the platform's native observer (inotify on Linux,
FSEvents on macOS, ReadDirectoryChangesW on Windows), told only of changes (a file created,
written, closed after writing, moved or deleted; not a file read, which the build does to
every file). When the native observer cannot start (no inotify instance left, say), it says
so and polls as MkDocs does.

MkDocs' server also answers every request with the whole file, ignoring ``Range``: a browser
then cannot seek a self-hosted video (its ``seekable`` is empty), so a chapter link played the
video from 0:00 in the preview while it seeks on any static host. ``Server`` answers a
``Range: bytes=…`` request for a file with its part (206, ``Content-Range``).

A build that fails no longer leaves MkDocs' server "stuck until build errors are resolved"
(every request waited for a build that never came): ``Server`` runs each build through
``_guarded``, which publishes its problems on the page banner's board (_preview_board.py),
served at ``/.carebase/problems.json`` to ``/.carebase/problems.js`` in every page; when the
change was not applied (a new content error, caught before MkDocs empties the site folder, or
a mkdocs.yml that does not load) the last site stays served and the open pages are not reloaded.
"""

from __future__ import annotations

import logging
import re
import wsgiref.util
from pathlib import Path

import watchdog.events as ev
import watchdog.observers
from mkdocs.exceptions import ConfigurationError
from mkdocs.livereload import LiveReloadServer

from carebase.cli._preview_board import Board

log = logging.getLogger("mkdocs.commands.serve")


class _BrokenInherit(ConfigurationError):
    """An INHERIT chain that cannot be followed, with its place (option_lines.inherit_problem)."""

    def __init__(self, said: str, place, message: str):
        super().__init__(said)
        self.place, self.message = place, message

BOARD_PATH = "/.carebase/"  # the page banner's script and board, beside MkDocs' /livereload/
BOARD_WAIT = 25.0  # seconds a request for the board is held when nothing changes
BANNER_SCRIPT = Path(__file__).with_name("preview_problems.js")

RANGE = re.compile(r"bytes=(\d*)-(\d*)")

CHANGES = (ev.FileCreatedEvent, ev.FileModifiedEvent, ev.FileClosedEvent, ev.FileMovedEvent, ev.FileDeletedEvent,
           ev.DirCreatedEvent, ev.DirModifiedEvent, ev.DirMovedEvent, ev.DirDeletedEvent)


class ChangesObserver(watchdog.observers.Observer):
    """The platform's native observer, told only of changes; starting it twice is starting it once."""

    def __init__(self) -> None:
        super().__init__()
        self.scheduled: list[tuple] = []

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None):
        self.scheduled.append((event_handler, path, recursive))
        return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or CHANGES)

    def start(self) -> None:
        if not self.is_alive():
            super().start()


def _part(file, length: int, block: int = 64 * 1024):
    """``length`` bytes of ``file`` from where it stands, a block at a time, then closed: a
    browser asks a video for ``bytes=N-`` on every seek, and reading the rest of a screen
    recording at once held all of it in memory before the first byte went out."""
    with file:
        while length > 0:
            data = file.read(min(block, length))
            if not data:
                return
            length -= len(data)
            yield data


class _KeptQuiet(logging.Filter):
    """MkDocs says "Reloading browsers" after every build; after one that kept the last site
    nothing reloads, so that line is left out then."""

    def __init__(self) -> None:
        super().__init__()
        self.kept = False

    def filter(self, record: logging.LogRecord) -> bool:
        if self.kept and "Reloading browsers" in record.getMessage():
            self.kept = False
            return False
        return True


class Server(LiveReloadServer):
    def __init__(self, *args, board: Board | None = None, config_file: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.config_file = config_file  # mkdocs.yml: its INHERIT chain checked before each build
        self._polling = self.observer
        self.observer = ChangesObserver()
        self.board = board or Board()
        self.board.begin()  # MkDocs' serve builds the site once before it serves
        self._build, self.builder = self.builder, self._guarded
        self._quiet = _KeptQuiet()
        logging.getLogger("mkdocs.livereload").addFilter(self._quiet)

    def serve(self, *args, **kwargs):
        self.board.end()  # the first build's problems
        self.start_observer()
        try:
            return super().serve(*args, **kwargs)
        finally:
            logging.getLogger("mkdocs.livereload").removeFilter(self._quiet)

    @property
    def error_handler(self):
        return self._error_handler

    @error_handler.setter
    def error_handler(self, handler) -> None:
        """MkDocs' serve answers a missing page with the site's 404.html, but without its
        live-reload script: a page that was missing (an item an error left out) stayed on "We
        can't find that page" after the fix. The 404 page gets both scripts, the live reload's
        and the banner's, as every page does."""

        def with_scripts(code):
            content = handler(code)
            if content is not None and self._watched_paths:
                with self._epoch_cond:
                    epoch = self._visible_epoch
                content = self._inject_js_into_html(content, epoch)
            return content

        self._error_handler = with_scripts

    def _guarded(self, *args, **kwargs) -> None:
        """MkDocs' build for a change, its problems published on the board. A change that was
        not applied (a new content error: PreviewKept; mkdocs.yml does not load or its carebase
        options have errors: ConfigurationError, raised before the site folder is emptied)
        keeps the last site: served as it is, the open pages not reloaded. Any other failure
        reloads them onto what the build wrote, the banner saying it stopped."""
        from mkdocs import exceptions

        from carebase.plugins.site.kept import PreviewKept

        self.board.begin()
        try:
            self._refuse_broken_inherit()
            self._build(*args, **kwargs)
        except (Exception, exceptions.Abort) as exc:  # Abort is a SystemExit
            kept = isinstance(exc, (PreviewKept, exceptions.ConfigurationError))
            placed = self._config_problem(exc) if isinstance(exc, exceptions.ConfigurationError) else None
            if placed is not None:  # in the banner at its file and line, with the lines around it
                self._log_problem(placed)
            self.board.end(exc, kept=kept)
            if kept:
                log.warning(f"carebase serve: {placed or exc}" + ("" if isinstance(exc, PreviewKept) else
                            ": the preview keeps the last site until mkdocs.yml loads") +
                            "; the open pages show the problems, and update once they are fixed")
                with self._epoch_cond:  # nothing was built: the last site is current again
                    self._wanted_epoch = self._visible_epoch
                    self._epoch_cond.notify_all()
                self._quiet.kept = True
            elif isinstance(exc, exceptions.Abort):
                log.error(f"carebase serve: {exc} (shown in the open pages)")
            else:
                log.exception(f"carebase serve: the build stopped: {exc} (shown in the open pages)")
            return
        self.board.end()

    def _refuse_broken_inherit(self) -> None:
        """An INHERIT chain saved broken (one that comes back, a missing parent): said at its
        line, the last site kept; MkDocs' reload would end in a RecursionError traceback."""
        if not self.config_file:
            return
        from carebase.content.formats import shown_path
        from carebase.content.option_lines import inherit_problem

        broken = inherit_problem(self.config_file)
        if broken:
            place, message = broken
            raise _BrokenInherit(f"{shown_path(place.file)}:{place.line}: INHERIT: {message}", place, message)

    def _config_problem(self, exc):
        """mkdocs.yml saved so that it does not load: a broken INHERIT chain, YAML that does not
        parse, as a problem at its file and line (None for other configuration errors: the
        plugin's options log their own)."""
        from carebase.cli._check_config import yaml_problem
        from carebase.content.problems import error

        if isinstance(exc, _BrokenInherit):
            return error(exc.place.file, exc.place.line, "INHERIT", exc.message)
        return yaml_problem(exc, self.config_file) if self.config_file else None

    @staticmethod
    def _log_problem(problem) -> None:
        import os

        from carebase.content.formats import shown_path

        shown = shown_path(problem.path)
        log.error(f"carebase: {shown}:{problem.line}: {problem.field + ': ' if problem.field else ''}{problem.message}",
                  extra={"carebase_problem": problem, "carebase_shown": shown,
                         "carebase_file": os.path.abspath(problem.path)})

    def _serve_request(self, environ, start_response):
        """The page banner's script and board, MkDocs' answer, or for a single ``Range:
        bytes=first-last`` (or ``bytes=-N``, the last N) that part of the file as served: 206
        with ``Content-Range``, 416 when the range starts past its end."""
        path = environ.get("PATH_INFO", "")
        if path.startswith(BOARD_PATH):
            return self._board_request(path, environ, start_response)
        wanted = RANGE.fullmatch(environ.get("HTTP_RANGE", "").strip())
        if wanted is None or wanted.group(1) == wanted.group(2) == "":
            return super()._serve_request(environ, start_response)
        answered: list = []
        body = super()._serve_request(environ, lambda status, headers, exc_info=None: answered.append((status, headers)))
        if body is None or not isinstance(body, wsgiref.util.FileWrapper) or not answered[0][0].startswith("200"):
            if answered:
                start_response(*answered[0])
            return body
        headers = dict(answered[0][1])
        file, size = body.filelike, int(headers["Content-Length"])
        first, last = wanted.groups()
        if first == "":  # the last N bytes
            first, last = max(0, size - int(last)), size - 1
        else:
            first, last = int(first), min(int(last), size - 1) if last else size - 1
        if first >= size or first > last:
            file.close()
            start_response("416 Range Not Satisfiable", [("Content-Range", f"bytes */{size}")])
            return []
        file.seek(first)
        start_response("206 Partial Content", [("Content-Type", headers["Content-Type"]),
                                               ("Content-Length", str(last - first + 1)),
                                               ("Content-Range", f"bytes {first}-{last}/{size}"), ("Accept-Ranges", "bytes")])
        return _part(file, last - first + 1)

    def _board_request(self, path: str, environ, start_response):
        """``/.carebase/problems.js`` (the banner's script) and ``/.carebase/problems.json``
        (``?after=V``: held until the board is past version V, at most BOARD_WAIT seconds)."""
        import json
        import urllib.parse

        if path == BOARD_PATH + "problems.js":
            body = BANNER_SCRIPT.read_bytes()
            kind = "application/javascript"
        elif path == BOARD_PATH + "problems.json":
            query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
            try:
                after = int(query.get("after", ["-1"])[0])
            except ValueError:
                after = -1
            board = self.board.wait(after, BOARD_WAIT) if after >= 0 else self.board.snapshot()
            # ASCII: a file name that is not UTF-8 (the loader keeps it surrogate-escaped: café.md in
            # Latin-1) goes as a JSON escape and shows as "caf�.md", as `carebase check` shows it;
            # encoded as UTF-8 it failed every answer (reader 46, R12)
            body, kind = json.dumps(board, ensure_ascii=True).encode(), "application/json"
        else:
            return None
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body))),
                                  ("Cache-Control", "no-store")])
        return [body]

    def _inject_js_into_html(self, content, epoch):
        """MkDocs' live-reload script, and the page banner's (carebase/cli/preview_problems.js)."""
        content = super()._inject_js_into_html(content, epoch)
        try:
            end = content.rindex(b"</body>")
        except ValueError:
            end = len(content)
        tag = f'<script src="{BOARD_PATH}problems.js" defer></script>'.encode()
        return content[:end] + tag + content[end:]

    def start_observer(self) -> None:
        """Start the native observer (MkDocs' ``serve`` then leaves it running), or poll."""
        if self._watched_paths and isinstance(self.observer, ChangesObserver):
            try:
                self.observer.start()
            except OSError as exc:
                self._poll_instead(exc)

    def _poll_instead(self, exc: OSError) -> None:
        log.warning(f"carebase serve: the system's file events are not available ({exc}): looking for changed "
                    "files every 0.5 s instead")
        native, self.observer = self.observer, self._polling
        try:
            native.unschedule_all()  # whatever part of it started
        except Exception:  # noqa: BLE001 - it is being given up
            pass
        refs = {}
        for handler, path, recursive in native.scheduled:
            refs[path] = self.observer.schedule(handler, path, recursive=recursive)
        self._watch_refs.update(refs)
