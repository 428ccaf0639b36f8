"""The single writer: requests enqueue validated rows; one thread commits them in batches.

Group commit: the writer thread takes every request waiting in the queue (up to
``max_rows`` rows), inserts them all in one transaction with ``INSERT … ON CONFLICT
(event_id) DO NOTHING RETURNING event_id`` and then resolves each request's future with
how many of its events were new and how many were duplicates. A future resolves only
after its batch is committed, so a request is acknowledged only when its events are
durable. One slow commit delays the requests queued behind it, never the event loop.

The writer keeps one connection of its own (reconnecting after an error), and remembers
the outcome of its latest commit (``health()``); ``probe()`` commits a write that leaves
nothing behind (rows inserted and deleted in one transaction), so ``/healthz`` can tell
whether the store accepts writes even when no event arrived lately (a corrupted file, a
full disk, a read-only file or a database that is gone all fail it). After the store
refused a request, the probe writes copies of that request's rows (``_refused``) until a
write at least as large commits: on a full disk or tablespace one small row still fits in a
page's free space, so a small probe would report a healthy store between refused batches. On SQLite it
switches off automatic WAL checkpoints on that connection and a second thread runs a
passive checkpoint every second instead, so the fsync of a checkpoint never sits inside a
request's commit (it was the main source of tail latency under load).
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import Engine, delete

from carebase.store.schema import events

_STOP = object()
PROBE_PREFIX = "~probe-"  # "~" is never in a client's event id, so a probe cannot touch a real event


@dataclass(frozen=True)
class WriteResult:
    accepted: int
    duplicates: int


class WriterBusy(Exception):
    """The queue is full: the store is not keeping up (a temporary condition)."""


class WriterClosed(Exception):
    """The writer has been stopped."""


@dataclass(frozen=True)
class Outcome:
    """The latest commit attempt: ``ok``, when (``time.monotonic()``) and, when it failed, why."""
    ok: bool
    at: float
    error: str = ""


def one_line(exc: BaseException) -> str:
    """The database's own message (not SQLAlchemy's wrapper), first line only."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0][:300]


