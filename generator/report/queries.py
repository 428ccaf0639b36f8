"""SQL aggregates over the events table (SQLAlchemy Core; SQLite and PostgreSQL).

Every figure in the report comes from these few grouped queries, so the report's cost
is a handful of scans of the events table, whatever the number of items or queries.

Votes: the latest row per ``vote_key`` wins (a visitor who changes their mind counts
once, with their last answer); rows without a key each count. A vote is bucketed into
the current or the comparison period by the time of that latest row.

One client counts for at most ``VOTES_PER_CLIENT`` votes per item and period (``client``: the
service's salted daily hash of the sender; votes without one, under Do-Not-Track, together
count as one client): a client that sends a storm of votes with fresh keys weighs what one
household weighs. The votes beyond that are not counted (``VoteRow.capped``) and the report
says so. When the periods' votes carry fewer than two client hashes (a store before migration
0003, or a service behind a proxy without ``--proxy-headers``) votes are counted as before.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

from sqlalchemy import and_, case, event, func, literal, or_, select, text
from sqlalchemy.engine import Connection

from carebase.report.period import DAY_MS, Periods
from carebase.store.schema import events, has_client_column

CUR, CMP = "cur", "cmp"
VOTES_PER_CLIENT = 3  # votes one client counts for, per item and period
SEARCHES_PER_CLIENT = 3  # failed searches one client counts for, per missing-content row (missing.evidence)


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
    capped: int = 0  # votes beyond VOTES_PER_CLIENT from one client: not counted
    capped_clients: set = field(default_factory=set)  # the clients whose votes were capped


def _vote_groups(periods: Periods, rows):
    """Group vote rows by item, revision, period, and (for unhelpful votes in the current
    period) reason; the flags are grouping keys, so each vote is classified once."""
    bucket = _bucket(rows.c.received_ms, periods)
    unhelpful = case((unhelpful_expr(rows), 1), else_=0)
    helpful = case((helpful_expr(rows), 1), else_=0)
    reason = case((and_(unhelpful_expr(rows), bucket == CUR), rows.c.reason), else_=literal(None))
    keys = (rows.c.item_id, rows.c.revision, bucket, reason, unhelpful, helpful)
    return keys, (func.count(), func.min(rows.c.received_ms), func.max(rows.c.received_ms))


def client_of(conn: Connection, table) -> tuple:
    """The event's client hash as a SELECT column ("" none) and the GROUP BY terms it needs:
    none for a store before migration 0003, whose events carry no client (every row "")."""
    if not has_client_column(conn):
        return literal(""), []
    who = func.coalesce(table.c.client, "")
    return who, [who]


def noindex(column):
    """The column as an expression no index serves (``x || ''`` / ``x + 0``), so the
    planner drives the query from the index on another, more selective condition."""
    return column.op("||")("") if column.type.python_type is str else column + 0


def _in(column, period):
    return and_(column >= period.since_ms, column < period.until_ms)


def _per_bucket(periods: Periods):
    """(bucket name, SQL condition) for the current period, the comparison period, and
    every other vote before the end (kept for the revision history)."""
    ms = events.c.received_ms
    cur, cmp_ = _in(ms, periods.current), _in(ms, periods.compare)
    return ((CUR, cur), (CMP, and_(cmp_, ~cur)), (None, ~or_(cur, cmp_)))


def vote_counts(conn: Connection, periods: Periods) -> tuple[list[VoteRow], dict[str, dict[str, int]]]:
    """Votes per item, revision and period (all history before the end, for revisions),
    and the reasons given with unhelpful votes in the current period (item → reason → n).

    One pass grouped by (item, revision) only, with the periods and the helpful/unhelpful
    split as conditional sums: the (type, item_id, revision, …) covering index hands the
    rows over already in that order, so SQLite neither sorts nor reads the table.

    Latest vote per key, cheaply: count every vote, then take away the rows that a later
    vote with the same key replaced (only keys seen more than once are looked at)."""
    end = periods.end_ms
    ms = events.c.received_ms
    unhelpful, helpful = unhelpful_expr(events), helpful_expr(events)
    columns = []
    for _name, inside in _per_bucket(periods):
        columns += [_count_if(inside), _count_if(and_(inside, unhelpful)), _count_if(and_(inside, helpful)),
                    func.min(case((inside, ms))), func.max(case((inside, ms)))]
    every = (select(events.c.item_id, events.c.revision, *columns)
             .where(events.c.type == "vote", ms < end)
             .group_by(events.c.item_id, events.c.revision))
    merged: dict[tuple, VoteRow] = {}
    buckets = [name for name, _ in _per_bucket(periods)]
    for item_id, revision, *values in conn.execute(every):
        for i, bucket in enumerate(buckets):
            n, bad, good, first, last = values[i * 5:i * 5 + 5]
            if n:
                merged[(item_id, revision, bucket)] = VoteRow(item_id, revision, bucket, int(n), int(bad or 0),
                                                              int(good or 0), first, last)
    reasons: dict[str, dict[str, int]] = {}
    given = (select(events.c.item_id, events.c.reason, func.count())
             .where(events.c.type == "vote", _in(ms, periods.current), events.c.reason.is_not(None),
                    events.c.reason != "", unhelpful)
             .group_by(events.c.item_id, events.c.reason))
    for item_id, reason, n in conn.execute(given):
        reasons.setdefault(item_id, {})[reason] = n
    for (item_id, revision, bucket, reason, bad, good), n in _replaced(conn, periods):
        row = merged.get((item_id, revision, bucket))
        if row is None:
            continue
        row.n -= n
        row.unhelpful -= n * bad
        row.helpful -= n * good
        _take_reason(reasons, item_id, reason, n)
    _cap_per_client(conn, periods, merged, reasons)
    for by_item in [k for k, v in reasons.items() if not v]:
        del reasons[by_item]
    return [row for row in merged.values() if row.n > 0 or row.capped], reasons


def _take_reason(reasons: dict, item_id: str, reason, n: int) -> None:
    """``n`` fewer votes giving ``reason`` on the item (a reason no vote gives any more goes)."""
    if reason and item_id in reasons and reason in reasons[item_id]:
        reasons[item_id][reason] -= n
        if reasons[item_id][reason] <= 0:
            del reasons[item_id][reason]


def votes_capped(conn: Connection, periods: Periods) -> bool:
    """Whether votes are counted per client (``VOTES_PER_CLIENT``): not in a store before
    migration 0003 (no client column), nor when the periods' votes carry fewer than two client
    hashes (a store before 0003, a proxy without --proxy-headers)."""
    if not has_client_column(conn):
        return False
    ms = events.c.received_ms
    in_periods = or_(_in(ms, periods.current), _in(ms, periods.compare))
    first = conn.execute(select(events.c.client).where(events.c.type == "vote", in_periods,
                                                       events.c.client.is_not(None)).limit(1)).first()
    return first is not None and conn.execute(select(events.c.client).where(
        events.c.type == "vote", in_periods, events.c.client.is_not(None),
        events.c.client != first[0]).limit(1)).first() is not None


def _cap_per_client(conn: Connection, periods: Periods, merged: dict, reasons: dict) -> None:
    """Take away, per item and period, each client's votes beyond ``VOTES_PER_CLIENT``
    (votes: distinct ``vote_key``s, a vote without a key its own): only the few (item,
    client) pairs over the cap are read in detail. The votes taken away are the client's
    own mix of answers, spread over its (revision, answer, reason) groups by their size."""
    if not votes_capped(conn, periods):
        return
    ms = events.c.received_ms
    in_periods = or_(_in(ms, periods.current), _in(ms, periods.compare))
    per_client = _heavy_clients(conn, periods, in_periods)
    for (item_id, client, bkt), groups in per_client.items():
        total = sum(g[4] for g in groups)
        excess = total - VOTES_PER_CLIENT
        groups.sort(key=lambda g: (-g[4], str(g[0]), -g[1], str(g[3])))
        taken = [excess * g[4] // total for g in groups]
        for i in range(excess - sum(taken)):  # the remainder, from the largest groups
            taken[i % len(groups)] += 1
        for (revision, bad, good, why, _), k in zip(groups, taken):
            row = merged.get((item_id, revision, bkt))
            if row is None or not k:
                continue
            k = min(k, row.n)
            row.n -= k
            row.unhelpful = max(0, row.unhelpful - k * bad)
            row.helpful = max(0, row.helpful - k * good)
            row.capped += k
            row.capped_clients.add(client)
            _take_reason(reasons, item_id, why, k)


def _heavy_clients(conn: Connection, periods: Periods, in_periods) -> dict[tuple, list]:
    """(item, client, bucket) → its votes grouped by [revision, unhelpful, helpful, reason, distinct
    votes], for the pairs over ``VOTES_PER_CLIENT`` distinct votes in a period, pairs and groups in
    the order of their keys (as a GROUP BY over them lists them: NULL first, then text).

    Two plain passes over the periods' votes, grouped in Python: a GROUP BY (item, client, period)
    sorts every vote (~865,000 groups of one vote at 1 M votes: most of the report's SQL time),
    while only a few thousand pairs have more than one. The first pass counts the rows of each
    pair by the hash of its key, in a flat array (8 bytes a vote); a pair with more than
    ``VOTES_PER_CLIENT`` rows may be over the cap (a hash shared by two pairs only adds a
    candidate); the second pass keeps the candidates' votes and counts them exactly. The flags
    and the bucket are the SQL expressions the counts always used, so a vote is classified as
    before."""
    import numpy as np

    who = func.coalesce(events.c.client, literal(""))
    bucket = _bucket(events.c.received_ms, periods)
    votes = (events.c.type == "vote", in_periods)
    hashes = array("q", (hash((item_id, client, bkt))
                         for item_id, client, bkt in conn.execute(select(events.c.item_id, who, bucket).where(*votes))))
    found, counts = np.unique(np.frombuffer(hashes, dtype=np.int64), return_counts=True) if hashes else ([], [])
    del hashes
    candidates = set(found[counts > VOTES_PER_CLIENT].tolist()) if len(found) else set()
    if not candidates:
        return {}
    vote = func.coalesce(events.c.vote_key, events.c.event_id)
    unhelpful = case((unhelpful_expr(events), 1), else_=0)
    helpful = case((helpful_expr(events), 1), else_=0)
    reason = case((and_(unhelpful_expr(events), bucket == CUR), events.c.reason), else_=literal(None))
    pairs: dict[tuple, dict[tuple, set]] = {}
    for item_id, client, bkt, revision, bad, good, why, key in conn.execute(
            select(events.c.item_id, who, bucket, events.c.revision, unhelpful, helpful, reason, vote).where(*votes)):
        if item_id is None or hash((item_id, client, bkt)) not in candidates:
            continue
        pairs.setdefault((item_id, client, bkt), {}).setdefault((revision, bad, good, why), set()).add(key)
    out: dict[tuple, list] = {}
    for pair in sorted(pairs, key=lambda k: tuple(map(_sql_order, k))):
        groups = pairs[pair]
        if len(set().union(*groups.values())) <= VOTES_PER_CLIENT:
            continue
        out[pair] = [[*g, len(groups[g])] for g in sorted(groups, key=lambda k: tuple(map(_sql_order, k)))]
    return out


def _sql_order(value) -> tuple:
    """A sort key ordering values as SQL's GROUP BY lists them (SQLite: NULL, numbers, text, blobs)."""
    if value is None:
        return (0,)
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, value) if isinstance(value, str) else (3, value)


