"""The live report through HTTP on a real service with simulated traffic: decisions stored with
their history and validated; a findability pairing marked wrong is blocked (the learned-phrasing
block list) and does not come back in the next build, and comes back when the decision is undone;
on PostgreSQL, the browser test's owner filter, assignment and status persist through HTTP."""

from __future__ import annotations

import html
import re
import time
from urllib.parse import quote

import httpx
import pytest
from backlog_testkit import TOKEN, first, row


def test_decisions_are_stored_validated_and_shown_by_filter(sqlite_live):
    service, _ = sqlite_live
    body = service.backlog(status="all")
    assert body["ready"] and body["contradictions"] == [] and body["rows"]
    assert all(r["owner"] and r["owner"] != "unassigned" for r in body["rows"])
    target = first(body, "promote")
    answer = service.decide(target["key"], status="in_progress", owner="  Jo Park ", note="rewrite as an article")
    assert answer.status_code == 200, answer.text
    assert answer.json()["state"] == {**answer.json()["state"], "status": "in_progress", "owner": "Jo Park"}
    mine = service.backlog(owner="Jo Park")["rows"]
    assert [r["key"] for r in mine] == [target["key"]] and mine[0]["note"] == "rewrite as an article"
    assert [(h["field"], h["old"], h["new"]) for h in service.history(target["key"])] == [
        ("status", "open", "in_progress"), ("owner", None, "Jo Park"), ("note", None, "rewrite as an article")]
    # the same decision as a plain form (no JavaScript) comes back to the filtered view
    form = service.client.post("/report/backlog", data={"key": target["key"], "status": "open", "owner": "",
                                                        "note": "", "back": "owner=Jo+Park#row-x"})
    assert form.status_code == 303 and form.headers["location"] == "/report?owner=Jo+Park#row-x"
    assert row(service.backlog(), target["key"])["owner"] == target["owner"]  # back to its default owner
    bad = service.decide(target["key"], status="closed")
    assert (bad.status_code, bad.json()["field"]) == (400, "status")
    unknown = service.decide("fix:article:nowhere", status="done")
    assert (unknown.status_code, unknown.json()["field"]) == (404, "key")
    foreign = service.client.post("/api/v1/backlog", json={"key": target["key"], "status": "done"},
                                  headers={"Origin": "https://evil.example"})
    assert (foreign.status_code, foreign.json()["field"]) == (403, "Origin")
    anonymous = httpx.post(f"{service.url}/api/v1/backlog", json={"key": target["key"], "status": "done"})
    assert anonymous.status_code == 401
    filtered = service.client.get("/report", params={"days": "5"})
    assert (filtered.status_code, filtered.json()["field"]) == (400, "days")
    assert TOKEN not in service.client.get("/report").text


