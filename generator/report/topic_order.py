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
"""

from __future__ import annotations

import numpy as np


def repeats(centres: np.ndarray, threshold: float, apart=frozenset()) -> list[int | None]:
    """For rows in their ranked order (unit-length ``centres``; a zero row repeats nothing and
    is repeated by nothing): the position of the row listed above it that it most resembles
    when that is at least ``threshold`` similar, else None. Only rows that repeat nothing
    themselves can be repeated (a chain of look-alikes points at its first row). ``apart``:
    (row, row) position pairs a lead called two needs: never a repeat of each other."""
    out: list[int | None] = []
    firsts: list[int] = []
    for i in range(len(centres)):
        if firsts and centres[i].any():
            sims = centres[firsts] @ centres[i]
            if apart:
                sims = np.where([(i, j) in apart for j in firsts], -np.inf, sims)
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                out.append(firsts[best])
                continue
        out.append(None)
        if centres[i].any():
            firsts.append(i)
    return out


def order(centres: np.ndarray, threshold: float | None, failed: list[int] | None = None,
          discount: float = 0.0, apart=frozenset()) -> tuple[list[int], list[int | None]]:
    """(new order of the rows, each row's ``repeats``). ``discount`` 0: rows that repeat
    nothing first, in their order, then the likely repeats in theirs; else (with ``failed``,
    each row's failed searches) a likely repeat is ranked as if it had ``discount`` × its
    failed searches (ties: the earlier row first). ``threshold`` None: the order unchanged."""
    if threshold is None or len(centres) < 2:
        return list(range(len(centres))), [None] * len(centres)
    rep = repeats(centres, threshold, apart)
    if not discount:
        return [i for i, r in enumerate(rep) if r is None] + [i for i, r in enumerate(rep) if r is not None], rep
    weight = [failed[i] * (discount if rep[i] is not None else 1.0) for i in range(len(rep))]
    return sorted(range(len(rep)), key=lambda i: (-weight[i], i)), rep
