"""Session fixtures of the web-quality gates: one demo build, its HTTP server, the real
service, copies of the site pointed at a service that refuses every vote and at a dead port,
and headless Chromium."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from quality_stack import AXE_JS, CHROMIUM, CHROMIUM_ARGS, Service, StaticServer, build_demo, dead_url, free_socket


class Stack:
    def __init__(self, tmp_factory):
        work = tmp_factory.mktemp("quality")
        self.service = Service(work)
        site_sock = free_socket()
        self.url = f"http://127.0.0.1:{site_sock.getsockname()[1]}/"
        self.site = build_demo(work, self.url, self.service.url)
        self.manifest = json.loads((self.site / "manifest.json").read_text(encoding="utf-8"))
        self.server = StaticServer(self.site, site_sock)
        self.service.start(self.site / "manifest.json", [self.url])
        # the same site, sending to a service that knows no item (every vote refused: 422)
        empty = work / "empty-manifest.json"
        empty.write_text(json.dumps({"version": 1, "items": {}, "aliases": {}}), encoding="utf-8")
        self.refusing = Service(tmp_factory.mktemp("refusing"))
        self.refusing_site = StaticServer(self.site, rewrite=[(self.service.url.encode(), self.refusing.url.encode())])
        self.refusing.start(empty, [self.refusing_site.url])
        # the same site, sending to a port nothing listens on
        self.dead_site = StaticServer(self.site, rewrite=[(self.service.url.encode(), dead_url().encode())])

    def close(self):
        for part in (self.server, self.refusing_site, self.dead_site, self.service, self.refusing):
            part.close()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    s = Stack(tmp_path_factory)
    yield s
    s.close()


@pytest.fixture(scope="session")
def browser(shared_chromium):
    return shared_chromium


@pytest.fixture(scope="session")
def axe_js() -> Path:
    if not AXE_JS.exists():
        pytest.skip("axe-core is not installed: run `npm ci --prefix tests` (tests/run does)")
    return AXE_JS


@pytest.fixture
def new_page(browser):
    """``new_page(**context_options)`` → a page in a fresh context (no stored palette,
    votes or outbox); every context is closed after the test."""
    contexts = []

    def make(**options):
        ctx = browser.new_context(**options)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()
