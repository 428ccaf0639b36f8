"""Tried in session 27, not shipped (benchmarks/RESULTS.md, "Held-out topics: session 27"): a row of
two needs, split in two by its searches' own structure (after ``topics.group``).

Two near-duplicate needs ("my transfer failed" and "a transfer to that account is not
allowed") are one meaning to the model, so the grouping can put their failed searches in one
row: one action for two needs. The report does not know which need a search is; it only has
the wordings. A row is split when its wordings form two sub-groups with a measured gap:

1. **Two sub-groups**: the row's wordings (unit vectors, meaning and words: ``topics.with_words``)
   are split by the sign of their projection on the row's main direction of spread (the first
   principal component of the wordings around the centre, each weighted by √ failed searches),
   then refined by a few rounds of two-centre assignment (each wording to the nearer part's
   centre).
2. **A gap**: each part's wordings are on average more similar among themselves than to the
   other part's (average linkage), by at least ``margin`` for the less cohesive part; a row of
   one need worded many ways spreads evenly, with no such gap.
3. **Big enough**: each part holds at least ``MIN_SHARE`` of the row's failed searches and
   ``min_failed`` of them.

The two parts are two rows that are never listed as likely repeats of each other
(``topic_order``): the split said they are two needs.
"""

from __future__ import annotations

import numpy as np

MIN_SHARE = 0.25
ROUNDS = 10


def _sum(idx, vectors, weights):
    return (weights[idx, None] * vectors[idx]).sum(axis=0)


def within(idx: list[int], vectors: np.ndarray, weights: np.ndarray) -> float:
    """Average linkage of a group with itself, each wording's similarity to itself left out."""
    w = weights[idx]
    s = _sum(idx, vectors, weights)
    pairs = float(w.sum()) ** 2 - float(w @ w)
    self_sims = np.einsum("ij,ij->i", vectors[idx], vectors[idx])
    return (float(s @ s) - float((w * w) @ self_sims)) / pairs if pairs > 0 else 1.0


def across(a: list[int], b: list[int], vectors: np.ndarray, weights: np.ndarray) -> float:
    return float(_sum(a, vectors, weights) @ _sum(b, vectors, weights)) / (float(weights[a].sum()) * float(weights[b].sum()))


def two_parts(idx: list[int], vectors: np.ndarray, weights: np.ndarray) -> tuple[list[int], list[int]]:
    """The row's wordings in two parts (step 1 of the module docstring); either may be empty."""
    v = vectors[idx].astype(np.float64)
    w = weights[idx].astype(np.float64)
    centre = (w[:, None] * v).sum(axis=0)
    centre /= np.linalg.norm(centre) or 1.0
    spread = (v - np.outer(v @ centre, centre)) * np.sqrt(w)[:, None]
    _, _, vt = np.linalg.svd(spread, full_matrices=False)
    side = (v @ vt[0]) >= 0
    for _ in range(ROUNDS):
        if side.all() or not side.any():
            break
        ca = (w[side, None] * v[side]).sum(axis=0)
        cb = (w[~side, None] * v[~side]).sum(axis=0)
        ca /= np.linalg.norm(ca) or 1.0
        cb /= np.linalg.norm(cb) or 1.0
        new = (v @ ca) >= (v @ cb)
        if (new == side).all():
            break
        side = new
    return [i for i, s in zip(idx, side) if s], [i for i, s in zip(idx, side) if not s]


def split(idx: list[int], vectors: np.ndarray, weights: np.ndarray, failed: np.ndarray,
          margin: float, min_failed: int) -> tuple[list[int], list[int]] | None:
    """(larger part, smaller part) of a row of two needs, or None (the module docstring).
    ``idx``: the row's wordings (positions); ``vectors``: unit rows of every wording;
    ``weights``: each wording's weight (√ failed searches); ``failed``: each one's failed searches."""
    if len(idx) < 4:
        return None
    total = float(failed[idx].sum())
    if total < 2 * max(min_failed, 1):
        return None
    a, b = two_parts(idx, vectors, weights)
    if len(a) < 2 or len(b) < 2:
        return None
    fa, fb = float(failed[a].sum()), float(failed[b].sum())
    if min(fa, fb) < max(min_failed, MIN_SHARE * total):
        return None
    gap = min(within(a, vectors, weights), within(b, vectors, weights)) - across(a, b, vectors, weights)
    if gap < margin:
        return None
    return (a, b) if fa >= fb else (b, a)


