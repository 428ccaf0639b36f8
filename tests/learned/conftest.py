"""Fixtures for learned phrasings: a real SQLite event store to plant journeys in, and a real
service that learns from what is posted to it."""

from __future__ import annotations

import pytest
from learned_testkit import Journeys, LearningService
from postgres_testkit import new_database
from tiers_testkit import real_build

from carebase.store.engine import open_engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    """A fresh store (a SQLite file, or a database on the session's throwaway PostgreSQL)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'feedback.db'}"
    else:
        url = new_database(request.getfixturevalue("postgres_server"), "learned")
    engine = open_engine(url)
    yield Journeys(engine)
    engine.dispose()


@pytest.fixture(scope="module")
@real_build
def learning_service(tmp_path_factory):
    service = LearningService(tmp_path_factory.mktemp("learned") / "feedback.db")
    yield service
    service.stop()
