"""The live report's fixtures: the real service over simulated traffic on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import uuid

import pytest
from backlog_testkit import LiveService, fill
from clock_testkit import SUITE_NOW_MS, Clock
from tiers_testkit import real_build


@pytest.fixture(scope="session")
def backlog_clock():
    """The backlog tests' clock: from the suite's fixed day (clock_testkit), on in their fixtures'
    set-up and in each test, one clock for them all."""
    return Clock(SUITE_NOW_MS)


@pytest.fixture(autouse=True)
def _on_the_backlog_clock(backlog_clock):
    with backlog_clock:
        yield


@pytest.fixture(scope="session")
@real_build
def sqlite_live(tmp_path_factory, demo_site_data, backlog_clock):
    """(service, planted truth) on a SQLite file, its first model built."""
    folder = tmp_path_factory.mktemp("live-sqlite")
    url = f"sqlite:///{folder / 'feedback.db'}"
    with backlog_clock:
        truth = fill(url)
        service = LiveService(url, folder / "live", demo_site_data)
    try:
        with backlog_clock:
            service.ready()
        # its first model as built, kept for postgres_live (decisions change what later builds say)
        shutil.copytree(folder / "live" / "28d", folder / "first-model" / "28d")
        service.first_model = folder / "first-model"
        yield service, truth
    finally:
        service.stop()


@pytest.fixture(scope="session")
@real_build
def postgres_live(postgres_server, tmp_path_factory, sqlite_live, backlog_clock):
    """(service, planted truth) on a fresh PostgreSQL database, serving the SQLite service's first
    model (a copy of its report folder: the same demo and traffic). What PostgreSQL changes here is
    where the decisions, their history and the owners are stored; the report's reading of the
    events from PostgreSQL is test_report_command's test_postgresql_gives_the_same_report (a child
    process and 3,000 journeys filled again here cost ~4 s of CPU for nothing the tests look at)."""
    import psycopg

    sqlite_service, truth = sqlite_live
    name = "live_" + uuid.uuid4().hex[:10]
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = postgres_server.rsplit("/", 1)[0] + "/" + name
    report_dir = tmp_path_factory.mktemp("live-pg") / "live"
    shutil.copytree(sqlite_service.first_model, report_dir)
    with backlog_clock:
        service = LiveService(url, report_dir, sqlite_service.site_data)
    try:
        with backlog_clock:
            body = service.ready()
        assert body["rows"], body
        yield service, truth
    finally:
        service.stop()
