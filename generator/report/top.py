"""What a lead looks at first: top searches (with and without success), top pages by views,
result clicks and contacts, and the deflection trend week by week.

All from figures the report already has (the searches' journey outcomes, the per-item
traffic, the daily series): no extra pass over the events, except the page views, read from
their per-day counts (``item_views``).
"""

from __future__ import annotations

from collections import defaultdict

from carebase.report.period import DAY_MS
from carebase.report.queries import CMP, CUR, SEARCHES_PER_CLIENT
from carebase.report.topic_actions import sentence_case

TOP = 20


WORDINGS = 10  # exact wordings kept per group (the drill-down)


def searches(search_rows, key=None, slip=None, by_client: bool = False) -> dict:
    """Top searches of the period by volume and by failures, grouped by ``key`` (the report's
    analyser: ``Normaliser.analyse(query).key``, so "What is the fee for topping up a US
    card?" and "What are the charges for topping up US card?" are one line; without it,
    wordings differing only in case and spacing are one). Each group is named by its most
    searched wording (then one typed without a slip, then the shortest), as typed in sentence
    case, and keeps its exact wordings, most searched first (``WORDINGS``), for the drill-down.
    ``slip(text)`` is true when the analyser had to correct a typo in ``text`` (it is asked
    after ``key(text)``): of wordings searched as often, "I prefer Mastecard." no longer names
    the line before "I prefer mastercard." by the alphabet. The succeeded lines are ranked by
    ``succeeded_counted`` (each client for at most ``SEARCHES_PER_CLIENT``; every search when
    ``by_client`` is false, as Missing content counts)."""
    merged: dict[str, dict] = {}
    for row in search_rows:
        if row.bucket != CUR or not row.query.strip():
            continue
        text = " ".join(row.query.lower().split())
        m = merged.setdefault(text, {"query": text, "typed": " ".join(row.query.split()), "searches": 0, "failed": 0,
                                     "clicked": 0, "zero": 0, "contact": 0})
        m["searches"] += row.searches
        m["failed"] += row.failed
        m["clicked"] += row.clicked
        m["zero"] += row.zero
        m["contact"] += row.contact
        m["answered"] = m.get("answered", 0) + row.answered
        found = m.setdefault("found_by", {})  # client hash ("" none) → its successful searches
        for client, n in row.found_clients.items():
            found[client] = found.get(client, 0) + n
    groups: dict = {}
    for text, m in merged.items():  # each distinct wording once: one analysis each
        groups.setdefault(key(text) if key is not None else text, []).append(m)
    out = []
    for members in groups.values():
        members.sort(key=lambda m: (-m["searches"], bool(slip and slip(m["query"])), len(m["query"].split()),
                                    m["query"]))
        g = {"query": sentence_case(members[0]["typed"]), **{f: sum(m[f] for m in members)
                                              for f in ("searches", "failed", "clicked", "zero", "contact")}}
        g["success"] = round(1 - g["failed"] / g["searches"], 3) if g["searches"] else None
        answered = sum(m.get("answered", 0) for m in members)
        if answered:  # succeeded because the Ask box answered them (nothing clicked; the answer taken)
            g["answered"] = answered
        found_by: dict = {}  # client hash → the group's successful searches
        for m in members:
            for client, n in m["found_by"].items():
                found_by[client] = found_by.get(client, 0) + n
        # the succeeded searches as Missing content counts failed ones: each client for at most
        # SEARCHES_PER_CLIENT, those without a client hash together as one (``missing.counted``)
        g["succeeded_counted"] = sum(min(n, SEARCHES_PER_CLIENT) for n in found_by.values())
        g["succeeded_clients"] = sum(1 for client in found_by if client)
        g["variants"] = len(members)
        g["wordings"] = [{"query": m["typed"], "searches": m["searches"], "failed": m["failed"]}
                         for m in members[:WORDINGS]]
        out.append(g)
    every = sorted(out, key=lambda m: (-m["searches"], m["query"]))
    # ranked by client, as shown (one client's many searches never top the list: reader 44, RP4);
    # when Missing content cannot count by client (``missing.counts_by_client``), each search counts
    for g in out:
        if not by_client:
            g["succeeded_counted"] = g["searches"] - g["failed"]
    succeeded = sorted((m for m in out if m["searches"] > m["failed"]),
                       key=lambda m: (-m["succeeded_counted"], -(m["searches"] - m["failed"]), m["query"]))
    failed = sorted((m for m in out if m["failed"]), key=lambda m: (-m["failed"], m["query"]))
    found = {"all": every[:TOP], "succeeded": succeeded[:TOP], "failed": failed[:TOP], "distinct": len(merged),
             "groups": len(out)}
    answered = {bucket: sum(r.answered for r in search_rows if r.bucket == bucket) for bucket in (CUR, CMP)}
    if any(answered.values()):  # the Ask box's share: only where it answered (a report without it is unchanged)
        shown = {bucket: sum(r.searches - r.zero for r in search_rows if r.bucket == bucket) for bucket in (CUR, CMP)}
        found["answered"] = {"searches": answered[CUR], "with_results": shown[CUR],
                             "previous": answered[CMP], "previous_with_results": shown[CMP]}
    return found


def pages(failing_rows: list[dict], views: dict[str, int] | None = None) -> dict:
    """Top items by page views (when the site sends them), by result clicks and by contacts."""
    def pick(key, value):
        ranked = sorted((r for r in failing_rows if value(r)), key=lambda r: (-value(r), r["id"]))[:TOP]
        return [{"id": r["id"], "kind": r["kind"], "title": r["title"], "category": r["category"],
                 "source": r["source"], key: value(r), "n": r["n"], "rate": r["rate"]} for r in ranked]

    views = views or {}
    return {"views": pick("views", lambda r: views.get(r["id"], 0)), "clicks": pick("clicks", lambda r: r["clicks"]),
            "contacts": pick("contacts", lambda r: r["contacts"]), "views_total": sum(views.values())}


def deflection_trend(daily: list[dict], answered: dict[int, int] | None = None, periods=None) -> list[dict]:
    """Week by week (7-day buckets ending on the period's last day): searches, the share with
    no result, and contacts per 100 searches; with ``answered`` (day → searches the Ask box
    answered, ``journeys.answered_by_day``; None when it answered none this period) also
    ``answered`` and ``answered_share``, of the week's searches with results."""
    weeks: dict[int, dict] = defaultdict(lambda: {"search": 0, "zero": 0, "contact": 0, "answered": 0, "days": []})
    last = len(daily) - 1
    first_day = periods.current.since_ms // DAY_MS if periods is not None else 0
    for i, day in enumerate(daily):
        w = weeks[(last - i) // 7]
        for k in ("search", "zero", "contact"):
            w[k] += day[k]
        if answered:
            w["answered"] += answered.get(first_day + i, 0)
        w["days"].append(day["day"])
    out = []
    for index in sorted(weeks, reverse=True):
        w = weeks[index]
        out.append({"from": w["days"][0], "to": w["days"][-1], "searches": w["search"],
                    "no_result": round(w["zero"] / w["search"], 3) if w["search"] else None,
                    "contacts": w["contact"],
                    "contacts_per_100": round(100 * w["contact"] / w["search"], 2) if w["search"] else None})
        if answered is not None:
            shown = w["search"] - w["zero"]
            out[-1].update(answered=w["answered"], answered_share=round(w["answered"] / shown, 3) if shown else None)
    return out
