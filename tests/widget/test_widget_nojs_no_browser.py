""""No" without JavaScript, in headless Chromium on the built demo help centre and the real
service on 127.0.0.1 writing a SQLite file (session 40's audit: the reasons sat in a closed
disclosure above the buttons, to fill before pressing No, which sent the vote at once; after it
the page still offered Yes / No under "Thanks for your feedback!").

Now: the widget shows Yes / No only; No is stored at once and the service's page asks what went
wrong; its answer is stored under the same vote key, so the latest-wins view counts one vote, with
its reason; back on the page, the thanks and no second vote."""

from __future__ import annotations

import pytest

from web_testkit import page_factory, run_axe, describe, save_shot

pytestmark = pytest.mark.browser

ITEM = "article:troubleshooting/thermostat-offline"
PAGE = "troubleshooting/thermostat-offline/"
THANKS = "#cb-thanks-article-troubleshooting-thermostat-offline"


def widget(page):
    return page.locator(f'.cb-feedback[data-cb-item="{ITEM}"]')


def press_no(page, demo_site):
    page.goto(demo_site.url + PAGE)
    box = widget(page)
    assert box.get_by_role("button", name="Yes").is_visible() and box.get_by_role("button", name="No").is_visible()
    # no disclosure of reasons to fill before pressing No, no second "Send" beside Yes / No
    assert not box.get_by_text("Tell us what went wrong (optional)").is_visible()
    assert not box.get_by_role("button", name="Send").is_visible()
    with page.expect_navigation():
        box.get_by_role("button", name="No").click()


@pytest.mark.parametrize("width", [390, 1280])
def test_no_asks_why_on_a_page_of_its_own_and_stores_one_vote_with_its_reason(chromium, demo_site, service, width):
    """Fails on the old code: the disclosure was on the page above the buttons and No came back
    to the thanks at once (one vote without a reason), Yes / No still offered under it."""
    with page_factory(chromium) as make:
        page = make.context(java_script_enabled=False, viewport={"width": width, "height": 900}).new_page()
        press_no(page, demo_site)
        # the No is kept already, whatever the customer does next
        first = service.rows(type="vote")
        assert [(r["item_id"], r["value"], r["reason"], r["source"]) for r in first] == [(ITEM, 0, None, "form")]
        assert first[0]["vote_key"] and first[0]["lang"] == "en"
        # the service's page, in the help centre's look: what went wrong, a comment, Send / Skip
        assert page.locator("h1").inner_text() == "Sorry this didn't help"
        save_shot(page, f"nojs-no-why-{width}.png", full_page=True)
        page.get_by_label("Out of date").check()
        page.get_by_label("How can we improve it? (optional)").fill("The router steps changed")
        with page.expect_navigation():
            page.get_by_role("button", name="Send").click()
        assert page.url == demo_site.url + PAGE + THANKS
        box = widget(page)
        assert box.get_by_text("Thanks for your feedback!").is_visible()
        # the vote is done: no second Yes / No under the thanks
        assert not box.get_by_role("button", name="Yes").is_visible()
        assert not box.get_by_role("button", name="No").is_visible()
        save_shot(page.locator(f'.cb-feedback[data-cb-item="{ITEM}"]'), f"nojs-no-thanks-{width}.png")
    rows = service.rows(type="vote")
    assert len(rows) == 2 and len({r["vote_key"] for r in rows}) == 1  # the No, then its reason: one key
    assert [(r["value"], r["reason"], r["comment"]) for r in service.latest_votes(ITEM)] == [
        (0, "Out of date", "The router steps changed")]


def test_skip_keeps_the_no_without_a_reason(chromium, demo_site, service):
    with page_factory(chromium) as make:
        page = make.context(java_script_enabled=False).new_page()
        press_no(page, demo_site)
        with page.expect_navigation():
            page.get_by_role("button", name="Skip and go back").click()
        assert page.url == demo_site.url + PAGE + THANKS
        assert widget(page).get_by_text("Thanks for your feedback!").is_visible()
    assert [(r["value"], r["reason"]) for r in service.latest_votes(ITEM)] == [(0, None)]
    assert len(service.rows(type="vote")) == 1


def test_do_not_track_stores_the_no_once_from_the_reasons_page(chromium, demo_site, service):
    """No vote key under Do-Not-Track (nothing to join two rows by): nothing is stored until the
    reasons page is sent, then one vote with its reason."""
    with page_factory(chromium) as make:
        page = make.context(java_script_enabled=False, extra_http_headers={"DNT": "1"}).new_page()
        press_no(page, demo_site)
        assert service.rows(type="vote") == []
        page.get_by_label("Steps didn't work").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Send").click()
        assert widget(page).get_by_text("Thanks for your feedback!").is_visible()
    rows = service.rows(type="vote")
    assert [(r["value"], r["reason"], r["vote_key"], r["client"]) for r in rows] == [(0, "Steps didn't work", None, None)]


def test_the_reasons_page_has_no_accessibility_violations(chromium, demo_site, service):
    """axe needs script, which the page does not: its HTML as served, opened with script on."""
    with page_factory(chromium) as make:
        page = make.context(java_script_enabled=False).new_page()
        press_no(page, demo_site)
        served = page.content()
    for scheme in ("light", "dark"):
        with page_factory(chromium) as make:
            page = make.context(color_scheme=scheme, bypass_csp=True, viewport={"width": 390, "height": 844}).new_page()
            page.set_content(served, wait_until="load")
            save_shot(page, f"nojs-no-why-390-{scheme}.png", full_page=True)
            found = run_axe(page)
            assert not found, describe(found)
