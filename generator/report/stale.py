"""Stale and risky content: overdue reviews, falling helpfulness, and whether each edit
(content revision) changed how helpful customers found the item."""

from __future__ import annotations

import datetime as dt

from carebase.report.evidence import ItemEvidence
from carebase.report.failing import item_location, item_url, rate_dict
from carebase.report.period import day_of
from carebase.report.scoring import change_verdict, wilson


def _review_by(catalogue, item):
    if item.kind == "faq":
        group = next((g for g in catalogue.faqs if g.id == item.group_id), None)
        return group.review_by if group else None, group.owner if group else ""
    return item.review_by, item.owner


def _ref(catalogue, item, links) -> dict:
    path, line, category = item_location(catalogue, item)
    return {"id": item.id, "kind": item.kind, "title": item.title, "url": item_url(item), "category": category,
            "source": links.source(path, line)}


def overdue(catalogue, evidence: dict[str, ItemEvidence], links, today: dt.date) -> list[dict]:
    rows = []
    seen_groups = set()
    for item in catalogue.items():
        review_by, owner = _review_by(catalogue, item)
        if review_by is None or review_by >= today:
            continue
        if item.kind == "faq":  # one row per FAQ file: review_by is set on the group
            if item.group_id in seen_groups:
                continue
            seen_groups.add(item.group_id)
            group = next(g for g in catalogue.faqs if g.id == item.group_id)
            ev_n = sum(evidence[q.id].cur.n for q in group.questions)
            ev_u = sum(evidence[q.id].cur.unhelpful for q in group.questions)
            ref = {"id": group.id, "kind": "faq group", "title": group.title, "url": group.url,
                   "category": group.category, "source": links.source(group.path, group.line)}
        else:
            ev_n, ev_u = evidence[item.id].cur.n, evidence[item.id].cur.unhelpful
            ref = _ref(catalogue, item, links)
        rows.append({**ref, "review_by": review_by.isoformat(), "days_overdue": (today - review_by).days,
                     "owner": owner, "unhelpful": rate_dict(ev_u, ev_n)})
    rows.sort(key=lambda r: (-r["days_overdue"], r["id"]))
    return rows


def falling(catalogue, evidence: dict[str, ItemEvidence], links, min_votes: int) -> list[dict]:
    rows = []
    for item in catalogue.items():
        ev = evidence[item.id]
        if change_verdict(ev.cmp.unhelpful, ev.cmp.n, ev.cur.unhelpful, ev.cur.n, min_votes) != "worse":
            continue
        before, after = wilson(ev.cmp.unhelpful, ev.cmp.n), wilson(ev.cur.unhelpful, ev.cur.n)
        rows.append({**_ref(catalogue, item, links), "before": rate_dict(ev.cmp.unhelpful, ev.cmp.n),
                     "after": rate_dict(ev.cur.unhelpful, ev.cur.n), "change": after.rate - before.rate})
    rows.sort(key=lambda r: (-r["change"], r["id"]))
    return rows


def revisions(catalogue, evidence: dict[str, ItemEvidence], links, min_votes: int) -> list[dict]:
    """Items whose votes span two or more revisions: each edit with before/after rates."""
    rows = []
    for item in catalogue.items():
        revs = sorted((r for r in evidence[item.id].revisions.values() if r.n), key=lambda r: (r.first_ms, r.revision))
        if len(revs) < 2:
            continue
        edits = []
        for before, after in zip(revs, revs[1:]):
            verdict = change_verdict(before.unhelpful, before.n, after.unhelpful, after.n, min_votes)
            edits.append({"from": before.revision, "to": after.revision, "first_seen": day_of(after.first_ms),
                          "before": rate_dict(before.unhelpful, before.n), "after": rate_dict(after.unhelpful, after.n),
                          "verdict": {"better": "fixed it", "worse": "made it worse"}.get(verdict, verdict),
                          "current": after.revision == item.revision})
        rows.append({**_ref(catalogue, item, links), "edits": edits, "last_verdict": edits[-1]["verdict"]})
    order = {"made it worse": 0, "no clear change": 1, "fixed it": 2, "too few votes": 3}
    rows.sort(key=lambda r: (order.get(r["last_verdict"], 4), r["id"]))
    return rows
