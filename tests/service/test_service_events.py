"""POST /api/v1/events over real HTTP: stored rows, duplicates, and every 4xx storing nothing."""

from __future__ import annotations

import json

import pytest
from service_testkit import new_id, post_events


def vote(**fields) -> dict:
    return {"id": new_id("vote"), "type": "vote", "item": "article:billing/refunds", "value": 0,
            "page": "/billing/refunds/", **fields}


def test_a_batch_of_every_event_type_is_stored_field_by_field(service):
    batch = [
        vote(reason="Out of date", comment="Steps changed", revision="r1", vote_key="key-abcdef12", ts=1700000000123,
             journey="tab-1", source="widget"),
        {"id": new_id("search"), "type": "search", "query": "refund policy", "results": 3, "source": "header",
         "page": "/"},
        {"id": new_id("click"), "type": "click", "query": "refund policy", "item": "faq:billing#can-i-get-a-refund",
         "rank": 2, "page": "/search/"},
        {"id": new_id("contact"), "type": "contact", "item": "video:setup-basics", "channel": "chat",
         "page": "/videos/setup-basics/", "lang": "de"},
    ]
    response = post_events(service, batch)
    assert response.status_code == 200, response.text
    assert response.json() == {"accepted": 4, "duplicates": 0}
    rows = service.rows([e["id"] for e in batch])
    v, s, c, k = (rows[e["id"]] for e in batch)
    assert (v["type"], v["item_id"], v["value"], v["scale"], v["reason"], v["comment"], v["revision"]) == (
        "vote", "article:billing/refunds", 0, "helpful", "Out of date", "Steps changed", "r1")
    assert (v["vote_key"], v["client_ms"], v["journey"], v["source"], v["page"]) == (
        "key-abcdef12", 1700000000123, "tab-1", "widget", "/billing/refunds/")
    assert v["received_ms"] > 1700000000000
    assert (s["query"], s["results"], s["source"]) == ("refund policy", 3, "header")
    assert (c["item_id"], c["rank"], c["query"]) == ("faq:billing#can-i-get-a-refund", 2, "refund policy")
    assert (k["item_id"], k["channel"], k["lang"]) == ("video:setup-basics", "chat", "de")
    assert v["lang"] is None  # a page that names no language: the site's default


def test_retried_batch_is_counted_once(service):
    batch = [vote(), vote(value=1)]
    assert post_events(service, batch).json() == {"accepted": 2, "duplicates": 0}
    assert post_events(service, batch + [vote()]).json() == {"accepted": 1, "duplicates": 2}
    assert len(service.rows([e["id"] for e in batch])) == 2


def test_json_content_type_and_aliases_and_rating_scales(service):
    batch = [vote(item="article:old/refunds", value=1), vote(scale="csat", value=5), vote(scale="ces", value=7)]
    response = service.client.post("/api/v1/events", json={"events": batch})
    assert response.status_code == 200
    rows = service.rows([e["id"] for e in batch])
    assert rows[batch[0]["id"]]["item_id"] == "article:billing/refunds"  # the alias resolved to the canonical id
    assert [rows[e["id"]]["scale"] for e in batch] == ["helpful", "csat", "ces"]


def test_emails_phones_and_cards_are_masked_before_storage(service):
    search = {"id": new_id("s"), "type": "search", "query": "refund for jane.doe@example.com", "results": 0}
    batch = [vote(comment="Call me on +44 20 7946 0958 or mail jane@example.org; card 4111 1111 1111 1111, "
                          "order 4111 1111 1111 1112"), search]
    assert post_events(service, batch).status_code == 200
    rows = service.rows([e["id"] for e in batch])
    comment = rows[batch[0]["id"]]["comment"]
    assert comment == "Call me on [phone] or mail [email]; card [card], order 4111 1111 1111 1112"
    assert rows[search["id"]]["query"] == "refund for [email]"


