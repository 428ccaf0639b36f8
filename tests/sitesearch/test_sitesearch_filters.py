"""The search page keeps its state honestly, in headless Chromium against the real demo build
and service: a kind filter narrows the one ranking the page showed (its count is the number of
rows it opens, in the order shown), through the service's API and the client index alike."""

from __future__ import annotations

import pytest
from sitesearch_testkit import open_search_page
from web_testkit import save_shot

pytestmark = pytest.mark.browser

STRONG = "#cb-results .cb-result__link"
PAGE = 20  # search.js PAGE_LIMIT: the rows a search page asks for


def tabs(page) -> dict[str, int]:
    """The filter buttons' counts: {"": all, "article": …, "faq": …, "video": …}."""
    return page.evaluate("() => Object.fromEntries([...document.querySelectorAll('.cb-results__filter')]"
                         ".map(b => [b.dataset.kind, parseInt(b.querySelector('.cb-results__count').textContent, 10)]))")


def strong_rows(page) -> list[tuple[str, str]]:
    """(kind, href) of the strong rows shown (before "Show weaker matches")."""
    return page.locator(STRONG).evaluate_all(
        "els => els.map(a => [a.querySelector('.cb-result__kind').className.split('--').pop(), a.getAttribute('href')])")


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
    # Before: the service fused the kind apart, so "thermostat offline" showed "Articles 7" and
    # its click listed 9 strong articles in another order (and "refund": "Videos 0", then 3).
    site = search_stack.url if engine == "api" else search_stack.dead_site.url
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    for query in ("thermostat offline", "wifi"):
        open_search_page(page, site + "search/?q=" + query.replace(" ", "+"), engine)
        counts, every = tabs(page), strong_rows(page)
        assert counts[""] == sum(counts[k] for k in ("article", "faq", "video")) >= 1, (query, counts)
        assert len(every) == min(counts[""], PAGE), (query, counts)
        for kind in ("article", "faq", "video"):
            if not counts[kind]:
                continue
            choose(page, kind, engine)
            if kind == "video" and query == "wifi":
                save_shot(page, f"sitesearch-filter-{engine}-1280.png", full_page=True)
            rows, mine = strong_rows(page), [row for row in every if row[0] == kind]
            assert len(rows) == min(counts[kind], PAGE), (query, kind, counts, rows)  # the count is what it opens
            assert rows[:len(mine)] == mine, (query, kind)  # … in the order the unfiltered list showed
            assert tabs(page) == counts, (query, kind)  # the counts stay the query's
        choose(page, "", engine)
        assert strong_rows(page) == every
