"""Fixtures for learned phrasings: a real SQLite event store to plant journeys in, and a real
service that learns from what is posted to it."""

from __future__ import annotations

import pytest
from learned_testkit import Journeys, LearningService

from carebase.store.engine import open_engine


@pytest.fixture
def store(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    yield Journeys(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def learning_service(tmp_path_factory):
    service = LearningService(tmp_path_factory.mktemp("learned") / "feedback.db")
    yield service
    service.stop()