BAD = [  # (event or batch change, status, field)
    ({"value": 2}, 400, "events[1].value"),
    ({"value": "1"}, 400, "events[1].value"),
    ({"value": True}, 400, "events[1].value"),
    ({"value": None}, 400, "events[1].value"),
    ({"scale": "stars"}, 400, "events[1].scale"),
    ({"scale": "csat", "value": 0}, 400, "events[1].value"),
    ({"id": "short"}, 400, "events[1].id"),
    ({"id": "has space in it"}, 400, "events[1].id"),
    ({"id": 12345678}, 400, "events[1].id"),
    ({"type": "pageview"}, 400, "events[1].type"),
    ({"comment": "x" * 2001}, 400, "events[1].comment"),
    ({"reason": "x" * 201}, 400, "events[1].reason"),
    ({"ts": "yesterday"}, 400, "events[1].ts"),
    ({"ts": -1}, 400, "events[1].ts"),
    ({"page": ["/"]}, 400, "events[1].page"),
    ({"journey": "a b"}, 400, "events[1].journey"),
    ({"lang": "Deutsch"}, 400, "events[1].lang"),
    ({"lang": "de\u202e"}, 400, "events[1].lang"),
    ({"vote_key": "k"}, 400, "events[1].vote_key"),
    ({"source": "email"}, 400, "events[1].source"),
    ({"item": ""}, 400, "events[1].item"),
    ({"item": 7}, 400, "events[1].item"),
    ({"item": "article:never/written"}, 422, "events[1].item"),
]


@pytest.mark.parametrize("change, status, field", BAD, ids=[",".join(f"{k}={str(v)[:12]}" for k, v in c.items()) for (c, _, _) in BAD])
def test_a_bad_field_rejects_the_whole_batch_naming_the_field(service, change, status, field):
    good = vote()
    bad = vote(**change) if "id" not in change else {**vote(), **change}
    response = post_events(service, [good, bad])
    assert response.status_code == status, response.text
    assert response.json()["field"] == field
    assert response.json()["error"]
    assert service.rows([good["id"]]) == {}  # nothing stored, not even the good event


@pytest.mark.parametrize("event, field", [
    ({"type": "search", "results": 1}, "events[0].query"),
    ({"type": "search", "query": "x"}, "events[0].results"),
    ({"type": "search", "query": "x", "results": -1}, "events[0].results"),
    ({"type": "search", "query": "x" * 201, "results": 1}, "events[0].query"),
    ({"type": "click", "query": "x"}, "events[0].item"),
    ({"type": "click", "item": "video:setup-basics", "rank": 0}, "events[0].rank"),
    ({"type": "contact", "channel": "chat"}, "events[0].item"),
    ({"type": "contact", "item": "video:setup-basics", "channel": "fax"}, "events[0].channel"),
    ({"type": "vote", "value": 1}, "events[0].item"),
])
def test_required_fields_per_type(service, event, field):
    response = post_events(service, [{"id": new_id(), **event}])
    assert (response.status_code, response.json()["field"]) == (400, field)


@pytest.mark.parametrize("body, field", [
    (b"", "body"), (b"{not json", "body"), (b"\xff\xfe", "body"), (b"[1, 2]", "events"),
    (b'{"events": {}}', "events"), (b'{"events": []}', "events"), (b'{"events": [1]}', "events[0]"),
    (b'{"events": [{"id": "abcdefgh", "type": "search", "query": "q", "results": NaN}]}', "body"),
    (b"[" * 60000, "body"),
])
def test_malformed_bodies_are_400(service, body, field):
    response = service.client.post("/api/v1/events", content=body, headers={"content-type": "text/plain"})
    assert (response.status_code, response.json()["field"]) == (400, field)


def test_more_than_100_events_is_400_and_stores_nothing(service):
    batch = [vote() for _ in range(101)]
    response = post_events(service, batch)
    assert (response.status_code, response.json()["field"]) == (400, "events")
    assert service.rows([e["id"] for e in batch]) == {}
    assert post_events(service, batch[:100]).json()["accepted"] == 100


def test_bodies_over_64_kb_are_413_and_store_nothing(service):
    batch = [vote(comment="y" * 1900) for _ in range(40)]
    body = json.dumps({"events": batch})
    assert len(body) > 64 * 1024
    response = service.client.post("/api/v1/events", content=body)
    assert response.status_code == 413 and response.json()["field"] == "body"
    chunked = service.client.post("/api/v1/events", content=iter([body[:40000].encode(), body[40000:].encode()]))
    assert chunked.status_code == 413  # no Content-Length: counted while reading
    assert service.rows([e["id"] for e in batch]) == {}


def test_unknown_routes_and_methods_answer_json(service):
    missing = service.client.get("/nope")
    assert missing.status_code == 404 and "error" in missing.json()
    assert service.client.get("/api/v1/events").status_code == 405


def test_lone_surrogates_are_400_and_do_not_disturb_other_requests(service):
    body = '{"events": [{"id": "%s", "type": "search", "query": "a\\ud800b", "results": 1}]}' % new_id()
    response = service.client.post("/api/v1/events", content=body)
    assert (response.status_code, response.json()["field"]) == (400, "events[0].query")
    assert post_events(service, [vote()]).status_code == 200