def insert_ignoring_duplicates(dialect_name: str):
    """``INSERT INTO events … ON CONFLICT (event_id) DO NOTHING``: same SQL on both databases."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(events).on_conflict_do_nothing(index_elements=["event_id"])


COLUMNS = tuple(c.name for c in events.columns)


def write_rows(connection, rows: Sequence[dict]) -> set[str]:
    """Insert ``rows`` (full column dicts) on an open transaction; return the ids that were new.
    ``view`` rows are counted (``count_views``), never inserted: their ids all count as new."""
    views = [row for row in rows if row["type"] == "view"]
    if views:
        count_views(connection, views)
        rows = [row for row in rows if row["type"] != "view"]
    new = {row["event_id"] for row in views}
    if not rows:
        return new
    stmt = insert_ignoring_duplicates(connection.dialect.name).returning(events.c.event_id)
    return new | set(connection.execute(stmt, list(rows)).scalars())


DAY_MS = 86_400_000


def count_views(connection, rows: Sequence[dict]) -> None:
    """Add page views to ``item_views`` (item, UTC day of arrival, page language → count):
    nothing else of a view is kept — no event row, page, journey, client or time of day. A view
    whose page sent no language counts under ``''`` (the site's default language)."""
    from collections import Counter

    from carebase.store.schema import item_views

    counts = Counter((row["item_id"], row["received_ms"] // DAY_MS, row.get("lang") or "") for row in rows)
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(item_views)
    stmt = stmt.on_conflict_do_update(index_elements=["item_id", "day", "lang"],
                                      set_={"views": item_views.c.views + stmt.excluded.views})
    connection.execute(stmt, [{"item_id": item, "day": day, "lang": lang, "views": n}
                              for (item, day, lang), n in sorted(counts.items())])


def _size(rows: Sequence[dict]) -> int:
    """Characters of the rows' values (what a write needs room for, roughly)."""
    return sum(len(str(v)) for row in rows for k, v in row.items() if v is not None and k != "event_id")


class Writer:
    """One background thread that owns all writes to the events table."""

    def __init__(self, engine: Engine, *, max_rows: int = 2000, max_queue: int = 10_000,
                 checkpoint_every: float = 1.0) -> None:
        self.engine = engine
        self.checkpoint_every = checkpoint_every
        self._stopped = threading.Event()
        self._checkpointer: threading.Thread | None = None
        self.max_rows = max_rows
        self._queue: queue.Queue = queue.Queue(maxsize=max_queue)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.batches = 0  # committed transactions (for tests and benchmarks)
        self.outcome: Outcome | None = None  # the latest commit attempt (events or probe)
        self.last_failure: Outcome | None = None  # the latest failed one
        self._probe: Future | None = None
        self._probe_lock = threading.Lock()
        # the rows of the latest refused request (copied by the probe) until a write as large commits
        self._refused: list[dict] | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(target=self._run, name="carebase-writer", daemon=True)
                self._thread.start()
                if self.engine.dialect.name == "sqlite" and self.checkpoint_every > 0:
                    self._checkpointer = threading.Thread(target=self._checkpoints, name="carebase-checkpoint",
                                                          daemon=True)
                    self._checkpointer.start()

    def submit(self, rows: Sequence[dict]) -> Future:
        """Queue rows; the future gives a WriteResult once they are committed."""
        if self._closed:
            raise WriterClosed("the writer is stopped")
        self.start()
        future: Future = Future()
        try:
            self._queue.put_nowait((list(rows), future))
        except queue.Full:
            raise WriterBusy("too many writes waiting") from None
        return future

    def probe(self) -> Future:
        """Queue a write that leaves nothing behind; one at a time (callers share the pending one)."""
        with self._probe_lock:
            if self._probe is not None and not self._probe.done():
                return self._probe
            refused = [row for row in (self._refused or ()) if row["type"] != "view"]
            if refused:  # as large as the write the store refused: would it fit now?
                rows = [dict(row, event_id=PROBE_PREFIX + uuid.uuid4().hex) for row in refused]
            else:
                row = dict.fromkeys(COLUMNS)
                row.update(event_id=PROBE_PREFIX + uuid.uuid4().hex, type="search",
                           received_ms=int(time.time() * 1000), query="health probe", results=0)
                rows = [row]
            self._probe = self.submit(rows)
            return self._probe

    def health(self, max_age: float, hold: float = 0.0) -> Outcome | None:
        """A failure of the last ``hold`` seconds (a store that fails some writes is not healthy
        when the next one happens to pass), else the latest outcome when at most ``max_age``
        seconds old, else None (probe first)."""
        now = time.monotonic()
        failure = self.last_failure
        if failure is not None and now - failure.at < hold:
            return failure
        outcome = self.outcome
        if outcome is None or now - outcome.at > max_age:
            return None
        return outcome

    def write(self, rows: Sequence[dict], timeout: float | None = 30) -> WriteResult:
        """Blocking convenience: submit and wait."""
        return self.submit(rows).result(timeout)

    def stop(self, timeout: float = 10) -> None:
        """Commit everything queued, then stop the thread."""
        with self._lock:
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._queue.put(_STOP)
            thread.join(timeout)
        self._stopped.set()
        if self._checkpointer is not None:
            self._checkpointer.join(timeout)

    def _take_batch(self, first) -> tuple[list, bool]:
        batch, size, stop = [first], len(first[0]), False
        while size < self.max_rows:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                stop = True
                break
            batch.append(item)
            size += len(item[0])
        return batch, stop

    def _connect(self):
        connection = self.engine.connect()
        if self.engine.dialect.name == "sqlite" and self.checkpoint_every > 0:
            connection.exec_driver_sql("PRAGMA wal_autocheckpoint=0")  # the checkpoint thread does it
            connection.commit()
        return connection

    def _run(self) -> None:
        connection = None
        try:
            while True:
                first = self._queue.get()
                if first is _STOP:
                    return
                batch, stop = self._take_batch(first)
                connection = self._commit(batch, connection)
                if stop:
                    return
        finally:
            if connection is not None:
                connection.close()

    def _checkpoints(self) -> None:
        """Passive WAL checkpoints off the commit path (they never block the writer)."""
        connection = None
        while not self._stopped.wait(self.checkpoint_every):
            try:
                connection = connection or self.engine.connect()
                connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
                connection.commit()
            except Exception:  # busy or closed: try again next time
                if connection is not None:
                    connection.invalidate()
                    connection = None
        if connection is not None:
            connection.close()

    def _commit(self, batch: list, connection):
        rows = [row for rows, _ in batch for row in rows]
        probes = [row["event_id"] for row in rows if row["event_id"].startswith(PROBE_PREFIX)]
        try:
            connection = connection or self._connect()
            with connection.begin():
                new_ids = write_rows(connection, rows)
                if probes:
                    connection.execute(delete(events).where(events.c.event_id.in_(probes)))
        except Exception as exc:
            if len(batch) == 1:  # (a batch of several is retried request by request first)
                self.outcome = self.last_failure = Outcome(False, time.monotonic(), one_line(exc))
                if not probes:
                    self._refused = batch[0][0]
            if connection is not None:
                connection.invalidate()  # reconnect for the next batch
            if len(batch) > 1:
                # one request's rows may be what the database refused: commit each request on
                # its own so it cannot fail the others (if the database is down, all fail anyway)
                for one in batch:
                    connection = self._commit([one], None)
                return connection
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return None
        self.batches += 1
        self.outcome = Outcome(True, time.monotonic())
        refused = self._refused
        if refused is not None and _size(rows) >= _size(refused):
            self._refused = None  # a write as large as the refused one fits again
        for rows_of_request, future in batch:
            accepted = 0
            for row in rows_of_request:
                if row["event_id"] in new_ids:
                    new_ids.discard(row["event_id"])  # a second copy in the same batch is a duplicate
                    accepted += 1
            future.set_result(WriteResult(accepted, len(rows_of_request) - accepted))
        return connection
