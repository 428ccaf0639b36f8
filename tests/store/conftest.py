"""Store fixtures: every store test runs on a SQLite file and on a real, throwaway PostgreSQL."""

from __future__ import annotations

import pytest

from carebase.store.engine import open_engine


_db_counter = iter(range(1_000_000))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'feedback.db'}"
    server = request.getfixturevalue("postgres_server")
    import psycopg

    name = f"t{next(_db_counter)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def engine(store_url):
    engine = open_engine(store_url)
    yield engine
    engine.dispose()
