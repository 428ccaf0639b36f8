"""A need folded into a page's Fix row ("poor answer") names its two populations apart, in every
format a lead reads: the need's searchers (its failed searches, counted by client) and the
page's votes (from everyone who voted on it, some of those searchers among them). Session 44's
reader (RP2): one count stood for both ("59 of these 59 failed searches led to it", the Fix row's
customers the larger of the two, unsaid which).

A real SQLite store through ``build_report`` and ``write_report``, the HTML in headless Chromium."""

from __future__ import annotations

import csv
import re
import io

import pytest
from report_testkit import DAY_MS, START_MS, report_of_events
from synthetic_content import make_catalogue
from web_testkit import page_factory, save_shot

from carebase.report.write import write_report

pytestmark = pytest.mark.browser

SEARCHERS, OTHER_NO, OTHER_YES = 36, 10, 10  # the need's customers; the page's other voters
REPEATS = 2  # one of those voters votes "No" twice more


def _searchers(page) -> list[dict]:
    """The need's customers: each searches "share", opens ``page`` and votes "No"."""
    rows = []
    for i in range(SEARCHERS):
        at, common = START_MS + (30 + i % 20) * DAY_MS + i * 1000, {"journey": f"j{i:04d}", "client": f"{i:016x}"}
        rows += [{"type": "search", "received_ms": at, "query": "share", "results": 3, **common},
                 {"type": "click", "received_ms": at + 1, "query": "share", "item_id": page.id, "rank": 1, **common},
                 {"type": "vote", "received_ms": at + 2, "item_id": page.id, "value": 0, "scale": "helpful",
                  "vote_key": f"k{i}", "revision": page.revision, **common}]
    return rows


@pytest.fixture
def built(tmp_path):
    """36 customers search "share", open "Share your signature" and vote "No"; 20 others vote on
    it without searching (10 "No"); 100 vote "Yes" on another page (a typical page's rate)."""
    catalogue = make_catalogue(articles=6, faq_groups=1, questions=2, videos=1)
    page = catalogue.get("article:account/share-your-signature")
    other = next(i for i in catalogue.items() if i.id != page.id and i.id.startswith("article:"))
    rows = _searchers(page)
    for i in range(OTHER_NO + OTHER_YES + 100):
        item, value = (page, int(i >= OTHER_NO)) if i < OTHER_NO + OTHER_YES else (other, 1)
        rows.append({"type": "vote", "received_ms": START_MS + (31 + i % 20) * DAY_MS + i * 1000, "item_id": item.id,
                     "value": value, "scale": "helpful", "vote_key": f"v{i}", "revision": item.revision,
                     "journey": f"v{i:04d}", "client": f"{1000 + i:016x}"})
    # one of the other customers votes "No" twice more: the page's count is of votes, not voters (reader R11)
    rows += [{**rows[-(OTHER_NO + OTHER_YES + 100)], "vote_key": f"again{n}", "received_ms": START_MS + 40 * DAY_MS + n}
             for n in range(REPEATS)]
    report = report_of_events(catalogue, rows, tmp_path, latest_ms=START_MS + 55 * DAY_MS)
    out = tmp_path / "report"
    write_report(report, out, ["html", "md", "json", "csv"])
    return report, out, page


@pytest.fixture
def make(shared_chromium):
    with page_factory(shared_chromium) as make:
        yield make


