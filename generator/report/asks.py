"""Questions assistants could not answer (issue 17): the loop closes for bots too.

Every question put to the answer API, the MCP ``answer`` tool or the site's Ask box is an
``ask`` event; a bot may report how the conversation ended with an ``outcome`` event
(``resolved`` / ``escalated``) carrying the same journey. An ask **failed** when the answer
was "no answer", or when its journey was then escalated (an ``escalated`` outcome, or a
"contact support" in the same journey, after the question).

Failed questions go through exactly the pipeline of failed searches
(``missing.missing_section``): the same wording groups, topics by meaning, noise rules,
journey and similarity evidence, gap / findability decisions and stable topic ids (kept
apart from the searches' in the cache folder's ``assistants/``). Their rows are
``SearchRow``s with ``searches`` = questions, ``zero`` = "no answer" and ``contact`` =
escalated.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Connection

from carebase.report.journeys import SearchRow
from carebase.report.period import DAY_MS, Periods
from carebase.report.queries import CMP, CUR, _bucket
from carebase.store.schema import events

CACHE_SUBDIR = "assistants"


def ask_outcomes(conn: Connection, periods: Periods) -> tuple[list[SearchRow], dict]:
    """(one ``SearchRow`` per distinct question and period, the totals per period:
    ``{"current"|"compare": {asks, answered, no_answer, escalated, resolved, failed, by_source}}``)."""
    lo, hi = periods.start_ms, periods.end_ms
    trailing = and_(events.c.received_ms >= lo, events.c.received_ms < hi + DAY_MS)  # outcomes may trail a little
    o = (select(events.c.journey,
                func.max(case((events.c.outcome == "escalated", events.c.received_ms), else_=None)).label("escalated"),
                func.max(case((events.c.outcome == "resolved", events.c.received_ms), else_=None)).label("resolved"))
         .where(events.c.type == "outcome", events.c.journey.is_not(None), trailing)
         .group_by(events.c.journey).subquery("jo"))
    k = events.alias("k")
    contacts = (select(k.c.journey, func.max(k.c.received_ms).label("last"))
                .where(k.c.type == "contact", k.c.journey.is_not(None), k.c.received_ms >= lo,
                       k.c.received_ms < hi + DAY_MS)
                .group_by(k.c.journey).subquery("jk"))
    a = events.alias("a")
    escalated = case((o.c.escalated >= a.c.received_ms, 1), (contacts.c.last >= a.c.received_ms, 1), else_=0)
    resolved = case((o.c.resolved >= a.c.received_ms, 1), else_=0)
    answered = case((a.c.value == 1, 1), else_=0)
    source = func.coalesce(a.c.source, "")
    bucket = _bucket(a.c.received_ms, periods)  # one expression in SELECT and GROUP BY (PostgreSQL compares them)
    query = (select(a.c.query, bucket, answered, escalated, resolved, source, func.count())
             .select_from(a.outerjoin(o, o.c.journey == a.c.journey)
                          .outerjoin(contacts, contacts.c.journey == a.c.journey))
             .where(a.c.type == "ask", a.c.received_ms >= lo, a.c.received_ms < hi)
             .group_by(a.c.query, bucket, answered, escalated, resolved, source))
    rows: dict[tuple, SearchRow] = {}
    totals = {bucket: _empty() for bucket in (CUR, CMP)}
    for text, bucket, was_answered, was_escalated, was_resolved, src, n in conn.execute(query):
        if bucket is None:
            continue
        row = rows.get((text, bucket))
        if row is None:
            row = rows[(text, bucket)] = SearchRow(text or "", bucket)
        failed = not was_answered or was_escalated
        row.searches += n
        row.zero += 0 if was_answered else n
        row.contact += n if was_escalated else 0
        row.failed += n if failed else 0
        t = totals[bucket]
        t["asks"] += n
        t["answered"] += n if was_answered else 0
        t["no_answer"] += 0 if was_answered else n
        t["escalated"] += n if was_escalated else 0
        t["resolved"] += n if was_resolved and was_answered and not was_escalated else 0
        t["failed"] += n if failed else 0
        t["by_source"][src or "api"] = t["by_source"].get(src or "api", 0) + n
    out = {}
    for bucket, t in totals.items():
        asks = t["asks"]
        t["share"] = {key: (t[key] / asks if asks else None)
                      for key in ("answered", "no_answer", "escalated", "resolved", "failed")}
        out["current" if bucket == CUR else "compare"] = t
    return list(rows.values()), out


def _empty() -> dict:
    return {"asks": 0, "answered": 0, "no_answer": 0, "escalated": 0, "resolved": 0, "failed": 0, "by_source": {}}


def assistants_section(catalogue, rows: list[SearchRow], totals: dict, normaliser_factory, replayer, links,
                       reached_after, *, min_searches: int, cache_dir=None, blocks=None) -> dict:
    """The report's ``assistants`` section: ``totals`` and the failed questions' topics
    (``missing.missing_section`` over the ask rows: ``clusters``, ``filled``,
    ``poor_answers``, ``noise`` …). ``normaliser_factory()`` gives a fresh normaliser (the
    questions' words must not change how the searches were analysed); ``reached_after``
    follows ask journeys."""
    from carebase.report import missing

    section = {"totals": totals}
    if not any(r.failed for r in rows):
        section.update(clusters=[], filled=[], poor_answers=[], other_clusters=0, other_failed=0,
                       noise={"failed": 0, "wordings": 0, "examples": [], "topics": {}})
        return section
    sub = Path(cache_dir) / CACHE_SUBDIR if cache_dir else None
    section.update(missing.missing_section(catalogue, rows, normaliser_factory(), replayer, links, reached_after,
                                           min_searches=min_searches, cache_dir=sub, blocks=blocks))
    return section
