"""open_engine and the numbered migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import inspect, select, text

from carebase.store.engine import StoreError, normalise_url, open_engine
from carebase.store.migrations import available, migrate
from carebase.store.schema import events, schema_migrations


def test_open_engine_creates_the_events_table_and_records_migration_0001(engine):
    inspector = inspect(engine)
    assert {"events", "schema_migrations"} <= set(inspector.get_table_names())
    columns = {c["name"] for c in inspector.get_columns("events")}
    assert columns == {c.name for c in events.columns}
    indexes = {i["name"] for i in inspector.get_indexes("events")}
    assert {"events_type_item", "events_type_received", "events_vote_key", "events_journey"} <= indexes
    with engine.connect() as connection:
        rows = connection.execute(select(schema_migrations.c.version, schema_migrations.c.name)).all()
    assert [tuple(r) for r in rows] == [(1, "create_events")]


def test_reopening_applies_nothing_and_keeps_rows(store_url):
    first = open_engine(store_url)
    with first.begin() as connection:
        connection.execute(events.insert().values(event_id="keepme-1", type="search", received_ms=5, query="q"))
    first.dispose()
    second = open_engine(store_url)
    assert migrate(second) == []
    with second.connect() as connection:
        assert connection.execute(select(events.c.event_id)).scalars().all() == ["keepme-1"]
    second.dispose()


def test_concurrent_first_starts_migrate_once(store_url):
    errors, engines = [], []

    def start():
        try:
            engines.append(open_engine(store_url))
        except Exception as exc:  # pragma: no cover - the assertion shows it
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engines[0].connect() as connection:
        assert connection.execute(select(schema_migrations.c.version)).scalars().all() == [1]
    for engine in engines:
        engine.dispose()


def test_migrations_are_numbered_from_one_without_gaps():
    versions = [m.version for m in available()]
    assert versions == list(range(1, len(versions) + 1))


def test_sqlite_runs_in_wal_mode_with_normal_sync_and_busy_timeout(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'f.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    engine.dispose()
    assert (tmp_path / "f.db").exists()


def test_url_forms():
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("feedback.db") == "sqlite:///feedback.db"


@pytest.mark.parametrize("url, words", [
    ("mysql://u@h/db", "expected sqlite:///PATH or postgresql"),
    ("sqlite:////no/such/folder/x.db", "does not exist"),
    ("postgresql://nobody@127.0.0.1:1/x", "Connection refused"),
])
def test_unusable_urls_raise_store_error_saying_why(url, words):
    with pytest.raises(StoreError) as info:
        open_engine(url)
    assert words in str(info.value)
