"""Failed searches grouped by meaning: wordings → topics.

Input: *wordings*, the exact-key groups of ``missing.cluster_queries`` (one per normalised
key: case, accents, stop words, typos, stems and synonyms folded), each with a vector
(``topic_vectors``: sentence embeddings when installed, else hashed TF-IDF stems).

1. **Noise**: a wording none of whose words is known — a word of the language (the
   analyser's dictionary), of the content or of the synonym groups, or a word customers
   typed in ``KNOWN_IN_WORDINGS`` different queries next to a known word — is unintelligible
   ("zzkv frobnicate5"): counted as noise, never a topic, unless its journeys went on to
   reach an item (``missing._rescue``).
2. **Leader pass**: wordings by how often heard (``Cluster.voice``), most first; each joins
   the topic whose centre is most similar (cosine) if at least ``threshold``, else starts a
   topic. The centre is the normalised sum of its wordings' vectors weighted by √heard.
3. **One reassignment pass**: every wording moves to the most similar final centre (if at
   least ``threshold``), so early topics do not keep wordings a later one suits better.
4. **Merge pass** (``topic_merge``): topics whose wordings are on average at least
   ``merge_threshold`` similar are one topic (one need worded several ways, one row).
5. **Fragments** (``topic_merge.attach_fragments``, with embeddings): smallest first, a
   topic joins its nearest larger topic when that one is clearly its only home (at least a
   floor similar and nearer by a margin than any other topic): a second row of one need,
   not a row between two needs.
6. **The shared-neighbour gate** (``topic_neighbours``, ``topic_evidence.NEIGHBOURS``; an
   experiment option, off unless set): the merge and fragments passes join two topics only
   when their wordings share their nearest wordings about as much as within each (twin needs
   worded alike stay two rows).
7. **The split pass** (``topic_split``, ``topic_evidence.SPLIT``): each row is cut in two along
   its widest spread, and the cut is kept when the two halves' wordings share their nearest
   wordings less than the gate lets two rows join (twin needs the first pass put in one row); a
   row of more than 2K wordings is judged as a row of 2K (``topic_split.closeness``).

With embeddings, steps 2–3 compare wordings on their meaning *and* their words
(``with_words``: the cosine of the embeddings blended with the cosine of the analysed stems,
``topic_evidence.WORDS_WEIGHT``): near-duplicate needs that one model sees as one meaning
("how long does a transfer take?", "my transfer is still pending") are told apart by the
words customers use for each (the words part is sparse: ``topic_leader``). Steps 4–5
compare meaning only, so paraphrases with no word in
common ("temperature for pets when away", "keep the house warm for my dog") still end in one
row when their meaning is close enough. Topics' centres stay in the embeddings' space, where
items are compared with them.

At most ``MAX_WORDINGS`` wordings (the most heard) are grouped this way; the rest join the
most similar topic if at least ``threshold``, else stay counted in "other".

Each topic explains itself: its medoid (the wording closest to its centre), its most
typical wordings, the words most of its searches share, and its tightness (the mean
similarity of its searches to the centre).

**Heard, not repeated**: every weight above (the order and centres of the leader pass, the
merge pass, the medoid that labels a row, its typical wordings, shared words and tightness)
is a wording's ``Cluster.voice``: the clients that failed with it when the report counts by
client (``missing.counts_by_client``), so one client typing a crafted wording thirty times
weighs what one customer weighs and cannot take over a row's label or words; its failed
searches when it does not (a store with one client hash).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from carebase.report import topic_leader, topic_merge, topic_neighbours, topic_split

MAX_WORDINGS = 3_000
KNOWN_IN_WORDINGS = 2
SHARED_SHARE = 0.5  # a word in at least this share of a topic's failed searches (as heard) is "shared"
TYPICAL = 5


@dataclass
class Topic:
    members: list  # wordings (missing.Cluster), most heard first
    centre: np.ndarray
    similarity: list[float] = field(default_factory=list)  # each member's cosine to the centre
    id: str = ""
    parts: list = field(default_factory=list)  # a merged topic: the topics it was made of, largest first
    # rows the shared-neighbour gate kept apart from this one: (that Topic, the closest refused closeness)
    kept_apart: list = field(default_factory=list, repr=False, compare=False)
    # a row the split pass cut from a row of two needs (``topic_split``): the other row, the closeness, its words
    split: dict | None = field(default=None, repr=False, compare=False)

    @property
    def failed(self) -> int:
        return sum(m.failed for m in self.members)

    def total(self, name: str) -> int:
        return sum(getattr(m, name) for m in self.members)

    def medoid(self):
        return self.members[int(np.argmax(self.similarity))] if self.similarity else self.members[0]

    def tightness(self) -> float:
        weights = [m.voice for m in self.members]
        return float(np.average(self.similarity, weights=weights)) if sum(weights) else 1.0

    def typical(self, n: int = TYPICAL) -> list:
        """Members ordered by how typical they are: similarity to the centre, then how often
        heard (``Cluster.voice``: by client when counted by client)."""
        order = sorted(range(len(self.members)),
                       key=lambda i: (-(self.similarity[i] * (1 + math.log(self.members[i].voice))),
                                      self.members[i].key))
        return [self.members[i] for i in order[:n]]

    def shared_stems(self) -> list[tuple[str, float]]:
        """(stem, share) for the stems at least ``SHARED_SHARE`` of the topic's searches hold (the
        two most held when none is), most held first, the searches weighed as heard
        (``Cluster.voice``: a client repeating a wording counts once when counted by client)."""
        counts: Counter = Counter()
        for m in self.members:
            for stem in set(m.key):
                counts[stem] += m.voice
        total = max(1, sum(m.voice for m in self.members))
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        shared = [(s, n / total) for s, n in ranked if n / total >= SHARED_SHARE]
        return shared or [(s, n / total) for s, n in ranked[:2]]

    def shared_words(self, surface: dict[str, Counter]) -> list[tuple[str, float]]:
        """(word, share) for ``shared_stems``, each stem as most often written."""
        return [(surface.get(s, Counter({s: 1})).most_common(1)[0][0], round(share, 2)) for s, share in self.shared_stems()]


def known_words(wordings, vocabulary_stems: set[str], analyser) -> set[str]:
    """Words that mean something: words of the language (its dictionary), of the content
    or of the synonym groups; and words customers typed in ``KNOWN_IN_WORDINGS`` or more
    different queries next to such a word (product names, new terms: "venmo", "topup")."""
    known = set()
    vouched: Counter = Counter()
    for w in wordings:
        good = {word for word in w.words if analyser.is_word(word) or analyser.stem(word) in vocabulary_stems}
        known |= good
        if good:
            for word in w.words - good:
                vouched[word] += len(w.queries)
    return known | {word for word, n in vouched.items() if n >= KNOWN_IN_WORDINGS}


def split_noise(wordings, known: set[str]) -> tuple[list, list]:
    """(intelligible wordings, unintelligible ones): the latter have no known word at all."""
    keep, noise = [], []
    for w in wordings:
        (keep if w.words & known else noise).append(w)
    return keep, noise


def _centres(sums: list[np.ndarray]) -> np.ndarray:
    matrix = np.stack(sums)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def make_topic(members: list, vectors: list[np.ndarray]) -> Topic:
    """A topic of ``members`` (wordings) with their unit ``vectors`` (all zero: no meaning): its
    centre is their mean weighted by the square root of how often each was heard
    (``Cluster.voice``: its clients when counted by client, else its failed searches); its
    members are listed most heard first. The grouping makes every topic so, and so does a
    lead's join or split (carebase.report.lead_links)."""
    weights = np.sqrt(np.array([max(1, m.voice) for m in members], dtype=np.float32))
    centre = np.sum([w * v for w, v in zip(weights, vectors)], axis=0)
    norm = np.linalg.norm(centre)
    centre = centre / norm if norm else centre
    order = sorted(range(len(members)), key=lambda i: (-members[i].voice, -members[i].failed, members[i].key))
    return Topic([members[i] for i in order], centre.astype(np.float32),
                 [float(vectors[i] @ centre) if vectors[i].any() else 1.0 for i in order])


