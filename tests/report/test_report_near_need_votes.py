"""A page's "No" votes split by the search that led to them (``report.page_needs.near_needs``): a page
whose own customers vote it down keeps its Fix row and says whose "No" it holds; one voted down only
by a near need's customers loses it. ``build_report`` on a real SQLite store. The planted help centre
through a running service, the CLI and Chromium: tests/service/test_service_near_need_report.py."""

from __future__ import annotations

from report_testkit import DAY_MS, START_MS, report_of_events
from synthetic_content import make_catalogue


def _visit(rows, n, query, page, value, who, client=None):
    at = START_MS + (30 + n % 20) * DAY_MS + n * 1000
    common = {"journey": f"{who}{n:04d}", "client": client or f"{who}{n:015x}"[:16]}
    rows += [{"type": "search", "received_ms": at, "query": query, "results": 3, **common},
             {"type": "click", "received_ms": at + 1, "query": query, "item_id": page.id, "rank": 1, **common},
             {"type": "vote", "received_ms": at + 2, "item_id": page.id, "value": value, "scale": "helpful",
              "vote_key": f"{who}{n}", "revision": page.revision, **common}]


def _store(tmp_path, own_no: int, one_client_visits: int = 0):
    """20 customers search "forgotten booking reference" (no page's words), open "Share your signature"
    and vote "No"; 30 of its own customers search "share signature" and vote, ``own_no`` of them "No";
    one client comes back ``one_client_visits`` times with the near need's words and votes "No"."""
    catalogue = make_catalogue(articles=6, faq_groups=1, questions=2, videos=1)
    page = catalogue.get("article:account/share-your-signature")
    rows: list[dict] = []
    for n in range(20):
        _visit(rows, n, "forgotten booking reference", page, 0, "a")
    for n in range(30):
        _visit(rows, n, "share signature", page, int(n >= own_no), "b")
    for n in range(one_client_visits):
        _visit(rows, n, "forgotten booking reference", page, 0, "z", client="z" * 16)
    other = next(i for i in catalogue.items() if i.id != page.id and i.id.startswith("article:"))
    for n in range(60):  # a typical page: found and liked
        _visit(rows, n, "typical", other, int(n >= 3), "c")
    return report_of_events(catalogue, rows, tmp_path, latest_ms=START_MS + 55 * DAY_MS), page


def test_a_page_its_own_customers_vote_down_keeps_its_fix_row_and_says_whose_no_it_holds(tmp_path):
    """15 of its own 30 voters say "No" too: a Fix page on its own votes; the near need's 20 "No" are
    said apart, and the need's row says the page's Fix row stands."""
    report, page = _store(tmp_path, own_no=15)
    row, = [r for r in report["failing"] if r["id"] == page.id]
    assert row["near_need"]["at_fault"] is True and row["near_need"]["voted_no"] == 20
    assert f"fix:{page.id}" in {r["key"] for r in report["backlog"]["rows"]}
    need, = [c for c in report["missing"]["clusters"] if c["topic_id"] == row["near_need"]["needs"][0]["topic_id"]]
    assert need["status"] == "gap" and need["near_page"]["at_fault"] is True
    assert report["summary"]["near_need_pages"] == 0


def test_only_a_near_needs_votes_take_a_pages_fix_row_away(tmp_path):
    """2 of its own 30 voters say "No": without the near need's 20 it is a typical page."""
    report, page = _store(tmp_path, own_no=2)
    row, = [r for r in report["failing"] if r["id"] == page.id]
    assert row["near_need"]["at_fault"] is False
    assert row["near_need"]["own"] == {**row["near_need"]["own"], "n": 30, "unhelpful": 2}
    assert f"fix:{page.id}" not in {r["key"] for r in report["backlog"]["rows"]}


def test_one_clients_many_visits_count_as_its_votes_do_and_cannot_take_the_fix_row_away(tmp_path):
    """Reader 46, R1: the near need's votes were counted per journey, the row's per client (at most
    VOTES_PER_CLIENT): one client's 40 visits with the near need's words made 60 of the row's 38 "No"
    votes a near need's, its own 15 of 30 "No" became 0 of 0, and the Fix row went."""
    report, page = _store(tmp_path, own_no=15, one_client_visits=40)
    row, = [r for r in report["failing"] if r["id"] == page.id]
    near = row["near_need"]
    assert (row["n"], row["unhelpful"], row["capped"]) == (53, 38, 37)
    assert (near["votes"], near["voted_no"]) == (23, 23) and near["own"] == {**near["own"], "n": 30, "unhelpful": 15}
    assert near["at_fault"] is True and f"fix:{page.id}" in {r["key"] for r in report["backlog"]["rows"]}
