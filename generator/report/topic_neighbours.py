"""The shared-neighbour gate of ``topics.group``'s merge and fragments passes (an experiment option).

Twin needs ("change my user id", "I forgot my user id") are worded alike, so their rows are close
on average (the merge pass's average linkage) and the merge and fragments passes may join them
into one row of two needs. Who a wording's *neighbours* are tells them apart better than how close
the two rows' wordings are on average: the wordings of one need's two rows share many of their
nearest wordings, those of two needs' rows few.

With a setting (K, rho) (``topic_evidence.NEIGHBOURS``): the K-nearest-neighbour graph of the grouped
wordings (``nearest``: compared as the leader pass compares them, meaning and words; a wording not
embedded has no neighbours and is no one's), and two topics join in the merge or fragments pass
only when their **shared-nearest-neighbour closeness** (``Gate.closeness``) is at least rho: the
mean number of neighbours (its K nearest and itself) a wording of A shares with a wording of B,
over the geometric mean of the same between two wordings within A and within B (1: as close as
within each). A side of one wording is no evidence: it joins as before.

Measured in benchmarks/search/neighbour_grouping.py (``install``, the same arithmetic; sessions
44–46 in benchmarks/RESULTS.md, "Held-out topics").
"""

from __future__ import annotations

import numpy as np

BLOCK = 512  # rows compared at once: a 512 × n block of similarities


def nearest(rows: np.ndarray, k: int, present: np.ndarray) -> np.ndarray:
    """Each row's ``k`` most similar other rows (cosine of unit rows), nearest first, an (n × k)
    int array; rows of ``present`` False (not embedded) neither have nor are neighbours (their
    entries are −1), and with fewer than ``k`` other rows the last entries are −1."""
    n = len(rows)
    out = np.full((n, k), -1, dtype=np.int64)
    idx = np.flatnonzero(present)
    if len(idx) < 2 or k < 1:
        return out
    sub = rows[idx].astype(np.float32, copy=False)
    kk = min(k, len(idx) - 1)
    for lo in range(0, len(idx), BLOCK):
        sims = sub[lo:lo + BLOCK] @ sub.T
        sims[np.arange(len(sims)), np.arange(lo, lo + len(sims))] = -np.inf
        top = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        order = np.argsort(-np.take_along_axis(sims, top, axis=1), axis=1, kind="stable")
        out[idx[lo:lo + BLOCK], :kk] = idx[np.take_along_axis(top, order, axis=1)]
    return out


