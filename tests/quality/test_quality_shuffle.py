"""``CAREBASE_TEST_SHUFFLE=SEED`` (tests/shuffle_testkit.py): the test files and the tests in each
in the seed's order, the same for the same seed, each test once, a file's tests together; a seed
that is not a number stops the run naming the variable. Runs of pytest in child processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
#: the nested runs load only the plugins they name: the installed ones pytest would load too
#: (Hypothesis's, anyio's) were ~0.28 s of each run's ~0.5 s of CPU, and none takes part in the order
ONLY_NAMED_PLUGINS = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
FILES = {f"test_{name}.py": "".join(f"def test_{name}_{n}():\n    pass\n\n" for n in range(4))
         for name in ("alpha", "beta", "gamma", "delta")}


def order(folder: Path, seed: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS")}
    env.update(PYTHONPATH=str(TESTS), **ONLY_NAMED_PLUGINS)
    if seed is None:
        env.pop("CAREBASE_TEST_SHUFFLE", None)
    else:
        env["CAREBASE_TEST_SHUFFLE"] = seed
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "shuffle_testkit", "-p", "no:xdist", "-p",
                           "no:cacheprovider", "-v", "-p", "no:randomly", *sorted(FILES)],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def ran(done: subprocess.CompletedProcess) -> list[str]:
    assert done.returncode == 0, done.stdout + done.stderr
    return [line.split(" PASSED")[0] for line in done.stdout.splitlines() if " PASSED" in line]


@pytest.mark.slow  # pytest runs in child processes
def test_a_seed_shuffles_the_files_and_their_tests_the_same_way_each_time(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    plain = ran(order(tmp_path, None))
    assert plain == [f"{f}::test_{f[5:-3]}_{n}" for f in sorted(FILES) for n in range(4)]  # as collected
    first = order(tmp_path, "1")
    one, again, other = ran(first), ran(order(tmp_path, "1")), ran(order(tmp_path, "2"))
    assert one == again  # the seed gives the order back, to run a failing one again
    assert sorted(one) == sorted(other) == sorted(plain)  # each test once
    assert one != plain and other != one
    files = [test.split("::")[0] for test in one]
    assert [f for n, f in enumerate(files) if n == 0 or files[n - 1] != f] != sorted(FILES)  # files moved
    assert len({f for n, f in enumerate(files) if n == 0 or files[n - 1] != f}) == len(FILES)  # each whole
    assert any(tests != sorted(tests) for tests in
               ([t for t in one if t.startswith(f)] for f in FILES))  # and tests within a file
    assert "test order shuffled: CAREBASE_TEST_SHUFFLE=1" in first.stdout


@pytest.mark.slow
def test_a_seed_that_is_not_a_number_stops_the_run_naming_the_variable(tmp_path):
    (tmp_path / "test_alpha.py").write_text(FILES["test_alpha.py"])
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "shuffle_testkit", "-p", "no:xdist", "-p",
                           "no:cacheprovider", "test_alpha.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(TESTS), "CAREBASE_TEST_SHUFFLE": "abc",
                               **ONLY_NAMED_PLUGINS})
    assert done.returncode == 4, done.stdout + done.stderr  # pytest's usage error
    assert "CAREBASE_TEST_SHUFFLE='abc': not a whole number" in done.stderr, done.stderr


def test_with_a_seed_the_scheduler_hands_out_the_files_in_the_seeds_order(tmp_path, monkeypatch):
    """With workers, the files go out in the seed's order, not the heaviest first, so other files
    share a worker (and its session fixtures) in another order; each file still whole to one worker."""
    from test_quality_schedule import FILES, Config, Worker, files_of, finish

    import schedule_testkit

    def handed_out(seed: str | None) -> list[str]:
        if seed is None:
            monkeypatch.delenv("CAREBASE_TEST_SHUFFLE", raising=False)
        else:
            monkeypatch.setenv("CAREBASE_TEST_SHUFFLE", seed)
        monkeypatch.setattr(schedule_testkit, "load_weights", lambda: {f: s for f, _, s in FILES})
        monkeypatch.setattr(schedule_testkit, "GROUPS", {})
        collection = [f"{f}::test_{n}" for f, count, _ in FILES for n in range(count)]
        config = Config(tmp_path / "none")  # no list of the files that wait for the demo's build
        config.option.tx, config.option.numprocesses = ["popen"], 1  # one worker: the order it gets
        scheduler = schedule_testkit.make_scheduler(config, None)
        worker = Worker("gw0")
        scheduler.add_node(worker)
        scheduler.add_node_collection(worker, collection)
        scheduler.schedule()
        while len(files_of(worker, collection)) < len(FILES):  # one file at a time, in turn
            finish(scheduler, worker, collection, files_of(worker, collection)[-1])
        return files_of(worker, collection)

    heaviest_first = [f for f, _, _ in FILES]  # FILES are listed heaviest first
    assert handed_out(None) == heaviest_first
    one, other = handed_out("1"), handed_out("2")
    assert one == handed_out("1") and sorted(one) == sorted(heaviest_first)
    assert heaviest_first != one != other
