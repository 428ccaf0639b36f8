"""Parts of the report computed beside its main pass, so a large store uses two cores.

At 1 M votes + 1 M searches two parts each cost more CPU than the rest of the report's
SQL together (benchmarks/RESULTS.md, "Gap report"):

* the **learned phrasings** ("customers reach these items with", the chatty-word filter of
  the keyword suggestions): one ordered pass over every event of the period, folded journey
  by journey in Python. They run in a **child interpreter** (``python -m
  carebase.report.background``: its own connection, its own interpreter lock; the store's
  URL goes through its stdin, never its command line; the result comes back pickled on its
  stdout) from the start of the report. Not a fork: a forked child would share SQLite's
  per-process lock state with the parent's open connections (at 1 M events a forked child
  died mid-run), and a spawned ``multiprocessing`` child re-imports the caller's script;
* the **search outcomes** (every query's journey outcome): set-based SQL, during which the
  database driver releases the interpreter lock. They run in a **thread** with a connection
  of their own, while the main pass reads votes and traffic and scores the items.

With a store memo (``store_memo``) both are read back on an unchanged store, and on a
store that only grew since the last run both are brought up to date from the new events'
journeys (``store_delta``): the child then gets the last run's evidence on its stdin.

A store whose period holds fewer than ``BIG`` events does everything in order: starting a
process costs more than it saves there. So does a store the child cannot open by its URL
(an in-memory database). Results are the same either way (the same functions on the same
rows: tests/report/test_report_background.py).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine

from carebase.learned.report import LearnedEvidence
from carebase.report.period import Periods
from carebase.report.queries import tune_for_reading
from carebase.store.engine import open_engine
from carebase.store.schema import events, learned_blocks

BIG = 200_000  # events in the current period from which the parts run beside the main pass
EVIDENCE = "learned-evidence"  # the store memo's entry: the period's learned evidence (``store_delta.columns``)


class _Known:
    """A result read back from the store memo."""

    def __init__(self, value):
        self._value = value

    def result(self):
        return self._value


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


def _has_blocks(engine: Engine) -> bool:
    """Whether the store holds a lead's block (only then do the help centre's words matter)."""
    with engine.connect() as conn:
        return inspect(conn).has_table("learned_blocks") and \
            conn.execute(select(learned_blocks.c.block_id).limit(1)).first() is not None


def _child_url(engine: Engine) -> str | None:
    url = engine.url
    if url.get_backend_name() == "sqlite" and (not url.database or url.database == ":memory:"
                                               or url.database.startswith("file:")):
        return None
    return url.render_as_string(hide_password=False)


def _learned(conn, since_ms: int, until_ms: int, before=None, delta=None, keep: bool = False,
             vocabulary=frozenset()):
    """(the learned phrasings, the period's evidence as columns for the store memo when
    ``keep``); with ``before`` (the last run's evidence, pickled columns) and its ``delta``,
    only the new events' journeys are read again. ``vocabulary``: the help centre's words, for
    the lead's blocks (``LearnedEvidence``)."""
    from carebase.learned.journeys import evidence
    from carebase.report import store_delta

    if before is not None:
        from carebase.report.store_memo import load

        found = store_delta.evidence_now(conn, since_ms, until_ms, load(before), delta)
    else:
        found = list(evidence(conn, since_ms=since_ms, until_ms=until_ms)) if keep else None
    return (LearnedEvidence(conn, since_ms, until_ms, found=found, vocabulary=vocabulary),
            store_delta.columns(found) if keep else None)


def _learned_in_child(url: str, since_ms: int, until_ms: int, before=None, delta=None, keep: bool = False,
                      vocabulary=frozenset()):
    """Run by ``python -m carebase.report.background`` (see ``_child_main``)."""
    engine = open_engine(url, migrate=False)
    tune_for_reading(engine)
    try:
        with engine.connect() as conn:
            return _learned(conn, since_ms, until_ms, before, delta, keep, vocabulary)
    finally:
        engine.dispose()


def _learned_here(engine: Engine, since_ms: int, until_ms: int, before=None, delta=None, keep: bool = False,
                  vocabulary=frozenset()):
    with engine.connect() as conn:
        return _learned(conn, since_ms, until_ms, before, delta, keep, vocabulary)


def _outcomes(engine: Engine, periods: Periods, before=None, delta=None):
    """(search rows, daily series, page views); with ``before`` (the last run's) and its
    ``delta``, the search rows are brought up to date from the new events' journeys."""
    from carebase.report import journeys, queries, store_delta

    with engine.connect() as conn:
        rows = journeys.search_outcomes(conn, periods) if before is None else \
            store_delta.outcomes_now(conn, periods, before[0], delta)
        return rows, queries.daily(conn, periods), queries.views(conn, periods)


def _run_child(url: str, since_ms: int, until_ms: int, before=None, delta=None, keep: bool = False,
               vocabulary=frozenset()):
    """The learned phrasings from a child interpreter (waited for in a thread)."""
    request = pickle.dumps({"url": url, "since_ms": since_ms, "until_ms": until_ms, "before": before,
                            "delta": delta, "keep": keep, "vocabulary": vocabulary}, protocol=pickle.HIGHEST_PROTOCOL)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    done = subprocess.run([sys.executable, "-m", "carebase.report.background"], input=request,
                          capture_output=True, env=env, check=False)
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise RuntimeError(f"the learned-phrasings child process failed ({done.returncode}): {reason[0]}")
    return pickle.loads(done.stdout)  # our own child's output


def _child_main() -> int:
    request = pickle.loads(sys.stdin.buffer.read())  # from our own parent (``_run_child``)
    learned = _learned_in_child(request["url"], request["since_ms"], request["until_ms"], request["before"],
                                request["delta"], request["keep"], request.get("vocabulary", frozenset()))
    sys.stdout.buffer.write(pickle.dumps(learned, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


class Background:
    """``learned`` and ``outcomes`` futures, started at once; ``close()`` when done.

    With a ``memo`` (``store_memo.StoreMemo``) holding them for this store state, nothing is
    started: they are read back; otherwise they are computed as above and remembered.
    ``vocabulary``: a function giving the help centre's words (``blocks.catalogue_vocabulary``),
    which the lead's blocks never read as typos, as the service does; called only when the store
    has blocks, and then the learned phrasings' memo entry is the one for these words (a content
    edit that changes them computes the phrasings again)."""

    def __init__(self, engine: Engine, periods: Periods, *, parallel: bool | None = None, memo=None,
                 vocabulary=None):
        self._memo, self._kept = memo, set()
        words = frozenset(vocabulary() or ()) if vocabulary is not None and _has_blocks(engine) else frozenset()
        self._args = {"learned": [hashlib.sha256("\n".join(sorted(words)).encode()).hexdigest()] if words else [],
                      "outcomes": []}
        known = {}
        for name in ("learned", "outcomes") if memo is not None else ():
            hit, value = memo.recall(name, *self._args[name])
            if hit:
                known[name] = value
        before = memo.previous("outcomes") if memo is not None and "outcomes" not in known else (False, None)
        outcomes_args = (engine, periods, before[1], memo.delta) if before[0] else (engine, periods)
        keep = memo is not None and memo.path is not None  # the evidence, for the next run's delta
        if "learned" in known:
            memo.keep(EVIDENCE)
        evidence_before = memo.previous_raw(EVIDENCE) if keep and "learned" not in known else None
        if parallel is None:
            parallel = len(known) < 2 and period_events(engine, periods) >= BIG
        url = _child_url(engine) if parallel else None
        parallel = url is not None  # an in-memory store: one connection only, all in order
        self._pools: list = []
        since, until = periods.current.since_ms, periods.current.until_ms
        learned_args = (since, until, evidence_before, memo.delta if evidence_before else None, keep, words)
        self._learned_args = (engine, *learned_args)
        self.learned: Future | _Done | _Known | None = None  # computed in order, when asked for
        if "learned" in known:
            self.learned = _Known(known["learned"])
        if "outcomes" in known:
            self.outcomes: Future | _Done | _Known = _Known(known["outcomes"])
        if parallel:
            threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="carebase-report")
            self._pools.append(threads)
            if self.learned is None:
                self.learned = threads.submit(_run_child, url, *learned_args)
            if "outcomes" not in known:
                self.outcomes = threads.submit(_outcomes, *outcomes_args)
        elif "outcomes" not in known:
            self.outcomes = _Done(_outcomes, *outcomes_args)

    def learned_evidence(self):
        if self.learned is None:
            self.learned = _Done(_learned_here, *self._learned_args)
        return self._remember("learned", self.learned)

    def outcomes_result(self):
        """(search rows, daily series, page views)."""
        return self._remember("outcomes", self.outcomes)

    def _remember(self, name: str, part):
        value = part.result()
        if name == "learned" and not isinstance(part, _Known):  # (learned, evidence columns or None)
            value, found = value
            if found is not None and self._memo is not None and name not in self._kept:
                self._memo.put(EVIDENCE, found)
        if self._memo is not None and not isinstance(part, _Known) and name not in self._kept:
            self._memo.put(name, value, *self._args[name])
            self._kept.add(name)
        return value

    def close(self) -> None:
        for pool in self._pools:
            pool.shutdown(wait=True, cancel_futures=True)


if __name__ == "__main__":
    raise SystemExit(_child_main())
