"""Where a run's CPU goes (tests/costs_testkit.py, ``CAREBASE_TEST_COSTS=FILE``): each test phase
and each shared fixture's set-up with its CPU, counting the processes it started, whether they
ended (a build, a CLI run) or still run (a browser, Node, a server kept for the session), nothing
twice (a set-up inside another's, a pytest run a test starts); each test process's total; and the
summary by file and by fixture. A pytest run of a small test file in a child process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from clock_testkit import real_ms

TESTS = Path(__file__).resolve().parents[1]

BURN = "import time\\nt = time.process_time()\\nwhile time.process_time() - t < {s}: pass\\n"

SAMPLE = textwrap.dedent(f'''
    import subprocess, sys, time
    import pytest

    BURN = "{BURN}"

    @pytest.fixture(scope="session")
    def running_child():
        """a process that has used ~0.6 s of CPU by the time the set-up ends, and goes on running"""
        child = subprocess.Popen([sys.executable, "-c", BURN.format(s=0.6) + "time.sleep(60)"])
        while True:  # until it has burnt its CPU (it then sleeps)
            with open("/proc/%d/stat" % child.pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if (int(fields[11]) + int(fields[12])) / 100 >= 0.55:
                break
            time.sleep(0.05)
        yield child
        child.kill()
        child.wait()

    def test_an_ended_child(running_child):
        subprocess.run([sys.executable, "-c", BURN.format(s=0.5)], check=True)

    def test_nothing(running_child):
        pass

    @pytest.fixture
    def orphan():
        """a process whose child has used ~0.6 s of CPU when the test starts, and goes on running"""
        parent = subprocess.Popen([sys.executable, "-c", "import subprocess, sys, time\\n"
                                   "print(subprocess.Popen([sys.executable, '-c', sys.argv[1]]).pid, flush=True)\\n"
                                   "time.sleep(60)", BURN.format(s=0.6) + "time.sleep(60)"],
                                  stdout=subprocess.PIPE, text=True)
        child = int(parent.stdout.readline())
        while True:
            with open("/proc/%d/stat" % child) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if (int(fields[11]) + int(fields[12])) / 100 >= 0.55:
                break
            time.sleep(0.05)
        yield parent, child
        parent.kill()
        parent.wait()

    @pytest.fixture(scope="session")
    def inner():
        exec(BURN.format(s=0.5))

    @pytest.fixture(scope="session")
    def outer(request):
        """sets up ``inner`` inside its own set-up (as tests/widget's widget_stack sets up demo_stack)"""
        request.getfixturevalue("inner")
        exec(BURN.format(s=0.2))

    def test_a_fixture_set_up_inside_another(outer):
        pass

    def test_a_pytest_run_of_its_own(tmp_path):
        """a measured test that runs pytest (as tests/quality's run-start and temporary-folder tests do)"""
        (tmp_path / "test_nested.py").write_text("def test_in_the_nested_run():\\n    pass\\n")
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "costs_testkit", "-p", "no:cacheprovider",
                        "-p", "no:xdist", "-p", "no:randomly", str(tmp_path / "test_nested.py")],
                       cwd=tmp_path, check=True, capture_output=True)

    def test_on_a_moved_clock(monkeypatch):
        monkeypatch.setattr(time, "time", lambda: 1_000_000_000.0)  # as the backlog tests' clock does

    def test_a_parent_ends_before_its_child(orphan):
        import os, signal
        parent, child = orphan
        parent.kill()  # the child goes to init, which reaps it: its CPU is seen nowhere after
        parent.wait()
        os.kill(child, signal.SIGKILL)
        while running(child):
            time.sleep(0.02)

    def running(pid):
        """``pid`` neither gone nor a zombie (its CPU final, whoever reaps it): under a child
        subreaper (benchmarks/suite_cpu.py) the orphan is reaped only when the whole run has
        ended, and waiting for it to be gone waited for this run's time-out (600 s)"""
        try:
            with open("/proc/%d/stat" % pid) as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
