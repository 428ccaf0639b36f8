"""A page's own unhappy customers are not a gap (harness H1, H4; ``landed_votes`` condition 4).

*My card is damaged* helps its customers: 26 of them, in their own words ("my card snapped in half", "the
chip on my card stopped working" …), open it and vote "Yes". Four more with the same need, in words like
theirs, open it and vote "No" — a few of any page's customers do. Their four failed searches group into
one row. Until session 48 the twin-need rule (the row's voters mostly said "No", they do not search in
the page's own words, the page helps its own customers) made that row a gap: "Write an article about …"
beside the very article they needed, naming it as the page they "landed on". Their wordings are like the
page's helped customers' (no word of theirs that no helped customer said; as central to the helped
wordings as those are to each other): they are the page's own unhappy few, never a gap. Session 47's
twin need (``test_service_twin_need_report``) stays a gap.

The events go through a real ``carebase service`` (SQLite, one address per customer), the report through
the real ``carebase report`` command."""

from __future__ import annotations


import near_need_testkit
import pytest
from near_need_testkit import journey, post_visits

pytestmark = pytest.mark.slow  # a real service and a real report

CONTENT = {
    "categories.yml": "- id: cards\n  title: Cards\n- id: payments\n  title: Payments\n",
    "cards/damaged-card.md": (
        "---\ntitle: My card is damaged\ncategory: cards\n"
        "summary: Order a new card when yours is broken, bent or no longer read by machines.\n"
        "keywords: [broken card, damaged card]\n---\n\n"
        "Open **Cards**, choose the card and tap **Order a new card**. Your old card works until you activate the new one.\n"),
    "payments/two-step-sign-in.md": (
        "---\ntitle: Turn on two-step sign-in\ncategory: payments\n"
        "summary: Add a code from your phone to every sign-in.\nkeywords: [2fa, verification code]\n---\n\n"
        "Open **Settings > Security** and turn on **Two-step sign-in**.\n"),
    "payments/refunds.md": (
        "---\ntitle: Refunds\ncategory: payments\nsummary: Ask for a refund within 30 days.\n"
        "keywords: [money back]\n---\n\nAsk for a refund within 30 days of your order.\n"),
    "payments/invoices.md": (
        "---\ntitle: Download invoices\ncategory: payments\nsummary: Get a PDF of every invoice.\n"
        "keywords: [receipt, pdf]\n---\n\nOpen **Settings > Billing > Invoices**.\n"),
}
DAMAGED = "article:cards/damaged-card"
TOKEN = "lead-token-own-unhappy"

#: The page's helped customers, each in their own words, each voting "Yes".
HELPED = ["my card snapped in half", "my card snapped what do i do", "the chip on my card stopped working",
          "chip on my card is broken", "my dog chewed my card", "my card is cracked", "my card cracked in my wallet",
          "card got wet and stopped working", "my card is bent and will not go in the machine",
          "my card is scratched and the machine cannot read it", "how do i get a new card my card is broken",
          "replace a broken card", "my card broke", "the magnetic strip on my card is worn out",
          "my card is peeling", "my card split in two", "card is broken need a new one", "my card got melted",
          "the machine cannot read my card", "my broken card", "card chip damaged", "my card is ruined",
          "my card is worn out", "my card was crushed", "my card is falling apart", "snapped card"]
#: The same need, in words like theirs: they open the page and vote "No".
UNHAPPY = ["my card snapped and i need a new one", "my card cracked and the machine cannot read it",
           "my dog chewed my card and it is broken", "my card got wet and the chip is broken"]
#: Happy pages (a typical page's rate is low: the report's baseline).
HAPPY = [("refund", "article:payments/refunds", 20, 1), ("invoice pdf", "article:payments/invoices", 16, 1),
         ("two step sign in", "article:payments/two-step-sign-in", 16, 1)]


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("own-unhappy")
    service = near_need_testkit.start(root, CONTENT, TOKEN)
    try:
        visits = [journey(w, DAMAGED, True) for w in HELPED]
        visits += [journey(w, DAMAGED, False, reason="Didn't answer my question") for w in UNHAPPY]
        for query, item, n, no in HAPPY:
            visits += [journey(query, item, i >= no) for i in range(n)]
        post_visits(service, visits)
    finally:
        service.stop()
    return near_need_testkit.run_report(root)[0]


def test_a_pages_own_unhappy_customers_are_not_a_gap(planted):
    report = planted
    rows = [c for c in report["missing"]["clusters"] + report["missing"]["poor_answers"]
            if {q["query"] for q in c["all_queries"]} & set(UNHAPPY)]
    assert rows, [c["label"] for c in report["missing"]["clusters"]]  # their failed searches are seen
    # the case the twin rule acted on: one row of the page's voted-down customers
    assert sum(len({q["query"] for q in c["all_queries"]} & set(UNHAPPY)) for c in rows) == len(UNHAPPY)
    for row in rows:
        assert row["status"] != "gap", (row["label"], row["action"], row.get("near_page"))
        assert not row["action"].startswith("Write an article"), row["action"]
        assert "near_page" not in row
    # what the lead reads: customers find the page, it did not solve it for them (a poor answer of the page)
    assert [r["closest"]["id"] for r in rows] == [DAMAGED] * len(rows)
    assert {r["status"] for r in rows} <= {"poor answer", "findability"}
    # the page is no Fix row either: it helps 26 of 30 (its rate within the report's baseline's reach)
    assert not any(r["key"] == c["topic_id"] for r in report["backlog"]["rows"] for c in rows)  # a missing row's key is its topic id
