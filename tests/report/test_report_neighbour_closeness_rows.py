"""The neighbour repeats' closeness asked for every row above at once (``topic_neighbours.Rows``,
``topic_order.NeighbourCloseness.many``) gives exactly what the pairwise formula gives
(``Gate.beyond_chance`` as first shipped: two dense n-long counts and three dot products a pair),
and the merge gate's ``Gate.closeness`` is unchanged: on random graphs and rows of 1–20 wordings,
some not embedded (no neighbours, no one's neighbour), every pair to 1e-12 and ``order``'s repeats
the same."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from carebase.report import topic_neighbours, topic_order


def _dense(near: np.ndarray, a: list[int], b: list[int], chance: float | None):
    """The formula as shipped in 42313aef: dense counts over all n wordings. ``chance`` None:
    ``closeness``; else ``beyond_chance``."""
    if len(a) < 2 or len(b) < 2:
        return None

    def counts(idx):
        hood = np.concatenate([near[idx].ravel(), idx])
        hood = hood[hood >= 0]
        return np.bincount(hood, minlength=len(near)).astype(np.float64), len(hood)

    ia, ib = np.asarray(a), np.asarray(b)
    (ca, sa), (cb, sb) = counts(ia), counts(ib)
    cross = float(ca @ cb) / (len(ia) * len(ib))
    wa = (float(ca @ ca) - sa) / (len(ia) * (len(ia) - 1))
    wb = (float(cb @ cb) - sb) / (len(ib) * (len(ib) - 1))
    if chance is None:
        return None if wa <= 0 or wb <= 0 else cross / float(np.sqrt(wa * wb))
    within = float(np.sqrt(wa * wb)) if wa > 0 and wb > 0 else 0.0
    return None if within <= chance else (cross - chance) / (within - chance)


def _store(seed: int, n: int, dim: int = 24, k: int = 30):
    """``n`` wordings on a few random directions (so rows share neighbours), a tenth not embedded,
    cut into rows of 1–20 wordings in a random order; their graph at ``k``."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(2, n // 15), dim))
    matrix = centres[rng.integers(len(centres), size=n)] + 0.6 * rng.normal(size=(n, dim))
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix[rng.random(n) < 0.1] = 0.0
    order = rng.permutation(n)
    sides, at = [], 0
    while at < n:
        size = int(rng.integers(1, 21))
        sides.append(sorted(order[at:at + size].tolist()))
        at += size
    return matrix.astype(np.float32), sides, topic_neighbours.nearest(matrix.astype(np.float32), k,
                                                                      matrix.any(axis=1))


@pytest.mark.parametrize("seed, n, k", [(1, 12, 30), (2, 60, 5), (3, 200, 30), (4, 500, 30), (5, 400, 12)])
def test_every_pair_is_as_the_pairwise_formula_gives(seed, n, k):
    matrix, sides, near = _store(seed, n, k=k)
    gate = topic_neighbours.Gate(near, 0.6)
    rows = topic_neighbours.Rows(gate, sides)
    chance = gate._chance()
    evidence = 0
    for i in range(len(sides)):
        got = rows.beyond_chance(i, list(range(len(sides))))
        for j in range(len(sides)):
            want = _dense(near, sides[i], sides[j], chance)
            assert (want is None) == bool(np.isnan(got[j])), (i, j)
            assert want is None or abs(got[j] - want) <= 1e-12, (i, j, got[j], want)
            assert gate.beyond_chance(sides[i], sides[j]) == (None if want is None else pytest.approx(want, abs=1e-12))
            old = _dense(near, sides[i], sides[j], None)  # the merge gate's closeness: unchanged
            assert gate.closeness(sides[i], sides[j]) == (None if old is None else pytest.approx(old, abs=1e-12))
            evidence += want is not None
    assert n <= 12 or evidence >= 3  # the trial has real evidence, not only Nones


@pytest.mark.parametrize("seed, n", [(6, 300), (7, 800)])
def test_the_order_and_its_repeats_are_the_same(seed, n):
    matrix, sides, near = _store(seed, n)
    wordings = [object() for _ in range(n)]
    listed = [SimpleNamespace(members=[wordings[w] for w in side]) for side in sides]
    centres = np.stack([matrix[s].mean(axis=0) for s in sides])
    norms = np.linalg.norm(centres, axis=1, keepdims=True)
    centres = np.divide(centres, norms, out=np.zeros_like(centres), where=norms > 0)
    failed = sorted((len(s) for s in sides), reverse=True)
    chance = topic_neighbours.Gate(near, 0.0)._chance()
    fast = topic_order.neighbour_closeness(listed, wordings, matrix, 30, None)  # the closeness alone: no linkage floor

    def pairwise(i, j):
        return _dense(near, sides[i], sides[j], chance)

    results = []
    for closeness in (fast, pairwise):
        neighboured: dict = {}
        results.append((topic_order.order(centres, 0.8, failed, 0.0, frozenset({(5, 0), (0, 5)}), (0.3, 0.3), {}, 0.33,
                                          frozenset(), (closeness, 0.3), neighboured), neighboured))
    (new_fast, rep_fast), by_fast = results[0]
    (new_pair, rep_pair), by_pair = results[1]
    assert rep_fast == rep_pair and new_fast == new_pair
    assert by_fast.keys() == by_pair.keys() and len(by_fast) >= 2  # rows recognised by their neighbours
    for i, (j, c) in by_fast.items():
        assert by_pair[i][0] == j and abs(by_pair[i][1] - c) <= 1e-12
    assert fast(1, 0) == pairwise(1, 0) or abs(fast(1, 0) - pairwise(1, 0)) <= 1e-12
