"""Grouping by meaning *and* words (``topics.group(words=…, words_weight=…)``): two
near-duplicate needs the model sees as one meaning but customers word with different words
end in two rows; paraphrases of one need (same meaning, some words shared) stay one row, and
the topics' centres stay in the meaning space the items are compared in. Planted meaning
vectors, the report's own hashed stems (``LexicalVectors``) for the words. (The same
mechanism through the real model and ``carebase report``: benchmarks/search/held_out_topics.py.)"""

from __future__ import annotations

from collections import Counter

import numpy as np

from carebase.report import topic_leader, topics
from carebase.report.missing import Cluster
from carebase.report.topic_evidence import FRAGMENTS as FRAGMENTS_BY_KIND
from carebase.report.topic_evidence import GROUP_THRESHOLD, MERGE_THRESHOLD, WORDS_WEIGHT
from carebase.report.topic_vectors import LexicalVectors

GROUP, MERGE, WEIGHT = GROUP_THRESHOLD["embedding"], MERGE_THRESHOLD["embedding"], WORDS_WEIGHT["embedding"]
FRAGMENTS = FRAGMENTS_BY_KIND["embedding"]


def wording(text: str, failed: int) -> Cluster:
    c = Cluster(tuple(text.split()), failed=failed, searches=failed)
    c.queries[text] = failed
    return c


