"""A customer who follows "Send us a message" is one contact in the report, with JavaScript or
without it (headless Chromium against the demo build and the real service on SQLite).

With JavaScript, events.js sends a ``contact`` event when the link is followed (the page's item,
else the journey's last search). Without it, the site's form page is static: the old code logged
the contact only when a message was sent (``contact_page.log_contact_from_the_site``), so a
customer who opened the form and gave up (or wrote by email, phone or chat, listed above the
form) was never counted, and the report's contacts per item and per day were lower for customers
without JavaScript. The form page now asks the service for an image inside ``<noscript>``
(``/contact/seen.gif``, the page's address as the ``Referer``): the same event, logged once."""

from __future__ import annotations

import time

import pytest
from web_testkit import RequestWatch, material_started, page_factory

from carebase.report.period import resolve
from carebase.report.queries import item_traffic

pytestmark = pytest.mark.browser

WITH_JS = "troubleshooting/thermostat-offline/"
WITHOUT_JS = "troubleshooting/no-power-blank-screen/"


def contacts_of(stack, wait_for: int = 1) -> list[dict]:
    """This test's contact events, once ``wait_for`` of them are stored (events.js sends in the
    background) or after 15 s."""
    end = time.monotonic() + 15
    while len(rows := stack.rows("contact")) < wait_for and time.monotonic() < end:
        time.sleep(0.1)
    return rows


def contacts_once_answered(stack, *watches: RequestWatch) -> list[dict]:
    """This test's contact events once every request of the watched pages has been answered and
    none started for a second. The service stores an event before it answers the request that
    carries it (``/api/v1/events``, the form's post, ``/contact/seen.gif``), and events.js sends
    from the page (a beacon or a fetch: the page's requests), so nothing those pages did can be
    stored later: a check that no more contacts come waits for that, not for a 15 s timeout.
    A page with events.js is first made to send what it holds (``carebase.flush()``: a send it
    would retry 5 s later, or one kept in its outbox for the next page load, goes now) and its
    outbox must be empty (reader 44, S1: otherwise a second contact sent on a retry came after
    the check)."""
    for watch in watches:
        # a page opened with JavaScript off has no window.carebase (Playwright still evaluates there)
        if watch.page.evaluate("() => !!(window.carebase && window.carebase.flush)"):
            left = watch.page.evaluate("() => window.carebase.flush().then(() => localStorage.getItem('carebase.outbox'))")
            assert left in (None, "[]"), f"events.js kept events it did not send: {left}"
    for watch in watches:
        watch.settle(quiet=1.0)
    return stack.rows("contact")


def report_contacts(stack, item: str) -> int:
    """The contacts the gap report counts for ``item`` this period (``queries.item_traffic``)."""
    periods = resolve(None, None, None, None, latest_ms=int(time.time() * 1000))
    with stack.service.engine.connect() as conn:
        return item_traffic(conn, periods).get(f"article:{item.rstrip('/')}", {}).get("contacts_cur", 0)


def follow_contact(stack, page, article: str, *, scripts: bool) -> None:
    page.goto(stack.url + article, wait_until="load")
    if scripts:
        material_started(page)
    page.get_by_role("link", name="Send us a message").click()
    page.wait_for_url(stack.url + "contact/?from=/" + article)  # the site's own, static form
    page.wait_for_load_state("load")


def send(page, message: str, *, scripts: bool) -> None:
    page.get_by_label("Your name").fill("Ana")
    page.get_by_label("Your email address").fill("ana@example.com")
    page.get_by_label("How can we help?").fill(message)
    page.get_by_role("button", name="Send message").click()
    if scripts:  # contact.js sends it and shows the ticket on the page
        page.locator(".cb-ticket").wait_for()
        return
    page.wait_for_load_state()
    if page.locator("ul.suggestions").count():  # the service's "Before you send" first
        page.get_by_role("button", name="Send message").click()
        page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Message sent"


def test_a_contact_form_opened_from_an_article_is_one_contact_with_or_without_javascript(search_stack, search_browser):
    """Fails on the old code: without JavaScript the form opened was no contact (0, where the
    same customer with JavaScript was 1), and became one only once a message was sent."""
    stack = search_stack
    before = {a: report_contacts(stack, a) for a in (WITH_JS, WITHOUT_JS)}
    with page_factory(search_browser) as make:
        page = make(viewport={"width": 390, "height": 844})
        watch = RequestWatch(page)
        follow_contact(stack, page, WITH_JS, scripts=True)
        nojs = make.context(java_script_enabled=False, viewport={"width": 390, "height": 844}).new_page()
        nojs_watch = RequestWatch(nojs)
        follow_contact(stack, nojs, WITHOUT_JS, scripts=False)
        opened = contacts_of(stack, 2)
        # the same event either way: the form channel, the article's item, the page's language
        assert sorted((r["channel"], r["item_id"], r["lang"]) for r in opened) == [
            ("form", "article:troubleshooting/no-power-blank-screen", "en"),
            ("form", "article:troubleshooting/thermostat-offline", "en")]
        # the message sent after it is not a second contact (with or without JavaScript)
        send(page, "The thermostat is offline since this morning", scripts=True)
        send(nojs, "The screen stays blank after the update", scripts=False)
        nojs.goto(stack.url + "contact/?from=/" + WITHOUT_JS, wait_until="load")  # opened again: the same contact
        assert len(contacts_once_answered(stack, watch, nojs_watch)) == 2
    after = {a: report_contacts(stack, a) for a in (WITH_JS, WITHOUT_JS)}
    assert {a: after[a] - before[a] for a in after} == {WITH_JS: 1, WITHOUT_JS: 1}


def test_the_image_is_not_fetched_with_javascript_and_do_not_track_counts_nothing(search_stack, search_browser):
    """With JavaScript the ``<noscript>`` image is never asked for (events.js counted the link);
    under Do-Not-Track neither path logs a contact."""
    stack = search_stack
    with page_factory(search_browser) as make:
        page = make(viewport={"width": 1280, "height": 900})
        watches = [RequestWatch(page)]
        asked: list[str] = []
        page.on("request", lambda r: asked.append(r.url) if "seen.gif" in r.url else None)
        page.goto(stack.url + "contact/?from=/" + WITH_JS, wait_until="load")
        material_started(page)
        assert asked == []
        for scripts in (True, False):
            tracked = make.context(fresh=True, java_script_enabled=scripts, extra_http_headers={"DNT": "1"}).new_page()
            if scripts:  # a browser set to Do-Not-Track says so to scripts too (events.js reads it, as
                # test_sitesearch_contact_form does); the header alone may miss the beacon sent while
                # the link navigates, so the test raced with the page's unload
                tracked.add_init_script("Object.defineProperty(navigator, 'doNotTrack', {get: () => '1'})")
            watches.append(RequestWatch(tracked))
            follow_contact(stack, tracked, WITHOUT_JS, scripts=scripts)
        assert contacts_once_answered(stack, *watches) == []
