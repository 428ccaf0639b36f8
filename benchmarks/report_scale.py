"""Gap-report scale benchmark: 10,000 items, 1,000,000 votes and 1,000,000 searches in SQLite.

Times, in the same run and on the same file:

* the bare aggregate SQL the report issues (``run_queries`` below — votes
  with latest-per-key, reasons, clicks/contacts per item, every search's journey outcome,
  daily series), best of two warm runs;
* ``carebase report`` as a user runs it (a fresh process each: read the build output
  ``carebase build`` wrote — the catalogue snapshot and the search index —, the SQL,
  clustering, replaying failed searches on the index, all four formats written):
  **cold** into a new ``--out`` folder with a new ``--cache OUT-cache`` (empty: no topics
  remembered, no wording vectors, no event aggregates), then **warm**: the same command
  again on the unchanged store (what a second report, another format or a re-run after a
  content edit costs). The two reports must be the same (checked, apart from the time they
  were generated and how many wordings each embedded): a speed-up that changes rows is a bug;
  then **warm after new events**: ``--new-events N`` (default 1,000) events appended as a
  running service would (``store_append.py``: after the latest, in old and new journeys)
  and the same command again (the store memo brings the search outcomes and learned
  phrasings up to date from the new events' journeys). It must equal a report whose event
  aggregates are computed afresh with the same other caches (checked by one more run, left
  out with ``--no-check``). The kept store grows by N events each run.

The build output itself is written once beforehand (``carebase.output.open_output``, what
the site build does once per content revision) and timed apart.

A folder prepared by an earlier run (``--keep DIR``) is reused as it is: only a missing
``feedback.db`` is generated. The database is first migrated to the current store schema
(as the service does when it starts; timed and reported, e.g. migration 0002's index).

    python benchmarks/report_scale.py [--items 10000] [--votes 1000000] [--searches 1000000] [--keep DIR]
                                      [--new-events 1000] [--no-check]

Targets (issue 12): the report at 1 M votes + 1 M searches under 30 s warm, under 90 s cold.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from simulate_events import COLUMNS, DAY_MS, Simulator, plan  # noqa: E402
from store_append import append_events  # noqa: E402
from synthetic_content import make_catalogue, write_tree  # noqa: E402


def generate(db: Path, catalogue, votes: int, searches: int, seed: int = 3) -> dict:
    from sqlalchemy import create_engine

    from carebase.store.schema import metadata

    engine = create_engine(f"sqlite:///{db}")
    metadata.create_all(engine)
    engine.dispose()
    days = 56
    start = (int(time.time() * 1000) // DAY_MS - days) * DAY_MS
    truth = plan(catalogue, seed, failing=5, missing=4)
    # calibrate: events per journey, so the journeys spread evenly over the whole 56 days
    sample = Simulator(catalogue, truth, seed + 1, start_ms=start, days=days)
    rows = [r for _ in range(20_000) for r in sample.journey(start)]
    per_vote = sum(r[1] == "vote" for r in rows) / 20_000
    per_search = sum(r[1] == "search" for r in rows) / 20_000
    journeys = int(max(votes / per_vote, searches / per_search) * 1.03)
    keep_vote, keep_search = votes / (per_vote * journeys), searches / (per_search * journeys)
    sim = Simulator(catalogue, truth, seed, start_ms=start, days=days)
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    insert = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    counts = {"vote": 0, "search": 0, "click": 0, "contact": 0}
    span, n, buffer = days * DAY_MS, 0, []
    while counts["vote"] < votes or counts["search"] < searches:
        ms = start + int(span * (n % journeys) / journeys)
        n += 1
        keep_searches = rng.random() < keep_search  # a journey's search, click and contact go together
        for row in sim.journey(ms):
            kind = row[1]
            if kind == "vote":
                if counts["vote"] >= votes or rng.random() >= keep_vote:
                    continue
            elif counts["search"] >= searches or not keep_searches:
                continue
            counts[kind] += 1
            buffer.append(row)
        if len(buffer) >= 200_000:
            conn.executemany(insert, buffer)
            conn.commit()
            buffer = []
    conn.executemany(insert, buffer)
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return counts


def run_queries(conn, periods) -> None:
    """The report's bare aggregate queries (carebase.report.queries and .journeys), results discarded."""
    from carebase.report import queries
    from carebase.report.journeys import search_outcomes

    queries.vote_counts(conn, periods)
    queries.item_traffic(conn, periods)
    search_outcomes(conn, periods)
    queries.daily(conn, periods)


def bare_sql(db: Path) -> tuple[float, float]:
    from sqlalchemy import create_engine

    from carebase.report import queries
    from carebase.report.period import resolve

    engine = create_engine(f"sqlite:///{db}")
    queries.tune_for_reading(engine)  # the same connection settings as the command
    best, best_cpu = float("inf"), float("inf")
    with engine.connect() as conn:
        periods = resolve(None, None, None, None, latest_ms=queries.latest_event_ms(conn))
        for _ in range(2):
            started, cpu = time.perf_counter(), time.process_time()
            queries.latest_event_ms(conn)
            run_queries(conn, periods)
            best = min(best, time.perf_counter() - started)
            best_cpu = min(best_cpu, time.process_time() - cpu)
    engine.dispose()
    return best, best_cpu


