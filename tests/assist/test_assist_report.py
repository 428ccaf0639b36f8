"""The loop closes for bots (issue 17): questions assistants could not answer — no answer,
or a conversation the bot reported escalated — appear in `carebase report`'s new section,
grouped like failed searches, and the deflection counts the conversations they resolved."""

from __future__ import annotations

import json

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


def test_unanswered_and_escalated_questions_are_a_report_section(assist_stack, tmp_path):
    for n, question in enumerate(GIFT):
        assert _ask(assist_stack, question, f"gift-{n}")["answered"] is False
    for n in range(3):  # answered, but the customers still needed a person
        assert _ask(assist_stack, "how do I reset the thermostat to factory settings", f"esc-{n}")["answered"]
        _outcome(assist_stack, f"esc-{n}", "escalated")
    assert _ask(assist_stack, "refnd", "solved-1")["answered"]
    _outcome(assist_stack, "solved-1", "resolved")

    out = tmp_path / "report"
    done = run_carebase("report", "--db", f"sqlite:///{assist_stack.db}", "--site-data", str(assist_stack.site_data),
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
