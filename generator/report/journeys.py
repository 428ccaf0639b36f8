"""Journeys: what happened after each search (click, "Yes", "No", contact support).
SQLAlchemy Core over the events table (where failed journeys went next:
topic_evidence.reached_after)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, case, false, func, literal, null, select
from sqlalchemy.engine import Connection

from carebase.report.period import DAY_MS, Periods
from carebase.report.queries import CUR, _bucket, helpful_expr, noindex, unhelpful_expr
from carebase.store.schema import events, has_client_column

# the journeys whose result clicks are not logged: the search page without JavaScript's
# (carebase.service.search_page.new_journey), never counted "results shown, nothing clicked"
NO_CLICKS = "nojs-"


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
    abandoned: int = 0  # results shown, journey known (one that logs clicks), nothing clicked, no answer taken
    failed: int = 0  # zero, abandoned, bad or contact
    answered: int = 0  # results shown, nothing clicked, and the Ask box's answer to it taken (``_answers_taken``)
    journeys: list = field(default_factory=list)
    clients: dict = field(default_factory=dict)  # current period: client hash ("" none) → failed searches
    found_clients: dict = field(default_factory=dict)  # current period: client hash → the other searches


def search_outcomes(conn: Connection, periods: Periods, *, journeys: list[str] | None = None,
                    upto_ms: int | None = None, loose_after_ms: int | None = None) -> list[SearchRow]:
    """Every distinct query string per period with what happened after it.

    Set-based, so it scales with the table rather than with lookups per search: the
    period's clicks are joined to the votes of the same journey on the clicked item, and
    grouped per (journey, query); contacts are grouped per journey (latest time). Each
    search then joins those two small relations on its journey (and query).

    A search's outcome depends only on its own journey's events, so the rows are a sum over
    journeys; the keywords compute one part of that sum (``store_delta``): only the searches
    of ``journeys`` (and their journeys' events), only events received up to ``upto_ms``,
    or, with ``loose_after_ms``, only the searches without a journey received after it.

    ``clients``: the current period's failed searches per client hash ("": none, under
    Do-Not-Track or from a store before migration 0003), so the backlog can weigh a need by
    the customers who raised it rather than by one client's repeats (``missing.counted``);
    ``found_clients``: its other (successful) searches per client hash, so whether a row's
    searches mostly succeed is counted by client too (``topic_actions.Classifier.decide``)."""
    lo, hi = periods.start_ms, periods.end_ms
    rows: dict[tuple, SearchRow] = {}
    if journeys is not None and not journeys and loose_after_ms is None:
        return []  # no journey: an empty part
    has_client = has_client_column(conn)
    for text, bkt, zero, clicked_, yes, bad, contact, journey, answer, client, count in conn.execute(
            _outcomes_query(periods, lo, hi, journeys, upto_ms, loose_after_ms, has_client)):
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
        taken = not zero and not clicked_ and journey and answer and not contact  # a contact: not taken
        row.answered += count if taken else 0
        abandoned = not zero and not clicked_ and journey and not taken
        row.abandoned += count if abandoned else 0
        failed = bool(zero or abandoned or bad or contact)
        row.failed += count if failed else 0
        if client is not None:
            side = row.clients if failed else row.found_clients
            side[client] = side.get(client, 0) + count
    return list(rows.values())


def _outcomes_query(periods: Periods, lo: int, hi: int, journeys, upto_ms, loose_after_ms, has_client=True):
    s = events.alias("s")
    by_journey = journeys is not None and loose_after_ms is None

    def scope(table, *conditions):
        """The conditions, narrowed to a part of the sum (see ``search_outcomes``); a part
        of some journeys is driven from the journey index (the other indexes are not used)."""
        time, kind = (noindex(table.c.received_ms), noindex(table.c.type)) if by_journey else \
            (table.c.received_ms, table.c.type)
        out = [c(time, kind) for c in conditions]
        if upto_ms is not None:
            out.append(time <= upto_ms)
        if by_journey:
            out.append(table.c.journey.in_(journeys))
        elif loose_after_ms is not None:  # searches without a journey, received after it
            out += [s.c.journey.is_(None), s.c.received_ms > loose_after_ms] if table is s else [false()]
        return out

    def in_range(until):
        return lambda time, kind: and_(time >= lo, time < until)

    def of(name):
        return lambda time, kind: kind == name

    v = (
        select(events.c.journey, events.c.item_id,
               func.max(case((helpful_expr(events), 1), else_=0)).label("yes"),
               func.max(case((unhelpful_expr(events), 1), else_=0)).label("bad"))
        .where(events.c.journey.is_not(None), *scope(events, of("vote"), in_range(hi + DAY_MS)))  # outcomes may trail a little
        .group_by(events.c.journey, events.c.item_id)
        .subquery("jv")
    )
    c = events.alias("c")
    clicks = (
        select(c.c.journey, c.c.query, func.max(func.coalesce(v.c.yes, 0)).label("yes"),
               func.max(func.coalesce(v.c.bad, 0)).label("bad"))
        .select_from(c.outerjoin(v, and_(v.c.journey == c.c.journey, v.c.item_id == c.c.item_id)))
        .where(c.c.journey.is_not(None), *scope(c, of("click"), in_range(hi + DAY_MS)))
        .group_by(c.c.journey, c.c.query)
        .subquery("jc")
    )
    k = events.alias("k")
    contacts = (
        select(k.c.journey, func.max(k.c.received_ms).label("last"))
        .where(k.c.journey.is_not(None), *scope(k, of("contact"), in_range(hi + DAY_MS)))
        .group_by(k.c.journey)
        .subquery("jk")
    )
    answers = _answers_taken(scope, in_range(hi + DAY_MS), of("ask"), upto_ms)
    # a journey that can record clicks: not one of the search page without JavaScript, whose result
    # clicks are not logged (search_page.NO_CLICKS), so its searches with results are never "not clicked"
    has_journey = and_(s.c.journey.is_not(None), ~s.c.journey.startswith(NO_CLICKS, autoescape=True))
    bucket = _bucket(s.c.received_ms, periods)
    flags = [
        case((s.c.results == 0, 1), else_=0),
        case((clicks.c.journey.is_not(None), 1), else_=0),
        func.coalesce(clicks.c.yes, 0),
        func.coalesce(clicks.c.bad, 0),
        case((contacts.c.last >= s.c.received_ms, 1), else_=0),
        case((has_journey, 1), else_=0),
        case((answers.c.journey.is_not(None), 1), else_=0),
    ]
    who = func.coalesce(s.c.client, literal("")) if has_client else literal("")
    # the client of the current period's searches (failed or not): the comparison period's group as before
    flags.append(case((bucket == CUR, who), else_=null()))
    where = scope(s, of("search"), in_range(hi))
    return (
        select(s.c.query, bucket, *flags, func.count())
        .select_from(
            s.outerjoin(clicks, and_(clicks.c.journey == s.c.journey, clicks.c.query == s.c.query))
            .outerjoin(contacts, contacts.c.journey == s.c.journey)
            .outerjoin(answers, and_(answers.c.journey == s.c.journey, answers.c.query == s.c.query)))
        .where(*where)
        .group_by(s.c.query, bucket, *flags)
    )


def _answers_taken(scope, in_range, of_ask, upto_ms):
    """(journey, query) of the searches whose question the Ask box answered (an ``ask`` event
    with an answer, ``value`` 1, in the same journey and for the same query) and whose answer the
    customer took: no "No" after it (an ``escalated`` outcome in the journey) and no search for
    another query after it in the journey. Such a search with nothing clicked is not "results
    shown, nothing clicked": the customer read the answer on the page (session 41's audit: the
    report asked to write "Hot water boost", which the Ask box had answered). A "contact
    support" after it still makes it failed (the search's contact flag). Asks are few: the two
    checks run per ask, on the journey index. Their type and time are ``noindex``: SQLite chose
    the (type, received_ms) index and so read every outcome and search received after each ask
    in the whole store (quadratic in asks x searches)."""
    a, o, n = events.alias("a"), events.alias("o"), events.alias("n")
    o_time, n_time = noindex(o.c.received_ms), noindex(n.c.received_ms)
    upto = [] if upto_ms is None else [o_time <= upto_ms]
    said_no = (select(o.c.journey).where(o.c.journey == a.c.journey, noindex(o.c.type) == "outcome",
                                         o.c.outcome == "escalated", o_time >= a.c.received_ms, *upto)
               .exists())
    upto = [] if upto_ms is None else [n_time <= upto_ms]
    searched_again = (select(n.c.journey).where(n.c.journey == a.c.journey, noindex(n.c.type) == "search",
                                                n.c.query != a.c.query, n_time > a.c.received_ms, *upto)
                      .exists())
    return (select(a.c.journey, a.c.query)
            .where(a.c.journey.is_not(None), a.c.value == 1, *scope(a, of_ask, in_range), ~said_no, ~searched_again)
            .group_by(a.c.journey, a.c.query)
            .subquery("ja"))


def answered_by_day(conn: Connection, periods: Periods) -> dict[int, int]:
    """Day (days since 1970, UTC) → the current period's searches the Ask box answered, as
    ``search_outcomes`` counts ``answered``: results shown, in a journey that logs clicks, nothing
    clicked for that query, the Ask box's answer to it taken (``_answers_taken``), no "contact
    support" after it. Driven from the taken answers (asks are few) through the journey index: the
    weekly chart of the Ask box's share (``top.deflection_trend``) costs a pass over asks, not
    over searches."""
    lo, hi = periods.current.since_ms, periods.current.until_ms
    plain = lambda table, *conditions: [c(table.c.received_ms, table.c.type) for c in conditions]  # noqa: E731
    answers = _answers_taken(plain, lambda time, kind: and_(time >= lo, time < hi + DAY_MS),
                             lambda time, kind: kind == "ask", None)
    s, c, k = events.alias("s"), events.alias("c"), events.alias("k")
    s_time = noindex(s.c.received_ms)
    clicked = (select(c.c.journey).where(c.c.journey == s.c.journey, noindex(c.c.type) == "click",
                                         c.c.query == s.c.query, noindex(c.c.received_ms) >= lo,
                                         noindex(c.c.received_ms) < hi + DAY_MS).exists())
    contacted = (select(k.c.journey).where(k.c.journey == s.c.journey, noindex(k.c.type) == "contact",
                                           noindex(k.c.received_ms) >= s.c.received_ms,
                                           noindex(k.c.received_ms) < hi + DAY_MS).exists())
    query = (select(s.c.received_ms)
             .select_from(answers.join(s, and_(s.c.journey == answers.c.journey, s.c.query == answers.c.query)))
             .where(noindex(s.c.type) == "search", s_time >= lo, s_time < hi,
                    func.coalesce(s.c.results, 1) != 0, ~s.c.journey.startswith(NO_CLICKS, autoescape=True),
                    ~clicked, ~contacted))
    out: dict[int, int] = {}
    for (ms,) in conn.execute(query):
        out[ms // DAY_MS] = out.get(ms // DAY_MS, 0) + 1
    return out
