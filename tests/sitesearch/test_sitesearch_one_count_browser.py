"""What the search page says it found, in headless Chromium against the real demo build and
service (up, down, and the service's page without JavaScript): one count, the same in the
heading, the kind filters and the line under the list; and a short list leaves no blank room
between it and "Or browse …" / "Still need help?" (session 40's audit)."""

from __future__ import annotations

import re

import pytest
from sitesearch_testkit import open_search_page
from web_testkit import layout_shifts, page_factory, save_shot

pytestmark = pytest.mark.browser


def items_listed(page) -> int:
    """The results the strong list shows: its items (a video's chapters are listed in its row
    and counted with it, carebase.search.items)."""
    return page.evaluate("""() => new Set([...document.querySelectorAll('#cb-results a[data-carebase-item]')]
                             .map(a => a.dataset.carebaseItem)).size""")


def numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def said(page) -> dict:
    return page.evaluate("""() => {
      const text = s => { const e = document.querySelector(s); return e && e.getClientRects().length ? e.textContent : ''; };
      return {status: text('.cb-results__status'), more: text('.cb-results__more'),
              all: text('.cb-results__filter[data-kind=""]')};
    }""")


@pytest.mark.parametrize("service", ["up", "down"])
def test_thermostat_says_one_count_in_the_heading_the_filter_and_under_the_list(search_stack, search_page_factory, service):
    """Fails on the old code: "102 results for “thermostat”" at the top and "Showing the best 20
    of 104 matches" (the weaker matches counted in) under the list."""
    page = search_page_factory(viewport={"width": 1280, "height": 720})
    site = search_stack.url if service == "up" else search_stack.dead_site.url
    open_search_page(page, site + "search/?q=thermostat", engine="api" if service == "up" else "index")
    shown = said(page)
    count = numbers(shown["status"])[0]
    assert shown["status"] == f"{count} results for “thermostat”" and count > 20, shown
    assert numbers(shown["all"]) == [count], shown
    listed = items_listed(page)
    assert 10 < listed <= 20, listed  # 20 rows' items (a video's chapters in its row)
    assert shown["more"] == f"Showing the best {listed} of {count} results. Add a word or choose a kind to narrow them down.", shown
    save_shot(page, f"one-count-thermostat-{service}-1280.png", full_page=True)
    # "Show more results": the line and the live region count the same results, the heading unchanged
    page.locator(".cb-results__more-button").click()
    page.wait_for_function("() => document.querySelectorAll('#cb-results .cb-result__link').length > 20")
    after = said(page)
    assert after["status"] == shown["status"]
    live = page.locator(".cb-search-results [role=status][aria-live]").last.inner_text()
    listed = items_listed(page)
    assert listed == page.evaluate("() => window.carebaseSearch.page.strongItems")
    assert live == f"Showing {listed} of {count} results", live
    if listed < count:
        assert after["more"].startswith(f"Showing the best {listed} of {count} results."), after


def test_the_page_without_javascript_says_the_same_one_count(search_stack, search_browser):
    """Fails on the old code: the service's page said "Showing the best 20 of 104 matches"."""
    with page_factory(search_browser) as make:
        page = make.context(java_script_enabled=False, viewport={"width": 1280, "height": 720}).new_page()
        page.goto(search_stack.service.url + "/search/?q=thermostat", wait_until="load")
        status = page.locator("#cb-results-status").inner_text()
        count = numbers(status)[0]
        assert status == f"{count} results for “thermostat”" and count > 20
        assert numbers(page.locator(".cb-results__filter").first.inner_text()) == [count]
        listed = items_listed(page)
        assert 10 < listed <= 20, listed
        assert page.locator(".cb-results__more").inner_text() == (
            f"Showing the best {listed} of {count} results. Add a word or choose a kind to narrow them down.")


def gap_under_results(page) -> float:
    """Pixels between the last thing the results' place shows (its last row, or "Show weaker
    matches") and the "Or browse …" line."""
    return page.evaluate("""() => {
      const browse = document.querySelector('.cb-search-browse').getBoundingClientRect();
      const above = [...document.querySelectorAll('.cb-search-results > *')]
        .filter(e => !e.contains(document.querySelector('.cb-search-browse')) && !e.matches('.cb-search-browse, section.cb-contact')
                     && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map(e => e.getBoundingClientRect().bottom);
      return browse.top - Math.max(...above);
    }""")


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 720)])
@pytest.mark.parametrize("service", ["up", "down"])
def test_one_strong_result_leaves_no_blank_room_before_still_need_help(
        search_stack, search_page_factory, width, height, service):
    """Fails on the old code: ~330 px (1,280) / ~380 px (390) of blank under "Show weaker
    matches", "Still need help?" below the first screen ("remove old thermostat")."""
    page = search_page_factory(viewport={"width": width, "height": height})
    site = search_stack.url if service == "up" else search_stack.dead_site.url
    open_search_page(page, site + "search/?q=remove+old+thermostat", engine="api" if service == "up" else "index")
    page.wait_for_timeout(300)
    status = page.locator(".cb-results__status").inner_text()
    strong = numbers(status)[0]
    assert 1 <= strong <= 3, status
    save_shot(page, f"one-strong-{service}-{width}.png", full_page=True)
    gap = gap_under_results(page)
    assert 0 <= gap <= 60, f"{gap} px of blank above 'Or browse'"
    if service == "down":  # one result, no answer card above it: all of it on the first screen
        heading = page.locator("#cb-contact-title").bounding_box()
        assert heading["y"] + heading["height"] <= height, f"'Still need help?' at {heading['y']} px of {height}"
    shifts = layout_shifts(page)
    assert sum(v for v, _ in shifts) < 0.005 and not [s for s in shifts if "cb-contact" in s[1] or "cb-search-browse" in s[1]
                                                     or "cb-results" in s[1]], shifts
    # many results: the browse line and the contact block come after the last row, not over it
    page.locator("#cb-q").fill("thermostat")
    page.locator("#cb-q").press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#cb-results .cb-result__link').length >= 20")
    assert page.evaluate("""() => {
      const rows = [...document.querySelectorAll('#cb-results > li')], last = rows[rows.length - 1];
      return document.querySelector('.cb-search-browse').getBoundingClientRect().top >= last.getBoundingClientRect().bottom
        && document.querySelector('section.cb-contact').getBoundingClientRect().top >= last.getBoundingClientRect().bottom;
    }""")
    assert 0 <= gap_under_results(page) <= 60
