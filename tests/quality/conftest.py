"""Session fixtures of the web-quality gates: the run's demo build, its HTTP server, the real
service, copies of the site pointed at a service that refuses every vote and at a dead port
(``demo_stack``, tests/conftest.py), and headless Chromium (tests/web_testkit.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from web_testkit import AXE_JS, page_factory


@pytest.fixture(scope="session")
def stack(demo_stack):
    """The run's demo stack (tests/conftest.py), shared with the site-search tests."""
    return demo_stack


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
    with page_factory(browser) as make:
        yield make


@pytest.fixture(scope="module")
def reading_page(browser):
    """``reading_page(**context_options)`` → one page per set of options, kept for the whole
    module, for tests that only read what a page shows (axe, layout, motion): each test opens
    its URL with ``goto``. A fresh context and page cost about a second of Chromium's CPU each
    (benchmarks/RESULTS.md, "Test suite"). A test that stores anything (votes, palette, outbox)
    or measures what is downloaded (the cache would hide it) takes ``new_page``."""
    pages, contexts = {}, []

    def get(**options):
        key = json.dumps(options, sort_keys=True)
        if key not in pages:
            contexts.append(browser.new_context(**options))
            pages[key] = contexts[-1].new_page()
        return pages[key]

    yield get
    for ctx in contexts:
        ctx.close()
