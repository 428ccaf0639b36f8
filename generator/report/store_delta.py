"""What was added to the event store since the report's last run, and the search outcomes
brought up to date from the last run's instead of computed afresh.

A running service only ever appends events, mostly new ones at the end of time. When the
store memo (``store_memo``) finds the store changed since its last run, it asks
``added_since`` whether the change is exactly that: every event of the last run is still
there (their count, earliest time and sum of times of day, up to the last run's latest
time, are what they were) and the rest were received after it. Then the report knows the
**journeys** the new events belong to, and an aggregate that is a sum over journeys can be
updated from those journeys alone: take away what they added to the last run's value (their
events up to its latest time) and add what they add now (all their events). Anything else
— a deletion, an event received back in time, too many new events to be worth it — is no
delta, and the report computes everything afresh.

Search outcomes are such a sum: a search's outcome depends only on the events of its own
journey, and a search without a journey depends on nothing else
(``journeys.search_outcomes``). So is the learned evidence: one journey's (wording, item)
pairs depend on its own events only (``carebase.learned.journeys``), and events without a
journey teach nothing; the memo keeps the period's evidence as plain columns for this.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from carebase.learned.journeys import Evidence, evidence
from carebase.report.journeys import SearchRow, search_outcomes
from carebase.report.period import DAY_MS, Periods
from carebase.store.schema import EVENT_TYPES, events

MAX_NEW_EVENTS = 200_000  # more new events than this since the last run: computed afresh
CHUNK = 500  # journeys per query (bound parameters stay well under every database's limit)


@dataclass(frozen=True)
class Delta:
    after_ms: int  # the last run's latest event time: every event received after it is new
    journeys: tuple[str, ...]  # the journeys of the new events, sorted
    events: int  # how many new events


def added_since(engine: Engine, before: list, now: list) -> Delta | None:
    """The delta from the events part of an old ``store_state`` to the current one, or None
    when the store did not only grow by events received after the old latest time."""
    try:
        count, first, last, day_sum = before
        now_count, now_first, _, now_sum = now
    except (TypeError, ValueError):
        return None
    if not isinstance(last, int) or not count or now_first != first:
        return None
    received = events.c.received_ms
    newer = (events.c.type.in_(EVENT_TYPES), received > last)  # (type, received_ms) index
    with engine.connect() as conn:
        added, added_sum = conn.execute(select(func.count(), func.sum(received % DAY_MS)).where(*newer)).one()
        if now_count - added != count or (now_sum or 0) - (added_sum or 0) != (day_sum or 0):
            return None  # an event was deleted, received back in time or of another type
        if added > MAX_NEW_EVENTS:
            return None
        journeys = sorted(j for (j,) in conn.execute(select(events.c.journey).distinct()
                                                      .where(*newer, events.c.journey.is_not(None))))
    return Delta(last, tuple(journeys), int(added))


def outcomes_now(conn: Connection, periods: Periods, before: list[SearchRow], delta: Delta) -> list[SearchRow]:
    """``journeys.search_outcomes`` of the store now, from its value ``before`` the delta:
    the changed journeys' part before is taken away, their part now and the new searches
    without a journey are added."""
    rows = {(r.query, r.bucket): _copy(r) for r in before}
    parts = []
    for start in range(0, len(delta.journeys), CHUNK):
        chunk = list(delta.journeys[start:start + CHUNK])
        parts.append((-1, search_outcomes(conn, periods, journeys=chunk, upto_ms=delta.after_ms)))
        parts.append((1, search_outcomes(conn, periods, journeys=chunk)))
    parts.append((1, search_outcomes(conn, periods, journeys=[], loose_after_ms=delta.after_ms)))
    for sign, part in parts:
        for r in part:
            row = rows.get((r.query, r.bucket))
            if row is None:
                row = rows[(r.query, r.bucket)] = SearchRow(r.query, r.bucket)
            for name in _COUNTS:
                setattr(row, name, getattr(row, name) + sign * getattr(r, name))
            for side, part in ((row.clients, r.clients), (row.found_clients, r.found_clients)):
                for client, n in part.items():
                    left = side.get(client, 0) + sign * n
                    if left:
                        side[client] = left
                    else:
                        side.pop(client, None)
    return [r for r in rows.values() if r.searches]


_COUNTS = ("searches", "zero", "clicked", "yes", "bad", "contact", "abandoned", "failed", "answered")


def _copy(row: SearchRow) -> SearchRow:
    return SearchRow(row.query, row.bucket, *(getattr(row, name) for name in _COUNTS), journeys=list(row.journeys),
                     clients=dict(row.clients), found_clients=dict(row.found_clients))


def columns(found: list[Evidence]) -> tuple[list, ...]:
    """The evidence as five plain lists (wording, item, journey, client, time), repeated
    strings shared, so the memo stores and reads it quickly."""
    shared: dict = {}
    out: tuple[list, ...] = ([], [], [], [], [])
    for ev in found:
        out[0].append(shared.setdefault(ev.wording, ev.wording))
        out[1].append(shared.setdefault(ev.item_id, ev.item_id))
        out[2].append(ev.journey)
        out[3].append(shared.setdefault(ev.client, ev.client))
        out[4].append(ev.at_ms)
    return out


def evidence_now(conn: Connection, since_ms: int, until_ms: int, before, delta: Delta) -> list[Evidence]:
    """The period's learned evidence now, from the last run's (``columns``, as the memo stored
    them, read back with ``store_memo.load``): the changed journeys' evidence is read again,
    every other journey's is kept."""
    changed = set(delta.journeys)
    wording, item, journey, client, at = before
    found = [Evidence(*row) for row in zip(wording, item, journey, client, at) if row[2] not in changed]
    for start in range(0, len(delta.journeys), CHUNK):
        found += evidence(conn, since_ms=since_ms, until_ms=until_ms, journeys=list(delta.journeys[start:start + CHUNK]))
    return found


