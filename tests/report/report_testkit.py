"""Helpers shared by the report tests (imported by name: every test folder has its own conftest)."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from sqlalchemy import create_engine

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "benchmarks") not in sys.path:
    sys.path.insert(0, str(REPO / "benchmarks"))

from simulate_events import DAY_MS  # noqa: E402

from carebase.store.schema import metadata  # noqa: E402

START_MS = 20_400 * DAY_MS  # 2025-11-08, a fixed day: the tests do not depend on the clock
_planted = itertools.count()  # event and journey ids of PlantedStore


class CountingReplayer:
    """A replayer that records each search it is asked (query, limit) and answers from the query's
    first word, for tests of the replay cache."""
    name = "counting replayer"

    def __init__(self):
        self.calls = []

    def search(self, query, limit=5):
        self.calls.append((query, limit))
        return [(f"article:{query.split()[0]}", 2.5), ("faq:other", 1.0)][:limit]


def empty_engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'events.db'}")
    metadata.create_all(engine)
    return engine


def report_of_events(catalogue, rows: list[dict], tmp_path, *, latest_ms: int, min_votes: int = 3) -> dict:
    """``build_report`` on a real SQLite file holding ``rows`` (events as dicts, each given an
    event id; a key one row lacks is NULL there), the period ending on ``latest_ms``."""
    from carebase.report.build import build_report
    from carebase.report.links import SourceLinks
    from carebase.report.period import resolve
    from carebase.store.schema import events

    columns = sorted({k for r in rows for k in r})
    engine = empty_engine(tmp_path)
    if rows:
        with engine.begin() as conn:
            conn.execute(events.insert(), [{"event_id": f"e{n:06d}", **{k: r.get(k) for k in columns}}
                                           for n, r in enumerate(rows)])
    periods = resolve(None, None, None, None, latest_ms=latest_ms)
    return build_report(catalogue, engine, periods, SourceLinks("content", tmp_path), min_votes=min_votes)


XSS_COMMENT = '<script>window.__pwned = "script"</script><img src=x onerror="window.__pwned = \'img\'">'
XSS_QUERY = '<img src=x onerror="window.__pwned=\'query\'"> thermostat'
FORMULA_COMMENT = '=HYPERLINK("http://evil.example/","click me")'


def run_cli(*args: str, env: dict | None = None, in_process: bool = False):
    """``carebase report ARGS`` in a subprocess, or in this process (``cli_testkit.run_carebase``,
    for quick usage-error cases)."""
    import os
    import subprocess

    environment = {**os.environ, "CI": "1", **(env or {})}
    if in_process:
        from cli_testkit import run_carebase

        return run_carebase("report", *args, cwd=REPO, env=environment)
    return subprocess.run([sys.executable, "-m", "carebase", "report", *args], capture_output=True, text=True,
                          cwd=REPO, env=environment, timeout=900)  # a bound on a hang only


class PlantedStore:
    """Planted journeys of events (each journey's steps 10 s apart, on day 50 of the report's
    fixed calendar), written to a new SQLite file: the report tests' stores."""

    def __init__(self):
        self.rows: list[dict] = []

    def journey(self, *steps, client: str | None = None) -> None:
        """One journey of ``steps`` ((event type, columns) pairs), from ``client`` when given."""
        from carebase.store.schema import events

        columns = [c.name for c in events.columns]
        journey = f"j{next(_planted):07d}"
        at = START_MS + 50 * DAY_MS + next(_planted) * 1000
        for kind, cols in steps:
            at += 10_000
            row = dict.fromkeys(columns)
            row.update(event_id=f"e{next(_planted):07d}", type=kind, received_ms=at, client_ms=at, journey=journey,
                       **({"client": client} if client is not None else {}), **cols)
            self.rows.append(row)

    def write(self, path: Path) -> str:
        from carebase.store.engine import open_engine
        from carebase.store.schema import events

        url = f"sqlite:///{path}"
        engine = open_engine(url)
        with engine.begin() as conn:
            conn.execute(events.insert(), self.rows)
        engine.dispose()
        return url


def search(q, results=0):
    """A search event's step (from the search page), as ``PlantedStore.journey`` takes it."""
    return "search", {"query": q, "results": results, "source": "search-page"}


def topic_of(wordings: list[str], normaliser, mentions: dict | None = None):
    """A missing-content topic of ``wordings`` (most typical first), one failed search each, as
    the report's grouping gives it: each wording's analyser key and words (typos fixed, no stop
    words) by ``normaliser``, and the names ``mentions`` gives it (wording → names)."""
    from collections import Counter

    import numpy as np

    from carebase.report.missing import Cluster
    from carebase.report.topics import Topic

    members = []
    for q in wordings:
        names = (mentions or {}).get(q, ())
        analysis = normaliser.analyse(q)
        members.append(Cluster(tuple(analysis.key), failed=1, queries=Counter({q: 1}), words=set(analysis.words),
                               mentions=Counter(dict.fromkeys(names, 1))))
    similarity = [1.0 - i / 100 for i in range(len(members))]  # the first is the most typical
    return Topic(members, np.zeros(4, dtype=np.float32), similarity)
