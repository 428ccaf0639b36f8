"""Shared fixtures of the widget tests: the demo help centre and the widget's own small
site (widget_sites.py), each built with MkDocs + Material and served by a real HTTP
server; the real carebase service on 127.0.0.1 writing a SQLite file; headless Chromium."""

from __future__ import annotations

import json
import socket
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa

from widget_sites import REPO, build_demo_site, build_mini_site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_socket() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class StaticServer:
    def __init__(self, root: Path):
        handler = partial(_QuietHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Service:
    """The real carebase service (``carebase.service.app.create_app``) on 127.0.0.1 with a
    SQLite file; ``rows()`` reads what it stored."""

    def __init__(self, tmp: Path):
        sock = free_socket()
        self.sock = sock
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.db_path = tmp / "feedback.db"
        self.db_url = f"sqlite:///{self.db_path}"
        self.engine = None

    def start(self, manifest_path: Path, origins: list[str]) -> None:
        import uvicorn

        from carebase.service.app import create_app
        from carebase.service.config import ServiceConfig

        config = ServiceConfig(database_url=self.db_url, allowed_origins=tuple(origins),
                               manifest_path=str(manifest_path), rate_limit=0)
        self.server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        for _ in range(500):
            if self.server.started:
                break
            time.sleep(0.02)
        assert self.server.started, "the carebase service did not start"
        self.engine = sa.create_engine(self.db_url)

    def since(self) -> "Service":
        """A view of this service that sees only the rows stored from now on."""
        view = object.__new__(Service)
        view.__dict__.update(self.__dict__)
        with self.engine.connect() as conn:
            view.after = conn.execute(sa.text("SELECT coalesce(max(rowid), 0) FROM events")).scalar()
        return view

    after = 0

    def rows(self, **where) -> list[dict]:
        from carebase.store.schema import events

        query = sa.select(events).where(sa.text(f"events.rowid > {int(self.after)}"))
        query = query.order_by(events.c.received_ms, events.c.event_id)
        for column, value in where.items():
            query = query.where(events.c[column] == value)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def latest_votes(self, item: str) -> list[dict]:
        """Latest-wins view: per vote_key the newest row; rows without a key each count."""
        newest: dict = {}
        plain = []
        for row in self.rows(type="vote", item_id=item):
            if row["vote_key"] is None:
                plain.append(row)
            else:
                newest[row["vote_key"]] = row
        return list(newest.values()) + plain

    def report_latest_votes(self, item: str) -> list[dict]:
        """The report's own view of the votes on ``item`` (latest row per vote_key)."""
        from carebase.report.queries import latest_votes

        latest = latest_votes(time.time_ns() // 1_000_000 + 1)
        query = sa.select(latest).where(latest.c.item_id == item)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def close(self):
        self.server.should_exit = True
        self.thread.join(10)


class Stack:
    """The demo site, the widget's own small site and the service, all on 127.0.0.1."""

    def __init__(self, tmp_factory):
        self.service = Service(tmp_factory.mktemp("widget-service"))
        mini_root, demo_root = tmp_factory.mktemp("widget-site"), tmp_factory.mktemp("demo-site")
        (mini_root / "site").mkdir()
        (demo_root / "site").mkdir()
        self.mini = StaticServer(mini_root / "site")
        self.demo = StaticServer(demo_root / "site")
        self.mini.root, self.demo.root = mini_root / "site", demo_root / "site"
        items = build_mini_site(mini_root, self.mini, self.service)
        self.demo_error = None
        if (REPO / "mkdocs.yml").exists() and (REPO / "content").is_dir():
            items.update(build_demo_site(demo_root, self.demo, self.service))
        else:
            self.demo_error = "the demo help centre (mkdocs.yml + content/) is not in this checkout"
        manifest = tmp_factory.mktemp("widget-manifest") / "manifest.json"
        manifest.write_text(json.dumps({"version": 1, "aliases": {}, "items": items}), encoding="utf-8")
        self.service.start(manifest, [self.mini.url.rstrip("/"), self.demo.url.rstrip("/")])

    def close(self):
        self.service.close()
        self.mini.close()
        self.demo.close()


@pytest.fixture(scope="session")
def widget_stack(tmp_path_factory):
    stack = Stack(tmp_path_factory)
    yield stack
    stack.close()


@pytest.fixture(scope="session")
def widget_service(widget_stack):
    return widget_stack.service


@pytest.fixture
def service(widget_service):
    """The shared service, seeing only what the current test stored."""
    return widget_service.since()


@pytest.fixture(scope="session")
def widget_site(widget_stack):
    """The widget's own small MkDocs + Material site (every style; FAQ page with two widgets)."""
    return widget_stack.mini


@pytest.fixture(scope="session")
def demo_site(widget_stack):
    """The built demo help centre (carebase plugin + theme place the widget)."""
    if widget_stack.demo_error:
        pytest.skip(widget_stack.demo_error)
    return widget_stack.demo


@pytest.fixture(scope="module")
def chromium(shared_chromium):
    """The run's one Chromium (tests/conftest.py)."""
    return shared_chromium


@pytest.fixture
def context(chromium):
    ctx = chromium.new_context()
    yield ctx
    ctx.close()
