"""Issue 13 item 5, the fault suite: the store breaks under a running service — a full disk,
a file turned read-only, corrupted pages, the database killed mid-load — on SQLite and on
PostgreSQL. Each time /healthz answers 503 within 5 s, no event answered 200 is lost, and
where the database comes back the service recovers without a restart (refused batches,
retried as the widget retries them, are stored once)."""

from __future__ import annotations

import shutil
import sqlite3
import time

import psycopg
import pytest
from tiers_testkit import real_build
from hostile_faults_testkit import KillablePostgres, Load, batch, fill, health_within, immutable, small_filesystem
from hostile_service_testkit import running_service, stored

pytestmark = pytest.mark.slow
WITHIN = 5.0
# /healthz stays 503 this long after a refused write (the service's health_hold setting, 5 s by
# default): short here, so each recovery is seen as soon as the store takes writes again instead
# of 5 s later. The 503s are seen by the write probe either way.
# No learned-phrasing refreshes (learn_every 0): they start a worker process at start-up that
# the service waits for when it stops (~2 s a test), and nothing here searches.
QUICK = {"health_hold": 0.5, "learn_every": 0}


def _until(condition, failure: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.02)


def _checkpointed(conn: sqlite3.Connection, path) -> None:
    """Every committed page moved from the WAL into the database file, the WAL empty. A page still
    in the WAL is read from there, so garbage written over its copy in the file is never seen: CI
    lost a stop to that. A TRUNCATE checkpoint that meets another checkpoint (the service's own
    runs every second) or a reader answers busy and leaves the WAL as it was, so retry until done."""
    _until(lambda: conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0,
           "the WAL could not be checkpointed into the database file")
    assert path.with_name(path.name + "-wal").stat().st_size == 0


def _all_stored(db_url: str, ids: set[str]) -> None:
    missing = ids - set(stored(db_url, ids))
    assert not missing, f"{len(missing)} acknowledged events lost"


def test_sqlite_full_disk_is_503_then_recovers_when_space_is_freed(tmp_path):
    with small_filesystem(16) as disk:
        db_url = f"sqlite:///{disk / 'feedback.db'}"
        with running_service(db_url, tmp_path, **QUICK) as (service, client):
            load = Load(service.url, padding=1500)
            for _ in range(5):
                assert load.post(batch(padding=1500)) == 200
            filler = fill(disk)
            for _ in range(300):  # the next writes that need a new page fail: the disk is full
                if load.post(batch(padding=1500)) != 200:
                    break
            assert load.refused, "writes kept succeeding on a full disk"
            assert health_within(client, 503, WITHIN, since=load.first_refusal) < WITHIN
            assert "full" in client.get("/healthz").json()["error"]
            filler.unlink()
            health_within(client, 200, 60)
            load.retry_refused()
            load.close()
            _all_stored(db_url, load.acked)


def test_sqlite_read_only_file_is_503_without_traffic_then_recovers(tmp_path):
    with small_filesystem(16) as disk:
        path = disk / "feedback.db"
        db_url = f"sqlite:///{path}"
        with running_service(db_url, tmp_path, **QUICK) as (service, client):
            load = Load(service.url)
            for _ in range(5):
                assert load.post(batch()) == 200
            health_within(client, 200, 60)  # healthy before the fault
            fault = time.monotonic()
            immutable(path, path.with_name("feedback.db-wal"))
            # no event arrives (/healthz is no event): the write probe alone must notice
            assert health_within(client, 503, WITHIN, since=fault) < WITHIN
            assert load.post(batch()) == 503
            immutable(path, path.with_name("feedback.db-wal"), on=False)
            health_within(client, 200, 60)
            load.retry_refused()
            load.close()
            _all_stored(db_url, load.acked)