def unit(rows) -> np.ndarray:
    m = np.array(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def meaning_near(direction: np.ndarray, cosine: float, rng: np.random.Generator, n: int) -> list[np.ndarray]:
    """``n`` unit vectors each exactly ``cosine`` from ``direction`` (random orthogonal parts)."""
    out = []
    for _ in range(n):
        noise = rng.normal(size=direction.shape)
        noise -= (noise @ direction) * direction
        noise /= np.linalg.norm(noise)
        out.append(cosine * direction + np.sqrt(1 - cosine ** 2) * noise)
    return out


def words_of(ws: list[Cluster]) -> np.ndarray:
    df = Counter(stem for w in ws for stem in set(w.key))
    return LexicalVectors(df, len(ws)).encode_keys([w.key for w in ws])


def rows(found) -> list[set[str]]:
    return sorted(({m.label() for m in t.members} for t in found), key=lambda r: sorted(r))


def axes(shared: float, own_need: float, need: int, n: int, first: int) -> np.ndarray:
    """``n`` wordings of need ``need``: a common axis (all needs), the need's axis, each its own
    axis, so any two wordings are ``shared`` similar across needs, ``shared + own_need`` within."""
    rows = np.zeros((n, 64), dtype=np.float32)
    rows[:, 0] = np.sqrt(shared)
    rows[:, 1 + need] = np.sqrt(own_need)
    for i in range(n):
        rows[i, 10 + first + i] = np.sqrt(1 - shared - own_need)
    return rows


def transfer_needs():
    """Two near-duplicate needs customers word with different words: how long a transfer
    takes, and a transfer still pending."""
    timing = [wording(text, n) for text, n in [
        ("how long does a transfer take", 9), ("how long until a transfer arrives", 9),
        ("how many days does a transfer take", 9), ("how long do transfers take", 8),
        ("transfer takes how long", 8), ("how long for a bank transfer", 8),
        ("how many days for a transfer to arrive", 8), ("how long does sending money take", 8)]]
    pending = [wording("why is my transfer still pending", 7), wording("transfer pending for days", 6),
               wording("my transfer stays pending", 5), wording("pending transfer not done", 4)]
    return timing, pending


def test_near_duplicate_needs_with_distinct_words_end_in_two_rows_paraphrases_stay_together():
    # near duplicates to the model: any two wordings of one need 0.72 similar, of the two needs
    # 0.62 (below the merge pass's threshold), but a need's many wordings make a centre the
    # other need's wordings are 0.7 close to, so meaning alone puts all in one row
    timing, pending = transfer_needs()
    ws = timing + pending
    meaning = np.vstack([axes(0.62, 0.10, 0, len(timing), 0), axes(0.62, 0.10, 1, len(pending), len(timing))])
    alone, _ = topics.group(ws, meaning, GROUP, merge_threshold=MERGE)
    assert len(alone) == 1  # meaning only: one row, a third of it a wrong action
    found, other = topics.group(ws, meaning, GROUP, merge_threshold=MERGE, words=words_of(ws), words_weight=WEIGHT)
    assert other == []
    assert rows(found) == rows([topics.Topic(timing, meaning[0]), topics.Topic(pending, meaning[0])])
    # each row keeps all its evidence, and its centre is in the meaning space (items compare there)
    assert sorted(t.failed for t in found) == [22, 67]
    row_of = {w.key: i for i, w in enumerate(ws)}
    for t in found:
        expected = sum(np.sqrt(m.failed) * meaning[row_of[m.key]] for m in t.members)
        assert np.allclose(t.centre, expected / np.linalg.norm(expected), atol=1e-5)


def test_paraphrases_of_one_need_with_few_words_in_common_stay_one_row():
    rng = np.random.default_rng(11)
    need, other_need = unit([rng.normal(size=32), rng.normal(size=32)])
    refund = [wording("can i get a refund for a purchase", 6), wording("i want my money back for an order", 5),
              wording("refund my purchase please", 4), wording("return an order and get money back", 3)]
    lost = [wording("i lost my card", 5), wording("card lost yesterday", 3)]
    ws = refund + lost
    meaning = np.stack(meaning_near(need, 0.93, rng, len(refund)) + meaning_near(other_need, 0.95, rng, len(lost)))
    found, _ = topics.group(ws, meaning.astype(np.float32), GROUP, merge_threshold=MERGE,
                            words=words_of(ws), words_weight=WEIGHT)
    assert rows(found) == rows([topics.Topic(refund, need), topics.Topic(lost, other_need)])


def test_a_wording_without_a_meaning_vector_is_never_grouped_by_its_words_alone():
    ws = [wording("transfer pending", 3), wording("transfer pending", 2)]
    meaning = np.zeros((2, 8), dtype=np.float32)
    found, _ = topics.group(ws, meaning, GROUP, merge_threshold=MERGE, words=words_of(ws), words_weight=WEIGHT)
    assert len(found) == 2


def test_the_sparse_words_part_groups_as_the_blended_rows_do():
    # topic_leader.Blend never builds the 1,408-dimension rows; its leader pass must give the
    # same topics as the dense rows of with_words (random meaning, the report's hashed stems)
    rng = np.random.default_rng(5)
    centres = unit(rng.normal(size=(6, 48)))
    vocabulary = [f"w{i}" for i in range(40)]
    ws, meaning = [], []
    for n in range(120):
        need = n % 6
        picked = rng.choice(8, size=3, replace=False) + need * 5
        ws.append(wording(" ".join(vocabulary[i] for i in sorted(set(picked))) + f" x{n}", int(rng.integers(1, 9))))
        meaning += meaning_near(centres[need], 0.9, rng, 1)
    meaning = np.stack(meaning).astype(np.float32)
    words = words_of(ws)
    weights = np.sqrt(np.array([w.failed for w in ws], dtype=np.float32))
    head = sorted(range(len(ws)), key=lambda i: (-ws[i].failed, ws[i].key))
    sparse, _ = topic_leader.leader(topic_leader.Blend(meaning, words, WEIGHT), head, [], weights, GROUP)
    dense, _ = topic_leader.leader(topic_leader.Dense(topics.with_words(meaning, words, WEIGHT)), head, [], weights, GROUP)
    assert 6 <= len(sparse) < 60  # real grouping, not one topic per wording
    assert sorted(map(sorted, sparse.values())) == sorted(map(sorted, dense.values()))


def need_rows(shared: float, part: float, axis: int, sub: int, n: int, first: int) -> np.ndarray:
    """``n`` wordings: a need's axis (``shared``), a part of it (``part``), each its own axis."""
    out = np.zeros((n, 96), dtype=np.float32)
    out[:, axis] = np.sqrt(shared)
    out[:, sub] = np.sqrt(part)
    for i in range(n):
        out[i, 20 + first + i] = np.sqrt(1 - shared - part)
    return out


def test_a_second_row_of_one_need_joins_its_only_home():
    # one need in two parts: wordings of a part 0.65 similar, of the two parts 0.45 (below the
    # merge pass's 0.625: two rows), far from the other need: the smaller part has one home
    linking = [wording(text, n) for text, n in [
        ("how do i link my new card", 9), ("link new card to the app", 8), ("add my new card in the app", 8),
        ("new card how to link it", 7), ("i got a new card how do i add it", 7), ("connect my new card to my account", 6)]]
    again = [wording("reactivate card i thought was lost", 3), wording("found my card again can i use it", 3)]
    rates = [wording("what is the exchange rate", 6), wording("exchange rate for euros", 5),
             wording("rate to change dollars", 4)]
    ws = linking + again + rates
    meaning = np.vstack([need_rows(0.45, 0.2, 0, 1, 6, 0), need_rows(0.45, 0.2, 0, 2, 2, 6),
                         need_rows(0.5, 0.2, 3, 4, 3, 8)])
    before, _ = topics.group(ws, meaning, GROUP, merge_threshold=MERGE, words=words_of(ws), words_weight=WEIGHT)
    assert len(before) == 3
    found, other = topics.group(ws, meaning, GROUP, merge_threshold=MERGE, words=words_of(ws), words_weight=WEIGHT,
                                fragments=FRAGMENTS)
    assert other == []
    assert rows(found) == rows([topics.Topic(linking + again, meaning[0]), topics.Topic(rates, meaning[0])])
    # the row keeps the id of its larger part, so a backlog decision on it still attaches
    (joined,) = [t for t in found if linking[0] in t.members]
    topics.assign_merged_ids(found, [])
    assert joined.parts[0].members == [linking[0]]
    assert joined.id == joined.parts[0].id


def test_near_duplicates_the_words_told_apart_are_not_joined_as_fragments():
    # the near-duplicate pair of the first test (meaning alone: one row; words: two) next to an
    # unrelated need: the smaller one's only near row is the other, but meaning alone would
    # have joined it there, so the words' split stands
    timing, pending = transfer_needs()
    rates = [wording("what is the exchange rate", 6), wording("exchange rate for euros", 5),
             wording("rate to change dollars", 4)]
    ws = timing + pending + rates
    far = np.zeros((len(rates), 64), dtype=np.float32)
    far[:, 50], far[:, 51] = np.sqrt(0.5), np.sqrt(0.2)
    far[np.arange(len(rates)), 52 + np.arange(len(rates))] = np.sqrt(0.3)
    meaning = np.vstack([axes(0.62, 0.10, 0, len(timing), 0), axes(0.62, 0.10, 1, len(pending), len(timing)), far])
    found, _ = topics.group(ws, meaning, GROUP, merge_threshold=MERGE, words=words_of(ws), words_weight=WEIGHT,
                            fragments=FRAGMENTS)
    assert rows(found) == rows([topics.Topic(timing, meaning[0]), topics.Topic(pending, meaning[0]),
                                topics.Topic(rates, meaning[0])])
