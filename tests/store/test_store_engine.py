"""open_engine and the numbered migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, inspect, select, text

from carebase.store.engine import StoreError, normalise_url, open_engine
from carebase.store.migrations import available, migrate
from carebase.store.schema import events, schema_migrations


ALL_VERSIONS = [m.version for m in available()]


def test_open_engine_creates_the_events_table_and_records_the_migrations(engine):
    inspector = inspect(engine)
    assert {"events", "schema_migrations"} <= set(inspector.get_table_names())
    columns = {c["name"] for c in inspector.get_columns("events")}
    assert columns == {c.name for c in events.columns}
    indexes = {i["name"] for i in inspector.get_indexes("events")}
    assert {"events_type_item_cover", "events_type_received", "events_vote_key", "events_journey"} <= indexes
    assert "events_type_item" not in indexes
    with engine.connect() as connection:
        rows = connection.execute(select(schema_migrations.c.version, schema_migrations.c.name)).all()
    assert [tuple(r) for r in rows] == [(m.version, m.name) for m in available()]
    assert [tuple(r) for r in rows][:3] == [(1, "create_events"), (2, "report_cover_index"), (3, "client_hash")]
    assert {"learned_blocks", "contacts", "backlog", "backlog_history"} <= set(inspector.get_table_names())


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
        assert connection.execute(select(schema_migrations.c.version)).scalars().all() == ALL_VERSIONS
    for engine in engines:
        engine.dispose()


def _make_version_1_database(url: str, rows: int) -> None:
    """A database as carebase 0001 left it: the events table with the (type, item_id)
    index, migration 1 recorded, and some events in it."""
    from sqlalchemy import create_engine

    engine = create_engine(normalise_url(url))
    with engine.begin() as connection:
        events.create(connection)
        connection.execute(text("ALTER TABLE events DROP COLUMN client"))  # added by 0003
        connection.execute(text("ALTER TABLE events DROP COLUMN lang"))  # added by 0007
        connection.execute(text("ALTER TABLE events DROP COLUMN client_epoch"))  # added by 0011
        connection.execute(text("DROP INDEX events_type_item_cover"))
        connection.execute(text("CREATE INDEX events_type_item ON events (type, item_id)"))
        schema_migrations.create(connection)
        connection.execute(schema_migrations.insert().values(version=1, name="create_events", applied_ms=1))
        connection.execute(events.insert(), [
            {"event_id": f"old-{i:05d}", "type": "vote", "received_ms": 1_000 + i, "item_id": f"item-{i % 7}",
             "value": i % 2, "scale": "helpful", "revision": "r1", "vote_key": f"k{i}"} for i in range(rows)])
    engine.dispose()


def test_a_version_1_database_with_events_is_migrated_in_place_and_keeps_every_row(store_url):
    _make_version_1_database(store_url, 500)
    engine = open_engine(store_url)  # what the service does when it starts
    try:
        indexes = {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("events")}
        assert "events_type_item" not in indexes
        assert indexes["events_type_item_cover"] == ["type", "item_id", "revision", "received_ms", "scale", "value"]
        with engine.connect() as connection:
            assert connection.execute(select(schema_migrations.c.version)).scalars().all() == ALL_VERSIONS
            ids = connection.execute(select(events.c.event_id).order_by(events.c.event_id)).scalars().all()
            helpful = connection.execute(select(events.c.value).where(events.c.item_id == "item-3")).scalars().all()
        assert ids == [f"old-{i:05d}" for i in range(500)]
        assert sorted(helpful) == sorted(i % 2 for i in range(500) if i % 7 == 3)
        assert migrate(engine) == []
        assert {"client", "lang", "client_epoch"} <= {c["name"] for c in inspect(engine).get_columns("events")}
        assert "lang" in {c["name"] for c in inspect(engine).get_columns("contacts")}
        assert {"learned_blocks", "backlog", "backlog_history"} <= set(inspect(engine).get_table_names())
        with engine.connect() as connection:  # old rows have no client hash
            assert connection.execute(select(func.count()).where(events.c.client.is_not(None))).scalar() == 0
    finally:
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


def test_views_counted_before_0008_keep_their_counts_and_new_views_count_per_language(store_url):
    """A database at version 7 (page views per item and day) is migrated in place: the old
    counts stay whole under the default language; new views are counted per page language;
    a report of German reads German views only, the default language's report the rest."""
    from sqlalchemy import create_engine

    from carebase.report.languages import language_engine
    from carebase.store.schema import item_views
    from carebase.store.writer import DAY_MS, count_views

    raw = create_engine(normalise_url(store_url))
    with raw.begin() as connection:
        schema_migrations.create(connection)
        for m in available()[:7]:
            m.upgrade(connection)
            connection.execute(schema_migrations.insert().values(version=m.version, name=m.name, applied_ms=1))
        connection.execute(text("DROP TABLE item_views"))  # as 0005 created it, before languages
        connection.execute(text("CREATE TABLE item_views (item_id TEXT NOT NULL, day INTEGER NOT NULL, "
                                "views BIGINT NOT NULL, PRIMARY KEY (item_id, day))"))
        connection.execute(text("INSERT INTO item_views VALUES ('article:a', 100, 7), ('article:b', 100, 2)"))
    raw.dispose()
    engine = open_engine(store_url)
    try:
        assert "lang" in {c["name"] for c in inspect(engine).get_columns("item_views")}
        view = {"type": "view", "received_ms": 100 * DAY_MS + 5}
        with engine.begin() as connection:
            count_views(connection, [{**view, "item_id": "article:a", "lang": "de"}] * 3
                        + [{**view, "item_id": "article:a", "lang": None}, {**view, "item_id": "article:b", "lang": "en"}])
        with engine.connect() as connection:
            rows = connection.execute(select(item_views.c.item_id, item_views.c.day, item_views.c.lang,
                                             item_views.c.views).order_by(item_views.c.item_id, item_views.c.lang)).all()
        assert [tuple(r) for r in rows] == [("article:a", 100, "", 8), ("article:a", 100, "de", 3),
                                            ("article:b", 100, "", 2), ("article:b", 100, "en", 1)]
    finally:
        engine.dispose()

    def views_in(lang):
        reader = language_engine(open_engine(store_url, migrate=False), lang, ("en", "de"))
        try:
            with reader.connect() as connection:
                return dict(connection.execute(text("SELECT item_id, sum(views) FROM item_views GROUP BY item_id")).all())
        finally:
            reader.dispose()

    assert views_in("de") == {"article:a": 3}
    assert {k: int(v) for k, v in views_in("en").items()} == {"article:a": 8, "article:b": 3}


