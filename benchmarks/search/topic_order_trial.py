"""Session 31 (issue 12, held-out topics): the missing-content order's *likely repeat* evidence as
one calibrated model instead of one threshold, on the development removals of
topic_words_calibration.py (seeds 1 … 40, 15 articles each, half A only; never half B or a
declared held-out seed), with leave-seeds-out cross-validation.

Each row of the shipped grouping (``topics.group``) among a seed's ``ROWS`` largest, with a larger
row above it, is described by its evidence against the larger rows (``FEATURES``): the centre
cosine to the most similar larger row (the shipped rule's only evidence), the two rows'
tightness, the log of their size ratio, the row's own size, its largest wording's share and the
largest share of a word of its own (a stem the similar row almost lacks). A row is a *second
row* when a larger row has its majority topic. A logistic regression (L2, ``RIDGE``) gives
P(second row); the order ranks a row by failed^``a`` × (1 − (1 − ``d``) × P) (``d``, ``a``
chosen on the training seeds among ``DISCOUNTS`` × ``POWERS``: most found, then fewest seeds
under 14).

Folds: seeds 1–10, 11–20, 21–30, 31–40 (fixed before any run). For each fold the model is fitted
on the other 30 seeds and scored on its 10, beside the shipped rule (centre cosine ≥ 0.7 to a row
listed above that repeats nothing → × 0.33). Printed per fold and in all: removed topics found
(top-20 row, majority, purity ≥ 0.8), seeds under 14 of 15, the worst seed, and the AUC of
P(second row) on the held-out rows. No covered topics are in the development removals (only the
removed articles' searches are grouped), so covered topics labelled gap cannot be counted here.

    python benchmarks/search/topic_order_trial.py [--cache DIR] [--features a,b,…] [--fit-all]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from held_out_topics import PURITY, REMOVED, TOP  # noqa: E402
from topic_calibration import development_arguments, development_embeddings, development_wordings  # noqa: E402
from topic_headroom_trial import _cos, _shares, _shown, auc, majority  # noqa: E402
from topic_linkage_trial import shipped_topics  # noqa: E402
from topic_words_calibration import found_removed, row_intents  # noqa: E402

from carebase.report import topic_order  # noqa: E402

ROWS = 60
RIDGE = 1.0
DISCOUNTS = (0.0, 0.2, 0.33, 0.5)
POWERS = (1.0, 0.5, 0.25, 0.0)
FOLDS = [range(1, 11), range(11, 21), range(21, 31), range(31, 41)]
FEATURES = ("cosine", "near_tightness", "tightness", "log_ratio", "log_failed", "largest_share", "own_words")
#: also measured (--features): the shipped rule's flag, the cosine to the rows it left unflagged, the
#: second-highest cosine to a larger row, and (with --work) the shown results' cosine
MORE = ("flagged", "first_cosine", "second_cosine", "shown")


def row_features(topics, shown=None) -> list[dict | None]:
    """Per row, in failed order: its evidence against the larger rows (None for the first).
    ``shown``: each row's rank-weighted shown results (``_shown``), or None."""
    out: list[dict | None] = []
    shares = [_shares(t.members) for t in topics]
    for i, t in enumerate(topics):
        if i == 0:
            out.append(None)
            continue
        sims = np.array([float(t.centre @ a.centre) for a in topics[:i]])
        j = int(np.argmax(sims))
        near = topics[j]
        counts, total = shares[i]
        near_counts, near_total = shares[j]
        own = max((n / total for s, n in counts.items() if near_counts.get(s, 0) / near_total < 0.05), default=0.0)
        flags = topic_order.repeats(np.stack([a.centre for a in topics[:i + 1]]), 0.7)
        firsts = [k for k in range(i) if flags[k] is None]
        out.append({"cosine": float(sims[j]), "near": j, "flagged": float(flags[i] is not None),
                    "first_cosine": float(sims[firsts].max()) if firsts else 0.0,
                    "second_cosine": float(np.sort(sims)[-2]) if i > 1 else 0.0, "near_tightness": near.tightness(),
                    "tightness": t.tightness(), "log_ratio": math.log(max(1, t.failed) / max(1, near.failed)),
                    "log_failed": math.log(max(1, t.failed)), "largest_share": t.members[0].failed / max(1, t.failed),
                    "own_words": own,
                    "shown": max(_cos(shown[i], shown[k]) for k in range(i)) if shown is not None else 0.0})
    return out


