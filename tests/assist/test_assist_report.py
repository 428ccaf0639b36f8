"""The loop closes for bots (issue 17): questions assistants could not answer — no answer,
or a conversation the bot reported escalated — appear in `carebase report`'s new section,
grouped like failed searches, and the deflection counts the conversations they resolved; their
topics are backlog rows like failed-search topics (stable ``ask:topic:…`` keys, owner, status
and note decided in the live /report)."""

from __future__ import annotations

import json

import time

import httpx
from assist_testkit import LEAD_TOKEN
from cli_testkit import run_carebase

#: Not in the demo help centre (no gift cards are sold): "no answer" each time; one wording
#: group (case, punctuation, stop words and plurals aside), so one topic of 3 failed questions.
GIFT = ["do you sell gift cards", "Do you sell gift cards?", "do you sell a gift card"]


def _ask(stack, question: str, journey: str) -> dict:
    body = stack.client.get("/api/v1/answer", params={"q": question, "journey": journey, "source": "api"}).json()
    assert stack.wait_row("ask", lambda r: r["journey"] == journey) is not None
    return body


def _outcome(stack, journey: str, outcome: str) -> None:
    r = stack.client.post("/api/v1/events", json={"events": [
        {"id": f"out-{journey}", "type": "outcome", "journey": journey, "outcome": outcome, "source": "mcp"}]})
    assert r.status_code == 200, r.text


def test_unanswered_and_escalated_questions_are_a_report_section(own_assist_stack, tmp_path):
    for n, question in enumerate(GIFT):
        assert _ask(own_assist_stack, question, f"gift-{n}")["answered"] is False
    for n in range(3):  # answered, but the customers still needed a person
        assert _ask(own_assist_stack, "how do I reset the thermostat to factory settings", f"esc-{n}")["answered"]
        _outcome(own_assist_stack, f"esc-{n}", "escalated")
    assert _ask(own_assist_stack, "refnd", "solved-1")["answered"]
    _outcome(own_assist_stack, "solved-1", "resolved")

    out = tmp_path / "report"
    done = run_carebase("report", "--db", f"sqlite:///{own_assist_stack.db}", "--site-data", str(own_assist_stack.site_data),
                        "--out", str(out), "--format", "json,md,csv,html",
                        env={"CI": "true"})
    assert done.returncode == 0, done.stderr
    report = json.loads((out / "report.json").read_text())
    section = report["assistants"]
    totals = section["totals"]["current"]
    assert totals["no_answer"] >= 3 and totals["escalated"] == 3 and totals["resolved"] == 1
    assert report["deflection"]["current"]["assistants"]["resolved"] == 1
    labels = {c["label"]: c for c in section["clusters"]}
    gift = next(c for c in section["clusters"] if any("gift card" in q["query"] for q in c["queries"]))
    assert gift["status"] == "gap" and gift["zero"] >= 3 and gift["failed"] >= 3
    reset = next(c for c in section["clusters"] + section["filled"] + section["poor_answers"]
                 if any("factory settings" in q["query"] for q in c["queries"]))
    assert reset["contact"] == 3 and reset["zero"] == 0
    # the searches' own section is untouched by the questions
    assert not any("gift" in q["query"] for c in report["missing"]["clusters"] for q in c["queries"])
    md = (out / "report.md").read_text()
    assert "## Questions assistants could not answer" in md and "“do you sell gift cards”" in md
    assert "gift card" in (out / "assistants.csv").read_text()
    html = (out / "index.html").read_text()
    assert 'id="assistants"' in html and "do you sell gift cards" in html and labels
    # the topic is a backlog row like a failed-search topic: write an article, with its questions
    backlog = report["backlog"]
    [row] = [r for r in backlog["rows"] if r["key"] == "ask:" + gift["topic_id"]]
    assert (row["action"], row["status"], row["topic"], row["section"]) == ("write", "open", row["key"], "assistants")
    assert row["owner"] and row["why"].startswith("3 questions in ")
    assert "do you sell gift cards" in [q["query"] for q in row["evidence"]["queries"]]
    assert backlog["contradictions"] == []


#: Not in the demo help centre (no discounts for students): "no answer" each time.
STUDENT = ["is there a student discount", "Is there a student discount?", "do you have a student discount"]


def _backlog(stack, *, after_ms: int = 0, timeout: float = 240) -> dict:
    """The live report's backlog once a model built after ``after_ms`` is there (asking starts a build)."""
    deadline = time.monotonic() + timeout
    while True:
        body = stack.client.get("/api/v1/backlog", params={"status": "all"}, auth=("lead", LEAD_TOKEN)).json()
        if body["ready"] and body["built_ms"] >= after_ms and not body["building"]:
            return body
        assert not body.get("error"), body["error"]
        assert time.monotonic() < deadline, f"the live report was not built within {timeout} s: {body}"
        time.sleep(0.5)


def test_unanswered_questions_are_rows_of_the_live_backlog_with_status_owner_and_note(own_assist_stack):
    asked = int(time.time() * 1000)
    for n, question in enumerate(STUDENT):
        assert _ask(own_assist_stack, question, f"student-{n}")["answered"] is False
    body = _backlog(own_assist_stack, after_ms=asked)
    rows = [r for r in body["rows"] if r["key"].startswith("ask:topic:")
            and any("student discount" in q["query"] for q in r["evidence"]["queries"])]
    assert len(rows) == 1 and body["contradictions"] == []
    row = rows[0]
    assert row["action"] in ("write", "retag") and row["status"] == "open" and row["owner"]
    assert "3 questions" in row["why"] and "with no answer" in row["why"]
    decided = own_assist_stack.client.post("/api/v1/backlog", auth=("lead", LEAD_TOKEN), json={
        "key": row["key"], "status": "in_progress", "owner": "Sam Lee", "note": "add a discounts FAQ"})
    assert decided.status_code == 200, decided.text
    # rebuilt: the same key, with the decision it was given
    refreshed = int(time.time() * 1000)
    assert own_assist_stack.client.post("/report/refresh", data={"days": "28"}, auth=("lead", LEAD_TOKEN)).status_code == 303
    again = {r["key"]: r for r in _backlog(own_assist_stack, after_ms=refreshed)["rows"]}
    assert (again[row["key"]]["status"], again[row["key"]]["owner"], again[row["key"]]["note"]) == (
        "in_progress", "Sam Lee", "add a discounts FAQ")
    page = own_assist_stack.client.get(f"/report/rows/{row['key']}", auth=("lead", LEAD_TOKEN))
    assert page.status_code == 200 and "Questions to assistants" in page.text and "student discount" in page.text
    assert httpx.get(f"{own_assist_stack.url}/api/v1/backlog").status_code == 401