def test_sqlite_corrupted_pages_are_503_and_a_restored_file_is_used_without_restart(tmp_path):
    path = tmp_path / "feedback.db"
    db_url = f"sqlite:///{path}"
    with running_service(db_url, tmp_path, **QUICK) as (service, client):
        load = Load(service.url)
        for _ in range(40):
            assert load.post(batch()) == 200
        backup = tmp_path / "backup.db"
        with sqlite3.connect(path) as source, sqlite3.connect(backup) as target:
            _checkpointed(source, path)
            source.backup(target)
        good = backup.read_bytes()
        fault = time.monotonic()
        with path.open("r+b") as stream:  # every page after the first (the schema) is garbage
            stream.seek(4096)
            stream.write(b"\xde\xad\xbe\xef" * ((len(good) - 4096) // 4))
        assert health_within(client, 503, WITHIN, since=fault) < WITHIN
        assert load.post(batch()) == 503  # nothing acknowledged into a damaged file
        with path.open("r+b") as stream:  # the operator restores the backup in place
            stream.write(good)
        health_within(client, 200, 60)
        load.retry_refused()
        load.close()
        _all_stored(db_url, load.acked)


@pytest.fixture(scope="module")
@real_build
def killable_postgres():
    server = KillablePostgres()
    server.start()
    yield server
    server.stop()


def _database(server: KillablePostgres, tablespace: str | None = None) -> str:
    name = "fault_" + str(int(time.time() * 1000))[-9:]
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}" + (f" TABLESPACE {tablespace}" if tablespace else ""))
    return server.url.rsplit("/", 1)[0] + "/" + name


@pytest.mark.postgres
def test_postgres_killed_mid_load_is_503_then_recovers_when_it_restarts(killable_postgres, tmp_path):
    db_url = _database(killable_postgres)
    with running_service(db_url, tmp_path, **QUICK) as (service, client):
        with Load(service.url, pause=0.05) as load:
            _until(lambda: len(load.acked) >= 100, "the load was not stored before the kill")  # 5 batches
            fault = time.monotonic()
            killable_postgres.kill()
            assert health_within(client, 503, WITHIN, since=fault) < WITHIN
            _until(lambda: load.refused, "no batch of the load was refused while the database was down")
        assert load.acked and load.refused
        killable_postgres.start()  # crash recovery on the same data
        health_within(client, 200, 60)
        load.retry_refused()
        load.close()
        _all_stored(db_url, load.acked)


@pytest.mark.postgres
def test_postgres_read_only_database_is_503_then_recovers(killable_postgres, tmp_path):
    db_url = _database(killable_postgres)
    name = db_url.rsplit("/", 1)[1]
    with running_service(db_url, tmp_path, **QUICK) as (service, client):
        load = Load(service.url)
        assert load.post(batch()) == 200
        with psycopg.connect(killable_postgres.url, autocommit=True) as admin:  # as after a fail-over to a standby
            fault = time.monotonic()
            admin.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            # no event arrives (/healthz is no event): the write probe alone must notice
            assert health_within(client, 503, WITHIN, since=fault) < WITHIN
            assert load.post(batch()) == 503
            assert "read-only" in client.get("/healthz").json()["error"]
            admin.execute(f"ALTER DATABASE {name} RESET default_transaction_read_only")
        health_within(client, 200, 60)
        load.retry_refused()
        load.close()
        _all_stored(db_url, load.acked)


@pytest.mark.postgres
def test_postgres_full_disk_is_503_then_recovers(killable_postgres, tmp_path):
    with small_filesystem(24) as disk:
        space = disk / "tablespace"
        space.mkdir()
        killable_postgres.chown(space)
        with psycopg.connect(killable_postgres.url, autocommit=True) as admin:
            admin.execute(f"CREATE TABLESPACE small_{tmp_path.name[-8:].replace('-', '_')} LOCATION '{space}'")
        db_url = _database(killable_postgres, f"small_{tmp_path.name[-8:].replace('-', '_')}")
        try:
            # QUICK's 0.5 s hold: on a full tablespace one small row still fits in a page's free
            # space, so a one-row probe answered 200 once the hold was over while batches were
            # refused (session 29, at load 56). The probe now writes as much as the refused batch.
            with running_service(db_url, tmp_path, **QUICK) as (service, client):
                load = Load(service.url, padding=1500)
                for _ in range(5):
                    assert load.post(batch(padding=1500)) == 200
                filler = fill(disk)
                for _ in range(300):
                    if load.post(batch(padding=1500)) != 200:
                        break
                assert load.refused, "writes kept succeeding on a full disk"
                assert health_within(client, 503, WITHIN, since=load.first_refusal) < WITHIN
                quiet = time.monotonic()  # no write refused from here on: every poll after the hold still 503
                while time.monotonic() - quiet < 4 * QUICK["health_hold"]:
                    answer = client.get("/healthz", timeout=WITHIN)
                    assert answer.status_code == 503, answer.text
                    time.sleep(0.2)
                assert "space" in answer.json()["error"], answer.json()
                filler.unlink()
                health_within(client, 200, 60)
                load.retry_refused()
                load.close()
                _all_stored(db_url, load.acked)
        finally:
            with psycopg.connect(killable_postgres.url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                              (db_url.rsplit("/", 1)[1],))
                admin.execute(f"DROP DATABASE IF EXISTS {db_url.rsplit('/', 1)[1]}")
                admin.execute(f"DROP TABLESPACE IF EXISTS small_{tmp_path.name[-8:].replace('-', '_')}")



def test_an_export_from_a_broken_store_is_a_503_not_a_200_with_a_cut_body(tmp_path):
    from hostile_service_testkit import TOKEN

    path = tmp_path / "feedback.db"
    db_url = f"sqlite:///{path}"
    with running_service(db_url, tmp_path, **QUICK) as (service, client):
        load = Load(service.url)
        for _ in range(20):
            assert load.post(batch()) == 200
        load.close()
        with sqlite3.connect(path) as conn:
            _checkpointed(conn, path)
        size = path.stat().st_size
        with path.open("r+b") as stream:
            stream.seek(4096)
            stream.write(b"\xde\xad\xbe\xef" * ((size - 4096) // 4))
        answer = client.get("/api/v1/export", headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 503 and answer.headers["retry-after"], answer.text[:300]
        assert answer.json()["error"] == "the store is unavailable; retry shortly"


@pytest.mark.postgres
def test_postgres_corrupted_data_files_are_503_and_nothing_is_acknowledged(killable_postgres, tmp_path):
    db_url = _database(killable_postgres)
    with running_service(db_url, tmp_path, **QUICK) as (service, client):
        load = Load(service.url)
        for _ in range(20):
            assert load.post(batch()) == 200
        with psycopg.connect(db_url, autocommit=True) as conn:
            files = [conn.execute("SELECT pg_relation_filepath(%s)", (name,)).fetchone()[0] for name in
                     [r[0] for r in conn.execute("SELECT indexrelid::regclass::text FROM pg_index "
                                                 "WHERE indrelid = 'events'::regclass")] + ["events"]]
        killable_postgres.shutdown()  # clean: every page is in the data files, none only in the WAL
        for relative in files:  # every page of the table and of its indexes is garbage
            path = killable_postgres.data / relative
            path.write_bytes(b"\xde\xad\xbe\xef" * (path.stat().st_size // 4))
        killable_postgres.start()
        assert health_within(client, 503, WITHIN) < WITHIN
        assert load.post(batch()) == 503  # nothing acknowledged into a damaged table
        assert "invalid page" in client.get("/healthz").json()["error"]
        load.close()
