"""The service on PostgreSQL: the same HTTP contract, stored in PostgreSQL."""

from __future__ import annotations

import pytest
from service_testkit import NO_LEARNING, TOKEN, new_id, post_events

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("fresh_db_url", ["postgres"], indirect=True)
def test_events_duplicates_export_and_health_on_postgresql(start_service, fresh_db_url):
    service = start_service("--rate-limit", "0", *NO_LEARNING, db_url=fresh_db_url)
    assert service.client.get("/healthz").json()["database"] == "postgresql"
    batch = [{"id": new_id("pg"), "type": "vote", "item": "article:old/refunds", "value": 0,
              "comment": "mail me at x@y.org", "vote_key": "key-pg-00001"},
             {"id": new_id("pg"), "type": "search", "query": "refund", "results": 0}]
    assert post_events(service, batch).json() == {"accepted": 2, "duplicates": 0}
    assert post_events(service, batch).json() == {"accepted": 0, "duplicates": 2}
    bad = post_events(service, [{"id": new_id("pg"), "type": "vote", "item": "article:gone", "value": 1}])
    assert bad.status_code == 422
    rows = service.rows()
    assert len(rows) == 2
    vote = rows[batch[0]["id"]]
    assert (vote["item_id"], vote["comment"]) == ("article:billing/refunds", "mail me at [email]")
    export = service.client.get("/api/v1/export", headers={"Authorization": f"Bearer {TOKEN}"})
    assert len(export.text.splitlines()) == 2
    form = service.client.post("/feedback", data={"item": "video:setup-basics", "value": "1",
                                                  "return_to": "http://site.test/videos/setup-basics/"},
                               follow_redirects=False)
    assert form.status_code == 303
    assert service.count() == 3
