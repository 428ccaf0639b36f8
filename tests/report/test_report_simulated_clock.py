"""The README's demo traffic (`python benchmarks/simulate_events.py --content content/ --db
sqlite:///feedback.db`) ends now: no event from the future (session 47: stamped up to the end of
the day, 9 h ahead at 15:00, which the learned phrasings' window and the report read)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from carebase.store.schema import events

ROOT = Path(__file__).resolve().parents[2]
DAY_MS = 86_400_000
NOON = 1_796_644_800_000  # 2026-12-07 12:00 UTC


@pytest.mark.slow
@pytest.mark.parametrize("now_ms", [NOON, NOON + 12 * 3_600_000 - 60_000])  # noon; a minute before midnight
def test_the_simulated_traffic_ends_now_over_whole_days(tmp_path, monkeypatch, now_ms):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import simulate_events
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    monkeypatch.setattr("time.time", lambda: now_ms / 1000)
    db = f"sqlite:///{tmp_path / 'feedback.db'}"
    assert simulate_events.main(["--content", str(ROOT / "content"), "--db", db, "--journeys", "3000"]) == 0
    with create_engine(db).connect() as conn:
        first, last, client_last = conn.execute(
            select(func.min(events.c.received_ms), func.max(events.c.received_ms), func.max(events.c.client_ms))).one()
    assert max(last, client_last) <= now_ms  # before: up to the end of the day, 12 h ahead at noon
    assert now_ms - last < DAY_MS / 10  # and up to now: the latest day is today's
    assert first >= (now_ms // DAY_MS - 55) * DAY_MS  # 56 whole days, the first from its midnight
    assert first - (now_ms // DAY_MS - 55) * DAY_MS < DAY_MS / 10
