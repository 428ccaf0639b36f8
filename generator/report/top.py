"""What a lead looks at first: top searches (with and without success), top pages by views,
result clicks and contacts, and the deflection trend week by week.

All from figures the report already has (the searches' journey outcomes, the per-item
traffic, the daily series): no extra pass over the events, except the page views, read from
their per-day counts (``item_views``).
"""

from __future__ import annotations

from collections import defaultdict

from carebase.report.queries import CUR

TOP = 20


def searches(search_rows) -> dict:
    """Top queries of the period by volume and by failures; wordings differing only in case
    and spacing are one."""
    merged: dict[str, dict] = {}
    for row in search_rows:
        if row.bucket != CUR or not row.query.strip():
            continue
        text = " ".join(row.query.lower().split())
        m = merged.setdefault(text, {"query": text, "searches": 0, "failed": 0, "clicked": 0, "zero": 0, "contact": 0})
        m["searches"] += row.searches
        m["failed"] += row.failed
        m["clicked"] += row.clicked
        m["zero"] += row.zero
        m["contact"] += row.contact
    for m in merged.values():
        m["success"] = round(1 - m["failed"] / m["searches"], 3) if m["searches"] else None
    every = sorted(merged.values(), key=lambda m: (-m["searches"], m["query"]))
    succeeded = sorted((m for m in merged.values() if m["searches"] > m["failed"]),
                       key=lambda m: (-(m["searches"] - m["failed"]), m["query"]))
    failed = sorted((m for m in merged.values() if m["failed"]), key=lambda m: (-m["failed"], m["query"]))
    return {"all": every[:TOP], "succeeded": succeeded[:TOP], "failed": failed[:TOP], "distinct": len(merged)}


def pages(failing_rows: list[dict], views: dict[str, int] | None = None) -> dict:
    """Top items by page views (when the site sends them), by result clicks and by contacts."""
    def pick(key, value):
        ranked = sorted((r for r in failing_rows if value(r)), key=lambda r: (-value(r), r["id"]))[:TOP]
        return [{"id": r["id"], "kind": r["kind"], "title": r["title"], "category": r["category"],
                 "source": r["source"], key: value(r), "n": r["n"], "rate": r["rate"]} for r in ranked]

    views = views or {}
    return {"views": pick("views", lambda r: views.get(r["id"], 0)), "clicks": pick("clicks", lambda r: r["clicks"]),
            "contacts": pick("contacts", lambda r: r["contacts"]), "views_total": sum(views.values())}


def deflection_trend(daily: list[dict]) -> list[dict]:
    """Week by week (7-day buckets ending on the period's last day): searches, the share with
    no result, and contacts per 100 searches."""
    weeks: dict[int, dict] = defaultdict(lambda: {"search": 0, "zero": 0, "contact": 0, "days": []})
    last = len(daily) - 1
    for i, day in enumerate(daily):
        w = weeks[(last - i) // 7]
        for k in ("search", "zero", "contact"):
            w[k] += day[k]
        w["days"].append(day["day"])
    out = []
    for index in sorted(weeks, reverse=True):
        w = weeks[index]
        out.append({"from": w["days"][0], "to": w["days"][-1], "searches": w["search"],
                    "no_result": round(w["zero"] / w["search"], 3) if w["search"] else None,
                    "contacts": w["contact"],
                    "contacts_per_100": round(100 * w["contact"] / w["search"], 2) if w["search"] else None})
    return out
