"""Search, click and contact events from Material's header search and the widget's
contact links, in headless Chromium against a real MkDocs + Material build."""

import pytest

from web_testkit import material_started
from widget_testkit import wait_for

pytestmark = pytest.mark.browser

DNT = "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'})"
GPC = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"


def search(page, text):
    box = page.locator("[data-md-component=search-query]")
    box.click()
    page.keyboard.type(text, delay=40)
    return box


def searches_for(service, page_path):
    return [r for r in service.rows(type="search") if r["page"] == page_path]


#: events.js TYPING_MS: a query is final once no key has been released for this long
TYPING_MS = 1000
#: each key released in the header box, with the box's value then and the page's time (ms)
KEYUPS = """() => { window.__keyups = []; document.addEventListener("keyup", (e) => {
  if (e.target.matches("[data-md-component=search-query]"))
    window.__keyups.push([e.target.value.trim(), performance.now()]); }, true); }"""


def test_typing_sends_only_the_final_query_with_its_result_count(context, widget_site, service):
    page = context.new_page()
    page.goto(widget_site.url + "account/reset-password/")
    page.evaluate(KEYUPS)
    search(page, "refund")
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function("/matching/.test(document.querySelector('.md-search-result__meta').textContent)")
    shown = int("".join(ch for ch in meta.inner_text() if ch.isdigit()))
    rows = wait_for(lambda: [r for r in searches_for(service, "/account/reset-password/") if r["query"] == "refund"])
    page.wait_for_timeout(1500)  # no keystroke searches trickle in afterwards
    rows = searches_for(service, "/account/reset-password/")
    assert [(r["query"], r["results"], r["source"]) for r in rows][-1:] == [("refund", shown, "header")]
    assert shown >= 2
    # nothing sent while the customer typed: a word started counts as a query only where typing
    # paused for the widget's whole pause (keystrokes more than a second apart: Playwright's, on a
    # machine stalled that long; in a quiet run every key comes within ~0.1 s and none may count)
    keyups = page.evaluate("window.__keyups")
    paused = {value for (value, at), (_, after) in zip(keyups, keyups[1:]) if after - at >= TYPING_MS * 0.9}
    early = [r["query"] for r in rows[:-1]]
    assert all(q in paused for q in early), f"sent while typing: {early} (keys: {keyups})"


def test_result_click_sends_query_item_and_rank(context, widget_site, service):
    page = context.new_page()
    page.goto(widget_site.url + "ratings/ces/")
    search(page, "invoice")
    rows = wait_for(lambda: searches_for(service, "/ratings/ces/"))
    assert [(r["query"], r["source"]) for r in rows] == [("invoice", "header")]
    results = page.locator(".md-search-result__item")
    assert rows[0]["results"] == results.count() >= 1
    link = results.first.locator("a").first
    assert "faq/billing/" in link.get_attribute("href")
    link.click()
    page.wait_for_url("**/faq/billing/**")
    clicks = wait_for(lambda: service.rows(type="click"))
    assert [(c["query"], c["item_id"], c["rank"], c["page"]) for c in clicks] == [
        ("invoice", "faq:billing#where-is-my-invoice", 1, "/ratings/ces/")]
    assert clicks[0]["journey"] == rows[0]["journey"]  # one tab, one journey
    page.wait_for_timeout(300)
    assert len(searches_for(service, "/ratings/ces/")) == 1  # the click did not resend it


def test_enter_sends_the_search_at_once_and_material_opens_the_best_result(context, widget_site, service):
    page = context.new_page()
    page.goto(widget_site.url)
    search(page, "passw")
    page.locator(".md-search-result__item").first.wait_for()
    page.keyboard.press("Enter")  # Material opens the best match on Enter
    page.wait_for_url("**/account/reset-password/**")
    rows = wait_for(lambda: service.rows(type="search"))
    clicks = wait_for(lambda: service.rows(type="click"))
    assert [(r["query"], r["source"], r["page"]) for r in rows] == [("passw", "header", "/")]
    assert rows[0]["results"] >= 1
    assert [(c["query"], c["item_id"], c["rank"]) for c in clicks] == [("passw", "article:account/reset-password", 1)]
    assert rows[0]["received_ms"] <= clicks[0]["received_ms"]


def test_result_click_before_the_pause_sends_search_then_click(context, widget_site, service):
    page = context.new_page()
    page.goto(widget_site.url + "ratings/csat/")
    search(page, "password")
    link = page.locator(".md-search-result__item a").first
    link.wait_for()
    link.click()  # within the typing pause: the search is finished by the click
    page.wait_for_url("**/account/reset-password/**")
    rows = wait_for(lambda: searches_for(service, "/ratings/csat/"))
    clicks = wait_for(lambda: [r for r in service.rows(type="click") if r["query"] == "password"])
    assert [(r["query"], r["source"]) for r in rows] == [("password", "header")]
    assert rows[0]["results"] >= 1
    assert [(c["item_id"], c["rank"]) for c in clicks] == [("article:account/reset-password", 1)]


