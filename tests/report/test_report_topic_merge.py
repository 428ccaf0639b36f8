"""The merge pass over topics (``report.topic_merge``): topics whose wordings are on average
close become one, never by chaining through one shared neighbour; a merged topic keeps every
wording's evidence and the id of its largest part, and a lead's decision on any of its parts
still attaches to it. (The same through the real ``carebase report`` with the real model:
tests/report/test_report_topics.py.)"""

from __future__ import annotations

from collections import Counter

import numpy as np

from carebase.backlog.states import State, apply_states
from carebase.report import topic_merge, topics
from carebase.report.missing import Cluster


def wording(text: str, failed: int) -> Cluster:
    c = Cluster(tuple(text.split()), failed=failed, searches=failed)
    c.queries[text] = failed
    return c


def unit(*rows) -> np.ndarray:
    m = np.array(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_one_need_split_by_the_leader_pass_is_merged_with_all_its_evidence():
    # two tight pairs of wordings of one need, 0.66 apart on average: the leader pass (0.7)
    # keeps them apart, the merge pass (0.625) joins them
    ws = [wording("atm fee", 5), wording("atm charge", 4), wording("cash withdrawal cost", 3),
          wording("fee for withdrawing cash", 2), wording("lost my card", 6)]
    vectors = unit([1, 0.15, 0, 0, 0], [1, -0.15, 0, 0, 0], [0.66, 0, 0.75, 0.1, 0], [0.66, 0, 0.75, -0.1, 0],
                   [0, 0, 0, 0, 1])
    split, _ = topics.group(ws, vectors, 0.7)
    assert sorted(len(t.members) for t in split) == [1, 2, 2]
    merged, other = topics.group(ws, vectors, 0.7, merge_threshold=0.625)
    assert other == []
    (fees,) = [t for t in merged if len(t.members) > 1]
    assert {m.key for m in fees.members} == {w.key for w in ws[:4]}
    assert fees.failed == 14 and fees.total("searches") == 14
    assert Counter(q for m in fees.members for q in m.queries) == Counter({w.label(): 1 for w in ws[:4]})
    assert [p.failed for p in fees.parts] == [9, 5]  # the leader pass's topics, largest first
    assert [t.members[0].key for t in merged if not t.parts] == [("lost", "my", "card")]  # unrelated: alone


def test_average_linkage_never_chains_two_unrelated_needs_through_a_wording_close_to_both():
    # "card fee" is 0.71 from "card lost" and from "atm fee", which are unrelated (0.0): a
    # single-linkage merge would chain all three; the average keeps one of them apart
    ws = [wording("card lost", 3), wording("card fee", 3), wording("atm fee", 3)]
    vectors = unit([1, 0, 0], [1, 1, 0], [0, 1, 0])
    merged, _ = topics.group(ws, vectors, 0.9, merge_threshold=0.6)
    assert sorted(len(t.members) for t in merged) == [1, 2]
    groups = topic_merge.merge([[0], [1], [2]], vectors, np.ones(3, dtype=np.float32), 0.6)
    assert sorted(map(len, groups)) == [1, 2]


def test_wordings_that_were_not_embedded_are_never_merged():
    vectors = np.zeros((2, 4), dtype=np.float32)
    assert topic_merge.merge([[0], [1]], vectors, np.ones(2, dtype=np.float32), -1.0) == [[0], [1]]


def _merged_topic(remembered_ids):
    ws = [wording("atm fee", 9), wording("cash withdrawal cost", 4)]
    vectors = unit([1, 0.2, 0], [0.7, 0, 0.7])
    (topic,) = [t for t in topics.group(ws, vectors, 0.9, merge_threshold=0.5)[0] if t.parts]
    remembered = [(i, p.centre) for i, p in zip(remembered_ids, topic.parts) if i]
    return topic, topics.assign_merged_ids([topic], remembered)


def test_a_merged_topic_keeps_the_id_of_its_largest_part_and_remembers_the_parts():
    topic, parts = _merged_topic(["topic:atm-fee", "topic:cash-cost"])
    assert topic.id == "topic:atm-fee"
    assert [p.id for p in parts] == ["topic:atm-fee", "topic:cash-cost"]  # next run's parts match these
    # only the smaller part was known before: the merged topic still takes the largest part's id
    topic, parts = _merged_topic([None, "topic:cash-cost"])
    assert topic.id == parts[0].id == topics.anchor_id(topic.parts[0]) and parts[1].id == "topic:cash-cost"


def test_a_decision_on_a_part_attaches_to_the_merged_row_and_is_not_listed_apart():
    row = {"key": "topic:atm-fee", "action": "write", "target": "new", "owner": "Ann", "owner_from": "category",
           "merged_ids": ["topic:cash-cost"], "subject": {"kind": "topic", "id": "topic:atm-fee", "title": "atm fee"}}
    on_part = State("topic:cash-cost", "in_progress", "Bo", "drafting", 5, 6, {"action": "write", "target": "new"})
    rows = apply_states([dict(row)], {"topic:cash-cost": on_part})
    assert [(r["key"], r["status"], r["owner"], r["note"], r.get("decided_as")) for r in rows] == [
        ("topic:atm-fee", "in_progress", "Bo", "drafting", "topic:cash-cost")]
    own = State("topic:atm-fee", "wont_do", None, None, 7, 8, {"action": "write", "target": "new"})
    rows = apply_states([dict(row)], {"topic:cash-cost": on_part, "topic:atm-fee": own})
    assert rows[0]["status"] == "wont_do" and "decided_as" not in rows[0]  # its own key's decision comes first
