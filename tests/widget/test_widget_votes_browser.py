"""The widget in headless Chromium on a real MkDocs + Material build, sending to a
feedback service on 127.0.0.1 that writes a real SQLite file."""

import pytest

from conftest import wait_for

pytestmark = pytest.mark.browser

ARTICLE = "article:billing/refunds"


def widget(page, item=ARTICLE):
    return page.locator(f'.cb-feedback[data-cb-item="{item}"]')


def test_vote_no_with_reason_and_comment_stores_exactly_one_row(context, widget_site, widget_service):
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
    assert widget_service.rows(item_id=ARTICLE) == []  # nothing sent until Send
    box.get_by_label("Out of date").check()
    box.get_by_label("How can we improve it? (optional)").fill("The refund window is 14 days now")
    box.get_by_role("button", name="Send").click()
    assert wait_for(lambda: "Thanks for telling us" in box.locator("[role=status]").inner_text())
    rows = wait_for(lambda: widget_service.rows(item_id=ARTICLE))
    page.wait_for_timeout(300)
    rows = widget_service.rows(item_id=ARTICLE)
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
