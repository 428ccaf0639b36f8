"""The report's check that a search's Ask-box answer was taken (``journeys._answers_taken``) reads
each ask's own journey, not the whole store: SQLite chose the (type, received_ms) index for its two
correlated checks and so visited every outcome and search received after each ask (quadratic in
asks x searches: 80,000 searches / 800 asks took 3.4 s of CPU instead of 0.5 s). A real SQLite file
made by the store; no timing, the query plan and the rows."""

from __future__ import annotations

import warnings

import pytest
from sqlalchemy import insert

from carebase.report.journeys import _outcomes_query, search_outcomes
from carebase.report.period import resolve
from carebase.store.engine import open_engine
from carebase.store.schema import events

DAY = 86_400_000
T0 = 1_790_000_000_000
QUESTION = "how do i boost hot water"
KEYS = ("event_id", "type", "received_ms", "query", "results", "journey", "value", "cited", "outcome")


def _store(tmp_path):
    """Four journeys, each a search with results and nothing clicked and the Ask box's answer:
    taken; then a "No" (escalated outcome); then a search for another query; then the same query
    again (still taken)."""
    engine = open_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    rows = []

    def add(j, kind, at, **fields):
        rows.append({k: None for k in KEYS} | dict(event_id=f"{j}-{len(rows)}", type=kind, received_ms=at, journey=j)
                    | fields)

    for i, j in enumerate(("taken", "said-no", "searched-again", "same-again")):
        at = T0 + i * DAY
        add(j, "search", at, query=QUESTION, results=3)
        add(j, "ask", at + 5, query=QUESTION, value=1, cited='["article:boost"]')
        if j == "said-no":
            add(j, "outcome", at + 9_000, outcome="escalated")
        elif j == "searched-again":
            add(j, "search", at + 9_000, query="boiler makes noise", results=3)
        elif j == "same-again":
            add(j, "search", at + 9_000, query=QUESTION, results=3)
    with engine.begin() as conn:
        conn.execute(insert(events), rows)
    return engine


def _plan(engine, periods, journeys=None, upto_ms=None) -> list[str]:
    query = _outcomes_query(periods, periods.start_ms, periods.end_ms, journeys, upto_ms, None, True)
    with engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # literal NULLs rendered for EXPLAIN
        sql = str(query.compile(conn.engine, compile_kwargs={"literal_binds": True}))
        return [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]


@pytest.mark.parametrize("part", ["whole store", "some journeys up to a time"])
def test_the_answer_taken_checks_read_the_asks_own_journey(tmp_path, part):
    engine = _store(tmp_path)
    periods = resolve(None, None, None, None, latest_ms=T0 + 5 * DAY)
    journeys, upto = (None, None) if part == "whole store" else (["taken", "said-no"], T0 + 5 * DAY)
    plan = _plan(engine, periods, journeys, upto)
    checks = [line for line in plan if line.startswith(("SEARCH o ", "SCAN o", "SEARCH n ", "SCAN n"))]
    assert len(checks) == 2, plan
    assert all("USING INDEX events_journey (journey=?)" in line for line in checks), checks


def test_a_search_whose_answer_was_taken_is_answered_and_the_others_failed(tmp_path):
    engine = _store(tmp_path)
    periods = resolve(None, None, None, None, latest_ms=T0 + 5 * DAY)
    with engine.connect() as conn:
        rows = {(r.query, r.bucket): r for r in search_outcomes(conn, periods)}
    asked = rows[(QUESTION, "cur")]
    # taken, and the same query searched again (both its searches): answered; a "No" and another
    # query after the answer: failed
    assert (asked.searches, asked.answered, asked.failed) == (5, 3, 2)
    assert rows[("boiler makes noise", "cur")].failed == 1
