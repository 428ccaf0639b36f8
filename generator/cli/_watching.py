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
"""

from __future__ import annotations

import logging
import re
import wsgiref.util

import watchdog.events as ev
import watchdog.observers
from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.commands.serve")

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


class Server(LiveReloadServer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._polling = self.observer
        self.observer = ChangesObserver()

    def serve(self, *args, **kwargs):
        self.start_observer()
        return super().serve(*args, **kwargs)

    def _serve_request(self, environ, start_response):
        """MkDocs' answer, or for a single ``Range: bytes=first-last`` (or ``bytes=-N``, the
        last N) that part of the file as served: 206 with ``Content-Range``, 416 when the range
        starts past its end."""
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
