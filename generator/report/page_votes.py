"""A page's votes split by the search that led to them: whose "No" a Fix page holds.

``report.page_needs.near_needs`` asks, of a page voted down more than a typical page, how many
of its votes came from customers who searched for something else (a need no page answers, a
Missing-content gap) and landed on it as the nearest result. The journey links the three events:
a search, a click on the page from that search, a vote on the page in the same journey.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.engine import Connection

from carebase.report.period import DAY_MS, Periods
from carebase.report.queries import VOTES_PER_CLIENT, noindex, unhelpful_expr, votes_capped
from carebase.store.schema import events, has_client_column


def votes_by_search(conn: Connection, periods: Periods, item_ids: list[str]) -> dict[str, dict[str, list[int]]]:
    """item id → the clicked search's wording → [journeys that voted on the item, of them voted "No"],
    for the current period's votes on ``item_ids`` (a journey's votes on one item count once, "No"
    if any said it, as ``journeys.search_outcomes`` counts a search's ``bad``), one client counting
    for at most ``VOTES_PER_CLIENT`` journeys an item, as the page's own votes are counted (its
    Failing content row): one customer's 40 visits cannot outweigh the page's other voters
    (reader 46, R1). Driven from the pages' votes (the type-and-item index) to their journeys'
    clicks (the journey index)."""
    per_client: dict[tuple, dict[str, list[int]]] = {}  # (item, client) → wording → [journeys, "No"]
    v, c = events.alias("v"), events.alias("c")
    since, until = periods.current.since_ms, periods.current.until_ms
    who = func.coalesce(v.c.client, "") if has_client_column(conn) else literal("")
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start:start + 500]
        per_journey = (
            select(v.c.item_id, c.c.query, v.c.journey, func.max(who).label("who"),
                   func.max(case((unhelpful_expr(v), 1), else_=0)).label("bad"))
            .select_from(v.join(c, and_(c.c.journey == v.c.journey, noindex(c.c.type) == "click",
                                        noindex(c.c.item_id) == v.c.item_id)))
            .where(v.c.type == "vote", v.c.item_id.in_(chunk), v.c.journey.is_not(None),
                   v.c.received_ms >= since, v.c.received_ms < until, c.c.query.is_not(None),
                   noindex(c.c.received_ms) >= since - DAY_MS, noindex(c.c.received_ms) < until)
            .group_by(v.c.item_id, c.c.query, v.c.journey)
            .subquery("pj")
        )
        query = (select(per_journey.c.item_id, per_journey.c.who, per_journey.c.query, func.count(),
                        func.sum(func.coalesce(per_journey.c.bad, 0)))
                 .group_by(per_journey.c.item_id, per_journey.c.who, per_journey.c.query))
        for item_id, client, text, n, bad in conn.execute(query):
            per_client.setdefault((item_id, client), {})[text] = [int(n), int(bad or 0)]
    capped = votes_capped(conn, periods) if per_client else False
    out: dict[str, dict[str, list[int]]] = {}
    for (item_id, _), wordings in per_client.items():
        for text, (n, bad) in (_capped(wordings) if capped else wordings).items():
            got = out.setdefault(item_id, {}).setdefault(text, [0, 0])
            got[0] += n
            got[1] += bad
    return {item: {text: got for text, got in sorted(by.items()) if got[0]} for item, by in sorted(out.items())}


def _capped(wordings: dict[str, list[int]]) -> dict[str, list[int]]:
    """One client's journeys on one item, by wording, cut to ``VOTES_PER_CLIENT`` in all: each
    wording keeps its share (the remainder to the largest), and of it the share that said "No"."""
    total = sum(n for n, _ in wordings.values())
    if total <= VOTES_PER_CLIENT:
        return wordings
    order = sorted(wordings, key=lambda t: (-wordings[t][0], t))
    kept = {t: VOTES_PER_CLIENT * wordings[t][0] // total for t in order}
    for i in range(VOTES_PER_CLIENT - sum(kept.values())):
        kept[order[i % len(order)]] += 1
    return {t: [k, (wordings[t][1] * k + wordings[t][0] // 2) // wordings[t][0]] for t, k in kept.items()}
