"""axe-core finds no violation on any page type carebase generates.

Each page state is checked once in the suite: the home, category, article, FAQ (a question
opened), hosted and self-hosted video, video gallery, search, contact and 404 pages in
tests/quality/test_quality_axe.py (the demo, same templates), the search page with results and
weaker matches shown in tests/sitesearch/test_sitesearch_browser.py; here the two states none
of those opens: the FAQ index and a FAQ page opened at a question's anchor. The fixture site
sets no palette (Material's default scheme whatever the customer prefers), so one palette: a
run with prefers-color-scheme dark checked the same colours again; the demo's dark palette is
checked on every page type there."""

from __future__ import annotations

import pytest
from web_testkit import AXE_JS, inject_axe, material_started, page_factory

pytestmark = pytest.mark.browser

AXE = AXE_JS
PAGES = ["faq/", "faq/billing/#vat"]


@pytest.fixture(scope="module")
def chromium(shared_chromium):
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run `npm ci --prefix tests` (bash tests/run does)")
    return shared_chromium


def test_generated_pages_have_no_axe_violations(chromium, site_server):
    found = []
    with page_factory(chromium) as make:
        page = make(color_scheme="dark", reduced_motion="reduce", viewport={"width": 1200, "height": 900})
        for url in PAGES:
            page.goto(f"{site_server}/{url}", wait_until="load")
            material_started(page)
            if "#" in url:  # the question the anchor names is open before axe looks
                page.wait_for_function("(id) => document.getElementById(id)?.open === true",
                                       arg=url.rsplit("#", 1)[1], timeout=10000)
            # one palette: Material's default, even for a customer who prefers dark
            assert page.locator("input[name=__palette]").count() == 0, "the fixture site has a palette now: check it dark too"
            assert page.locator("body").get_attribute("data-md-color-scheme") in (None, "default")
            inject_axe(page)
            options = {"resultTypes": ["violations"]}
            violations = page.evaluate("""(options) => axe.run(document, options)
                .then(r => r.violations.map(v => ({id: v.id, help: v.help,
                      nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)})))""", options)
            found += [(url, v["id"], v["help"], v["nodes"]) for v in violations]
    assert not found, "\n".join(map(str, found))
