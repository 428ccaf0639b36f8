"""How the split pass judges a big row (``topic_split.closeness``; verify V2, session 49): each
drawn wording's K nearest leave the wording itself out, and the row's closeness is the median of
the draws, not the largest or smallest. Both were left unpinned (undoing either passed every test)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from carebase.report import topic_split

K = 3  # the gate's K: a row of more than JUDGED_AT × K = 6 wordings is judged by draws


def gate(n: int):
    """The gate as ``closeness`` reads it for a big row: only its K (the neighbours' shape)."""
    return SimpleNamespace(near=np.zeros((n, K), dtype=np.int64))


def test_a_drawn_wording_is_not_one_of_its_own_nearest_counted_by_hand():
    """Half A: 4 wordings of one vector u (3 drawn), half B: 3 of v (orthogonal), and one other
    wording o between them. A drawn wording's 3 nearest, itself left out, are the 2 other drawn
    wordings of its half and o: every A–B pair shares o alone (1), two wordings of one half all
    4 of their neighbourhoods (K + 1), so the closeness is 1 / (K + 1) whatever is drawn. Counting
    a wording among its own nearest would leave o out of every neighbourhood: closeness 0."""
    u, v = np.array([1.0, 0.0], dtype=np.float32), np.array([0.0, 1.0], dtype=np.float32)
    o = (u + v) / np.sqrt(np.float32(2.0))
    rows = np.vstack([u] * 4 + [v] * 3 + [o]).astype(np.float32)
    a, b = [0, 1, 2, 3], [4, 5, 6]
    got = topic_split.closeness(gate(len(rows)), rows, np.ones(len(rows), bool), a, b)
    assert got == 1 / (K + 1)


def by_hand(rows, present, drawn_a, drawn_b, row):
    """One draw's closeness from the docstring, with sets: each drawn wording's K nearest among
    every present wording but the row's undrawn ones (itself left out), plus itself."""
    drawn = list(drawn_a) + list(drawn_b)
    seen = [i for i in np.flatnonzero(present) if i not in row or i in drawn]
    hood = {}
    for x in drawn:
        others = sorted((j for j in seen if j != x), key=lambda j: -float(rows[x] @ rows[j]))
        hood[x] = set(others[:K]) | {x}

    def mean_shared(xs, ys):
        pairs = [(x, y) for x in xs for y in ys if x != y]
        return sum(len(hood[x] & hood[y]) for x, y in pairs) / len(pairs)

    return mean_shared(drawn_a, drawn_b) / np.sqrt(mean_shared(drawn_a, drawn_a) * mean_shared(drawn_b, drawn_b))


def test_a_big_row_s_closeness_is_the_median_of_its_draws():
    """Halves of 6 and 5 wordings around two centres, 8 other wordings: the five draws of
    3 + 3 wordings disagree, and the row's closeness is their median (counted by hand)."""
    rng = np.random.default_rng(11)
    centre_a, centre_b = rng.normal(size=6), rng.normal(size=6)
    rows = np.vstack([centre_a + 0.9 * rng.normal(size=(6, 6)), centre_b + 0.9 * rng.normal(size=(5, 6)),
                      rng.normal(size=(8, 6))]).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    present = np.ones(len(rows), bool)
    a, b = list(range(6)), list(range(6, 11))
    # the draws closeness makes (its seeded generator, each half's share of 2K = 6)
    draw = np.random.default_rng([len(a), len(b), sum(a)])
    draws = [(draw.choice(np.array(a), 3, replace=False), draw.choice(np.array(b), 3, replace=False))
             for _ in range(topic_split.DRAWS)]
    each = sorted(by_hand(rows, present, da, db, set(a) | set(b)) for da, db in draws)
    assert each[0] < each[len(each) // 2] < each[-1]  # the draws disagree: the rule decides
    got = topic_split.closeness(gate(len(rows)), rows, present, a, b)
    assert abs(got - float(np.median(each))) < 1e-6, (got, each)
