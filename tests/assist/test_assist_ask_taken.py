"""A search the Ask box answered is not a failed search when the customer took the answer
(session 41's audit: the live report asked to write "Hot water boost" while the Ask box had
answered it from *Hot water control*). Through the real service (events posted, the question put
to its answer API with the page's journey, as ask.js does) on its SQLite store, then the report's
own outcome query over that file: a search with nothing clicked whose answer was taken — not
followed by "No", by a search for something else, or by "contact support" — is "answered", not
"results shown, nothing clicked"."""

from __future__ import annotations

import sqlite3
import time

from carebase.report.journeys import search_outcomes
from carebase.report.period import resolve
from carebase.store.engine import open_engine

QUESTION = "how do I reset the thermostat to factory settings"


def _post(stack, *events) -> None:
    r = stack.client.post("/api/v1/events", json={"events": list(events)})
    assert r.status_code == 200, r.text


def _search(stack, journey: str, query: str = QUESTION) -> None:
    _post(stack, {"id": f"s-{journey}-{'q' if query == QUESTION else 'other'}", "type": "search", "query": query, "results": 12, "journey": journey})


def _ask(stack, journey: str) -> None:
    body = stack.client.get("/api/v1/answer", params={"q": QUESTION, "journey": journey, "source": "widget"}).json()
    assert body["answered"], body
    assert stack.wait_row("ask", lambda r: r["journey"] == journey) is not None


def test_a_search_whose_answer_was_taken_is_not_a_failed_search(assist_stack):
    run = f"taken{int(time.time() * 1000) % 10**8}"
    j = {name: f"{run}-{name}" for name in ("read", "yes", "no", "again", "plain", "contact")}
    for name, journey in j.items():
        _search(assist_stack, journey)
        if name != "plain":
            _ask(assist_stack, journey)
    time.sleep(0.01)
    _post(assist_stack, {"id": f"o-{j['yes']}", "type": "outcome", "journey": j["yes"], "outcome": "resolved", "source": "widget"},
          {"id": f"o-{j['no']}", "type": "outcome", "journey": j["no"], "outcome": "escalated", "source": "widget"},
          {"id": f"c-{j['contact']}", "type": "contact", "journey": j["contact"], "query": QUESTION})
    _search(assist_stack, j["again"], "factory reset did not work")
    with sqlite3.connect(assist_stack.db) as conn:  # the service's writer stored them all
        deadline = time.time() + 30
        while conn.execute("SELECT count(*) FROM events WHERE journey LIKE ?", (run + "%",)).fetchone()[0] < 6 + 5 + 3 + 1:
            assert time.time() < deadline, "events not stored"
            time.sleep(0.05)
    engine = open_engine(f"sqlite:///{assist_stack.db}")
    try:
        periods = resolve(None, None, None, None, latest_ms=int(time.time() * 1000) + 1000)
        with engine.connect() as conn:
            rows = search_outcomes(conn, periods, journeys=list(j.values()))
    finally:
        engine.dispose()
    row = next(r for r in rows if r.query == QUESTION and r.bucket == "cur")
    assert row.searches == 6
    assert row.failed == 4 and row.abandoned == 4, row  # "No", searched again, no ask, contact (4cd1955: 6 and 6)
    assert row.answered == 2  # read and left; "Yes"
    again = next(r for r in rows if r.query == "factory reset did not work" and r.bucket == "cur")
    assert again.failed == 1 and again.answered == 0  # no answer asked for it: nothing clicked
    # where a lead looks for what search does well and badly ("At a glance", the static and the live
    # report): the searches the Ask box answered, this period's share, and on the search's own line
    from carebase.report import html_backlog, top

    found = top.searches(rows)
    assert found["answered"] == {"searches": 2, "with_results": 7, "previous": 0, "previous_with_results": 0}
    line = next(g for g in found["succeeded"] if g["query"].lower() == QUESTION.lower())
    assert line["answered"] == 2 and line["success"] == 0.333
    html = html_backlog.glance({"top": {"searches": found, "pages": {}}}, html_backlog.Links(), queues=[])
    assert ("The Ask box answered 2 searches this period (29% of the 7 searches with results); none the previous period. "
            "Customers took its answer and clicked nothing: they count as succeeded, not failed.") in html
    assert '33%<div class="sub">2 answered by the Ask box</div></td>' in html
    # a small share is said as one, of a base that says what it counts (the audit: "3 searches (0% of
    # those with results)" read as if none of them had results)
    few = dict(found, answered={"searches": 3, "with_results": 1024, "previous": 0, "previous_with_results": 0})
    assert "answered 3 searches this period (under 1% of the 1,024 searches with results)" in html_backlog.glance(
        {"top": {"searches": few, "pages": {}}}, html_backlog.Links(), queues=[])
    plain = top.searches([r for r in rows if r.query != QUESTION])  # no answer taken: the page as before
    assert "answered" not in plain and "Ask box" not in html_backlog.glance(
        {"top": {"searches": plain, "pages": {}}}, html_backlog.Links(), queues=[])
