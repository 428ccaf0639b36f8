"""The clock of tests that simulate weeks of traffic and then talk to a real service.

The backlog's live-report tests fill a store with 56 days of simulated traffic, then post
events and decisions to a real service and rebuild its report: the traffic must end "now" for
what they post to fall in the report's current period. With "now" the day of the run, the
report changed with the date (the demo's ``review_by`` dates pass from 2027-01-31: 6 "review"
rows more in the backlog on 2027-02-15, 42 on 2027-08-01), so the suite's result depended on
the day it ran. ``Clock(SUITE_NOW_MS)`` runs this process's ``time.time`` (and, through
tests/clock/sitecustomize.py, the report builds it starts) from a fixed instant instead: the
same traffic, dates and report on any day. File times (a live report's ``built_ms`` is its
file's) stay the system's: wait for them with ``real_ms()``.

``CAREBASE_TEST_TODAY=YYYY-MM-DD bash tests/run …`` moves the whole run's clock to that day
(this process and the Python processes it starts), to check that a test does not depend on the
date; the fixed clocks above still hold inside it.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

DAY_MS = 86_400_000
#: The suite's fixed "now": noon of the suite's day (tests/conftest.py SUITE_DAY, the day the
#: demo's review dates are judged by), when the backlog's simulated traffic ends.
SUITE_NOW_MS = 1_796_083_200_000 + DAY_MS // 2  # 2026-12-01 12:00 UTC
OFFSET_ENV = "CAREBASE_TEST_CLOCK_OFFSET_MS"
TODAY_ENV = "CAREBASE_TEST_TODAY"
SHIM = Path(__file__).resolve().parent / "clock"  # its sitecustomize.py moves a child's clock

# the system's clock, also in a process whose clock tests/clock/sitecustomize.py moved at its start
_SYSTEM_TIME = getattr(time, "_carebase_system_time", time.time)
_SYSTEM_TIME_NS = getattr(time, "_carebase_system_time_ns", time.time_ns)


def real_ms() -> int:
    """The system's clock (file times are written by it), whatever clock the test runs on."""
    return int(_SYSTEM_TIME() * 1000)


def _install(offset_ms: int) -> None:
    if offset_ms:
        time.time = lambda: _SYSTEM_TIME() + offset_ms / 1000
        time.time_ns = lambda: _SYSTEM_TIME_NS() + offset_ms * 1_000_000
    else:
        time.time, time.time_ns = _SYSTEM_TIME, _SYSTEM_TIME_NS
    if offset_ms:
        os.environ[OFFSET_ENV] = str(offset_ms)
        parts = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        if str(SHIM) not in parts:
            os.environ["PYTHONPATH"] = os.pathsep.join([str(SHIM), *parts])
    else:
        os.environ.pop(OFFSET_ENV, None)


def offset_ms() -> int:
    """How far this process's clock runs from the system's (0: not moved)."""
    raw = os.environ.get(OFFSET_ENV, "")
    return int(raw) if raw.lstrip("-").isdigit() else 0


class Clock:
    """``with Clock(start_ms):`` this process's clock (and its Python children's) runs from
    ``start_ms`` at the moment the Clock was made: every ``with`` of the same Clock continues
    the same clock (no jump back between the tests that share a fixture)."""

    def __init__(self, start_ms: int):
        self.offset = start_ms - real_ms()
        self._saved: list[int] = []

    def __enter__(self) -> "Clock":
        self._saved.append(offset_ms())
        _install(self.offset)
        return self

    def __exit__(self, *exc) -> None:
        _install(self._saved.pop())


def move_run_to(day: str) -> None:
    """Run this process (and its Python children) as on ``day`` (YYYY-MM-DD), at the system
    clock's time of day: ``CAREBASE_TEST_TODAY`` (tests/conftest.py)."""
    target = dt.date.fromisoformat(day)
    today = dt.datetime.fromtimestamp(_SYSTEM_TIME(), dt.timezone.utc).date()
    _install((target - today).days * DAY_MS)
