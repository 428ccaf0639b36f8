"""The live report's fixtures: the real service over simulated traffic on SQLite and PostgreSQL."""

from __future__ import annotations

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
        yield service, truth
    finally:
        service.stop()


@pytest.fixture(scope="session")
@real_build
def postgres_live(postgres_server, tmp_path_factory, demo_site_data):
    """(service, planted truth) on a fresh PostgreSQL database, its first model built."""
    import psycopg

    name = "live_" + uuid.uuid4().hex[:10]
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = postgres_server.rsplit("/", 1)[0] + "/" + name
    truth = fill(url)
    service = LiveService(url, tmp_path_factory.mktemp("live-pg"), demo_site_data)
    try:
        service.ready()
        yield service, truth
    finally:
        service.stop()

