"""Open the event store: a SQLite file (default) or PostgreSQL, migrated to the latest schema.

``open_engine("sqlite:///feedback.db")`` gives a SQLite file in WAL mode with
``synchronous=NORMAL`` (a commit survives a killed process; only an OS crash or power
loss can drop the last commits) and a busy timeout, so several processes may share it.
``open_engine("postgresql://user@host/db")`` uses psycopg 3 (``pip install
'carebase[postgres]'``). Every query elsewhere is SQLAlchemy Core: one code path for both.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

BUSY_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_S = 5  # PostgreSQL, unless the URL sets connect_timeout


class StoreError(Exception):
    """A database URL or database that carebase cannot use (message says why)."""


def normalise_url(url: str) -> str:
    """Map the URLs users write to SQLAlchemy URLs (``postgresql://`` → psycopg 3)."""
    url = str(url).strip()
    if "://" not in url:  # a bare path means a SQLite file
        return "sqlite:///" + str(Path(url))
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    mode = cursor.execute("PRAGMA journal_mode").fetchone()[0].lower()
    while mode not in ("wal", "memory"):  # an in-memory database stays "memory"
        try:  # switching to WAL needs a moment alone with the file; the busy handler does not wait for it
            mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower()
            break
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def open_engine(url: str, *, migrate: bool = True) -> Engine:
    """An engine on ``url`` with the schema migrated to the latest version."""
    sa_url = normalise_url(url)
    try:
        parsed = make_url(sa_url)
    except ArgumentError as exc:
        raise StoreError(f"database URL {url!r}: expected sqlite:///PATH or postgresql://…, found {exc}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            parent = Path(database).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"database URL {url!r}: folder {parent} does not exist")
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
    elif backend == "postgresql":
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StoreError(
                f"database URL {url!r}: PostgreSQL needs the psycopg driver: pip install 'carebase[postgres]'"
            ) from None
        # a server that does not answer fails a connection in seconds, not after TCP's minutes
        # (the writer would wait that long with every request queued behind it)
        connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT_S}
        engine = create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    else:
        raise StoreError(f"database URL {url!r}: expected sqlite:///PATH or postgresql://…, found {backend}")
    if migrate:
        from carebase.store.migrations import migrate as run_migrations

        try:
            run_migrations(engine)
        except StoreError:
            engine.dispose()
            raise
        except Exception as exc:  # connection refused, permission denied, …
            engine.dispose()
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(f"database {engine.url.render_as_string(hide_password=True)}: {reason}") from exc
    return engine
