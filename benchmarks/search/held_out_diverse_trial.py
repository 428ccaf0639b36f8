"""Held-out topics (issue 12, session 44, `topicsb`): a diversity re-rank of the missing-content rows.

Today's order ranks each row by a weight (its failed searches counted by client, plus the credit
of its likely repeats; a likely repeat a third of its own). The diversity re-rank places the
rows one at a time, the next being the one with the largest ``weight × min(1, (1 − s) / (1 −
s0)) ** gamma``, ``s`` its largest centre similarity to a row already placed
(``diversified`` below): a second row of a need already listed yields its place to a need
not yet listed. Scored as held_out_topics.py scores (own top-20 row, gap, purity ≥ 0.8; covered
gaps), per run and by the declared folds (chosen on fold A, confirmed on B and C).

``trial`` replays the order on backlogs captured by ``held_out_rank_trial.py capture`` (the rows
before their order, their centres, the pairs a lead kept apart) and checks first that *off*
reproduces each captured report's order (``--reports DIR``: the report.json of
``DIR/heldout-SEED/round/report``; else the capture's own, made with credit 0). ``ceiling``
bounds what any ranking could give: second rows of needs, known from the data set's labels,
ranked lower.

    python benchmarks/search/held_out_diverse_trial.py trial SEED... --cache DIR [--reports DIR] [--grid "0.6,2;0.5,1"]
    python benchmarks/search/held_out_diverse_trial.py ceiling SEED... --cache DIR
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from held_out_rank_trial import FOLDS, load, meets, score  # noqa: E402
from held_out_topics import PURITY, TOP, removed_articles  # noqa: E402
from held_out_twins import intents  # noqa: E402

GRID = "0.6,2;0.5,1;0.5,2;0.4,2"  # declared in RESULTS before any figure with it


def weights(d: dict, credit: float | None = None) -> tuple[list[dict], "np.ndarray", list[float], set]:
    """The captured rows in failed-search order, their centres, the weight today's order ranks
    each by (``topic_order.order``: counted failed searches plus the credit of its likely repeats;
    a likely repeat the discount × its own) and the pairs a lead kept apart (positions)."""
    from carebase.report import topic_order
    from carebase.report.topic_evidence import REPEATS, REPEATS_CREDIT, TWINS

    rows, C = d["rows"], d["centres"]
    w = [r.get("counted", r["failed"]) for r in rows]
    idx = sorted(range(len(rows)), key=lambda i: (-w[i], i))
    rows2, C2, w2 = [rows[i] for i in idx], C[idx], [w[i] for i in idx]
    pos = {j: k for k, j in enumerate(idx)}
    apart = {(pos[a], pos[b]) for a, b in d["apart"]}
    threshold, discount = REPEATS["embedding"]
    credit = REPEATS_CREDIT["embedding"] if credit is None else credit
    rep = topic_order.repeats(C2, threshold, apart, w2, TWINS["embedding"])
    own = topic_order.with_repeats(rep, w2, credit) if credit else [float(n) for n in w2]
    return rows2, C2, [w2[i] * discount if rep[i] is not None else own[i] for i in range(len(rep))], apart


def diversified(C: np.ndarray, weight: list[float], setting: tuple[float, float], apart=frozenset()) -> list[int]:
    """The rows placed one at a time, the next the one with the largest ``weight × g(s)``: ``s``
    its largest centre similarity to a row already placed (a pair in ``apart``, a lead's *two
    needs*, does not count; a zero centre resembles nothing), ``g(s) = min(1, (1 − s) / (1 −
    s0)) ** gamma``; ties: the earlier row. Where ``g`` is 1 throughout this is the order by weight."""
    s0, gamma = setting
    n = len(weight)
    C = np.asarray(C, dtype=np.float64)
    W = np.asarray(weight, dtype=np.float64)
    near = np.full(n, -np.inf)
    free = np.ones(n, dtype=bool)
    pairs: dict[int, list[int]] = {}
    for a, b in apart:
        pairs.setdefault(a, []).append(b)
        pairs.setdefault(b, []).append(a)
    out: list[int] = []
    for _ in range(n):
        g = np.minimum(1.0, np.clip(1.0 - near, 0.0, None) / (1.0 - s0)) ** gamma
        pick = int(np.argmax(np.where(free, W * g, -np.inf)))  # the first of equal scores: the earlier row
        out.append(pick)
        free[pick] = False
        sims = C @ C[pick]
        if pick in pairs:
            sims[pairs[pick]] = -np.inf
        near = np.maximum(near, sims)
    return out


def diverse_ranked(d: dict, setting: tuple[float, float] | None, credit: float | None = None) -> list[dict]:
    """The captured rows in the report's order, with the diversity re-rank ``setting`` (None: off)."""
    rows, C, w, apart = weights(d, credit)
    new = diversified(C, w, setting, apart) if setting else sorted(range(len(w)), key=lambda i: (-w[i], i))
    return [rows[i] for i in new]


