"""Assemble the whole report (a plain, JSON-ready dict) from a catalogue and an engine."""

from __future__ import annotations

import datetime as dt
import time
from typing import Callable

from sqlalchemy.engine import Engine

from carebase.report import (asks, coverage, failing, findability, journeys, missing, page_needs, page_votes, queries,
                             stale, top)
from carebase.report.background import Background
from carebase.report.evidence import baseline as pooled_baseline
from carebase.report.evidence import gather, pooled_rate
from carebase.report.landed_votes import LandedVotes
from carebase.report.normalise import Normaliser
from carebase.report.period import DAY_MS, Periods
from carebase.report.replay import TermReplayer, headline_text
from carebase.report.store_delta import RememberedReached
from carebase.report.store_memo import StoreMemo

DETAIL_ROWS = 100  # failing rows that get comments and queries attached


def make_normaliser(catalogue) -> Normaliser:
    return Normaliser(catalogue.synonyms, (headline_text(item) for item in catalogue.items()),
                      language=getattr(catalogue, "language", "") or "en")


def lead_blocks(conn, catalogue=None):
    """The phrasings and pairings a lead blocked or marked wrong (``learned_blocks``): never
    suggested by the report, never learned by search. None on a store without the table.
    ``catalogue``: its words are never read as typos of a blocked word (``blocks.catalogue_vocabulary``)."""
    from sqlalchemy import inspect

    from carebase.learned.blocks import Blocks, catalogue_vocabulary, list_blocks

    if not inspect(conn).has_table("learned_blocks"):
        return None
    return Blocks(list_blocks(conn), (lambda: catalogue_vocabulary(catalogue)) if catalogue is not None else frozenset())


def build_report(catalogue, engine: Engine, periods: Periods, links, *, min_votes: int = 10, min_searches: int = 3,
                 replayer=None, normaliser: Normaliser | None = None, source: str = "", cache_dir=None,
                 progress: Callable[[str], None] = lambda message: None) -> dict:
    normaliser = normaliser or make_normaliser(catalogue)
    replayer = replayer or TermReplayer(catalogue, normaliser)
    memo = StoreMemo(cache_dir, engine, periods)  # the event aggregates of an unchanged store, read back
    from carebase.learned.blocks import catalogue_vocabulary

    # learned phrasings and search outcomes, beside the main pass; the lead's blocks with the help
    # centre's words, as the service applies them
    beside = Background(engine, periods, memo=memo, vocabulary=lambda: catalogue_vocabulary(catalogue))
    try:
        report = _build(catalogue, engine, periods, links, beside, memo, min_votes=min_votes,
                        min_searches=min_searches, replayer=replayer, normaliser=normaliser, source=source,
                        cache_dir=cache_dir, progress=progress)
    finally:
        beside.close()
    memo.save()
    return report


