"""Scores against hand-computed Wilson intervals; zero, single and tied votes."""

from __future__ import annotations

import math

import pytest

from carebase.report.scoring import change_verdict, is_helpful, is_unhelpful, wilson


def hand_wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize("k,n,low,high", [
    (8, 10, 0.4902, 0.9433),   # textbook values for 8 of 10
    (0, 10, 0.0, 0.2775),
    (10, 10, 0.7225, 1.0),
    (1, 1, 0.2065, 1.0),       # a single "No": at least 21 % unhelpful, nothing more
    (0, 1, 0.0, 0.7935),       # a single "Yes"
    (40, 50, 0.6696, 0.8876),
])
def test_wilson_matches_hand_computed_values(k, n, low, high):
    interval = wilson(k, n)
    assert interval.low == pytest.approx(low, abs=5e-4)
    assert interval.high == pytest.approx(high, abs=5e-4)
    assert (interval.low, interval.high) == pytest.approx(hand_wilson(k, n), abs=2e-4)
    assert interval.rate == pytest.approx(k / n)


def test_zero_votes_is_uninformative_not_an_error():
    interval = wilson(0, 0)
    assert interval.rate is None and (interval.low, interval.high) == (0.0, 1.0)


def test_more_evidence_ranks_higher_at_the_same_rate():
    assert wilson(1, 1).low < wilson(5, 5).low < wilson(50, 50).low
    assert wilson(40, 50).low > wilson(4, 5).low


def test_impossible_counts_are_rejected():
    with pytest.raises(ValueError, match="hits"):
        wilson(3, 2)


@pytest.mark.parametrize("scale,value,unhelpful,helpful", [
    ("helpful", 0, True, False), ("helpful", 1, False, True), (None, 0, True, False),
    ("csat", 1, True, False), ("csat", 2, True, False), ("csat", 3, False, False), ("csat", 4, False, True),
    ("csat", 5, False, True), ("ces", 3, True, False), ("ces", 4, False, False), ("ces", 5, False, True),
    ("ces", 7, False, True),
])
def test_rating_scales_map_to_helpful_and_unhelpful(scale, value, unhelpful, helpful):
    assert is_unhelpful(scale, value) is unhelpful
    assert is_helpful(scale, value) is helpful


def test_change_verdict_needs_evidence():
    assert change_verdict(30, 50, 5, 50, 10) == "better"
    assert change_verdict(5, 50, 30, 50, 10) == "worse"
    assert change_verdict(10, 50, 12, 50, 10) == "no clear change"
    assert change_verdict(3, 5, 0, 5, 10) == "too few votes"
