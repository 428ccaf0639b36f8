"""One carebase search behind every box, in headless Chromium against the real demo build:
the header box and the home box suggest as you type (an ARIA combobox: titles, FAQ questions
and video chapters grouped by kind, "did you mean", arrows / Enter / Escape), the search page
lists strong matches before "Show weaker matches" — through the service's search API when it
answers, through the sharded client index when it does not — and only the final query and the
clicks reach the service. Material's lunr index is never built or requested."""

from __future__ import annotations

import re
import time

import pytest
from sitesearch_testkit import hrefs, open_search_page, wait_rows
from web_testkit import material_started, save_shot

pytestmark = pytest.mark.browser

RESULTS = "#cb-results .cb-result__link"


def suggest(page, url, box, text, engine):
    """Type into a box that suggests; wait for the suggestions of ``text`` from ``engine``."""
    page.goto(url, wait_until="load")
    material_started(page)
    page.locator(box).click()
    page.keyboard.type(text, delay=40)
    page.wait_for_function(
        "([box, q, engine]) => { const list = document.getElementById("
        "document.querySelector(box).getAttribute('aria-controls'));"
        " return list.dataset.carebaseQuery === q && list.dataset.cbEngine === engine; }", arg=[box, text, engine])
    return page.locator("#" + page.locator(box).get_attribute("aria-controls"))


def search_page(page, url, engine):
    open_search_page(page, url, engine)


