"""The report's event aggregates remembered between runs, per state of the event store.

At 1 M votes + 1 M searches most of a report's time goes to a few aggregates over the
events table (search outcomes, learned phrasings, where failed journeys went next, votes
per item: benchmarks/RESULTS.md, "Gap report"). They are pure functions of the events,
the page views, the lead's blocks and the report's periods, so a second report on an
unchanged store (another format, a content edit, a re-run) reads them back from the
report's cache folder instead of scanning millions of rows again.

The **state** of the store is read first, cheaply (one covering-index scan of the events
table, ~0.3 s at 2.8 M rows, plus the two small tables):

* events: count, oldest and newest ``received_ms`` and the sum of their times of day.
  Events are append-only: any row added or deleted changes the count (a deletion and an
  addition together change the times unless they fall on the very same millisecond of day);
* page views (``item_views``): rows and the sum of their counts (a view adds one);
* blocks (``learned_blocks``): every row;
* rewrites of stored texts (``store_marks``: ``carebase store remask``): every row. Unlike the
  others they are part of the entries' base, so a rewrite is never taken for a store that grew.

An entry is used only when the state, the periods, the database URL, the carebase version
and the code of the modules that compute the aggregates are all the same as when it was
written; anything else and the file is ignored and rewritten. One exception: when only the
state differs and the store merely grew by events received after the last run's latest
(``store_delta.added_since``: the running service's case), ``previous(name)`` hands the
last run's value to an aggregate that can bring it up to date from the new events' journeys
(the search outcomes). The file holds one state
(the latest run's entries only), so it never grows with the number of runs. It is a
pickle read back through an unpickler that knows only plain containers and the report's
own row classes, so a file put there by someone else cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine

from carebase.report.period import DAY_MS, Periods
from carebase.store.schema import events, item_views, learned_blocks, store_marks

FILE = "store-aggregates.pickle"
FORMAT = 3  # 3: a search row counts "answered" (searches the Ask box answered; session 42)
#: Modules whose code shapes what is remembered: a change to any of them, or to any carebase
#: module they import (carebase.output.stamp.carebase_files), forgets it all.
_CODE = ("carebase.report.queries", "carebase.report.journeys", "carebase.report.topic_evidence",
         "carebase.report.findability", "carebase.report.asks", "carebase.report.page_votes", "carebase.report.store_memo", "carebase.report.store_delta",
         "carebase.learned.journeys", "carebase.learned.ties", "carebase.learned.phrases",
         "carebase.learned.report", "carebase.learned.blocks", "carebase.store.schema")
_ALLOWED = {
    ("builtins", "set"), ("builtins", "frozenset"), ("collections", "Counter"),
    ("collections", "defaultdict"), ("builtins", "list"), ("builtins", "dict"),
    ("carebase.report.journeys", "SearchRow"), ("carebase.report.queries", "VoteRow"),
    ("carebase.learned.ties", "Tie"), ("carebase.learned.ties", "Thresholds"),
    ("carebase.learned.report", "LearnedEvidence"),
}


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a report aggregate")
        return super().find_class(module, name)


def load(raw: bytes):
    """An entry's value (only plain containers and the report's row classes are read)."""
    return _Unpickler(io.BytesIO(raw)).load()


def _code() -> str:
    """A hash of ``_CODE``'s modules and of every carebase module they import (session 38: the
    13 named modules import 46 more, carebase.report.period and normalise among them, whose
    changes the hand-kept list did not see)."""
    import carebase
    from carebase import __version__
    from carebase.output.stamp import carebase_files

    root = Path(carebase.__path__[0])
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
    for path in carebase_files(_CODE):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def store_state(engine: Engine) -> list:
    """What identifies the store's contents for the report (see the module docstring)."""
    ms = events.c.received_ms
    with engine.connect() as conn:
        state: list = [_ints(conn.execute(select(func.count(), func.min(ms), func.max(ms),
                                                 func.sum(ms % DAY_MS)).select_from(events)).one())]
        tables = set(inspect(conn).get_table_names())
        if "item_views" in tables:
            state.append(_ints(conn.execute(select(func.count(), func.sum(item_views.c.views))).one()))
        if "learned_blocks" in tables:
            state.append([list(r) for r in conn.execute(select(learned_blocks).order_by(learned_blocks.c.block_id))])
    return state


