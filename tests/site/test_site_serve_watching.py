"""``carebase serve`` notices a save through the system's file events (``cli/_watching.py``):
a written file is a change, a file read is not; without native events it polls as MkDocs does."""

from __future__ import annotations

import threading

from carebase.cli._watching import ChangesObserver, Server


class _Seen:
    def __init__(self):
        self.paths: list[str] = []
        self.cond = threading.Condition()

    def dispatch(self, event):
        if not event.is_directory:
            with self.cond:
                self.paths.append(event.src_path)
                self.cond.notify_all()

    def wait_for(self, name: str) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: any(p.endswith(name) for p in self.paths), timeout=30)


def test_a_read_is_not_a_change_and_a_write_is(tmp_path):
    (tmp_path / "read.md").write_text("# Read\n", encoding="utf-8")
    seen = _Seen()
    observer = ChangesObserver()
    observer.schedule(seen, str(tmp_path), recursive=True)
    observer.start()
    observer.start()  # MkDocs' serve starts it again: nothing happens
    try:
        (tmp_path / "read.md").read_text(encoding="utf-8")  # the build reads every file
        (tmp_path / "saved.md").write_text("# Saved\n", encoding="utf-8")
        assert seen.wait_for("saved.md")  # events come in order: the read came first
        assert not any(p.endswith("read.md") for p in seen.paths)
    finally:
        observer.stop()
        observer.join()


def test_without_native_events_it_polls(tmp_path, monkeypatch, caplog):
    def no_inotify(self):
        raise OSError(24, "inotify instance limit reached")

    monkeypatch.setattr(ChangesObserver, "start", no_inotify)
    server = Server(builder=lambda config=None: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path))
    server.start_observer()
    assert not isinstance(server.observer, ChangesObserver)
    assert "looking for changed files every 0.5 s" in caplog.text
    server.observer.start()
    try:
        (tmp_path / "saved.md").write_text("# Saved\n", encoding="utf-8")
        with server._rebuild_cond:
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=30)
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()
