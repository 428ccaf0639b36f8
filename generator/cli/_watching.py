"""How ``carebase serve`` notices a saved file: the system's own file events, not MkDocs' polling.

MkDocs' live-reload server polls: every 0.5 s it lists and stats every file under the watched
folders and compares the lists. At 10,000 items that is about 0.1 s of the serving process's
CPU twice a second, taken from the rendering of the saves, and a save is noticed up to 0.5 s
late. ``Server`` is MkDocs' server with the platform's native observer (inotify on Linux,
FSEvents on macOS, ReadDirectoryChangesW on Windows), told only of changes (a file created,
written, closed after writing, moved or deleted; not a file read, which the build does to
every file). When the native observer cannot start (no inotify instance left, say), it says
so and polls as MkDocs does.
"""

from __future__ import annotations

import logging

import watchdog.events as ev
import watchdog.observers
from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.commands.serve")

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


class Server(LiveReloadServer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._polling = self.observer
        self.observer = ChangesObserver()

    def serve(self, *args, **kwargs):
        self.start_observer()
        return super().serve(*args, **kwargs)

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
