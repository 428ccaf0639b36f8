"""The test tiers, decided from what each test uses (a pytest plugin, loaded by tests/conftest.py).

- ``browser``: the test uses headless Chromium (the ``shared_chromium`` fixture, directly or
  through another fixture);
- ``postgres``: it uses the throwaway PostgreSQL server (``postgres_server``, or a
  ``postgres`` parameter of a fixture such as ``store_url``);
- ``slow``: it uses a fixture marked ``@real_build`` (a real MkDocs build, a service or site
  server, a simulated event store) or is marked ``@pytest.mark.slow`` itself (a test that
  runs such things in its own body);
- ``fast``: none of these. ``bash tests/run -m fast`` runs this tier.

So a new test lands in the right tier by using the shared fixtures; a new fixture that
builds or serves something gets ``@real_build`` under its ``@pytest.fixture``. A kit that starts
a program the fast tier must not wait for (Node: ``text_testkit.run_node``,
``sitesearch_testkit._index_in_node``) calls ``starts("Node")`` first, which fails a fast-tier
test at once, naming the mark it needs, in every run. As a safety net, when only fast tests run (``-m fast``), every test's CPU time (this process and the
processes it waited for) is measured, and the run ends with the list of tests over
``FAST_CPU_BUDGET`` seconds. (With heavier tiers in the run, a process a slow test started
may be reaped during a later test, so the figures would be wrong: nothing is measured.)
"""

from __future__ import annotations

import resource
import time

import pytest

TIER_OF_FIXTURE = {"shared_chromium": "browser", "postgres_server": "postgres"}
HEAVY = ("browser", "postgres", "slow")
FAST_CPU_BUDGET = 1.0  # seconds of CPU a fast test (with the fixtures it sets up) may use


def real_build(function):
    """Mark a fixture function as doing real, slow work (put it under ``@pytest.fixture``):
    every test that uses it, directly or through other fixtures, is in the ``slow`` tier."""
    function._carebase_tier = "slow"
    return function


def _tiers(item) -> set[str]:
    tiers = {m.name for m in item.iter_markers() if m.name in HEAVY}
    info = getattr(item, "_fixtureinfo", None)
    for name in getattr(item, "fixturenames", ()):
        if name in TIER_OF_FIXTURE:
            tiers.add(TIER_OF_FIXTURE[name])
        for definition in (info.name2fixturedefs.get(name, ()) if info else ()):
            tier = getattr(definition.func, "_carebase_tier", None)
            if tier:
                tiers.add(tier)
    callspec = getattr(item, "callspec", None)
    if callspec is not None and any(v == "postgres" for v in callspec.params.values() if isinstance(v, str)):
        tiers.add("postgres")
    return tiers


_measure = False
_running: list = []  # the test this process runs now (its item), while it runs


def starts(what: str) -> None:
    """Called by a test kit before it starts ``what`` (a program the fast tier holds none of, such
    as Node): fails the running test when it is in the fast tier, saying how to move it."""
    if _running and _running[-1].get_closest_marker("fast"):
        pytest.fail(f"{_running[-1].nodeid} is in the fast tier but starts {what}: mark it "
                    "@pytest.mark.slow (or its module: pytestmark = pytest.mark.slow); "
                    "the fast tier starts no browser, Node, server or build (tests/tiers_testkit.py)",
                    pytrace=False)


def pytest_collection_modifyitems(config, items):
    for item in items:
        tiers = _tiers(item)
        for tier in sorted(tiers):
            if not item.get_closest_marker(tier):
                item.add_marker(tier)
        if not tiers:
            item.add_marker("fast")


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    global _measure
    _measure = bool(session.items) and all(item.get_closest_marker("fast") for item in session.items)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


_over_budget: list[tuple[float, float, str]] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _running.append(item)
    try:
        if not _measure:
            return (yield)
        cpu, wall = _cpu(), time.perf_counter()
        try:
            return (yield)
        finally:
            used = _cpu() - cpu
            if used > FAST_CPU_BUDGET:
                _over_budget.append((used, time.perf_counter() - wall, item.nodeid))
    finally:
        _running.pop()


def pytest_sessionfinish(session):
    """In a pytest-xdist worker: hand the list to the controlling process, which prints it."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["carebase_over_budget"] = list(_over_budget)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """In the controlling process (pytest-xdist): gather each worker's list."""
    _over_budget.extend(tuple(entry) for entry in getattr(node, "workeroutput", {}).get("carebase_over_budget", ()))


def pytest_terminal_summary(terminalreporter):
    if not _over_budget:
        return
    terminalreporter.section("fast tier: tests over the CPU budget")
    terminalreporter.write_line(
        f"These fast-tier tests used more than {FAST_CPU_BUDGET:.0f} s of CPU (with their fixtures' set-up): "
        "share an existing fixture, or mark the test @pytest.mark.slow / its fixture @real_build "
        "(tests/tiers_testkit.py).")
    for used, wall, nodeid in sorted(_over_budget, reverse=True):
        terminalreporter.write_line(f"  {used:5.1f} s CPU  {wall:5.1f} s wall  {nodeid}")