class Gate:
    """Whether two groups of wordings (positions in the graph ``near``) may join: their
    shared-nearest-neighbour closeness is at least ``rho``."""

    def __init__(self, near: np.ndarray, rho: float):
        self.near = near
        self.rho = rho
        self.n = len(near)
        self.refused: list[tuple[list[int], list[int], float]] = []  # (side, side, closeness) of every join refused
        self._chance_share: float | None = None

    def hood(self, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        """The wordings in the neighbourhoods (each one's K nearest and itself) of the wordings
        ``idx``, each once and ascending, how many of the neighbourhoods hold each, and the
        neighbourhoods' total size: a sparse count, at most (K + 1) · len(idx) long."""
        hood = np.concatenate([self.near[idx].ravel(), idx])
        hood = hood[hood >= 0]
        held, counts = np.unique(hood, return_counts=True)
        return held, counts.astype(np.int64), len(hood)

    def _sums(self, a: list[int], b: list[int]) -> tuple[float, float, float] | None:
        """(cross, within A, within B): the mean number of neighbours a wording of A shares with a
        wording of B, two wordings of A share, two of B share; None when either side is a single
        wording. The sums over pairs are sums over wordings of how many of each side hold them."""
        if len(a) < 2 or len(b) < 2:
            return None
        ia, ib = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        ha, ca, sa = self.hood(ia)
        hb, cb, sb = self.hood(ib)
        _, pa, pb = np.intersect1d(ha, hb, assume_unique=True, return_indices=True)
        cross = float(ca[pa] @ cb[pb]) / (len(ia) * len(ib))
        return cross, within(ca, sa, len(ia)), within(cb, sb, len(ib))

    def closeness(self, a: list[int], b: list[int]) -> float | None:
        """The mean number of neighbours a wording of A shares with a wording of B over the
        geometric mean of the same between two wordings within A and within B; None (no
        evidence) when either side is a single wording or shares nothing within itself."""
        sums = self._sums(a, b)
        if sums is None or sums[1] <= 0 or sums[2] <= 0:
            return None
        return sums[0] / float(np.sqrt(sums[1] * sums[2]))

    def beyond_chance(self, a: list[int], b: list[int]) -> float | None:
        """``closeness`` counted above chance: (cross − chance) / (within − chance), the shares of
        neighbours two random wordings would have in common (``chance``: (K + 1)² / n, n the
        wordings with neighbours) taken off both sides; 1 as close as within each row, 0 no closer
        than chance. None (no evidence) where ``closeness`` has none, or when two wordings of the
        rows share no more than chance within them — a graph of few more wordings than K, where
        every neighbourhood holds nearly every wording, tells no rows apart. ``Rows`` gives the
        same for one row against many at once."""
        sums = self._sums(a, b)
        if sums is None:
            return None
        cross, wa, wb = sums
        chance = self._chance()
        both = float(np.sqrt(wa * wb)) if wa > 0 and wb > 0 else 0.0
        if both <= chance:
            return None
        return (cross - chance) / (both - chance)

    def _chance(self) -> float:
        """The neighbours two random wordings share, (K + 1)² / n over the n wordings with
        neighbours (each has min(K, n − 1)); worked out once."""
        if self._chance_share is None:
            with_hood = self.near[self.near[:, 0] >= 0]
            hood = float((with_hood[0] >= 0).sum() + 1) if len(with_hood) else 0.0
            self._chance_share = hood * hood / len(with_hood) if len(with_hood) else 0.0
        return self._chance_share

    def linked(self, a: list[int], b: list[int]) -> bool:
        """Whether groups ``a`` and ``b`` may join (no evidence: they may); a refusal is remembered
        (``refused``)."""
        r = self.closeness(a, b)
        if r is None or r >= self.rho:
            return True
        self.refused.append((list(a), list(b), r))
        return False


def within(counts: np.ndarray, size: int, wordings: int) -> float:
    """The mean number of neighbours two wordings of one side share: ``counts`` how many of the
    side's ``wordings`` neighbourhoods hold each wording (``Gate.hood``), ``size`` their total."""
    return (float(counts @ counts) - size) / (wordings * (wordings - 1))


class Rows:
    """``Gate.beyond_chance`` of fixed rows of wordings (``sides``: each row's positions in the
    gate's graph), one row against many in one step. Each row's neighbourhood counts are made once
    (sparse, ``Gate.hood``) and filed by wording (which rows hold it, how many times), so the cross
    sums of row i with every row are found from row i's own neighbourhood only: about
    (K + 1)² · |row i| steps, not one n-long count per pair."""

    def __init__(self, gate: Gate, sides: list[list[int]]):
        self.gate = gate
        self.sizes = np.array([len(s) for s in sides], dtype=np.int64)
        hoods = [gate.hood(np.asarray(s, dtype=np.int64)) for s in sides]
        self.held = [h for h, _, _ in hoods]
        self.counts = [c for _, c, _ in hoods]
        self.within = np.array([within(c, t, len(s)) if len(s) >= 2 else 0.0 for (_, c, t), s in zip(hoods, sides)])
        held = np.concatenate(self.held + [np.zeros(0, dtype=np.int64)])
        by_wording = np.argsort(held, kind="stable")
        owner = np.repeat(np.arange(len(sides)), [len(h) for h in self.held])
        self.holders = owner[by_wording]  # for each wording in turn, the rows that hold it …
        self.times = np.concatenate(self.counts + [np.zeros(0, dtype=np.int64)])[by_wording]  # … and how often
        self.start = np.searchsorted(held[by_wording], np.arange(gate.n + 1))

    def beyond_chance(self, i: int, js: list[int]) -> np.ndarray:
        """``Gate.beyond_chance(sides[i], sides[j])`` for every j of ``js``, NaN where it is None."""
        js = np.asarray(js, dtype=np.int64)
        out = np.full(len(js), np.nan)
        if self.sizes[i] < 2 or not len(js):
            return out
        held, counts = self.held[i], self.counts[i]
        lo, lens = self.start[held], self.start[held + 1] - self.start[held]
        at = np.repeat(lo - (np.cumsum(lens) - lens), lens) + np.arange(int(lens.sum()))
        shared = np.bincount(self.holders[at], weights=(self.times[at] * np.repeat(counts, lens)).astype(np.float64),
                             minlength=len(self.sizes))  # whole numbers: exact in float64, as Gate's sums
        cross = shared[js] / (self.sizes[i] * self.sizes[js])
        wa, wb = self.within[i], self.within[js]
        both = np.sqrt(np.where((wa > 0) & (wb > 0), wa * wb, 0.0))
        chance = self.gate._chance()
        ok = (self.sizes[js] >= 2) & (both > chance)
        out[ok] = (cross[ok] - chance) / (both[ok] - chance)
        return out


def gate(rows: np.ndarray, present: np.ndarray, setting: tuple[int, float]) -> Gate:
    """The gate for wordings compared on ``rows`` (unit rows; ``present``: embedded) at (K, rho)."""
    k, rho = int(setting[0]), float(setting[1])
    return Gate(nearest(rows, k, present), rho)
