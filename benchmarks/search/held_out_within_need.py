"""Held-out topics (issue 12, session 43, `topics`): does the variation customers' wordings show
*within one need* — learned from the wordings that reached a covered item on the site itself —
tell two removed near-duplicate needs apart?

The site's journeys (``carebase.learned.journeys.evidence``: a click not followed by a "No" or a
contact, a "Yes" after a search) label wordings by the item they reached: the product's own
evidence, no data-set label. From each store's reached wordings (per item, centred on the item's
mean) this estimates the within-need scatter S_w and compares the removed needs' *failed* wordings
(the inputs ``topics.group`` was given, kept by ``held_out_apart_words.py report --keep-inputs``)
in the space W = ((1 − a) S_w + a (tr S_w / d) I)^(-1/2) (within-class covariance normalisation,
WCCN, shrunk toward the identity by ``a``), each row renormalised; or with the top k within-need
directions damped by a factor (``damp``), or projected on the top m discriminant directions of the
items (``lda``: between-item scatter against the shrunk within-need scatter). The data set's labels
are used for scoring only.

Scored per store, raw space against each W, on the failed wordings whose searches are mostly of a
removed need: the AUC of within-need cosines against cosines to the nearest removed need (by the
two needs' centres in the raw space; mean over the removed needs), the nearest-wording purity
(the share of those wordings whose nearest failed wording is of their own need), and the AUC of
each pair of removed needs that are each other's nearest and of session 42's 7 leader-pass (d)
pairs (within-need cosines of both against the cosines between them).

    python benchmarks/search/held_out_within_need.py diagnose SEED... --inputs /tmp/topics42/inputs \\
        --stores /tmp/topics/devreal --cache /tmp/topics43/vec [--no-journeys] [--grid ...]
    python benchmarks/search/held_out_within_need.py replay SEED... [--grid "knn,20,0.5;support,5,0"]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from held_out_topics import removed_articles  # noqa: E402
from held_out_twins import intents  # noqa: E402

WARM = Path("/tmp/topics42/dev")
# session 42's 7 class-(d) misses formed in the leader pass (RESULTS, "Held-out topics: session 42 (`topics`)", Step 1)
LEADER_PASS_D = {seed: [tuple(f"article:{a}" for a in pair) for pair in pairs] for seed, pairs in {
    20261203: [("cards/get-disposable-virtual-card", "cards/getting-virtual-card"), ("cards/card-arrival", "cards/card-delivery-estimate"),
               ("verification/unable-to-verify-identity", "verification/why-verify-identity")],
    5: [("cards/card-swallowed", "cash/declined-cash-withdrawal")],
    6: [("verification/unable-to-verify-identity", "verification/verify-my-identity")],
    9: [("payments/declined-card-payment", "payments/reverted-card-payment")],
    17: [("exchange/fiat-currency-support", "topup/supported-cards-and-currencies")],
}.items()}


def reached_wordings(db: Path) -> dict[str, Counter]:
    """item id → Counter(wording as the report embeds it (lower case, spaces folded) → journeys)."""
    from sqlalchemy import create_engine

    from carebase.learned.journeys import evidence

    engine = create_engine(f"sqlite:///{db}")
    out: dict[str, Counter] = defaultdict(Counter)
    with engine.connect() as conn:
        for ev in evidence(conn):
            out[ev.item_id][" ".join(ev.wording.lower().split())] += 1
    engine.dispose()
    return out


def vector_cache(seed: int, cache: Path):
    """The store's report vector cache (copied from session 42's warm copy, never written there)."""
    from carebase.search.vector_cache import VectorCache

    mine = cache / f"{seed}.sqlite"
    if not mine.exists():
        cache.mkdir(parents=True, exist_ok=True)
        warm = WARM / f"heldout-{seed}" / "round" / "report" / ".cache" / "carebase" / "vectors.sqlite"
        if warm.exists():
            shutil.copy2(warm, mine)
    return VectorCache(mine)


def within_scatter(vectors_by_item: list[np.ndarray]) -> tuple[np.ndarray, int]:
    """(S_w: the reached wordings' scatter around their own item's mean, per wording; wordings used)."""
    d = vectors_by_item[0].shape[1]
    s = np.zeros((d, d), dtype=np.float64)
    n = 0
    for x in vectors_by_item:
        if len(x) < 2:
            continue
        c = x - x.mean(axis=0)
        s += c.T @ c
        n += len(x)
    return s / max(1, n), n


def wccn(s_w: np.ndarray, shrink: float) -> np.ndarray:
    d = s_w.shape[0]
    s = (1 - shrink) * s_w + shrink * (np.trace(s_w) / d) * np.eye(d)
    vals, vecs = np.linalg.eigh(s)
    return (vecs / np.sqrt(np.maximum(vals, 1e-12))) @ vecs.T


def damp(s_w: np.ndarray, k: int, factor: float) -> np.ndarray:
    vals, vecs = np.linalg.eigh(s_w)
    top = vecs[:, -k:]
    return np.eye(s_w.shape[0]) - (1 - factor) * top @ top.T


def lda(by_item: list[np.ndarray], s_w: np.ndarray, shrink: float, keep: int) -> np.ndarray:
    """The top ``keep`` directions of between-need against (shrunk) within-need scatter of the reached
    wordings (linear discriminant analysis on the site's own items), each scaled to unit within-need variance."""
    means = np.stack([x.mean(axis=0) for x in by_item if len(x) >= 2])
    sizes = np.array([len(x) for x in by_item if len(x) >= 2], dtype=np.float64)
    centred = means - np.average(means, axis=0, weights=sizes)
    s_b = (centred * sizes[:, None]).T @ centred / sizes.sum()
    white = wccn(s_w, shrink)
    vals, vecs = np.linalg.eigh(white @ s_b @ white)
    return white @ vecs[:, ::-1][:, :keep]


def neighbour_profiles(x: np.ndarray, k: int, blend: float) -> np.ndarray:
    """Each wording as the set of its ``k`` nearest failed wordings (itself included), a unit
    indicator row: two rows' cosine is the share of neighbours they share (shared-nearest-neighbour
    similarity); with ``blend`` < 1, beside the meaning (cosine = (1 − blend) × meaning + blend × shared)."""
    sims = x @ x.T
    near = np.argsort(-sims, axis=1)[:, :k]
    prof = np.zeros((len(x), len(x)))
    np.put_along_axis(prof, near, 1.0, axis=1)
    prof[np.arange(len(x)), np.arange(len(x))] = 1.0
    prof = unit(prof)
    return np.hstack([np.sqrt(1 - blend) * x, np.sqrt(blend) * prof]) if blend < 1 else prof


def unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    n[n == 0] = 1
    return x / n


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    if not len(pos) or not len(neg):
        return float("nan")
    allv = np.concatenate([pos, neg])
    _, inverse, counts = np.unique(allv, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - (counts - 1) / 2)[inverse]  # average ranks: ties count a half
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def scores(x: np.ndarray, labels: list[str], removed: set[str], pairs: list[tuple[str, str]], nearest: dict) -> dict:
    """AUC (mean over removed needs), nearest-wording purity, and each pair's AUC, in space x."""
    sims = x @ x.T
    np.fill_diagonal(sims, -np.inf)
    lab = np.array(labels)
    mine = np.array([l in removed for l in labels])
    idx = {need: np.flatnonzero(lab == need) for need in removed}
    aucs = []
    for need, other in nearest.items():
        a, b = idx[need], idx[other]
        if len(a) < 2 or not len(b):
            continue
        within = sims[np.ix_(a, a)][np.triu_indices(len(a), 1)]
        aucs.append(auc(within, sims[np.ix_(a, b)].ravel()))
    near = sims.argmax(axis=1)
    purity = float(np.mean([lab[near[i]] == lab[i] for i in np.flatnonzero(mine)]))

    def pair_auc(p, q):
        a, b = idx[p], idx[q]
        within = np.concatenate([sims[np.ix_(a, a)][np.triu_indices(len(a), 1)],
                                 sims[np.ix_(b, b)][np.triu_indices(len(b), 1)]])
        return auc(within, sims[np.ix_(a, b)].ravel())

    return {"auc": float(np.nanmean(aucs)), "purity": purity, "pairs": {p: pair_auc(*p) for p in pairs}}


def settings(spec: str) -> list[tuple[str, float, float]]:
    out = []
    for part in spec.split(";"):
        kind, *vals = part.split(",")
        out.append((kind, *(float(v) for v in vals)))
    return out


def diagnose(args) -> None:
    import pickle

    intent_of = intents()
    catalogue = harness.query_set(args).catalogue()
    grid = [("raw", 0, 0)] + settings(args.grid)
    totals: dict = defaultdict(list)
    for seed in args.seeds:
        kept = pickle.loads((Path(args.inputs) / f"{seed}.pkl").read_bytes())
        wordings, matrix = kept["wordings"], kept["matrix"].astype(np.float64)
        removed = set(removed_articles(catalogue, seed, round(0.2 * len(catalogue.articles))))
        labels = []
        for w in wordings:
            c: Counter = Counter()
            for q, n in w.queries.items():
                c[intent_of.get(" ".join(q.lower().split()), "?")] += n
            labels.append(c.most_common(1)[0][0])
        keep = np.array([l != "?" for l in labels])
        x0, lab = unit(matrix[keep]), [l for l, k in zip(labels, keep) if k]
        present = {l for l in lab if l in removed and lab.count(l) >= 2}
        centres = {need: unit(x0[[i for i, l in enumerate(lab) if l == need]].sum(axis=0, keepdims=True))[0] for need in present}
        nearest = {}
        for need in present:
            others = [o for o in present if o != need]
            if others:
                nearest[need] = max(others, key=lambda o: float(centres[need] @ centres[o]))
        pairs = sorted({tuple(sorted((a, b))) for a, b in nearest.items() if nearest.get(b) == a})
        pairs += [p for p in LEADER_PASS_D.get(seed, ()) if p not in pairs and set(p) <= present]
        db = Path(args.cache) / f"{seed}.db"  # a copy: the played stores are never opened for writing
        if not db.exists() and not args.no_journeys:
            Path(args.cache).mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(args.stores) / f"heldout-{seed}" / "round" / "feedback.db", db)
        reached = reached_wordings(db) if not args.no_journeys else {}
        cache = vector_cache(seed, Path(args.cache))
        texts = sorted({t for c in reached.values() for t in c})
        vec = dict(zip(texts, cache.queries(texts))) if texts else {}
        by_item = [np.stack([vec[t] for t in c]).astype(np.float64) for c in reached.values()]
        s_w, used = within_scatter(by_item) if by_item else (None, 0)
        print(f"{seed}: {len(wordings)} failed wordings ({int(keep.sum())} labelled, {sum(l in removed for l in lab)} of "
              f"removed needs); reached: {len(reached)} items, {len(texts)} wordings ({used} in items with 2+); "
              f"mutual-nearest removed pairs {len(pairs)}", flush=True)
        for kind, p1, p2 in grid:
            if kind == "raw":
                x = x0
            elif kind == "knn":
                x = neighbour_profiles(x0, int(p1), p2)
            elif s_w is None or not used:
                continue
            elif kind == "wccn":
                x = unit(x0 @ wccn(s_w, p1))
            elif kind == "lda":
                x = unit(x0 @ lda(by_item, s_w, p1, int(p2)))
            else:
                x = unit(x0 @ damp(s_w, int(p1), p2))
            r = scores(x, lab, removed, pairs, nearest)
            name = f"{kind} {p1:g} {p2:g}" if kind != "raw" else "raw"
            totals[name].append(r)
            print(f"  {name:16s} AUC {r['auc']:.3f}  purity {r['purity']:.3f}  pairs "
                  + ", ".join(f"{a.split('/')[-1]}|{b.split('/')[-1]} {v:.3f}" for (a, b), v in r["pairs"].items()), flush=True)
    print("mean over stores:")
    for name, rs in totals.items():
        print(f"  {name:16s} AUC {np.mean([r['auc'] for r in rs]):.3f}  purity {np.mean([r['purity'] for r in rs]):.3f}"
              f"  pair AUC {np.nanmean([v for r in rs for v in r['pairs'].values()]):.3f} ({len(rs)} stores)")