class RememberedReached:
    """``topic_evidence.reached_after`` for the report, remembered per query in the store
    memo: read back on an unchanged store; on a store that only grew, a query the last run
    asked about is brought up to date from the new events' journeys (where failed journeys
    went next is a sum over journeys), a query it did not ask about is computed."""

    def __init__(self, memo, conn: Connection, periods: Periods, kind: str = "search"):
        self.memo, self.conn, self.periods, self.kind = memo, conn, periods, kind
        self.name = f"reached_after:{kind}"
        hit, known = memo.recall(self.name)
        self.known: dict = known if hit else {}
        ok, before = (False, None) if hit or memo.delta is None else memo.previous(self.name)
        self.before: dict = before if ok else {}

    def __call__(self, queries: list[str]) -> dict:
        from collections import Counter

        from carebase.report.topic_evidence import reached_after

        wanted = list(dict.fromkeys(queries))
        missing = [q for q in wanted if q not in self.known]
        if missing:
            again = [q for q in missing if q in self.before]
            fresh = [q for q in missing if q not in self.before]
            self.known.update({q: Counter() for q in fresh})
            self.known.update(reached_after(self.conn, self.periods, fresh, self.kind) if fresh else {})
            if again:
                journeys, after = self.memo.delta.journeys, self.memo.delta.after_ms
                counts = {q: Counter(self.before[q]) for q in again}
                for start in range(0, len(journeys), CHUNK):
                    chunk = list(journeys[start:start + CHUNK])
                    for sign, upto in ((-1, after), (1, None)):
                        part = reached_after(self.conn, self.periods, again, self.kind, journeys=chunk, upto_ms=upto)
                        for q, found in part.items():
                            for key, n in found.items():
                                counts[q][key] += sign * n
                for q, c in counts.items():  # in the order the database groups them (item, next query)
                    self.known[q] = Counter(dict(sorted(((k, n) for k, n in c.items() if n > 0),
                                                        key=lambda kv: (kv[0][0], kv[0][1] or ""))))
            self.memo.put(self.name, self.known)
        return {q: self.known[q] for q in wanted if self.known[q]}
