"""What a support lead reads in At a glance and Missing content, in headless Chromium on the real
command's report of the demo help centre with simulated traffic (``demo_run``): the needs
customers could not find (each need once, in Missing content's order, never a search that mostly
succeeded), counts as they are ranked (by client, not raw events), words instead of the
analyser's stems and the model's id, and Missing content as blocks on a phone.

With $CAREBASE_SHOTS set, the sections are saved there at 1,280 and 390 px, light and dark."""

from __future__ import annotations

import json

import pytest
from web_testkit import page_factory, save_shot

pytestmark = pytest.mark.browser


@pytest.fixture
def make(shared_chromium):
    with page_factory(shared_chromium) as make:
        yield make


def _open(make, out, width: int, scheme: str = "light"):
    page = make(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto((out / "index.html").as_uri())
    page.wait_for_load_state("load")
    page.add_style_tag(content="nav.toc{position:static}")
    return page


def _not_found(page):
    box = page.locator("#glance .two > div", has=page.locator("h3", has_text="What customers could not find"))
    assert box.count() == 1, page.inner_text("#glance")[:600]
    return box


def test_at_a_glance_lists_what_customers_could_not_find_once_per_need_as_missing_content_ranks_it(make, demo_run):
    """Session 44's audit: "Top searches that failed" listed searches 80 % of which succeeded,
    ordered by raw failed events, and split the planted "gift card" need ("Gift card" and
    "Redeem a gift card" as two lines) that Missing content shows as one row."""
    truth, out, _, _ = demo_run
    report = json.loads((out / "report.json").read_text())
    clusters = report["missing"]["clusters"]
    page = _open(make, out, 1280)
    box = _not_found(page)
    needs = [t.strip() for t in box.locator("tbody tr td:first-child summary, tbody tr td:first-child:not(:has(summary))")
             .evaluate_all("cells => cells.map(c => c.firstChild.textContent)")]
    assert needs == [c.get("title") or c["label"] for c in clusters[:10]]  # Missing content's rows, its order
    gift = [n for n in needs if "gift" in n.lower()]
    assert len(gift) == 1, needs  # one need, whatever its wordings
    row = box.locator("tbody tr", has_text=gift[0])
    row.locator("summary").click()
    assert "redeem a gift card" in row.inner_text().lower()  # its wordings on drill-down
    # no search most of whose customers found what they wanted: what "succeeded" lists at 80 %+
    found = [r["query"] for r in report["top"]["searches"]["succeeded"] if r["success"] >= 0.8]
    assert found and not set(found) & set(needs), (found, needs)
    # counts as Missing content ranks them: by client (each for at most 3), the bars drawn from it
    shown = [int(v) for v in box.locator("tbody tr td:nth-child(2)").evaluate_all("c => c.map(x => x.dataset.sort)")]
    assert shown == [c["counted"] for c in clusters[:10]]
    assert "at most 3 a client" in box.locator("thead").inner_text().lower()
    save_shot(box, "glance-not-found-1280-light.png")


def test_missing_content_shows_the_count_it_ranks_by_and_words_people_wrote(make, demo_run):
    """A row's big number is what it is ranked by (failed searches, each client for at most 3),
    not raw events one client can inflate; the lede names no model id and no row shows a stem."""
    _, out, _, _ = demo_run
    report = json.loads((out / "report.json").read_text())
    m = report["missing"]
    page = _open(make, out, 1280)
    lede = page.inner_text("#missing .lede")
    assert m["grouped_with"]["vectors"] not in lede and "onnx" not in lede.lower()
    assert "by meaning" in lede and "Whoosh" not in lede
    text = page.inner_text("#missing") + page.inner_text("#backlog")
    assert "stem:" not in text and "“passcod”" not in text  # the planted "passcode" need, as typed
    differ = [c for c in m["clusters"][:30] if c["counted"] != c["failed"]]
    assert differ, "the demo traffic holds searches without a client hash: some row counts fewer than it failed"
    c = differ[0]
    cell = page.locator("#missing tbody tr").nth(m["clusters"].index(c)).locator("td").nth(2)
    assert cell.locator("strong").inner_text() == f"{c['counted']:,}"
    assert f"of {c['failed']:,} failed searches" in cell.inner_text()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_missing_content_on_a_phone_is_blocks_with_what_to_do_on_screen(make, demo_run, scheme):
    """Session 44: at 390 px Missing content was a table scrolling sideways, its "What to do"
    column off screen. Now each row is a block: the action is inside the viewport, nothing scrolls."""
    _, out, _, _ = demo_run
    page = _open(make, out, 390, scheme)
    table = page.locator("#missing .wide").first
    assert table.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    first = page.locator("#missing tbody tr").first
    action = first.locator("td").last
    action.scroll_into_view_if_needed()
    box = action.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert action.locator("strong").first.inner_text().split()[0] in ("Write", "Customers", "Fix", "Add")
    # each value says what it is, the header row being hidden
    assert first.locator("td").nth(3).evaluate("td => getComputedStyle(td, '::before').content") == '"trend: "'
    assert page.locator("#missing table.gaps thead").is_hidden()
    save_shot(first, f"missing-row-390-{scheme}.png")
    # At a glance's needs are blocks too: the share that failed on screen, not in a sideways scroll
    needs = _not_found(page)
    assert needs.locator(".wide").evaluate("b => b.scrollWidth <= b.clientWidth + 1")
    share = needs.locator("tbody tr").first.locator("td").nth(2)
    assert share.bounding_box()["x"] + share.bounding_box()["width"] <= 390 and "%" in share.inner_text()
    save_shot(_not_found(page), f"glance-not-found-390-{scheme}.png")


def test_one_client_cannot_top_the_searches_that_succeeded(make, tmp_path):
    """Reader 44 (RP4): At a glance's "Top searches that succeeded" ranked and drew raw searches:
    one client searching "lumo app" 40 times topped 8 customers' "reset thermostat". Now each
    client counts for at most 3, as Missing content counts, and the line says so."""
    from report_testkit import DAY_MS, START_MS, report_of_events
    from synthetic_content import make_catalogue

    from carebase.report.write import write_report

    catalogue = make_catalogue(articles=6, faq_groups=1, questions=2, videos=1)
    item = next(i for i in catalogue.items() if i.id.startswith("article:"))
    rows, at = [], START_MS + 40 * DAY_MS
    searchers = [("lumo app", "00000000000000aa")] * 40 + [("reset thermostat", f"{n:016x}") for n in range(8)]
    for n, (query, client) in enumerate(searchers):
        common = {"journey": f"j{n:04d}", "client": client}
        rows += [{"type": "search", "received_ms": at + n * 60_000, "query": query, "results": 3, **common},
                 {"type": "click", "received_ms": at + n * 60_000 + 1, "query": query, "item_id": item.id, "rank": 1,
                  **common}]
    rows += [{"type": "search", "received_ms": at + n, "query": "gift card", "results": 0, "journey": f"g{n}",
              "client": f"{100 + n:016x}"} for n in range(3)]  # failed searches from 3 clients: counted by client
    # reader 45 (R8): a wording that only failed, listed last (latest, and last by the alphabet), made
    # every line count raw searches again: the loop's client dict shadowed the by-client flag
    rows += [{"type": "search", "received_ms": at + DAY_MS + n, "query": "zigbee hub", "results": 0,
              "journey": f"z{n}", "client": f"{200 + n:016x}"} for n in range(3)]
    report = report_of_events(catalogue, rows, tmp_path, latest_ms=START_MS + 55 * DAY_MS)
    out = tmp_path / "report"
    write_report(report, out, ["html"])
    lines = report["top"]["searches"]["succeeded"]
    assert [g["query"] for g in lines[:2]] == ["Reset thermostat", "Lumo app"]  # 31da265: "Lumo app" first
    assert [g["succeeded_counted"] for g in lines[:2]] == [8, 3]
    page = _open(make, out, 1280)
    table = page.locator("#glance .two > div", has=page.locator("h3", has_text="Top searches that succeeded"))
    first, second = table.locator("tbody tr").nth(0), table.locator("tbody tr").nth(1)
    assert first.inner_text().startswith("Reset thermostat")
    assert "counted, of 40 succeeded searches from 1 client" in second.inner_text()
    assert "at most 3 a client" in table.locator("thead").inner_text().lower()


def test_without_clients_the_searches_that_succeeded_count_every_search():
    """When Missing content cannot count by client (a store without client hashes), "Top searches
    that succeeded" counts every search, as its column then says; before (R8) the lines were capped
    at 3 a client whenever the last wording listed had succeeded."""
    from carebase.report import top
    from carebase.report.journeys import SearchRow
    from carebase.report.queries import CUR

    rows = [SearchRow("lumo app", CUR, searches=40, clicked=40, found_clients={"c1": 40}),
            SearchRow("reset thermostat", CUR, searches=8, clicked=8, found_clients={f"k{i}": 1 for i in range(8)})]
    lines = top.searches(rows, by_client=False)["succeeded"]
    assert [(g["query"], g["succeeded_counted"]) for g in lines] == [("Lumo app", 40), ("Reset thermostat", 8)]
    lines = top.searches(rows + [SearchRow("zigbee hub", CUR, searches=1, zero=1, failed=1, clients={"z": 1})],
                         by_client=True)["succeeded"]
    assert [(g["query"], g["succeeded_counted"]) for g in lines] == [("Reset thermostat", 8), ("Lumo app", 3)]