def test_the_same_need_and_two_needs_forms_store_a_link_list_it_with_undo_and_undo_it(sqlite_live):
    service, _ = sqlite_live
    topics = [r for r in service.backlog(status="all")["rows"] if (r.get("topic") or "").startswith("topic:")]
    a, b = topics[0], topics[1]
    page = service.client.get("/report", params={"status": "all"}).text
    assert page.count('action="/report/links"') >= len(topics) and f'<option value="{b["topic"]}"' in page
    # the buttons' plain-form path (no JavaScript): stored, listed with Undo, undone, back to the row
    form = service.client.post("/report/links", data={"kind": "two", "topic": a["topic"], "other": b["topic"],
                                                      "back": "status=all#row-x"})
    assert form.status_code == 303 and form.headers["location"] == "/report?status=all#row-x"
    [link] = service.client.get("/api/v1/backlog/links").json()["links"]
    assert (link["kind"], link["topic"], link["other"]) == ("two", a["topic"], b["topic"])
    listed = service.client.get("/report").text
    assert f"Undo link {link['id']}" in listed and html.escape(a["subject"]["title"], quote=False) in listed
    # "Keep in this row" at a wording: a "same" link with the wording, no other row
    keep = service.client.post("/report/links", json={"kind": "same", "topic": a["topic"], "wording": "my own need"})
    assert keep.status_code == 201 and (keep.json()["kind"], keep.json()["other"]) == ("same", None)
    # listed as what it is: kept in this row at that wording, not a split there
    kept = re.search(rf'Link {keep.json()["id"]}: [^<]*', service.client.get("/report").text).group(0)
    assert kept.endswith("kept in this row at “my own need”") and "split at" not in kept, kept
    assert service.client.post("/report/links", json={"undo": str(keep.json()["id"])}).status_code == 200
    wrong = service.client.post("/report/links", data={"kind": "both", "topic": a["topic"], "other": b["topic"]})
    assert (wrong.status_code, wrong.json()["field"]) == (400, "kind")
    undo = service.client.post("/report/links", data={"undo": str(link["id"]), "back": "status=all"})
    assert undo.status_code == 303 and service.client.get("/api/v1/backlog/links").json()["links"] == []
    again = service.client.post("/report/links", json={"undo": str(link["id"])})
    assert (again.status_code, again.json()["field"]) == (404, "undo")
    foreign = service.client.post("/report/links", data={"undo": "1"}, headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403


def test_a_wrong_findability_pairing_is_blocked_and_does_not_return(sqlite_live):
    service, truth = sqlite_live
    [(phrase, item)] = truth.findability.items()
    retag = first(service.backlog(), "retag", target=item)
    assert phrase in [w.lower() for w in retag["words"]]
    assert service.decide(retag["key"], status="wrong").status_code == 200
    # every word the row suggested is blocked for its item (the planted phrase among them;
    # which other words join it depends on the simulated traffic: ["passcode", "codes"] on 2026-12-05)
    blocks = service.blocks()
    assert sorted((b["phrase"], b["item"]) for b in blocks) == sorted((w.lower(), item) for w in retag["words"])
    assert all(retag["key"] in b["note"] for b in blocks)
    assert service.decide(retag["key"], status="open").status_code == 200  # undone: the block is lifted
    assert service.blocks() == []
    assert service.decide(retag["key"], status="wrong", note="passcodes are the thermostat's").status_code == 200
    after = service.refresh()
    again = [r for r in after["rows"] if r["current"] and r["target"] == item and r["action"] in ("retag", "keywords")
             and phrase in [w.lower() for w in r.get("words", [])]]
    assert again == []  # the pairing is not suggested again
    now = row(after, retag["key"])  # the same topic, now with another recommendation …
    assert now["action"] != "retag" and now["status"] == "open"
    assert now["previously"]["status"] == "wrong" and now["previously"]["target"] == item  # … that remembers
    assert "marked wrong" in now["why"]
    assert service.decide(retag["key"], status="in_progress").status_code == 200  # a decision on the new one …
    assert len(service.blocks()) == len(retag["words"])  # … keeps the pairing dismissed


def test_the_live_report_of_another_language_is_its_own(sqlite_live):
    """On the bilingual demo, the Language filter shows each language's own report (its
    pages' events, its items): German rows are German items; the page offers every language;
    its "Most viewed pages" counts the German pages' views only (the view events' language,
    counted in ``item_views`` per language)."""
    import re
    import uuid

    service, _ = sqlite_live
    german, english = "article:comfort-and-schedules/hot-water-control", "article:getting-started/check-compatibility"
    views = ([{"id": uuid.uuid4().hex, "type": "view", "item": german, "lang": "de"} for _ in range(3)]
             + [{"id": uuid.uuid4().hex, "type": "view", "item": english, "lang": "en"} for _ in range(5)]
             + [{"id": uuid.uuid4().hex, "type": "view", "item": english}]  # no language: the default one
             # a German page's search today: a report's period ends on the day of its latest event
             + [{"id": uuid.uuid4().hex, "type": "search", "query": "warmwasser", "results": 2, "lang": "de",
                 "source": "search-page", "page": "/de/search/"}])
    answer = service.client.post("/api/v1/events", json={"events": views})
    assert answer.status_code == 200 and answer.json()["accepted"] == len(views), answer.text
    body = service.refresh(lang="de")  # a report child with --lang de, built after the views
    assert all(r["lang"] == "de" for r in body["rows"]), {r["lang"] for r in body["rows"]}
    english_rows = service.backlog(days=28, status="all", lang="default")["rows"]
    assert english_rows and not [r for r in english_rows if r["lang"] == "de"]
    page = service.client.get("/report", params={"lang": "de"}).text
    assert '<option value="de" selected>Deutsch</option>' in page and "English (site language)" in page
    most_viewed = page.split("<h3>Most viewed pages</h3>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td><a [^>]*>([^<]*)</a></td><td[^>]*>([^<]*)</td>", most_viewed)
    assert rows == [("Warmwasser steuern", "3")], most_viewed  # its German title; the English views are not here


def _row_html(page: str, key: str) -> str | None:
    """The ``<tr>`` of the backlog row ``key`` in the report page's HTML, or None."""
    found = re.search(r'<tr id="[^"]*" data-key="%s".*?</tr>' % re.escape(html.escape(key)), page, re.S)
    return found.group(0) if found else None


def _owners_listed(page: str) -> set[str]:
    """The owners of the backlog tables' rows (third cell: a link to that owner's filter)."""
    tables = re.findall(r'<table class="[^"]*\bbacklog\b[^"]*">.*?</table>', page, re.S)
    assert tables, "no backlog table on the page"
    return {html.unescape(o) for table in tables
            for o in re.findall(r'</td><td><a href="[^"]*">([^<]*)</a><div class="sub">', table)}


@pytest.mark.postgres
def test_on_postgresql_the_filter_assign_and_status_persist_through_http(postgres_live):
    """The browser test's steps on PostgreSQL without a browser: the owner filter's page, the
    decision as the page's form posts it (no JavaScript), the next owner's page read back."""
    service, _ = postgres_live
    owner = "Aisha Rahman"
    key = next(r["key"] for r in service.backlog(owner=owner)["rows"] if r["action"] == "write")
    page = service.client.get("/report", params={"owner": owner})
    assert page.status_code == 200 and _row_html(page.text, key)
    assert _owners_listed(page.text) == {owner}
    saved = service.client.post("/report/backlog", data={"key": key, "status": "in_progress", "owner": "Maya Chen",
                                                         "note": "drafting with the billing team", "back": "owner=x"})
    assert saved.status_code == 303, saved.text
    assert _row_html(service.client.get("/report", params={"owner": owner}).text, key) is None  # assigned away
    row = _row_html(service.client.get("/report", params={"owner": "Maya Chen"}).text, key)
    assert row is not None
    assert '<option value="in_progress" selected>' in row and 'name="owner" list="owners" value="Maya Chen"' in row
    assert 'name="note" rows="1">drafting with the billing team</textarea>' in row
    stored = service.backlog(owner="Maya Chen", status="in_progress")["rows"]
    assert key in [r["key"] for r in stored]


def _section(page: str, name: str) -> str:
    return re.search(rf'<section id="{name}">.*?</section>', page, re.S).group(0)


def test_the_page_stays_light_report_tables_cut_short_issues_behind_a_redirect(sqlite_live):
    """The live page is the lead's workspace: failing content shows its first 10 rows and a link
    (no JavaScript needed) to all of them, in the same filtered view; ?limit= is validated. A row's
    "open an issue" is a link to /report/issue/KEY, a 303 to the tracker's prefilled form."""
    service, _ = sqlite_live
    owner = service.backlog(status="all")["rows"][0]["owner"]
    page = service.client.get("/report", params={"owner": owner}).text
    cut = _section(page, "failing")
    link = re.search(r'<a href="([^"]+)">Show all (\d+) rows</a> \((\d+) more\)', cut)
    assert link, cut[-600:]
    total = int(link.group(2))
    assert cut.count("<tr>") - 1 == 10 and total > 10 and int(link.group(3)) == total - 10
    href = html.unescape(link.group(1))
    assert href.startswith("/report?") and "limit=50" in href and "owner=" in href and href.endswith("#failing")
    full = _section(service.client.get(href.split("#")[0]).text, "failing")
    assert full.count("<tr>") - 1 == total and "Show all" not in full
    assert cut[:cut.index("<tbody>")] == full[:full.index("<tbody>")]  # the same table: heading, lede, columns
    bad = service.client.get("/report", params={"limit": "0"})
    assert (bad.status_code, bad.json()["field"]) == (400, "limit")
    key = re.search(r'<tr id="row-[^"]*" data-key="([^"]+)"', page).group(1)
    issue = re.search(r'<a href="([^"]+)" rel="noopener noreferrer" target="_blank">open an issue</a>',
                      _row_html(page, key)).group(1)
    assert html.unescape(issue).startswith("/report/issue/")
    answer = service.client.get(html.unescape(issue))
    assert answer.status_code == 303, answer.text
    to = answer.headers["location"]
    assert to.startswith("https://github.com/acme/help/issues/new?title=") and quote(key, safe="") in to, to
    assert service.client.get("/report/issue/fix:article:nowhere").json()["field"] == "key"


def test_the_live_report_is_the_suites_whatever_day_it_runs(sqlite_live):
    """The simulated traffic ends on the suite's fixed day and the service and its report builds
    run on a clock that starts there (clock_testkit): the report's period is the 28 days before
    that day (the day after, once a test has posted events), not before the day of the run, so
    no row depends on the date. Before, the period ended on the day of the run and the backlog
    gained "review" rows as the demo's review_by dates passed (6 on 2027-02-15, 42 on 2027-08-01)."""
    from clock_testkit import DAY_MS, SUITE_NOW_MS

    service, _ = sqlite_live
    body = service.backlog(days=28, status="all")
    suite_day = SUITE_NOW_MS // DAY_MS * DAY_MS
    ends = {time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000)) for ms in (suite_day, suite_day + DAY_MS)}
    assert body["period"]["until"] in ends, body["period"]
    assert not [r["key"] for r in body["rows"] if r["action"] == "review"]


