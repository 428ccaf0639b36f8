"""SQL aggregates over the events table (SQLAlchemy Core; SQLite and PostgreSQL).

Every figure in the report comes from these few grouped queries, so the report's cost
is a handful of scans of the events table, whatever the number of items or queries.

Votes: the latest row per ``vote_key`` wins (a visitor who changes their mind counts
once, with their last answer); rows without a key each count. A vote is bucketed into
the current or the comparison period by the time of that latest row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, event, func, literal, select
from sqlalchemy.engine import Connection

from carebase.report.period import DAY_MS, Periods
from carebase.store.schema import events

CUR, CMP = "cur", "cmp"


def unhelpful_expr(table):
    """SQL boolean: this vote row counts as unhelpful (see scoring.UNHELPFUL)."""
    return case(
        (table.c.scale == "csat", table.c.value <= 2),
        (table.c.scale == "ces", table.c.value <= 3),
        else_=table.c.value == 0,
    )


def helpful_expr(table):
    return case(
        (table.c.scale == "csat", table.c.value >= 4),
        (table.c.scale == "ces", table.c.value >= 5),
        else_=table.c.value == 1,
    )


def _count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def _bucket(column, periods: Periods):
    cur, cmp_ = periods.current, periods.compare
    return case(
        (and_(column >= cur.since_ms, column < cur.until_ms), literal(CUR)),
        (and_(column >= cmp_.since_ms, column < cmp_.until_ms), literal(CMP)),
        else_=literal(None),
    )


@dataclass
class VoteRow:
    item_id: str
    revision: str | None
    bucket: str | None  # cur / cmp / None (earlier, or between the periods)
    n: int
    unhelpful: int
    helpful: int
    first_ms: int
    last_ms: int


def _vote_groups(periods: Periods, rows):
    """Group vote rows by item, revision, period, and (for unhelpful votes in the current
    period) reason; the flags are grouping keys, so each vote is classified once."""
    bucket = _bucket(rows.c.received_ms, periods)
    unhelpful = case((unhelpful_expr(rows), 1), else_=0)
    helpful = case((helpful_expr(rows), 1), else_=0)
    reason = case((and_(unhelpful_expr(rows), bucket == CUR), rows.c.reason), else_=literal(None))
    keys = (rows.c.item_id, rows.c.revision, bucket, reason, unhelpful, helpful)
    return keys, (func.count(), func.min(rows.c.received_ms), func.max(rows.c.received_ms))


def vote_counts(conn: Connection, periods: Periods) -> tuple[list[VoteRow], dict[str, dict[str, int]]]:
    """Votes per item, revision and period (all history before the end, for revisions),
    and the reasons given with unhelpful votes in the current period (item → reason → n).

    Latest vote per key, cheaply: count every vote, then take away the rows that a later
    vote with the same key replaced (only keys seen more than once are looked at)."""
    end = periods.end_ms
    keys, aggregates = _vote_groups(periods, events)
    every = (select(*keys, *aggregates).where(events.c.type == "vote", events.c.received_ms < end)
             .group_by(*keys))
    repeated = (select(events.c.vote_key).where(events.c.vote_key.is_not(None))
                .group_by(events.c.vote_key).having(func.count() > 1))
    rank = func.row_number().over(partition_by=events.c.vote_key,
                                  order_by=(events.c.received_ms.desc(), events.c.event_id.desc()))
    ranked = (select(events.c.item_id, events.c.revision, events.c.received_ms, events.c.value, events.c.scale,
                     events.c.reason, rank.label("rn"))
              .where(events.c.type == "vote", events.c.received_ms < end, events.c.vote_key.in_(repeated))
              .subquery("ranked"))
    old_keys, old_aggregates = _vote_groups(periods, ranked)
    replaced = select(*old_keys, *old_aggregates).where(ranked.c.rn > 1).group_by(*old_keys)
    totals: dict[tuple, list] = {}
    for *key, n, first, last in conn.execute(every):
        totals[tuple(key)] = [n, first, last]
    for *key, n, _first, _last in conn.execute(replaced):
        totals[tuple(key)][0] -= n
    merged: dict[tuple, VoteRow] = {}
    reasons: dict[str, dict[str, int]] = {}
    for (item_id, revision, bucket, reason, unhelpful, helpful), (n, first, last) in totals.items():
        if n <= 0:
            continue
        row = merged.get((item_id, revision, bucket))
        if row is None:
            row = merged[(item_id, revision, bucket)] = VoteRow(item_id, revision, bucket, 0, 0, 0, first, last)
        row.n += n
        row.unhelpful += n * unhelpful
        row.helpful += n * helpful
        row.first_ms, row.last_ms = min(row.first_ms, first), max(row.last_ms, last)
        if reason:
            by_item = reasons.setdefault(item_id, {})
            by_item[reason] = by_item.get(reason, 0) + n
    return list(merged.values()), reasons


def recent_comments(conn: Connection, periods: Periods, item_ids: list[str], per_item: int = 3) -> dict[str, list[dict]]:
    """The latest comments (with their vote) on the given items in the current period,
    comments on unhelpful votes first (they say what to fix)."""
    out: dict[str, list[dict]] = {}
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start:start + 500]
        query = (
            select(events.c.item_id, events.c.comment, events.c.value, events.c.scale, events.c.reason,
                   events.c.received_ms)
            .where(events.c.type == "vote", events.c.item_id.in_(chunk), events.c.comment.is_not(None),
                   events.c.comment != "", events.c.received_ms >= periods.current.since_ms,
                   events.c.received_ms < periods.current.until_ms)
            .order_by(events.c.item_id, case((unhelpful_expr(events), 0), else_=1), events.c.received_ms.desc(),
                      events.c.event_id)
        )
        for item_id, comment, value, scale, reason, ms in conn.execute(query):
            bucket = out.setdefault(item_id, [])
            if len(bucket) < per_item:
                bucket.append({"comment": comment, "value": value, "scale": scale or "helpful",
                               "reason": reason or "", "ms": ms})
    return out


def item_traffic(conn: Connection, periods: Periods) -> dict[str, dict[str, int]]:
    """Clicks landing on each item and contacts started from it, per period."""
    out: dict[str, dict[str, int]] = {}
    for name, period in ((CUR, periods.current), (CMP, periods.compare)):
        query = (
            select(events.c.type, events.c.item_id, func.count())
            .where(events.c.type.in_(("click", "contact")), events.c.item_id.is_not(None),
                   events.c.received_ms >= period.since_ms, events.c.received_ms < period.until_ms)
            .group_by(events.c.type, events.c.item_id)
        )
        for kind, item_id, count in conn.execute(query):
            out.setdefault(item_id, {})[f"{kind}s_{name}"] = count
    return out


def queries_to_items(conn: Connection, periods: Periods, item_ids: list[str], per_item: int = 5) -> dict[str, list[tuple[str, int]]]:
    """The searches that led to each given item (clicked results), most frequent first."""
    out: dict[str, list[tuple[str, int]]] = {}
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start:start + 500]
        count = func.count().label("count")
        query = (
            select(events.c.item_id, events.c.query, count)
            .where(events.c.type == "click", events.c.item_id.in_(chunk), events.c.query.is_not(None),
                   events.c.received_ms >= periods.current.since_ms, events.c.received_ms < periods.current.until_ms)
            .group_by(events.c.item_id, events.c.query)
        )
        for item_id, text, n in conn.execute(query):
            out.setdefault(item_id, []).append((text, n))
    for item_id, rows in out.items():
        rows.sort(key=lambda r: (-r[1], r[0]))
        del rows[per_item:]
    return out


def daily(conn: Connection, periods: Periods) -> dict[str, dict[int, int]]:
    """Per-day series of the current period: searches, zero-result searches, votes,
    unhelpful votes, contacts. One small query per day, grouped by type only, so the
    (type, received_ms) index serves it without sorting."""
    out: dict[str, dict[int, int]] = {"search": {}, "zero": {}, "vote": {}, "unhelpful": {}, "contact": {}}
    first = periods.current.since_ms // DAY_MS
    last = (periods.current.until_ms - 1) // DAY_MS
    for day in range(first, last + 1):
        query = (
            select(events.c.type, func.count(), _count_if(and_(events.c.type == "search", events.c.results == 0)),
                   _count_if(and_(events.c.type == "vote", unhelpful_expr(events))))
            .where(events.c.type.in_(("search", "vote", "contact")),
                   events.c.received_ms >= max(day * DAY_MS, periods.current.since_ms),
                   events.c.received_ms < min((day + 1) * DAY_MS, periods.current.until_ms))
            .group_by(events.c.type)
        )
        for kind, n, zero, unhelpful in conn.execute(query):
            out[kind][day] = n
            if kind == "search":
                out["zero"][day] = int(zero or 0)
            if kind == "vote":
                out["unhelpful"][day] = int(unhelpful or 0)
    return out


def tune_for_reading(engine) -> None:
    """SQLite only, this connection only: sort in memory with a larger page cache (the
    report's GROUP BYs sort up to a million rows; the default 2 MB cache spills them to
    temporary files). Nothing is written to the database."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute("PRAGMA cache_size=-262144")
        cursor.close()


def latest_event_ms(conn: Connection) -> int | None:
    """The newest event's time: one (type, received_ms) index probe per type, no scan."""
    latest = [conn.execute(select(func.max(events.c.received_ms)).where(events.c.type == kind)).scalar()
              for kind in ("vote", "search", "click", "contact")]
    return max((ms for ms in latest if ms is not None), default=None)


def run_all(conn: Connection, periods: Periods) -> None:
    """The bare aggregate queries, as the benchmark times them (results discarded)."""
    from carebase.report.journeys import search_outcomes

    vote_counts(conn, periods)
    item_traffic(conn, periods)
    search_outcomes(conn, periods)
    daily(conn, periods)