def matched_threshold(reference: np.ndarray, threshold: float, other: np.ndarray) -> float:
    """The cosine in ``other`` that as large a share of wording pairs reaches as reach
    ``threshold`` in ``reference`` (both unit rows of the same wordings)."""
    upper = np.triu_indices(len(reference), 1)
    share = float(np.mean((reference @ reference.T)[upper] >= threshold))
    return float(np.quantile((other @ other.T)[upper], 1 - share))


def leader_on(vectors: np.ndarray, run):
    """``run()`` with the leader pass (``topic_leader.Blend``: meaning and words) comparing
    ``vectors`` in place of the meaning; the merge and fragments passes, the centres and every
    similarity after the leader pass stay on the meaning (carebase itself unchanged)."""
    from carebase.report import topic_leader

    shipped = topic_leader.Blend

    class OnVectors(shipped):
        def __init__(self, meaning, words, weight):
            super().__init__(vectors, words, weight)

    topic_leader.Blend = OnVectors
    try:
        return run()
    finally:
        topic_leader.Blend = shipped


def supported_leader(near: list[set[int]]):
    """``topic_leader.leader`` where a wording joins (and in the reassignment moves to) only a topic
    that already holds one of its K nearest wordings in the leader pass's space (``near``): the most
    similar such topic at least ``threshold`` similar, else it starts a topic (reassignment: stays)."""
    import math

    from carebase.report import topic_leader

    def leader(space, head, tail, weights, threshold, near_given=None, **_):
        space.start(len(head))
        norms = np.zeros(len(head), dtype=np.float32)
        k = 0
        assignment: dict[int, int] = {}
        holders: dict[int, set[int]] = defaultdict(set)  # topic → its wordings
        for i in head:
            if k and space.present[i]:
                sims = space.dots(k, i) / norms[:k]
                supported = {assignment[n] for n in near[i] if n in assignment}
                ok = [j for j in supported if sims[j] >= threshold]
                if ok:
                    j = max(ok, key=lambda j: sims[j])
                    norms[j] = math.sqrt(space.add(j, i, float(weights[i]))) or 1.0
                    assignment[i] = j
                    holders[j].add(i)
                    continue
            norms[k] = math.sqrt(space.add(k, i, float(weights[i]))) or 1.0
            assignment[i] = k
            holders[k].add(i)
            k += 1
        members: dict[int, list[int]] = {}
        sims = space.all_dots(head, k) / norms[:k]
        for row, i in enumerate(head):
            j = assignment[i]
            if space.present[i]:
                supported = {assignment[n] for n in near[i] if n in assignment}
                ok = [t for t in supported if sims[row, t] >= threshold]
                if ok:
                    j = max(ok, key=lambda t: sims[row, t])
            members.setdefault(j, []).append(i)
        return members, topic_leader.join_tail(space, tail, norms[:k], threshold, members)

    return leader


