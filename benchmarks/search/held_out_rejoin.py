"""Held-out topics (issue 12, session 45, `topics`): what tells one need's halves from two needs,
among the joins session 44's grouping on neighbourhoods refuses?

Session 44's setting (S, K, rho) = (5, 20, 0.7) (``neighbour_grouping``) mended every development
class-(d) miss but split one need (6's *refund not showing up*, 60 failed, into two rows of 26): its
gate refuses one need's halves as it refuses twins. ``refused`` replays ``topics.group`` on the kept
inputs (``held_out_apart_words.py report --keep-inputs --inputs-only``) with that setting and lists
every join its gate refuses (the merge and fragments passes; a pair considered again later counted
once, at its last sides), labelled by the two sides' majority needs (the data set's labels, for
scoring only): *one* (the same removed need), *two* (two needs, one of them removed). Each refused
join gets candidate features, and each feature's AUC (one-need joins above two-need joins) is
printed, on the joins with both sides of ``--min-size`` wordings or more:

- ``snn K``: the gate's shared-neighbour closeness at K (``Links.closeness``; K 20 is the gate's);
- ``link``: the average linkage on meaning (the merge pass's similarity), ``blend``: on meaning and
  words (the leader pass's space);
- ``rlink``: ``link`` over the geometric mean of the same within A and within B;
- ``centre``: the cosine of the two sides' weighted centres (meaning);
- ``cross1``: the share of wordings of A ∪ B whose nearest wording in A ∪ B (meaning and words) is
  on the other side, over the share a random split of the same sizes gives (1: no border at all);
- ``mutual``: the same with each wording's 3 nearest in A ∪ B;
- ``words``: the cosine of the two sides' summed stem rows (the words they use);
- ``small``: the smaller side's failed searches.

    python benchmarks/search/held_out_rejoin.py refused SEED... --inputs DIR [--setting 5,20,0.7] [--min-size 3]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from held_out_twins import intents  # noqa: E402
from held_out_within_need import auc, considered_joins, graphs_of, kept_inputs, labelled_joins  # noqa: E402

FEATURES = ("snn10", "snn20", "snn40", "link", "rlink", "blend", "centre", "cross1", "mutual", "words", "small")


def unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    n[n == 0] = 1
    return x / n


def border(rows: np.ndarray, a: list[int], b: list[int], k: int) -> float:
    """Wordings of A ∪ B whose k nearest in A ∪ B lie on the other side, over a random split's share."""
    idx = np.asarray(a + b)
    side = np.array([0] * len(a) + [1] * len(b))
    n = len(idx)
    if n < 3:
        return float("nan")
    sims = rows[idx] @ rows[idx].T
    np.fill_diagonal(sims, -np.inf)
    kk = min(k, n - 1)
    near = np.argsort(-sims, axis=1)[:, :kk]
    observed = float(np.mean(side[near] != side[:, None]))
    expected = (len(a) * len(b) / (n - 1) * 2) / n  # per wording: the other side's share of the other n − 1
    return observed / expected if expected else float("nan")


def features(a: list[int], b: list[int], matrix, rows, words, weights, graphs, failed, only=None):
    """Every feature of the join of A and B (a dict), or the one named ``only`` (a float)."""
    if only is not None:
        return _feature(only, a, b, matrix, rows, words, weights, graphs, failed)
    return {name: _feature(name, a, b, matrix, rows, words, weights, graphs, failed) for name in FEATURES}


def _feature(name, a, b, matrix, rows, words, weights, graphs, failed) -> float:
    ia, ib = np.asarray(a), np.asarray(b)
    wa, wb = weights[ia], weights[ib]
    if name.startswith("snn"):
        r = graphs[int(name[3:])].closeness(a, b)
        return float("nan") if r is None else r
    if name in ("link", "centre"):
        m = matrix.astype(np.float64)
        sa, sb = (wa[:, None] * m[ia]).sum(0), (wb[:, None] * m[ib]).sum(0)
        if name == "link":
            return float(sa @ sb) / (wa.sum() * wb.sum())
        return float(sa @ sb) / (np.linalg.norm(sa) * np.linalg.norm(sb) or 1.0)
    if name == "rlink":  # the average linkage between A and B over the geometric mean of A's and B's own
        m = matrix.astype(np.float64)

        def within(ix, w):
            s_ = (w[:, None] * m[ix]).sum(0)
            pairs = float(s_ @ s_) - float((w * w * np.einsum("ij,ij->i", m[ix], m[ix])).sum())
            return pairs / (w.sum() ** 2 - (w * w).sum()) if len(ix) > 1 else float("nan")
        sa, sb = (wa[:, None] * m[ia]).sum(0), (wb[:, None] * m[ib]).sum(0)
        return float(sa @ sb) / (wa.sum() * wb.sum()) / np.sqrt(within(ia, wa) * within(ib, wb))
    if name == "blend":
        ba, bb = (wa[:, None] * rows[ia]).sum(0), (wb[:, None] * rows[ib]).sum(0)
        return float(ba @ bb) / (wa.sum() * wb.sum())
    if name == "cross1":
        return border(rows, list(a), list(b), 1)
    if name == "mutual":
        return border(rows, list(a), list(b), 3)
    if name == "words":
        ca, cb = (wa[:, None] * words[ia]).sum(0), (wb[:, None] * words[ib]).sum(0)
        return float(ca @ cb) / (np.linalg.norm(ca) * np.linalg.norm(cb) or 1.0)
    if name == "small":
        return float(min(failed[ia].sum(), failed[ib].sum()))
    raise ValueError(f"no feature {name!r}: one of {', '.join(FEATURES)}")


