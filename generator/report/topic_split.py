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

Nothing is dropped: every wording of the row is in one of the two rows, and each says why
(``Topic.split``: the other row, the closeness, and the words each side holds more than the
other). A row is cut once. A lexical grouping has no setting (``topic_evidence.SPLIT``).
"""

from __future__ import annotations

from collections import Counter

import numpy as np

REFINE = 20  # 2-means steps at most (it settles in a few)
WORDS_SHOWN = 3


def halves(rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """A 0/1 label per row (unit rows of one topic's wordings, their weights): the topic cut along
    its principal direction (about the weighted mean), then refined as 2-means on cosine to each
    side's weighted mean. All one label when the rows cannot be cut."""
    rows = rows.astype(np.float64, copy=False)
    mean = np.average(rows, axis=0, weights=weights)
    centred = (rows - mean) * np.sqrt(weights)[:, None]
    # the principal direction's side of each row: the sign of the top eigenvector of the rows' n × n
    # Gram matrix (the top left singular vector: a row's projection on the direction is σ × its entry
    # ÷ √weight), far cheaper than the singular vectors of n × d rows when d (meaning and words) ≫ n
    top = np.linalg.eigh(centred @ centred.T)[1][:, -1]
    label = (top > 0).astype(np.int64)
    for _ in range(REFINE):
        if label.min() == label.max():
            break
        sides = np.stack([np.average(rows[label == k], axis=0, weights=weights[label == k]) for k in (0, 1)])
        sides /= np.maximum(np.linalg.norm(sides, axis=1, keepdims=True), 1e-12)
        again = np.argmax(rows @ sides.T, axis=1)
        if (again == label).all():
            break
        label = again
    return label


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
    out = []
    for topic in topics:
        idx = np.array([index[id(m)] for m in topic.members if id(m) in index], dtype=np.int64)
        if len(idx) < len(topic.members) or len(idx) < 4 or not meaning[idx].any(axis=1).all():
            out.append(topic)  # a side of one wording says nothing (the gate's rule); unembedded wordings stay
            continue
        weights = np.sqrt(np.array([max(1, wordings[i].voice) for i in idx], dtype=np.float64))
        label = halves(rows[idx], weights)
        a, b = idx[label == 0].tolist(), idx[label == 1].tolist()
        closeness = gate.closeness(a, b) if a and b else None
        if closeness is None or closeness >= gate.rho:
            out.append(topic)
            continue
        one, two = (make_topic([wordings[i] for i in side], [meaning[i] for i in side]) for side in (a, b))
        for this, that in ((one, two), (two, one)):
            this.split = {"other": that, "closeness": float(closeness),
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
