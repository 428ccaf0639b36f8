"""The report per language (issue 18) on the demo's bilingual build output: German customers'
failed searches land in the German report's topics only (never in an English topic, nor the
reverse), and "translate next" ranks missing and stale German translations by the German
customers who reached them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine
from tiers_testkit import real_build

from carebase.store.schema import events, metadata
from report_testkit import START_MS, run_cli

DAY_MS = 86_400_000
WHEN = START_MS + 20 * DAY_MS
GERMAN_GAP = "gartenhaus sauna ofen"  # no item covers heating a garden sauna
ENGLISH_GAP = "pool heater solar cover"  # nor pool heating


def _rows():
    rows, n = [], 0

    def add(**row):
        nonlocal n
        n += 1
        rows.append({**dict.fromkeys(c.name for c in events.columns), "event_id": f"ev-{n:04d}",
                     "received_ms": WHEN + n * 1000, **row})

    for i in range(4):  # German customers: they search German pages, then vote on an untranslated page
        client = f"de-client-{i}"
        add(type="search", query=GERMAN_GAP, results=0, lang="de", client=client, page="/de/search/", source="search-page")
        if i < 3:
            add(type="vote", item_id="article:billing/lumo-plus-plans", value=0, scale="helpful", lang="en",
                client=client, page="/billing/lumo-plus-plans/")
    add(type="vote", item_id="article:comfort-and-schedules/hot-water-control", value=1, scale="helpful", lang="de",
        client="de-client-3", page="/de/comfort-and-schedules/hot-water-control/")  # its German text is stale
    for i in range(4):  # English customers: their gap, and votes that never count for German
        client = f"en-client-{i}"
        add(type="search", query=ENGLISH_GAP, results=0, lang="en", client=client, page="/search/", source="search-page")
        add(type="vote", item_id="article:getting-started/check-compatibility", value=1, scale="helpful", lang="en",
            client=client, page="/getting-started/check-compatibility/")
    return rows


def _queries(report) -> set[str]:
    return {q["query"].lower() for c in report["missing"]["clusters"] for q in c["queries"]}


@pytest.fixture(scope="module")
@real_build
def reports(demo_site_data, tmp_path_factory):
    """(English report folder, German report folder, database URL): the real command, twice."""
    tmp_path = tmp_path_factory.mktemp("report-languages")
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    engine = create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(events.insert(), _rows())
    engine.dispose()
    folders = {}
    for lang in ("en", "de"):
        folders[lang] = tmp_path / lang
        proc = run_cli("--site-data", str(demo_site_data), "--db", url, "--out", str(folders[lang]),
                       "--format", "json,md,html", "--no-cache", *(["--lang", lang] if lang == "de" else []),
                       in_process=True)
        assert proc.returncode == 0, proc.stderr
    return folders["en"], folders["de"], url


def test_report_per_language_and_translate_next(reports, demo_site_data, tmp_path):
    english, german, url = reports
    report = json.loads((english / "report.json").read_text(encoding="utf-8"))
    assert report["lang"] == "en"
    assert ENGLISH_GAP in _queries(report) and GERMAN_GAP not in _queries(report)
    rows = report["languages"]["translate_next"]
    assert [(r["id"], r["lang"], r["state"], r["customers"]) for r in rows[:2]] == [
        ("article:billing/lumo-plus-plans", "de", "missing", 3),
        ("article:comfort-and-schedules/hot-water-control", "de", "stale", 1),
    ]
    assert "article:getting-started/check-compatibility" not in {r["id"] for r in rows}  # English customers only
    assert rows[0]["source"]["path"].endswith("billing/lumo-plus-plans.md")
    assert report["languages"]["states"]["de"]["stale"] >= 1
    assert "## Translate next" in (english / "report.md").read_text(encoding="utf-8")

    report = json.loads((german / "report.json").read_text(encoding="utf-8"))
    assert report["lang"] == "de"
    assert GERMAN_GAP in _queries(report) and ENGLISH_GAP not in _queries(report)
    assert report["summary"]["searches"] == 4  # the German pages' searches only

    refused = run_cli("--site-data", str(demo_site_data), "--db", url, "--out", str(tmp_path / "fr"),
                      "--lang", "fr", in_process=True)
    assert refused.returncode == 2 and "--lang: expected one of the help centre's languages (en, de), found 'fr'" \
        in refused.stderr


@pytest.mark.browser
def test_both_languages_reports_read_in_chromium_and_pass_axe(reports, shared_chromium):
    from web_testkit import describe, run_axe

    english, german, _ = reports
    context = shared_chromium.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto((english / "index.html").as_uri(), wait_until="load")
        assert "language en" in page.locator("header.top").inner_text()
        table = page.locator("#translations table")
        assert "Lumo Plus plans" in table.locator("tbody tr").first.inner_text()
        violations = run_axe(page)
        assert not violations, describe(violations)
        page.goto((german / "index.html").as_uri(), wait_until="load")
        assert "language de" in page.locator("header.top").inner_text()
        assert GERMAN_GAP in page.locator("#missing").inner_text().lower()
        violations = run_axe(page)
        assert not violations, describe(violations)
    finally:
        context.close()
