"""Tried in session 23, not shipped (benchmarks/RESULTS.md, "fragments and near-duplicates":
its worst development seed fell from 12 to 11 of 15 and BCubed F0.5 did not rise): a row
holding two near-duplicate needs, split by the words each part uses. Kept here so
topic_words_calibration.py reproduces the comparison.

Some needs are one meaning to the model and differ only in what the customer asks: "I live
in the US, can I get a card?" (country support) and "which shops accept my card?" (card
acceptance). When both lack an article, their failed searches can end in one row (purity
0.6): one action for two needs. Their customers' words tell them apart: "country", "US",
"live" in one part; "accept", "shop" in the other.

``split`` tries, for a big row, each stem held by between ``MIN_SHARE`` and 1 − ``MIN_SHARE``
of its failed searches: the wordings holding it are one part, the rest the other. The split
is taken only when it is two needs, not one need worded two ways:

* **two-sided words**: the other part has a word of its own too — in at least ``FREQUENT`` of
  its failed searches and at most ``RARE`` of the first part's (a need worded with or without
  "please" has no such word on the other side);
* **cohesive parts**: on meaning, each part's wordings are on average more similar among
  themselves than to the other part's, by at least ``margin``;
* **big enough**: each part has at least ``MIN_SHARE`` of the row's failed searches and
  ``min_failed`` of them.

Among the stems that pass, the one with the largest meaning margin wins; a row is split once.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

MIN_SHARE = 0.25
FREQUENT = 0.5
RARE = 0.1


def _stem_shares(idx: list[int], keys: list[tuple], failed: np.ndarray) -> tuple[Counter, float]:
    counts: Counter = Counter()
    for i in idx:
        for stem in set(keys[i]):
            counts[stem] += failed[i]
    return counts, float(failed[idx].sum())


def _within(idx: list[int], vectors: np.ndarray, weights: np.ndarray) -> float:
    """Average linkage of a group with itself, each wording's similarity to itself left out."""
    w = weights[idx]
    s = (w[:, None] * vectors[idx]).sum(axis=0)
    pairs = float(w.sum()) ** 2 - float(w @ w)
    return (float(s @ s) - float((w * w) @ np.einsum("ij,ij->i", vectors[idx], vectors[idx]))) / pairs if pairs > 0 else 1.0


def _across(a: list[int], b: list[int], vectors: np.ndarray, weights: np.ndarray) -> float:
    sa = (weights[a, None] * vectors[a]).sum(axis=0)
    sb = (weights[b, None] * vectors[b]).sum(axis=0)
    return float(sa @ sb) / (float(weights[a].sum()) * float(weights[b].sum()))


def split(idx: list[int], keys: list[tuple], failed: np.ndarray, vectors: np.ndarray, weights: np.ndarray,
          margin: float, min_failed: int) -> tuple[list[int], list[int]] | None:
    """(larger part, smaller part) of a row of two needs, or None (see the module docstring).
    ``idx``: the row's wordings (positions); ``keys``: every wording's stems; ``failed``: every
    wording's failed searches; ``vectors``/``weights``: meaning rows and weights as in the
    leader pass."""
    if len(idx) < 2:
        return None
    counts, total = _stem_shares(idx, keys, failed)
    if total < 2 * max(min_failed, 1):
        return None
    best = None
    for stem, n in sorted(counts.items()):
        if not MIN_SHARE * total <= n <= (1 - MIN_SHARE) * total:
            continue
        held = [i for i in idx if stem in keys[i]]
        rest = [i for i in idx if stem not in keys[i]]
        held_counts, held_total = _stem_shares(held, keys, failed)
        rest_counts, rest_total = _stem_shares(rest, keys, failed)
        if min(held_total, rest_total) < min_failed:
            continue
        if not any(k >= FREQUENT * rest_total and held_counts.get(t, 0) <= RARE * held_total
                   for t, k in rest_counts.items()):
            continue
        if len(held) < 2 or len(rest) < 2:
            continue
        gap = min(_within(held, vectors, weights), _within(rest, vectors, weights)) - _across(held, rest, vectors, weights)
        if gap >= margin and (best is None or gap > best[0]):
            best = (gap, held, rest)
    if best is None:
        return None
    _, a, b = best
    return (a, b) if float(failed[a].sum()) >= float(failed[b].sum()) else (b, a)
