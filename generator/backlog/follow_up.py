"""Did the fix work? For every row a lead marked done: before and after the day it was marked.

Measured on what the row was about (its snapshot, so a topic's searches are the same ones
even when the topic has changed or left the report):

* **votes** on the item it changed (fix, retag, keywords, review, promote, transcript), or
  on the item customers reach now (write): the unhelpful rate in the ``WINDOW_DAYS`` before
  and since, with the report's verdict (two-proportion test *and* non-overlapping 95 %
  intervals, ``--min-votes`` on both sides);
* **traffic**: result clicks landing on that item per day, before and since;
* **searches** (topic rows): how many of the topic's searches failed (no result, or no
  result clicked in the journey), before and since, with the same test on the failure share;
  and the items those searches reach now;
* **questions** (rows of questions assistants could not answer, ``evidence.asked``): how many
  of the topic's questions got "no answer", before and since, with the same test; and the
  items the answers cite now.

One grouped query per measure for all done rows together (the searches: a range scan of the
window, probing the journey index once per matching search).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.engine import Connection

from carebase.report.queries import helpful_expr, noindex, unhelpful_expr
from carebase.report.scoring import change_verdict, wilson
from carebase.store.schema import events

DAY_MS = 86_400_000
WINDOW_DAYS = 28
VERDICTS = {"better": "fixed it", "worse": "made it worse"}


def _rate(hits: int, n: int) -> dict:
    w = wilson(hits, n)
    return {"hits": hits, "n": n, "rate": w.rate, "low": w.low, "high": w.high}


def _votes(conn: Connection, splits: dict[str, int], lo: int, hi: int) -> dict:
    """item → {"before": (n, unhelpful), "after": (n, unhelpful)} around each item's split."""
    out: dict = defaultdict(lambda: {"before": [0, 0], "after": [0, 0]})
    items = list(splits)
    for start in range(0, len(items), 500):
        chunk = items[start:start + 500]
        query = (select(events.c.item_id, events.c.received_ms, case((unhelpful_expr(events), 1), else_=0))
                 .where(events.c.type == "vote", events.c.item_id.in_(chunk), events.c.received_ms >= lo,
                        events.c.received_ms < hi))
        for item_id, ms, bad in conn.execute(query):
            split = splits[item_id]
            if ms < split - WINDOW_DAYS * DAY_MS:
                continue
            side = out[item_id]["after" if ms >= split else "before"]
            side[0] += 1
            side[1] += bad
    return out


def _clicks(conn: Connection, items: list[str], lo: int, hi: int) -> dict[str, list[int]]:
    """item → [received_ms of each result click] in the range (per-day rates come from them)."""
    out: dict[str, list[int]] = defaultdict(list)
    for start in range(0, len(items), 500):
        chunk = items[start:start + 500]
        query = select(events.c.item_id, events.c.received_ms).where(
            events.c.type == "click", events.c.item_id.in_(chunk), events.c.received_ms >= lo, events.c.received_ms < hi)
        for item_id, ms in conn.execute(query):
            out[item_id].append(ms)
    return out


def _searches(conn: Connection, queries: list[str], lo: int, hi: int) -> list[tuple]:
    """(query, received_ms, failed) for each search of these queries in the range."""
    s, c = events.alias("s"), events.alias("c")
    clicked = exists().where(c.c.journey == s.c.journey, noindex(c.c.type) == "click", c.c.query == s.c.query)
    failed = case((s.c.results == 0, 1), (and_(s.c.journey.is_not(None), ~clicked), 1), else_=0)
    out = []
    for start in range(0, len(queries), 500):
        chunk = queries[start:start + 500]
        query = select(s.c.query, s.c.received_ms, failed).where(
            s.c.type == "search", s.c.received_ms >= lo, s.c.received_ms < hi, s.c.query.in_(chunk))
        out += list(conn.execute(query))
    return out


def _asks(conn: Connection, queries: list[str], lo: int, hi: int) -> list[tuple]:
    """(question, received_ms, failed: "no answer") for each ask of these questions in the range."""
    out = []
    for start in range(0, len(queries), 500):
        chunk = queries[start:start + 500]
        query = select(events.c.query, events.c.received_ms, case((events.c.value == 1, 0), else_=1)).where(
            events.c.type == "ask", events.c.received_ms >= lo, events.c.received_ms < hi, events.c.query.in_(chunk))
        out += list(conn.execute(query))
    return out


def _cited(conn: Connection, queries: list[str], since: int, hi: int) -> Counter:
    """Items the answers to these questions cited first since ``since``."""
    found: Counter = Counter()
    for start in range(0, len(queries), 500):
        chunk = queries[start:start + 500]
        query = (select(events.c.item_id, func.count()).where(
            events.c.type == "ask", events.c.query.in_(chunk), events.c.received_ms >= since,
            events.c.received_ms < hi, events.c.item_id.is_not(None)).group_by(events.c.item_id))
        for item_id, n in conn.execute(query):
            found[item_id] += n
    return found


def _reached(conn: Connection, queries: list[str], since: int, hi: int) -> Counter:
    """Items these queries' result clicks landed on since ``since``."""
    found: Counter = Counter()
    for start in range(0, len(queries), 500):
        chunk = queries[start:start + 500]
        query = (select(events.c.item_id, func.count()).where(
            noindex(events.c.type) == "click", events.c.query.in_(chunk), events.c.received_ms >= since,
            events.c.received_ms < hi, events.c.item_id.is_not(None)).group_by(events.c.item_id))
        for item_id, n in conn.execute(query):
            found[item_id] += n
    return found