def with_leader(leader, run):
    from carebase.report import topic_leader

    shipped = topic_leader.leader
    topic_leader.leader = leader
    try:
        return run()
    finally:
        topic_leader.leader = shipped


def replay(args) -> None:
    """``topics.group`` replayed on the kept inputs, its leader pass on the meaning as shipped or
    on neighbour profiles (``knn,K,BLEND``; its threshold matched by the share of pairs), or joining
    only a topic that holds one of a wording's K nearest wordings (``support,K,0``), scored
    offline: each removed need's own pure group (purity ≥ 0.8 by failed searches, as
    held_out_topics.score; anywhere, and among the 20 groups with most failed searches whose
    majority is not a covered need: the report's missing-content rows, roughly), and the (d)
    misses: a need with no such group in the top 20 whose largest group holds another removed need
    at ≥ 20 % of its failed searches; and the leader pass's groups (a merged row's parts) of 10 or
    more failed searches holding two removed needs at ≥ 20 % each."""
    import pickle

    from carebase.report import topics

    intent_of = intents()
    catalogue = harness.query_set(args).catalogue()
    grid = [("raw", 0, 0)] + settings(args.grid)
    totals: dict = defaultdict(lambda: np.zeros(5, dtype=int))
    for seed in args.seeds:
        kept = pickle.loads((Path(args.inputs) / f"{seed}.pkl").read_bytes())
        wordings, matrix = kept["wordings"], kept["matrix"]
        kwargs = {k: v for k, v in kept["kwargs"].items() if k != "apart"}
        threshold = kept["args"][0]
        removed = set(removed_articles(catalogue, seed, round(0.2 * len(catalogue.articles))))

        def mix(topic) -> Counter:
            c: Counter = Counter()
            for w in topic.members:
                for q, n in w.queries.items():
                    c[intent_of.get(" ".join(q.lower().split()), "?")] += n
            return c

        line = []
        for kind, p1, p2 in grid:
            if kind == "raw":
                found_topics, _ = topics.group(wordings, matrix, threshold, **kwargs)
                setting = "raw"
            elif kind in ("gate", "mgate", "igate", "sgate", "s10gate"):
                # session 44, the grouping on neighbourhoods (neighbour_grouping): gate, the merge and fragments
                # passes gated (K, rho); sgate / s10gate, with the leader pass joining only a topic that holds one
                # of a wording's 5 / 10 nearest; mgate: the graph on the meaning alone; igate: the relative
                # interconnectivity in place of the closeness
                import neighbour_grouping

                support = {"sgate": 5, "s10gate": 10}.get(kind, 0)
                regroup = None
                if args.regroup:
                    regroup = tuple(float(x) for x in args.regroup.split(","))
                neighbour_grouping.install((support, int(p1), p2), "interconnectivity" if kind == "igate" else "closeness",
                                           (lambda v, w, ww: v) if kind == "mgate" else None, regroup=regroup, apart=args.apart,
                                           aside=args.aside)
                try:
                    found_topics, _ = topics.group(wordings, matrix, threshold, **kwargs)
                finally:
                    neighbour_grouping.uninstall()
                setting = f"{kind} {p1:g} {p2:g}"
            elif kind == "support":
                blended = topics.with_words(matrix, kwargs["words"], kwargs["words_weight"])
                sims = blended @ blended.T
                np.fill_diagonal(sims, -np.inf)
                near = [set(row) for row in np.argsort(-sims, axis=1)[:, :int(p1)].tolist()]
                found_topics, _ = with_leader(supported_leader(near),
                                              lambda: topics.group(wordings, matrix, threshold, **kwargs))
                setting = f"support {p1:g}"
            else:
                present = matrix.any(axis=1)
                prof = np.zeros((len(matrix), len(matrix) + (matrix.shape[1] if p2 < 1 else 0)), dtype=np.float32)
                sub = neighbour_profiles(matrix[present].astype(np.float64), int(p1), p2)
                cols = np.flatnonzero(present)
                if p2 < 1:
                    prof[np.ix_(cols, np.arange(matrix.shape[1]))] = sub[:, :matrix.shape[1]]
                    prof[np.ix_(cols, matrix.shape[1] + cols)] = sub[:, matrix.shape[1]:]
                else:
                    prof[np.ix_(cols, cols)] = sub
                blend_ref = topics.with_words(matrix, kwargs["words"], kwargs["words_weight"])
                blend_new = topics.with_words(prof, kwargs["words"], kwargs["words_weight"])
                t = matched_threshold(blend_ref[present], threshold, blend_new[present])
                found_topics, _ = leader_on(prof, lambda: topics.group(wordings, matrix, t, **kwargs))
                setting = f"{kind} {p1:g} {p2:g} (t {t:.3f})"
            # ranked as the report's missing-content rows roughly are: the groups a covered item would
            # answer (majority a covered need) left out, the rest by failed searches
            everything = [(tp, mix(tp)) for tp in sorted(found_topics, key=lambda tp: -tp.failed)]
            ranked = [c for tp, c in everything if c and c.most_common(1)[0][0] in removed | {"?"}]
            if args.ranked:  # session 45: ordered as the report orders rows (likely repeats, twins, credit)
                ranked = repeats_order([(tp, c) for tp, c in everything if c and c.most_common(1)[0][0] in removed | {"?"}],
                                       kind in ("gate", "mgate", "igate", "sgate", "s10gate") and args.apart)
            own_any = own_top = mixed = 0
            for need in removed:
                best = [(c[need] / sum(c.values()), r) for r, c in enumerate(ranked) if c.most_common(1)[0][0] == need]
                own_any += any(p >= 0.8 for p, _ in best)
                ok = any(p >= 0.8 and r < 20 for p, r in best)
                own_top += ok
                if args.verbose and not ok:
                    print(f"    {setting}: {need.split('/')[-1]} not own pure in top 20 (best {[(round(p, 2), r) for p, r in best][:3]})")
                largest = max(ranked, key=lambda c: c[need])
                mixed += not ok and any(o != need and largest[o] >= 0.2 * sum(largest.values()) for o in removed)
            parts = [mix(p) for tp in found_topics for p in (tp.parts or [tp]) if p.failed >= 10]
            two = sum(1 for c in parts if sum(1 for need in removed if c[need] >= 0.2 * sum(c.values())) >= 2)
            totals[setting.split(" (")[0]] += [own_any, own_top, mixed, len(everything), two]
            line.append(f"{setting}: own pure {own_any}, in top 20 {own_top}, (d) misses {mixed}, groups {len(everything)}, "
                        f"leader-pass groups of 10+ mixing two removed needs {two}")
        print(f"{seed}: " + "; ".join(line), flush=True)
    print("sum over stores (own pure group, in top 20, (d) misses, groups, leader-pass groups of 10+ mixing two removed needs):")
    for name, v in totals.items():
        print(f"  {name:16s} {v.tolist()}")


