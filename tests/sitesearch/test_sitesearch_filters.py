"""The search page keeps its state honestly, in headless Chromium against the real demo build
and service: a kind filter narrows the one ranking the page showed (its count is the number of
rows it opens, in the order shown), through the service's API and the client index alike; the
filter is in the address (&kind=video), so a reload, Back and Forward and a shared link show
what was shown, a new query starts unfiltered, and a filter click logs no new search."""

from __future__ import annotations

import pytest
from sitesearch_testkit import open_search_page, wait_rows
from web_testkit import save_shot

pytestmark = pytest.mark.browser

STRONG = "#cb-results .cb-result__link"
PAGE = 20  # search.js PAGE_LIMIT: the rows a search page asks for


def tabs(page) -> dict[str, int]:
    """The filter buttons' counts: {"": all, "article": …, "faq": …, "video": …}."""
    return page.evaluate("() => Object.fromEntries([...document.querySelectorAll('.cb-results__filter')]"
                         ".map(b => [b.dataset.kind, parseInt(b.querySelector('.cb-results__count').textContent, 10)]))")


def strong_rows(page) -> list[tuple[str, str, str]]:
    """(kind, href, item) of the strong links shown (before "Show weaker matches"), in the list's
    order: their ranks (a video's chapters are listed under the video's row, at its first hit's
    place: test_sitesearch_grouped.py)."""
    return page.locator(STRONG).evaluate_all(
        "els => els.map(a => [+a.dataset.carebaseRank, a.querySelector('.cb-result__kind').className.split('--').pop(),"
        " a.getAttribute('href'), a.dataset.carebaseItem]).sort((x, y) => x[0] - y[0]).map(r => r.slice(1))")


def results_in(rows) -> int:
    """The results these links are: their items (a video and its chapters one, session 43)."""
    return len({row[2] for row in rows})


def counts_what_it_lists(count: int, rows) -> bool:
    """A count says the results listed: all of them while the list holds fewer than a page of
    links, else at least those listed (the rest behind "Show more results")."""
    return results_in(rows) == count if len(rows) < PAGE else results_in(rows) <= count


def choose(page, kind: str, engine: str) -> None:
    page.locator(f".cb-results__filter[data-kind='{kind}']").click()
    page.wait_for_function(
        "([kind, engine]) => document.querySelector(`.cb-results__filter[data-kind='${kind}']`)"
        ".getAttribute('aria-pressed') === 'true' && !document.querySelector('#cb-results').hasAttribute("
        "'data-carebase-pending') && document.querySelector('.cb-search-results').dataset.cbEngine === engine"
        " && (!kind || [...document.querySelectorAll('#cb-results .cb-result__kind')].every(k => k.classList.contains("
        "'cb-result__kind--' + kind)))", arg=[kind, engine])


@pytest.mark.parametrize("engine", ["api", "index"])
def test_a_kind_filter_opens_as_many_rows_as_it_counts_in_the_order_shown(search_stack, search_page_factory, engine):
    # Before: the service fused the kind apart, so "heat pump noise" showed "FAQ 1" and its click
    # listed 3 strong questions ("thermostat offline": "Articles 7", then 9 in another order).
    site = search_stack.url if engine == "api" else search_stack.dead_site.url
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    # (queries no other test of the run's shared service logs: the last test counts its searches)
    for query in ("heat pump noise", "schedule"):
        open_search_page(page, site + "search/?q=" + query.replace(" ", "+"), engine)
        counts, every = tabs(page), strong_rows(page)
        assert counts[""] == sum(counts[k] for k in ("article", "faq", "video")) >= 1, (query, counts)
        assert counts_what_it_lists(counts[""], every), (query, counts)
        for kind in ("article", "faq", "video"):
            if not counts[kind]:
                continue
            choose(page, kind, engine)
            if kind == "video" and query == "schedule":
                save_shot(page, f"sitesearch-filter-{engine}-1280.png", full_page=True)
            rows, mine = strong_rows(page), [row for row in every if row[0] == kind]
            assert counts_what_it_lists(counts[kind], rows), (query, kind, counts, rows)  # the count is what it opens
            assert rows[:len(mine)] == mine, (query, kind)  # … in the order the unfiltered list showed
            assert tabs(page) == counts, (query, kind)  # the counts stay the query's
        choose(page, "", engine)
        assert strong_rows(page) == every


def shown(page) -> tuple[str, str, str, list]:
    """(the box's query, the pressed filter's kind, the heading, the strong rows) on screen."""
    return (page.locator("#cb-q").input_value(),
            page.locator(".cb-results__filter[aria-pressed=true]").get_attribute("data-kind"),
            page.locator(".cb-results__status").inner_text(), strong_rows(page))


def settled(page, query: str, kind: str) -> None:
    page.wait_for_function(
        "([q, kind]) => { const list = document.querySelector('#cb-results');"
        " const pressed = document.querySelector('.cb-results__filter[aria-pressed=true]');"
        " return list && list.dataset.carebaseQuery === q && !list.hasAttribute('data-carebase-pending')"
        " && pressed && pressed.dataset.kind === kind"
        " && document.querySelector('.cb-search-results').dataset.cbEngine === 'api'"
        " && [...list.querySelectorAll('.cb-result__kind')].every(k => !kind || k.classList.contains("
        "'cb-result__kind--' + kind)); }", arg=[query, kind])


