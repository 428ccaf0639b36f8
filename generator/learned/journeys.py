"""The evidence: which wordings led to which item, journey by journey.

A journey is the per-tab id the site sends with every event (absent under Do-Not-Track,
so those events never teach anything). Within one journey, in time order:

* an item is **reached** by a result click on it, or by a "Yes" vote on it (after
  browsing there, say);
* a reach **counts** unless the customer's latest vote on that item in the journey is a
  "No", or (for a click without a "Yes") the journey went on to "contact support" after
  the click;
* each search is tied to the items its own segment of the journey reached (from the search
  up to the next search); a search whose segment reached nothing is tied to the items of
  the next segment that reached something ("a click reached by a later search"). A
  clicked result's own query is tied to it too.

``evidence(conn)`` yields one ``Evidence`` per (journey, wording, item): the same pair is
counted once per journey however often it repeats. Its ``client`` is the client's identity:
(the epoch of the salt, the salted hash) (``carebase.service.privacy.ClientHasher``), so two
hashes are told apart as two clients only within one epoch (``ties.proven_clients``). Rows are read in one ordered pass
(journey, time) and folded in Python, so memory is one journey at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from sqlalchemy import case, func, null, select
from sqlalchemy.engine import Connection

from carebase.store.schema import client_columns, events

_TYPE_ORDER = case((events.c.type == "search", 0), (events.c.type == "click", 1), (events.c.type == "vote", 2),
                   else_=3)


@dataclass(frozen=True, slots=True)
class Evidence:
    wording: str  # the query as stored (PII-masked at ingest)
    item_id: str
    journey: str
    # (the epoch of the salt, the salted client hash): the epoch None for events stored before
    # migration 0011; the whole None for events without a hash (before 0003)
    client: tuple[str | None, str] | None
    at_ms: int  # when the search was received


def helpful(scale: str | None, value: int | None) -> bool | None:
    """True for a "Yes" (or a good rating), False for a "No" (or a bad one), None otherwise."""
    if value is None:
        return None
    if scale == "csat":
        return True if value >= 4 else False if value <= 2 else None
    if scale == "ces":
        return True if value >= 5 else False if value <= 3 else None
    return value == 1


def _rows(conn: Connection, since_ms: int | None, until_ms: int | None, have: set[str],
          journeys: list[str] | None = None):
    at = func.coalesce(events.c.client_ms, events.c.received_ms)
    # a store before migration 0003 / 0011 (opened without migrating)
    client = events.c.client if "client" in have else null().label("client")
    epoch = events.c.client_epoch if "client_epoch" in have else null().label("client_epoch")
    query = select(events.c.journey, events.c.type, events.c.item_id, events.c.query, events.c.value,
                   events.c.scale, events.c.received_ms, client, epoch).where(events.c.journey.is_not(None))
    received = events.c.received_ms if journeys is None else events.c.received_ms + 0  # from the journey index
    if journeys is not None:
        query = query.where(events.c.journey.in_(journeys))
    if since_ms is not None:
        query = query.where(received >= since_ms)
    if until_ms is not None:
        query = query.where(received < until_ms)
    return conn.execution_options(stream_results=True, yield_per=5000).execute(
        query.order_by(events.c.journey, at, _TYPE_ORDER, events.c.received_ms))


def evidence(conn: Connection, *, since_ms: int | None = None, until_ms: int | None = None,
             journeys: list[str] | None = None) -> Iterator[Evidence]:
    """Every (journey, wording, item) the journeys support (see the module docstring); with
    ``journeys``, only theirs (a journey's evidence depends on its own events only)."""
    have = client_columns(conn)
    journey, rows = None, []
    for row in _rows(conn, since_ms, until_ms, have, journeys):
        if row[0] != journey:
            if rows:
                yield from fold(journey, rows)
            journey, rows = row[0], []
        rows.append((*row[1:7], None if row[7] is None else (row[8], row[7])))
    if rows:
        yield from fold(journey, rows)


def fold(journey: str, rows: Iterable[tuple]) -> list[Evidence]:
    """The evidence of one journey; ``rows`` are (type, item, query, value, scale,
    received_ms, client) in time order (``client``: (epoch, hash) or None)."""
    searches: list[tuple[int, str, int, str | None]] = []  # (position, query, received_ms, client)
    first_click: dict[str, int] = {}
    click_queries: dict[str, list[tuple[str, int, str | None]]] = {}
    last_vote: dict[str, tuple[int, bool | None]] = {}
    contacts: list[int] = []
    for pos, (kind, item, query, value, scale, received, client) in enumerate(rows):
        if kind == "search":
            if query:
                searches.append((pos, query, received, client))
        elif kind == "click" and item:
            first_click.setdefault(item, pos)
            if query:
                click_queries.setdefault(item, []).append((query, received, client))
        elif kind == "vote" and item:
            last_vote[item] = (pos, helpful(scale, value))
        elif kind == "contact":
            contacts.append(pos)
    reached: dict[str, int] = {}  # item → the position it was first reached at
    for item in set(first_click) | set(last_vote):
        verdict = last_vote.get(item, (None, None))[1]
        if verdict is False:
            continue  # the customer said it did not help
        click = first_click.get(item)
        if verdict is True:
            reached[item] = click if click is not None else last_vote[item][0]
        elif click is not None and not any(c > click for c in contacts):
            reached[item] = click
    if not reached:
        return []
    out: dict[tuple[str, str], Evidence] = {}
    pending: list[tuple[str, int, str | None]] = []  # searches whose segment reached nothing yet
    bounds = [p for p, *_ in searches] + [len(rows) + 1]
    for i, (pos, query, received, client) in enumerate(searches):
        pending.append((query, received, client))
        items = [item for item, at in reached.items() if pos <= at < bounds[i + 1]]
        if items:
            for q, when, who in pending:
                for item in items:
                    out.setdefault((q, item), Evidence(q, item, journey, who, when))
            pending = []
    for item, clicks in click_queries.items():
        if item in reached:
            for q, when, who in clicks:
                out.setdefault((q, item), Evidence(q, item, journey, who, when))
    return list(out.values())