def _replaced(conn: Connection, periods: Periods):
    """Vote rows that a later vote with the same ``vote_key`` replaced, grouped like a
    vote is counted: ((item, revision, bucket, reason, unhelpful, helpful), n)."""
    end = periods.end_ms
    repeated = (select(events.c.vote_key).where(events.c.vote_key.is_not(None))
                .group_by(events.c.vote_key).having(func.count() > 1))
    rank = func.row_number().over(partition_by=events.c.vote_key,
                                  order_by=(events.c.received_ms.desc(), events.c.event_id.desc()))
    ranked = (select(events.c.item_id, events.c.revision, events.c.received_ms, events.c.value, events.c.scale,
                     events.c.reason, rank.label("rn"))
              .where(events.c.vote_key.in_(repeated), noindex(events.c.type) == "vote", noindex(events.c.received_ms) < end)
              .subquery("ranked"))
    keys, aggregates = _vote_groups(periods, ranked)
    replaced = select(*keys, aggregates[0]).where(ranked.c.rn > 1).group_by(*keys)
    for *key, n in conn.execute(replaced):
        yield tuple(key), n


def recent_comments(conn: Connection, periods: Periods, item_ids: list[str], per_item: int = 3) -> dict[str, list[dict]]:
    """The latest comments (with their vote) on the given items in the current period,
    comments on unhelpful votes first (they say what to fix); one comment per client (a
    client's storm of comments shows once, beside other customers' words); each text once,
    ``times`` saying how many customers wrote it (case, spaces and a closing stop aside: the
    demo's "This is out of date since the redesign." three times in a row of three)."""
    out: dict[str, list[dict]] = {}
    has_client = has_client_column(conn)
    heard: dict[str, set] = {}
    said: dict[tuple, dict] = {}  # (item, the text folded) → its listed entry
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start:start + 500]
        query = (
            select(events.c.item_id, events.c.comment, events.c.value, events.c.scale, events.c.reason,
                   events.c.received_ms, events.c.client if has_client else literal(None))
            .where(events.c.type == "vote", events.c.item_id.in_(chunk), events.c.comment.is_not(None),
                   events.c.comment != "", events.c.received_ms >= periods.current.since_ms,
                   events.c.received_ms < periods.current.until_ms)
            .order_by(events.c.item_id, case((unhelpful_expr(events), 0), else_=1), events.c.received_ms.desc(),
                      events.c.event_id)
        )
        for item_id, comment, value, scale, reason, ms, client in conn.execute(query):
            bucket = out.setdefault(item_id, [])
            seen = heard.setdefault(item_id, set())
            if client is not None:
                if client in seen:
                    continue
                seen.add(client)
            text = (item_id, " ".join(comment.lower().split()).rstrip(" .!"))
            if text in said:
                said[text]["times"] += 1
            elif len(bucket) < per_item:
                said[text] = {"comment": comment, "value": value, "scale": scale or "helpful",
                              "reason": reason or "", "ms": ms, "times": 1}
                bucket.append(said[text])
    return out


