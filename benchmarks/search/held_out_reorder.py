"""Held-out topics (issue 12, session 34): the kept reports of real runs re-ranked with other
evidence that a row is a second row of a need listed above it, scored as held_out_topics.py
scores (own top-20 row, gap, purity ≥ 0.8; covered gaps).

The shipped order (``missing._repeats_last``): rows by failed searches (counted by client), a
row whose centre is ≥ 0.7 similar to a row above that repeats nothing is a likely repeat and
ranked at 0.33 × its failed searches. Each variant also makes a row that repeats nothing a
likely repeat when a piece of its evidence equals that of a row above that repeats nothing:

* ``closest``: the item the row points at (``closest``);
* ``similar``: its most similar item (``evidence.most_similar``);
* ``replay``: the first result search shows its wording now (``replay``);
* ``replay2``: the first two results, as a set (rows showing fewer: never).

Only the order changes (the rows, labels and statuses are the report's), so a kept report is
enough: ``held_out_topics.py --seed S --keep ROOT/heldout-S`` (then ``--report-only``).

    python benchmarks/search/held_out_reorder.py SEED... [--root DIR]
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

DISCOUNT = 0.33
VARIANTS = ("shipped", "closest", "similar", "replay", "replay2")


def evidence(row: dict, how: str):
    if how == "closest":
        return (row.get("closest") or {}).get("id")
    if how == "similar":
        return ((row.get("evidence") or {}).get("most_similar") or {}).get("id")
    shown = [hit["id"] for hit in row.get("replay") or []]
    if how == "replay":
        return shown[0] if shown else None
    return frozenset(shown[:2]) if len(shown) >= 2 else None


def reorder(rows: list[dict], how: str) -> list[dict]:
    rows = sorted(rows, key=lambda c: c["failed_rank"])
    flagged, seen = [], set()
    for row in rows:
        flag = "repeats" in row
        if how != "shipped":
            key = evidence(row, how)
            flag = flag or (key is not None and key in seen)
            if not flag and key is not None:
                seen.add(key)
        flagged.append(flag)
    weight = [r.get("counted", r["failed"]) * (DISCOUNT if f else 1.0) for r, f in zip(rows, flagged)]
    return [rows[i] for i in sorted(range(len(rows)), key=lambda i: (-weight[i], i))]


def score(rows: list[dict], removed: list[str], intent_of: dict) -> tuple[int, int]:
    top = []
    for row in rows[:TOP]:
        c: Counter = Counter()
        for e in row["all_queries"]:
            c[intent_of.get(" ".join(e["query"].lower().split()), "?")] += e["count"]
        majority, n = c.most_common(1)[0]
        top.append((majority, n / sum(c.values()), row["status"]))
    found = sum(any(m == a and p >= PURITY and s == "gap" for m, p, s in top) for a in removed)
    return found, sum(1 for m, _, s in top if s == "gap" and m not in removed)


def main(argv=None) -> int:
    from carebase.service.validation import customer_text

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seeds", type=int, nargs="+")
    ap.add_argument("--root", default="/tmp/loop", help="the folder holding heldout-SEED stores")
    args = ap.parse_args(argv)
    queries = [q for q in harness.load_queries(harness.load_intents()) if q.half == "A"]
    catalogue = harness.load_helpcentre()
    intent_of: dict = {}
    for q in queries:
        for text in (q.text, customer_text(q.text[:200]) or ""):
            intent_of.setdefault(" ".join(text.lower().split()), q.target)
    for how in VARIANTS:
        per = []
        for seed in args.seeds:
            report = json.loads((Path(args.root) / f"heldout-{seed}" / "round" / "report" / "report.json").read_text())
            per.append(score(reorder(report["missing"]["clusters"], how), removed_articles(catalogue, seed), intent_of))
        found = [f for f, _ in per]
        print(f"{how}: found {sum(found)} of {len(found) * len(removed_articles(catalogue, args.seeds[0]))}, "
              f"{sum(f < 14 for f in found)} runs under 14, covered gaps {sum(c for _, c in per)}; per seed {found}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
