"""Read the service's JSON Lines export (``GET /api/v1/export``) into a SQLite database, so
the report runs the very same SQL on an export as on the live store."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine

from carebase.store.schema import EVENT_TYPES, events, metadata

INT_FIELDS = ("received_ms", "client_ms", "value", "results", "rank")
TEXT_FIELDS = tuple(c.name for c in events.columns if c.name not in INT_FIELDS)


class ExportError(ValueError):
    """A line of the export that is not an event (message: ``file:line: field: expected …``)."""


def _check(path: str, number: int, row) -> dict:
    where = f"{path}:{number}"
    if not isinstance(row, dict):
        raise ExportError(f"{where}: expected a JSON object per line, found {type(row).__name__}")
    if not isinstance(row.get("event_id"), str) or not row["event_id"]:
        raise ExportError(f"{where}: event_id: expected a non-empty string, found {row.get('event_id')!r}")
    if row.get("type") not in EVENT_TYPES:
        raise ExportError(f"{where}: type: expected one of {', '.join(EVENT_TYPES)}, found {row.get('type')!r}")
    out = {}
    for name in INT_FIELDS:
        value = row.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ExportError(f"{where}: {name}: expected an integer, found {value!r}")
        out[name] = value
    if out["received_ms"] is None:
        raise ExportError(f"{where}: received_ms: expected milliseconds since the epoch, found nothing")
    for name in TEXT_FIELDS:
        value = row.get(name)
        if value is not None and not isinstance(value, str):
            raise ExportError(f"{where}: {name}: expected a string, found {value!r}")
        out[name] = value
    return out


def load_export(path: str | Path, db_path: str | Path, batch: int = 20_000):
    """Load the export into a new SQLite file; returns (engine, rows loaded)."""
    engine = create_engine(f"sqlite:///{db_path}")
    metadata.create_all(engine)
    insert = events.insert().prefix_with("OR IGNORE", dialect="sqlite")  # a repeated event counts once
    count, buffer = 0, []
    with open(path, encoding="utf-8") as stream, engine.begin() as conn:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ExportError(f"{path}:{number}: expected a JSON object, found invalid JSON ({exc.msg})") from None
            buffer.append(_check(str(path), number, row))
            if len(buffer) >= batch:
                conn.execute(insert, buffer)
                count += len(buffer)
                buffer = []
        if buffer:
            conn.execute(insert, buffer)
            count += len(buffer)
    return engine, count
