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
    """``new_page(**context_options)`` → a page in a context holding nothing a first-time
    customer's browser would not (no stored palette, votes, outbox, cookies, HTTP cache or
    history): the run's pool's, reset after the test (tests/web_testkit.py ``ContextPool``)."""
    with page_factory(browser) as make:
        yield make


@pytest.fixture(scope="module")
def reading_page(browser):
    """``reading_page(**context_options)`` → one page per set of options, kept for the whole
    module, for tests that only read what a page shows (axe, layout, motion): each test opens
    its URL with ``goto``. A fresh context and page cost about a second of Chromium's CPU each
    (benchmarks/RESULTS.md, "Test suite"). A test that stores anything (votes, palette, outbox)
    or measures what is downloaded (the cache would hide it) takes ``new_page``."""
    pages = {}
    with page_factory(browser) as make:  # the run's pool's contexts (tests/web_testkit.py), reset after the module
        def get(**options):
            key = json.dumps(options, sort_keys=True)
            if key not in pages:
                pages[key] = make(**options)
            return pages[key]

        yield get
