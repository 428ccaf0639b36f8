"""Journeys: what happened after each search (click, "Yes", "No", contact support).
SQLAlchemy Core over the events table (where failed journeys went next:
topic_evidence.reached_after)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Connection

from carebase.report.period import DAY_MS, Periods
from carebase.report.queries import _bucket, helpful_expr, unhelpful_expr
from carebase.store.schema import events


@dataclass
class SearchRow:
    query: str
    bucket: str
    searches: int = 0
    zero: int = 0  # no results shown
    clicked: int = 0  # a result was clicked in the same journey
    yes: int = 0  # … and the clicked item was then voted helpful
    bad: int = 0  # … and the clicked item was then voted unhelpful
    contact: int = 0  # the journey went on to "contact support"
    abandoned: int = 0  # results shown, journey known, nothing clicked
    failed: int = 0  # zero, abandoned, bad or contact
    journeys: list = field(default_factory=list)


def search_outcomes(conn: Connection, periods: Periods) -> list[SearchRow]:
    """Every distinct query string per period with what happened after it.

    Set-based, so it scales with the table rather than with lookups per search: the
    period's clicks are joined to the votes of the same journey on the clicked item, and
    grouped per (journey, query); contacts are grouped per journey (latest time). Each
    search then joins those two small relations on its journey (and query)."""
    lo, hi = periods.start_ms, periods.end_ms
    in_range = and_(events.c.received_ms >= lo, events.c.received_ms < hi + DAY_MS)  # outcomes may trail a little
    v = (
        select(events.c.journey, events.c.item_id,
               func.max(case((helpful_expr(events), 1), else_=0)).label("yes"),
               func.max(case((unhelpful_expr(events), 1), else_=0)).label("bad"))
        .where(events.c.type == "vote", events.c.journey.is_not(None), in_range)
        .group_by(events.c.journey, events.c.item_id)
        .subquery("jv")
    )
    c = events.alias("c")
    clicks = (
        select(c.c.journey, c.c.query, func.max(func.coalesce(v.c.yes, 0)).label("yes"),
               func.max(func.coalesce(v.c.bad, 0)).label("bad"))
        .select_from(c.outerjoin(v, and_(v.c.journey == c.c.journey, v.c.item_id == c.c.item_id)))
        .where(c.c.type == "click", c.c.journey.is_not(None), c.c.received_ms >= lo, c.c.received_ms < hi + DAY_MS)
        .group_by(c.c.journey, c.c.query)
        .subquery("jc")
    )
    k = events.alias("k")
    contacts = (
        select(k.c.journey, func.max(k.c.received_ms).label("last"))
        .where(k.c.type == "contact", k.c.journey.is_not(None), k.c.received_ms >= lo, k.c.received_ms < hi + DAY_MS)
        .group_by(k.c.journey)
        .subquery("jk")
    )
    s = events.alias("s")
    has_journey = s.c.journey.is_not(None)
    bucket = _bucket(s.c.received_ms, periods)
    flags = [
        case((s.c.results == 0, 1), else_=0),
        case((clicks.c.journey.is_not(None), 1), else_=0),
        func.coalesce(clicks.c.yes, 0),
        func.coalesce(clicks.c.bad, 0),
        case((contacts.c.last >= s.c.received_ms, 1), else_=0),
        case((has_journey, 1), else_=0),
    ]
    query = (
        select(s.c.query, bucket, *flags, func.count())
        .select_from(
            s.outerjoin(clicks, and_(clicks.c.journey == s.c.journey, clicks.c.query == s.c.query))
            .outerjoin(contacts, contacts.c.journey == s.c.journey))
        .where(s.c.type == "search", s.c.received_ms >= lo, s.c.received_ms < hi)
        .group_by(s.c.query, bucket, *flags)
    )
    rows: dict[tuple, SearchRow] = {}
    for text, bkt, zero, clicked_, yes, bad, contact, journey, count in conn.execute(query):
        if bkt is None:
            continue
        row = rows.get((text, bkt))
        if row is None:
            row = rows[(text, bkt)] = SearchRow(text or "", bkt)
        row.searches += count
        row.zero += zero * count
        row.clicked += clicked_ * count
        row.yes += yes * count
        row.bad += bad * count
        row.contact += contact * count
        abandoned = not zero and not clicked_ and journey
        row.abandoned += count if abandoned else 0
        row.failed += count if (zero or abandoned or bad or contact) else 0
    return list(rows.values())
