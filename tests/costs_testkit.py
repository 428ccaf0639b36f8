"""Where a run's CPU goes: by test file and by fixture (a pytest plugin, loaded by tests/conftest.py;
it measures only when asked).

``CAREBASE_TEST_COSTS=costs.jsonl bash tests/run ...`` appends one JSON line per test phase
(setup, call, teardown) and per fixture set-up, from every worker process, to ``costs.jsonl``:
when it started (``start``, seconds since the epoch: each worker's timeline, for simulating the
schedule), its wall seconds and its CPU seconds, counting the worker process (its threads: the in-process
services, static servers) and every process below it, alive or ended (Chromium and its
renderers under Playwright's driver, Node, MkDocs builds and CLI runs, PostgreSQL when the worker
started it): the worker's own and reaped children's CPU (``getrusage``) plus, for each process
still running below it, its own and its reaped children's CPU (``/proc/PID/stat``, found through
``/proc/PID/task/TID/children``). A fixture's
set-up (one whose scope is wider than a test, or marked ``@real_build``) is measured alone (its
own arguments are set up before it, and measured as theirs).
``python tests/costs_testkit.py costs.jsonl`` then prints the CPU and wall by file, by fixture
(with how many times each was set up, across workers) and the run's total.

What it cannot see: what a process used after the last look at it when it ended under a
parent that had ended first (re-parented to init: a browser's helpers when the browser closes, a
server's children when it is killed; ``spent`` keeps such a row from going negative), and CPU
another test's leftover thread used during this test (counted as this test's: the figures are
per process, not per thread).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from clock_testkit import _SYSTEM_TIME

COSTS = "CAREBASE_TEST_COSTS"
#: when a row started: the system's clock, not ``time.time``, which a test may move (the backlog tests run
#: on the suite's fixed day, tests/clock_testkit.py: their rows were dated days before the run's others)
_system_time = _SYSTEM_TIME
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_path = os.environ.get(COSTS) or None
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")


def _children(pid: int) -> list[int]:
    """The processes ``pid``'s threads started that are still running (Linux's
    /proc/PID/task/TID/children; a thread's list is empty once it ended)."""
    found = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:  # ended meanwhile
        return found
    for tid in threads:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as f:
                found.extend(int(x) for x in f.read().split())
        except OSError:
            continue
    return found


