"""Helpers for the widget tests (a uniquely named module: every tests/ folder has a conftest)."""

import time


def wait_for(predicate, timeout=10.0, interval=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()
