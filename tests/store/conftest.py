"""Store fixtures: every store test runs on a SQLite file and on a real, throwaway PostgreSQL."""

from __future__ import annotations

import pytest
from postgres_testkit import new_database

from carebase.store.engine import open_engine


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'feedback.db'}"
    return new_database(request.getfixturevalue("postgres_server"), "t")


@pytest.fixture
def engine(store_url):
    engine = open_engine(store_url)
    yield engine
    engine.dispose()