def repeats_order(rows: list, apart: bool) -> list:
    """Session 45: the replay's rows (topic, mix) in the report's order (``topic_order.order`` with the
    shipped REPEATS, TWINS and REPEATS_CREDIT, on failed searches); ``apart``: rows holding the two
    sides of a join the gate refused are never likely repeats (``neighbour_grouping.refused_apart``)."""
    from carebase.report import topic_evidence, topic_order

    import neighbour_grouping

    if len(rows) < 2:
        return [c for _, c in rows]
    listed = [t for t, _ in rows]
    threshold, discount = topic_evidence.REPEATS["embedding"]
    pairs = neighbour_grouping.refused_apart(listed) if apart else frozenset()
    new, _ = topic_order.order(np.stack([t.centre for t in listed]), threshold, [t.failed for t in listed], discount,
                               pairs, topic_evidence.TWINS["embedding"], None, topic_evidence.REPEATS_CREDIT["embedding"])
    return [rows[i][1] for i in new]


def kept_inputs(inputs: str, seed: int, catalogue):
    """What ``topics.group`` was given for ``seed`` (``held_out_apart_words.py report --keep-inputs``):
    (wordings, meaning matrix, keyword arguments, threshold, the run's removed articles), and the
    K-nearest graphs of ``ks`` on the leader pass's rows (meaning and words) as ``neighbour_grouping.Links``."""
    import pickle

    kept = pickle.loads((Path(inputs) / f"{seed}.pkl").read_bytes())
    kwargs = {k: v for k, v in kept["kwargs"].items() if k != "apart"}
    removed = set(removed_articles(catalogue, seed, round(0.2 * len(catalogue.articles))))
    return kept["wordings"], kept["matrix"], kwargs, kept["args"][0], removed


