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

    def _counts(self, idx: np.ndarray) -> tuple[np.ndarray, int]:
        """How many of the wordings ``idx`` hold each wording in their neighbourhood (its K
        nearest and itself), and the neighbourhoods' total size."""
        hood = np.concatenate([self.near[idx].ravel(), idx])
        hood = hood[hood >= 0]
        return np.bincount(hood, minlength=self.n).astype(np.float64), len(hood)

    def closeness(self, a: list[int], b: list[int]) -> float | None:
        """The mean number of neighbours a wording of A shares with a wording of B over the
        geometric mean of the same between two wordings within A and within B; None (no
        evidence) when either side is a single wording or shares nothing within itself. The
        sums over pairs are sums over wordings of how many of each side hold them."""
        if len(a) < 2 or len(b) < 2:
            return None
        ia, ib = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        ca, sa = self._counts(ia)
        cb, sb = self._counts(ib)
        cross = float(ca @ cb) / (len(ia) * len(ib))
        wa = (float(ca @ ca) - sa) / (len(ia) * (len(ia) - 1))
        wb = (float(cb @ cb) - sb) / (len(ib) * (len(ib) - 1))
        if wa <= 0 or wb <= 0:
            return None
        return cross / float(np.sqrt(wa * wb))

    def beyond_chance(self, a: list[int], b: list[int]) -> float | None:
        """``closeness`` counted above chance: (cross − chance) / (within − chance), the shares of
        neighbours two random wordings would have in common (``chance``: (K + 1)² / n, n the
        wordings with neighbours) taken off both sides; 1 as close as within each row, 0 no closer
        than chance. None (no evidence) where ``closeness`` has none, or when two wordings of the
        rows share no more than chance within them — a graph of few more wordings than K, where
        every neighbourhood holds nearly every wording, tells no rows apart."""
        if len(a) < 2 or len(b) < 2:
            return None
        ia, ib = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
        ca, sa = self._counts(ia)
        cb, sb = self._counts(ib)
        cross = float(ca @ cb) / (len(ia) * len(ib))
        wa = (float(ca @ ca) - sa) / (len(ia) * (len(ia) - 1))
        wb = (float(cb @ cb) - sb) / (len(ib) * (len(ib) - 1))
        chance = self._chance()
        within = float(np.sqrt(wa * wb)) if wa > 0 and wb > 0 else 0.0
        if within <= chance:
            return None
        return (cross - chance) / (within - chance)

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


def gate(rows: np.ndarray, present: np.ndarray, setting: tuple[int, float]) -> Gate:
    """The gate for wordings compared on ``rows`` (unit rows; ``present``: embedded) at (K, rho)."""
    k, rho = int(setting[0]), float(setting[1])
    return Gate(nearest(rows, k, present), rho)