def test_header_box_suggests_refund_with_did_you_mean_and_logs_the_final_query(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    fetched = []
    page.on("request", lambda r: fetched.append(r.url))
    box = "#cb-header-q"
    listbox = suggest(page, search_stack.url + "troubleshooting/thermostat-offline/", box, "refnd", "api")
    save_shot(page, "sitesearch-header-light.png")
    assert page.locator(".cb-suggest__note").inner_text() == "Did you mean refund?"
    options = listbox.locator("[role=option][data-carebase-item]")
    assert options.first.get_attribute("href").endswith("/billing/refunds/")
    assert listbox.locator("[role=group]").count() >= 2  # grouped by kind: articles, questions
    assert page.locator(box).get_attribute("role") == "combobox"
    assert page.locator(box).get_attribute("aria-expanded") == "true"
    # keyboard: the focus stays in the box, the active option moves (aria-activedescendant)
    page.keyboard.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    assert page.evaluate("document.activeElement.id") == "cb-header-q"
    assert page.locator(box).get_attribute("aria-activedescendant") == first_id
    assert options.first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert page.locator(box).get_attribute("aria-expanded") == "false"
    assert page.locator(box).input_value() == "refnd"
    page.keyboard.press("ArrowDown")  # opens again on the first suggestion
    page.keyboard.press("Enter")
    page.wait_for_url("**/billing/refunds/")
    searches = wait_rows(search_stack, "search", lambda r: r["query"] == "refnd")
    assert [(r["source"], r["page"]) for r in searches] == [("header", "/troubleshooting/thermostat-offline/")]
    assert searches[0]["results"] >= 1
    clicks = wait_rows(search_stack, "click", lambda r: r["query"] == "refnd")
    assert [(c["item_id"], c["rank"]) for c in clicks] == [("article:billing/refunds", 1)]
    assert not [u for u in fetched if "search_index.json" in u]  # no lunr index anywhere
    # the same tab (it remembers the service as up) opens the search page with a question, the
    # service's answer to it held back 0.8 s (a loaded service): its results show once, from
    # the service, and are not swapped a moment later (before: the client index's 13 for
    # "refund", then the service's 6; a click in between was lost), and the logged count is the
    # one shown
    page.context.route("**/api/v1/search?q=refund&**", lambda route: (time.sleep(0.8), route.continue_()))
    page.add_init_script("window.__shown = []; document.addEventListener('carebase:search-results',"
                         " e => __shown.push({engine: e.detail.engine, total: e.detail.total}));")
    page.goto(search_stack.url + "search/?q=refund", wait_until="load")
    landed = wait_rows(search_stack, "search", lambda r: r["query"] == "refund")
    shown = page.evaluate("window.__shown")
    mode = page.locator("form.cb-search[data-cb-search-mode]").first.get_attribute("data-cb-search-mode")
    # drawn once; from the service unless its answer failed on this loaded machine (3.5 s)
    assert len(shown) == 1 and (shown[0]["engine"] == "api" or mode == "index"), (shown, mode)
    assert [(r["source"], r["results"]) for r in landed] == [("search-page", shown[0]["total"])]


def test_search_page_strong_matches_first_then_weaker_and_customer_words_kept(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    # opened with a right-to-left override in ?q= (U+202E): the box and the heading show the query
    # as the service stores it (cleaned), isolated (<bdi>, dir=auto), not reversed
    search_page(page, search_stack.url + "search/?q=%E2%80%AEthermostat+offline", "api")
    assert page.locator("#cb-q").input_value() == "thermostat offline"
    assert page.locator("#cb-q").get_attribute("dir") == "auto"
    assert page.locator(".cb-results__status bdi").inner_text() == "thermostat offline"
    strong = page.locator(RESULTS)
    assert strong.first.get_attribute("href").endswith("/troubleshooting/thermostat-offline/")
    # not every item that mentions a thermostat: issue 15's "at most ~10 strong matches" (11 on
    # main 7dce18a, with "Delete your Lumo account" among them: fused_cut.py)
    assert 1 <= strong.count() <= 10
    weaker = page.locator("#cb-results-weaker")
    assert weaker.is_hidden()
    button = page.locator(".cb-results__weaker")
    label = button.inner_text()
    assert label.startswith("Show weaker matches (") and label.endswith(")"), label
    button.click()
    # the count is every weaker match the list reaches (session 36: it counted only the rows of the
    # first page, "(17)" of 99); the button opens the links fetched (each hit counts, a video's
    # chapters listed under its row: test_sitesearch_grouped.py), "Show more weaker matches" the rest
    answer = page.evaluate("() => window.carebaseSearch.page.shown")
    # counted as items: a video with its weaker chapters once (carebase.search.items)
    assert int(label[len("Show weaker matches ("):-1]) == answer["weak_items"]
    assert weaker.is_visible() and 1 <= weaker.locator("a.cb-result__link").count() == 20 - answer["strong"]
    assert page.locator(".cb-results__more-button").inner_text() == "Show more weaker matches"
    assert button.get_attribute("aria-expanded") == "true" and button.inner_text() == "Hide weaker matches"
    save_shot(page, "sitesearch-weaker-light.png", full_page=True)
    total = int(page.locator("#cb-results").get_attribute("data-carebase-total"))
    assert page.locator(".cb-results__status").inner_text() == f"{total} results for “thermostat offline”"
    assert strong.count() == total  # the heading's count is what it lists before the weaker step
    searches = wait_rows(search_stack, "search", lambda r: r["query"] == "thermostat offline")
    assert [(r["source"], r["results"]) for r in searches] == [("search-page", total)]
    for query in ("trv", "wont connect wifi"):  # a customer's abbreviation, a contraction: not "corrected"
        page.locator("#cb-q").fill(query)
        page.keyboard.press("Enter")
        page.wait_for_function("(q) => document.querySelector('#cb-results').dataset.carebaseQuery === q", arg=query)
        assert page.locator(".cb-results__suggest").is_hidden(), query
    assert page.locator(RESULTS).first.get_attribute("href").endswith("/troubleshooting/thermostat-offline/")
    # each submitted query is a history entry: Back shows the one before with its results, Forward again
    for move, query in ((page.go_back, "trv"), (page.go_back, "thermostat offline"), (page.go_forward, "trv")):
        move()
        page.wait_for_function("(q) => document.querySelector('#cb-results').dataset.carebaseQuery === q", arg=query)
        assert page.locator("#cb-q").input_value() == query
        assert "?q=" + query.replace(" ", "%20") in page.url, page.url


def test_service_down_the_client_index_answers_every_box(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    messages, fetched = [], []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    page.on("pageerror", lambda e: messages.append(("error", str(e))))
    page.on("request", lambda r: fetched.append(r.url))
    listbox = suggest(page, search_stack.dead_site.url + "billing/", "#cb-header-q", "refnd", "index")
    assert any(h.endswith("/billing/refunds/") for h in hrefs(listbox.locator("[data-carebase-item]"))[:3])
    assert page.locator(".cb-suggest__dym").inner_text().startswith("refund")
    search_page(page, search_stack.dead_site.url + "search/?q=thermostat+offline", "index")
    # issue 15's acceptance with the service's port closed: the offline article first and at most
    # ~10 strong matches (19 rows on main d6e685a: items matching "thermostat" through "Lumo" and
    # "offline" through a synonym phrase's words scattered in them; test_sitesearch_shards.py)
    strong = page.locator(RESULTS)
    assert strong.first.get_attribute("href").endswith("/troubleshooting/thermostat-offline/")
    assert 1 <= strong.count() <= 10, strong.count()
    assert page.get_by_role("button", name="Show weaker matches").is_visible()
    # the words marked, not the quotes and "?" around them, as the service marks its snippets
    # ('"Thermostat', 'offline"', 'offline?' and 'thermostats,' on main 15a942f)
    marks = page.locator("#cb-results mark").all_inner_texts()
    assert marks and all(re.fullmatch(r"[\w'’/-]+", m) for m in marks), marks
    page.locator("#cb-q").fill("")
    page.keyboard.type("reimburs", delay=30)  # a synonym, partly typed
    page.wait_for_function("() => document.querySelector('#cb-results').dataset.carebaseQuery === 'reimburs'")
    assert any(h.endswith("/billing/refunds/") for h in hrefs(page.locator(RESULTS))[:5])
    index_files = [u for u in fetched if "/search/carebase/" in u]
    assert any(u.endswith("/meta.json") for u in index_files) and any("/t-re.json" in u for u in index_files)
    assert not [u for u in fetched if "search_index.json" in u]
    page.wait_for_timeout(800)
    assert [m for m in messages if m[0] == "error"] == []  # a service that is down costs no console error
    page.wait_for_function("() => (JSON.parse(localStorage.getItem('carebase.outbox')) || [])"
                           ".some(e => e.type === 'search' && e.query === 'reimburs' && e.source === 'search-page')")


def test_home_box_keyboard_and_the_kind_filter(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page.goto(search_stack.url, wait_until="load")
    material_started(page)
    page.locator("#cb-q").click()
    # the arrows move through the client index's list at once; the API's answer to the same
    # query, coming after the pause, leaves the highlighted option where it is
    page.keyboard.type("money back", delay=40)
    listbox = page.locator("#" + page.locator("#cb-q").get_attribute("aria-controls"))
    page.wait_for_function("(id) => document.getElementById(id).dataset.carebaseQuery === 'money back'",
                           arg=listbox.get_attribute("id"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    active = page.locator("#cb-q").get_attribute("aria-activedescendant")
    assert active, "the arrows highlighted no option"
    target = page.locator("#" + active).get_attribute("href")
    page.wait_for_function("(id) => document.getElementById(id).dataset.cbAnswered === 'api'",
                           arg=listbox.get_attribute("id"))
    assert page.locator("#cb-q").get_attribute("aria-activedescendant") == active
    assert page.locator("#" + active).get_attribute("href") == target
    assert page.locator("#" + active).get_attribute("aria-selected") == "true"
    assert any(h.endswith("/billing/refunds/") for h in hrefs(listbox.locator("[data-carebase-item]"))[:4])
    save_shot(page, "sitesearch-home-dark-390.png")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert wait_rows(search_stack, "search", lambda r: r["query"] == "money back" and r["source"] == "home")
    # the search page opened from a box, filtered by kind
    search_page(page, search_stack.url + "search/?q=wifi&from=header", "api")
    assert page.locator("#cb-q").input_value() == "wifi" and "?q=wifi" in page.url
    videos = page.locator(".cb-results__filter[data-kind=video]")
    count = int(videos.locator(".cb-results__count").inner_text())
    videos.click()
    page.wait_for_function("() => document.querySelector('.cb-results__filter[data-kind=video]')"
                           ".getAttribute('aria-pressed') === 'true' && "
                           "document.querySelector('.cb-search-results').dataset.cbEngine === 'api'")
    # every kind label says video (its text: a chapter behind "N more chapters" is not rendered)
    assert {k.upper() for k in page.locator("#cb-results .cb-result__kind").all_text_contents()} == {"VIDEO"}
    assert page.locator(".cb-results__status").inner_text().startswith(f"{count} video")
    searches = wait_rows(search_stack, "search", lambda r: r["query"] == "wifi")
    assert [r["source"] for r in searches] == ["header"]  # reported once, as typed in the header


def assert_axe_clean_in_both_palettes(page, what: str) -> None:
    """Every rule in the light palette; the same document switched to the dark one as with the
    header's toggle (web_testkit.switch_palette), the colour rules (web_testkit.COLOUR_RULES)."""
    from web_testkit import describe, run_axe, switch_palette

    violations = run_axe(page)
    assert not violations, f"{what} (light): {describe(violations)}"
    save_shot(page, f"sitesearch-{what}-light.png", full_page=True)
    assert switch_palette(page, "dark") == "slate"
    violations = run_axe(page, colours_only=True)
    assert not violations, f"{what} (dark): {describe(violations)}"
    save_shot(page, f"sitesearch-{what}-dark.png", full_page=True)


@pytest.mark.slow
def test_suggestions_and_results_have_no_axe_violations(search_stack, search_page_factory):
    from web_testkit import AXE_JS

    if not AXE_JS.exists():
        pytest.skip("axe-core is not installed: run `npm ci --prefix tests` (tests/run does)")
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    suggest(page, search_stack.url, "#cb-q", "refnd", "api")  # home: grouped suggestions, did-you-mean
    page.keyboard.press("ArrowDown")
    assert page.locator("#cb-q").get_attribute("aria-activedescendant")
    assert_axe_clean_in_both_palettes(page, "home-suggestions")
    assert page.locator("#cb-q").get_attribute("aria-activedescendant")  # still open, an option active
    search_page(page, search_stack.dead_site.url + "search/?q=wifi+offline", "index")
    page.get_by_role("button", name="Show weaker matches").click()
    assert_axe_clean_in_both_palettes(page, "page")
    # still dark: a filled button (Search), an outlined one and a contact link, each with the keyboard's
    # focus (as on hover: the accent fills the buttons and colours the link; Material's light-blue
    # accent gave 3.4:1, 1.6:1 and 4.3:1)
    from web_testkit import describe, run_axe, wait_until_still

    for selector in (".cb-search__button", ".cb-results__weaker", ".cb-contact__link"):
        page.locator(selector).first.focus()
        wait_until_still(page)
        violations = run_axe(page, context=selector, colours_only=True)
        assert not violations, f"{selector} focused (dark): {describe(violations)}"


def test_the_search_page_box_lines_up_with_its_heading_and_results(search_stack, search_page_factory):
    # Before: at 1,280 px the box was the home hero's centred 38rem, indented ~58 px from the
    # heading's left edge and ~60 px short of the results column's right edge
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    open_search_page(page, search_stack.url + "search/?q=thermostat+offline", "api")
    box = page.locator("form[data-carebase-search=search-page]").bounding_box()
    heading = page.locator(".md-content h1").first.bounding_box()
    results = page.locator(".cb-search-results").bounding_box()
    assert abs(box["x"] - heading["x"]) <= 1, (box, heading)
    assert abs(box["x"] + box["width"] - results["x"] - results["width"]) <= 1, (box, results)
    save_shot(page, "sitesearch-page-1280.png")