def test_many_widgets_on_one_faq_page_are_independent_and_contact_names_the_item(context, widget_site, service):
    page = context.new_page()
    sent = []  # what the page handed to the service, for the failure's message
    page.on("request", lambda r: "/api/v1/events" in r.url and sent.append(
        f"{r.method} {r.resource_type} {(r.post_data or '')[:120]}"))
    page.on("requestfailed", lambda r: "/api/v1/events" in r.url and sent.append(f"failed {r.method}: {r.failure}"))
    page.route("https://chat.example.com/**", lambda route: route.fulfill(body="chat"))
    page.goto(widget_site.url + "faq/billing/")
    boxes = page.locator(".cb-feedback")
    assert boxes.count() == 2
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))
    box = page.locator('.cb-feedback[data-cb-item="faq:billing#can-i-get-a-refund"]')
    second = page.locator('.cb-feedback[data-cb-item="faq:billing#where-is-my-invoice"]')
    box.get_by_role("button", name="No").click()
    assert box.locator(".cb-feedback__reasons").is_visible()
    assert not second.locator(".cb-feedback__reasons").is_visible()
    assert second.get_by_role("button", name="Yes").is_visible()
    assert box.locator(".cb-feedback__question").inner_text().startswith("Was this answer helpful?")
    box.get_by_role("link", name="Chat with us").click()
    # the chat page is fulfilled by the route above, whose handler runs only inside a Playwright
    # call: wait here for the page to leave, not in wait_for's database polling
    page.wait_for_url("https://chat.example.com/**")
    rows = wait_for(lambda: service.rows(type="contact"))
    assert [(r["item_id"], r["channel"], r["page"]) for r in rows] == [
        ("faq:billing#can-i-get-a-refund", "chat", "/faq/billing/")], f"the page sent: {sent}"


@pytest.mark.parametrize("signal", [DNT, GPC], ids=["do-not-track", "global-privacy-control"])
def test_privacy_signal_sends_no_search_click_or_contact_and_votes_carry_no_id(
        chromium, widget_site, service, signal, request):
    """Do-Not-Track / Global Privacy Control: only the explicit vote, without any id. With
    Do-Not-Track, in the same browser, the demo's own header box (search.js) sends no search or
    click either."""
    context = chromium.new_context()
    context.add_init_script(signal)
    try:
        page = context.new_page()
        page.goto(widget_site.url + "faq/billing/")
        search(page, "refund")
        page.wait_for_timeout(1500)  # past the typing pause
        page.locator(".md-search-result__item a").first.click()
        page.wait_for_url("**/billing/refunds/**")
        box = page.locator('.cb-feedback[data-cb-item="article:billing/refunds"]')
        box.get_by_role("button", name="No").click()
        box.get_by_role("link", name="E-mail help@example.com").dispatch_event("click")
        box.get_by_role("button", name="Send").click()
        votes = wait_for(lambda: service.rows(type="vote"))
        page.wait_for_timeout(1200)
        assert [r["type"] for r in service.rows()] == ["vote"]
        assert len(votes) == 1 and votes[0]["value"] == 0 and votes[0]["item_id"] == "article:billing/refunds"
        assert votes[0]["journey"] is None and votes[0]["vote_key"] is None
        assert page.evaluate("localStorage.getItem('carebase.outbox')") == "[]"
        if signal == DNT:  # carebase's own header box on the demo, in the same browser
            page.goto(request.getfixturevalue("demo_site").url + "billing/")
            material_started(page)
            page.locator("#cb-header-q").click()
            page.keyboard.type("refund", delay=40)
            page.locator("[role=option][data-carebase-item]").first.wait_for()
            page.wait_for_timeout(1500)  # past the typing pause
            page.locator("[role=option][data-carebase-item]").first.click()
            page.wait_for_load_state()
            page.wait_for_timeout(1000)
            assert [r["type"] for r in service.rows()] == ["vote"]
    finally:
        context.close()


def test_site_search_box_contract_search_and_click(context, widget_site, service):
    """Boxes marked data-carebase-search (home, search page) and result lists marked
    data-carebase-results / -query / -total report the final query and clicks too."""
    page = context.new_page()
    page.goto(widget_site.url + "find/")
    page.locator("#find-q").click()
    page.keyboard.insert_text("refund")  # one input event: no pause between keys can log "re"
    rows = wait_for(lambda: service.rows(type="search"))
    assert [(r["query"], r["results"], r["source"]) for r in rows] == [("refund", 2, "search-page")]
    page.get_by_role("link", name="Can I get a refund?").click()
    page.wait_for_url("**/faq/billing/**")
    clicks = wait_for(lambda: service.rows(type="click"))
    assert [(c["query"], c["item_id"], c["rank"]) for c in clicks] == [
        ("refund", "faq:billing#can-i-get-a-refund", 2)]
    assert len(service.rows(type="search")) == 1


def test_search_page_opened_with_a_query_reports_it_once_even_with_no_results(context, widget_site, service):
    page = context.new_page()
    page.goto(widget_site.url + "find/?q=thermostat+wiring")
    rows = wait_for(lambda: service.rows(type="search"))
    page.wait_for_timeout(1200)
    assert [(r["query"], r["results"], r["source"]) for r in service.rows(type="search")] == [
        ("thermostat wiring", 0, "search-page")]