def _stat(pid: int) -> tuple[tuple[int, int], float, float] | None:
    """(``pid`` and its start time: one process, whatever reuses the number later; its own CPU
    seconds; its reaped children's), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(b")") + 2:].split()  # after "pid (comm) "
    return ((pid, int(fields[19])), (int(fields[11]) + int(fields[12])) / _TICK,  # utime stime, starttime
            (int(fields[13]) + int(fields[14])) / _TICK)  # cutime cstime


def _descendants(root: int) -> dict[tuple[int, int], tuple[float, float]]:
    """The processes running below ``root``: (own CPU seconds, reaped children's) of each."""
    found, todo = {}, _children(root)
    while todo:
        pid = todo.pop()
        stat = _stat(pid)
        if stat is not None:
            found[stat[0]] = stat[1:]
        todo.extend(_children(pid))
    return found


def snapshot() -> tuple[float, float, dict]:
    """(this process's CPU seconds, its reaped children's, each process running below it: own
    and reaped children's CPU seconds), for ``spent``."""
    own, ended = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, ended.ru_utime + ended.ru_stime, _descendants(os.getpid())


def spent(before, after) -> float:
    """The CPU seconds used between two ``snapshot``s by this process and every process below it.

    A process running at the first and gone at the second took its CPU with it: into the reaped
    children's CPU of the process that waited for it (this one, or one below it), or nowhere
    when its parent had ended first and init reaped it (a browser's helpers when the browser
    closes, a server's children when it is killed): taking its CPU before the first snapshot
    out of the figure then made the figure negative (session 43's cc15: -66 to -95 s for a worker's
    last teardown, its browser and services ending). So what the gone processes had used
    before is taken out only as far as CPU reaped in between gives it back; with every gone
    process waited for by one still seen, that is exactly the difference of the two totals, as
    before. What a process lost to init used between the two snapshots stays unseen, and more
    (reader 44, S2): the cap is on the total, so when a waited-for parent ends with its helpers
    orphaned (a browser closed: the renderer and GPU processes, most of its CPU, reaped by init),
    the helpers' earlier CPU takes the parent's own reaped CPU of this phase out too: such a phase
    (a teardown that closes a browser) is an undercount, never negative."""
    own0, ended0, running0 = before
    own1, ended1, running1 = after
    used, reaped = own1 - own0, ended1 - ended0
    for key, (own, children) in running1.items():
        was = running0.get(key, (0.0, 0.0))
        used += own - was[0]
        reaped += children - was[1]
    gone = sum(own + children for key, (own, children) in running0.items() if key not in running1)
    return used + reaped - min(gone, reaped)


def _write(row: dict) -> None:
    row["worker"] = _worker
    with open(_path, "a", encoding="utf-8") as f:  # one short line a write: O_APPEND keeps lines whole
        f.write(json.dumps(row) + "\n")


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # the fixtures set up for one test alone are counted in that test's set-up, unless they build
    # or serve something (``@real_build``); measuring each of them (tmp_path, monkeypatch, ...)
    # would cost more than they do
    if not _path or (fixturedef.scope == "function" and not getattr(fixturedef.func, "_carebase_tier", None)):
        return (yield)
    start_cpu, start, began = snapshot(), time.perf_counter(), round(_system_time(), 3)
    try:
        return (yield)
    finally:
        _write({"fixture": fixturedef.argname, "scope": fixturedef.scope,
                "file": request.node.nodeid.split("::", 1)[0],
                "cpu": round(spent(start_cpu, snapshot()), 3), "wall": round(time.perf_counter() - start, 3), "start": began})


def _phase(name: str):
    @pytest.hookimpl(wrapper=True)
    def hook(item, *args):
        if not _path:
            return (yield)
        start_cpu, start, began = snapshot(), time.perf_counter(), round(_system_time(), 3)
        try:
            return (yield)
        finally:
            _write({"test": item.nodeid, "phase": name, "cpu": round(spent(start_cpu, snapshot()), 3),
                    "wall": round(time.perf_counter() - start, 3), "start": began})
    return hook


pytest_runtest_setup = _phase("setup")
pytest_runtest_call = _phase("call")
pytest_runtest_teardown = _phase("teardown")


def summary(lines, top: int = 40) -> str:
    """The CPU and wall by file and by fixture of a ``CAREBASE_TEST_COSTS`` file's lines."""
    files: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    fixtures: dict[str, list] = defaultdict(lambda: [0.0, 0.0, 0, set()])
    total = [0.0, 0.0]
    for line in lines:
        row = json.loads(line)
        if "test" in row:
            cost = files[row["test"].split("::", 1)[0]]
            cost[0] += row["cpu"]
            cost[1] += row["wall"]
            total[0] += row["cpu"]
            total[1] += row["wall"]
        else:
            cost = fixtures[row["fixture"]]
            cost[0] += row["cpu"]
            cost[1] += row["wall"]
            cost[2] += 1
            cost[3].add(row["file"])
    out = [f"tests: {total[0]:.1f} s CPU, {total[1]:.1f} s wall (summed over the workers)", "",
           "by file (CPU s, wall s, file):"]
    out += [f"  {c:7.1f} {w:7.1f}  {name}" for name, (c, w) in sorted(files.items(), key=lambda x: -x[1][0])[:top]]
    out += ["", "fixture set-ups (CPU s, wall s, times set up, files that set it up, fixture):"]
    out += [f"  {c:7.1f} {w:7.1f} {n:5d} {len(where):5d}  {name}"
            for name, (c, w, n, where) in sorted(fixtures.items(), key=lambda x: -x[1][0])[:top]]
    return "\n".join(out)


if __name__ == "__main__":  # python tests/costs_testkit.py costs.jsonl
    if len(sys.argv) != 2:
        sys.exit(f"usage: python tests/costs_testkit.py FILE  (written by {COSTS}=FILE bash tests/run ...)")
    print(summary(Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()))
