"""Held-out topics: what the per-run line could gain from each row problem, with the labels
known (benchmarks/RESULTS.md, "Held-out topics: session 38"). For kept stores of
``held_out_topics.py --keep ROOT/heldout-SEED`` whose report was made (``--report-only``):

* **covered searches in gap rows**: of the top-20 gap rows, the failed searches of needs still
  in the help centre, and the impure rows of a removed majority need that would be pure
  (≥ 0.8) without them;
* **oracles**, each the report's rows re-listed and scored as ``held_out_topics.score``: every
  second row of a removed need taken out (a perfect second-row rule); every second row taken
  out; the first, with every covered need's row labelled findability too (perfect labels).

    python benchmarks/search/held_out_ceilings.py SEED... [--root /tmp/mixed/dev]
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
from held_out_misses import half_a_intents, rows_of  # noqa: E402
from held_out_topics import PURITY, TOP, removed_articles  # noqa: E402


def scored(rows: list[dict], removed: set) -> tuple[int, int]:
    """(removed needs found, covered gaps) in the top ``TOP`` rows."""
    top = rows[:TOP]
    found = sum(any(r["maj"] == a and r["status"] == "gap" and r["pur"] >= PURITY for r in top) for a in removed)
    return found, sum(r["status"] == "gap" and r["maj"] not in removed for r in top)


def without_second_rows(rows: list[dict], removed: set, *, covered_too: bool = False,
                        covered_findability: bool = False) -> list[dict]:
    seen: set = set()
    out = []
    for r in rows:
        if r["maj"] in seen and (covered_too or r["maj"] in removed):
            continue
        seen.add(r["maj"])
        out.append(dict(r, status="findability") if covered_findability and r["maj"] not in removed else r)
    return out


def covered_in_gap_rows(rows: list[dict], removed: set) -> Counter:
    out: Counter = Counter()
    for r in rows[:TOP]:
        if r["status"] != "gap":
            continue
        n = sum(r["c"].values())
        covered = sum(v for k, v in r["c"].items() if k not in removed)
        out["gap rows"] += 1
        out["failed searches"] += n
        out["covered needs' searches"] += covered
        if r["pur"] < PURITY and r["maj"] in removed:
            out["impure rows of a removed need"] += 1
            out["... pure without the covered searches"] += r["c"][r["maj"]] / max(1, n - covered) >= PURITY
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seeds", type=int, nargs="+")
    ap.add_argument("--root", default="/tmp/mixed/dev", help="the folder holding heldout-SEED stores")
    args = ap.parse_args(argv)
    intent_of = half_a_intents()
    catalogue = harness.load_helpcentre()
    variants = {"the report": lambda rows, removed: rows,
                "no second rows of removed needs": without_second_rows,
                "no second rows at all": lambda rows, removed: without_second_rows(rows, removed, covered_too=True),
                "no second rows of removed needs, covered rows findability":
                    lambda rows, removed: without_second_rows(rows, removed, covered_findability=True)}
    totals = {name: Counter() for name in variants}
    covered: Counter = Counter()
    for seed in args.seeds:
        report = json.loads((Path(args.root) / f"heldout-{seed}" / "round" / "report" / "report.json").read_text())
        rows = rows_of(report, intent_of)
        removed = set(removed_articles(catalogue, seed))
        covered += covered_in_gap_rows(rows, removed)
        cells = []
        for name, variant in variants.items():
            found, gaps = scored(variant(rows, removed), removed)
            totals[name].update({"found": found, "covered gaps": gaps,
                                 "runs meeting": found >= 0.9 * len(removed) and gaps <= 2})
            cells.append(f"{found}/{gaps}")
        print(f"{seed}: found/covered gaps " + ", ".join(f"{n}: {c}" for n, c in zip(variants, cells)))
    print(f"covered needs' searches in the top-{TOP} gap rows: {dict(covered)}")
    for name, t in totals.items():
        print(f"{name}: found {t['found']}, runs meeting the line {t['runs meeting']} of {len(args.seeds)}, "
              f"covered gaps {t['covered gaps']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
