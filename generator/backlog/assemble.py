"""The backlog section of the report model: rows, decisions, follow-ups, queues."""

from __future__ import annotations

from collections import defaultdict

from carebase.backlog.claims import contradictions
from carebase.backlog.follow_up import follow_up
from carebase.backlog.rows import build_rows
from carebase.backlog.states import STATUSES, apply_states, read_states


def queues(rows: list[dict]) -> list[dict]:
    """Per owner: rows by status and the customers their open rows affect, biggest queue first."""
    by_owner: dict[str, dict] = defaultdict(lambda: {**{s: 0 for s in STATUSES}, "customers": 0})
    for row in rows:
        q = by_owner[row["owner"]]
        q[row["status"]] += 1
        if row["status"] in ("open", "in_progress"):
            q["customers"] += row["customers"]
    out = [{"owner": owner, **q} for owner, q in by_owner.items()]
    out.sort(key=lambda q: (-(q["open"] + q["in_progress"]), -q["customers"], q["owner"]))
    return out


def assemble(report: dict, catalogue, conn, key_of, *, now_ms: int, min_votes: int) -> dict:
    rows, resolved = build_rows(report, catalogue, key_of)
    problems = contradictions(rows)
    rows = apply_states(rows, read_states(conn))
    follow_up(conn, rows, now_ms=now_ms, min_votes=min_votes)
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    return {"rows": rows, "counts": counts, "queues": queues(rows), "contradictions": problems,
            "resolved": resolved, "checked_ms": now_ms}