def store_marks_of(engine: Engine) -> list:
    """Every rewrite of the store's texts in place (``store_marks``, migration 0013; [] before it)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("store_marks"):
            return []
        return [list(r) for r in conn.execute(select(store_marks).order_by(store_marks.c.mark_id))]


def _ints(row) -> list:
    """Plain ints (PostgreSQL sums bigints as numeric)."""
    return [None if v is None else int(v) for v in row]


class StoreMemo:
    """``memo.call(name, fn, *args)``: ``fn()`` computed once per store state.

    ``args`` are plain values (strings, lists of strings) that, with ``name``, say which
    aggregate it is; the connection and periods are not among them (the memo is per periods)."""

    def __init__(self, cache_dir, engine: Engine, periods: Periods):
        self.path = Path(cache_dir) / FILE if cache_dir else None
        self._old: dict = {}
        self._new: dict = {}
        self._before: dict = {}  # the last run's entries on a store that only grew since (``delta``)
        self.delta = None
        self.hits = 0
        if self.path is None:
            return
        url = engine.url.render_as_string(hide_password=True)
        when = [periods.current.since_ms, periods.current.until_ms, periods.compare.since_ms, periods.compare.until_ms]
        self.state = store_state(engine)
        self.base = hashlib.sha256(json.dumps([_code(), url, when, store_marks_of(engine)], default=str).encode()).hexdigest()
        self.key = hashlib.sha256(json.dumps([self.base, self.state], default=str).encode()).hexdigest()
        try:
            with open(self.path, "rb") as f:
                saved = _Unpickler(f).load()
            entries = saved.get("entries") if isinstance(saved, dict) else None
            if not isinstance(entries, dict) or not all(isinstance(v, bytes) for v in entries.values()):
                return
            if saved.get("key") == self.key:
                self._old = entries
            elif saved.get("base") == self.base and isinstance(saved.get("state"), list) and saved["state"]:
                from carebase.report.store_delta import added_since

                self.delta = added_since(engine, saved["state"][0], self.state[0])
                self._before = entries if self.delta is not None else {}
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError, IndexError):
            self._old = {}  # absent, damaged or from another version: computed afresh

    @staticmethod
    def _entry(name: str, args) -> str:
        return hashlib.sha256(json.dumps([name, list(args)]).encode()).hexdigest()

    def recall(self, name: str, *args) -> tuple[bool, object]:
        """(True, the remembered value) or (False, None) when there is none for this state."""
        entry = self._entry(name, args)
        raw = self._old.get(entry)
        if raw is None:
            return False, None
        try:
            value = _Unpickler(io.BytesIO(raw)).load()
        except (EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError, IndexError):
            return False, None  # damaged: computed afresh
        self._new[entry] = raw
        self.hits += 1
        return True, value

    def previous(self, name: str, *args) -> tuple[bool, object]:
        """(True, the last run's value) when the store only grew since (``self.delta`` says
        by what), or (False, None)."""
        raw = self._before.get(self._entry(name, args))
        if raw is None:
            return False, None
        try:
            return True, load(raw)
        except (EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError, IndexError):
            return False, None

    def previous_raw(self, name: str, *args) -> bytes | None:
        """The last run's value as stored (a pickle for ``load``) when the store only grew."""
        return self._before.get(self._entry(name, args))

    def keep(self, name: str, *args) -> None:
        """Carry this state's entry over to the next file as it is, without reading it."""
        entry = self._entry(name, args)
        if entry in self._old:
            self._new[entry] = self._old[entry]

    def put(self, name: str, value, *args):
        """Remember ``value`` as it is now (pickled at once: a caller may change it later)."""
        self._new[self._entry(name, args)] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return value

    def call(self, name: str, fn, *args):
        """``fn()``, or what it gave on this store state before (``name`` and ``args`` say which)."""
        hit, value = self.recall(name, *args)
        return value if hit else self.put(name, fn(), *args)

    def save(self) -> None:
        """Write this run's entries (only when something new was computed)."""
        if self.path is None or self._new.keys() == self._old.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        scratch.write_bytes(pickle.dumps({"key": self.key, "base": self.base, "state": self.state, "entries": self._new},
                                         protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(scratch, self.path)
