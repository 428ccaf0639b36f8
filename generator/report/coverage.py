"""Coverage by category, FAQ questions that deserve an article, videos without transcripts,
and deflection: what share of searches end in a click, a "Yes", or contact support."""

from __future__ import annotations

from carebase.report.evidence import ItemEvidence
from carebase.report.failing import item_location
from carebase.report.journeys import SearchRow
from carebase.report.queries import CMP, CUR
from carebase.report.scoring import wilson

PROMOTE_MIN_CLICKS_SHARE = 0.02  # a FAQ answer reached by ≥ 2 % of all result clicks


def categories(catalogue, evidence: dict[str, ItemEvidence], missing: dict) -> list[dict]:
    titles = {c.id: c.title for c in catalogue.categories}
    order = {c.id: (c.order, i) for i, c in enumerate(catalogue.categories)}
    rows: dict[str, dict] = {}

    def row(cat: str) -> dict:
        if cat not in rows:
            rows[cat] = {"category": cat, "title": titles.get(cat, cat or "(no category: new topics)"), "articles": 0, "faq": 0,
                         "videos": 0, "votes": 0, "unhelpful": 0, "helpful": 0, "clicks": 0, "unvoted": 0,
                         "failed_searches": 0, "gaps": 0}
        return rows[cat]

    for cat in titles:
        row(cat)
    for item in catalogue.items():
        _, _, cat = item_location(catalogue, item)
        r = row(cat)
        r[{"article": "articles", "faq": "faq", "video": "videos"}[item.kind]] += 1
        ev = evidence[item.id]
        r["votes"] += ev.cur.n
        r["unhelpful"] += ev.cur.unhelpful
        r["helpful"] += ev.cur.helpful
        r["clicks"] += ev.clicks
        r["unvoted"] += ev.cur.n == 0
    for cluster in missing.get("clusters", []):
        closest = cluster.get("closest") or {}
        r = row(closest.get("category", ""))
        r["failed_searches"] += cluster["failed"]
        r["gaps"] += cluster["status"] == "gap"
    out = []
    for r in rows.values():
        interval = wilson(r["unhelpful"], r["votes"])
        r["rate"], r["low"], r["high"] = interval.rate, interval.low, interval.high
        out.append(r)
    out.sort(key=lambda r: (order.get(r["category"], (10**6, 0)), r["category"]))
    return out


def faq_promotions(failing_rows: list[dict], *, baseline: float, total_clicks: int) -> list[dict]:
    """FAQ answers that are voted down or that search sends many customers to."""
    out = []
    for r in failing_rows:
        if r["kind"] != "faq":
            continue
        reasons = []
        if not r["insufficient"] and r["low"] > baseline:
            reasons.append(f"voted down: {r['unhelpful']} of {r['n']} unhelpful")
        if total_clicks and r["clicks"] >= max(5, PROMOTE_MIN_CLICKS_SHARE * total_clicks):
            reasons.append(f"searched often: {r['clicks']} result clicks ({r['clicks'] / total_clicks:.0%} of all)")
        if reasons:
            out.append({**{k: r[k] for k in ("id", "title", "url", "category", "source", "n", "rate", "clicks")},
                        "why": reasons})
    out.sort(key=lambda r: (-len(r["why"]), -r["clicks"], r["id"]))
    return out


def videos_without_transcript(catalogue, links) -> list[dict]:
    return [{"id": v.id, "title": v.title, "url": v.url, "category": v.category, "source": links.source(v.path, v.line),
             "captions": len(v.captions)}
            for v in catalogue.videos if not v.transcript and not v.transcript_path]


def deflection(rows: list[SearchRow]) -> dict:
    out = {}
    for bucket in (CUR, CMP):
        sel = [r for r in rows if r.bucket == bucket]
        total = sum(r.searches for r in sel)
        sums = {k: sum(getattr(r, k) for r in sel) for k in ("zero", "clicked", "yes", "bad", "contact", "abandoned", "failed")}
        shares = {k: (v / total if total else None) for k, v in sums.items()}
        out["current" if bucket == CUR else "compare"] = {"searches": total, **sums, "share": shares}
    return out
