"""Fixtures for learned phrasings: a real SQLite event store to plant journeys in, and a real
service that learns from what is posted to it."""

from __future__ import annotations

import pytest
from learned_testkit import Journeys, LearningService
from tiers_testkit import real_build

from carebase.store.engine import open_engine


_databases = iter(range(1_000_000))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """A fresh store (a SQLite file, or a database on the session's throwaway PostgreSQL)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'feedback.db'}"
    else:
        import psycopg

        server = request.getfixturevalue("postgres_server")
        name = f"learned{next(_databases)}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = server.rsplit("/", 1)[0] + "/" + name
    engine = open_engine(url)
    yield Journeys(engine)
    engine.dispose()


@pytest.fixture(scope="module")
@real_build
def learning_service(tmp_path_factory):
    service = LearningService(tmp_path_factory.mktemp("learned") / "feedback.db")
    yield service
    service.stop()
