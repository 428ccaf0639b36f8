"""Session 33 (issue 12, held-out topics), tried on the development removals of
topic_words_calibration.py (seeds 1 … 40, 15 articles each, half A only; never half B or a
declared held-out seed): three mechanisms for two near-duplicate removed needs in one row, each
beside the shipped grouping and order, settings chosen on the training seeds of the fixed
folds 1–10, 11–20, 21–30, 31–40 (most found, then fewest seeds under 14), scored on the other ten.

* ``finer``: **clustering at two granularities**. The run's wordings are grouped a second time
  by the leader pass at a finer threshold ``F`` (meaning and words, as shipped; no merge). A
  shipped row whose wordings fall in two or more fine groups is split in two — the two largest
  fine groups, each other wording to the nearer of their centres (meaning) — only when both
  parts are **big enough** (≥ ``LEAST`` failed searches and ≥ a quarter of the row), **tight**
  (each part's tightness at least the row's plus ``G``) and **distinct by their own frequent
  words** (each part has a stem held by ≥ half of its failed searches and by ≤ ``Q`` of the
  other part's). The parts are two rows, never likely repeats of each other.
* ``spread``: **the merge pass normalised by the rows' spread**. Two leader-pass rows are
  merged only when their average linkage is at least the shipped 0.625 *and* at least ``R`` ×
  the cohesion (average linkage within, self-pairs left out) of the tighter of the two: two
  tight rows that are far apart relative to how tight each is stay two rows.
* ``centred``: **the leader pass in a centred space** ("all but the top"): the run's embedded
  wordings minus their (√ failed-weighted) mean, less their top ``D`` principal directions,
  renormalised; the grouping threshold there is the one that keeps the same share of wording
  pairs above it as 0.7 does in the model's space (so nothing is fitted to the figure); words
  as shipped; the merge and fragments passes, centres and order in the model's space.

Also ``--diagnose``: how well the model's space separates the intents locally and globally
(1-NN accuracy of wordings, the AUC of within- against across-intent cosines for each intent
and its nearest intent), with and without centring, and the best two-way cut of each of the 20
largest rows on the run's 10-nearest-neighbour graph (conductance) as evidence of an impure row
(AUC).

``--spread`` runs four trials (``--only NAME`` picks one): ``spread`` (R), ``spread of the larger row``
(R × the cohesion of the larger of the two rows, the one the other would join; a one-wording
row has none), ``spread and merge
threshold`` (R and the merge pass's own threshold), ``spread, big enough`` (R, and a pair is
held apart only when both rows have at least that many failed searches), ``spread, kept
apart`` (the rows held apart are never likely repeats of each other in the order) and ``spread,
held-apart rows as repeats`` (the smaller of each held-apart pair is ranked as a likely repeat).
``SEED ...``: also scored (never chosen on) on those seeds' removal sets, grouped the same way.

    python benchmarks/search/topic_granularity_trial.py [--finer] [--spread [--only NAME]] [--centred] [--diagnose] [--cache DIR] [SEED ...]
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
from topic_headroom_trial import auc  # noqa: E402
from topic_words_calibration import found_removed  # noqa: E402

from carebase.report import topic_leader, topic_merge, topic_order, topics  # noqa: E402

FOLDS = [range(1, 11), range(11, 21), range(21, 31), range(31, 41)]
GROUP, MERGE, WORDS, FRAGMENTS, REPEAT, DISCOUNT = 0.7, 0.625, 0.15, (0.4, 0.1, True), 0.7, 0.33
LEAST, SHARE, OWN = 5, 0.25, 0.5
FINER = [(f, g, q) for f in (0.75, 0.8, 0.85) for g in (0.0, 0.03) for q in (0.1, 0.2)]
SPREAD = [0.8, 0.85, 0.9, 0.95]
LARGER = [0.8, 0.85, 0.875, 0.9, 0.925, 0.95, 1.0, 1.05]  # with --per-run, also 0 (the shipped merge)
SPREAD_BIG = [(r, b) for r in (0.9, 0.95) for b in (5, 10, 20)]
SPREAD_MERGE = [(r, m) for r in (0.85, 0.9, 0.95) for m in (0.55, 0.575, 0.6, 0.625)]
CENTRED = [0, 1, 3]


def group(wordings, meaning, words, leader_space=None, leader_threshold=GROUP, spread=None, with_apart=False,
          merge_at=MERGE, big=0, mode="tighter"):
    """topics.group with the shipped settings, with the leader pass optionally on other unit rows
    (``leader_space``, at ``leader_threshold``) and the merge pass optionally spread-normalised."""
    space = topic_leader.Blend(meaning if leader_space is None else leader_space, words, WORDS)
    order = sorted(range(len(wordings)), key=lambda i: (-wordings[i].voice, -wordings[i].failed, wordings[i].key))
    weights = np.sqrt(np.array([max(1, w.voice) for w in wordings], dtype=np.float32))
    members, _ = topic_leader.leader(space, order, [], weights, leader_threshold)
    groups = list(members.values())
    failed = np.array([w.failed for w in wordings], dtype=np.float64)
    merges, blocked = merge(groups, meaning, weights, merge_at, spread, failed, big, mode)
    floor, margin, guard = FRAGMENTS
    firsts = [[i for g in parts for i in groups[g]] for parts in merges]
    merges = [[g for f in joined for g in merges[f]]
              for joined in topic_merge.attach_fragments(firsts, meaning, weights, floor, margin, apart_below=GROUP)]
    found = [topics.make_topic([wordings[i] for g in m for i in groups[g]], [meaning[i] for g in m for i in groups[g]])
             for m in merges]
    row_of = {g: r for r, m in enumerate(merges) for g in m}
    pairs = {(id(found[row_of[a]]), id(found[row_of[b]])) for a, b in blocked if row_of[a] != row_of[b]}
    found.sort(key=lambda t: (-t.failed, -t.total("searches"), t.members[0].key))
    if not with_apart:
        return found
    where = {id(t): i for i, t in enumerate(found)}
    return found, {(where[a], where[b]) for a, b in pairs} | {(where[b], where[a]) for a, b in pairs}


def merge(groups, vectors, weights, threshold, spread, failed=None, big=0, mode="tighter"):
    """topic_merge.merge, and with ``spread`` R: a pair whose linkage is below R × the tighter
    part's cohesion is never merged (blocked, the next pair tried)."""
    if spread is None:
        return topic_merge.merge(groups, vectors, weights, threshold), set()
    n = len(groups)
    if n < 2:
        return [[i] for i in range(n)], set()
    v = vectors.astype(np.float64)
    sums, mass, _ = topic_merge._group_sums(groups, v, weights)
    size = np.array([float(failed[g].sum()) for g in groups]) if failed is not None else np.zeros(n)
    self_w = np.array([float((weights[g].astype(np.float64) ** 2).sum()) for g in groups])
    parts = [[g] for g in range(n)]
    alive = np.ones(n, bool)

    def cohesion(a):
        denom = mass[a] ** 2 - self_w[a]
        return 1.0 if denom <= 1e-9 else (float(sums[a] @ sums[a]) - self_w[a]) / denom

    blocked: set = set()
    ever: set = set()
    while True:
        sims = topic_merge.similarities(sums, mass)
        sims[~alive, :] = -np.inf
        sims[:, ~alive] = -np.inf
        for a, b in blocked:
            sims[a, b] = sims[b, a] = -np.inf
        a, b = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[a, b] < threshold:
            break
        if mode == "tighter":
            bound = max(cohesion(a), cohesion(b))
        else:  # "larger": the cohesion of the row the other would join (a one-wording row has none)
            big_one = a if (mass[a], -a) >= (mass[b], -b) else b
            bound = cohesion(big_one) if len(groups[big_one]) > 1 or len(parts[big_one]) > 1 else 0.0
        if sims[a, b] < spread * bound and min(size[a], size[b]) >= big:
            blocked.add((a, b))
            ever.add((a, b))
            continue
        if mass[b] > mass[a] or (mass[b] == mass[a] and b < a):
            a, b = b, a
        sums[a] += sums[b]
        mass[a] += mass[b]
        self_w[a] += self_w[b]
        size[a] += size[b]
        parts[a] += parts[b]
        parts[b] = []
        alive[b] = False
        blocked = {(x, y) for x, y in blocked if b not in (x, y) and a not in (x, y)}
    out = [sorted(p, key=lambda g: (-float(weights[groups[g]].sum()), g)) for p in parts if p]
    out.sort(key=lambda p: min(p))
    return out, ever


