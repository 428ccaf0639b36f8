"""Topics whose centres are close are one topic: a second, agglomerative pass over ``topics.group``.

The leader pass groups a wording with a topic only when it is at least the grouping threshold
similar to that topic's centre; that threshold is chosen for precision (two needs in one row
give a wrong action for one of them), so one need worded many ways often ends in several
rows ("am I charged for using the ATM?", "are there charges for cash withdrawals?"), which
push other needs out of the top of the backlog.

This pass merges such rows: repeatedly the two most similar topics, while their similarity is
at least ``threshold``. The similarity of two topics is the **average linkage**: the mean
cosine between their wordings, each wording weighted as in the leader pass (√ failed
searches). With unit-length vectors that mean is the dot product of the topics' weighted
sums divided by the product of their weights, so it is updated in O(topics × dimensions)
per merge. A loose topic (its wordings far from each other) counts as far from every other,
and a merge never chains through one shared word: every wording of one topic is compared
with every wording of the other. The threshold is measured on half A of the relevance
harness (benchmarks/search/topic_calibration.py, BCubed F; benchmarks/RESULTS.md).

``attach_fragments`` then gives second rows of one need their one obvious home (nearest by a
clear margin; never a row the words kept apart from it: ``topics.with_words``): the merge
threshold keeps near-duplicate needs apart, so it leaves such fragments, each a row of its own.

Both passes may be gated (``linked``, ``topic_neighbours``): two rows join only when their
wordings share their nearest wordings about as much as each row's wordings share them among
themselves (an experiment option, ``topic_evidence.NEIGHBOURS``).

``merge`` works on index lists so ``topics.group`` builds each merged topic once, keeping
its parts (the leader pass's topics) for stable ids: a merged topic takes the id of its
largest part (``topics.assign_ids``), so a backlog decision on it still attaches.
"""

from __future__ import annotations

import numpy as np


def similarities(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Average linkage between every two groups (diagonal −inf)."""
    sims = (sums @ sums.T) / np.outer(weights, weights)
    np.fill_diagonal(sims, -np.inf)
    return sims


def _group_sums(groups: list[list[int]], vectors: np.ndarray, weights: np.ndarray):
    """Each group's weighted sum of wording vectors, its total weight (1.0 when zero), and
    whether it has any embedded wording (a group of zero vectors is never joined)."""
    n = len(groups)
    sums = np.zeros((n, vectors.shape[1]), dtype=np.float64)
    mass = np.zeros(n, dtype=np.float64)
    for g, idx in enumerate(groups):
        sums[g] = (weights[idx, None] * vectors[idx]).sum(axis=0)
        mass[g] = float(weights[idx].sum()) or 1.0
    active = np.array([bool(sums[g].any()) for g in range(n)])
    return sums, mass, active


def _members(groups: list[list[int]], parts: list[int]) -> list[int]:
    """The wording positions of a group made of ``parts`` (positions in ``groups``)."""
    return [i for p in parts for i in groups[p]]


def merge(groups: list[list[int]], vectors: np.ndarray, weights: np.ndarray, threshold: float,
          linked=None) -> list[list[int]]:
    """Which groups become one: a list of lists of positions in ``groups``, each list the
    parts of one merged group (largest part first, by total weight), in the order of each
    list's first part. ``vectors``: unit-length rows of the wordings; ``weights``: each
    wording's weight; a group of zero vectors (not embedded) is never merged. ``linked``
    (``topic_neighbours.Gate.linked``, given two lists of wording positions): two groups whose
    neighbours say they are two needs are not merged (that pair is passed over; a group either
    later becomes is compared afresh)."""
    n = len(groups)
    if n < 2:
        return [[i] for i in range(n)]
    sums, mass, active = _group_sums(groups, vectors, weights)
    sims = similarities(sums, mass)
    sims[~active, :] = -np.inf
    sims[:, ~active] = -np.inf
    best = np.argmax(sims, axis=1)
    best_sim = sims[np.arange(n), best]
    parts = [[g] for g in range(n)]
    while True:
        a = int(np.argmax(best_sim))
        if best_sim[a] < threshold:
            break
        b = int(best[a])
        if linked is not None and not linked(_members(groups, parts[a]), _members(groups, parts[b])):
            sims[a, b] = sims[b, a] = -np.inf
            for g in (a, b):
                best[g] = int(np.argmax(sims[g]))
                best_sim[g] = sims[g, best[g]]
            continue
        if mass[b] > mass[a] or (mass[b] == mass[a] and b < a):
            a, b = b, a  # the larger group absorbs the smaller
        sums[a] += sums[b]
        mass[a] += mass[b]
        parts[a] += parts[b]
        parts[b] = []
        active[b] = False
        sims[b, :] = -np.inf
        sims[:, b] = -np.inf
        row = (sums @ sums[a]) / (mass * mass[a])
        row[~active] = -np.inf
        row[a] = -np.inf
        sims[a, :] = row
        sims[:, a] = row
        best_sim[b] = -np.inf
        stale = np.flatnonzero(active & ((best == a) | (best == b)))
        for g in stale:
            best[g] = int(np.argmax(sims[g]))
            best_sim[g] = sims[g, best[g]]
        better = active & (row > best_sim)
        best[better] = a
        best_sim[better] = row[better]
        best[a] = int(np.argmax(sims[a]))
        best_sim[a] = sims[a, best[a]]
    out = [sorted(p, key=lambda g: (-float(weights[groups[g]].sum()), g)) for p in parts if p]
    out.sort(key=lambda p: min(p))
    return out


def attach_fragments(groups: list[list[int]], vectors: np.ndarray, weights: np.ndarray,
                     floor: float, margin: float, apart_below: float | None = None,
                     linked=None) -> list[list[int]]:
    """Second rows of one need: smallest first, a group joins its nearest group (average
    linkage) when that one is larger, at least ``floor`` similar, and nearer by ``margin`` than
    any other group — a fragment has one obvious home; a group between two needs stays apart.
    ``apart_below``: and only when its wordings are on average less than that similar to the
    home's centre — a group meaning alone would have joined to it was kept apart by its words
    (a near-duplicate need, ``topics.with_words``), not by its meaning: it stays apart.
    ``linked``: and only when the two groups' neighbours say they are one need (as in ``merge``).
    Same input and output shape as ``merge``."""
    n = len(groups)
    if n < 3:
        return [[i] for i in range(n)]
    sums, mass, active = _group_sums(groups, vectors, weights)
    sims = similarities(sums, mass)
    parts = [[g] for g in range(n)]
    for a in sorted(range(n), key=lambda g: (mass[g], -g)):
        if not active[a]:
            continue
        row = sims[a].copy()
        row[~active] = -np.inf
        near = np.argsort(row)[::-1][:2]
        b, c = int(near[0]), int(near[1])
        if row[b] < floor or mass[b] <= mass[a] or row[b] - row[c] < margin:
            continue
        if apart_below is not None and float(sums[a] @ sums[b]) / (mass[a] * (np.linalg.norm(sums[b]) or 1.0)) >= apart_below:
            continue
        if linked is not None and not linked(_members(groups, parts[a]), _members(groups, parts[b])):
            continue
        sums[b] += sums[a]
        mass[b] += mass[a]
        parts[b] += parts[a]
        parts[a] = []
        active[a] = False
        sims[b, :] = sims[:, b] = (sums @ sums[b]) / (mass * mass[b])
        sims[b, b] = -np.inf
    out = [sorted(p, key=lambda g: (-float(weights[groups[g]].sum()), g)) for p in parts if p]
    out.sort(key=lambda p: min(p))
    return out