def auc_ties(scores, positive) -> float:
    """P(a positive scores higher than a negative), ties counted half (for a yes/no score)."""
    s, p = np.asarray(scores, dtype=np.float64), np.asarray(positive, dtype=bool)
    d = s[p][:, None] - s[~p][None, :]
    return float((d > 0).mean() + 0.5 * (d == 0).mean())


def fit(x: np.ndarray, y: np.ndarray, ridge: float = RIDGE) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(coefficients, mean, scale) of an L2 logistic regression on standardised features (IRLS)."""
    mean, scale = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * ridge
    penalty[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + penalty @ w
        hess = (z * (p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w, mean, scale


def predict(model, x: np.ndarray) -> np.ndarray:
    w, mean, scale = model
    return 1 / (1 + np.exp(-(w[0] + ((x - mean) / scale) @ w[1:])))


def raw_coefficients(model) -> tuple[float, np.ndarray]:
    """The same model on unstandardised features: (intercept, coefficients)."""
    w, mean, scale = model
    coef = w[1:] / scale
    return float(w[0] - (mean * coef).sum()), coef


def model_order(topics, probs, discount, power=1.0) -> list[int]:
    weight = [t.failed ** power * (1 - (1 - discount) * p) for t, p in zip(topics, probs)]
    return sorted(range(len(topics)), key=lambda i: (-weight[i], i))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    development_arguments(ap)
    ap.add_argument("--features", default=",".join(FEATURES), help="comma-separated, of " + ", ".join(FEATURES + MORE))
    ap.add_argument("--work", metavar="DIR", help="half A's hybrid rankings (topic_evidence_calibration.py's cache): "
                    "the shown-results feature")
    ap.add_argument("--powers", type=lambda v: [float(x) for x in v.split(",")], default=list(POWERS))
    ap.add_argument("--discounts", type=lambda v: [float(x) for x in v.split(",")], default=list(DISCOUNTS))
    ap.add_argument("--fit-ranks", default="1:60", help="fit on the rows ranked A:B by failed searches")
    ap.add_argument("--in-sample", action="store_true",
                    help="an upper bound: fit, choose d and a, and score on the same 40 seeds (one fold)")
    ap.add_argument("--fit-all", action="store_true", help="also fit on all 40 seeds and print the coefficients")
    args = ap.parse_args(argv)
    names = args.features.split(",")
    embeddings = development_embeddings(args.cache)
    wordings, intents, meaning, words, ids, majority_of = development_wordings(embeddings)
    ranked = None
    if args.work:
        import harness
        from topic_evidence_calibration import ranked_half_a

        ranked = ranked_half_a(Path(args.work), [q for q in harness.load_queries(harness.load_intents()) if q.half == "A"])
    seeds = {}
    for seed in range(1, args.seeds + 1):
        removed = set(random.Random(seed).sample(ids, REMOVED))
        sel = [i for i, mj in enumerate(majority_of) if mj in removed]
        by_failed, shipped = shipped_topics([wordings[i] for i in sel], meaning[sel], words[sel])
        rows = by_failed[:ROWS]
        feats = row_features(rows, [_shown(t, ranked, removed) for t in rows] if ranked is not None else None)
        seen, second = set(), []
        for t in rows:
            mj = majority(t.members, intents)
            second.append(mj in seen)
            seen.add(mj)
        x = np.array([[f[n] for n in names] for f in feats[1:]])
        lo, hi = (int(v) for v in args.fit_ranks.split(":"))
        in_fit = np.array([lo <= r <= hi for r in range(2, len(rows) + 1)])
        seeds[seed] = {"removed": removed, "all": by_failed, "rows": rows, "x": x,
                       "y": np.array(second[1:], dtype=float), "fit": in_fit,
                       "shipped": [[m.key for m in t.members] for t in shipped]}

    def found(seed, order_keys):
        return found_removed(order_keys, intents, seeds[seed]["removed"], ordered=True)[0]

    def ordered(seed, model, setting):
        discount, power = setting
        s = seeds[seed]
        probs = np.concatenate([[0.0], predict(model, s["x"])])
        rest = s["all"][ROWS:]
        order = model_order(s["rows"], probs, discount, power)
        return [[m.key for m in s["rows"][i].members] for i in order] + [[m.key for m in t.members] for t in rest]

    def kinds(seed, order_keys, missed=None) -> Counter:
        """Misses: 'b' a pure row of its own ranked below the 20th, else 'd' (no pure row of its own)."""
        out: Counter = Counter()
        rows = row_intents(order_keys, intents)
        for article in seeds[seed]["removed"]:
            own = [i for i, c in enumerate(rows) if c.most_common(1)[0][0] == article
                   and c[article] / sum(c.values()) >= PURITY]
            if not own or own[0] >= TOP:
                out["b" if own else "d"] += 1
                if missed is not None:
                    missed.add((seed, article))
        return out

    def line(name, per):
        return (f"| {name} | {sum(per)} of {REMOVED * len(per)} ({sum(per) / (REMOVED * len(per)):.3f}) | "
                f"{sum(n < REMOVED - 1 for n in per)} | {min(per)} |")

    print(f"features: {', '.join(names)}; ridge {RIDGE}; rows: each seed's {ROWS} largest")
    print("| fold (held-out seeds) | order | found | seeds < 14 | worst | AUC held out | discount, power |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    total_shipped, total_model = [], []
    miss_shipped, miss_model = Counter(), Counter()
    lost_shipped, lost_model = set(), set()
    for fold in ([range(1, args.seeds + 1)] if args.in_sample else FOLDS):
        test = [s for s in fold if s in seeds]
        train = [s for s in seeds if s not in test] or test
        model = fit(np.vstack([seeds[s]["x"][seeds[s]["fit"]] for s in train]),
                    np.concatenate([seeds[s]["y"][seeds[s]["fit"]] for s in train]))
        grid = [(d, a) for a in args.powers for d in args.discounts]
        best = max(grid, key=lambda g: (sum(found(s, ordered(s, model, g)) for s in train),
                                        -sum(found(s, ordered(s, model, g)) < REMOVED - 1 for s in train), g[1], -g[0]))
        held_p = np.concatenate([predict(model, seeds[s]["x"]) for s in test])
        held_y = np.concatenate([seeds[s]["y"] for s in test])
        shipped = [found(s, seeds[s]["shipped"]) for s in test]
        mine = [found(s, ordered(s, model, best)) for s in test]
        for s in test:
            miss_shipped.update(kinds(s, seeds[s]["shipped"], lost_shipped))
            miss_model.update(kinds(s, ordered(s, model, best), lost_model))
        total_shipped += shipped
        total_model += mine
        label = f"{test[0]}–{test[-1]}"
        print(line(f"{label} | shipped rule", shipped) + " | |")
        contest = np.concatenate([np.arange(2, len(seeds[s]["x"]) + 2) for s in test])
        zone = (contest >= 10) & (contest <= 40)
        flag = np.concatenate([[f["flagged"] for f in row_features(seeds[s]["rows"])[1:]] for s in test])
        print(line(f"{label} | model", mine) + f" {auc(held_p, held_y.astype(bool)):.3f} "
              f"(ranks 10–40: {auc(held_p[zone], held_y[zone].astype(bool)):.3f}; shipped flag "
              f"{auc_ties(flag[zone], held_y[zone].astype(bool)):.3f}) | {best} |")
        print("   per seed (shipped → model): " + ", ".join(f"{s}:{a}→{b}" for s, a, b in zip(test, shipped, mine) if a != b))
    print(line("all folds | shipped rule", total_shipped) + " | |")
    print(line("all folds | model (held out)", total_model) + " | |")
    print(f"misses (b: a pure row of its own below the 20th, which another order could list; d: no pure row of its own): shipped {dict(miss_shipped)}, "
          f"model {dict(miss_model)}; missed by both {len(lost_shipped & lost_model)}")
    if args.fit_all:
        model = fit(np.vstack([seeds[s]["x"] for s in seeds]), np.concatenate([seeds[s]["y"] for s in seeds]))
        intercept, coef = raw_coefficients(model)
        print(f"all 40 seeds: intercept {intercept:.3f}; " + ", ".join(f"{n} {c:.3f}" for n, c in zip(names, coef)))
        print("standardised: " + ", ".join(f"{n} {c:.3f}" for n, c in zip(names, model[0][1:])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