def with_words(vectors: np.ndarray, words: np.ndarray, weight: float) -> np.ndarray:
    """Unit rows whose cosine is ``(1 - weight) × cos(vectors) + weight × cos(words)``: the
    meaning of a wording and the words it holds, both counted (``words`` all zero for a wording
    with no known stem: then its meaning only, renormalised; a wording without a meaning
    vector, not embedded, stays all zero: never grouped by its words alone)."""
    words = words * vectors.any(axis=1, keepdims=True)
    out = np.hstack([math.sqrt(1 - weight) * vectors, math.sqrt(weight) * words]).astype(np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms


def group(wordings: list, vectors: np.ndarray, threshold: float,
          merge_threshold: float | None = None, words: np.ndarray | None = None,
          words_weight: float = 0.0, fragments: tuple | None = None,
          neighbours: tuple | None = None, split: tuple | None = None) -> tuple[list[Topic], list]:
    """Topics of the wordings (see the module docstring); returns (topics, wordings left in "other").
    ``merge_threshold``: then topics whose average linkage is at least that are merged
    (``topic_merge``); a merged topic keeps the leader pass's topics as its ``parts``.
    ``words`` (unit rows of the wordings' stems, ``LexicalVectors``) and ``words_weight``:
    wordings are compared on ``with_words`` (meaning and words) in the leader pass and its
    reassignment; the merge pass, the topics' centres and their similarities stay in
    ``vectors``' space (items are compared with those). ``fragments`` = (floor, margin[, guard]):
    after the merge pass, second rows of one need join their one obvious home
    (``topic_merge.attach_fragments``, on meaning; it only ever joins more); with ``guard``,
    never a row meaning alone would have joined at ``threshold`` (a near-duplicate need the
    words kept apart). ``neighbours`` = (K, rho): the merge and fragments passes join two topics
    only when their shared-nearest-neighbour closeness on the K-nearest graph of the wordings
    (compared as the leader pass compares them) is at least rho (``topic_neighbours``). ``split`` =
    (K, rho): then every row whose two halves' closeness on that graph is below rho is cut in two
    (``topic_split``), after the merge and fragments passes."""
    if not wordings:
        return [], []
    meaning = vectors
    space = (topic_leader.Blend(vectors, words, words_weight) if words is not None and words_weight > 0
             else topic_leader.Dense(vectors))
    order = sorted(range(len(wordings)), key=lambda i: (-wordings[i].voice, -wordings[i].failed, wordings[i].key))
    head, tail = order[:MAX_WORDINGS], order[MAX_WORDINGS:]
    weights = np.sqrt(np.array([max(1, w.voice) for w in wordings], dtype=np.float32))
    members, left = topic_leader.leader(space, head, tail, weights, threshold)
    other = [wordings[i] for i in left]

    def topic(idx: list[int]) -> Topic:
        return make_topic([wordings[i] for i in idx], [meaning[i] for i in idx])

    groups = list(members.values())
    topics = []
    rows = (with_words(vectors, words, words_weight) if words is not None and words_weight > 0 else vectors) \
        if neighbours is not None or split is not None else None  # as the leader pass compares them
    gate = None
    if merge_threshold is None:
        topics = [topic(idx) for idx in groups]
    else:
        gated = {}  # the passes' ``linked`` only when gated (benchmark hooks replace the passes)
        if neighbours is not None:
            gate = topic_neighbours.gate(rows, vectors.any(axis=1), neighbours)
            gated["linked"] = gate.linked
        merges = topic_merge.merge(groups, meaning, weights, merge_threshold, **gated)
        if fragments is not None:
            floor, margin, guard = (tuple(fragments) + (False,))[:3]
            firsts = [[i for g in parts for i in groups[g]] for parts in merges]
            merges = [sorted((g for f in joined for g in merges[f]), key=lambda g: (-float(weights[groups[g]].sum()), g))
                      for joined in topic_merge.attach_fragments(firsts, meaning, weights, floor, margin,
                                                                 apart_below=threshold if guard else None,
                                                                 **gated)]
        for merged in merges:
            if len(merged) == 1:
                topics.append(topic(groups[merged[0]]))
                continue
            whole = topic([i for g in merged for i in groups[g]])
            whole.parts = sorted((topic(groups[g]) for g in merged),
                                 key=lambda t: (-t.failed, -t.total("searches"), t.members[0].key))
            topics.append(whole)
    if split is not None:
        cut = gate if gate is not None and tuple(neighbours) == tuple(split) else \
            topic_neighbours.gate(rows, vectors.any(axis=1), split)
        topics = topic_split.split(topics, wordings, meaning, rows, cut, make_topic)
    if gate is not None:
        mark_kept_apart(topics, wordings, gate.refused)
    topics.sort(key=lambda t: (-t.failed, -t.total("searches"), t.members[0].key))
    return topics, other


def mark_kept_apart(topics: list[Topic], wordings: list, refused: list) -> None:
    """Each topic's ``kept_apart``: the topics holding the other side of a join the shared-neighbour
    gate refused (``topic_neighbours.Gate.refused``: two lists of wording positions and their
    closeness; a side belongs to the topic holding most of its wordings), each once, with the
    highest closeness refused between them. Two sides that ended in one topic are not kept apart."""
    owner = {id(m): t for t in topics for m in t.members}
    by_id = {id(t): t for t in topics}
    best: dict[tuple[int, int], tuple[Topic, Topic, float]] = {}
    for a, b, closeness in refused:
        sides = []
        for side in (a, b):
            held = Counter(id(owner[id(wordings[i])]) for i in side if id(wordings[i]) in owner)
            if held:
                sides.append(by_id[held.most_common(1)[0][0]])
        if len(sides) < 2 or sides[0] is sides[1]:
            continue
        key = tuple(sorted((id(sides[0]), id(sides[1]))))
        if key not in best or closeness > best[key][2]:
            best[key] = (sides[0], sides[1], closeness)
    for ta, tb, closeness in best.values():
        ta.kept_apart.append((tb, float(closeness)))
        tb.kept_apart.append((ta, float(closeness)))


# -- stable ids ----------------------------------------------------------------------------
ID_MATCH = 0.8  # a topic whose centre is this similar to a remembered one keeps its id


def anchor_id(topic: Topic) -> str:
    """An id from the medoid wording's normalised key (stable while the medoid is)."""
    key = " ".join(topic.medoid().key)
    return "topic:" + hashlib.blake2b(key.encode(), digest_size=5).hexdigest()


def assign_ids(topics: list[Topic], remembered: list[tuple[str, np.ndarray]]) -> None:
    """Each topic keeps the id of the remembered topic (last run's) whose centre is most
    similar, if at least ``ID_MATCH`` and not taken by a more similar topic; else it gets
    its anchor id (made unique)."""
    taken: set[str] = set()
    if remembered and topics:
        old = np.stack([c for _, c in remembered])
        if old.shape[1] == topics[0].centre.shape[0]:
            sims = np.stack([t.centre for t in topics]) @ old.T
            pairs = sorted(((float(sims[a, b]), a, b) for a in range(len(topics)) for b in range(len(remembered))
                            if sims[a, b] >= ID_MATCH), reverse=True)
            for _, a, b in pairs:
                if topics[a].id or remembered[b][0] in taken:
                    continue
                topics[a].id = remembered[b][0]
                taken.add(topics[a].id)
    for t in topics:
        if not t.id:
            base = anchor_id(t)
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}-{n}", n + 1
            t.id = candidate
            taken.add(candidate)


def assign_merged_ids(topics: list[Topic], remembered: list[tuple[str, np.ndarray]]) -> list[Topic]:
    """Ids for topics some of which are merged: the leader pass's topics (a merged topic's
    parts) get theirs as ``assign_ids`` gives them, and a merged topic takes the id of its
    largest part, so the key a lead's decision was stored under keeps pointing at the row
    that holds most of its searches. Returns the topics to remember (parts, not merges)."""
    parts = [p for t in topics for p in (t.parts or [t])]
    assign_ids(parts, remembered)
    for t in topics:
        if t.parts:
            t.id = t.parts[0].id
    return parts
