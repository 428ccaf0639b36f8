"""Session 34 (issue 12, held-out topics): a row is a likely second row of a need listed above
it when its wordings' **nearest wordings** are in that row — not only when the two rows'
centres are close (the shipped ``topic_order`` rule, centre cosine ≥ 0.7).

A second row of one need is a fragment at the edge of the need's first row: its centre can be
less than 0.7 similar to the first row's (an average over many wordings), while most of its
wordings have their nearest wording in that first row. A first row of another need, even a
near-duplicate one, holds its own nearest neighbours (a wording's nearest wording is of its
own intent for 0.892 of half A's failed searches, session 33).

Rule (beside the shipped one): rows in order of failed searches; for a row, the share of its
failed searches whose nearest wording in another row (cosine, in the grouping's space) lies
in one row listed above that is itself not a likely repeat; when that share is ≥ ``T``, the row is a
likely repeat of it (ranked at 0.33 × its failed searches, as shipped). ``space``: the
embeddings (meaning) or the leader pass's meaning-and-words blend.

Settings chosen on the 40 development removals with the fixed leave-ten-seeds-out folds
(``topic_granularity_trial.folds``), half A only.

    python benchmarks/search/topic_neighbour_trial.py --cache DIR [SEED ...]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from held_out_topics import REMOVED  # noqa: E402
from topic_calibration import development_arguments, development_embeddings, development_wordings  # noqa: E402
from topic_granularity_trial import (DISCOUNT, REPEAT, WORDS, folds, group as shipped_group,  # noqa: E402
                                     impure_top, ranked_keys, summary)
from topic_words_calibration import found_removed  # noqa: E402

from carebase.report import topic_order, topics  # noqa: E402

GRID = [(space, t, mode) for space in ("meaning", "blend") for t in (0.5, 0.6, 0.7, 0.8, 0.9)
        for mode in ("or", "only")]


def neighbour_order(found, wordings_of_row, vectors_of, setting):
    """(order, repeats) with the nearest-wording rule; ``found`` sorted by failed searches."""
    space, threshold, mode = setting
    centres = np.stack([t.centre for t in found])
    shipped_rep = topic_order.repeats(centres, REPEAT)
    rows = [wordings_of_row(t) for t in found]  # per row: list of (vector, failed)
    allv = np.concatenate([np.stack([v for v, _ in r]) for r in rows])
    owner = np.concatenate([np.full(len(r), i) for i, r in enumerate(rows)])
    failed = np.concatenate([np.array([f for _, f in r], dtype=float) for r in rows])
    sims = allv @ allv.T
    sims[owner[:, None] == owner[None, :]] = -np.inf  # its nearest wording in another row
    nearest_row = owner[np.argmax(sims, axis=1)]
    rep: list = []
    firsts: set = set()
    for i in range(len(found)):
        mine = owner == i
        total = failed[mine].sum()
        best, share = None, 0.0
        for q in firsts:
            s = failed[mine & (nearest_row == q)].sum() / total
            if s > share:
                best, share = q, s
        by_nn = best if share >= threshold else None
        by_centre = shipped_rep[i] if shipped_rep[i] in firsts else None
        r = by_nn if mode == "only" else (by_centre if by_centre is not None else by_nn)
        rep.append(r)
        if r is None:
            firsts.add(i)
    weight = [t.failed * (DISCOUNT if rep[i] is not None else 1.0) for i, t in enumerate(found)]
    return sorted(range(len(found)), key=lambda i: (-weight[i], i)), rep


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    development_arguments(ap)
    ap.add_argument("extra", nargs="*", type=int, help="more removal seeds, scored only")
    args = ap.parse_args(argv)
    wordings, intents, meaning, words, ids, majority_of = development_wordings(development_embeddings(args.cache))
    blend = topics.with_words(meaning, words, WORDS)
    index = {w.key: i for i, w in enumerate(wordings)}
    dev = list(range(1, args.seeds + 1))
    runs, shipped = {}, {}
    for seed in dev + args.extra:
        removed = set(random.Random(seed).sample(ids, REMOVED))
        sel = [i for i, mj in enumerate(majority_of) if mj in removed]
        runs[seed] = removed
        shipped[seed] = shipped_group([wordings[i] for i in sel], meaning[sel], words[sel])
    base = {s: found_removed(ranked_keys(shipped[s]), intents, runs[s], ordered=True)[0] for s in runs}
    print(f"shipped: all 40 {summary(base[s] for s in dev)}", flush=True)
    score, impure = {}, {}
    for g in GRID:
        vec = meaning if g[0] == "meaning" else blend
        score[g], impure[g] = {}, {}
        for s in runs:
            found = shipped[s]
            new, _ = neighbour_order(found, lambda t: [(vec[index[m.key]], m.failed) for m in t.members], None, g)
            keys = [[m.key for m in found[i].members] for i in new]
            score[g][s] = found_removed(keys, intents, runs[s], ordered=True)[0]
            impure[g][s] = impure_top(keys, intents)
        print(f"  {g}: all 40 {summary(score[g][s] for s in dev)}", flush=True)
    folds("nearest wording", GRID, score, dev, args.extra, impure)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
