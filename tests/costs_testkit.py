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

Nothing is counted twice (session 46; session 45's run summed 540 s of phases against 404 s of
``/usr/bin/time``):
- a fixture set up inside another's set-up (``request.getfixturevalue``: tests/widget's
  ``widget_stack`` sets up ``demo_stack``, and with it the demo's build) is its own row, and the
  outer row is what is left (``nested``: the CPU of the rows inside it, already counted in theirs);
  the fixture table summed the demo's build twice;
- a pytest run that a measured test starts (tests/quality's runs of the suite in a child process)
  writes no rows into the same file: its CPU is that test's already (``OWNER``; a run given a
  file of its own, test_quality_costs', writes there);
- each process writes one ``process`` row at its end: what it and the processes below it used
  outside the test phases (start-up, collection, between tests, the end; the process that started
  the workers: its own CPU), so the summary gives the run's total as the meter saw it.
Against ``/usr/bin/time`` the meter sees more, not double: a process that ends after its parent
did (Chromium's helpers when a browser closes, a killed server's children) is reaped by init,
and its CPU never reaches the run's ``getrusage``; the meter counted it while it ran (benchmarks/
RESULTS.md, session 46 `suite`: 10.7 of 66.3 s of CPU in one run of three files went that way).

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
#: set by a process that runs measured tests, to the file it writes: a pytest run one of its tests
#: starts, which inherits both, writes no rows there (its CPU is that test's already)
OWNER = "CAREBASE_TEST_COSTS_OWNER"
_path = os.environ.get(COSTS) or None
if _path and os.environ.get(OWNER) == os.path.abspath(_path):
    _path = None
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
#: the fixture set-ups measured now in this process, outermost first: [CPU of the rows inside each]
_open: list[list[float]] = []
_runs_tests = False


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
    _open.append([0.0, 0.0])  # the CPU and wall of the set-ups inside this one
    try:
        return (yield)
    finally:
        cpu, wall = spent(start_cpu, snapshot()), time.perf_counter() - start
        nested_cpu, nested_wall = _open.pop()
        if _open:  # inside another fixture's set-up: counted here, not again in that one's row
            _open[-1][0] += cpu
            _open[-1][1] += wall
        _write({"fixture": fixturedef.argname, "scope": fixturedef.scope,
                "file": request.node.nodeid.split("::", 1)[0],
                "cpu": round(max(cpu - nested_cpu, 0.0), 3), "wall": round(max(wall - nested_wall, 0.0), 3),
                "nested": round(nested_cpu, 3), "start": began})


#: this process's CPU outside its test phases (start-up, collection, between tests, the end), in
#: the phases' own accounting: [seconds, the snapshot at the last phase's end (None: the process's
#: start, before which nothing ran)]
_outside: list = [0.0, None]
_FROM_START = (0.0, 0.0, {})  # a snapshot of a process that has used nothing yet


def _phase(name: str):
    @pytest.hookimpl(wrapper=True)
    def hook(item, *args):
        if not _path:
            return (yield)
        _owns_the_file()
        start_cpu, start, began = snapshot(), time.perf_counter(), round(_system_time(), 3)
        _outside[0] += spent(_outside[1] or _FROM_START, start_cpu)
        try:
            return (yield)
        finally:
            _outside[1] = snapshot()
            _write({"test": item.nodeid, "phase": name, "cpu": round(spent(start_cpu, _outside[1]), 3),
                    "wall": round(time.perf_counter() - start, 3), "start": began})
    return hook


def _owns_the_file() -> None:
    """This process runs measured tests: a pytest run they start (which inherits the environment)
    is told not to write into the same file (``OWNER``)."""
    global _runs_tests
    if not _runs_tests:
        _runs_tests = True
        os.environ[OWNER] = os.path.abspath(_path)


def pytest_sessionfinish(session):
    """One row for the whole process: in a process that ran tests (a worker, or a run without
    workers), the CPU it and the processes below it used outside the test phases (``outside``:
    start-up, collection, the end); in the process that started the workers, its own CPU (its
    children are the workers, each with its row)."""
    if not _path:
        return
    if _runs_tests:
        cpu = _outside[0] + spent(_outside[1] or _FROM_START, snapshot())
    else:
        own = resource.getrusage(resource.RUSAGE_SELF)
        cpu = own.ru_utime + own.ru_stime
    with open("/proc/self/stat", "rb") as f:
        started_ticks = int(f.read().rsplit(b")", 1)[1].split()[19])
    with open("/proc/uptime", "rb") as f:
        age = float(f.read().split()[0]) - started_ticks / _TICK
    _write({"process": os.getpid(), "runs_tests": _runs_tests, "outside": round(cpu, 3),
            "wall": round(age, 3), "start": round(_system_time() - age, 3)})


pytest_runtest_setup = _phase("setup")
pytest_runtest_call = _phase("call")
pytest_runtest_teardown = _phase("teardown")


def summary(lines, top: int = 40) -> str:
    """The CPU and wall by file and by fixture of a ``CAREBASE_TEST_COSTS`` file's lines."""
    files: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    fixtures: dict[str, list] = defaultdict(lambda: [0.0, 0.0, 0, set()])
    total = [0.0, 0.0]
    processes: list[dict] = []
    for line in lines:
        row = json.loads(line)
        if "process" in row:
            processes.append(row)
        elif "test" in row:
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
    out = [f"tests: {total[0]:.1f} s CPU, {total[1]:.1f} s wall (summed over the workers)"]
    if processes:  # (files written before session 46 have no process rows)
        workers = [p for p in processes if p["runs_tests"]]
        outside = sum(p["outside"] for p in workers)
        starter = sum(p["outside"] for p in processes if not p["runs_tests"])
        out.append(f"run: {total[0] + outside + starter:.1f} s CPU = the tests' {total[0]:.1f} + {outside:.1f} "
                   f"in the {len(workers)} test processes outside their tests (start-up, collection, "
                   f"the end) + {starter:.1f} in the process that started the workers")
    out += ["", "by file (CPU s, wall s, file):"]
    out += [f"  {c:7.1f} {w:7.1f}  {name}" for name, (c, w) in sorted(files.items(), key=lambda x: -x[1][0])[:top]]
    out += ["", "fixture set-ups, each without the set-ups made inside it (CPU s, wall s, times set up, "
                "files that set it up, fixture):"]
    out += [f"  {c:7.1f} {w:7.1f} {n:5d} {len(where):5d}  {name}"
            for name, (c, w, n, where) in sorted(fixtures.items(), key=lambda x: -x[1][0])[:top]]
    return "\n".join(out)


if __name__ == "__main__":  # python tests/costs_testkit.py costs.jsonl
    if len(sys.argv) != 2:
        sys.exit(f"usage: python tests/costs_testkit.py FILE  (written by {COSTS}=FILE bash tests/run ...)")
    print(summary(Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()))
