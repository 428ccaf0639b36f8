"""The widget in headless Chromium on a real MkDocs + Material build, sending to a
feedback service on 127.0.0.1 that writes a real SQLite file."""

import uuid

import pytest

from web_testkit import page_factory
from widget_testkit import wait_for

pytestmark = pytest.mark.browser

ARTICLE = "article:billing/refunds"


def widget(page, item=ARTICLE):
    return page.locator(f'.cb-feedback[data-cb-item="{item}"]')


def test_vote_no_with_reason_and_comment_stores_exactly_one_row(context, widget_site, service):
    page = context.new_page()
    page.goto(widget_site.url + "billing/refunds/")
    box = widget(page)
    assert box.locator(".cb-feedback__question").inner_text().startswith("Was this helpful?")
    assert not box.locator(".cb-feedback__reasons").is_visible()  # idle: only Yes / No
    assert page.locator(".md-feedback:visible").count() == 0  # Material's own form never shows
    box.get_by_role("button", name="No").click()
    assert box.locator(".cb-feedback__reasons").is_visible()
    assert box.get_by_role("link", name="E-mail help@example.com").is_visible()
    assert "Tell us what went wrong" in box.locator("[role=status]").inner_text()
    assert service.rows(item_id=ARTICLE) == []  # nothing sent until Send
    box.get_by_label("Out of date").check()
    box.get_by_label("How can we improve it? (optional)").fill("The refund window is 14 days now")
    box.get_by_role("button", name="Send").click()
    assert wait_for(lambda: "Thanks for telling us" in box.locator("[role=status]").inner_text())
    rows = wait_for(lambda: service.rows(item_id=ARTICLE))
    page.wait_for_timeout(300)
    rows = service.rows(item_id=ARTICLE)
    assert len(rows) == 1
    row = rows[0]
    assert (row["type"], row["value"], row["scale"], row["reason"], row["comment"]) == (
        "vote", 0, "helpful", "Out of date", "The refund window is 14 days now")
    assert (row["revision"], row["source"], row["page"]) == ("rev-1", "widget", "/billing/refunds/")
    assert row["vote_key"] and row["journey"]
    # the change button is focused, the form is gone, the contact links stay
    assert page.evaluate("document.activeElement.hasAttribute('data-cb-change')")
    assert not box.locator("form").is_visible()
    assert box.get_by_role("link", name="Chat with us").is_visible()


def test_changing_the_vote_latest_wins_and_is_remembered(context, widget_site, service):
    item = "article:account/reset-password"
    page = context.new_page()
    page.goto(widget_site.url + "account/reset-password/")
    box = widget(page, item)
    box.get_by_role("button", name="No").click()
    box.get_by_label("Steps didn't work").check()
    box.get_by_role("button", name="Send").click()
    wait_for(lambda: len(service.rows(item_id=item)) == 1)
    box.get_by_role("button", name="Change your answer").click()
    assert box.get_by_role("button", name="No").get_attribute("aria-pressed") == "true"
    box.get_by_role("button", name="Yes").click()
    assert wait_for(lambda: box.locator("[role=status]").inner_text() == "Thanks for your feedback!")
    rows = wait_for(lambda: len(service.rows(item_id=item)) == 2 and service.rows(item_id=item))
    assert [r["value"] for r in rows] == [0, 1]
    assert rows[0]["vote_key"] == rows[1]["vote_key"]  # the same visitor, so the latest wins
    latest = service.latest_votes(item)
    assert [(r["value"], r["reason"]) for r in latest] == [(1, None)]
    assert not box.get_by_role("link", name="Chat with us").is_visible()  # a Yes hides contact links

    # on return the remembered vote shows, and another change keeps the same key
    again = context.new_page()
    again.goto(widget_site.url + "account/reset-password/")
    box = widget(again, item)
    assert "You said this was helpful." in box.locator("[role=status]").inner_text()
    assert not box.locator("form").is_visible()
    box.get_by_role("button", name="Change your answer").click()
    assert box.get_by_role("button", name="Yes").get_attribute("aria-pressed") == "true"
    box.get_by_role("button", name="No").click()
    box.get_by_role("button", name="Send").click()
    rows = wait_for(lambda: len(service.rows(item_id=item)) == 3 and service.rows(item_id=item))
    assert len({r["vote_key"] for r in rows}) == 1
    assert [r["value"] for r in service.latest_votes(item)] == [0]


def test_offline_vote_is_kept_and_delivered_once_when_back_online(context, widget_site, service):
    item = "faq:billing#where-is-my-invoice"
    page = context.new_page()
    page.goto(widget_site.url + "faq/billing/")
    box = widget(page, item)
    context.set_offline(True)
    box.get_by_role("button", name="Yes").click()
    assert wait_for(lambda: "You're offline" in box.locator("[role=status]").inner_text())
    page.wait_for_timeout(500)
    assert service.rows(item_id=item) == []
    outbox = page.evaluate("JSON.parse(localStorage.getItem('carebase.outbox'))")
    assert [(e["type"], e["item"], e["value"]) for e in outbox] == [("vote", item, 1)]
    context.set_offline(False)
    rows = wait_for(lambda: service.rows(item_id=item))
    assert [(r["value"], r["event_id"]) for r in rows] == [(1, outbox[0]["id"])]
    assert wait_for(lambda: page.evaluate("JSON.parse(localStorage.getItem('carebase.outbox')).length") == 0)
    # a later page load retries nothing more: still one row
    page.reload()
    page.wait_for_timeout(800)
    assert len(service.rows(item_id=item)) == 1


