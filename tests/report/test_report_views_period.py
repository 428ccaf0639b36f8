"""Page views are counted per day without an event row (``item_views``): a day on which the
site only sent page views still ends the report's default period, so its views are in the
report's "top pages by views" instead of silently left out."""

from __future__ import annotations

import json

from report_testkit import START_MS, empty_engine

from carebase.cli import main
from carebase.report.period import DAY_MS
from carebase.store.schema import events, item_views


def test_views_on_days_without_any_other_event_are_in_the_default_period(demo_site_data, tmp_path, capsys,
                                                                         monkeypatch):
    monkeypatch.setenv("CI", "1")
    engine = empty_engine(tmp_path)
    day = START_MS // DAY_MS
    with engine.begin() as conn:
        conn.execute(events.insert(), [{"event_id": "v1", "type": "vote", "received_ms": START_MS + 1000,
                                        "item_id": "article:billing/refunds", "value": 1, "scale": "helpful"}])
        conn.execute(item_views.insert(), [
            {"item_id": "article:billing/refunds", "day": day, "lang": "", "views": 4},
            # three quiet days later: views only, no vote, search, click or contact that day
            {"item_id": "article:billing/refunds", "day": day + 3, "lang": "", "views": 7},
            {"item_id": "article:billing/invoices-and-receipts", "day": day + 3, "lang": "", "views": 5},
        ])
    engine.dispose()
    out = tmp_path / "report"
    code = main(["report", "--site-data", str(demo_site_data), "--db", f"sqlite:///{tmp_path / 'events.db'}",
                 "--out", str(out), "--format", "json", "--no-cache"])
    assert code == 0, capsys.readouterr().err
    report = json.loads((out / "report.json").read_text())
    pages = report["top"]["pages"]
    assert pages["views_total"] == 16
    assert [(row["id"], row["views"]) for row in pages["views"][:2]] == [("article:billing/refunds", 11),
                                                                         ("article:billing/invoices-and-receipts", 5)]
