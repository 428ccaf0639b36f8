"""Export the events table as JSON Lines: one object per row, column names as keys.

Rows are read in pages ordered by (received_ms, event_id) with keyset pagination, so an
export of millions of rows streams in constant memory and never holds a long transaction.
"""

from __future__ import annotations

import json
from typing import Iterator

from sqlalchemy import Engine, and_, or_, select

from carebase.store.schema import events


_NAMES = tuple(c.name for c in events.columns)
# ASCII output: no U+2028 or NEL inside a line for line splitters to trip on
_encode = json.JSONEncoder(separators=(",", ":")).encode


def iter_rows(engine: Engine, *, since_ms: int | None = None, page_size: int = 2000) -> Iterator[dict]:
    last: tuple[int, str] | None = None
    order = (events.c.received_ms, events.c.event_id)
    while True:
        query = select(events).order_by(*order).limit(page_size)
        if since_ms is not None:
            query = query.where(events.c.received_ms >= since_ms)
        if last is not None:
            query = query.where(
                or_(events.c.received_ms > last[0], and_(events.c.received_ms == last[0], events.c.event_id > last[1]))
            )
        with engine.connect() as connection:
            page = [dict(zip(_NAMES, row)) for row in connection.execute(query)]
        yield from page
        if len(page) < page_size:
            return
        last = (page[-1]["received_ms"], page[-1]["event_id"])


def iter_jsonl(engine: Engine, *, since_ms: int | None = None, page_size: int = 2000) -> Iterator[str]:
    """Lines of JSON (each ending in a newline)."""
    for row in iter_rows(engine, since_ms=since_ms, page_size=page_size):
        yield _encode(row) + "\n"


def write_jsonl(engine: Engine, out, *, since_ms: int | None = None) -> int:
    """Write every row to the text stream ``out``; return the number of rows."""
    count = 0
    for line in iter_jsonl(engine, since_ms=since_ms):
        out.write(line)
        count += 1
    return count
