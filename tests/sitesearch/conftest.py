"""Session fixtures of the site-search tests: the demo built by a real ``mkdocs build
--strict``, served over HTTP on 127.0.0.1, the real carebase service (events + search API)
on a SQLite file, a copy of the site pointed at a dead port (service down), headless
Chromium. The stack pieces are the web-quality tests' (tests/quality/quality_stack.py)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "quality"))

from quality_stack import CHROMIUM, CHROMIUM_ARGS, Service, StaticServer, build_demo, dead_url, free_socket  # noqa: E402


class SearchStack:
    def __init__(self, tmp_factory):
        work = tmp_factory.mktemp("sitesearch")
        self.service = Service(work)
        sock = free_socket()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
        self.site = build_demo(work, self.url, self.service.url)
        self.manifest = json.loads((self.site / "manifest.json").read_text(encoding="utf-8"))
        self.server = StaticServer(self.site, sock)
        self.service.start(self.site / "manifest.json", [self.url])
        # the same site, its service_url pointing at a port nothing listens on
        self.dead_site = StaticServer(self.site, rewrite=[(self.service.url.encode(), dead_url().encode())])

    def rows(self, type_: str) -> list[dict]:
        import sqlalchemy as sa

        from carebase.store.schema import events

        query = sa.select(events).where(events.c.type == type_).order_by(events.c.received_ms)
        with self.service.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def close(self):
        for part in (self.server, self.dead_site, self.service):
            part.close()


@pytest.fixture(scope="session")
def search_stack(tmp_path_factory):
    s = SearchStack(tmp_path_factory)
    yield s
    s.close()


@pytest.fixture(scope="session")
def search_browser(shared_chromium):
    return shared_chromium


@pytest.fixture
def search_page_factory(search_browser):
    contexts = []

    def make(**options):
        ctx = search_browser.new_context(**options)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()
