"""The distinguishing-word guard in the merge pass (session 42, `topics`; tried, not shipped):
``carebase.report.topic_merge`` as it was measured, with an ``apart(a, b)`` test in ``merge``
and ``attach_fragments`` (two groups are not joined when the test holds), and the test itself,
``apart_words``: each group holds a stem at least ``high`` of its searches (as heard) hold and at
most ``low`` of the other's, both heard at least ``least`` times.

A copy, frozen at fcaf60d: it does not follow later changes of ``topic_merge`` (a run after one
measures the old merge with the guard). Before measuring again, copy ``merge`` and
``attach_fragments`` afresh or let ``topic_merge`` take the ``apart`` test itself.

``install(setting)`` puts these in place of the shipped passes for ``topics.group`` (the
wordings bound for each call); ``held_out_apart_words.py --guard H,L,M`` uses it. Results:
benchmarks/RESULTS.md, "Held-out topics: session 42 (`topics`)".
"""

from __future__ import annotations

from collections import Counter

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


def merge(groups: list[list[int]], vectors: np.ndarray, weights: np.ndarray, threshold: float,
          apart=None) -> list[list[int]]:
    """Which groups become one: a list of lists of positions in ``groups``, each list the
    parts of one merged group (largest part first, by total weight), in the order of each
    list's first part. ``vectors``: unit-length rows of the wordings; ``weights``: each
    wording's weight; a group of zero vectors (not embedded) is never merged. ``apart(a, b)``
    (wording positions of two groups) → true: those two are not joined now (asked again
    if one of them grows)."""
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
    held = [list(g) for g in groups]
    while True:
        a = int(np.argmax(best_sim))
        if best_sim[a] < threshold:
            break
        b = int(best[a])
        if apart is not None and apart(held[a], held[b]):
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
        held[a] += held[b]
        held[b] = []
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
                     floor: float, margin: float, apart_below: float | None = None, apart=None) -> list[list[int]]:
    """Second rows of one need: smallest first, a group joins its nearest group (average
    linkage) when that one is larger, at least ``floor`` similar, and nearer by ``margin`` than
    any other group — a fragment has one obvious home; a group between two needs stays apart.
    ``apart_below``: and only when its wordings are on average less than that similar to the
    home's centre — a group meaning alone would have joined to it was kept apart by its words
    (a near-duplicate need, ``topics.with_words``), not by its meaning: it stays apart.
    ``apart``: as ``merge``'s (a pair it holds apart stays apart). Same input and output shape
    as ``merge``."""
    n = len(groups)
    if n < 3:
        return [[i] for i in range(n)]
    sums, mass, active = _group_sums(groups, vectors, weights)
    sims = similarities(sums, mass)
    parts = [[g] for g in range(n)]
    held = [list(g) for g in groups]
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
        if apart is not None and apart(held[a], held[b]):
            continue
        sums[b] += sums[a]
        mass[b] += mass[a]
        parts[b] += parts[a]
        parts[a] = []
        held[b] += held[a]
        held[a] = []
        active[a] = False
        sims[b, :] = sims[:, b] = (sums @ sums[b]) / (mass * mass[b])
        sims[b, b] = -np.inf
    out = [sorted(p, key=lambda g: (-float(weights[groups[g]].sum()), g)) for p in parts if p]
    out.sort(key=lambda p: min(p))
    return out


def stem_shares(wordings: list, idx: list[int]) -> tuple[Counter, float]:
    """(stem → searches holding it, total searches) of the wordings at ``idx``, as heard."""
    counts: Counter = Counter()
    for i in idx:
        for stem in set(wordings[i].key):
            counts[stem] += wordings[i].voice
    return counts, float(sum(wordings[i].voice for i in idx))


def apart_words(wordings: list, a: list[int], b: list[int], setting: tuple) -> tuple[str, str] | None:
    """Two groups of wordings each holding a word the other does not: (a stem at least ``high``
    of a's searches hold and at most ``low`` of b's, one the other way round), when both are
    heard at least ``least`` times (``setting`` = (high, low, least)); else None. "change my user
    id" / "forgot my user id": two needs told apart by the word each side's customers use."""
    high, low, least = setting
    (ca, na), (cb, nb) = stem_shares(wordings, a), stem_shares(wordings, b)
    if na < least or nb < least:
        return None

    def held(c1, n1, c2, n2):
        own = [(c1[s] / n1 - c2.get(s, 0) / n2, s) for s in c1 if c1[s] / n1 >= high and c2.get(s, 0) / n2 <= low]
        return max(own)[1] if own else None

    sa = held(ca, na, cb, nb)
    sb = held(cb, nb, ca, na) if sa else None
    return (sa, sb) if sa and sb else None


STATE: dict = {"setting": None, "wordings": None, "log": None}


def _apart(a, b) -> bool:
    setting, wordings = STATE["setting"], STATE["wordings"]
    if setting is None or wordings is None:
        return False
    told = apart_words(wordings, a, b, setting)
    if told and STATE["log"] is not None:
        STATE["log"].append((list(a), list(b), told))
    return told is not None


def install(setting, log: list | None = None) -> None:
    """``topics.group`` with the guard at ``setting`` (high, low, least); ``log``: each refusal
    appended as (wording positions of one side, of the other, the two words)."""
    from carebase.report import topic_merge, topics

    STATE.update(setting=setting, log=log)
    if getattr(topics.group, "_guarded", False):
        return
    shipped_group, shipped_merge, shipped_attach = topics.group, topic_merge.merge, topic_merge.attach_fragments

    def group(wordings, *a, **k):
        STATE["wordings"] = wordings
        try:
            return shipped_group(wordings, *a, **k)
        finally:
            STATE["wordings"] = None

    group._guarded = True
    topics.group = group
    topic_merge.merge = lambda g, v, w, t: merge(g, v, w, t, apart=_apart)
    topic_merge.attach_fragments = lambda g, v, w, f, m, apart_below=None: attach_fragments(
        g, v, w, f, m, apart_below=apart_below, apart=_apart)