''')


@pytest.mark.slow  # a pytest run in a child process
def test_costs_count_ended_and_running_children_by_test_and_fixture(tmp_path):
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    started = real_ms() / 1000
    out = tmp_path / "costs.jsonl"
    env = {**os.environ, "CAREBASE_TEST_COSTS": str(out), "PYTHONPATH": str(TESTS)}
    env.pop("PYTEST_XDIST_WORKER", None)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "costs_testkit", "-p", "no:cacheprovider",
                           "-p", "no:xdist", "-p", "no:randomly", str(tmp_path / "test_sample.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    calls = {r["test"].split("::")[1]: r for r in rows if r.get("phase") == "call"}
    assert calls["test_an_ended_child"]["cpu"] >= 0.45  # the ended child's 0.5 s
    assert calls["test_nothing"]["cpu"] < 0.3  # the sleeping child costs nothing meanwhile
    # a process that ends under a parent that ended first takes what it used before the test out
    # of no figure (it went negative: the orphan's 0.6 s, counted at the start and gone at the end)
    assert 0 <= calls["test_a_parent_ends_before_its_child"]["cpu"] < 0.3
    fixture = [r for r in rows if r.get("fixture") == "running_child"]
    assert len(fixture) == 1 and fixture[0]["scope"] == "session"
    assert fixture[0]["cpu"] >= 0.5, fixture  # the child still running when its set-up ended
    assert {r["worker"] for r in rows} == {"main"}
    # a fixture set up inside another's set-up is counted in its own row, not again in the other's
    # (the outer row held both: widget_stack's held the demo's build, session 45)
    (inner,), (outer,) = ([r for r in rows if r.get("fixture") == name] for name in ("inner", "outer"))
    assert inner["cpu"] >= 0.45 and 0.15 <= outer["cpu"] < 0.45 and outer["nested"] >= 0.45, (inner, outer)
    # a pytest run a measured test starts writes nothing into the file: its CPU is the test's
    assert calls["test_a_pytest_run_of_its_own"]["cpu"] >= 0.3  # (its child pytest: ~1 s)
    assert not [r for r in rows if "test_nested.py" in r.get("test", "")]
    # the process's own row: what it used outside the tests (its start-up and collection: ~0.25 s
    # of CPU for this small file), so the summary gives the run's total
    (process,) = [r for r in rows if "process" in r]
    assert process["runs_tests"] is True and process["worker"] == "main"
    assert 0.1 < process["outside"] < 30, process
    tests_cpu = sum(r["cpu"] for r in rows if "test" in r)
    # each row says when it started: the worker's timeline, in the order it ran, on the system's
    # clock even where a test moved time.time (its teardown was dated 2001)
    phases = [r for r in rows if "phase" in r]
    assert [r["start"] for r in phases] == sorted(r["start"] for r in phases)
    assert all(started <= r["start"] <= real_ms() / 1000 for r in rows if "process" not in r), \
        [r["start"] for r in rows]
    # (the process's start: from its start time in clock ticks, 10 ms)
    assert started - 0.05 <= process["start"] <= phases[0]["start"], (started, process)
    first_setup = next(r for r in phases if r["phase"] == "setup")
    # each figure is rounded to the ms (start from the wall clock, wall from perf_counter): up to
    # 1.5 ms of rounding when the call starts right after the fixture's set-up ends
    assert first_setup["start"] <= fixture[0]["start"] <= fixture[0]["start"] + fixture[0]["wall"] \
        <= calls["test_an_ended_child"]["start"] + 0.002

    summary = subprocess.run([sys.executable, str(TESTS / "costs_testkit.py"), str(out)],
                             capture_output=True, text=True, check=True).stdout
    assert "test_sample.py" in summary
    run = next(l for l in summary.splitlines() if l.startswith("run: "))
    assert run.startswith(f"run: {tests_cpu + process['outside']:.1f} s CPU = the tests' {tests_cpu:.1f} + "
                          f"{process['outside']:.1f} in the 1 test processes"), run
    line = next(l for l in summary.splitlines() if l.endswith("running_child"))
    assert line.split()[2:4] == ["1", "1"], line  # set up once, by one file
