"""The run's tests in a shuffled order, to find a test that passes only after another (a pytest
plugin, loaded by tests/conftest.py; it reorders only when asked):

    CAREBASE_TEST_SHUFFLE=SEED bash tests/run [-n 0] [FILES]

shuffles, by the whole number SEED, the order of the test files and of the tests within each file.
With workers (``--dist loadfile``) the scheduler then hands out the files in the seed's order
instead of the heaviest first (tests/schedule_testkit.py), so different files share a worker
and its session fixtures in a different order; with ``-n 0`` every file shares the one process.
The seed is printed in the run's header: the same seed gives the same order again. What such a
run found, and how each was fixed: benchmarks/RESULTS.md, session 46 (`suite`)."""

from __future__ import annotations

import os
import random

import pytest

SHUFFLE = "CAREBASE_TEST_SHUFFLE"


def seed() -> int | None:
    """The seed of the order (``CAREBASE_TEST_SHUFFLE``), None when the order is not shuffled."""
    value = os.environ.get(SHUFFLE, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise pytest.UsageError(f"{SHUFFLE}={value!r}: not a whole number (the seed of the shuffled order, "
                                f"e.g. {SHUFFLE}=1)") from None


def shuffled_files(items: list, by) -> list:
    """``items`` grouped by ``by(item)`` (its file), the groups and the items within each in the
    seed's order (the same for every worker: they must collect the same order)."""
    rng = random.Random(seed())
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(by(item), []).append(item)
    order = sorted(groups)
    rng.shuffle(order)
    out = []
    for key in order:
        tests = groups[key]
        rng.shuffle(tests)
        out += tests
    return out


def pytest_configure(config):
    seed()  # a bad value fails the run at once, naming the variable


@pytest.hookimpl(trylast=True)  # after the other plugins have added and removed tests
def pytest_collection_modifyitems(config, items):
    if seed() is not None:
        items[:] = shuffled_files(items, lambda item: item.nodeid.split("::", 1)[0])


def pytest_report_header(config):
    if seed() is not None:
        return f"test order shuffled: {SHUFFLE}={seed()} (the files, and the tests within each)"
    return None
