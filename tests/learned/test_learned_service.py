"""Learned phrasings through the real service: taught by journeys from distinct clients,
shown to a lead, blocked and unblocked, forgotten when the events are deleted — and one
client alone teaches nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import time

FLICKER = "article:troubleshooting/display-flickering"
BATTERY = "article:troubleshooting/battery-low-warning"
WORDING = "zorblax screen shimmer"


def test_one_client_cannot_teach_search(learning_service):
    before = learning_service.search("refund")
    assert before and BATTERY not in before[:3]
    for _ in range(50):  # fifty journeys, one client, all "refund" → an unrelated article, voted Yes
        learning_service.journey("198.18.7.7", "refund", BATTERY, vote=1)
    snap = learning_service.relearned()
    assert not [t for t in snap["ties"] if t["item"] == BATTERY]
    assert learning_service.search("refund") == before


def test_taught_shown_blocked_unblocked_and_forgotten(learning_service):
    assert FLICKER not in learning_service.search(WORDING)
    for n in range(3):  # three journeys, three clients
        learning_service.journey(f"198.18.1.{n + 1}", WORDING, FLICKER)
    learning_service.relearned()
    assert learning_service.search(WORDING)[0] == FLICKER
    shown = learning_service.learned(item=FLICKER)["ties"]
    tie = next(t for t in shown if t["key"] == "zorblax")
    assert (tie["journeys"], tie["clients"], tie["wordings"]) == (3, 3, [WORDING])
    # no token, no view
    assert learning_service.http.get("/api/v1/learned").status_code == 401

    blocked = learning_service.http.post("/api/v1/learned/blocks", json={"phrase": "Zorblax", "item": FLICKER},
                                         headers=learning_service.auth())
    assert blocked.status_code == 201, blocked.text
    assert FLICKER not in learning_service.search(WORDING)  # relearned at once
    assert not [t for t in learning_service.learned(item=FLICKER)["ties"] if "zorblax" in t["key"]]
    listed = learning_service.http.get("/api/v1/learned/blocks", headers=learning_service.auth()).json()["blocks"]
    assert [(b["phrase"], b["item"]) for b in listed] == [("zorblax", FLICKER)]
    removed = learning_service.http.delete(f"/api/v1/learned/blocks/{blocked.json()['id']}",
                                           headers=learning_service.auth())
    assert removed.status_code == 200
    assert learning_service.search(WORDING)[0] == FLICKER

    with sqlite3.connect(learning_service.db) as db:  # a retention job or an erasure request
        db.execute("DELETE FROM events WHERE journey = (SELECT journey FROM events WHERE query = ? LIMIT 1)",
                   (WORDING,))
    learning_service.relearned()
    assert FLICKER not in learning_service.search(WORDING)
    assert not [t for t in learning_service.learned(item=FLICKER)["ties"] if "zorblax" in t["key"]]


def test_bad_block_requests_name_the_field(learning_service):
    auth = learning_service.auth()
    empty = learning_service.http.post("/api/v1/learned/blocks", json={"phrase": "the"}, headers=auth)
    assert empty.status_code == 400 and empty.json()["field"] == "phrase"
    assert learning_service.http.post("/api/v1/learned/blocks", json={"item": FLICKER},
                                      headers=auth).json()["field"] == "phrase"
    assert learning_service.http.delete("/api/v1/learned/blocks/999", headers=auth).status_code == 404


def test_search_answers_with_the_previous_snapshot_while_relearning(learning_service):
    """Relearning runs in a worker process: with that worker frozen mid-refresh, search still
    answers at once with what was learned before, and the new evidence arrives once it resumes."""
    smart, away = "article:app-and-account/voice-assistants", "article:comfort-and-schedules/away-mode-and-geofencing"
    for n in range(3):
        learning_service.journey(f"198.18.2.{n + 1}", "quibble speaker", smart)
    learning_service.relearned()
    assert learning_service.search("quibble speaker")[0] == smart
    worker = learning_service.worker_pid()
    os.kill(worker, signal.SIGSTOP)
    try:
        for n in range(3):
            learning_service.journey(f"198.18.3.{n + 1}", "quibble holiday", away)
        deadline = time.monotonic() + 60  # a bound on a failure only
        while not learning_service.learned()["refreshing"]:
            assert time.monotonic() < deadline, "no refresh started"
            time.sleep(0.05)
        for _ in range(20):
            started = time.monotonic()
            assert learning_service.search("quibble speaker")[0] == smart  # the previous snapshot answers
            assert time.monotonic() - started < 5
        assert away not in learning_service.search("quibble holiday")[:1]  # not learned yet
        assert learning_service.learned()["refreshing"]
    finally:
        os.kill(worker, signal.SIGCONT)
    learning_service.relearned()
    assert learning_service.search("quibble holiday")[0] == away
