"""Failing content: articles, FAQ questions and videos ranked by confidence-aware harm.

For each item, the unhelpful rate in the current period with its 95 % Wilson interval.
Rank = impact = (lower bound − baseline) × exposure: "at least this many more customers
left unhelped than on a typical page" (baseline: the help centre's pooled unhelpful
rate, capped at 20 %; exposure: clicks from search landing on the item, or its votes if
more). Items below ``min_votes`` are
flagged "insufficient data" and ranked after every item with enough votes. One client's votes
on an item count at most ``queries.VOTES_PER_CLIENT`` times; ``capped`` says how many more
were not counted, from ``capped_clients`` clients.
"""

from __future__ import annotations

from carebase.report.evidence import ItemEvidence
from carebase.report.scoring import exposure, wilson


def item_location(catalogue, item) -> tuple[str, int, str]:
    """(source path, line, category) of an item; FAQ questions inherit their group's category."""
    if item.kind == "faq":
        group = next((g for g in catalogue.faqs if g.id == item.group_id), None)
        return item.path, item.line, group.category if group else ""
    return item.path, item.line, item.category


def item_url(item) -> str:
    if item.kind == "faq":
        slug = item.group_id.split(":", 1)[1]
        return f"faq/{slug}/#{item.anchor}"
    return item.url


def rate_dict(hits: int, n: int) -> dict:
    interval = wilson(hits, n)
    return {"hits": hits, "n": n, "rate": interval.rate, "low": interval.low, "high": interval.high}


def failing_rows(catalogue, evidence: dict[str, ItemEvidence], links, *, min_votes: int, baseline: float) -> list[dict]:
    rows = []
    for item in catalogue.items():
        ev = evidence[item.id]
        path, line, category = item_location(catalogue, item)
        cur = wilson(ev.cur.unhelpful, ev.cur.n)
        exp = exposure(ev.clicks, ev.cur.n)
        insufficient = ev.cur.n < min_votes
        impact = 0.0 if insufficient else max(0.0, cur.low - baseline) * exp
        rows.append({
            "id": item.id, "kind": item.kind, "title": item.title, "category": category, "url": item_url(item),
            "source": links.source(path, line),
            "n": ev.cur.n, "unhelpful": ev.cur.unhelpful, "helpful": ev.cur.helpful,
            "rate": cur.rate, "low": cur.low, "high": cur.high, "insufficient": insufficient,
            "clicks": ev.clicks, "contacts": ev.contacts, "exposure": exp, "impact": round(impact, 3),
            "capped": ev.capped, "capped_clients": len(ev.capped_clients),
            "compare": rate_dict(ev.cmp.unhelpful, ev.cmp.n),
            "reasons": sorted(ev.reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:5],
            "comments": [], "queries": [],
        })
    rank(rows)
    return rows


def rank(rows: list[dict]) -> None:
    """Sort and number ``rows`` (in place): the rows the section lists first, so its numbering runs
    1, 2, 3 … without gaps; a page voted down only by a near need's customers
    (``page_needs.near_needs``, not at fault) after the pages to fix, before thin evidence."""
    rows.sort(key=lambda r: (not _listed(r), r["insufficient"], not (r.get("near_need") or {}).get("at_fault", True),
                             -r["impact"], -r["low"], -r["n"], r["id"]))
    for number, row in enumerate(rows, 1):
        row["rank"] = number


def attach_details(rows: list[dict], comments: dict, queries: dict) -> None:
    for row in rows:
        row["comments"] = comments.get(row["id"], [])
        row["queries"] = [{"query": q, "count": n} for q, n in queries.get(row["id"], [])]


def _listed(r: dict) -> bool:
    return r["n"] > 0 and (r["impact"] > 0 or (r["insufficient"] and r["unhelpful"] > 0))


def failing_section(rows: list[dict]) -> list[dict]:
    """The rows a lead should look at: enough votes and worse than typical first, then
    thin-evidence items that already look bad (flagged), never items with no votes."""
    return [r for r in rows if _listed(r)]