def item_traffic(conn: Connection, periods: Periods) -> dict[str, dict[str, int]]:
    """Clicks landing on each item and contacts started from it, per period: one pass
    grouped by (type, item), in the order of the (type, item_id, …) covering index."""
    out: dict[str, dict[str, int]] = {}
    ms = events.c.received_ms
    query = (
        select(events.c.type, events.c.item_id, _count_if(_in(ms, periods.current)), _count_if(_in(ms, periods.compare)))
        .where(events.c.type.in_(("click", "contact")), events.c.item_id.is_not(None),
               ms >= min(periods.current.since_ms, periods.compare.since_ms),
               ms < max(periods.current.until_ms, periods.compare.until_ms))
        .group_by(events.c.type, events.c.item_id)
    )
    for kind, item_id, cur, cmp_ in conn.execute(query):
        counts = out.setdefault(item_id, {})
        if cur:
            counts[f"{kind}s_{CUR}"] = int(cur)
        if cmp_:
            counts[f"{kind}s_{CMP}"] = int(cmp_)
    return {k: v for k, v in out.items() if v}


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


def views(conn: Connection, periods: Periods) -> dict[str, int]:
    """Page views per item in the current period (``item_views``, store migration 0005; {}
    on an older database or when the site sends none). Counted per UTC day, so a period is
    counted in whole days."""
    from sqlalchemy import inspect

    from carebase.store.schema import item_views

    if not inspect(conn).has_table("item_views"):
        return {}
    first, last = periods.current.since_ms // DAY_MS, (periods.current.until_ms - 1) // DAY_MS
    query = (select(item_views.c.item_id, func.sum(item_views.c.views))
             .where(item_views.c.day >= first, item_views.c.day <= last).group_by(item_views.c.item_id))
    return {item_id: int(n) for item_id, n in conn.execute(query)}


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


