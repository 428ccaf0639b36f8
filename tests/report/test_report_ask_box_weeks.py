"""The Ask box's answered share week by week: a chart in At a glance (a report people would rather
look at than read), counted as the search rows count ``answered`` (results shown, nothing clicked,
its answer taken, no "contact support" after it). A real SQLite store through ``build_report`` and
``write_report``; the chart in headless Chromium at 1,280 and 390 px, light and dark."""

from __future__ import annotations

import pytest
from report_testkit import DAY_MS, START_MS, report_of_events
from synthetic_content import make_catalogue
from web_testkit import page_factory, save_shot

from carebase.report.write import write_report

pytestmark = pytest.mark.browser

LAST_DAY = START_MS + 55 * DAY_MS  # the period's last day: weeks end on it


def _journeys(catalogue, day_ms: int, *, answered: int, clicked: int, abandoned: int, contacted: int, zero: int):
    """One search per journey on the day: the Ask box's answer taken; a result clicked; results not
    clicked; the answer taken, then "contact support"; no result."""
    item = next(i for i in catalogue.items() if i.id.startswith("article:"))
    kinds = ["answered"] * answered + ["clicked"] * clicked + ["abandoned"] * abandoned + ["contacted"] * contacted \
        + ["zero"] * zero
    rows = []
    for n, kind in enumerate(kinds):
        journey, at, query = f"j{day_ms}-{n}", day_ms + n * 60_000, f"how do i reset {n}"
        common = {"journey": journey, "client": f"{day_ms + n:016x}"}
        rows.append({"type": "search", "received_ms": at, "query": query, "results": 0 if kind == "zero" else 3, **common})
        if kind in ("answered", "contacted"):
            rows.append({"type": "ask", "received_ms": at + 1, "query": query, "value": 1, **common})
        if kind == "clicked":
            rows.append({"type": "click", "received_ms": at + 1, "query": query, "item_id": item.id, "rank": 1, **common})
        if kind == "contacted":
            rows.append({"type": "contact", "received_ms": at + 2, "item_id": item.id, **common})
    return rows


def _build(tmp_path, rows):
    catalogue = make_catalogue(articles=6, faq_groups=1, questions=2, videos=1)
    report = report_of_events(catalogue, rows(catalogue), tmp_path, latest_ms=LAST_DAY)
    out = tmp_path / "report"
    write_report(report, out, ["html", "json"])
    return report, out


@pytest.fixture
def make(shared_chromium):
    with page_factory(shared_chromium) as make:
        yield make


def test_the_ask_boxs_share_is_a_weekly_chart_counted_as_the_search_rows_count_it(tmp_path, make):
    """Three weeks ago 2 of 4 searches with results were answered (50 %); in the last week 1 of 4
    (25 %: one more whose customer then contacted support is not answered; searches with no
    result are not in the share)."""
    early, late = LAST_DAY - 20 * DAY_MS, LAST_DAY - 2 * DAY_MS
    report, out = _build(tmp_path, lambda cat: _journeys(cat, early, answered=2, clicked=1, abandoned=1, contacted=0, zero=0)
                         + _journeys(cat, late, answered=1, clicked=2, abandoned=0, contacted=1, zero=2))
    weeks = report["top"]["deflection_trend"]
    assert [(w["answered"], w["answered_share"]) for w in weeks] == [(0, None), (2, 0.5), (0, None), (1, 0.25)], weeks
    # the same count as the period's line and the search rows (``SearchRow.answered``)
    assert sum(w["answered"] for w in weeks) == report["top"]["searches"]["answered"]["searches"] == 3
    for width, scheme in ((1280, "light"), (390, "dark"), (1280, "dark"), (390, "light")):
        view = make(viewport={"width": width, "height": 900}, color_scheme=scheme)
        view.goto((out / "index.html").as_uri())
        chart = view.locator("#glance figure.ask-weeks")
        assert chart.is_visible()
        assert "The Ask box's share, week by week" in chart.inner_text()
        label = chart.locator("svg").get_attribute("aria-label")
        assert "50%" in label and "25%" in label, label
        bars = chart.locator("svg rect").evaluate_all("rs => rs.map(r => r.getBoundingClientRect().height)")
        assert len(bars) == 2 and bars[0] == pytest.approx(2 * bars[1], rel=0.05), bars  # 50 % twice 25 %
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert view.evaluate("document.documentElement.scrollWidth") <= width
        save_shot(chart, f"ask-box-weeks-{width}-{scheme}.png")


def test_without_the_ask_box_the_report_has_no_weekly_share(tmp_path, make):
    report, out = _build(tmp_path, lambda cat: _journeys(cat, LAST_DAY - 2 * DAY_MS, answered=0, clicked=2, abandoned=1,
                                                          contacted=0, zero=1))
    assert all("answered" not in w for w in report["top"]["deflection_trend"])  # report.json as before
    view = make(viewport={"width": 1280, "height": 900})
    view.goto((out / "index.html").as_uri())
    assert view.locator("#glance figure.ask-weeks").count() == 0
