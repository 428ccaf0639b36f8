"""A page's votes split by the search that led to them: whose "No" a Fix page holds.

``report.page_needs.near_needs`` asks, of a page voted down more than a typical page, how many
of its votes came from customers who searched for something else (a need no page answers, a
Missing-content gap) and landed on it as the nearest result. The journey links the three events:
a search, a click on the page from that search, a vote on the page in the same journey.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Connection

from carebase.report.period import DAY_MS, Periods
from carebase.report.queries import noindex, unhelpful_expr
from carebase.store.schema import events


def votes_by_search(conn: Connection, periods: Periods, item_ids: list[str]) -> dict[str, dict[str, list[int]]]:
    """item id → the clicked search's wording → [journeys that voted on the item, of them voted "No"],
    for the current period's votes on ``item_ids`` (a journey's votes on one item count once, "No"
    if any said it, as ``journeys.search_outcomes`` counts a search's ``bad``). Driven from the
    pages' votes (the type-and-item index) to their journeys' clicks (the journey index)."""
    out: dict[str, dict[str, list[int]]] = {}
    v, c = events.alias("v"), events.alias("c")
    since, until = periods.current.since_ms, periods.current.until_ms
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start:start + 500]
        per_journey = (
            select(v.c.item_id, c.c.query, v.c.journey, func.max(case((unhelpful_expr(v), 1), else_=0)).label("bad"))
            .select_from(v.join(c, and_(c.c.journey == v.c.journey, noindex(c.c.type) == "click",
                                        noindex(c.c.item_id) == v.c.item_id)))
            .where(v.c.type == "vote", v.c.item_id.in_(chunk), v.c.journey.is_not(None),
                   v.c.received_ms >= since, v.c.received_ms < until, c.c.query.is_not(None),
                   noindex(c.c.received_ms) >= since - DAY_MS, noindex(c.c.received_ms) < until)
            .group_by(v.c.item_id, c.c.query, v.c.journey)
            .subquery("pj")
        )
        query = (select(per_journey.c.item_id, per_journey.c.query, func.count(),
                        func.sum(func.coalesce(per_journey.c.bad, 0)))
                 .group_by(per_journey.c.item_id, per_journey.c.query))
        for item_id, text, n, bad in conn.execute(query):
            out.setdefault(item_id, {})[text] = [int(n), int(bad or 0)]
    return out
