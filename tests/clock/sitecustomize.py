"""Started by every Python process whose ``PYTHONPATH`` holds this folder (tests/clock_testkit.py
puts it there while a test's clock is moved): when ``CAREBASE_TEST_CLOCK_OFFSET_MS`` is set,
``time.time`` and ``time.time_ns`` run that many milliseconds from the system clock, as in the
test process that started it (a live report's ``carebase report`` child, a service
subprocess). File times, Chromium and PostgreSQL keep the system's clock."""

import os
import time

_OFFSET = os.environ.get("CAREBASE_TEST_CLOCK_OFFSET_MS", "")
if _OFFSET.lstrip("-").isdigit() and int(_OFFSET):
    _real_time, _real_time_ns, _ms = time.time, time.time_ns, int(_OFFSET)
    time._carebase_system_time, time._carebase_system_time_ns = _real_time, _real_time_ns  # clock_testkit.real_ms
    time.time = lambda: _real_time() + _ms / 1000
    time.time_ns = lambda: _real_time_ns() + _ms * 1_000_000
