"""Shared fixtures for the report tests: a synthetic help centre, simulated traffic with
planted truth in a real SQLite file, and the report built from it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

from simulate_events import DAY_MS, insert_rows, simulate  # noqa: E402
from synthetic_content import make_catalogue  # noqa: E402

from carebase.report.build import build_report  # noqa: E402
from carebase.report.links import SourceLinks  # noqa: E402
from carebase.report.period import resolve  # noqa: E402
from carebase.store.schema import metadata  # noqa: E402

START_MS = 20_400 * DAY_MS  # 2025-11-08, a fixed day: the tests do not depend on the clock
DAYS = 56


@pytest.fixture(scope="session")
def catalogue():
    return make_catalogue()


@pytest.fixture(scope="session")
def simulated(catalogue, tmp_path_factory):
    """(truth, engine, db url) — ~18,000 events over two 28-day periods in a SQLite file."""
    path = tmp_path_factory.mktemp("report-db") / "feedback.db"
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    metadata.create_all(engine)
    truth, rows = simulate(catalogue, seed=7, start_ms=START_MS, days=DAYS, journeys=10_000)
    insert_rows(engine, rows)
    return truth, engine, url


@pytest.fixture(scope="session")
def periods():
    return resolve(None, None, None, None, latest_ms=START_MS + DAYS * DAY_MS - 1)


@pytest.fixture(scope="session")
def report(catalogue, simulated, periods, tmp_path_factory):
    _, engine, _ = simulated
    out = tmp_path_factory.mktemp("report-out")
    return build_report(catalogue, engine, periods, SourceLinks("content", out), min_votes=10)


def empty_engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'events.db'}")
    metadata.create_all(engine)
    return engine
