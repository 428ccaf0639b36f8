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

What it cannot see: a process that ended under a process that was not waited for (a daemon
re-parented to init), and CPU another test's leftover thread used during this test (counted as
this test's: the figures are per process, not per thread).
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

COSTS = "CAREBASE_TEST_COSTS"
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


def _own_cpu(pid: int) -> float:
    """``pid``'s CPU seconds with its reaped children's (0 once it ended)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(b")") + 2:].split()  # after "pid (comm) "
    return sum(int(x) for x in fields[11:15]) / _TICK  # utime stime cutime cstime


def _descendants_cpu(root: int) -> float:
    """CPU seconds of the processes running below ``root`` (their own and their reaped children's)."""
    total, todo = 0.0, _children(root)
    while todo:
        pid = todo.pop()
        total += _own_cpu(pid)
        todo.extend(_children(pid))
    return total


def cpu() -> float:
    """This process's CPU seconds with its children's, ended and running."""
    own, ended = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime + _descendants_cpu(os.getpid())


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
    start_cpu, start, began = cpu(), time.perf_counter(), round(time.time(), 3)
    try:
        return (yield)
    finally:
        _write({"fixture": fixturedef.argname, "scope": fixturedef.scope,
                "file": request.node.nodeid.split("::", 1)[0],
                "cpu": round(cpu() - start_cpu, 3), "wall": round(time.perf_counter() - start, 3), "start": began})


def _phase(name: str):
    @pytest.hookimpl(wrapper=True)
    def hook(item, *args):
        if not _path:
            return (yield)
        start_cpu, start, began = cpu(), time.perf_counter(), round(time.time(), 3)
        try:
            return (yield)
        finally:
            _write({"test": item.nodeid, "phase": name, "cpu": round(cpu() - start_cpu, 3),
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
