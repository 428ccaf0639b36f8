"""The search page counts what it lists: a video with its matching chapters is one result (one
row), in the heading, the kind filters, "Showing the best N of M" and the list alike; in
headless Chromium against the real demo build, with the service up (the search API), down
(the client index) and the service's page without JavaScript. Until session 43 "wifi" said
"Videos 9" over 2 video rows and "18 results" over 11 rows (the counts counted search records,
a chapter one)."""

from __future__ import annotations

import re

import pytest
from sitesearch_testkit import open_search_page
from web_testkit import describe, page_factory, run_axe, save_shot

pytestmark = pytest.mark.browser

QUERY = "wifi"  # the demo: 7 articles, 2 FAQ questions, 2 videos through 9 records (their chapters)


def number(text: str) -> int:
    found = re.findall(r"\d[\d,]*", text)
    assert found, text
    return int(found[0].replace(",", ""))


def seen(page) -> dict:
    """What the page says and what it lists: the heading, each filter's count, the strong list's
    rows (a video's chapters are inside its row) and their kinds, the line under the list."""
    return page.evaluate("""() => {
      const shown = e => e && e.getClientRects().length ? e.textContent.trim() : '';
      const filters = {};  // in the filters' order (both pages): All, Articles, FAQ, Videos
      document.querySelectorAll('.cb-results__filter').forEach((b, i) => {
        const count = b.querySelector('.cb-results__count');
        filters[['', 'article', 'faq', 'video'][i]] = count ? count.textContent.trim() : '';
      });
      const rows = [...document.querySelectorAll('#cb-results > li')];
      const kindOf = li => { const k = li.querySelector('.cb-result__kind'); return k ? k.className.replace(/.*cb-result__kind--/, '') : ''; };
      return {status: shown(document.querySelector('.cb-results__status')), filters,
              rows: rows.length, kinds: rows.map(kindOf),
              chapters: document.querySelectorAll('#cb-results .cb-result--chapter').length,
              more: shown(document.querySelector('.cb-results__more'))};
    }""")


def agree(said: dict) -> None:
    """An unfiltered page's counts: the heading, the All filter and each kind's filter count its rows
    (a filtered page's All filter is checked against the unfiltered page's count where it is opened)."""
    count = number(said["status"])
    assert count == said["rows"], said  # the heading counts the rows listed (all of them: fewer than 20)
    assert said["more"] == "", said
    assert number(said["filters"][""]) == said["rows"], said
    for k in ("article", "faq", "video"):
        assert number(said["filters"][k]) == said["kinds"].count(k), (k, said)


@pytest.mark.parametrize("service", ["up", "down"])
def test_wifi_counts_two_videos_as_two_results(search_stack, search_page_factory, service):
    """Fails on the old code: "18 results for “wifi”", "Videos 9" over 11 rows, 2 of them videos."""
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    site = search_stack.url if service == "up" else search_stack.dead_site.url
    open_search_page(page, site + f"search/?q={QUERY}", engine="api" if service == "up" else "index")
    said = seen(page)
    assert said["kinds"].count("video") == 2 and said["chapters"] >= 2, said  # the videos' chapters under them
    assert said["status"] == f"{said['rows']} results for “{QUERY}”", said
    agree(said)
    assert number(said["filters"]["video"]) == 2, said
    # the Videos filter: "2 videos", two rows
    page.locator('.cb-results__filter[data-kind="video"]').click()
    page.wait_for_function("() => document.querySelector('.cb-results__status').textContent.includes('video')")
    videos = seen(page)
    assert videos["status"] == f"2 videos for “{QUERY}”" and videos["rows"] == 2 and videos["kinds"] == ["video", "video"], videos
    assert number(videos["filters"][""]) == said["rows"], videos  # the All filter keeps the query's count
    save_shot(page, f"item-counts-{QUERY}-videos-{service}-1280.png", full_page=True)


def test_the_page_without_javascript_counts_the_same(search_stack, search_browser):
    """Fails on the old code: the service's page said "18 results" and "Videos 9"."""
    with page_factory(search_browser) as make:
        page = make.context(java_script_enabled=False, viewport={"width": 1280, "height": 900}).new_page()
        page.goto(search_stack.service.url + f"/search/?q={QUERY}", wait_until="load")
        said = seen(page)
        assert said["kinds"].count("video") == 2, said
        assert said["status"] == f"{said['rows']} results for “{QUERY}”", said
        agree(said)
        page.goto(search_stack.service.url + f"/search/?q={QUERY}&kind=video", wait_until="load")
        videos = seen(page)
        assert videos["status"] == f"2 videos for “{QUERY}”" and videos["rows"] == 2, videos


def test_show_more_says_items_shown_of_items(search_stack, search_page_factory):
    """"thermostat" (service down, the client index): 6 videos through 36 records. The line under
    the list and the live region after "Show more" count the items listed against the
    heading's count, and once every strong row is listed the line is gone."""
    page = search_page_factory(viewport={"width": 1280, "height": 720})
    open_search_page(page, search_stack.dead_site.url + "search/?q=thermostat", engine="index")
    said = seen(page)
    count = number(said["status"])
    assert number(said["filters"]["video"]) == 6 and number(said["filters"][""]) == count, said
    listed = page.evaluate("() => window.carebaseSearch.page.strongItems")
    assert said["more"].startswith(f"Showing the best {listed} of {count} results."), said
    while page.locator(".cb-results__more-button:visible").count():
        before = page.evaluate("() => window.carebaseSearch.page.rows")
        page.locator(".cb-results__more-button").click()
        page.wait_for_function("(n) => window.carebaseSearch.page.rows > n", arg=before)
        listed = page.evaluate("() => window.carebaseSearch.page.strongItems")
        live = page.locator(".cb-search-results [role=status][aria-live]").last.inner_text()
        if live.endswith("weaker matches"):
            break
        assert live == f"Showing {listed} of {count} results", live
    assert page.evaluate("() => window.carebaseSearch.page.strongItems") == count
    ids = page.evaluate("""() => new Set([...document.querySelectorAll('#cb-results a[data-carebase-item]')]
                            .map(a => a.dataset.carebaseItem)).size""")
    assert ids == count  # every result the heading counts is listed, each once however many rows it has


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 800)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_counts_look_right_and_pass_axe(search_stack, search_page_factory, width, height, scheme):
    page = search_page_factory(viewport={"width": width, "height": height}, color_scheme=scheme)
    open_search_page(page, search_stack.url + f"search/?q={QUERY}", engine="api")
    said = seen(page)
    assert number(said["filters"]["video"]) == 2, said
    save_shot(page, f"item-counts-{QUERY}-{width}-{scheme}.png", full_page=True)
    assert describe(run_axe(page, context=".cb-search-results")) == ""
