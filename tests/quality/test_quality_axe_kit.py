"""The accessibility checks' kit (web_testkit ``run_axe``) fails with a reason instead of waiting
for ever: on a page that runs no script (a no-JavaScript context, where Playwright's script
injection never ends) at once, saying what to do; and when axe-core gives no result in time."""

from __future__ import annotations

import pytest

from web_testkit import StaticServer, page_factory, run_axe

pytestmark = [pytest.mark.browser]

#: a page with one violation axe-core always reports (an image without a text alternative)
PAGE = '<!doctype html><html lang="en"><head><title>kit</title></head><body><main><h1>Kit</h1><img src="data:,"></main></body></html>'


@pytest.fixture
def make(shared_chromium):
    with page_factory(shared_chromium) as make:
        yield make


@pytest.fixture
def site(tmp_path):
    """``PAGE`` served over HTTP, as the help centre's pages are (axe-core is injected by URL there)."""
    (tmp_path / "index.html").write_text(PAGE)
    server = StaticServer(tmp_path)
    yield server.url
    server.close()


def test_axe_on_a_page_without_javascript_fails_at_once_saying_why(make, site):
    page = make(java_script_enabled=False)
    page.goto(site, wait_until="load")
    with pytest.raises(AssertionError, match=r"JavaScript turned off.*context with JavaScript on"):
        run_axe(page)


def test_axe_on_the_same_page_with_javascript_reports_its_violation(make, site):
    page = make()
    page.goto(site, wait_until="load")
    assert [v["id"] for v in run_axe(page)] == ["image-alt"]


def test_axe_that_gives_no_result_fails_after_its_timeout(make, site):
    page = make()
    page.goto(site, wait_until="load")
    page.evaluate("() => { window.axe = {run: () => new Promise(() => {})}; }")  # an axe that never answers
    with pytest.raises(AssertionError, match=r"axe-core gave no result in 0.5 s on http://127.0.0.1:"):
        run_axe(page, timeout=0.5)
