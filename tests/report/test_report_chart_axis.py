"""The report's day-by-day chart labels its count axis with round numbers a lead can read
(session 40's audit: the middle mark read "2501", half of the busiest day's 5,002)."""

from __future__ import annotations

import re

import pytest

from carebase.report.html_charts import daily_chart

pytestmark = pytest.mark.fast


def marks(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end">([^<]*)</text>', svg)


def days(peak: int) -> list[dict]:
    return [{"day": f"2026-11-{n:02d}", "search": peak if n == 3 else 0, "zero": 0, "vote": 0, "unhelpful": 0}
            for n in range(1, 15)]


@pytest.mark.parametrize("peak, expected", [
    (5002, ["0", "2,000", "4,000", "6,000"]),
    (1, ["0", "1"]),
    (7, ["0", "2", "4", "6", "8"]),
    (100, ["0", "50", "100"]),
    (1238, ["0", "500", "1,000", "1,500"]),
])
def test_the_count_axis_is_marked_in_round_steps_up_to_the_busiest_day(peak, expected):
    svg = daily_chart(days(peak))
    assert marks(svg) == expected


def test_the_busiest_day_is_drawn_against_the_round_top_not_as_the_top():
    """5,002 searches on the busiest day: its point sits below the 6,000 line, where 5,002 is."""
    svg = daily_chart(days(5002))
    lines = [float(y) for y in re.findall(r'<line x1="40" x2="710" y1="([\d.]+)"', svg)]
    bottom, top = lines[0], lines[-1]
    search = re.search(r'<polyline points="([^"]+)" fill="none" stroke="[^"]+" stroke-width="2"/>', svg).group(1)
    peak_y = min(float(p.split(",")[1]) for p in search.split())
    assert top < peak_y < bottom
    assert abs((bottom - peak_y) / (bottom - top) - 5002 / 6000) < 0.01
