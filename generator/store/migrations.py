"""Numbered schema migrations, recorded in ``schema_migrations``.

Each module ``carebase.store.versions.vNNNN_<name>`` defines ``upgrade(connection)``;
``migrate(engine)`` applies the ones not yet recorded, in order, each in its own
transaction. On PostgreSQL an advisory lock keeps several service instances starting at
once from racing; on SQLite ``BEGIN IMMEDIATE`` does the same.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import time
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Connection, Engine, select, text

from carebase.store.schema import schema_migrations

_MODULE = re.compile(r"^v(\d{4})_(\w+)$")
_PG_LOCK_KEY = 0x6361726562  # "careb"


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    upgrade: Callable[[Connection], None]
    summary: str = ""  # what it does: its module docstring's first line, without "NNNN: "
    takes: str = ""  # how long it takes on a big store, where measured: its module's ``TAKES``


def _summary(module) -> str:
    first = (module.__doc__ or "").strip().split("\n\n")[0]
    return re.sub(r"^\d{4}:\s*", "", " ".join(first.split())).replace("``", "").rstrip(".")


def available() -> list[Migration]:
    """Every migration shipped with carebase, in version order."""
    import carebase.store.versions as versions

    found = []
    for info in pkgutil.iter_modules(versions.__path__):
        match = _MODULE.match(info.name)
        if match:
            module = importlib.import_module(f"{versions.__name__}.{info.name}")
            found.append(Migration(int(match.group(1)), match.group(2), module.upgrade, _summary(module),
                                   getattr(module, "TAKES", "")))
    found.sort(key=lambda m: m.version)
    return found


def applied_versions(connection: Connection) -> set[int]:
    return set(connection.execute(select(schema_migrations.c.version)).scalars())


def migrate(engine: Engine) -> list[int]:
    """Apply pending migrations; return the versions applied now."""
    done: list[int] = []
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.begin()
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        schema_migrations.create(connection, checkfirst=True)
        have = applied_versions(connection)
        for migration in available():
            if migration.version in have:
                continue
            migration.upgrade(connection)
            connection.execute(
                schema_migrations.insert().values(
                    version=migration.version, name=migration.name, applied_ms=int(time.time() * 1000)
                )
            )
            done.append(migration.version)
        connection.commit()
    return done
