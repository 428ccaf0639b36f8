"""What the backlog's service and browser tests share: the demo help centre with simulated
traffic (ending on the suite's fixed day, ``clock_testkit.SUITE_NOW_MS``: the backlog tests run
on a clock that starts there, so events posted during a test fall in the current period, and
the report is the same on any day the suite runs) in a real SQLite file or PostgreSQL database,
and the real service running in this process with the live report switched on (its model built
by a real ``carebase report`` child process, on the same clock)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import select

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "benchmarks") not in sys.path:
    sys.path.insert(0, str(REPO / "benchmarks"))

from clock_testkit import SUITE_NOW_MS, real_ms  # noqa: E402
from simulate_events import DAY_MS, insert_rows, simulate  # noqa: E402

from carebase.store.engine import open_engine  # noqa: E402

CONTENT = REPO / "content"
TOKEN = "lead-token-1234"
EDIT_URL = "https://github.com/acme/help/edit/main/content/"
JOURNEYS = 3000


def fill(db_url: str, *, seed: int = 7, journeys: int = JOURNEYS):
    """Simulated traffic over the demo for the 56 days before the suite's day (``SUITE_NOW_MS``;
    until session 34 the day of the run: the report changed with the date); returns the planted truth."""
    from carebase.content import load_catalogue

    catalogue = load_catalogue(CONTENT)
    now_day = SUITE_NOW_MS // DAY_MS
    truth, rows = simulate(catalogue, seed=seed, start_ms=(now_day - 56) * DAY_MS, days=56, journeys=journeys)
    engine = open_engine(db_url)  # migrated, as the service would
    insert_rows(engine, rows)
    engine.dispose()
    return truth


class LiveService:
    """``carebase.service.server.BackgroundService`` with the live report on (built only when
    asked: ``report_every`` 0), no rate limit, and an httpx client that has the token."""

    def __init__(self, db_url: str, report_dir: Path, site_data: Path):
        from carebase.service.config import ServiceConfig
        from carebase.service.server import BackgroundService

        config = ServiceConfig(database_url=db_url, site_data=str(site_data), token=TOKEN, report_dir=str(report_dir),
                               report_every=0, rate_limit=0, edit_url=EDIT_URL, learn_every=0)
        self.db_url = db_url
        self.site_data = site_data  # the demo's build output
        self.service = BackgroundService(config, port=0).start()
        self.url = self.service.url
        self.client = httpx.Client(base_url=self.url, timeout=60, auth=("lead", TOKEN))

    def backlog(self, **filters) -> dict:
        response = self.client.get("/api/v1/backlog", params=filters)
        response.raise_for_status()
        return response.json()

    def ready(self, *, after_ms: int = 0, days: int = 28, timeout: float = 240, lang: str = "") -> dict:
        """The backlog once a model built after ``after_ms`` is there (asking starts a build);
        ``lang``: another language's model."""
        deadline = time.monotonic() + timeout
        while True:
            body = self.backlog(days=days, status="all", **({"lang": lang} if lang else {}))
            if body["ready"] and body["built_ms"] >= after_ms and not body["building"]:
                return body
            assert not body.get("error"), body["error"]
            assert time.monotonic() < deadline, f"the live report was not built within {timeout} s: {body}"
            time.sleep(0.5)

    def refresh(self, days: int = 28, lang: str = "") -> dict:
        """Build the period again now (as "Refresh now") and wait for it (``built_ms`` is the
        model file's time: the system's clock, ``real_ms``)."""
        asked = real_ms()
        answer = self.client.post("/report/refresh", data={"days": str(days), "lang": lang})
        assert answer.status_code == 303, answer.text
        return self.ready(after_ms=asked, days=days, lang=lang)

    def decide(self, key: str, **fields) -> httpx.Response:
        return self.client.post("/api/v1/backlog", json={"key": key, **fields})

    def vote(self, item: str, value: int, n: int) -> None:
        import uuid

        events = [{"id": uuid.uuid4().hex, "type": "vote", "item": item, "value": value} for _ in range(n)]
        answer = self.client.post("/api/v1/events", json={"events": events})
        assert answer.status_code == 200 and answer.json()["accepted"] == n, answer.text

    def blocks(self) -> list[dict]:
        from carebase.learned.blocks import list_blocks

        engine = open_engine(self.db_url, migrate=False)
        with engine.connect() as conn:
            found = [b.as_json() for b in list_blocks(conn)]
        engine.dispose()
        return found

    def history(self, key: str) -> list[dict]:
        from carebase.store.schema import backlog_history

        engine = open_engine(self.db_url, migrate=False)
        with engine.connect() as conn:
            rows = conn.execute(select(backlog_history).where(backlog_history.c.key == key)
                                .order_by(backlog_history.c.change_id)).all()
        engine.dispose()
        return [dict(r._mapping) for r in rows]

    def stop(self) -> None:
        self.client.close()
        self.service.stop()


def row(body: dict, key: str) -> dict:
    return next(r for r in body["rows"] if r["key"] == key)


def first(body: dict, action: str, **match) -> dict:
    return next(r for r in body["rows"] if r["action"] == action and all(r.get(k) == v for k, v in match.items()))
