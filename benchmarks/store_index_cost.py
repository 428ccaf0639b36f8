"""Ingest cost of the store's indexes: schema 0001 (type, item_id) vs 0002 (the report's
covering index (type, item_id, revision, received_ms, scale, value)), same run, same rows.

For each index set: a fresh SQLite file (WAL, synchronous=NORMAL, as the service opens it)
preloaded with ``--preload`` events, then ``--rows`` more events written the way the
service's writer does (``write_rows``: INSERT … ON CONFLICT DO NOTHING RETURNING, one
transaction per batch of ``--batch``). Reports events/s and the ratio to schema 0001.

    .venv/bin/python benchmarks/store_index_cost.py [--rows 60000] [--preload 300000] [--batch 10]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from carebase.store.engine import open_engine
from carebase.store.schema import events
from carebase.store.writer import write_rows

KINDS = ("vote", "search", "click", "contact")


def rows(n: int, start: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(start, start + n):
        kind = rng.choice(KINDS)
        row = dict.fromkeys((c.name for c in events.columns), None)  # every column, as the service's rows
        row.update(event_id=f"e{i:09d}-{rng.getrandbits(32):08x}", type=kind, received_ms=1_790_000_000_000 + i * 50,
                   journey=f"j{rng.getrandbits(48):012x}", page="/articles/x/")
        if kind == "vote":
            row.update(item_id=f"article-{rng.randrange(10_000)}", value=rng.randrange(2), scale="helpful",
                       revision=f"r{rng.randrange(5)}", vote_key=f"k{rng.getrandbits(48):012x}",
                       reason=rng.choice([None, "outdated", "unclear"]))
        elif kind == "search":
            row.update(query=f"query {rng.randrange(50_000)}", results=rng.randrange(6))
        else:
            row.update(item_id=f"article-{rng.randrange(10_000)}", query=f"query {rng.randrange(50_000)}")
        out.append(row)
    return out


def run(schema: int, folder: Path, preload: list[dict], timed: list[dict], batch: int) -> float:
    engine = open_engine(f"sqlite:///{folder / f'v{schema}.db'}")
    with engine.begin() as conn:
        if schema == 1:  # as 0001 left it
            conn.execute(text("DROP INDEX events_type_item_cover"))
            conn.execute(text("CREATE INDEX events_type_item ON events (type, item_id)"))
        for i in range(0, len(preload), 5000):
            write_rows(conn, preload[i:i + 5000])
    started = time.perf_counter()
    with engine.connect() as conn:
        for i in range(0, len(timed), batch):
            with conn.begin():
                write_rows(conn, timed[i:i + batch])
    elapsed = time.perf_counter() - started
    engine.dispose()
    return len(timed) / elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--preload", type=int, default=300_000)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2, help="alternate the two schemas this many times (best kept)")
    args = parser.parse_args(argv)
    preload, timed = rows(args.preload, 0, 1), rows(args.rows, args.preload, 2)
    best = {1: 0.0, 2: 0.0}
    with tempfile.TemporaryDirectory(prefix="carebase-index-cost-") as tmp:
        for n in range(args.repeat):
            for schema in (1, 2):
                folder = Path(tmp) / f"{schema}-{n}"
                folder.mkdir()
                rate = run(schema, folder, preload, timed, args.batch)
                best[schema] = max(best[schema], rate)
                print(f"schema {schema}: {rate:,.0f} events/s (load {os.getloadavg()[0]:.1f})", flush=True)
    print(f"| store schema | events/s (best of {args.repeat}) | vs 0001 |")
    print("| --- | ---: | ---: |")
    for schema, label in ((1, "0001: (type, item_id)"), (2, "0002: (type, item_id, revision, received_ms, scale, value)")):
        print(f"| {label} | {best[schema]:,.0f} | {best[schema] / best[1]:.2f}x |")
    print(f"batch {args.batch} events per transaction, {args.preload:,} events preloaded, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