def migrate(db: Path) -> tuple[float, list[int]]:
    from carebase.store.engine import open_engine
    from carebase.store.migrations import migrate as run_migrations

    started = time.perf_counter()
    engine = open_engine(f"sqlite:///{db}", migrate=False)
    applied = run_migrations(engine)
    engine.dispose()
    return time.perf_counter() - started, applied


def comparable(out: Path) -> dict:
    """The report's JSON without what differs between two runs on the same store by design."""
    import json

    report = json.loads((out / "report.json").read_text())
    report.pop("generated", None)
    report.get("backlog", {}).pop("checked_ms", None)
    report.get("missing", {}).get("grouped_with", {}).pop("embedded_now", None)
    report.get("assistants", {}).get("grouped_with", {}).pop("embedded_now", None)
    return report


def report(site_data: Path, db: Path, out: Path, *extra: str) -> tuple[float, float]:
    command = [sys.executable, "-m", "carebase", "report", "--site-data", str(site_data), "--db", f"sqlite:///{db}",
               "--out", str(out), "--cache", str(out.with_name(out.name + "-cache")), *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CI": "1"})
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"carebase report failed:\n{proc.stderr}")
    print(proc.stdout.strip().splitlines()[0], file=sys.stderr)
    return elapsed, cpu


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Gap-report scale benchmark")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=1_000_000)
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--new-events", type=int, default=1000,
                        help="events appended before the third report (0: no third report)")
    parser.add_argument("--no-check", action="store_true",
                        help="skip the run that checks the third report against aggregates computed afresh")
    args = parser.parse_args(argv)
    work = Path(args.keep or tempfile.mkdtemp(prefix="carebase-report-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        faq_groups, questions, videos = max(1, args.items // 200), 16, max(1, args.items // 50)
        articles = args.items - faq_groups * questions - videos
        catalogue = make_catalogue(articles, faq_groups, questions, videos, root=str(work / "content"))
        content, db = work / "content", work / "feedback.db"
        if not db.exists():
            shutil.rmtree(content, ignore_errors=True)
            write_tree(catalogue, content)
            started = time.perf_counter()
            counts = generate(db, catalogue, args.votes, args.searches)
            print(f"generated {counts} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        migrate_s, applied = migrate(db)
        print(f"migrations applied now: {applied or 'none'} in {migrate_s:.1f} s", file=sys.stderr)
        from carebase.content import load_catalogue
        from carebase.output import open_output

        started = time.perf_counter()
        loaded = load_catalogue(content)
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        site_data = work / "site-data"
        open_output(site_data, loaded).wait()  # reused when the content is unchanged
        index_s = time.perf_counter() - started
        rows = []

        def note(label, wall, cpu):
            rows.append((label, wall, cpu, os.getloadavg()[0]))
            print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU, load {os.getloadavg()[0]:.1f}", file=sys.stderr)

        note("bare aggregate SQL", *bare_sql(db))
        out = work / "report"
        shutil.rmtree(out, ignore_errors=True)  # cold: a new --out and an empty cache
        shutil.rmtree(out.with_name(out.name + "-cache"), ignore_errors=True)
        note("carebase report --site-data DIR, cold (a new --out)", *report(site_data, db, out))
        cold = comparable(out)
        note("carebase report --site-data DIR, warm (the same --out again)", *report(site_data, db, out))
        if comparable(out) != cold:
            raise SystemExit("the warm report differs from the cold one on the same store: a bug")
        print("the warm report equals the cold one", file=sys.stderr)
        if args.new_events:
            fresh = work / "report-fresh-aggregates"  # the same caches but the event aggregates
            fresh_cache = fresh.with_name(fresh.name + "-cache")
            shutil.rmtree(fresh, ignore_errors=True)
            shutil.rmtree(fresh_cache, ignore_errors=True)
            shutil.copytree(out.with_name(out.name + "-cache"), fresh_cache)
            (fresh_cache / "store-aggregates.pickle").unlink(missing_ok=True)
            print(f"appended {append_events(db, args.new_events)}", file=sys.stderr)
            note(f"carebase report --site-data DIR, warm after {args.new_events:,} new events (the same --out)",
                 *report(site_data, db, out))
            if not args.no_check:
                report(site_data, db, fresh)
                if comparable(out) != comparable(fresh):
                    raise SystemExit("the report after new events differs from one computed afresh: a bug")
                print("the report after new events equals one whose aggregates were computed afresh", file=sys.stderr)
        items = sum(1 for _ in loaded.items())
        size = (db.stat().st_size) / 1e6
        print(f"items {items}, database {size:.0f} MB, content load {load_s:.2f} s, build output {index_s:.2f} s, "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        sql_s, sql_cpu = rows[0][1], rows[0][2]
        print("| step | wall | CPU | vs bare SQL (wall) | vs bare SQL (CPU) | load average |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for label, wall, cpu, load in rows:
            print(f"| {label} | {wall:.1f} s | {cpu:.1f} s | {wall / sql_s:.2f}x | {cpu / sql_cpu:.2f}x | {load:.1f} |")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