def graphs_of(matrix, kwargs, ks) -> dict:
    """The K-nearest graphs (each K of ``ks``) of the leader pass's rows (meaning and words), as
    ``neighbour_grouping.Links``."""
    import neighbour_grouping
    from carebase.report import topics

    rows = topics.with_words(matrix, kwargs["words"], kwargs["words_weight"])
    return {k: neighbour_grouping.Links(neighbour_grouping.nearest(rows, k, matrix.any(axis=1)), 0.0) for k in ks}


def considered_joins(wordings, matrix, threshold, kwargs, setting) -> list[tuple[list[int], list[int], bool]]:
    """Every join the merge and fragments passes consider with ``neighbour_grouping`` at ``setting``
    (S, K, rho), in order: its two sides (wording positions) and whether the gate let it through."""
    import neighbour_grouping
    from carebase.report import topics

    seen = []
    shipped = neighbour_grouping.Links.linked

    def spy(self, a, b):
        ok = shipped(self, a, b)
        seen.append((list(a), list(b), ok))
        return ok

    neighbour_grouping.Links.linked = spy
    neighbour_grouping.install(setting)
    try:
        topics.group(wordings, matrix, threshold, **kwargs)
    finally:
        neighbour_grouping.uninstall()
        neighbour_grouping.Links.linked = shipped
    return seen