def _day(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc).date().isoformat()


def follow_up(conn: Connection, rows: list[dict], *, now_ms: int, min_votes: int = 10) -> None:
    """Attach ``follow_up`` to every row with status ``done`` (in place)."""
    done = [r for r in rows if r.get("status") == "done" and r.get("status_ms")]
    if not done:
        return
    lo = min(r["status_ms"] for r in done) - WINDOW_DAYS * DAY_MS
    hi = now_ms + 1
    topic_queries = {r["key"]: list(dict.fromkeys(r.get("queries") or
                                                    [q["query"] for q in (r.get("evidence") or {}).get("queries", [])]))
                     for r in done if r.get("topic")}
    asked = {r["key"] for r in done if (r.get("evidence") or {}).get("asked")}
    every_query = sorted({q for key, qs in topic_queries.items() if key not in asked for q in qs})
    every_question = sorted({q for key, qs in topic_queries.items() if key in asked for q in qs})
    searched, questioned = defaultdict(list), defaultdict(list)
    for query, ms, failed in (_searches(conn, every_query, lo, hi) if every_query else []):
        searched[query].append((ms, failed))
    for query, ms, failed in (_asks(conn, every_question, lo, hi) if every_question else []):
        questioned[query].append((ms, failed))
    reached: dict[str, Counter] = {}
    for r in done:
        if r["key"] in topic_queries:
            reach = _cited if r["key"] in asked else _reached
            reached[r["key"]] = reach(conn, topic_queries[r["key"]], r["status_ms"], hi)
    targets: dict[str, int] = {}
    for r in done:
        item = r.get("item") if r.get("action") != "write" else (reached.get(r["key"]) or Counter()).most_common(1)
        item = item[0][0] if isinstance(item, list) and item else item if isinstance(item, str) else None
        r["_followed_item"] = item
        if item:
            targets[item] = min(targets.get(item, r["status_ms"]), r["status_ms"])
    votes = _votes(conn, targets, lo, hi) if targets else {}
    clicks = _clicks(conn, list(targets), lo, hi) if targets else {}
    for r in done:
        split = r["status_ms"]
        days_after = max(1e-9, (now_ms - split) / DAY_MS)
        days_before = WINDOW_DAYS
        item = r.pop("_followed_item")
        result: dict = {"since": _day(split), "days": round((now_ms - split) / DAY_MS, 1), "item": item}
        if item:
            v = votes.get(item, {"before": [0, 0], "after": [0, 0]})
            before, after = _rate(v["before"][1], v["before"][0]), _rate(v["after"][1], v["after"][0])
            verdict = change_verdict(before["hits"], before["n"], after["hits"], after["n"], min_votes)
            times = clicks.get(item, [])
            result["votes"] = {"before": before, "after": after, "verdict": VERDICTS.get(verdict, verdict)}
            result["clicks"] = {"before_per_day": round(sum(split - WINDOW_DAYS * DAY_MS <= t < split for t in times)
                                                        / days_before, 2),
                                "after_per_day": round(sum(t >= split for t in times) / days_after, 2),
                                "after": sum(t >= split for t in times)}
        if r["key"] in topic_queries:
            seen = questioned if r["key"] in asked else searched
            b = [f for q in topic_queries[r["key"]] for ms, f in seen.get(q, []) if split - WINDOW_DAYS * DAY_MS <= ms < split]
            a = [f for q in topic_queries[r["key"]] for ms, f in seen.get(q, []) if ms >= split]
            sb, sa = _rate(sum(b), len(b)), _rate(sum(a), len(a))
            verdict = change_verdict(sb["hits"], sb["n"], sa["hits"], sa["n"], min_votes)
            measure = "questions" if r["key"] in asked else "searches"
            result[measure] = {"before": sb, "after": sa, "verdict": VERDICTS.get(verdict, verdict)}
            result["reached"] = [{"id": i, "clicks": n} for i, n in reached[r["key"]].most_common(3)]
        result["summary"] = summary(result)
        r["follow_up"] = result


def _pct(rate) -> str:
    return "–" if rate is None else f"{rate * 100:.0f} %"


def summary(f: dict) -> str:
    """One sentence: what changed since the row was marked done."""
    parts = []
    if "searches" in f:
        s = f["searches"]
        parts.append(f"its searches failed {_pct(s['after']['rate'])} of {s['after']['n']:,} times "
                     f"(was {_pct(s['before']['rate'])} of {s['before']['n']:,}): {s['verdict']}")
    if "questions" in f:
        s = f["questions"]
        parts.append(f"its questions got no answer {_pct(s['after']['rate'])} of {s['after']['n']:,} times "
                     f"(was {_pct(s['before']['rate'])} of {s['before']['n']:,}): {s['verdict']}")
    if "votes" in f:
        v = f["votes"]
        parts.append(f"{v['after']['n']:,} votes, {_pct(v['after']['rate'])} unhelpful "
                     f"(was {_pct(v['before']['rate'])} of {v['before']['n']:,}): {v['verdict']}")
        c = f["clicks"]
        parts.append(f"{c['after_per_day']:g} result clicks a day (was {c['before_per_day']:g})")
    head = f"Since {f['since']} ({'today' if f['days'] < 1 else format(f['days'], 'g') + ' days'})"
    return head + ": " + "; ".join(parts) + "." if parts else head + ": nothing measured yet."
