"""Session fixtures of the site-search tests: the demo built by a real ``mkdocs build
--strict``, served over HTTP on 127.0.0.1, the real carebase service (events + search API)
on a SQLite file forwarding contact-form tickets to a local webhook server, a copy of the site
pointed at a dead port (service down), headless Chromium (all from tests/web_testkit.py)."""

from __future__ import annotations

import pytest

from web_testkit import own_form_windows, page_factory


@pytest.fixture
def search_stack(demo_stack, monkeypatch):
    """The run's demo stack (tests/conftest.py), shared with the quality gates and every test of
    the worker, as this test sees it: its ``rows`` only the events stored during this test
    (web_testkit ``DemoStack.since``), so a search another test logged earlier for the same
    query is never counted as this test's; and the service's resubmission windows its own
    (``own_form_windows``), so what it sends is never taken for an earlier test's re-post."""
    own_form_windows(monkeypatch)
    return demo_stack.since()


@pytest.fixture(scope="session")
def search_browser(shared_chromium):
    return shared_chromium


@pytest.fixture
def search_page_factory(search_browser):
    with page_factory(search_browser) as make:
        yield make