def labelled_joins(joins, wordings, intent_of, removed, min_size):
    """The joins that touch a removed need, both sides of ``min_size``+ wordings, labelled: ("one" or
    "two" needs, a, b, (majority need, its share, failed searches) of a, the same of b)."""

    def need(idx):
        c: Counter = Counter()
        for i in idx:
            for q, n in wordings[i].queries.items():
                c[intent_of.get(" ".join(q.lower().split()), "?")] += n
        top, n = c.most_common(1)[0]
        return top, n / sum(c.values()), sum(c.values())

    for a, b in joins:
        sa, sb = need(a), need(b)
        if (sa[0] in removed or sb[0] in removed) and min(len(a), len(b)) >= min_size:
            yield ("one" if sa[0] == sb[0] else "two"), a, b, sa, sb


def links(args) -> None:
    """Session 44: every join the merge and fragments passes consider (the shipped grouping, no gate),
    with its two sides' majority needs and the sides' relative interconnectivity on the K-nearest
    graph (``neighbour_grouping``): how well the neighbourhoods tell a join of two removed needs from a
    join of one need's parts. Scored on the removed needs' joins only (labels for scoring only)."""
    intent_of = intents()
    catalogue = harness.query_set(args).catalogue()
    ks = [int(k) for k in args.ks.split(",")]
    rows_all: dict = defaultdict(list)
    for seed in args.seeds:
        wordings, matrix, kwargs, threshold, removed = kept_inputs(args.inputs, seed, catalogue)
        graphs = graphs_of(matrix, kwargs, ks)
        joins = [(a, b) for a, b, _ in considered_joins(wordings, matrix, threshold, kwargs, (0, ks[0], 0.0))]  # rho 0: all pass
        for kind, a, b, (na, pa, fa), (nb, pb, fb) in labelled_joins(joins, wordings, intent_of, removed, args.min_size):
            rs = [graphs[k].interconnectivity(a, b) for k in ks] + [graphs[k].closeness(a, b) for k in ks]
            rows_all[kind].append(rs)
            if kind == "two" or args.verbose:
                print(f"  {seed} {kind}: {na.split('/')[-1]} ({len(a)} w, {fa} f, {pa:.2f}) + {nb.split('/')[-1]} "
                      f"({len(b)} w, {fb} f, {pb:.2f}): " + ", ".join(f"K{k} {'-' if r is None else f'{r:.2f}'}" for k, r in zip(ks + ks, rs)))
    for j, k in enumerate(ks + [f"{k} snn closeness" for k in ks]):
        two = np.array([r[j] for r in rows_all["two"] if r[j] is not None])
        one = np.array([r[j] for r in rows_all["one"] if r[j] is not None])
        none = sum(r[j] is None for r in rows_all["two"] + rows_all["one"])
        qs = [0.25, 0.5, 0.75]
        print(f"K {k}: one-need joins {len(one)} (quartiles {np.round(np.quantile(one, qs), 2).tolist() if len(one) else '-'}), "
              f"two-need joins {len(two)} ({np.round(np.quantile(two, qs), 2).tolist() if len(two) else '-'}), no evidence {none}; "
              f"AUC one > two {auc(one, two):.3f}; refused at rho 0.25/0.5: one {int((one < 0.25).sum())}/{int((one < 0.5).sum())}, "
              f"two {int((two < 0.25).sum())}/{int((two < 0.5).sum())}")


