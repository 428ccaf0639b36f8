"""The single writer: requests enqueue validated rows; one thread commits them in batches.

Group commit: the writer thread takes every request waiting in the queue (up to
``max_rows`` rows), inserts them all in one transaction with ``INSERT … ON CONFLICT
(event_id) DO NOTHING RETURNING event_id`` and then resolves each request's future with
how many of its events were new and how many were duplicates. A future resolves only
after its batch is committed, so a request is acknowledged only when its events are
durable. One slow commit delays the requests queued behind it, never the event loop.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import Engine

from carebase.store.schema import events

_STOP = object()


@dataclass(frozen=True)
class WriteResult:
    accepted: int
    duplicates: int


class WriterBusy(Exception):
    """The queue is full: the store is not keeping up (a temporary condition)."""


class WriterClosed(Exception):
    """The writer has been stopped."""


def insert_ignoring_duplicates(dialect_name: str):
    """``INSERT INTO events … ON CONFLICT (event_id) DO NOTHING``: same SQL on both databases."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(events).on_conflict_do_nothing(index_elements=["event_id"])


COLUMNS = tuple(c.name for c in events.columns)


def write_rows(connection, rows: Sequence[dict]) -> set[str]:
    """Insert ``rows`` (full column dicts) on an open transaction; return the ids that were new."""
    if not rows:
        return set()
    stmt = insert_ignoring_duplicates(connection.dialect.name).returning(events.c.event_id)
    return set(connection.execute(stmt, list(rows)).scalars())


class Writer:
    """One background thread that owns all writes to the events table."""

    def __init__(self, engine: Engine, *, max_rows: int = 5000, max_queue: int = 10_000) -> None:
        self.engine = engine
        self.max_rows = max_rows
        self._queue: queue.Queue = queue.Queue(maxsize=max_queue)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False
        self.batches = 0  # committed transactions (for tests and benchmarks)

    def start(self) -> None:
        with self._lock:
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(target=self._run, name="carebase-writer", daemon=True)
                self._thread.start()

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

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch, stop = self._take_batch(first)
            self._commit(batch)
            if stop:
                return

    def _commit(self, batch: list) -> None:
        rows = [row for rows, _ in batch for row in rows]
        try:
            with self.engine.begin() as connection:
                new_ids = write_rows(connection, rows)
        except Exception as exc:  # the database is down or full: every waiting request fails
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        self.batches += 1
        for rows_of_request, future in batch:
            accepted = 0
            for row in rows_of_request:
                if row["event_id"] in new_ids:
                    new_ids.discard(row["event_id"])  # a second copy in the same batch is a duplicate
                    accepted += 1
            future.set_result(WriteResult(accepted, len(rows_of_request) - accepted))
