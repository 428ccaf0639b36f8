"""A row of two needs made by the grouping: split where its wordings' neighbours part.

Twin needs worded alike ("can I change my user id", "I forgot my user id") are close in meaning,
so the grouping's first pass may put both in one row: each wording is near enough to the row's
centre, which sits between the two needs. Nothing in the merge pass sees it (no join is made),
and the shared-neighbour gate (``topic_neighbours``) only judges joins. This pass judges the rows
themselves by the gate's own evidence: **who each wording's nearest wordings are**.

Each row (after the merge and fragments passes) is cut in two along its widest spread
(``halves``: two centres in the leader pass's space, meaning and words, started from the row's
principal direction and refined as 2-means, each wording weighted as heard). The cut is kept
only when the two halves share their nearest wordings much less than each half does within itself:
their shared-nearest-neighbour closeness (``topic_neighbours.Gate.closeness``) is below the
gate's ``rho``, the same test a join must pass. One need worded many ways is cut too, but its
halves' wordings keep sharing their neighbours across the cut (the words of one need are
interchangeable), so it stays one row; twin needs' wordings have their own crowds.

**A row is judged at the gate's size** (``closeness``): with halves far bigger than K, every
wording's K nearest lie in its own half however alike the halves are, so a big row of one need
would be cut where a small one is not (reader R7, session 48: 21 of 60 pure CLINC150 rows of 50–100
wordings). A row of more than ``JUDGED_AT`` × K wordings is judged as a row of that size: draws of
that many of its wordings, each drawn wording's K nearest among every wording outside the row and
the drawn ones. What no test on neighbours tells from twin needs is one need said in two
vocabularies, each a crowd of its own: such a row is cut at any size (both rows stay, each says why).

Nothing is dropped: every wording of the row is in one of the two rows, and each says why
(``Topic.split``: the other row, the closeness, and the words each side holds more than the
other). A row is cut once. A lexical grouping has no setting (``topic_evidence.SPLIT``).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

REFINE = 20  # 2-means steps at most (it settles in a few)
WORDS_SHOWN = 3
SAMPLE = 256  # the principal direction of a bigger row is found from this many of its wordings (``direction``)
JUDGED_AT = 2  # a row of more than this many times K wordings is judged as a row of that size (``closeness``)
DRAWS = 5  # … by the median of this many draws of its wordings


def direction(centred: np.ndarray) -> np.ndarray:
    """The widest spread of a row's wordings: the top right singular vector of ``centred`` (n × d),
    from the n × n Gram matrix of at most ``SAMPLE`` of its rows (drawn with a fixed seed when there
    are more): a big row's widest spread is seen in a few hundred of its wordings, and the cost stays
    O(n · d) for the row however big (session 48's Gram matrix of every row was O(n³): ~5 CPU-s for one
    row of 2,000 wordings, reader R5)."""
    n = len(centred)
    part = centred if n <= SAMPLE else centred[np.sort(np.random.default_rng(0).choice(n, SAMPLE, replace=False))]
    top = np.linalg.eigh(part @ part.T)[1][:, -1]
    v = part.T @ top
    return v / max(float(np.linalg.norm(v)), 1e-12)


def halves(rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """A 0/1 label per row (unit rows of one topic's wordings, their weights): the topic cut along
    its principal direction (about the weighted mean; ``direction``), then refined as 2-means on
    cosine to each side's weighted mean. All one label when the rows cannot be cut. Linear in the
    rows (each step a product of the rows with two or ``BLOCK`` vectors): one row of 2,000 wordings
    is cut in hundredths of a second (benchmarks/search/split_row_cost.py)."""
    rows = np.asarray(rows, dtype=np.float32)
    weights = np.asarray(weights, dtype=np.float32)
    mean = (weights @ rows) / weights.sum()
    centred = (rows - mean) * np.sqrt(weights)[:, None]
    label = (centred @ direction(centred) > 0).astype(np.int64)
    for _ in range(REFINE):
        if label.min() == label.max():
            break
        sides = np.stack([weights * (label == k) for k in (0, 1)]) @ rows  # each side's weighted sum
        sides /= np.maximum(np.linalg.norm(sides, axis=1, keepdims=True), 1e-12)
        again = np.argmax(rows @ sides.T, axis=1)
        if (again == label).all():
            break
        label = again
    return label


def closeness(gate, rows: np.ndarray, present: np.ndarray, a: list[int], b: list[int]) -> float | None:
    """The two halves' shared-nearest-neighbour closeness as the gate measures it (``Gate.closeness``)
    **for a row of at most ``JUDGED_AT`` × K wordings**; a bigger row is judged as if it were that size:
    ``DRAWS`` draws of that many of its wordings (each half's share kept, at least two a side), each
    drawn wording's K nearest found among every embedded wording but the row's undrawn ones (the
    row as a crowd of that size among the others), the median of the draws' closeness. Without it a
    big row of one need is cut more easily than a small one: with halves far larger than K, every
    wording's K nearest lie in its own half however alike the halves are (reader R7: 21 of 60 pure
    rows of 50–100 wordings cut). None: no evidence (as ``Gate.closeness``)."""
    k = gate.near.shape[1]
    size = JUDGED_AT * k
    if len(a) + len(b) <= size or len(a) < 2 or len(b) < 2:
        return gate.closeness(a, b)
    a_, b_ = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    take_a = min(len(a_), max(2, round(size * len(a_) / (len(a_) + len(b_)))))  # each half's share, two at least
    take_b = min(len(b_), max(2, size - take_a))
    rng = np.random.default_rng([len(a_), len(b_), int(a_.sum()) % (1 << 62)])
    others = np.flatnonzero(present)
    found = []
    for _ in range(DRAWS):
        drawn = np.concatenate([rng.choice(a_, take_a, replace=False), rng.choice(b_, take_b, replace=False)])
        seen = np.setdiff1d(others, np.setdiff1d(np.concatenate([a_, b_]), drawn))
        sims = rows[drawn].astype(np.float32, copy=False) @ rows[seen].astype(np.float32, copy=False).T
        own = np.searchsorted(seen, drawn)
        sims[np.arange(len(drawn)), own] = -np.inf
        kk = min(k, len(seen) - 1)
        near = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        hood = np.zeros((len(drawn), len(seen)), dtype=np.float32)  # each drawn wording's K nearest and itself
        hood[np.repeat(np.arange(len(drawn)), kk), near.ravel()] = 1.0
        hood[np.arange(len(drawn)), own] = 1.0
        shared = hood @ hood.T  # whole numbers (at most K + 1): exact in float32
        sa, sb = np.arange(take_a), np.arange(take_a, len(drawn))
        cross = float(shared[np.ix_(sa, sb)].mean())
        wa = (float(shared[np.ix_(sa, sa)].sum()) - (kk + 1) * take_a) / (take_a * (take_a - 1))
        wb = (float(shared[np.ix_(sb, sb)].sum()) - (kk + 1) * take_b) / (take_b * (take_b - 1))
        if wa > 0 and wb > 0:
            found.append(cross / float(np.sqrt(wa * wb)))
    return float(np.median(found)) if found else None


def telling_words(side: list, other: list) -> list[str]:
    """The stems the wordings of ``side`` hold more often than those of ``other`` (shares of the
    searches as heard, ``Cluster.voice``), the most telling first: what tells the two rows apart."""
    def shares(members):
        c: Counter = Counter()
        for m in members:
            for stem in set(m.key):
                c[stem] += m.voice
        total = max(1, sum(m.voice for m in members))
        return {s: n / total for s, n in c.items()}
    mine, theirs = shares(side), shares(other)
    ranked = sorted(((share - theirs.get(s, 0.0), s) for s, share in mine.items()), key=lambda x: (-x[0], x[1]))
    return [s for d, s in ranked[:WORDS_SHOWN] if d > 0]


def split(topics: list, wordings: list, meaning: np.ndarray, rows: np.ndarray, gate, make_topic) -> list:
    """``topics`` with every row of two needs cut in two (see the module docstring), most failed
    first. ``wordings``/``meaning``: the grouped wordings and their meaning vectors (the new rows'
    centres); ``rows``: the same wordings as the leader pass compares them (unit rows); ``gate``
    (``topic_neighbours.Gate``) the neighbours and rho; ``make_topic`` (``topics.make_topic``). A cut
    row's two rows carry ``split`` = {"other": the other row, "closeness": …, "words": its telling
    stems}."""
    index = {id(w): i for i, w in enumerate(wordings)}
    present = meaning.any(axis=1)
    out = []
    for topic in topics:
        idx = np.array([index[id(m)] for m in topic.members if id(m) in index], dtype=np.int64)
        if len(idx) < len(topic.members) or len(idx) < 4 or not meaning[idx].any(axis=1).all():
            out.append(topic)  # a side of one wording says nothing (the gate's rule); unembedded wordings stay
            continue
        weights = np.sqrt(np.array([max(1, wordings[i].voice) for i in idx], dtype=np.float64))
        label = halves(rows[idx], weights)
        a, b = idx[label == 0].tolist(), idx[label == 1].tolist()
        near = closeness(gate, rows, present, a, b) if a and b else None
        if near is None or near >= gate.rho:
            out.append(topic)
            continue
        one, two = (make_topic([wordings[i] for i in side], [meaning[i] for i in side]) for side in (a, b))
        for this, that in ((one, two), (two, one)):
            this.split = {"other": that, "closeness": float(near),
                          "words": telling_words(this.members, that.members)}
        out += [one, two]
    out.sort(key=lambda t: (-t.failed, -t.total("searches"), t.members[0].key))
    return out


def note(topic, surface: dict, label) -> dict | None:
    """What a cut row tells a lead (report.json's ``split``, first in ``why_grouped``): the other
    row's label, the closeness, and each side's telling words as customers wrote them (``surface``:
    stem → Counter of written forms); None for a row not cut."""
    if topic.split is None:
        return None
    other = topic.split["other"]

    def written(stems):
        return [surface.get(s, Counter({s: 1})).most_common(1)[0][0] for s in stems]

    mine, theirs = written(topic.split["words"]), written(other.split["words"] if other.split else [])
    closeness = round(topic.split["closeness"], 2)
    quoted = lambda ws: ", ".join(f"“{w}”" for w in ws)  # noqa: E731
    says = (f"split from one row with “{label(other)}”: the two halves' wordings have different nearest wordings "
            f"(closeness {closeness:.2f})")
    if mine or theirs:
        says += f"; {quoted(mine) or 'no word of its own'} here, {quoted(theirs) or 'no word of its own'} there"
    return {"other": other.id, "other_label": label(other), "closeness": closeness, "words": mine,
            "other_words": theirs, "says": says}