def profiles(g) -> np.ndarray:
    """The unit-free indicator rows of the graph's neighbourhoods (K nearest and itself)."""
    p = np.zeros((g.n, g.n + 1), dtype=np.float32)
    p[np.repeat(np.arange(g.n), g.near.shape[1]), g.near.ravel()] = 1.0
    p[np.arange(g.n), np.arange(g.n)] = 1.0
    return p[:, :g.n]


def fiedler(g, idx) -> np.ndarray:
    """The Fiedler vector of the rows ``idx`` on the graph's shared-neighbour weights (normalised
    Laplacian, scaled by degree): its sign (or its median) cuts the row in two."""
    p = profiles(g)[idx]
    w = p @ p.T
    np.fill_diagonal(w, 0)
    d = w.sum(axis=1)
    d[d == 0] = 1
    vals, vecs = np.linalg.eigh(np.eye(len(idx)) - w / np.sqrt(np.outer(d, d)))
    return vecs[:, 1] / np.sqrt(d)


def row_mix(wordings, idx, intent_of: dict, removed: set) -> tuple:
    """(kind, the two largest needs, each wording's need) of a row's failed searches: kind "two" when
    two removed needs hold ≥ 20 % each, "one" when one need holds ≥ 90 %, else None."""
    c: Counter = Counter()
    per: list = []
    for i in idx:
        ci: Counter = Counter()
        for q, n in wordings[i].queries.items():
            ci[intent_of.get(" ".join(q.lower().split()), "?")] += n
        c.update(ci)
        per.append(ci.most_common(1)[0][0])
    total = sum(c.values())
    top2 = c.most_common(2)
    if len(top2) == 2 and all(n >= 0.2 * total for _, n in top2) and all(x in removed for x, _ in top2):
        return "two", top2, per
    if top2[0][1] >= 0.9 * total:
        return "one", top2, per
    return None, top2, per


