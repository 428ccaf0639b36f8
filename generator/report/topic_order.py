"""The order of the missing-content backlog: distinct needs first, likely second rows after.

Rows are ranked by failed searches. One need worded many ways often ends in two or three
rows that the grouping keeps apart (its threshold is chosen for precision: two needs in one
row give a wrong action for one of them), and these second rows take places at the top of
the backlog that other needs should have. Joining them is risky (a near-duplicate need looks
the same to the model); listing them later is not: a row whose centre is at least
``threshold`` similar (cosine) to the centre of a row already listed above it is a **likely
repeat** of that row. It keeps its own searches, label and action, says which row it may
repeat, and is ranked after the rows that repeat nothing (among themselves, by failed
searches). A row that repeats nothing stays in its place even when a later row resembles it.

**Twins** (``twins`` = (margin, share)): a row that resembles one row above it far more than
any other (its nearest row above at least ``margin`` more similar than its second-nearest)
and holds at least ``share`` × that row's failed searches is often a near-duplicate need of its
own ("I want a refund" beside "my refund has not shown up": 0.85 similar to each other, 0.36
to everything else): it repeats nothing and keeps its place (the report says which row it
resembles). A second row of one need is a remnant, a phrasing style the grouping split off;
it mostly sits among several rows about as close (on the 23 real development runs of the first
set, the wrongly flagged first rows of removed needs: a median margin of 0.20 over the
second-nearest row, the second rows 0.07). Not always: of the 36 rows the rule keeps there,
16 are two needs and 20 one; the rule still finds 3 more removed needs (319 of 345 against
316) and one more run meets the per-run line, since a second row that keeps its place costs a
place only when it falls in the top 20 above a need's only row.

**Kept apart by the grouping** (``kept_apart``): with the shared-neighbour gate on
(``topic_neighbours``), the merge and fragments passes may have tried to join a row to the row
above it and been refused: the two rows were alike enough on average to be one need, but their
wordings' nearest wordings differ. Such a pair is twin needs, or one need's row and *the twin left
behind* — a row of the short, generic wordings of either twin that the gate would not join to
either side (on the real development runs: *card delivery estimate* 19 and *card arrival* 12 in
one row of 32 beside *card arrival*'s own row of 33, kept in its place by the twin exception and
taking a small need's place in the top 20). The twin exception is the centres' evidence, the very
evidence the merge pass joined on; with ``kept_apart`` a row gets no twin exception from a row it
was kept apart from: it is that row's likely repeat (shown with it, saying why), its searches in
its own row. Nothing else changes: a row the gate kept apart from a row it is not close to in
centre (under ``threshold``) keeps its place.

**A second row recognised by its wordings' neighbours** (``near``): a need's second row is often a
phrasing style the grouping split off, and its centre can be well under ``threshold`` like the
first row's ("help me use american express to add money" beside "what currencies and cards do you
support": 0.45–0.69) while its wordings' nearest wordings are the first row's wordings' too. A row
that is no likely repeat by its centre and no twin is the likely repeat of the row above (that
repeats nothing) whose wordings share the most nearest wordings with its own
(``topic_neighbours.Gate.beyond_chance``: 1 = as shared as within each row, 0 = no more than any
two wordings share by chance), when that closeness is at least ``rho``; rows of fewer than two
wordings are no evidence, nor is a store of few more wordings than the graph's K. On the seen held-out runs this
recognised second rows of listed needs that held top-20 places above small needs' only rows, and
the same closeness is what separates a true repeat from a neighbour need best (under 0.3 for 3
same-need likely repeats against 29 of other needs; the rows' distinctive words, the items search
returns for them and their sizes did not separate them) (benchmarks/RESULTS.md, "Session 48
(`rank`)").

**A need ranked by all its rows** (``credit``): the row a likely repeat points at is ranked by
its own failed searches plus ``credit`` × those of its likely repeats. The report calls them
the same need, so a need the grouping split into a row of 9 and repeats of 8, 8 and 6 is not
ranked as a 9 below a need heard 12 times in one row; the repeats keep their own place.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from carebase.report import topic_neighbours

#: (closeness of rows ``i`` and ``j`` by their wordings' neighbours, or None: no evidence; rho)
Near = tuple[Callable[[int, int], "float | None"], float]


def repeats(centres: np.ndarray, threshold: float, apart=frozenset(), failed: list[int] | None = None,
            twins: tuple[float, float] | None = None, twinned: dict | None = None,
            kept_apart=frozenset(), near: Near | None = None,
            neighboured: dict | None = None) -> list[int | None]:
    """For rows in their ranked order (unit-length ``centres``; a zero row repeats nothing and
    is repeated by nothing): the position of the row listed above it that it most resembles
    when that is at least ``threshold`` similar, else None. Only rows that repeat nothing
    themselves can be repeated (a chain of look-alikes points at its first row). ``apart``:
    (row, row) position pairs a lead called two needs: never a repeat of each other.
    ``twins`` = (margin, share), with ``failed`` (each row's failed searches): a row whose
    nearest row above (any row above) is at least ``margin`` more similar than its
    second-nearest, and which holds at least ``share`` × the failed searches of the row it
    would repeat, is a twin need: it repeats nothing (see the module docstring); ``twinned``
    (a dict, filled when given): twin row → (the row it resembles, that similarity, the
    similarity of its second-nearest row above). ``kept_apart``: (row, row) position pairs the
    grouping's shared-neighbour gate kept apart: no twin exception between them. ``near`` =
    (closeness, rho): a row that is no repeat by its centre and no twin is the likely repeat of the
    row listed above it (repeating nothing, not ``apart``) of the highest ``closeness(row, that
    row)`` when that is at least rho (see the module docstring); ``neighboured`` (a dict, filled
    when given): such a row → (the row it repeats, that closeness)."""
    out: list[int | None] = []
    firsts: list[int] = []
    for i in range(len(centres)):
        if firsts and centres[i].any():
            sims = centres[firsts] @ centres[i]
            if apart:
                sims = np.where([(i, j) in apart for j in firsts], -np.inf, sims)
            best = int(np.argmax(sims))
            twin = twins and (i, firsts[best]) not in kept_apart and _twin(centres, i, firsts[best], failed, twins)
            if sims[best] >= threshold and not twin:
                out.append(firsts[best])
                continue
            if sims[best] >= threshold and twinned is not None:
                above = np.sort(centres[:i] @ centres[i])
                twinned[i] = (firsts[best], float(sims[best]), float(above[-2]))
            if near is not None and not (sims[best] >= threshold and twin):
                j, closeness = _by_neighbours(i, firsts, apart, near[0])
                if j is not None and closeness >= near[1]:
                    out.append(j)
                    if neighboured is not None:
                        neighboured[i] = (j, closeness)
                    continue
        out.append(None)
        if centres[i].any():
            firsts.append(i)
    return out


def _by_neighbours(i: int, firsts: list[int], apart, closeness) -> tuple[int | None, float]:
    """(the row of ``firsts`` not ``apart`` from ``i`` whose wordings share the most neighbours with
    row ``i``'s, that closeness), or (None, 0.0) when no row has evidence (earliest row on a tie).
    A ``closeness`` with ``many`` (``neighbour_closeness``) is asked for all those rows at once."""
    rows = [j for j in firsts if (i, j) not in apart] if apart else firsts
    many = getattr(closeness, "many", None)
    if many is not None:
        values = many(i, rows)  # NaN: no evidence
        if not len(values) or np.isnan(values).all():
            return None, 0.0
        at = int(np.nanargmax(values))  # the first of the highest
        return rows[at], float(values[at])
    best, most = None, 0.0
    for j in rows:
        c = closeness(i, j)
        if c is not None and (best is None or c > most):
            best, most = j, c
    return best, most


SHIPPED = "shipped"  # ``neighbour_closeness``' floor: the shipped setting's (``topic_evidence.NEIGHBOUR_REPEATS``)


def neighbour_closeness(listed: list, wordings: list, matrix: np.ndarray, k: int,
                        floor: "float | None | str" = SHIPPED) -> "NeighbourCloseness":
    """``repeats``' ``near`` closeness for the rows ``listed`` (topics whose members are among
    ``wordings``, the rows of ``matrix``: their unit meaning vectors, zero when not embedded): the
    shared-nearest-neighbour closeness of two rows' wordings on the ``k``-nearest graph of all the
    wordings, counted above chance (``topic_neighbours.Gate.beyond_chance``: in a store of few more
    wordings than ``k`` every neighbourhood holds nearly every wording and two unrelated rows would
    look as close as one need's). ``floor``: no evidence (None) for two rows whose wordings are on
    average less than ``floor`` alike in meaning (their average linkage, each wording weighted by
    √ its voice, as ``topic_merge`` measures rows): where wordings are few, a wording's ``k``
    nearest reach far and are not near it, so two distinct needs' rows share them; by default the
    shipped setting's floor (``SHIPPED``), None: no floor. The graph is made at the first call."""
    if floor == SHIPPED:
        from carebase.report.topic_evidence import NEIGHBOUR_REPEATS
        floor = floor_of(NEIGHBOUR_REPEATS["embedding"]) if NEIGHBOUR_REPEATS["embedding"] is not None else None
    index = {id(w): n for n, w in enumerate(wordings)}
    sides = [[index[id(m)] for m in t.members if id(m) in index] for t in listed]
    weights = [[float(np.sqrt(max(1, getattr(m, "voice", 1)))) for m in t.members if id(m) in index] for t in listed]
    return NeighbourCloseness(sides, matrix, k, floor, weights)


def floor_of(setting: tuple) -> float | None:
    """The average-linkage floor of a ``topic_evidence.NEIGHBOUR_REPEATS`` setting (K, rho[, floor]),
    or None (no floor: the session-48 rule)."""
    return float(setting[2]) if len(setting) > 2 and setting[2] is not None else None


class NeighbourCloseness:
    """``neighbour_closeness``: called with two rows, their closeness or None; ``many``: one row's
    with many rows at once (``topic_neighbours.Rows``), as ``repeats`` asks for every row above."""

    def __init__(self, sides: list[list[int]], matrix: np.ndarray, k: int, floor: float | None = None,
                 weights: list[list[float]] | None = None):
        self.sides, self.matrix, self.k, self.floor = sides, matrix, k, floor
        self._rows: topic_neighbours.Rows | None = None
        self._sums: np.ndarray | None = None  # each row's weighted sum of meaning vectors …
        self._mass: np.ndarray | None = None  # … and its wordings' total weight (``floor``)
        self._weights = weights

    def many(self, i: int, js: list[int]) -> np.ndarray:
        """Row ``i``'s closeness with each row of ``js`` (NaN: no evidence)."""
        if len(self.sides[i]) < 2:
            return np.full(len(js), np.nan)
        if self._rows is None:
            near = topic_neighbours.nearest(self.matrix, self.k, self.matrix.any(axis=1))
            self._rows = topic_neighbours.Rows(topic_neighbours.Gate(near, 0.0), self.sides)
        out = self._rows.beyond_chance(i, js)
        if self.floor is not None and len(js):
            out[self.linkage(i, js) < self.floor] = np.nan
        return out

    def linkage(self, i: int, js: list[int]) -> np.ndarray:
        """Row ``i``'s average linkage of meaning with each row of ``js``: the mean cosine between
        their wordings, each weighted by √ its voice (``topic_merge.similarities``)."""
        if self._sums is None:
            weights = self._weights or [[1.0] * len(s) for s in self.sides]
            self._sums = np.vstack([np.asarray(w, dtype=np.float64) @ self.matrix[s].astype(np.float64) if len(s)
                                    else np.zeros(self.matrix.shape[1]) for s, w in zip(self.sides, weights)])
            self._mass = np.array([sum(w) or 1.0 for w in weights], dtype=np.float64)
        js = np.asarray(js, dtype=np.int64)
        return (self._sums[js] @ self._sums[i]) / (self._mass[js] * self._mass[i])

    def __call__(self, i: int, j: int) -> float | None:
        value = float(self.many(i, [j])[0])
        return None if np.isnan(value) else value


def _twin(centres: np.ndarray, i: int, j: int, failed: list[int] | None, twins: tuple[float, float]) -> bool:
    """Whether row ``i`` is a twin need of row ``j`` above it (``repeats``' ``twins``)."""
    margin, share = twins
    if i < 2 or failed is None or failed[i] < share * failed[j]:
        return False
    above = np.sort(centres[:i] @ centres[i])
    return bool(above[-1] - above[-2] >= margin)


def order(centres: np.ndarray, threshold: float | None, failed: list[int] | None = None,
          discount: float = 0.0, apart=frozenset(), twins: tuple[float, float] | None = None,
          twinned: dict | None = None, credit: float | None = None,
          kept_apart=frozenset(), near: Near | None = None,
          neighboured: dict | None = None) -> tuple[list[int], list[int | None]]:
    """(new order of the rows, each row's ``repeats``). ``discount`` 0: rows that repeat
    nothing first, in their order, then the likely repeats in theirs; else (with ``failed``,
    each row's failed searches) a likely repeat is ranked as if it had ``discount`` × its
    failed searches (ties: the earlier row first). ``threshold`` None: the order unchanged.
    ``twins``, ``twinned``: as ``repeats`` (needs ``failed``). ``credit`` (with ``failed``): a
    row that repeats nothing is ranked as if it also had ``credit`` × the failed searches of its
    likely repeats (``with_repeats``). ``kept_apart``, ``near``, ``neighboured``: as ``repeats``."""
    if threshold is None or len(centres) < 2:
        return list(range(len(centres))), [None] * len(centres)
    rep = repeats(centres, threshold, apart, failed, twins, twinned, kept_apart, near, neighboured)
    if credit and failed is not None:
        own = with_repeats(rep, failed, credit)
        firsts = sorted((i for i, r in enumerate(rep) if r is None), key=lambda i: (-own[i], i))
        if not discount:
            return firsts + [i for i, r in enumerate(rep) if r is not None], rep
        weight = [failed[i] * discount if rep[i] is not None else own[i] for i in range(len(rep))]
        return sorted(range(len(rep)), key=lambda i: (-weight[i], i)), rep
    if not discount:
        return [i for i, r in enumerate(rep) if r is None] + [i for i, r in enumerate(rep) if r is not None], rep
    weight = [failed[i] * (discount if rep[i] is not None else 1.0) for i in range(len(rep))]
    return sorted(range(len(rep)), key=lambda i: (-weight[i], i)), rep


def with_repeats(rep: list[int | None], failed: list[int], credit: float) -> list[float]:
    """Each row's failed searches plus ``credit`` × those of the rows that repeat it (``rep``:
    each row's ``repeats``); a likely repeat keeps its own."""
    out = [float(n) for n in failed]
    for i, r in enumerate(rep):
        if r is not None:
            out[r] += credit * failed[i]
    return out


def repeat_says(repeats: dict) -> str:
    """Why a likely repeat is listed with its row, beyond their centres' closeness
    (``kept_apart_says``, ``neighbours_says``); "" for an ordinary likely repeat."""
    return kept_apart_says(repeats) or neighbours_says(repeats)


def neighbours_says(repeats: dict) -> str:
    """What a likely repeat recognised by its wordings' neighbours (``repeats.neighbours``, their
    closeness) says about why it is listed with its row; "" for any other."""
    if repeats.get("neighbours") is None:
        return ""
    return (f"its customers' wordings have the same nearest wordings as that row's (closeness {repeats['neighbours']:.2f}, "
            "1 = as close as within each row), though the two are worded differently, so it is likely the same need "
            "in other words; its searches stay in this row, ")


def kept_apart_says(repeats: dict) -> str:
    """What a likely repeat the grouping kept apart from its row says about why it is listed with it
    (``repeats.kept_apart``, the closeness its wordings' neighbours showed); "" for any other."""
    if repeats.get("kept_apart") is None:
        return ""
    return (f"the grouping kept it apart from that row (their wordings' nearest wordings differ: "
            f"{repeats['kept_apart']:.2f} of the closeness one need shows), so it is a near-duplicate need or "
            "wordings of either left between the two; its searches stay in this row, ")
