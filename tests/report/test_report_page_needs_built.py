"""A need that is a voted-down page's own, through ``build_report`` on a real SQLite store: one
verdict in every view (reader 44, RP1: the other tests call ``page_needs.fold`` themselves, so
nothing checked that the report does)."""

from __future__ import annotations

from report_testkit import DAY_MS, START_MS, report_of_events
from synthetic_content import make_catalogue


def test_a_need_that_is_a_voted_down_pages_own_reads_poor_answer_in_the_built_report(tmp_path):
    """36 customers search "share" (a word of the page "Share your signature"'s title), open that
    page and vote "No". Search does not show it as the answer to "share", so the classifier
    calls the topic a gap; it is the page's need: "poor answer" in Missing content, no content
    gap in the summary nor in its category's coverage row, one Fix row in the backlog holding it,
    and no "Write" row (session 43: a gap, counted, and a Write row beside the Fix row)."""
    catalogue = make_catalogue(articles=6, faq_groups=1, questions=2, videos=1)
    page = catalogue.get("article:account/share-your-signature")
    rows = []
    for n in range(36):
        journey, client, at = f"j{n:04d}", f"{n:016x}", START_MS + (30 + n % 20) * DAY_MS + n * 1000
        common = {"journey": journey, "client": client}
        rows += [{"type": "search", "received_ms": at, "query": "share", "results": 3, **common},
                 {"type": "click", "received_ms": at + 1, "query": "share", "item_id": page.id, "rank": 1, **common},
                 {"type": "vote", "received_ms": at + 2, "item_id": page.id, "value": 0, "scale": "helpful",
                  "vote_key": f"k{n}", "revision": page.revision, **common}]
    report = report_of_events(catalogue, rows, tmp_path, latest_ms=START_MS + 55 * DAY_MS)

    need, = [c for c in report["missing"]["clusters"] if any(q["query"] == "share" for q in c["queries"])]
    fix_key = f"fix:{page.id}"
    assert need["status"] == "poor answer"
    assert need["in_backlog"] == {"action": "fix", "key": fix_key, "title": "Share your signature"}
    assert report["summary"]["gaps"] == 0
    assert sum(r["gaps"] for r in report["coverage"]["categories"]) == 0
    backlog = report["backlog"]["rows"]
    assert [r["key"] for r in backlog if r["action"] in ("fix", "write")] == [fix_key]
    assert need["topic_id"] in backlog[0]["merged_ids"]