def bisect(args) -> None:
    """Session 44: can a row's own K-nearest graph tell a row of two needs from a row of one? Each
    final row of the shipped grouping with ``--min-size`` wordings or more is cut in two by the
    Fiedler vector of its shared-nearest-neighbour graph (K nearest, compared as the leader pass
    compares); the two halves' shared-neighbour closeness (``neighbour_grouping.Links.closeness``)
    is scored against the row's mix (two removed needs at ≥ 20 % each, or one need at ≥ 90 %)."""
    import pickle

    import neighbour_grouping as topic_neighbours
    from carebase.report import topics

    intent_of = intents()
    catalogue = harness.query_set(args).catalogue()
    ks = [int(k) for k in args.ks.split(",")]
    found: dict = defaultdict(lambda: defaultdict(list))
    for seed in args.seeds:
        kept = pickle.loads((Path(args.inputs) / f"{seed}.pkl").read_bytes())
        wordings, matrix = kept["wordings"], kept["matrix"]
        kwargs = {k: v for k, v in kept["kwargs"].items() if k != "apart"}
        threshold = kept["args"][0]
        removed = set(removed_articles(catalogue, seed, round(0.2 * len(catalogue.articles))))
        rows = topics.with_words(matrix, kwargs["words"], kwargs["words_weight"])
        position = {id(w): i for i, w in enumerate(wordings)}
        graphs = {k: topic_neighbours.Links(topic_neighbours.nearest(rows, k, matrix.any(axis=1)), 0.0) for k in ks}
        final, _ = topics.group(wordings, matrix, threshold, **kwargs)
        for t in final:
            idx = [position[id(w)] for w in t.members]
            if len(idx) < args.min_size:
                continue
            kind, top2, per = row_mix(wordings, idx, intent_of, removed)
            if kind is None:
                continue
            out = []
            for k in ks:
                g = graphs[k]
                f = fiedler(g, idx)
                side = f >= np.median(f) if args.median else f >= 0
                a = [i for i, s_ in zip(idx, side) if s_]
                b = [i for i, s_ in zip(idx, side) if not s_]
                r = g.closeness(a, b) if a and b else None
                agree = None
                if kind == "two":
                    lab = np.array([x == top2[0][0] for x in per])
                    agree = max(np.mean(lab == side), np.mean(lab != side))
                found[k][kind].append(1.0 if r is None else r)
                out.append(f"K{k} {'-' if r is None else f'{r:.2f}'} ({len(a)}/{len(b)}" + (f", agree {agree:.2f})" if agree is not None else ")"))
            if kind == "two" or args.verbose:
                print(f"  {seed} {kind} {len(idx)} w {t.failed} f: {top2[0][0].split('/')[-1]} / "
                      f"{top2[1][0].split('/')[-1] if len(top2) > 1 else ''}: " + ", ".join(out), flush=True)
    for k in ks:
        one, two = np.array(found[k]["one"]), np.array(found[k]["two"])
        print(f"K {k}: rows of one need {len(one)} (quartiles {np.round(np.quantile(one, [0.1, 0.25, 0.5]), 2).tolist()}), "
              f"of two {len(two)} ({np.round(np.quantile(two, [0.5, 0.75, 0.9]), 2).tolist() if len(two) else '-'}); AUC {auc(one, two):.3f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("diagnose", "replay", "links", "bisect"))
    ap.add_argument("--median", action="store_true", help="bisect: cut at the Fiedler vector's median")
    ap.add_argument("seeds", nargs="+", type=int)
    ap.add_argument("--inputs", default="/tmp/topics42/inputs")
    ap.add_argument("--stores", default="/tmp/topics/devreal")
    ap.add_argument("--cache", default="/tmp/topics43/vec")
    ap.add_argument("--grid", default="wccn,0.1,0;wccn,0.3,0;wccn,0.6,0;damp,10,0.3;damp,30,0.3",
                    help="';'-separated: wccn,SHRINK,0 or damp,K,FACTOR or lda,SHRINK,KEEP or knn,K,BLEND; "
                    "replay: knn,K,BLEND or support,K,0 or gate,K,RHO (session 44) or mgate,K,RHO or sgate,K,RHO")
    ap.add_argument("--ks", default="5,10,20", help="links: the K of the nearest-neighbour graphs compared")
    ap.add_argument("--ranked", action="store_true", help="replay: rows ordered as the report orders them (likely repeats)")
    ap.add_argument("--apart", action="store_true", help="replay, neighbour kinds, with --ranked: rows the gate kept apart "
                    "are never likely repeats of each other (session 45)")
    ap.add_argument("--aside", type=float, default=None, help="replay, neighbour kinds: MARGIN (session 45, "
                    "neighbour_grouping.set_aside)")
    ap.add_argument("--regroup", default=None, help="replay, neighbour kinds: K,SHARE (session 45, neighbour_grouping.reassign)")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--min-size", type=int, default=1, help="links: only joins of two groups of at least this many wordings")
    ap.add_argument("--no-journeys", action="store_true", help="only the spaces that need no reached wordings (raw, knn)")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)
    {"diagnose": diagnose, "replay": replay, "links": links, "bisect": bisect}[args.mode](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
