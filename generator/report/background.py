"""Parts of the report computed beside its main pass, so a large store uses two cores.

At 1 M votes + 1 M searches two parts each cost more CPU than the rest of the report's
SQL together (benchmarks/RESULTS.md, "Gap report"):

* the **learned phrasings** ("customers reach these items with", the chatty-word filter of
  the keyword suggestions): one ordered pass over every event of the period, folded journey
  by journey in Python. They run in a **child process** (forked, so nothing is imported
  again and no ``__main__`` guard is needed; its own connection, its own interpreter lock)
  from the start of the report, before any thread or model is started;
* the **search outcomes** (every query's journey outcome): set-based SQL, during which the
  database driver releases the interpreter lock. They run in a **thread** with a connection
  of their own, while the main pass reads votes and traffic and scores the items.

A store whose period holds fewer than ``BIG`` events does everything in order: starting a
process costs more than it saves there. So does a store the child cannot open by its URL
(an in-memory database); where processes cannot be forked (Windows), the learned phrasings
are computed in order and only the thread runs beside. Results are the same either way (the same functions on the same
rows: tests/report/test_report_background.py).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from carebase.learned.report import LearnedEvidence
from carebase.report.period import Periods
from carebase.report.queries import tune_for_reading
from carebase.store.engine import open_engine
from carebase.store.schema import events

BIG = 200_000  # events in the current period from which the parts run beside the main pass


class _Done:
    """A finished result with the Future interface (parts run in order)."""

    def __init__(self, fn, *args):
        self._value = fn(*args)

    def result(self):
        return self._value


def period_events(engine: Engine, periods: Periods, cap: int = BIG) -> int:
    """Events received in the current period, counted up to ``cap`` (bounded cost)."""
    inner = (select(events.c.received_ms).where(events.c.received_ms >= periods.current.since_ms,
                                                events.c.received_ms < periods.current.until_ms)
             .limit(cap).subquery())
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(inner)).scalar() or 0)


def _child_url(engine: Engine) -> str | None:
    url = engine.url
    if url.get_backend_name() == "sqlite" and (not url.database or url.database == ":memory:"
                                               or url.database.startswith("file:")):
        return None
    return url.render_as_string(hide_password=False)


def _learned_in_child(url: str, since_ms: int, until_ms: int):
    engine = open_engine(url, migrate=False)
    tune_for_reading(engine)
    try:
        with engine.connect() as conn:
            return LearnedEvidence(conn, since_ms, until_ms)
    finally:
        engine.dispose()


def _learned_here(engine: Engine, since_ms: int, until_ms: int):
    with engine.connect() as conn:
        return LearnedEvidence(conn, since_ms, until_ms)


def _outcomes(engine: Engine, periods: Periods):
    from carebase.report import journeys, queries

    with engine.connect() as conn:
        return journeys.search_outcomes(conn, periods), queries.daily(conn, periods), queries.views(conn, periods)


class Background:
    """``learned`` and ``outcomes`` futures, started at once; ``close()`` when done."""

    def __init__(self, engine: Engine, periods: Periods, *, parallel: bool | None = None):
        if parallel is None:
            parallel = period_events(engine, periods) >= BIG
        url = _child_url(engine) if parallel else None
        parallel = url is not None  # an in-memory store: one connection only, all in order
        self._pools: list = []
        since, until = periods.current.since_ms, periods.current.until_ms
        fork = "fork" in multiprocessing.get_all_start_methods()
        if url is not None and fork:
            processes = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
            self._pools.append(processes)
            self.learned: Future | _Done = processes.submit(_learned_in_child, url, since, until)
        if parallel:
            threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="carebase-report")
            self._pools.append(threads)
            self.outcomes: Future | _Done = threads.submit(_outcomes, engine, periods)
        else:
            self.outcomes = _Done(_outcomes, engine, periods)
        if url is None or not fork:
            self._learned_args = (engine, since, until)
            self.learned = None  # computed in order, when asked for

    def learned_evidence(self):
        if self.learned is None:
            self.learned = _Done(_learned_here, *self._learned_args)
        return self.learned.result()

    def close(self) -> None:
        for pool in self._pools:
            pool.shutdown(wait=True, cancel_futures=True)
