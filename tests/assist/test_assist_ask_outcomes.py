"""What the report counts of assistants' questions, on SQLite and a real PostgreSQL: a
question failed when it got no answer or its journey was escalated after it (an ``outcome``
event or a contact); resolved only when answered and reported resolved; the journeys that
reached an item after a failed question are followed like a failed search's."""

from __future__ import annotations

import pytest
from postgres_testkit import new_database

from carebase.report.asks import ask_outcomes
from carebase.report.period import resolve
from carebase.report.topic_evidence import reached_after
from carebase.store.engine import open_engine
from carebase.store.writer import COLUMNS, write_rows

START = 1_700_000_000_000
ITEM = "article:billing/refunds"


def event(n: int, kind: str, journey: str | None, **cols) -> dict:
    row = dict.fromkeys(COLUMNS)
    row.update(event_id=f"ev-{n}", type=kind, received_ms=START + n * 1000, client_ms=START + n * 1000,
               journey=journey, **cols)
    return row


def ask(n, journey, question, answered, source="mcp"):
    return event(n, "ask", journey, query=question, value=1 if answered else 0, source=source,
                 cited=f'["{ITEM}"]' if answered else "[]", item_id=ITEM if answered else None)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'feedback.db'}"
    else:
        url = new_database(request.getfixturevalue("postgres_server"), "asks")
    engine = open_engine(url)
    yield engine
    engine.dispose()


def test_failed_resolved_and_escalated_questions_are_counted_per_question(engine):
    rows = [
        ask(1, "j1", "gift cards", False, source="widget"),            # no answer: failed
        ask(2, "j2", "refund", True), event(3, "outcome", "j2", outcome="escalated", source="mcp"),  # escalated
        ask(4, "j3", "refund", True), event(5, "outcome", "j3", outcome="resolved", source="mcp"),   # resolved
        ask(6, "j4", "refund", True), event(7, "contact", "j4", channel="email"),   # went on to a person
        event(8, "outcome", "j5", outcome="escalated", source="api"), ask(9, "j5", "refund", True),  # before: not it
        ask(10, None, "refund", True, source="api"),                      # no journey (Do-Not-Track)
        event(11, "click", "j1", item_id=ITEM, query=None),               # j1 went on to the refunds article
    ]
    with engine.begin() as conn:
        write_rows(conn, rows)
    periods = resolve(None, None, None, None, latest_ms=START + 20_000)
    with engine.connect() as conn:
        found, totals = ask_outcomes(conn, periods)
        reached = reached_after(conn, periods, ["gift cards"], kind="ask")
    by = {r.query: r for r in found if r.bucket == "cur"}
    assert (by["gift cards"].searches, by["gift cards"].zero, by["gift cards"].failed) == (1, 1, 1)
    assert (by["refund"].searches, by["refund"].zero, by["refund"].contact, by["refund"].failed) == (5, 0, 2, 2)
    t = totals["current"]
    assert (t["asks"], t["answered"], t["no_answer"], t["escalated"], t["resolved"], t["failed"]) == (6, 5, 1, 2, 1, 3)
    assert t["by_source"] == {"api": 1, "mcp": 4, "widget": 1} and t["share"]["failed"] == pytest.approx(0.5)
    assert totals["compare"]["asks"] == 0
    assert dict(reached["gift cards"]) == {(ITEM, None, ""): 1}  # (item, next query, client hash: none)
