"""Session fixtures of the web-quality gates: the run's demo build, its HTTP server, the real
service, copies of the site pointed at a service that refuses every vote and at a dead port
(``demo_stack``, tests/conftest.py), and headless Chromium (tests/web_testkit.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from web_testkit import AXE_JS, ContextPool, page_factory, split_options, use_page_options


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
    """``reading_page(**context_options)`` → a page kept for the tests of the module asking for
    the same options, for tests that only read what a page shows (axe, layout, motion): each
    test opens its URL with ``goto``. A test asking for another viewport or media feature
    (web_testkit.PAGE_OPTIONS) gets the same context's page back through the pool's reset
    (web_testkit.ContextPool: nothing the earlier tests stored, such as Material's palette
    choice, reaches it) with those set; other options, another context. A fresh context and
    page cost about a second of Chromium's CPU each (benchmarks/RESULTS.md, "Test suite"). A
    test that stores anything (votes, palette, outbox) or measures what is downloaded (the
    cache would hide it) takes ``new_page``."""
    pool = ContextPool.of(browser)
    held = {}  # the context's own options -> (context, its page, the page options it was given)
    try:
        def get(**options):
            context_options, page_options = split_options(options)
            key = json.dumps(context_options, sort_keys=True, default=str)
            if key in held and held[key][2] != page_options:
                pool.release(held.pop(key)[0])
            if key not in held:
                ctx = pool.take(**options)
                held[key] = (ctx, ctx.new_page(), page_options)
            else:  # as given: a test may have changed them on the page (emulate_media)
                use_page_options(held[key][1], page_options)
            return held[key][1]

        yield get
    finally:
        for ctx, _, _ in held.values():
            pool.release(ctx)