def ensure_statistics(engine) -> str:
    """PostgreSQL only: make sure the planner has statistics on the events table.

    A table never analysed (filled by a bulk load or a restore a moment ago, before
    autovacuum got to it) makes the planner guess a handful of rows, and the journey joins
    then run as nested loops over a million searches: minutes instead of seconds. When
    the table has never been analysed, run ``ANALYZE events`` (it reads a sample and
    writes only planner statistics, as autovacuum would). Returns a note for the user
    when that was needed or not permitted; "" otherwise."""
    if engine.dialect.name != "postgresql":
        return ""
    with engine.connect() as conn:
        row = conn.execute(text("SELECT last_analyze, last_autoanalyze FROM pg_stat_user_tables "
                                "WHERE relname = 'events' AND schemaname = current_schema()")).first()
    if row is not None and (row[0] is not None or row[1] is not None):
        return ""
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE events"))
    except Exception as exc:  # not the table's owner, read-only replica, …
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return (f"PostgreSQL has no planner statistics for the events table and ANALYZE was refused ({reason}): "
                "the report may be slow; run ANALYZE events as the table's owner, or wait for autovacuum")
    return "the events table had no planner statistics yet: ran ANALYZE events first"


def latest_event_ms(conn: Connection) -> int | None:
    """The newest event's time: one (type, received_ms) index probe per type, no scan; a day
    with page views only (``item_views``, counted per UTC day) counts from its first moment,
    so the default period ends with the latest day anything was received."""
    from sqlalchemy import inspect

    from carebase.store.schema import item_views

    latest = [conn.execute(select(func.max(events.c.received_ms)).where(events.c.type == kind)).scalar()
              for kind in ("vote", "search", "click", "contact")]
    if inspect(conn).has_table("item_views"):
        day = conn.execute(select(func.max(item_views.c.day))).scalar()
        latest.append(None if day is None else int(day) * DAY_MS)
    return max((ms for ms in latest if ms is not None), default=None)