def test_the_filter_is_in_the_address_and_back_forward_reload_and_a_shared_link_restore_it(search_stack,
                                                                                          search_page_factory):
    # Before: the filter was not in the address, so after "install", Videos, then "heat pump",
    # Back showed "?q=install" with the list and heading of the filter last chosen (videos), a
    # reload or a shared link the unfiltered list
    page = search_page_factory(viewport={"width": 390, "height": 844})
    open_search_page(page, search_stack.url + "search/?q=install", "api")
    settled(page, "install", "")
    every = shown(page)
    counts = tabs(page)
    kind = next(k for k in ("video", "faq", "article") if 0 < counts[k] < counts[""])  # one that narrows
    choose(page, kind, "api")
    assert page.url.endswith("/search/?q=install&kind=" + kind), page.url
    videos = shown(page)
    noun = {"video": "video", "faq": "question", "article": "article"}[kind] + ("s" if counts[kind] > 1 else "")
    assert videos[1] == kind and videos[2] == f"{counts[kind]} {noun} for “install”"
    save_shot(page, f"sitesearch-filter-{kind}-390.png", full_page=True)
    # a new query from the page's box starts unfiltered
    page.locator("#cb-q").fill("heat pump")
    page.keyboard.press("Enter")
    settled(page, "heat pump", "")
    assert page.url.endswith("/search/?q=heat%20pump"), page.url
    pump = shown(page)
    for move, url, want in ((page.go_back, "?q=install&kind=" + kind, videos), (page.go_back, "?q=install", every),
                            (page.go_forward, "?q=install&kind=" + kind, videos),
                            (page.go_forward, "?q=heat%20pump", pump), (page.go_back, "?q=install&kind=" + kind, videos)):
        move()
        settled(page, want[0], want[1])
        assert page.url.endswith("/search/" + url), (url, page.url)
        assert shown(page) == want, url
    # a reload, then the address shared with someone else (a tab of their own), show the same
    page.reload(wait_until="load")
    settled(page, "install", kind)
    assert shown(page) == videos and page.url.endswith("?q=install&kind=" + kind)
    other = search_page_factory(viewport={"width": 1280, "height": 900})
    open_search_page(other, search_stack.url + "search/?q=install&kind=" + kind, "api")
    settled(other, "install", kind)
    assert shown(other) == videos and tabs(other) == counts
    save_shot(other, f"sitesearch-filter-{kind}-1280.png", full_page=True)
    # one search logged per query typed, with the query's count of every kind: the filter clicks,
    # Back, Forward and the reload logged none (the shared link is another visitor's search)
    page.wait_for_timeout(1500)
    searches = wait_rows(search_stack, "search", lambda r: r["query"] in ("install", "heat pump"))

    assert sorted((r["query"], r["results"]) for r in searches) == sorted(
        [("install", counts[""]), ("install", counts[""]), ("heat pump", results_in(pump[3]))]), searches


def test_no_close_match_says_so_offers_the_weaker_ones_and_is_logged_as_a_failed_search(search_stack,
                                                                                        search_page_factory):
    # Before: "No results for “zigbee”. Try other words, …" above "Show weaker matches (20)", and
    # "No matches for “zigbee”" in a box whose Enter then listed them
    page = search_page_factory(viewport={"width": 390, "height": 844})
    open_search_page(page, search_stack.url + "search/?q=zigbee", "api")
    settled(page, "zigbee", "")
    status = page.locator(".cb-results__status").inner_text()
    assert status == "No close matches for “zigbee”. Try other words, or browse the topics.", status
    assert page.locator(STRONG).count() == 0
    button = page.locator(".cb-results__weaker")
    weaker = int(button.inner_text()[len("Show weaker matches ("):-1])
    assert weaker >= 1
    button.click()
    # it counts every weaker match; it opens those of the first page (the rest: "Show more weaker matches")
    assert page.locator("#cb-results-weaker .cb-result__link").count() == min(
        page.evaluate("() => window.carebaseSearch.page.shown.total"), 20)
    more = page.locator(".cb-results__more")  # no filter to choose: the filters are hidden
    assert more.is_hidden() or "choose a kind" not in more.inner_text()
    save_shot(page, "sitesearch-no-close-390.png", full_page=True)
    # logged as the failed search it is: no (strong) result, whatever weaker ones were offered
    searches = wait_rows(search_stack, "search", lambda r: r["query"] == "zigbee")
    assert [(r["source"], r["results"]) for r in searches] == [("search-page", 0)]
    # the header box of another page says the same, and its Enter opens them
    page.set_viewport_size({"width": 1280, "height": 900})  # the header box (a magnifier at 390 px)
    page.goto(search_stack.url + "billing/", wait_until="load")
    page.locator("#cb-header-q").click()
    page.keyboard.type("zigbee", delay=40)
    page.wait_for_function("() => { const list = document.getElementById(document.querySelector('#cb-header-q')"
                           ".getAttribute('aria-controls')); return list.dataset.carebaseQuery === 'zigbee'"
                           " && list.dataset.cbEngine === 'api'; }")
    assert page.locator(".cb-suggest__note").inner_text() == "No close matches for “zigbee”. Press Enter for weaker ones."
