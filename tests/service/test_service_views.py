"""Page views over real HTTP (SQLite and PostgreSQL): a ``view`` is counted per item and UTC day
in ``item_views`` and kept nowhere else; an unknown item is a 422 naming it; under Do-Not-Track
or GPC nothing is counted."""

from __future__ import annotations

import time

import sqlalchemy as sa
from service_testkit import new_id, post_events

DAY_MS = 86_400_000


def counted(service, item: str) -> dict[int, int]:
    """Views of ``item`` per day, every page language together (a row per item, day and language)."""
    service.rows([])  # opens the service's own engine on its database
    with service._engine.connect() as conn:
        return dict(conn.execute(sa.text("SELECT day, SUM(views) FROM item_views WHERE item_id = :i GROUP BY day"),
                                 {"i": item}).all())


def test_views_are_counted_per_item_and_day_and_nothing_else_is_kept(any_service):
    item = "video:setup-basics"
    before = counted(any_service, item)
    today = int(time.time() * 1000) // DAY_MS
    views = [{"id": new_id("view"), "type": "view", "item": item, "page": "/videos/setup-basics/",
              "journey": "tab-9", "ts": 1700000000000} for _ in range(3)]
    answer = post_events(any_service, views)
    assert answer.status_code == 200 and answer.json() == {"accepted": 3, "duplicates": 0}, answer.text
    after = counted(any_service, item)
    assert sum(after.values()) - sum(before.values()) == 3 and set(after) - set(before) <= {today, today + 1}
    assert any_service.rows([v["id"] for v in views]) == {}  # no event row: no page, journey or client
    unknown = post_events(any_service, [{"id": new_id("view"), "type": "view", "item": "article:nowhere"}])
    assert (unknown.status_code, unknown.json()["field"]) == (422, "events[0].item")
    opted_out = post_events(any_service, [{"id": new_id("view"), "type": "view", "item": item}], DNT="1")
    assert opted_out.status_code == 200 and opted_out.json()["ignored"] == 1
    assert counted(any_service, item) == after
