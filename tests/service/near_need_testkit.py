"""A help centre whose customers vote one page down for a need it does not cover, beside a page that
really fails its own customers: posted to a real ``carebase service`` (its SQLite file, behind
``--proxy-headers``, one address per customer), as the site's events.js posts searches, clicks and
votes with reasons and comments. ``report.page_needs`` must tell the two apart
(``test_report_near_need_votes.py``)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from service_testkit import NO_LEARNING, Service, new_id, post_events

#: The help centre: sign-in pages, and pages customers are happy with (a typical page's rate).
CONTENT = {
    "categories.yml": "- id: account\n  title: Account\n- id: billing\n  title: Billing\n",
    "account/change-user-id.md": (
        "---\ntitle: Change your user ID\ncategory: account\n"
        "summary: Pick a new user ID for signing in, in Settings > Profile.\n"
        "keywords: [rename, new username, edit user id]\n---\n\n"
        "Open **Settings > Profile**, tap **User ID** and type the new one. It must be unique.\n"),
    "account/reset-passcode.md": (
        "---\ntitle: Reset your passcode\ncategory: account\n"
        "summary: Set a new passcode for the app when you have forgotten yours.\n"
        "keywords: [forgot passcode, new passcode]\n---\n\n"
        "On the sign-in screen tap **Forgot passcode?** and follow the link we email you.\n"),
    "account/two-step-sign-in.md": (
        "---\ntitle: Turn on two-step sign-in\ncategory: account\n"
        "summary: Add a code from your phone to every sign-in.\nkeywords: [2fa, verification code]\n---\n\n"
        "Open **Settings > Security** and turn on **Two-step sign-in**.\n"),
    "billing/refunds.md": (
        "---\ntitle: Refunds\ncategory: billing\nsummary: Ask for a refund within 30 days.\n"
        "keywords: [money back]\n---\n\nAsk for a refund within 30 days of your order.\n"),
    "billing/update-card.md": (
        "---\ntitle: Update your payment card\ncategory: billing\n"
        "summary: Change the card we charge for your plan.\nkeywords: [new card, expired card]\n---\n\n"
        "Open **Settings > Billing** and tap **Payment card**.\n"),
    "billing/invoices.md": (
        "---\ntitle: Download invoices\ncategory: billing\nsummary: Get a PDF of every invoice.\n"
        "keywords: [receipt, pdf]\n---\n\nOpen **Settings > Billing > Invoices**.\n"),
}
USER_ID = "article:account/change-user-id"
PASSCODE = "article:account/reset-passcode"
TOKEN = "lead-token-near-need"

#: The near need: customers who forgot their user ID (no page covers it). Search shows "Change your
#: user ID", they open it and vote "No": it tells them how to change an ID they cannot remember.
FORGOT = [("forgot my user id", 9), ("i forgot my user id", 6), ("lost user id", 5), ("recover my user id", 4)]
FORGOT_SAID = ("This is about changing it, I can't remember mine", "I need to find my user ID, not change it")
#: The page's own customers: they change their ID and it works.
CHANGE = [("change user id", 14), ("change my user id", 8), ("new username", 4)]
CHANGE_NO = 2  # of them, "No"
#: A page that really fails its own customers: the emailed link does not come.
PASSCODE_NEED = [("reset passcode", 12), ("reset my passcode", 8), ("forgot passcode", 6)]
PASSCODE_NO = 19  # of 26, "No"
PASSCODE_SAID = ("The reset email never arrives", "Step 2's link has expired every time")
#: Happy pages: found and voted "Yes" by their customers (a few "No"), so a typical page is good.
HAPPY = [("refund", "article:billing/refunds", 20, 2), ("update card", "article:billing/update-card", 20, 1),
         ("invoice pdf", "article:billing/invoices", 16, 1), ("two step sign in", "article:account/two-step-sign-in", 16, 1)]


def write_content(root: Path, content: dict | None = None) -> tuple[Path, Path]:
    """``content`` (CONTENT by default) under ``root/content``; its build output (what the service follows) in ``root/site-data``."""
    from carebase.content import load_catalogue
    from carebase.output import open_output

    for name, text in (CONTENT if content is None else content).items():
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_text(text, encoding="utf-8")
    catalogue = load_catalogue(root / "content")
    assert not catalogue.problems, catalogue.problems
    open_output(root / "site-data", catalogue)
    return root / "content", root / "site-data"


def start(root: Path, content: dict | None = None, token: str = TOKEN) -> Service:
    _, site = write_content(root, content)
    return Service(["--site-data", str(site), "--token", token, "--report-every", "0", "--proxy-headers",
                    "--forwarded-allow-ips", "127.0.0.1", "--rate-limit", "0", *NO_LEARNING],
                   f"sqlite:///{root / 'feedback.db'}")


def journey(query: str, item: str, helpful: bool, *, reason: str | None = None, comment: str | None = None) -> list:
    """One customer's visit: the search (results shown), the click on ``item`` and the vote on it."""
    journey = uuid.uuid4().hex
    vote = {"id": new_id("v"), "type": "vote", "item": item, "value": int(helpful), "journey": journey,
            "vote_key": uuid.uuid4().hex, "source": "widget", "page": "/" + item.split(":", 1)[1] + "/"}
    if reason:
        vote["reason"] = reason
    if comment:
        vote["comment"] = comment
    return [{"id": new_id("s"), "type": "search", "query": query, "results": 3, "journey": journey, "source": "header"},
            {"id": new_id("c"), "type": "click", "query": query, "item": item, "rank": 1, "journey": journey}, vote]


