"""Append events to a SQLite event store as a running service would: new events received after
the store's latest one, in journeys already there and in new ones.

The new events are copies of the store's latest ``N`` events (so their mix of searches,
clicks, votes and contacts, queries and items is the store's own), each with a new
``event_id`` and received one millisecond after the one before, starting just after the
store's latest event; every other journey among them is renamed (a new journey), the rest
stay in theirs (a journey that goes on). Used by ``report_scale.py`` for the report "warm
after new events" (the store memo's delta, ``carebase.report.store_delta``).

    python benchmarks/store_append.py FEEDBACK_DB [N=1000]
"""

from __future__ import annotations

import sqlite3
import sys
import zlib
from pathlib import Path


def append_events(db: Path, n: int) -> dict:
    """Append ``n`` events; returns what was added (count, first and last time, journeys)."""
    conn = sqlite3.connect(db)
    try:
        cols = [r[1] for r in conn.execute("PRAGMA table_info(events)")]
        (latest,) = conn.execute("SELECT max(received_ms) FROM events").fetchone()
        (tag,) = conn.execute("SELECT count(*) FROM events").fetchone()
        rows = conn.execute(f"SELECT {', '.join(cols)} FROM events ORDER BY received_ms DESC LIMIT ?", (n,)).fetchall()
        added, journeys = [], set()
        for i, values in enumerate(reversed(rows)):
            row = dict(zip(cols, values))
            row["event_id"] = f"appended-{tag}-{i}"
            row["received_ms"] = latest + 1 + i
            if row["journey"] and zlib.crc32(row["journey"].encode()) % 2:
                row["journey"] += "-new"
            if row["journey"]:
                journeys.add(row["journey"])
            added.append(tuple(row[c] for c in cols))
        with conn:
            conn.executemany(f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", added)
        return {"events": len(added), "after_ms": latest, "journeys": len(journeys)}
    finally:
        conn.close()


if __name__ == "__main__":
    print(append_events(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000))
