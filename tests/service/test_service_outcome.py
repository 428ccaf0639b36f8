"""A bot reports how an answer ended (``outcome`` events, issue 17): stored with its journey,
validated like every event; ``ask`` events are the answer API's own and cannot be posted."""

from __future__ import annotations

from service_testkit import new_id, post_events


def outcome(**fields) -> dict:
    return {"id": new_id("out"), "type": "outcome", "journey": "bot-7f3a", "outcome": "resolved", **fields}


def test_an_outcome_is_stored_with_its_journey_item_and_source(service):
    batch = [outcome(item="article:old/refunds", source="mcp"), outcome(outcome="escalated")]
    response = post_events(service, batch)
    assert response.status_code == 200, response.text
    rows = service.rows([e["id"] for e in batch])
    first, second = (rows[e["id"]] for e in batch)
    assert (first["type"], first["journey"], first["outcome"], first["item_id"], first["source"]) == (
        "outcome", "bot-7f3a", "resolved", "article:billing/refunds", "mcp")
    assert (second["outcome"], second["item_id"]) == ("escalated", None)


def test_bad_outcomes_and_posted_asks_are_refused_naming_the_field(service):
    cases = [
        (outcome(outcome="happy"), "events[0].outcome", "resolved, escalated"),
        ({k: v for k, v in outcome().items() if k != "journey"}, "events[0].journey", "journey id the answer API returned"),
        (outcome(item="article:nowhere"), "events[0].item", "unknown item"),
        ({"id": new_id("ask"), "type": "ask", "query": "refund?"}, "events[0].type", "answer API"),
    ]
    for event, field, words in cases:
        response = post_events(service, [event])
        assert response.status_code in (400, 422), response.text
        assert response.json()["field"] == field
        assert words in response.json()["error"]
        assert service.rows([event["id"]]) == {}
