"""The backlog: one ranked list of recommendations with stable keys, a why with numbers, an
owner on every row, no contradiction, no gibberish or typo-only "write" row; decisions applied
from the store; a row as a prefilled issue whose customer text stays inert."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from carebase.backlog.claims import contradictions, resolve
from carebase.backlog.issue import issue_url
from carebase.backlog.states import State, apply_states, change, read_states
from carebase.store.engine import open_engine


def test_every_row_is_numbered_owned_keyed_and_says_why_with_numbers(report):
    rows = report["backlog"]["rows"]
    assert rows, "the simulated traffic plants failing items and gaps"
    assert [r["number"] for r in rows] == list(range(1, len(rows) + 1))  # continuous
    assert len({r["key"] for r in rows}) == len(rows)
    for r in rows:
        assert r["owner"].strip(), r["key"]
        assert re.search(r"\d", r["why"]) and r["why"].endswith("."), r["why"]
        # one sentence: no full stop followed by a new sentence inside it (decimals and titles aside)
        assert not re.search(r"[a-z%)]\. [A-Z]", r["why"]), r["why"]
        assert r["source"]["path"] and r["status"] == "open"
    tiers = [r["tier"] for r in rows]
    assert tiers == sorted(tiers)  # customers' evidence first, upkeep last
    assert report["backlog"]["contradictions"] == []


def test_the_planted_truth_is_in_the_backlog_and_noise_is_not(report, simulated):
    truth, _, _ = simulated
    rows = report["backlog"]["rows"]
    fixes = {r["item"] for r in rows if r["action"] == "fix"}
    assert set(truth.failing) <= fixes
    written = [r for r in rows if r["action"] == "write"]
    for topic, variants in truth.missing.items():
        assert any(topic in r["subject"]["title"].lower() or any(q["query"] in variants for q in r["evidence"]["queries"])
                   for r in written), topic
    retags = {(r["target"], w) for r in rows if r["action"] == "retag" for w in r["words"]}
    for phrase, item in truth.findability.items():
        assert any(t == item for t, _ in retags) or any(
            r["action"] == "keywords" and r["item"] == item for r in rows), phrase
    noise_words = {w for n in truth.noise for w in n.split()}
    for r in written:
        assert not set(r["subject"]["title"].lower().split()) & noise_words, r["subject"]["title"]


def _row(key, action, target, claims, topic=None, words=None):
    row = {"key": key, "action": action, "target": target, "topic": topic, "claims": claims,
           "evidence": {"words": [{"word": w} for w in words or []]}}
    if words:
        row["words"] = list(words)
    return row


def test_a_keyword_suggestion_yields_to_the_topic_that_holds_its_wording():
    topic = _row("topic:humid", "write", "new", [["humid", "new"], ["humid level room", "new"]], topic="topic:humid")
    keywords = _row("keywords:article:privacy", "keywords", "article:privacy",
                    [["humid", "article:privacy"], ["export", "article:privacy"]], words=["humidity", "export"])
    assert contradictions([topic, keywords])  # what resolve prevents
    rows, dropped = resolve([topic, keywords])
    assert contradictions(rows) == []
    assert [r["words"] for r in rows if r["action"] == "keywords"] == [["export"]]
    assert dropped[0]["word"] == "humidity" and "decides" in dropped[0]["why"]
    only = _row("keywords:article:x", "keywords", "article:x", [["humid", "article:x"]], words=["humidity"])
    assert [r["key"] for r in resolve([topic, only])[0]] == ["topic:humid"]  # a row left with no word goes


def test_a_decision_follows_its_row_until_the_row_recommends_something_else():
    row = {"key": "topic:t1", "action": "retag", "target": "article:a", "owner": "Ann", "owner_from": "item",
           "subject": {"kind": "topic", "id": "topic:t1", "title": "passcode"}, "customers": 9}
    same = State("topic:t1", "wrong", "Bo", "not about passwords", 5, 6, {"action": "retag", "target": "article:a"})
    [applied] = apply_states([dict(row)], {"topic:t1": same})
    assert (applied["status"], applied["owner"], applied["owner_from"], applied["note"]) == (
        "wrong", "Bo", "assigned", "not about passwords")
    moved = State("topic:t1", "wrong", None, None, 5, 6, {"action": "retag", "target": "article:b", "target_title": "B"})
    [reopened] = apply_states([dict(row)], {"topic:t1": moved})
    assert reopened["status"] == "open" and reopened["previously"]["target_title"] == "B"
    gone = State("fix:article:c", "done", None, None, 5, 6, {**row, "key": "fix:article:c", "action": "fix"})
    rows = apply_states([dict(row)], {"fix:article:c": gone})
    assert [(r["key"], r["status"], r["current"]) for r in rows] == [("topic:t1", "open", True),
                                                                      ("fix:article:c", "done", False)]


def test_decisions_are_stored_with_their_history(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 's.db'}")
    row = {"key": "fix:article:a", "action": "fix", "target": "article:a", "why": "9 of 10 say no.", "owner": "Ann"}
    with engine.begin() as conn:
        state, changes = change(conn, "fix:article:a", row, status="in_progress", owner=" Bo ", now_ms=10)
        assert [c["field"] for c in changes] == ["status", "owner"] and state.owner == "Bo"
        state, changes = change(conn, "fix:article:a", row, note="waiting\nfor legal", now_ms=20)
        assert state.status == "in_progress" and state.status_ms == 10 and [c["field"] for c in changes] == ["note"]
        state, changes = change(conn, "fix:article:a", row, owner="", now_ms=30)
        assert state.owner is None  # back to the default owner
    with engine.connect() as conn:
        [stored] = read_states(conn).values()
    assert (stored.status, stored.note, stored.snapshot["why"]) == ("in_progress", "waiting\nfor legal", "9 of 10 say no.")
    with engine.begin() as conn, pytest.raises(ValueError, match="status: expected one of"):
        change(conn, "fix:article:a", row, status="closed")
    engine.dispose()


HOSTILE = "[Get your refund](https://evil.example/phish) @octocat #12 <img src=x onerror=alert(1)>"


def test_a_row_becomes_a_prefilled_issue_with_inert_customer_text():
    import cmarkgfm

    row = {"key": "topic:abc", "action": "write", "verb": "Write", "subject": {"kind": "topic", "title": "gift card"},
           "why": f"12 searches (“{HOSTILE}”) failed.", "owner": "Aisha", "status": "open",
           "source": {"path": "billing/gift-card.md"}, "evidence": {"queries": [{"query": HOSTILE, "count": 7}]}}
    github = issue_url("https://github.com/acme/help/edit/main/content/", row)
    parts = urlsplit(github)
    assert parts.netloc == "github.com" and parts.path == "/acme/help/issues/new"
    fields = parse_qs(parts.query)
    assert fields["title"] == ["Write an article about “gift card”"]
    html = cmarkgfm.github_flavored_markdown_to_html(fields["body"][0], options=cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE)
    assert "<a " not in html and "<img" not in html and "@octocat" not in html and "evil.example/phish</a>" not in html
    assert "billing/gift-card.md" in html and "topic:abc" in html
    gitlab = parse_qs(urlsplit(issue_url("https://gitlab.example.com/help/site/-/edit/main/content/", row)).query)
    assert set(gitlab) == {"issue[title]", "issue[description]"}
    assert issue_url(None, row) is None and issue_url("https://example.com/", row) is None


def test_on_the_demo_every_row_has_a_named_owner_and_no_write_row_is_noise(demo_run):
    import json

    truth, out, _, _ = demo_run
    report = json.loads((out / "report.json").read_text())
    rows = report["backlog"]["rows"]
    assert rows and report["backlog"]["contradictions"] == []
    assert all(r["owner"] and r["owner"] != "unassigned" for r in rows), [r["key"] for r in rows if r["owner"] == "unassigned"]
    noise_words = {w for n in truth.noise for w in n.split()}
    typos = {"gift crad", "keybaord shortcuts", "studnet discount", "delte account", "drak mode", "authenticaton"}
    for r in rows:
        if r["action"] == "write":
            title = r["subject"]["title"].lower()
            assert not set(title.split()) & noise_words and not any(t in title for t in typos), title
    csv_rows = (out / "backlog.csv").read_text().splitlines()
    assert len(csv_rows) == len(rows) + 1 and csv_rows[0].startswith('"number","key"')