def test_block_and_link_ids_are_never_given_twice(store_url):
    """A lead removes a block by its id: a removed block's id given to the next block made a
    stale id remove someone else's. A SQLite store made before migration 0010 is rebuilt with
    its rows and ids kept; PostgreSQL's sequences never gave an id twice."""
    from carebase.backlog.topic_links import add_link, remove_link
    from carebase.learned.blocks import add_block, list_blocks, remove_block

    engine = open_engine(store_url)
    try:
        if engine.dialect.name == "sqlite":  # the tables as 0003 and 0009 made them before 0010
            with engine.begin() as connection:
                connection.execute(text("DROP TABLE learned_blocks"))
                connection.execute(text("DROP TABLE topic_links"))
                connection.execute(text("CREATE TABLE learned_blocks (block_id INTEGER NOT NULL PRIMARY KEY, "
                                        "phrase TEXT NOT NULL, item_id TEXT, created_ms BIGINT NOT NULL, note TEXT)"))
                connection.execute(text("CREATE TABLE topic_links (link_id INTEGER NOT NULL PRIMARY KEY, "
                                        "kind TEXT NOT NULL, topic_id TEXT NOT NULL, other_id TEXT, wording TEXT, "
                                        "created_ms BIGINT NOT NULL, note TEXT)"))
                for n, phrase in enumerate(["refund", "card arrive", "wifi"], 1):
                    connection.execute(text("INSERT INTO learned_blocks VALUES (:n, :p, NULL, 1, 'kept')"),
                                       {"n": n, "p": phrase})
                connection.execute(text("INSERT INTO topic_links VALUES (1, 'two', 't1', 't2', NULL, 1, NULL)"))
                connection.execute(schema_migrations.delete().where(schema_migrations.c.version == 10))
            engine.dispose()
            engine = open_engine(store_url)  # migrates 0010
            with engine.connect() as connection:
                assert [(b.id, b.phrase, b.note) for b in list_blocks(connection)] == [
                    (1, "refund", "kept"), (2, "card arrive", "kept"), (3, "wifi", "kept")]
                assert "AUTOINCREMENT" in connection.execute(text(
                    "SELECT sql FROM sqlite_master WHERE name = 'learned_blocks'")).scalar().upper()
        with engine.begin() as connection:
            last = add_block(connection, "parcel").id
            assert remove_block(connection, last)
            assert add_block(connection, "letter").id == last + 1
            link = add_link(connection, "same", "topic:aaaa03", "topic:aaaa04").id
            assert remove_link(connection, link)
            assert add_link(connection, "same", "topic:aaaa05", "topic:aaaa06").id == link + 1
    finally:
        engine.dispose()


def test_contact_tickets_made_before_0012_get_a_client_epoch_column_and_keep_their_rows(store_url):
    """A contact ticket's client hash carries its salt's epoch, as an event's does (the reader's
    finding 9, session 41): a store whose contacts table predates 0012 gets the column, its
    tickets kept with none (NULL)."""
    from carebase.store.schema import contacts

    engine = open_engine(store_url)
    try:
        with engine.begin() as connection:  # the contacts table as 0004 and 0007 left it
            connection.execute(text("ALTER TABLE contacts DROP COLUMN client_epoch"))
            connection.execute(schema_migrations.delete().where(schema_migrations.c.version == 12))
            connection.execute(text(
                "INSERT INTO contacts (ticket, request_id, received_ms, name, email, message, client, "
                "forward_state, forward_attempts) VALUES ('CB-AAAA-BBBB', 'r1', 1, 'Ada', 'a@b.co', 'hi', "
                "'00ff00ff00ff00ff', 'none', 0)"))
        engine.dispose()
        engine = open_engine(store_url)  # migrates 0012
        assert "client_epoch" in {c["name"] for c in inspect(engine).get_columns("contacts")}
        with engine.connect() as connection:
            rows = connection.execute(select(contacts.c.ticket, contacts.c.client, contacts.c.client_epoch)).all()
        assert [tuple(r) for r in rows] == [("CB-AAAA-BBBB", "00ff00ff00ff00ff", None)]
        assert migrate(engine) == []
    finally:
        engine.dispose()