def _build(catalogue, engine: Engine, periods: Periods, links, beside: Background, memo: StoreMemo, *, min_votes: int,
           min_searches: int, replayer, normaliser: Normaliser, source: str, cache_dir,
           progress: Callable[[str], None]) -> dict:
    with engine.connect() as conn:
        progress("votes")
        vote_rows, reasons = memo.call("votes", lambda: queries.vote_counts(conn, periods))
        progress("clicks and contacts")
        traffic = memo.call("traffic", lambda: queries.item_traffic(conn, periods))
        blocks = lead_blocks(conn, catalogue)
        from carebase.backlog.topic_links import list_links

        joined_or_split = list_links(conn)  # a lead's "same need" / "two needs" on backlog rows
        evidence, orphans = gather(catalogue, vote_rows, traffic, reasons)
        base = pooled_baseline(evidence)
        progress("failing content")
        rows = failing.failing_rows(catalogue, evidence, links, min_votes=min_votes, baseline=base)
        section = failing.failing_section(rows)
        detail_ids = [r["id"] for r in section[:DETAIL_ROWS]]
        failing.attach_details(
            section[:DETAIL_ROWS],
            memo.call("comments", lambda: queries.recent_comments(conn, periods, detail_ids), detail_ids),
            memo.call("queries_to_items", lambda: queries.queries_to_items(conn, periods, detail_ids), detail_ids))
        progress("searches and journeys")
        search_rows, daily, views = beside.outcomes_result()
        # the Ask box's answered searches by day (its weekly share): only when it answered any
        answered_days = (memo.call("answered_days", lambda: journeys.answered_by_day(conn, periods))
                         if any(r.answered for r in search_rows if r.bucket == queries.CUR) else None)
        progress("missing content (replaying failed searches)")
        # the votes that tell a twin need (a gap) from a page's own customers, asked only of a page a verdict turns on
        landed = LandedVotes(lambda ids: memo.call("votes_by_search", lambda: page_votes.votes_by_search(conn, periods, ids), ids),
                             {r["id"]: r for r in rows}, lambda text: normaliser.analyse(text).key,
                             baseline=base, min_votes=min_votes)
        gaps = missing.missing_section(catalogue, search_rows, normaliser, replayer, links,
                                       RememberedReached(memo, conn, periods, "search"),
                                       min_searches=min_searches, cache_dir=cache_dir, blocks=blocks,
                                       lead_links=joined_or_split, landed=landed)
        # the Fix pages' votes by the search that led to them: which wordings led customers there
        fix_ids = [r["id"] for r in page_needs.fix_pages(section)]
        by_search = {}
        if fix_ids and any(c["status"] == "gap" for c in gaps["clusters"]):
            by_search = memo.call("votes_by_search", lambda: page_votes.votes_by_search(conn, periods, fix_ids), fix_ids)
        # a gap that is a voted-down page's own need: "poor answer" everywhere, from here on
        page_needs.fold(section, gaps["clusters"], catalogue, lambda text: normaliser.analyse(text).key, by_search)
        # a Fix page voted down only by a near need's customers (a gap's): not at fault, no Fix row
        if by_search:
            page_needs.near_needs(section, gaps["clusters"], catalogue, lambda text: normaliser.analyse(text).key,
                                  by_search, baseline=base, min_votes=min_votes)
            if any("near_need" in r for r in section):
                failing.rank(rows)  # such a page after the pages to fix
                section[:] = failing.failing_section(rows)
        # a gap typed in a page's own words, the page shown to them: said on the row (the label stands)
        page_needs.names_page(gaps["clusters"], catalogue, lambda text: normaliser.analyse(text).key)
        progress("words customers used for items they found late")
        learned, gaps["learned"] = findability.learned_rows(beside.learned_evidence(), catalogue, links)
        gaps["keywords"] = findability.keyword_suggestions(conn, periods, catalogue, normaliser, links,
                                                           learned=learned, blocks=blocks, memo=memo,
                                                           by_client=gaps["by_client"]["counted"])
        progress("questions assistants could not answer")
        ask_rows, ask_totals = memo.call("asks", lambda: asks.ask_outcomes(conn, periods))
        assistants = asks.assistants_section(
            catalogue, ask_rows, ask_totals, lambda: make_normaliser(catalogue), replayer, links,
            RememberedReached(memo, conn, periods, "ask"),
            min_searches=min_searches, cache_dir=cache_dir, blocks=blocks)
    today = dt.datetime.fromtimestamp((periods.current.until_ms - 1) / 1000, dt.timezone.utc).date()
    total_clicks = sum(e.clicks for e in evidence.values())
    deflection = coverage.deflection(search_rows)
    for key in ("current", "compare"):  # conversations assistants resolved from the help centre
        deflection[key]["assistants"] = {k: ask_totals[key][k] for k in ("asks", "answered", "resolved", "escalated")}
    votes_cur = sum(e.cur.n for e in evidence.values())
    votes_cmp = sum(e.cmp.n for e in evidence.values())
    stale_section = {"overdue": stale.overdue(catalogue, evidence, links, today),
                     "falling": stale.falling(catalogue, evidence, links, min_votes),
                     "revisions": stale.revisions(catalogue, evidence, links, min_votes)}
    daily_series = _daily_series(daily, periods)
    slipped: dict[str, bool] = {}  # top searches: the wordings whose analysis corrected a typo

    def top_key(query: str):
        analysis = normaliser.analyse(query)
        slipped[query] = any(step.startswith("typo:") for step in analysis.steps)
        return analysis.key

    report = {
        "version": 1,
        "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "period": periods.current.as_dict(), "compare": periods.compare.as_dict(),
        "source": source, "content_root": str(catalogue.root), "min_votes": min_votes,
        "edit_url": getattr(links, "edit_url", None),
        "min_searches": min_searches,
        "replayed_with": getattr(replayer, "name", ""),
        "summary": {
            "items": len(rows), "votes": votes_cur, "votes_compare": votes_cmp,
            "unhelpful_rate": pooled_rate(evidence), "baseline": base,
            "unhelpful_rate_compare": (sum(e.cmp.unhelpful for e in evidence.values()) / votes_cmp) if votes_cmp else None,
            "searches": deflection["current"]["searches"], "searches_compare": deflection["compare"]["searches"],
            "failing": sum(1 for r in section if not r["insufficient"]),
            "gaps": sum(1 for c in gaps["clusters"] if c["status"] == "gap"),
            "noise_searches": gaps["noise"]["failed"],
            "findability": sum(1 for c in gaps["clusters"] if c["status"] == "findability"),
            "poor_answers": sum(1 for c in gaps["clusters"] if c["status"] == "poor answer"),
            "near_need_pages": sum(1 for r in section if not (r.get("near_need") or {}).get("at_fault", True)),
            "keyword_suggestions": len(gaps["keywords"]),
            "overdue": len(stale_section["overdue"]), "orphan_votes": sum(c.n for c in orphans.values()),
            "asks": ask_totals["current"]["asks"], "asks_compare": ask_totals["compare"]["asks"],
            "ask_gaps": sum(1 for c in assistants["clusters"] if c["status"] == "gap"),
        },
        "failing": section,
        "items": rows,
        "missing": gaps,
        "assistants": assistants,
        "stale": stale_section,
        "coverage": {"categories": coverage.categories(catalogue, evidence, gaps),
                     "faq_promotions": coverage.faq_promotions(rows, baseline=base, total_clicks=total_clicks),
                     "videos_without_transcript": coverage.videos_without_transcript(catalogue, links)},
        "deflection": deflection,
        "daily": daily_series,
        "orphans": sorted(({"id": k, "n": c.n, "unhelpful": c.unhelpful} for k, c in orphans.items()),
                          key=lambda r: (-r["n"], r["id"])),
        "top": {"searches": top.searches(search_rows, top_key, slip=slipped.get,
                                         by_client=gaps["by_client"]["counted"]),
                "pages": top.pages(rows, _fold_views(catalogue, views)),
                "deflection_trend": top.deflection_trend(daily_series, answered_days, periods)},
    }
    progress("backlog")
    from carebase.backlog.assemble import assemble

    with engine.connect() as conn:
        report["backlog"] = assemble(report, catalogue, conn, lambda text: normaliser.analyse(text).key,
                                     now_ms=int(time.time() * 1000), min_votes=min_votes)
    report["summary"]["backlog"] = sum(1 for r in report["backlog"]["rows"] if r["status"] in ("open", "in_progress"))
    return report


def _fold_views(catalogue, views: dict[str, int]) -> dict[str, int]:
    """Views counted under an alias (an old id) go to the item they belong to now."""
    out: dict[str, int] = {}
    for item_id, n in views.items():
        item = catalogue.get(item_id)
        if item is not None:
            out[item.id] = out.get(item.id, 0) + n
    return out


def _daily_series(daily: dict, periods: Periods) -> list[dict]:
    out = []
    first, last = periods.current.since_ms // DAY_MS, (periods.current.until_ms - 1) // DAY_MS
    for day in range(first, last + 1):
        out.append({"day": dt.date(1970, 1, 1).fromordinal(dt.date(1970, 1, 1).toordinal() + day).isoformat(),
                    **{k: daily[k].get(day, 0) for k in ("search", "zero", "vote", "unhelpful", "contact")}})
    return out