def test_a_write_rows_new_file_link_opens_the_trackers_new_file_form(sqlite_live):
    """With ``--edit-url https://github.com/acme/help/edit/main/content/`` a "Write" row's "new file
    FOLDER/NAME.md" link opens GitHub's form that creates that file in that folder; before, it was
    the edit form of a file that does not exist (GitHub answers 404). An existing page's "edit"
    link stays GitHub's edit form."""
    service, _ = sqlite_live
    page = service.client.get("/report", params={"status": "all"}).text
    links = [(html.unescape(href), verb, html.unescape(where)) for href, verb, where in
             re.findall(r'<a class="edit" href="([^"]+)">(new file|edit) ([^<]+)</a>', page)]
    new = [(href, where) for href, verb, where in links if verb == "new file"]
    assert new, "the simulated traffic plants missing content: the backlog has Write rows"
    for href, where in new:
        folder, _, name = ("content/" + where).rpartition("/")
        assert href == f"https://github.com/acme/help/new/main/{folder}?filename={quote(name, safe='')}", (href, where)
    edits = [(href, where) for href, verb, where in links if verb == "edit"]
    assert edits and all(href == "https://github.com/acme/help/edit/main/content/" + where.split(":")[0]
                         for href, where in edits), edits[:3]
    written = [r for r in service.backlog(status="all")["rows"] if r["action"] == "write"]
    assert written and all("/new/main/content" in r["source"]["href"] for r in written)


def test_the_workspaces_section_links_are_in_the_pages_order(sqlite_live):
    """Audit 46, A9: the live page is Backlog, At a glance, Overview, Failing content …, but its link
    bar read Overview, Backlog, At a glance …: its first link jumped past two sections."""
    service, _ = sqlite_live
    page = service.client.get("/report").text
    bar = re.search(r'<nav class="toc"[^>]*>(.*?)</nav>', page, re.S).group(1)
    links = re.findall(r'<a href="#([a-z]+)">', bar)
    sections = re.findall(r'<section id="([a-z]+)">', page)
    assert links == [s for s in sections if s in links] and links[:3] == ["backlog", "glance", "overview"], (links, sections)
    assert set(links) <= set(sections)

