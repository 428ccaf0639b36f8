"""The missing-content backlog's order (``report.topic_order``): a row whose centre is close to
a row listed above it (a second row of one need the grouping kept apart) is ranked after the
rows that repeat nothing and says which row it may repeat; a distinct need stays in its place."""

from __future__ import annotations

import numpy as np

from carebase.report import topic_order
from carebase.report.missing import _repeats_last
from carebase.report.topics import Topic


def unit(*rows) -> np.ndarray:
    m = np.array(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


# rows by failed searches: "atm fee" (40), its paraphrase "charged for withdrawing cash" (30,
# 0.8 similar), "lost card" (20, unrelated), "card stolen" (10, 0.6 to "lost card": another need
# close in meaning, under the threshold), a row with no embedding (8)
CENTRES = np.vstack([unit([1, 0, 0, 0], [0.8, 0.6, 0, 0], [0, 0, 1, 0], [0, 0, 0.6, 0.8]),
                     np.zeros((1, 4), dtype=np.float32)])
FAILED = [40, 30, 20, 10, 8]


def test_a_second_row_of_a_listed_need_is_ranked_after_the_rows_that_repeat_nothing():
    assert topic_order.repeats(CENTRES, 0.75) == [None, 0, None, None, None]
    new, rep = topic_order.order(CENTRES, 0.75)
    assert new == [0, 2, 3, 4, 1]
    new, _ = topic_order.order(CENTRES, 0.75, FAILED, 0.5)  # ranked as if it had 15 failed searches
    assert new == [0, 2, 1, 3, 4]
    assert topic_order.order(CENTRES, None) == ([0, 1, 2, 3, 4], [None] * 5)


def test_a_chain_of_look_alikes_points_at_its_first_row_and_a_zero_centre_repeats_nothing():
    centres = unit([1, 0], [0.9, 0.436], [0.6, 0.8])  # 0 ~ 1 (0.9), 1 ~ 2 (0.89), 0 ~ 2 (0.6)
    assert topic_order.repeats(centres, 0.75) == [None, 0, None]
    assert topic_order.repeats(np.zeros((2, 3), dtype=np.float32), 0.0) == [None, None]


def test_the_backlog_rows_say_which_row_they_may_repeat_and_are_ranked_by_it():
    rows = [{"topic_id": f"topic:{i}", "label": label, "failed": n}
            for i, (label, n) in enumerate(zip(["atm fee", "charged for withdrawing cash", "lost card", "card stolen",
                                                "zzz"], FAILED))]
    listed = [Topic([], c) for c in CENTRES]
    out = _repeats_last(list(rows), listed, (0.75, 0.0))
    assert [r["label"] for r in out] == ["atm fee", "lost card", "card stolen", "zzz", "charged for withdrawing cash"]
    assert out[-1]["repeats"]["topic_id"] == "topic:0" and out[-1]["repeats"]["row"] is rows[0]
    assert not any("repeats" in r for r in out[:-1])
    assert _repeats_last(list(rows), listed, None) == rows


# a need split by the grouping (session 41): "card not arrived" (9) and its likely repeats "where is my
# card" (8) and "card still not here" (6), both 0.8 like it; "lost card" (12), unrelated, one row
SPLIT = unit([1, 0, 0], [0.8, 0.6, 0], [0.8, 0, 0.6], [0, 0, 1])[[3, 0, 1, 2]]
SPLIT_FAILED = [12, 9, 8, 6]


def test_a_need_split_into_several_rows_is_ranked_by_all_of_them():
    assert topic_order.repeats(SPLIT, 0.7) == [None, None, 1, 1]
    new, _ = topic_order.order(SPLIT, 0.7, SPLIT_FAILED, 0.33)  # shipped before: the need ranks as a 9
    assert new == [0, 1, 2, 3]
    new, rep = topic_order.order(SPLIT, 0.7, SPLIT_FAILED, 0.33, credit=0.33)  # 9 + 0.33 × 14 = 13.6 > 12
    assert new == [1, 0, 2, 3] and rep == [None, None, 1, 1]
    new, _ = topic_order.order(SPLIT, 0.7, SPLIT_FAILED, 0.0, credit=0.33)  # repeats last, firsts by the need
    assert new == [1, 0, 2, 3]
    assert topic_order.with_repeats([None, None, 1, 1], SPLIT_FAILED, 0.5) == [12, 16, 8, 6]


def split_rows() -> list[dict]:
    return [{"topic_id": f"topic:{i}", "label": label, "failed": n}
            for i, (label, n) in enumerate(zip(["lost card", "card not arrived", "where is my card", "card still not here"],
                                               SPLIT_FAILED))]


def test_the_row_ranked_with_its_repeats_says_which_and_by_how_many():
    rows = split_rows()
    out = _repeats_last(list(rows), [Topic([], c) for c in SPLIT], (0.7, 0.33), credit=0.33)
    assert [r["label"] for r in out] == ["card not arrived", "lost card", "where is my card", "card still not here"]
    w = out[0]["with_repeats"]
    assert w["failed"] == 14 and w["ranked_by"] == 13.6 and w["rows"] == [rows[2], rows[3]]
    assert not any("with_repeats" in r for r in out[1:])
    plain = _repeats_last(split_rows(), [Topic([], c) for c in SPLIT], (0.7, 0.33))
    assert [r["label"] for r in plain] == ["lost card", "card not arrived", "where is my card", "card still not here"]
    assert not any("with_repeats" in r for r in plain)