def refused(args) -> None:
    from carebase.report import topics

    intent_of = intents()
    catalogue = harness.query_set(args).catalogue()
    setting = tuple(float(x) for x in args.setting.split(","))
    found: dict = defaultdict(list)
    for seed in args.seeds:
        wordings, matrix, kwargs, threshold, removed = kept_inputs(args.inputs, seed, catalogue)
        rows = topics.with_words(matrix, kwargs["words"], kwargs["words_weight"])
        graphs = graphs_of(matrix, kwargs, (10, 20, 40))
        weights = np.sqrt(np.array([max(1, w.voice) for w in wordings], dtype=np.float64))
        failed = np.array([w.failed for w in wordings], dtype=np.float64)
        words = np.asarray(kwargs["words"], dtype=np.float64)
        last: dict = {}  # a pair refused again later counted once, at its last sides
        for x, y, ok in considered_joins(wordings, matrix, threshold, kwargs, setting):
            if not ok:
                last[(min(x[0], y[0]), max(x[0], y[0]))] = (x, y)
        for kind, a, b, (na, pa, fa), (nb, pb, fb) in labelled_joins(last.values(), wordings, intent_of, removed, args.min_size):
            f = features(a, b, matrix, rows, words, weights, graphs, failed)
            found[kind].append(f)
            if kind == "two" or args.verbose or fa + fb >= args.show:
                print(f"  {seed} {kind}: {na.split('/')[-1]} ({len(a)} w, {fa} f, {pa:.2f}) + {nb.split('/')[-1]} "
                      f"({len(b)} w, {fb} f, {pb:.2f}): " + " ".join(f"{k} {v:.2f}" for k, v in f.items()), flush=True)
    print(f"refused joins touching a removed need, both sides {args.min_size}+ wordings: one need {len(found['one'])}, "
          f"two needs {len(found['two'])}")
    for name in FEATURES:
        one = np.array([f[name] for f in found["one"] if not np.isnan(f[name])])
        two = np.array([f[name] for f in found["two"] if not np.isnan(f[name])])
        qs = [0.25, 0.5, 0.75]
        print(f"  {name:7s} AUC one > two {auc(one, two):.3f}; one {np.round(np.quantile(one, qs), 2).tolist() if len(one) else '-'}, "
              f"two {np.round(np.quantile(two, qs), 2).tolist() if len(two) else '-'}")


def moves(args) -> None:
    """Every wording ``neighbour_grouping.reassign`` moves (``--regroup K,SHARE`` after the setting's
    grouping), scored by the data set's labels (failed searches): *right* (the wording's need is the
    destination row's majority and not its own row's), *wrong* (its own row's majority is its need,
    the destination's is not), *other*."""
    import neighbour_grouping
    from carebase.report import topics

    intent_of = intents()
    setting = tuple(float(x) for x in args.setting.split(","))
    regroup = tuple(float(x) for x in args.regroup.split(","))
    total: Counter = Counter()
    catalogue = harness.query_set(args).catalogue()
    for seed in args.seeds:
        wordings, matrix, kwargs, threshold, _ = kept_inputs(args.inputs, seed, catalogue)
        seen: list = []
        neighbour_grouping._REBUILD["spy"] = seen
        neighbour_grouping.install(setting, regroup=regroup)
        try:
            topics.group(wordings, matrix, threshold, **kwargs)
        finally:
            neighbour_grouping.uninstall()
            neighbour_grouping._REBUILD["spy"] = None
        found, moved = seen[0]

        def need_of(w):
            c: Counter = Counter()
            for q, n in w.queries.items():
                c[intent_of.get(" ".join(q.lower().split()), "?")] += n
            return c.most_common(1)[0][0]

        majority = []
        for t in found:
            c: Counter = Counter()
            for w in t.members:
                c[need_of(w)] += w.failed
            majority.append(c.most_common(1)[0][0])
        row_of = {id(w): r for r, t in enumerate(found) for w in t.members}
        here: Counter = Counter()
        for i, to in moved.items():
            w = wordings[i]
            need, src = need_of(w), majority[row_of[id(w)]]
            kind = "right" if majority[to] == need != src else "wrong" if src == need != majority[to] else "other"
            here[kind] += w.failed
            if args.verbose:
                print(f"    {kind}: {w.key} ({w.failed} f, {need.split('/')[-1]}): {src.split('/')[-1]} -> {majority[to].split('/')[-1]}")
        total += here
        print(f"{seed}: {len(moved)} wordings moved, failed searches right {here['right']}, wrong {here['wrong']}, "
              f"other {here['other']}", flush=True)
    print(f"all: right {total['right']}, wrong {total['wrong']}, other {total['other']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("refused", "moves"))
    ap.add_argument("--regroup", default="10,0.5", help="moves: K,SHARE")
    ap.add_argument("seeds", nargs="+", type=int)
    ap.add_argument("--inputs", default="/tmp/topics45/inputs")
    ap.add_argument("--setting", default="5,20,0.7")
    ap.add_argument("--min-size", type=int, default=3)
    ap.add_argument("--show", type=int, default=20, help="print one-need joins of at least this many failed searches")
    ap.add_argument("--verbose", action="store_true")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)
    {"refused": refused, "moves": moves}[args.mode](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
