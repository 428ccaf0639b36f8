"""Held-out topics (issue 12, session 41, `topics`): a need's first row ranked by all its rows.

The report lists a row whose centre is >= 0.7 like a row above that repeats nothing as a
*likely repeat* of it ("may be the same need as #N") and ranks it as a third of its failed
searches (``topic_order``). The row it repeats is still ranked by its own failed searches
alone, so a need that the grouping split into a row of 9 and three likely repeats of 8, 8 and
6 ranks as a 9, below a need heard 12 times in one row. This trial ranks each row that
repeats nothing by its own failed searches plus ``credit`` x those of the rows flagged as its
likely repeats (the repeats keep their own place, label and searches), and scores the rows as
held_out_topics.py does (own top-20 row, gap, purity >= 0.8; covered gaps), per run and by
the declared folds (chosen on fold A, confirmed on B and C).

The repeat flags are the shipped ones (threshold 0.7, twins (0.3, 0.3), a lead's *two needs*
pairs), computed once in the order by failed searches; ``credit`` 0 is the shipped order.

    python benchmarks/search/held_out_rank_trial.py capture SEED... --root DIR --cache DIR
    python benchmarks/search/held_out_family_trial.py SEED... --cache DIR [--credits 0.33,0.67,1]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from held_out_rank_trial import FOLDS, load, meets, score, summary  # noqa: E402
from held_out_topics import TOP, removed_articles  # noqa: E402
from held_out_twins import intents  # noqa: E402


def family_ranked(d: dict, credit: float) -> list[dict]:
    """The rows with each row that repeats nothing weighed by its failed searches (counted)
    plus ``credit`` x those of its likely repeats; likely repeats as shipped (a third)."""
    from carebase.report import topic_order
    from carebase.report.topic_evidence import REPEATS, TWINS

    rows, C = d["rows"], d["centres"]
    w = [r.get("counted", r["failed"]) for r in rows]
    idx = sorted(range(len(rows)), key=lambda i: (-w[i], i))
    rows2, C2, w2 = [rows[i] for i in idx], C[idx], [w[i] for i in idx]
    pos = {j: k for k, j in enumerate(idx)}
    apart = {(pos[a], pos[b]) for a, b in d["apart"]}
    threshold, discount = REPEATS["embedding"]
    new, _ = topic_order.order(C2, threshold, w2, discount, apart, TWINS["embedding"], credit=credit)
    return [rows2[i] for i in new]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seeds", type=int, nargs="+")
    ap.add_argument("--cache", required=True)
    ap.add_argument("--credits", default="0.33,0.67,1")
    ap.add_argument("--show", action="store_true", help="each run's found and missed needs per setting")
    args = ap.parse_args(argv)
    credits = [0.0] + [float(c) for c in args.credits.split(",")]
    io, catalogue = intents(), harness.load_helpcentre()
    res: dict = {c: {} for c in credits}
    for seed in args.seeds:
        d = load(args.cache, seed, io, set(removed_articles(catalogue, seed)))
        shipped = family_ranked(d, 0.0)
        made = [c for c in credits if [r["topic_id"] for r in family_ranked(d, c)] == d["report_order"]]
        if not made:
            print(f"{seed}: no credit of the grid reproduces the captured report's order", flush=True)
        for c in credits:
            rows = family_ranked(d, c)
            res[c][seed] = score(rows, d["removed"])
            if args.show and c:
                top = rows[:TOP]
                gained = [a.split("/")[-1] for a in sorted(d["removed"])
                          if any(r["_maj"] == a and r["_pur"] >= 0.8 and r["status"] == "gap" for r in top)
                          != any(r["_maj"] == a and r["_pur"] >= 0.8 and r["status"] == "gap" for r in shipped[:TOP])]
                print(f"  {seed} credit {c}: {res[c][seed]} (shipped {res[0.0][seed]}); changed: {gained}")
    seeds = list(args.seeds)
    for c in credits:
        print(f"credit {c:<5} {summary([res[c][s] for s in seeds])}")
    folds = [[s for s in f if s in seeds] for f in FOLDS]
    for name, fold in zip("ABC", folds):
        if fold:
            for c in credits:
                per = [res[c][s] for s in fold]
                print(f"fold {name} credit {c:<5} runs meeting {meets(per)} of {len(per)}, found "
                      f"{sum(f for f, _ in per)}, covered gaps {sum(g for _, g in per)}; per run {[f for f, _ in per]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