def centred(meaning, failed, d):
    """The run's rows less their weighted mean and top ``d`` principal directions, unit length."""
    w = np.sqrt(np.maximum(1, failed))
    y = meaning.astype(np.float64) - np.average(meaning, axis=0, weights=w)
    if d:
        _, _, vt = np.linalg.svd(y * np.sqrt(w)[:, None], full_matrices=False)
        y = y - (y @ vt[:d].T) @ vt[:d]
    n = np.linalg.norm(y, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return (y / n).astype(np.float32)


def matched_threshold(raw, other, threshold):
    """The threshold in ``other``'s cosines above which the same share of pairs lies as above
    ``threshold`` in ``raw``'s (upper triangles)."""
    iu = np.triu_indices(len(raw), 1)
    share = float(((raw @ raw.T)[iu] >= threshold).mean())
    return float(np.quantile((other @ other.T)[iu], 1 - share)) if share > 0 else 1.0


def split_finer(found, wordings, meaning, words, setting):
    """Rows after the two-granularity split; returns (topics, apart position pairs by row object)."""
    fine_at, gain, other_max = setting
    space = topic_leader.Blend(meaning, words, WORDS)
    order = sorted(range(len(wordings)), key=lambda i: (-wordings[i].voice, -wordings[i].failed, wordings[i].key))
    weights = np.sqrt(np.array([max(1, w.voice) for w in wordings], dtype=np.float32))
    members, _ = topic_leader.leader(space, order, [], weights, fine_at)
    fine = {}
    for g, idx in members.items():
        for i in idx:
            fine[i] = g
    position = {id(w): i for i, w in enumerate(wordings)}
    out, pairs = [], []
    for t in found:
        idx = [position[id(m)] for m in t.members]
        by: dict = {}
        for i in idx:
            by.setdefault(fine[i], []).append(i)
        if len(by) < 2:
            out.append(t)
            continue
        big = sorted(by.values(), key=lambda g: -sum(wordings[i].failed for i in g))[:2]
        cents = [topics.make_topic([wordings[i] for i in g], [meaning[i] for i in g]).centre for g in big]
        halves = [list(big[0]), list(big[1])]
        for i in idx:
            if i in big[0] or i in big[1]:
                continue
            halves[int(meaning[i] @ cents[1] > meaning[i] @ cents[0])].append(i)
        parts = [topics.make_topic([wordings[i] for i in h], [meaning[i] for i in h]) for h in halves]
        total = t.failed
        if min(p.failed for p in parts) < max(LEAST, SHARE * total):
            out.append(t)
            continue
        if min(p.tightness() for p in parts) < t.tightness() + gain:
            out.append(t)
            continue

        def shares(p):
            c: Counter = Counter()
            for m in p.members:
                c.update({s: m.failed for s in set(m.key)})
            return {s: n / p.failed for s, n in c.items()}

        sa, sb = shares(parts[0]), shares(parts[1])
        own_a = any(v >= OWN and sb.get(s, 0.0) <= other_max for s, v in sa.items())
        own_b = any(v >= OWN and sa.get(s, 0.0) <= other_max for s, v in sb.items())
        if not (own_a and own_b):
            out.append(t)
            continue
        out += parts
        pairs.append((id(parts[0]), id(parts[1])))
    out.sort(key=lambda t: (-t.failed, -t.total("searches"), t.members[0].key))
    where = {id(t): i for i, t in enumerate(out)}
    apart = {(where[a], where[b]) for a, b in pairs} | {(where[b], where[a]) for a, b in pairs}
    return out, apart


def ranked_as_repeats(found, pairs):
    """The shipped order, and the smaller row of each held-apart pair also ranked as a likely
    repeat (× ``DISCOUNT``) of the larger."""
    _, rep = topic_order.order(np.stack([t.centre for t in found]), REPEAT, [t.failed for t in found], DISCOUNT)
    forced = {max(a, b) for a, b in pairs}  # rows sorted by failed: the later is the smaller
    weight = [t.failed * (DISCOUNT if rep[i] is not None or i in forced else 1.0) for i, t in enumerate(found)]
    return [[m.key for m in found[i].members] for i in sorted(range(len(found)), key=lambda i: (-weight[i], i))]


def ranked_keys(found, apart=frozenset()):
    new, _ = topic_order.order(np.stack([t.centre for t in found]), REPEAT, [t.failed for t in found], DISCOUNT,
                               apart=apart)
    return [[m.key for m in found[i].members] for i in new]


def summary(per) -> str:
    per = list(per)
    return f"{sum(per)} of {REMOVED * len(per)}, {sum(n < REMOVED - 1 for n in per)} under 14, worst {min(per)}"


def impure_top(keys, intents) -> int:
    n = 0
    for row in keys[:TOP]:
        c: Counter = Counter()
        for k in row:
            c.update(intents[k])
        n += c.most_common(1)[0][1] / sum(c.values()) < PURITY
    return n


def folds(name, grid, score, dev, extra, impure, per_run=False):
    """Choose on 30 seeds, score the other 10; print per fold and the total. ``per_run``: choose
    by fewest seeds under 14, then most found (the per-run line's own criterion), else the reverse."""
    held = {}

    def key(g, train):
        found, under = sum(score[g][s] for s in train), sum(score[g][s] < REMOVED - 1 for s in train)
        return (-under, found) if per_run else (found, -under)

    for fold in FOLDS:
        train = [s for s in dev if s not in fold]
        best = max(grid, key=lambda g: key(g, train))
        for s in fold:
            held[s] = (score[best][s], best)
        print(f"  {name} fold {fold.start}-{fold.stop - 1}: chose {best}: {summary(score[best][s] for s in fold)}")
    print(f"{name}, held out: {summary(held[s][0] for s in dev)}")
    for g in grid:
        line = f"  {name} {g}: all 40 {summary(score[g][s] for s in dev)}; impure top-20 rows {sum(impure[g][s] for s in dev)}"
        if extra:
            line += f"; other seeds {summary(score[g][s] for s in extra)}"
        print(line, flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    development_arguments(ap)
    ap.add_argument("--finer", action="store_true")
    ap.add_argument("--spread", action="store_true")
    ap.add_argument("--only", help="run only the trial of this name")
    ap.add_argument("--centred", action="store_true")
    ap.add_argument("--diagnose", action="store_true")
    ap.add_argument("--per-run", action="store_true",
                    help="folds choose by fewest seeds under 14, then most found (default: the reverse)")
    ap.add_argument("extra", nargs="*", type=int, help="more removal seeds, scored only")
    args = ap.parse_args(argv)
    wordings, intents, meaning, words, ids, majority_of = development_wordings(development_embeddings(args.cache))
    dev = list(range(1, args.seeds + 1))
    runs = {}
    for seed in dev + args.extra:
        removed = set(random.Random(seed).sample(ids, REMOVED))
        sel = [i for i, mj in enumerate(majority_of) if mj in removed]
        runs[seed] = (removed, [wordings[i] for i in sel], meaning[sel], words[sel])
    shipped = {s: group(w, m, x) for s, (r, w, m, x) in runs.items()}
    base = {s: found_removed(ranked_keys(shipped[s]), intents, runs[s][0], ordered=True)[0] for s in runs}
    base_imp = {s: impure_top(ranked_keys(shipped[s]), intents) for s in runs}
    print(f"shipped: all 40 {summary(base[s] for s in dev)}; impure top-20 rows {sum(base_imp[s] for s in dev)}"
          + (f"; other seeds {summary(base[s] for s in args.extra)}" if args.extra else ""), flush=True)
    if args.diagnose:
        return diagnose(runs, shipped, intents, wordings, meaning, ids, majority_of)
    trials = []
    if args.finer:
        trials.append(("finer", FINER, lambda s, g: (lambda f: ranked_keys(*f))(
            split_finer(shipped[s], runs[s][1], runs[s][2], runs[s][3], g))))
    if args.spread:
        trials.append(("spread", SPREAD, lambda s, g: ranked_keys(group(runs[s][1], runs[s][2], runs[s][3], spread=g))))
        trials.append(("spread, big enough", SPREAD_BIG, lambda s, g: ranked_keys(
            group(runs[s][1], runs[s][2], runs[s][3], spread=g[0], big=g[1]))))
        trials.append(("spread and merge threshold", SPREAD_MERGE, lambda s, g: ranked_keys(
            group(runs[s][1], runs[s][2], runs[s][3], spread=g[0], merge_at=g[1]))))
        trials.append(("spread of the larger row", ([0.0] if args.per_run else []) + LARGER, lambda s, g: ranked_keys(
            group(runs[s][1], runs[s][2], runs[s][3], spread=g, mode="larger"))))
        trials.append(("spread, held-apart rows as repeats", SPREAD, lambda s, g: ranked_as_repeats(
            *group(runs[s][1], runs[s][2], runs[s][3], spread=g, with_apart=True))))
        trials.append(("spread, kept apart", SPREAD, lambda s, g: ranked_keys(
            *group(runs[s][1], runs[s][2], runs[s][3], spread=g, with_apart=True))))
    if args.centred:
        def centred_run(s, d):
            _, w, m, x = runs[s]
            c = centred(m, np.array([v.failed for v in w], float), d)
            return ranked_keys(group(w, m, x, leader_space=c, leader_threshold=matched_threshold(m, c, GROUP)))
        trials.append(("centred", CENTRED, centred_run))
    for name, grid, run in trials:
        if args.only and name != args.only:
            continue
        score, impure = {}, {}
        for g in grid:
            score[g], impure[g] = {}, {}
            for s in runs:
                keys = run(s, g)
                score[g][s] = found_removed(keys, intents, runs[s][0], ordered=True)[0]
                impure[g][s] = impure_top(keys, intents)
        folds(name, grid, score, dev, args.extra, impure, args.per_run)
    return 0


def diagnose(runs, shipped, intents, wordings, meaning, ids, majority_of) -> int:
    lab = np.array([ids.index(m) for m in majority_of])
    fw = np.array([w.failed for w in wordings], float)
    x = meaning.astype(np.float64)

    def nn(y, lab, fw):
        s = y @ y.T
        np.fill_diagonal(s, -9)
        return float(np.average(lab[s.argmax(1)] == lab, weights=fw))

    cents = np.stack([x[lab == k].mean(0) for k in range(len(ids))])
    cents /= np.linalg.norm(cents, axis=1, keepdims=True)
    cc = cents @ cents.T
    np.fill_diagonal(cc, -9)
    for name, y in [("model's space", x / np.linalg.norm(x, axis=1, keepdims=True)),
                    ("centred", centred(x, fw, 0)), ("centred, top 3 directions out", centred(x, fw, 3))]:
        aucs = []
        for a in range(len(ids)):
            b = int(cc[a].argmax())
            ya, yb = y[lab == a], y[lab == b]
            within = (ya @ ya.T)[np.triu_indices(len(ya), 1)]
            aucs.append(auc(np.concatenate([within, (ya @ yb.T).ravel()]),
                            np.r_[np.ones(len(within), bool), np.zeros(len(ya) * len(yb), bool)]))
        print(f"{name}: 1-NN intent accuracy (by failed searches) {nn(y, lab, fw):.3f}; within vs across its nearest "
              f"intent, AUC mean {np.mean(aucs):.3f}, 10th percentile {np.percentile(aucs, 10):.3f}")
    recs = []
    for s, (removed, w, m, _) in runs.items():
        y = m.astype(np.float64)
        sims = y @ y.T
        np.fill_diagonal(sims, -9)
        k = 10
        near = np.argsort(-sims, axis=1)[:, :k]
        graph = np.zeros_like(sims)
        graph[np.repeat(np.arange(len(y)), k), near.ravel()] = 1.0
        graph = np.maximum(graph, graph.T)
        local = {v.key: j for j, v in enumerate(w)}
        for t in shipped[s][:TOP]:
            if len(t.members) < 4:
                continue
            idx = np.array([local[v.key] for v in t.members])
            c: Counter = Counter()
            for v in t.members:
                c.update(intents[v.key])
            pur = c.most_common(1)[0][1] / sum(c.values())
            phi = cut(graph[np.ix_(idx, idx)], np.array([v.failed for v in t.members], float))
            recs.append((pur, phi))
    r = np.array(recs)
    impure = r[:, 0] < PURITY
    print(f"the 20 largest rows of each seed, of 4+ wordings: {len(r)}, impure {int(impure.sum())}; the best cut's conductance on the run's "
          f"10-NN graph tells impure rows with AUC {auc(-r[:, 1], impure):.3f}")
    return 0


def cut(a, fw) -> float:
    """Least conductance of a sweep along the Fiedler vector, parts of 20–80 % of the failed searches."""
    d = a.sum(1)
    if (d == 0).any():
        return 0.0
    dm = 1 / np.sqrt(d)
    _, vecs = np.linalg.eigh(np.eye(len(a)) - dm[:, None] * a * dm[None, :])
    order = np.argsort(vecs[:, 1] * dm)
    inside = np.zeros(len(a), bool)
    vol, vol_s, edges, best = d.sum(), 0.0, 0.0, math.inf
    for v in order[:-1]:
        edges += a[v, ~inside].sum() - a[v, inside].sum()
        inside[v] = True
        vol_s += d[v]
        share = fw[inside].sum() / fw.sum()
        if 0.2 <= share <= 0.8:
            best = min(best, edges / min(vol_s, vol - vol_s))
    return best if best < math.inf else 9.0


if __name__ == "__main__":
    raise SystemExit(main())