def gaps(space_name: str = "blend", seeds: int = 40, cache: str | None = None) -> None:
    """For each development removal 1 … ``seeds`` (topic_words_calibration.py's simulation, the shipped
    grouping), every top-20 row of 4+ wordings split by ``two_parts``: its purity, the smaller part's
    share, the gap (less cohesive part's within minus across), and each part's purity. Printed
    most-gapped first: whether the gap tells rows of two needs from rows of one."""
    import random
    import sys
    from collections import Counter
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from held_out_topics import REMOVED, TOP
    from topic_calibration import development_wordings

    from carebase.report import topics
    from carebase.report.topic_evidence import FRAGMENTS, GROUP_THRESHOLD, MERGE_THRESHOLD, WORDS_WEIGHT
    from carebase.report.topic_vectors import open_embeddings

    embeddings = open_embeddings(cache)
    wordings, intents, meaning, words, ids, majority = development_wordings(embeddings)
    weight = WORDS_WEIGHT["embedding"]
    rows = []
    for seed in range(1, seeds + 1):
        removed = set(random.Random(seed).sample(ids, REMOVED))
        sel = [i for i, m in enumerate(majority) if m in removed]
        ws, m, wd = [wordings[i] for i in sel], meaning[sel], words[sel]
        found, _ = topics.group(ws, m, GROUP_THRESHOLD["embedding"], merge_threshold=MERGE_THRESHOLD["embedding"],
                                words=wd, words_weight=weight, fragments=FRAGMENTS["embedding"])
        position = {id(w): i for i, w in enumerate(ws)}
        failed = np.array([w.failed for w in ws], dtype=np.float64)
        weights = np.sqrt(np.maximum(1, failed)).astype(np.float32)
        space = topics.with_words(m, wd, weight) if space_name == "blend" else m

        def purity(members):
            c: Counter = Counter()
            for i in members:
                c.update(intents[ws[i].key])
            return c.most_common(1)[0][1] / sum(c.values())
        for rank, t in enumerate(sorted(found, key=lambda t: -t.failed)[:TOP]):
            idx = [position[id(w)] for w in t.members]
            if len(idx) < 4:
                continue
            a, b = two_parts(idx, space, weights)
            if len(a) < 2 or len(b) < 2:
                continue
            fa, fb = float(failed[a].sum()), float(failed[b].sum())
            gap = min(within(a, space, weights), within(b, space, weights)) - across(a, b, space, weights)
            rows.append((gap, seed, rank + 1, int(fa + fb), purity(idx), min(fa, fb) / (fa + fb), purity(a), purity(b)))
    print("| gap | seed | rank | failed | purity | smaller part's share | part purities |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for gap, seed, rank, n, pur, share, pa, pb in sorted(rows, reverse=True):
        print(f"| {gap:.3f} | {seed} | {rank} | {n} | {pur:.2f} | {share:.2f} | {pa:.2f} / {pb:.2f} |")
    for cut in (0.02, 0.04, 0.06, 0.08, 0.1, 0.12):
        over = [r for r in rows if r[0] >= cut]
        print(f"gap >= {cut}: {sum(r[4] < 0.8 for r in over)} of {sum(r[4] < 0.8 for r in rows)} impure rows (< 0.8), "
              f"{sum(r[4] >= 0.8 for r in over)} of {sum(r[4] >= 0.8 for r in rows)} pure rows")


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="the gap of each development row's best two-part split")
    ap.add_argument("--space", choices=("blend", "meaning"), default="blend")
    ap.add_argument("--seeds", type=int, default=40)
    ap.add_argument("--cache", help="the embeddings' cache folder (as topic_words_calibration.py --cache)")
    args = ap.parse_args()
    gaps(args.space, args.seeds, args.cache)