def test_offline_vote_survives_closing_the_tab_and_is_sent_on_next_load(context, widget_site, service):
    item = "faq:billing#can-i-get-a-refund"
    page = context.new_page()
    page.goto(widget_site.url + "faq/billing/")
    context.set_offline(True)
    widget(page, item).get_by_role("button", name="Yes").click()
    page.wait_for_timeout(300)
    page.close()
    context.set_offline(False)
    assert service.rows(item_id=item) == []
    later = context.new_page()
    later.goto(widget_site.url + "billing/refunds/")  # any page of the site flushes the outbox
    rows = wait_for(lambda: service.rows(item_id=item))
    later.wait_for_timeout(500)
    assert len(service.rows(item_id=item)) == 1 and rows[0]["page"] == "/faq/billing/"


def test_rating_scale_csat_low_score_asks_why(context, widget_site, service):
    item = "article:ratings/csat"
    page = context.new_page()
    page.goto(widget_site.url + "ratings/csat/")
    box = widget(page, item)
    box.get_by_role("button", name="Send").click()
    assert box.locator("[role=status]").inner_text() == "Please choose a rating first."
    box.get_by_label("2 – Dissatisfied").check()
    assert box.locator(".cb-feedback__reasons").is_visible()
    box.get_by_label("Hard to understand").check()
    box.get_by_role("button", name="Send").click()
    rows = wait_for(lambda: service.rows(item_id=item))
    assert [(r["value"], r["scale"], r["reason"]) for r in rows] == [(2, "csat", "Hard to understand")]
    assert "You rated" not in box.locator("[role=status]").inner_text()
    # events left in the outbox by an earlier page: the one the service refuses (an item it does
    # not publish) is dropped, the other delivered; the reload also shows the remembered rating
    good = "good-event-" + uuid.uuid4().hex[:12]  # its own: an id stored before is a duplicate, not stored again
    page.evaluate("""(good) => localStorage.setItem('carebase.outbox', JSON.stringify([
        {id: 'bad-event-0001', type: 'vote', item: 'article:no-such-page', value: 1, page: '/x/'},
        {id: good, type: 'vote', item: 'article:ratings/ces', value: 5, scale: 'ces', page: '/x/'}]))""", good)
    page.reload()
    assert "You rated this 2 out of 5." in widget(page, item).locator("[role=status]").inner_text()
    assert wait_for(lambda: page.evaluate("localStorage.getItem('carebase.outbox')") == "[]")
    assert [(r["event_id"], r["item_id"], r["value"]) for r in service.rows() if r["item_id"] != item] == [
        (good, "article:ratings/ces", 5)]
    assert len(service.rows(item_id=item)) == 1


def test_keyboard_only_vote(context, widget_site, service):
    item = "article:ratings/ces"
    page = context.new_page()
    page.goto(widget_site.url + "ratings/ces/")
    box = widget(page, item)
    box.get_by_label("1 – Very difficult").focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert box.get_by_label("6 – Easy").is_checked()
    assert not box.locator(".cb-feedback__reasons").is_visible()  # 6 of 7 is not negative
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Send"
    page.keyboard.press("Enter")
    rows = wait_for(lambda: service.rows(item_id=item))
    assert [(r["value"], r["scale"]) for r in rows] == [(6, "ces")]
    assert rows and service.rows(type="vote", item_id=item)[0]["value"] == 6


def test_without_javascript_the_form_posts_and_comes_back_to_the_thanks_note(chromium, widget_site, service):
    with page_factory(chromium) as make:
        context = make.context(java_script_enabled=False)
        page = context.new_page()
        page.goto(widget_site.url + "billing/refunds/")
        box = widget(page)
        assert box.get_by_role("button", name="Yes").is_visible()
        assert not box.locator(".cb-feedback__nojs-thanks").is_visible()
        # No, then the service's page asks what went wrong (since session 41: test_widget_nojs_no_browser.py)
        with page.expect_navigation():
            box.get_by_role("button", name="No").click()
        page.get_by_label("Hard to understand").check()
        page.get_by_label("How can we improve it? (optional)").fill("Too much jargon <b>here</b>")
        with page.expect_navigation():
            page.get_by_role("button", name="Send").click()
        assert page.url == widget_site.url + "billing/refunds/#cb-thanks-article-billing-refunds"
        assert widget(page).locator(".cb-feedback__nojs-thanks").is_visible()
        assert widget(page).locator(".cb-feedback__nojs-thanks").inner_text() == "Thanks for your feedback!"
        rows = service.latest_votes("article:billing/refunds")
        assert [(r["item_id"], r["value"], r["reason"], r["comment"], r["source"], r["revision"]) for r in rows] == [
            ("article:billing/refunds", 0, "Hard to understand", "Too much jargon <b>here</b>", "form", "rev-1")]


def test_no_then_leaving_without_send_still_counts_the_no(context, widget_site, service):
    page = context.new_page()
    page.goto(widget_site.url + "billing/refunds/")
    widget(page).get_by_role("button", name="No").click()
    page.goto(widget_site.url + "account/reset-password/")  # leaves before pressing Send
    rows = wait_for(lambda: service.rows(type="vote"))
    page.wait_for_timeout(500)
    assert [(r["item_id"], r["value"], r["reason"]) for r in service.rows()] == [(ARTICLE, 0, None)]
    assert context.cookies() == []  # no cookies, ever
