"""A row of two needs, split in two by its searches' own structure (after ``topics.group``).

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
