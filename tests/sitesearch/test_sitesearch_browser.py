"""The site's own search (home box and search page) in headless Chromium against the real
demo build: through the service's search API when it answers, through the sharded client
index when it does not, with the search and click events still reaching the service."""

from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.browser

RESULTS = ".cb-result__link"


def wait_rows(stack, type_, predicate=lambda r: True, timeout=8.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        rows = [r for r in stack.rows(type_) if predicate(r)]
        if rows:
            return rows
        time.sleep(0.1)
    return []


def type_query(page, url, text, engine):
    """Type into the page's own box; wait for the results of ``text`` from ``engine`` (the
    client index answers every keystroke; the API's results replace them when typing pauses)."""
    page.goto(url, wait_until="load")
    page.locator("#cb-q").click()
    page.keyboard.type(text, delay=50)
    page.wait_for_function(
        "([q, engine]) => document.querySelector('[data-carebase-results]').dataset.carebaseQuery === q"
        " && document.querySelector('.cb-search-results').dataset.cbEngine === engine", arg=[text, engine])


def result_hrefs(page) -> list[str]:
    return page.locator(RESULTS).evaluate_all("els => els.map(e => e.getAttribute('href'))")


def test_typo_on_search_page_is_answered_by_the_api_and_logged(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    api_calls = []
    page.on("request", lambda r: "/api/v1/search" in r.url and api_calls.append(r.url))
    type_query(page, search_stack.url + "search/", "refnd", "api")
    holder = page.locator(".cb-search-results")
    assert holder.get_attribute("data-cb-engine") == "api"
    assert any("q=refnd" in u for u in api_calls)
    first = page.locator(RESULTS).first
    assert first.get_attribute("href").endswith("/billing/refunds/")
    assert first.get_attribute("data-carebase-item") == "article:billing/refunds"
    assert page.locator(".cb-results__suggestion").inner_text() == "refund"
    assert first.locator("mark").count() >= 1  # highlighted snippet
    status = page.locator(".cb-results__status")
    total = int(page.locator("[data-carebase-results]").get_attribute("data-carebase-total"))
    assert status.inner_text() == f"{total} results for “refnd”" and total >= 1
    assert status.get_attribute("role") == "status"
    page.screenshot(path="/tmp/sitesearch-api-light.png", full_page=True)

    searches = wait_rows(search_stack, "search", lambda r: r["query"] == "refnd")
    assert [(r["results"], r["source"], r["page"]) for r in searches] == [(total, "search-page", "/search/")]
    first.click()
    page.wait_for_url("**/billing/refunds/")
    clicks = wait_rows(search_stack, "click", lambda r: r["query"] == "refnd")
    assert [(c["item_id"], c["rank"]) for c in clicks] == [("article:billing/refunds", 1)]


def test_synonym_from_home_box_shows_results_as_you_type(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    type_query(page, search_stack.url, "money back", "api")
    assert page.locator(".cb-search-results").get_attribute("data-cb-engine") == "api"
    hrefs = result_hrefs(page)
    assert any(h.endswith("/billing/refunds/") for h in hrefs[:3]), hrefs
    assert len(hrefs) <= 6
    page.screenshot(path="/tmp/sitesearch-home-dark.png")
    # keyboard: ArrowDown from the box goes through the results, Enter opens one
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('data-carebase-rank')") == "1"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('data-carebase-rank')") == "2"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "cb-q"
    page.keyboard.press("ArrowDown")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    searches = wait_rows(search_stack, "search", lambda r: r["query"] == "money back")
    assert [(r["source"], r["page"]) for r in searches] == [("home", "/")]
    clicks = wait_rows(search_stack, "click", lambda r: r["query"] == "money back")
    assert [c["rank"] for c in clicks] == [1]


def test_service_down_the_search_page_uses_the_client_index(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    fetched = []
    page.on("request", lambda r: fetched.append(r.url))
    type_query(page, search_stack.dead_site.url + "search/", "refnd", "index")
    assert page.locator(".cb-search-results").get_attribute("data-cb-engine") == "index"
    hrefs = result_hrefs(page)
    assert any(h.endswith("/billing/refunds/") for h in hrefs[:3]), hrefs
    assert page.locator(".cb-results__suggestion").inner_text().startswith("refund")
    assert page.locator(".cb-result mark").count() >= 1
    # a few small files of the sharded index, never Material's whole search_index.json
    index_files = [u for u in fetched if "/search/carebase/" in u]
    assert any(u.endswith("/meta.json") for u in index_files)
    assert any("/t-re.json" in u for u in index_files)
    assert not [u for u in fetched if "search_index.json" in u]
    page.screenshot(path="/tmp/sitesearch-index-light.png", full_page=True)
    # a synonym and a partly typed word through the index too
    page.locator("#cb-q").fill("")
    page.keyboard.type("reimburs", delay=30)
    page.wait_for_function("() => document.querySelector('[data-carebase-results]').dataset.carebaseQuery === 'reimburs'")
    assert any(h.endswith("/billing/refunds/") for h in result_hrefs(page)[:5])


def test_kind_filter_and_landing_query(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    page.goto(search_stack.url + "search/?q=wifi", wait_until="load")
    page.wait_for_function("() => document.querySelector('.cb-search-results').dataset.cbEngine === 'api'")
    assert page.locator("#cb-q").input_value() == "wifi"
    assert "?q=wifi" in page.url
    # Material's own dialog did not open over the page
    assert not page.evaluate("document.getElementById('__search').checked")
    videos = page.locator(".cb-results__filter[data-kind=video]")
    count = int(videos.locator(".cb-results__count").inner_text())
    assert count >= 1
    videos.click()
    page.wait_for_function("() => document.querySelector('.cb-results__filter[data-kind=video]')"
                           ".getAttribute('aria-pressed') === 'true' && "
                           "document.querySelector('.cb-search-results').dataset.cbEngine === 'api'")
    kinds = page.locator(".cb-result__kind").all_inner_texts()
    assert kinds and {k.upper() for k in kinds} == {"VIDEO"}
    assert page.locator(".cb-results__status").inner_text().startswith(f"{count} video")
    page.emulate_media(color_scheme="dark")
    page.screenshot(path="/tmp/sitesearch-filter.png", full_page=True)
    searches = wait_rows(search_stack, "search", lambda r: r["query"] == "wifi")
    assert [(r["source"], r["page"]) for r in searches] == [("search-page", "/search/")]


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_have_no_axe_violations(search_stack, search_page_factory, scheme):
    from web_testkit import AXE_JS, describe, run_axe

    if not AXE_JS.exists():
        pytest.skip("axe-core is not installed: run `npm ci --prefix tests` (tests/run does)")
    page = search_page_factory(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    type_query(page, search_stack.url, "refnd", "api")  # home: results, filters, did-you-mean
    page.screenshot(path=f"/tmp/sitesearch-home-{scheme}.png")
    violations = run_axe(page)
    assert not violations, describe(violations)
    type_query(page, search_stack.dead_site.url + "search/", "wifi", "index")
    page.locator(".cb-results__filter[data-kind=faq]").click()
    page.wait_for_function("() => document.querySelector('.cb-results__filter[data-kind=faq]')"
                           ".getAttribute('aria-pressed') === 'true'")
    page.screenshot(path=f"/tmp/sitesearch-page-{scheme}.png", full_page=True)
    violations = run_axe(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("path", ["", "search/"])
def test_service_down_logs_no_console_error(search_stack, search_page_factory, path):
    """Lighthouse counts every console error against the page: a help centre whose search
    service is down (or not deployed) must still search, quietly, through the client index."""
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    messages = []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    page.on("pageerror", lambda e: messages.append(("error", str(e))))
    page.goto(search_stack.dead_site.url + path, wait_until="load")
    page.wait_for_function("() => document.querySelector('form.cb-search').dataset.cbSearchMode === 'index'")
    type_query(page, search_stack.dead_site.url + path, "refund", "index")
    hrefs = result_hrefs(page)
    assert any(h.endswith("/billing/refunds/") for h in hrefs[:3]), hrefs
    # the search event is kept for later (the outbox), its delivery attempts quiet too
    page.wait_for_function("() => (JSON.parse(localStorage.getItem('carebase.outbox')) || [])"
                           ".some(e => e.type === 'search' && e.query === 'refund')", timeout=5000)
    page.wait_for_timeout(1000)
    assert [m for m in messages if m[0] == "error"] == []
