"""Page views (issue 14): an article page sends one ``view``; the service keeps only a count per
item and day (no event row); Do-Not-Track sends none; a page of several items (an FAQ page)
counts no view for any of them."""

import pytest
import sqlalchemy as sa

from widget_testkit import wait_for

pytestmark = pytest.mark.browser

DNT = "Object.defineProperty(Navigator.prototype, 'doNotTrack', {get: () => '1'})"


def views(service, item: str) -> int:
    with service.engine.connect() as conn:
        return conn.execute(sa.text("SELECT coalesce(sum(views), 0) FROM item_views WHERE item_id = :i"),
                            {"i": item}).scalar()


def test_an_article_page_counts_one_view_and_nothing_else_is_kept(context, chromium, demo_site, service):
    item = "article:billing/refunds"
    before = views(service, item)
    page = context.new_page()
    page.goto(demo_site.url + "billing/refunds/")
    wait_for(lambda: views(service, item) == before + 1)
    page.goto(demo_site.url + "faq/billing/")  # an FAQ page: several items, no view for any
    page.wait_for_timeout(500)
    assert views(service, item) == before + 1
    assert service.rows() == []  # a view is a count, never an event with a page or journey
    dnt = chromium.new_context()
    try:
        dnt.add_init_script(DNT)
        dnt.new_page().goto(demo_site.url + "billing/refunds/")
        page.wait_for_timeout(800)
    finally:
        dnt.close()
    assert views(service, item) == before + 1
