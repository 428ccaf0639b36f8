"""The single group-commit writer, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from carebase.store.schema import events
from carebase.store.writer import COLUMNS, Writer


def row(event_id: str, **fields) -> dict:
    data = dict.fromkeys(COLUMNS)
    data.update(event_id=event_id, type="vote", received_ms=1_700_000_000_000, item_id="article:a", value=1,
                scale="helpful")
    data.update(fields)
    return data


def stored(engine) -> dict[str, dict]:
    with engine.connect() as connection:
        return {r.event_id: dict(r._mapping) for r in connection.execute(select(events))}


def test_rows_are_stored_with_their_values(engine):
    writer = Writer(engine)
    result = writer.write([row("vote-0001", value=0, reason="Out of date", comment="x", vote_key="key-00001"),
                           row("search-001", type="search", item_id=None, value=None, scale=None, query="refund",
                               results=0, source="header")])
    writer.stop()
    assert (result.accepted, result.duplicates) == (2, 0)
    rows = stored(engine)
    assert rows["vote-0001"]["reason"] == "Out of date" and rows["vote-0001"]["value"] == 0
    assert rows["search-001"]["query"] == "refund" and rows["search-001"]["results"] == 0


def test_duplicate_ids_are_stored_once_and_counted(engine):
    writer = Writer(engine)
    assert writer.write([row("dup-00001"), row("dup-00002")]).accepted == 2
    again = writer.write([row("dup-00001", value=0), row("dup-00003"), row("dup-00003")])
    writer.stop()
    assert (again.accepted, again.duplicates) == (1, 2)
    rows = stored(engine)
    assert len(rows) == 3
    assert rows["dup-00001"]["value"] == 1  # the first copy wins; a retry never overwrites


def test_concurrent_requests_are_group_committed_and_each_counted_once(engine):
    writer = Writer(engine)
    results, lock = [], threading.Lock()

    def client(n: int) -> None:
        for batch in range(10):
            # every client also resends one id another client sends: exactly one of them wins
            rows = [row(f"c{n}-b{batch}-{i:03d}") for i in range(20)] + [row(f"shared-{batch:04d}")]
            result = writer.write(rows)
            with lock:
                results.append(result)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.stop()
    assert sum(r.accepted for r in results) == 8 * 10 * 20 + 10
    assert sum(r.duplicates for r in results) == 7 * 10
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(events)).scalar() == 8 * 10 * 20 + 10
    assert writer.batches < len(results)  # several requests shared a commit


def test_a_failed_commit_fails_its_requests_and_the_writer_keeps_going(engine):
    writer = Writer(engine)
    with pytest.raises(Exception):
        writer.write([row("bad-00001", type=None)])  # NOT NULL violated: the database refuses
    assert writer.write([row("good-0001")]).accepted == 1
    writer.stop()
    assert set(stored(engine)) == {"good-0001"}


def test_stop_commits_what_is_queued(engine):
    writer = Writer(engine)
    futures = [writer.submit([row(f"queued-{i:04d}")]) for i in range(50)]
    writer.stop()
    assert all(f.result(1).accepted == 1 for f in futures)
    assert len(stored(engine)) == 50


def test_sqlite_checkpoints_run_off_the_commit_path(tmp_path):
    """The checkpoint thread moves committed pages from the WAL into the database file."""
    import os
    import time

    from carebase.store.engine import open_engine

    path = tmp_path / "cp.db"
    engine = open_engine(f"sqlite:///{path}")
    writer = Writer(engine, checkpoint_every=0.2)
    before = os.path.getsize(path)
    writer.write([row(f"cp-{i:06d}", comment="x" * 200) for i in range(3000)])
    assert os.path.getsize(f"{path}-wal") > 500_000  # committed into the WAL
    deadline = time.monotonic() + 60  # a bound on a failure only: the wait ends at the checkpoint
    while os.path.getsize(path) <= before + 500_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    writer.stop()
    assert os.path.getsize(path) > before + 500_000  # checkpointed into the database file
    engine.dispose()


def test_a_full_queue_says_busy_instead_of_piling_up(tmp_path):
    """While the database is locked by someone else the queue fills; then the writer catches up."""
    import sqlite3

    from carebase.store.engine import open_engine
    from carebase.store.writer import WriterBusy

    path = tmp_path / "busy.db"
    engine = open_engine(f"sqlite:///{path}")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    writer = Writer(engine, max_queue=3)
    import time

    futures = [writer.submit([row("busy-0000")])]
    deadline = time.monotonic() + 60  # a bound on a failure only
    while not writer._queue.empty() and time.monotonic() < deadline:  # the writer took it, and waits
        time.sleep(0.01)
    futures += [writer.submit([row(f"busy-{i:04d}")]) for i in range(1, 4)]  # three queued
    with pytest.raises(WriterBusy):
        for i in range(4, 8):
            futures.append(writer.submit([row(f"busy-{i:04d}")]))
    assert not any(f.done() for f in futures)  # nothing acknowledged while not durable
    blocker.execute("ROLLBACK")
    assert sum(f.result(30).accepted for f in futures) == len(futures)
    writer.stop()
    assert len(stored(engine)) == len(futures)
    engine.dispose()


def test_a_request_the_database_refuses_does_not_fail_the_others_in_its_commit(tmp_path):
    import sqlite3
    import time

    from carebase.store.engine import open_engine

    path = tmp_path / "group.db"
    engine = open_engine(f"sqlite:///{path}")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # hold the writer back while requests queue up
    writer = Writer(engine)
    first = writer.submit([row("group-0000")])
    while not writer._queue.empty():
        time.sleep(0.01)
    futures = [writer.submit(rows) for rows in ([row("group-0001")], [row("group-0002", type=None)],
                                                [row("group-0003")])]
    blocker.execute("ROLLBACK")  # the three queued requests now share one commit, which fails
    assert first.result(10).accepted == 1
    assert futures[0].result(10).accepted == 1 and futures[2].result(10).accepted == 1
    with pytest.raises(Exception):
        futures[1].result(10)
    writer.stop()
    assert set(stored(engine)) == {"group-0000", "group-0001", "group-0003"}
    engine.dispose()
