"""The live report's fixtures: the real service over simulated traffic on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import uuid

import pytest
from backlog_testkit import LiveService, fill
from tiers_testkit import real_build


@pytest.fixture(scope="session")
@real_build
def sqlite_live(tmp_path_factory, demo_site_data):
    """(service, planted truth) on a SQLite file, its first model built."""
    folder = tmp_path_factory.mktemp("live-sqlite")
    url = f"sqlite:///{folder / 'feedback.db'}"
    truth = fill(url)
    service = LiveService(url, folder / "live", demo_site_data)
    try:
        service.ready()
        # its first model as built, kept for postgres_live (decisions change what later builds say)
        shutil.copytree(folder / "live" / "28d", folder / "first-model" / "28d")
        service.first_model = folder / "first-model"
        yield service, truth
    finally:
        service.stop()


@pytest.fixture(scope="session")
@real_build
def postgres_live(postgres_server, tmp_path_factory, sqlite_live):
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
    service = LiveService(url, report_dir, sqlite_service.site_data)
    try:
        body = service.ready()
        assert body["rows"], body
        yield service, truth
    finally:
        service.stop()