def post_customers(service: Service) -> dict:
    """Every customer's visit, each from its own address; returns what was posted, counted."""
    visits = []
    for wording, n in FORGOT:
        visits += [journey(wording, USER_ID, False, reason="Didn't answer my question",
                            comment=FORGOT_SAID[i % 2] if i < 4 else None) for i in range(n)]
    change = [journey(w, USER_ID, True) for w, n in CHANGE for _ in range(n)]
    for visit in change[:CHANGE_NO]:
        visit[2]["value"] = 0
    visits += change
    passcode = [journey(w, PASSCODE, True) for w, n in PASSCODE_NEED for _ in range(n)]
    for i, visit in enumerate(passcode[:PASSCODE_NO]):
        visit[2].update(value=0, reason="Steps didn't work", **({"comment": PASSCODE_SAID[i % 2]} if i < 4 else {}))
    visits += passcode
    for query, item, n, no in HAPPY:
        visits += [journey(query, item, i >= no) for i in range(n)]
    post_visits(service, visits)
    return {"forgot": sum(n for _, n in FORGOT), "change": sum(n for _, n in CHANGE),
            "passcode": sum(n for _, n in PASSCODE_NEED)}


def post_visits(service: Service, visits: list) -> None:
    """Post each visit from its own address of the benchmarking range; every event accepted."""
    addresses = (f"198.18.{n // 250}.{n % 250 + 1}" for n in itertools.count())
    for visit in visits:
        answer = post_events(service, visit, **{"x-forwarded-for": next(addresses)})
        assert answer.status_code == 200 and answer.json()["accepted"] == len(visit), answer.text


def run_report(root: Path) -> tuple[dict, Path, str]:
    """``carebase report`` over the store ``start(root)`` wrote (a real subprocess, as a lead runs
    it): (report.json, the report folder, what it printed); the run must succeed."""
    out = root / "report"
    proc = subprocess.run([sys.executable, "-m", "carebase", "report", "--site-data", str(root / "site-data"), "--db",
                           f"sqlite:///{root / 'feedback.db'}", "--out", str(out), "--cache", str(root / "cache")],
                          capture_output=True, text=True, env={**os.environ, "CI": "1"}, timeout=900)
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / "report.json").read_text()), out, proc.stdout
