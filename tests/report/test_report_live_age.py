"""The live report's header says how old its data is; before the first report of a period is
built it says so plainly (session 44's audit: the waiting page read "last 28 days · data from
never · building a fresh one now")."""

from __future__ import annotations

from types import SimpleNamespace

from carebase.backlog.filters import View
from carebase.report import render_live


def _header_text(status, now_ms: int) -> str:
    page = render_live.waiting_page(View(), status, now_ms)
    start = page.index('<span class="age">')
    return page[start:page.index("</span>", start)].split(">", 1)[1]


def test_no_report_yet_is_said_plainly_not_data_from_never():
    """Fails on 75f1817: 'data from never · building a fresh one now'."""
    status = SimpleNamespace(building=True, error=None, built_ms=None, started_s=None)
    assert _header_text(status, 10_000_000) == "no report yet · building a fresh one now"


def test_a_built_report_says_how_old_its_data_is():
    status = SimpleNamespace(building=False, error=None, built_ms=10_000_000 - 150_000, started_s=None)
    assert _header_text(status, 10_000_000) == "data from 2 min ago"
