"""Where a result sits, each step a link (headless Chromium, the demo build and its real service):
a result's path ("Installation and wiring › Thermostat and installation") links its category's
page and its FAQ page (a video chapter's row: its category), as Zendesk's and Intercom's help
centres link theirs: with the service up (the search API's ``path_urls``), with it down (the
site's own index: the search page's map of category pages) and without JavaScript (the
service's page). The path stays one line above the result's link at 390 px, outside it (a link
holds no link), the arrow keys still step through the results only, and axe finds nothing.

Fails on the old code: every path was plain text inside the result's link."""

from __future__ import annotations

import json
import urllib.request

import pytest
from sitesearch_testkit import open_search_page
from web_testkit import describe, material_started, run_axe, save_shot

pytestmark = pytest.mark.browser

# Global Privacy Control: these searches are not logged (other tests count theirs on the shared stack)
UNLOGGED = "Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})"
# each row's item (its own link's, else its first chapter's) and its path's steps: [text, href or null]
STEPS = """() => [...document.querySelectorAll('#cb-results > li')].map(li => [
  (li.querySelector('a.cb-result__link') || {dataset: {}}).dataset.carebaseItem,
  [...li.querySelectorAll(':scope > .cb-result__path > .cb-result__step')].map(s => [s.textContent, s.getAttribute('href')])])"""


def expected(site: str) -> dict:
    return {
        "faq:devices#which-wifi": [["Installation and wiring", site + "installation/"],
                                   ["Thermostat and installation", site + "faq/devices/"]],
        "article:troubleshooting/thermostat-offline": [["Troubleshooting", site + "troubleshooting/"]],
        "video:reconnect-wifi": [["Troubleshooting", site + "troubleshooting/"]],
    }


def check_rows(rows: list, site: str) -> None:
    found = dict((item, steps) for item, steps in rows)
    for item, steps in expected(site).items():
        assert found.get(item) == steps, (item, found)
    assert all(steps and all(href for _, href in steps) for _, steps in rows), rows  # every step a page


@pytest.mark.parametrize("engine", ["api", "index"])
def test_each_step_of_a_results_path_links_its_page(search_stack, search_page_factory, engine):
    site = search_stack.url if engine == "api" else search_stack.dead_site.url
    page = search_page_factory(viewport={"width": 390, "height": 844}, init_script=UNLOGGED)
    open_search_page(page, site + "search/?q=wifi", engine)
    check_rows(page.evaluate(STEPS), site)
    # one line each, inside the column, above the result's own link and not inside it
    for box in page.locator("#cb-results .cb-result__path").evaluate_all(
            "els => els.map(e => [e.getBoundingClientRect().height, e.getBoundingClientRect().right,"
            " e.closest('a') === null, e.nextElementSibling.getBoundingClientRect().top"
            " >= e.getBoundingClientRect().bottom - 1])"):
        assert box[0] < 40 and box[1] <= 390 and box[2] and box[3], box  # one line of 24 px under 7 px
    save_shot(page, f"path-links-{engine}-390.png", full_page=True)
    found = run_axe(page)
    assert not found, describe(found)
    # the arrow keys go from the box to the first result's own link, then the next result's
    page.locator("#cb-q").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.matches('#cb-results a.cb-result__link')")
    first = page.evaluate("document.activeElement.dataset.carebaseItem")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.matches('a.cb-result__link')")
    assert page.evaluate("document.activeElement.dataset.carebaseItem") != first or page.evaluate(
        "document.activeElement.classList.contains('cb-result__link--chapter')")
    # a category step opens the category's page
    step = page.locator("#cb-results .cb-result__path a.cb-result__step", has_text="Installation and wiring").first
    with page.expect_navigation():
        step.click()
    assert page.url == site + "installation/"
    material_started(page)
    assert page.locator("article h1").inner_text() == "Installation and wiring"


def test_without_javascript_each_step_of_a_results_path_links_its_page(search_stack, search_page_factory):
    stack = search_stack
    page = search_page_factory(viewport={"width": 390, "height": 844}, java_script_enabled=False,
                               extra_http_headers={"Sec-GPC": "1"})  # not logged
    url = stack.service.url + "/search/?q=wifi&from=search-page"
    page.goto(url, wait_until="load")
    check_rows(page.evaluate(STEPS), stack.url)
    save_shot(page, "path-links-nojs-390.png", full_page=True)
    # axe runs as a script: the same page in a page that may run it (the page forbids scripts)
    checked = search_page_factory(viewport={"width": 390, "height": 844}, bypass_csp=True,
                                  extra_http_headers={"Sec-GPC": "1"})
    checked.goto(url, wait_until="load")
    found = run_axe(checked)
    assert not found, describe(found)


def test_the_apis_path_urls_are_the_pages_of_the_searched_language(search_stack):
    """The German search's category steps are the German category pages (``de/…/``)."""
    def hits(lang: str) -> list[dict]:
        url = f"{search_stack.service.url}/api/v1/search?q=rechnung+zahlung+akku&limit=20" + (f"&lang={lang}" if lang else "")
        request = urllib.request.Request(url, headers={"Sec-GPC": "1"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())["hits"]

    german = [h for h in hits("de") if h["path"]]
    assert german
    for h in german:
        assert len(h["path_urls"]) == len(h["path"]) and all(u and u.startswith("de/") for u in h["path_urls"]), h