def test_a_poor_answer_counts_its_searchers_and_the_pages_voters_apart_in_every_format(built, make):
    report, out, page = built
    need, = [c for c in report["missing"]["clusters"] if c["status"] == "poor answer"]
    votes, voted_no = SEARCHERS + OTHER_NO + OTHER_YES + REPEATS, SEARCHERS + OTHER_NO + REPEATS
    assert need["poor_answer"] == {"page": page.id, "searches": SEARCHERS, "clients": SEARCHERS, "voted_no": SEARCHERS,
                                   "page_votes": votes, "page_voted_no": voted_no}
    # the row's action says each count with its population; no claim that every search "led to it"
    assert need["action"] == (f"Fix “{page.title}”: {SEARCHERS} of these {SEARCHERS} failed searches clicked a result, "
                              f"then voted “No”; of all its votes, {voted_no} of {votes} were “No”")
    assert "led to it" not in need["closest"]["why"]
    fix, = [r for r in report["backlog"]["rows"] if r["action"] == "fix"]
    # the Fix row's customers: the larger population, named, the other's count beside it
    assert fix["customers_of"]["searches"] == SEARCHERS and fix["customers_of"]["votes"] < SEARCHERS
    assert fix["customers"] == SEARCHERS and fix["customers_from"] == "searches"
    said = f"its need's searchers; unhelped beyond a typical page {fix['customers_of']['votes']}"
    assert f"Customers {SEARCHERS}: its need's failed searches, counted by client" in fix["why"]
    assert report["summary"]["poor_answers"] == 1 and report["summary"]["gaps"] == 0
    # the files
    backlog_csv = list(csv.DictReader(io.StringIO((out / "backlog.csv").read_text())))
    assert [r["customers_counted_from"] for r in backlog_csv if r["action"] == "fix"] == [said]
    missing_csv = list(csv.DictReader(io.StringIO((out / "missing.csv").read_text())))
    row, = [r for r in missing_csv if r["status"] == "poor answer"]
    assert (row["page_votes"], row["page_voted_no"], row["counted_failed_searches"]) == (str(votes), str(voted_no), str(SEARCHERS))
    md = (out / "report.md").read_text().replace("\\", "")  # Markdown escapes its punctuation
    assert f"of all its votes, {voted_no} of {votes} were “No”" in md
    assert f"Customers {SEARCHERS}: its need's failed searches" in md
    # where the lead reads it: the backlog's Customers cell and Missing content's row, on a phone too
    for width in (1280, 390):
        view = make(viewport={"width": width, "height": 900})
        view.goto((out / "index.html").as_uri())
        cell = view.locator("#backlog tbody tr", has_text=page.title).first.locator("td.cust")
        assert cell.inner_text().split("\n") == [str(SEARCHERS), said]
        missing = view.locator("#missing tbody tr", has_text=page.title).first
        assert f"of all its votes, {voted_no} of {votes} were “No”" in missing.inner_text()
        assert missing.locator("td").last.bounding_box()["x"] + 10 < width
        save_shot(view.locator("#backlog tbody tr").first, f"poor-answer-fix-row-{width}.png")


def test_a_fix_rows_why_counts_the_customers_its_customers_column_shows(tmp_path):
    """Reader R4: a page's Fix row that holds its need's failed searches and also assistants'
    failed questions of the same wording showed Customers 41 (its column: "+ 5 questions to
    assistants") while its why still said "Customers 36: …", written before the questions came in."""
    catalogue = make_catalogue(articles=6, faq_groups=1, questions=2, videos=1)
    page = catalogue.get("article:account/share-your-signature")
    rows = _searchers(page)
    asked = 5  # an assistant asked it 5 times and got no answer
    rows += [{"type": "ask", "received_ms": START_MS + 40 * DAY_MS + i * 1000, "query": "share", "value": 0,
              "source": "mcp", "journey": f"a{i}", "client": f"{500 + i:016x}"} for i in range(asked)]
    report = report_of_events(catalogue, rows, tmp_path, latest_ms=START_MS + 55 * DAY_MS)
    fix, = [r for r in report["backlog"]["rows"] if r["action"] == "fix"]
    assert fix["customers_of"].get("questions") == asked, fix["customers_of"]
    assert fix["customers"] == SEARCHERS + asked
    said = [int(n.replace(",", "")) for n in re.findall(r"Customers ([\d,]+)", fix["why"])]
    assert said == [fix["customers"]], fix["why"]
