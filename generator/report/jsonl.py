"""Read the service's JSON Lines export (``GET /api/v1/export``) into a SQLite database, so
the report runs the very same SQL on an export as on the live store."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import create_engine

from carebase.store.schema import EVENT_TYPES, events, metadata

INT_FIELDS = ("received_ms", "client_ms", "value", "results", "rank")
TEXT_FIELDS = tuple(c.name for c in events.columns if c.name not in INT_FIELDS)
MAX_INT = 2**53  # what the service accepts for times (JavaScript's safe integers); fits every column
MAX_LINE = 1 << 20  # bytes: an event is at most a few KB (the service takes 64 KB bodies of 100 events)


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
            raise ExportError(f"{where}: {name}: expected an integer, found {_short(value)}")
        if value is not None and not -MAX_INT <= value <= MAX_INT:
            raise ExportError(f"{where}: {name}: expected an integer within ±2^53, found {_short(value)}")
        out[name] = value
    if out["received_ms"] is None:
        raise ExportError(f"{where}: received_ms: expected milliseconds since the epoch, found nothing")
    for name in TEXT_FIELDS:
        value = row.get(name)
        if value is not None and not isinstance(value, str):
            raise ExportError(f"{where}: {name}: expected a string, found {_short(value)}")
        if value is not None and not _unicode(value):
            raise ExportError(f"{where}: {name}: expected text, found a lone surrogate (\\ud800–\\udfff)")
        out[name] = value
    return out


def _short(value) -> str:
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else f"a {len(str(abs(value)))}-digit number"
    return text if len(text) <= 60 else text[:57] + "…"


def _unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _parse(path, number: int, raw: bytes):
    """One line's JSON value, or an ExportError naming the line."""
    where = f"{path}:{number}"
    if len(raw) > MAX_LINE:
        raise ExportError(f"{where}: expected one event per line, found a line over {MAX_LINE // 1024} KB "
                          f"(is this a JSON Lines export from GET /api/v1/export?)")
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise ExportError(f"{where}: expected UTF-8 text, found the byte 0x{raw[exc.start]:02x} at column "
                          f"{exc.start + 1} (is this a JSON Lines export?)") from None
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ExportError(f"{where}: expected a JSON object, found invalid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ExportError(f"{where}: expected a JSON object, found JSON nested too deeply") from None
    except ValueError:  # a number with thousands of digits (Python reads at most 4300)
        raise ExportError(f"{where}: expected a JSON object, found a number too long to read") from None


def load_export(path: str | Path, db_path: str | Path, batch: int = 20_000):
    """Load the export into a new SQLite file; returns (engine, rows loaded)."""
    engine = create_engine(f"sqlite:///{db_path}")
    metadata.create_all(engine)
    insert = events.insert().prefix_with("OR IGNORE", dialect="sqlite")  # a repeated event counts once
    count, buffer = 0, []
    with open(path, "rb") as stream, engine.begin() as conn:
        for number, raw in enumerate(iter(lambda: stream.readline(MAX_LINE + 1), b""), 1):
            if not raw.strip():
                continue
            if len(raw) > MAX_LINE:
                _parse(path, number, raw)  # raises: a line that long is not an event
            buffer.append(_check(str(path), number, _parse(path, number, raw)))
            if len(buffer) >= batch:
                conn.execute(insert, buffer)
                count += len(buffer)
                buffer = []
        if buffer:
            conn.execute(insert, buffer)
            count += len(buffer)
    return engine, count
