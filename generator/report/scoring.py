"""Confidence-aware scores: the Wilson score interval of a rate, and vote-scale mapping.

A page with 1 "No" out of 1 vote is not worse than one with 40 "No" out of 50: the
Wilson lower bound of the unhelpful rate at 95 % rewards evidence, so small samples sink
and large, clearly bad samples rise. Below ``min_votes`` a row is flagged "insufficient
data" and ranked after every row that has enough.

Votes on the CSAT (1–5) and CES (1–7, 7 = "it was easy") scales map onto helpful /
unhelpful so every item shares one rate: CSAT 1–2 and CES 1–3 are unhelpful, CSAT 4–5
and CES 5–7 helpful, the middle (CSAT 3, CES 4) is neutral: counted in n, in neither rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054  # two-sided 95 % normal quantile

# value ranges (inclusive) that count as unhelpful / helpful on each scale
UNHELPFUL = {"helpful": (0, 0), "csat": (1, 2), "ces": (1, 3)}
HELPFUL = {"helpful": (1, 1), "csat": (4, 5), "ces": (5, 7)}


def is_unhelpful(scale: str | None, value: int) -> bool:
    low, high = UNHELPFUL.get(scale or "helpful", UNHELPFUL["helpful"])
    return low <= value <= high


def is_helpful(scale: str | None, value: int) -> bool:
    low, high = HELPFUL.get(scale or "helpful", HELPFUL["helpful"])
    return low <= value <= high


@dataclass(frozen=True, slots=True)
class Interval:
    """A rate with its 95 % Wilson interval; ``rate`` is None when there is no data."""

    hits: int
    n: int
    rate: float | None
    low: float
    high: float


def wilson(hits: int, n: int, z: float = Z95) -> Interval:
    """Wilson score interval of ``hits / n``. n = 0 gives the uninformative [0, 1]."""
    if n < 0 or hits < 0 or hits > n:
        raise ValueError(f"expected 0 <= hits <= n, found hits={hits}, n={n}")
    if n == 0:
        return Interval(0, 0, None, 0.0, 1.0)
    p = hits / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = p + z2 / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = max(0.0, (centre - margin) / denominator)
    high = min(1.0, (centre + margin) / denominator)
    return Interval(hits, n, p, low, high)


def impact(low: float, exposure: int) -> float:
    """Customers likely failed, at least: the lower bound times the people who landed."""
    return low * exposure


def exposure(clicks: int, votes: int) -> int:
    """Known arrivals on an item: clicks from search, or votes if more (direct visits)."""
    return max(clicks, votes)


def two_proportion_z(hits_a: int, n_a: int, hits_b: int, n_b: int) -> float:
    """z statistic of rate b − rate a (pooled); 0 when either side has no data."""
    if n_a == 0 or n_b == 0:
        return 0.0
    pooled = (hits_a + hits_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 0.0
    return (hits_b / n_b - hits_a / n_a) / se


def change_verdict(hits_a: int, n_a: int, hits_b: int, n_b: int, min_votes: int) -> str:
    """How the unhelpful rate moved from a to b: better / worse / no clear change / too few votes.

    A change counts when the two-proportion z-test says so at 95 % *and* the two Wilson
    intervals do not overlap (about p < 0.006): with thousands of items, a 95 % test alone
    would flag dozens of pages by chance."""
    if n_a < min_votes or n_b < min_votes:
        return "too few votes"
    z = two_proportion_z(hits_a, n_a, hits_b, n_b)
    before, after = wilson(hits_a, n_a), wilson(hits_b, n_b)
    if z <= -Z95 and after.high < before.low:
        return "better"
    if z >= Z95 and after.low > before.high:
        return "worse"
    return "no clear change"


def similarity_text(similarity: float, threshold: float | None) -> str:
    """A similarity to two decimals that never reads as the line it missed: one under
    ``threshold`` that would round up to it is cut instead (0.649 against a line of 0.65 reads
    "0.64", not "0.65"); every other value is rounded as before (0.596 reads "0.60")."""
    shown = f"{similarity:.2f}"
    if threshold is not None and similarity < threshold and float(shown) >= threshold:
        return f"{math.floor(similarity * 100 + 1e-9) / 100:.2f}"
    return shown