def found_needs(rows: list[dict], removed: set) -> set:
    top = rows[:TOP]
    return {a for a in removed if any(r["_maj"] == a and r["_pur"] >= PURITY and r["status"] == "gap" for r in top)}


def trial(args) -> int:
    settings: list = [None] + [tuple(float(x) for x in g.split(",")) for g in args.grid.split(";")]
    io, catalogue = intents(), harness.load_helpcentre()
    res: dict = {s: {} for s in settings}
    loaded, stale = {}, []
    for seed in args.seeds:
        d = loaded[seed] = load(args.cache, seed, io, set(removed_articles(catalogue, seed)))
        off = diverse_ranked(d, None)
        if args.reports:
            report = json.loads((Path(args.reports) / f"heldout-{seed}" / "round" / "report" / "report.json").read_text())
            want = [c["topic_id"] for c in report["missing"]["clusters"]]
            got = [r["topic_id"] for r in off]
        else:
            want, got = d["report_order"], [r["topic_id"] for r in diverse_ranked(d, None, credit=0.0)]
        if got != want:
            print(f"{seed}: off does not reproduce the report's order", flush=True)
            stale.append(seed)
    if stale:
        print(f"{len(stale)} of {len(args.seeds)} captures do not reproduce their report's order ({stale}): "
              "capture them again (held_out_rank_trial.py capture) before scoring anything", flush=True)
        return 1
    for seed in args.seeds:
        d = loaded[seed]
        off = diverse_ranked(d, None)
        base = found_needs(off, d["removed"])
        for s in settings:
            rows = diverse_ranked(d, s)
            res[s][seed] = score(rows, d["removed"])
            if args.show and s is not None:
                now = found_needs(rows, d["removed"])
                moved = [f"#{k + 1} {r['_maj'].split('/')[-1]} ({r['counted']}, {r['_kind']})"
                         for k, r in enumerate(rows[:TOP]) if r["topic_id"] not in {x["topic_id"] for x in off[:TOP]}]
                print(f"  {seed} {s}: {res[s][seed]} (off {res[None][seed]}); gained "
                      f"{sorted(a.split('/')[-1] for a in now - base)}, lost {sorted(a.split('/')[-1] for a in base - now)}; "
                      f"entered the top 20: {moved}", flush=True)
    for name, fold in zip("ABC", FOLDS):
        fold = [s for s in fold if s in args.seeds]
        if fold:
            for s in settings:
                per = [res[s][x] for x in fold]
                print(f"fold {name} {'off' if s is None else s!s:12} runs meeting {meets(per)} of {len(per)}, found "
                      f"{sum(f for f, _ in per)}, covered gaps {sum(g for _, g in per)} (most in a run "
                      f"{max(g for _, g in per)}); per run {[f for f, _ in per]}")
    per_all = {s: [res[s][x] for x in args.seeds] for s in settings}
    for s in settings:
        print(f"all {'off' if s is None else s!s:12} runs meeting {meets(per_all[s])} of {len(args.seeds)}, found "
              f"{sum(f for f, _ in per_all[s])}, covered gaps {sum(g for _, g in per_all[s])}")
    return 0


def ceiling(args) -> None:
    """What ranking alone could give (labels used: a bound, not a mechanism): today's order with
    every *second row* of a need (its majority need has a row ranked above it) ranked at
    ``share`` × its weight, for shares 0.5, 0.33 and 0."""
    io, catalogue = intents(), harness.load_helpcentre()
    for share in (0.5, 0.33, 0.0):
        per = []
        for seed in args.seeds:
            d = load(args.cache, seed, io, set(removed_articles(catalogue, seed)))
            rows, _, w, _ = weights(d)
            seen, w2 = set(), list(w)
            for i in sorted(range(len(w)), key=lambda i: (-w[i], i)):
                if rows[i]["_maj"] in seen:
                    w2[i] = w[i] * share
                seen.add(rows[i]["_maj"])
            per.append(score([rows[i] for i in sorted(range(len(w)), key=lambda i: (-w2[i], i))], d["removed"]))
        print(f"second rows (by the labels) x {share}: found {sum(f for f, _ in per)} of {15 * len(per)}, runs meeting "
              f"{meets(per)} of {len(per)}, covered gaps {sum(c for _, c in per)}; per run (found, covered gaps) {per}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("step", choices=("trial", "ceiling"))
    ap.add_argument("seeds", type=int, nargs="+")
    ap.add_argument("--cache", required=True, help="held_out_rank_trial.py capture's folder")
    ap.add_argument("--reports", help="trial: the folder of heldout-SEED stores whose reports off must reproduce")
    ap.add_argument("--grid", default=GRID)
    ap.add_argument("--show", action="store_true", help="each run's gained and lost needs per setting")
    args = ap.parse_args(argv)
    if args.step == "trial":
        return trial(args)
    ceiling(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
