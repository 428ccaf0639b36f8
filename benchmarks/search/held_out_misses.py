"""Held-out topics: why each removed topic was missed (benchmarks/RESULTS.md, "Held-out topics:
session 26"). For kept stores of ``held_out_topics.py --keep /tmp/loop/heldout-SEED`` whose
report was made (``--report-only``), every removed topic not found is put in one class, from
the whole missing-content backlog (not only the top 20):

* a: a minority (>= 20 %) of another topic's top-20 row, no row of its own;
* b: an own gap row of purity >= 0.8 ranked below 20;
* c: own top-20 row labelled findability;
* d: own top-20 gap row, purity < 0.8 (shows the row's three largest intents, each marked
  removed or covered in the run);
* e: none of these (split into rows too small to list).

Then what holds the top 20 (session 28, issue 12 "Ranking"): each row is the *first* row of
its majority topic or a *second* one (a topic already has a row above it), of a removed or a
covered topic, a gap or another label, and flagged as a likely repeat or not; for each miss of
class b, the rows above it that are not first rows of removed topics (the places it lost to).

    python benchmarks/search/held_out_misses.py SEED... [--root /tmp/loop]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from held_out_topics import PURITY, TOP, removed_articles  # noqa: E402


def rows_of(report: dict, intent_of: dict) -> list[dict]:
    rows = []
    for row in report["missing"]["clusters"]:
        c: Counter = Counter()
        for e in row.get("all_queries", row["queries"]):
            c[intent_of.get(" ".join(e["query"].lower().split()), "?")] += e["count"]
        majority, n = c.most_common(1)[0]
        rows.append({"rank": row["rank"], "status": row["status"], "c": c, "maj": majority,
                     "pur": n / sum(c.values()), "failed": row["failed"], "repeats": row.get("repeats"),
                     "failed_rank": row.get("failed_rank")})
    return rows


def mix(c: Counter, removed=frozenset(), n: int = 3) -> dict:
    """A row's ``n`` largest intents, each marked removed or covered in this run (session 38: the
    partner in a row of class d was read as covered when it was removed too)."""
    return {k if k == "?" else f"{k} ({'removed' if k in removed else 'covered'})": v for k, v in c.most_common(n)}


def classify(rows: list[dict], article: str, removed=frozenset()) -> tuple[str, str] | None:
    top = rows[:TOP]
    own = [r for r in top if r["maj"] == article]
    if any(r["status"] == "gap" and r["pur"] >= PURITY for r in own):
        return None
    if own:
        r = max(own, key=lambda r: r["failed"])
        kind = "c findability" if r["status"] != "gap" else "d impure (own row, purity < 0.8)"
        return kind, f"row {r['rank']} {r['status']} purity {r['pur']:.2f} mix {mix(r['c'], removed)}"
    pure = [r for r in rows if r["maj"] == article and r["status"] == "gap" and r["pur"] >= PURITY]
    if pure:
        r = pure[0]
        return ("b own pure row ranked below 20", f"row {r['rank']} ({r['failed']} failed, failed_rank "
                f"{r['failed_rank']}, repeats {r['repeats']}); the 20th row has {top[-1]['failed']}")
    minor = [r for r in top if r["c"][article] >= 0.2 * sum(r["c"].values())]
    if minor:
        r = minor[0]
        return "a merged into another topic's row", f"row {r['rank']} {mix(r['c'], removed)}"
    parts = sorted(((r["c"][article], r["rank"]) for r in rows if r["c"][article]), reverse=True)[:4]
    return "e split into small rows", f"largest (failed, rank): {parts}"


def kind_of(row: dict, seen: set, removed: set) -> str:
    """first/second, removed/covered, the label when not gap, and "repeat" when flagged."""
    kind = ("second" if row["maj"] in seen else "first") + (" removed" if row["maj"] in removed else " covered")
    kind += "" if row["status"] == "gap" else f" {row['status']}"
    return kind + (" repeat" if row["repeats"] else "")


def top_rows(rows: list[dict], removed: set) -> tuple[Counter, list[str]]:
    """(kinds of the top 20 rows, each row's kind in order)."""
    seen: set = set()
    kinds = []
    for r in rows:
        kinds.append(kind_of(r, seen, removed))
        seen.add(r["maj"])
    return Counter(kinds[:TOP]), kinds


def half_a_intents() -> dict[str, str]:
    """Each half-A wording, as typed and as the store keeps it (held_out_topics.score), lower
    case with its spaces folded → its article id."""
    from carebase.service.validation import customer_text

    intent_of: dict[str, str] = {}
    for q in harness.load_queries(harness.load_intents()):
        if q.half == "A":
            for text in (q.text, customer_text(q.text[:200]) or ""):
                intent_of.setdefault(" ".join(text.lower().split()), q.target)
    return intent_of


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seeds", type=int, nargs="+")
    ap.add_argument("--root", default="/tmp/loop", help="the folder holding heldout-SEED stores")
    args = ap.parse_args(argv)
    intent_of = half_a_intents()
    catalogue = harness.load_helpcentre()
    kinds: Counter = Counter()
    held: Counter = Counter()
    lost_to: Counter = Counter()
    for seed in args.seeds:
        report = json.loads((Path(args.root) / f"heldout-{seed}" / "round" / "report" / "report.json").read_text())
        rows = rows_of(report, intent_of)
        seen, second = set(), 0
        for r in rows[:TOP]:
            second += r["maj"] in seen
            seen.add(r["maj"])
        print(f"{seed}: second rows in the top {TOP}: {second}; rows {len(rows)}")
        removed = set(removed_articles(catalogue, seed))
        top, row_kinds = top_rows(rows, removed)
        held.update(top)
        print(f"  the top {TOP}: {dict(top)}")
        for article in sorted(removed):
            missed = classify(rows, article, removed)
            if missed:
                kinds[missed[0]] += 1
                print(f"  {article}: {missed[0]}: {missed[1]}")
                if missed[0].startswith("b"):
                    at = next(i for i, r in enumerate(rows) if r["maj"] == article and r["status"] == "gap"
                              and r["pur"] >= PURITY)
                    above = Counter(k for k in row_kinds[:TOP] if not k.startswith("first removed"))
                    lost_to.update(above)
                    print(f"    above it in the top {TOP}, not first rows of removed topics: {dict(above)}; "
                          f"its own row: {row_kinds[at]}")
    print(dict(kinds))
    print(f"the top {TOP} rows of every seed: {dict(held)}")
    print(f"the top-{TOP} rows that were not first rows of removed topics, over the b misses' seeds: {dict(lost_to)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
