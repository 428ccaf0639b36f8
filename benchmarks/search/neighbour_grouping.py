"""The grouping on neighbourhoods (session 44, `topics`; tried, not shipped: benchmarks/RESULTS.md,
"Held-out topics: session 44 (`topics`)").

``topics.group``'s passes compare wordings and topics by who their neighbours are: the K-nearest-
neighbour graph of the grouped wordings (at most ``MAX_EMBED`` = 2,000; compared as the leader pass
compares them, meaning and words). With a setting (S, K, rho):

- the leader pass and its reassignment join a wording only to a topic that already holds one of
  its S nearest wordings (the most similar such topic at least the threshold similar), else it
  starts a topic (stays) — session 43's *support* rule;
- the merge and fragments passes join two topics only when their **shared-nearest-neighbour
  closeness** is at least rho: the mean number of neighbours (K nearest and itself) a wording of A
  shares with a wording of B, over the geometric mean of the same between two wordings within A
  and within B (1 = as close as within each; a side of one wording: no evidence, joined as before).
  ``Links.interconnectivity`` is Chameleon's relative interconnectivity (crossing K-nearest edges
  over those of a random cut of A ∪ B), measured in the diagnostic only.

Copies of ``topic_leader.leader`` and ``topic_merge.merge`` / ``attach_fragments`` as they were at
4c0e50a with the ``near`` / ``linked`` arguments added; they do not follow later changes of those
modules. ``install(setting)`` puts them in place for every ``topics.group`` call (``uninstall()``
puts the shipped passes back); ``held_out_apart_words.py report --neighbours S,K,RHO`` and
``held_out_within_need.py replay --grid "sgate,K,RHO"`` use it.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from carebase.report import topic_leader, topic_merge, topics

BLOCK = 512


def nearest(rows: np.ndarray, k: int, present: np.ndarray | None = None) -> np.ndarray:
    """Each row's ``k`` most similar other rows (cosine of unit rows), nearest first, an (n × k) int array;
    rows of ``present`` False (not embedded) neither have nor are neighbours (their entries
    are −1)."""
    n = len(rows)
    present = np.ones(n, dtype=bool) if present is None else present
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
        top = np.take_along_axis(top, order, axis=1)  # nearest first: the first S are the S nearest
        out[idx[lo:lo + BLOCK], :kk] = idx[top]
    return out


class Links:
    """The relative interconnectivity of two groups of wordings on their K-nearest-neighbour graph."""

    def __init__(self, near: np.ndarray, rho: float, measure: str = "closeness"):
        self.near = near
        self.rho = rho
        self.measure = measure
        self.n = len(near)

    def interconnectivity(self, a: list[int], b: list[int]) -> float | None:
        """Crossing edges over the expected under one population (None: under one edge expected)."""
        ia = np.asarray(a, dtype=np.int64)
        ib = np.asarray(b, dtype=np.int64)
        in_a = np.zeros(self.n + 1, dtype=bool)  # the last slot: "no neighbour" (−1)
        in_b = np.zeros(self.n + 1, dtype=bool)
        in_a[ia] = True
        in_b[ib] = True
        na, nb = self.near[ia], self.near[ib]
        aa, ab = int(in_a[na].sum()), int(in_b[na].sum())
        ba, bb = int(in_a[nb].sum()), int(in_b[nb].sum())
        size = len(ia) + len(ib)
        if size < 2:
            return None
        expected = ((aa + ab) * len(ib) + (bb + ba) * len(ia)) / (size - 1)
        if expected < 1:
            return None
        return (ab + ba) / expected

    def _counts(self, idx: np.ndarray) -> tuple[np.ndarray, int]:
        """How many of the wordings ``idx`` hold each wording in their neighbourhood (its K nearest
        and itself), and the neighbourhoods' total size."""
        hood = np.concatenate([self.near[idx].ravel(), idx])
        hood = hood[hood >= 0]
        return np.bincount(hood, minlength=self.n).astype(np.float64), len(hood)

    def closeness(self, a: list[int], b: list[int]) -> float | None:
        """Shared-nearest-neighbour closeness: the mean number of neighbours (its K nearest and
        itself) a wording of A shares with a wording of B, over the geometric mean of the same
        between two wordings within A and within B (None when either is a single wording). The
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

    def linked(self, a: list[int], b: list[int]) -> bool:
        """Whether groups ``a`` and ``b`` (wording positions) may join."""
        r = self.closeness(a, b) if self.measure == "closeness" else self.interconnectivity(a, b)
        return r is None or r >= self.rho


def leader(space, head: list[int], tail: list[int], weights: np.ndarray, threshold: float,
           near: np.ndarray | None = None):
    """(members: topic number → wording positions, wordings of the tail left out) — the leader
    pass over ``head`` (most failed first), one reassignment pass against the final centres,
    and the tail joined to the most similar centre if at least ``threshold``. ``near`` (each
    wording's K nearest wordings, ``topic_neighbours.nearest``; −1: none): a wording joins (and in
    the reassignment moves to) only a topic that already holds one of its nearest wordings — the
    most similar such topic at least ``threshold`` similar — else it starts a topic (stays)."""
    space.start(len(head))
    norms = np.zeros(len(head), dtype=np.float32)
    k = 0
    assignment: dict[int, int] = {}

    def allowed(i: int, sims: np.ndarray) -> int | None:
        """The topic wording ``i`` may join given its similarities ``sims`` to the first topics."""
        if near is None:
            j = int(np.argmax(sims))
            return j if sims[j] >= threshold else None
        held = [t for t in {assignment[n] for n in near[i] if n >= 0 and n in assignment} if t < len(sims) and sims[t] >= threshold]
        return max(held, key=lambda t: (sims[t], -t)) if held else None

    for i in head:
        if k and space.present[i]:
            sims = space.dots(k, i) / norms[:k]
            j = allowed(i, sims)
            if j is not None:
                norms[j] = math.sqrt(space.add(j, i, float(weights[i]))) or 1.0
                assignment[i] = j
                continue
        norms[k] = math.sqrt(space.add(k, i, float(weights[i]))) or 1.0
        assignment[i] = k
        k += 1
    members: dict[int, list[int]] = {}
    sims = space.all_dots(head, k) / norms[:k]
    for row, i in enumerate(head):
        j = allowed(i, sims[row]) if space.present[i] else None
        members.setdefault(assignment[i] if j is None else j, []).append(i)
    return members, topic_leader.join_tail(space, tail, norms[:k], threshold, members)


def merge(groups: list[list[int]], vectors: np.ndarray, weights: np.ndarray, threshold: float,
          linked=None) -> list[list[int]]:
    """Which groups become one: a list of lists of positions in ``groups``, each list the
    parts of one merged group (largest part first, by total weight), in the order of each
    list's first part. ``vectors``: unit-length rows of the wordings; ``weights``: each
    wording's weight; a group of zero vectors (not embedded) is never merged. ``linked``
    (``topic_neighbours.Links.linked``, given two lists of wording positions): two groups
    whose neighbours say they are two needs are not merged (that pair is passed over; a group
    either later becomes is compared afresh)."""
    n = len(groups)
    if n < 2:
        return [[i] for i in range(n)]
    sums, mass, active = topic_merge._group_sums(groups, vectors, weights)
    sims = topic_merge.similarities(sums, mass)
    sims[~active, :] = -np.inf
    sims[:, ~active] = -np.inf
    best = np.argmax(sims, axis=1)
    best_sim = sims[np.arange(n), best]
    parts = [[g] for g in range(n)]

    def members(g: int) -> list[int]:
        return [i for p in parts[g] for i in groups[p]]

    while True:
        a = int(np.argmax(best_sim))
        if best_sim[a] < threshold:
            break
        b = int(best[a])
        if linked is not None and not linked(members(a), members(b)):
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
    sums, mass, active = topic_merge._group_sums(groups, vectors, weights)
    sims = topic_merge.similarities(sums, mass)
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
        if linked is not None and not linked([i for p in parts[a] for i in groups[p]], [i for p in parts[b] for i in groups[p]]):
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


_SHIPPED: dict = {}


#: the modules the copies above were made from, as they were at 4c0e50a (sha256 of their source,
#: first 16 hex digits): ``install`` refuses to measure copies of passes that changed since. Session 46:
#: the shipped ``merge`` and ``attach_fragments`` take ``linked=`` as the copies do (carebase's
#: ``topics.group(neighbours=…)``); that ``topic_merge`` is accepted too, its passes checked to group
#: as these copies (``neighbour_gate_same.py``, on and off, benchmarks/RESULTS.md, session 46).
COPIED_FROM = {"carebase.report.topic_leader": ("43f409dcbabee0cc",),
               "carebase.report.topic_merge": ("5677f0a79aa55e75", "0e386c5ae053fbeb")}


def check_copies() -> None:
    """Raise when ``topic_leader`` or ``topic_merge`` changed since the copies were made (the trial
    would measure 4c0e50a's passes against a newer main without saying so; reader 44, T1)."""
    import hashlib
    import inspect

    changed = [m.__name__ for m in (topic_leader, topic_merge)
               if hashlib.sha256(inspect.getsource(m).encode()).hexdigest()[:16] not in COPIED_FROM[m.__name__]]
    if changed:
        raise RuntimeError(f"neighbour_grouping.py copies 4c0e50a's passes, and {', '.join(changed)} changed since: "
                           "copy leader / merge / attach_fragments again (or give the shipped ones near= / linked=) "
                           "and update COPIED_FROM before measuring")


def reassign(found: list, wordings: list, near: np.ndarray, share: float) -> list:
    """Session 45: one synchronous pass over the final rows: a wording moves to the row that holds
    the most of its nearest wordings (``near``: each wording's K nearest, −1 none) when that row holds
    at least ``share`` of them and more than its own row does (the twin left behind keeps no
    stragglers of the other need); it joins that row's largest part. Rows and parts rebuilt as
    ``topics.group`` builds them (``topics.make_topic``), emptied ones dropped, ranked as there."""
    position = {id(w): i for i, w in enumerate(wordings)}
    row_of = np.full(len(wordings), -1, dtype=np.int64)
    for r, t in enumerate(found):
        for w in t.members:
            row_of[position[id(w)]] = r
    moves = {}
    for i in np.flatnonzero(row_of >= 0):
        hood = [n for n in near[i] if n >= 0 and row_of[n] >= 0]
        if not hood:
            continue
        votes = np.bincount(row_of[hood], minlength=len(found))
        best = int(np.argmax(votes))
        if best != row_of[i] and votes[best] >= share * len(near[i]) and votes[best] > votes[row_of[i]]:
            moves[int(i)] = best
    leaving = Counter(int(row_of[i]) for i in moves)
    # stragglers only: a row that would lose half its wordings or more (a small row next to a large
    # one, a row of one wording) keeps them all
    moves = {i: to for i, to in moves.items() if 2 * leaving[int(row_of[i])] < len(found[int(row_of[i])].members)}
    if _REBUILD.get("spy") is not None:
        _REBUILD["spy"].append((found, moves))
    if not moves:
        return found
    return _rebuilt(found, wordings, position, moves)


def set_aside(found: list, wordings: list, matrix: np.ndarray, margin: float) -> tuple[list, list]:
    """Session 45: of two final rows holding the two sides of a join the gate refused (``refused_apart``),
    a wording of one at most ``margin`` less similar (meaning, cosine) to the other row's centre than to
    its own row's is between the two: it leaves both rows (to "other"), unless its row would lose half
    its failed searches or more. Returns (rows, wordings set aside)."""
    position = {id(w): i for i, w in enumerate(wordings)}
    pairs = refused_apart(found)
    leave: dict = {}
    for p, q in pairs:
        for w in found[p].members:
            v = matrix[position[id(w)]]
            if v.any() and float(v @ found[q].centre) >= float(v @ found[p].centre) - margin:
                leave.setdefault(p, set()).add(id(w))
    gone = set()
    for p, ids in leave.items():
        if 2 * sum(w.failed for w in found[p].members if id(w) in ids) < found[p].failed:
            gone |= ids
    if not gone:
        return found, []
    moves = {position[i]: -1 for i in gone}
    return _rebuilt(found, wordings, position, moves), [wordings[position[i]] for i in gone]


def _rebuilt(found: list, wordings: list, position: dict, moves: dict) -> list:
    matrix_of = _REBUILD["matrix"]
    out = []
    for r, t in enumerate(found):
        parts = t.parts or [t]
        kept = [[w for w in p.members if moves.get(position[id(w)], r) == r] for p in parts]
        arriving = [wordings[i] for i, to in moves.items() if to == r]
        if arriving:
            kept[0] = kept[0] + arriving
        kept = [k for k in kept if k]
        if not kept:
            continue
        made = [topics.make_topic(k, [matrix_of[position[id(w)]] for w in k]) for k in kept]
        if len(made) == 1:
            out.append(made[0])
            continue
        whole = topics.make_topic([w for k in kept for w in k], [matrix_of[position[id(w)]] for k in kept for w in k])
        whole.parts = sorted(made, key=lambda p: (-p.failed, -p.total("searches"), p.members[0].key))
        out.append(whole)
    out.sort(key=lambda t: (-t.failed, -t.total("searches"), t.members[0].key))
    return out


_REBUILD: dict = {}


_APART: dict = {"refused": []}


def refused_apart(listed: list) -> set:
    """Session 45: (row, row) positions in ``listed`` (the report's rows, ranked) of two rows that hold
    the two sides of a join the gate refused (each side's row: the one holding most of its wordings),
    both ways: the report's ranking then never counts one a likely repeat of the other."""
    where = {id(w): p for p, t in enumerate(listed) for w in t.members}
    out = set()
    for a, b in _APART["refused"]:
        rows = []
        for side in (a, b):
            held = Counter(where[id(w)] for w in side if id(w) in where)
            rows.append(held.most_common(1)[0][0] if held else None)
        if None not in rows and rows[0] != rows[1]:
            out |= {(rows[0], rows[1]), (rows[1], rows[0])}
    return out


def install(setting: tuple, measure: str = "closeness", rows=None, regroup=None, apart=False, aside=None) -> None:
    """Every ``topics.group`` call from now on groups on neighbourhoods with ``setting`` = (S, K, rho)
    (S 0: the shipped leader pass; ``measure``: "closeness" or "interconnectivity" for the gate;
    ``rows``: a function (vectors, words, weight) → the rows the graph is built on, default the
    leader pass's meaning and words). Refused when the shipped passes changed (``check_copies``)."""
    check_copies()
    uninstall()
    support, k, rho = int(setting[0]), int(setting[1]), float(setting[2])
    shipped = {"group": topics.group, "leader": topic_leader.leader, "merge": topic_merge.merge,
               "attach": topic_merge.attach_fragments}
    _SHIPPED.update(shipped)
    as_rows = rows or (lambda v, w, ww: topics.with_words(v, w, ww) if w is not None and ww > 0 else v)

    def group(wordings, vectors, threshold, *a, **kw):
        if not len(wordings):
            return shipped["group"](wordings, vectors, threshold, *a, **kw)
        graph = nearest(as_rows(vectors, kw.get("words"), kw.get("words_weight", 0.0) or 0.0),
                        max(support, k, int(regroup[0]) if regroup else 0),
                        vectors.any(axis=1))
        near = graph[:, :support] if support else None
        linked = Links(graph[:, :k], rho, measure).linked
        if apart or aside is not None:  # session 45: every join the gate refuses, its two sides' wordings (``refused_apart``)
            refusals = _APART["refused"] = []
            gate = linked

            def linked(a, b):
                ok = gate(a, b)
                if not ok:
                    refusals.append(([wordings[i] for i in a], [wordings[i] for i in b]))
                return ok
        topic_leader.leader = lambda space, head, tail, weights, thr: leader(space, head, tail, weights, thr, near=near)
        # (the shipped passes' own ``linked``, None unless ``neighbours`` is given, which this hook takes off)
        topic_merge.merge = lambda g, v, w, t, **_: merge(g, v, w, t, linked=linked)
        topic_merge.attach_fragments = lambda g, v, w, f, m, apart_below=None, **_: attach_fragments(
            g, v, w, f, m, apart_below=apart_below, linked=linked)
        kw.pop("neighbours", None)
        try:
            found, other = shipped["group"](wordings, vectors, threshold, *a, **kw)
        finally:
            topic_leader.leader, topic_merge.merge = shipped["leader"], shipped["merge"]
            topic_merge.attach_fragments = shipped["attach"]
        _REBUILD["matrix"] = vectors
        if aside is not None:  # session 45: wordings between two rows the gate kept apart leave both
            found, gone = set_aside(found, wordings, vectors, float(aside))
            other = other + gone
        if regroup is not None:  # session 45: (K, share), the twin left behind keeps no stragglers
            found = reassign(found, wordings, graph[:, :int(regroup[0])], float(regroup[1]))
        return found, other

    topics.group = group
    if apart:
        from carebase.report import missing

        repeats_last = _SHIPPED["repeats_last"] = missing._repeats_last

        def ranked(backlog, listed, setting, apart=frozenset(), *a, **kw):
            return repeats_last(backlog, listed, setting, set(apart) | refused_apart(listed), *a, **kw)

        missing._repeats_last = ranked


def uninstall() -> None:
    if _SHIPPED:
        topics.group, topic_leader.leader = _SHIPPED["group"], _SHIPPED["leader"]
        topic_merge.merge, topic_merge.attach_fragments = _SHIPPED["merge"], _SHIPPED["attach"]
        if "repeats_last" in _SHIPPED:
            from carebase.report import missing
            missing._repeats_last = _SHIPPED["repeats_last"]
        _SHIPPED.clear()
