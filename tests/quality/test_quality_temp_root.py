"""A test run keeps its temporary folders in its checkout's own folder (tests/conftest.py
``own_temp_root``), so at its end it removes only its own checkout's old runs, never the
folders of another checkout's runs in the ``pytest-of-<user>`` folder every pytest run shares.
Everything a run writes in the system's temporary folder (its TMPDIR: Chromium's and Playwright's
folders, PostgreSQL's, the tests' ``mkdtemp``) is in that folder too, and a passing run removes it
all at its end; a failing run keeps it and says where."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_a_run_writes_in_its_checkouts_folder(tmp_path, request):
    """This run's temporary folders are in the folder named for this checkout (or the one
    ``PYTEST_DEBUG_TEMPROOT`` names); the run below runs this test too."""
    root = Path(os.environ["PYTEST_DEBUG_TEMPROOT"]).resolve()
    if not tmp_path.resolve().is_relative_to(root) and request.config.getoption("basetemp"):
        pytest.skip("--basetemp names this run's folder")
    assert tmp_path.resolve().is_relative_to(root)


@pytest.mark.slow  # a pytest run in a subprocess
def test_a_run_leaves_other_runs_folders_in_the_shared_temp_folder(tmp_path):
    shared = tmp_path / f"pytest-of-{getpass.getuser()}"
    others = [shared / f"pytest-{n}" for n in range(5)]  # five finished runs of other checkouts
    for folder in others:
        (folder / "test_x0").mkdir(parents=True)
        (folder / "test_x0" / "kept.txt").write_text("another run's file")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_DEBUG_TEMPROOT", "PYTEST_XDIST_WORKER",
                                                              "PYTEST_CURRENT_TEST", "PYTEST_ADDOPTS")}
    env["TMPDIR"] = str(tmp_path)
    env["CAREBASE_TEST_KEEP_TEMP"] = "1"  # what the run left is read below
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
                           f"{Path(__file__).relative_to(REPO)}::test_a_run_writes_in_its_checkouts_folder"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    # the run's own folder: beside the shared one, named for the checkout, holding the run's folder
    own = [p for p in tmp_path.iterdir() if p.name.startswith("carebase-tests-")]
    assert len(own) == 1 and list(own[0].glob(f"pytest-of-*/pytest-0/test_a_run_writes_in_its_ch*")), \
        sorted(p.name for p in tmp_path.iterdir())
    # the other runs' folders are all still there, each file in place (pytest keeps three runs:
    # in a shared folder the run would have removed pytest-0, -1 and -2)
    assert [f.name for f in sorted(shared.iterdir())] == [f.name for f in others]
    assert all((f / "test_x0" / "kept.txt").read_text() == "another run's file" for f in others)


#: where the probe below writes the paths of what it made (a file, given by the run below)
PROBE = "CAREBASE_TEST_TEMP_PROBE"


def test_probe_writes_temporary_files(tmp_path):
    """Run only by the test below, in a run of its own: a file in its ``tmp_path`` and one in a
    ``tempfile.mkdtemp()`` folder (what Chromium, PostgreSQL and the kits make); fails on request."""
    import json
    import tempfile

    if not os.environ.get(PROBE):
        pytest.skip("run by test_a_passing_run_removes_its_temporary_files_and_a_failing_run_keeps_them")
    made = [tmp_path / "kept.txt", Path(tempfile.mkdtemp(prefix="probe-")) / "kept.txt"]
    for path in made:
        path.write_text("a test's file")
    Path(os.environ[PROBE]).write_text(json.dumps([str(p) for p in made]))
    assert os.environ.get("CAREBASE_TEST_PROBE_FAILS") != "1", "this run fails on purpose"


@pytest.mark.slow  # two pytest runs in subprocesses
def test_a_passing_run_removes_its_temporary_files_and_a_failing_run_keeps_them(tmp_path):
    import json
    import time

    def run(name: str, fails: bool) -> tuple[subprocess.CompletedProcess, list[Path]]:
        system_tmp, paths = tmp_path / name, tmp_path / f"{name}.json"
        system_tmp.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in (
            "PYTEST_DEBUG_TEMPROOT", "PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST", "PYTEST_ADDOPTS",
            "CAREBASE_TEST_RUN_TMPDIR", "CAREBASE_TEST_KEEP_TEMP")}
        env.update(TMPDIR=str(system_tmp), CAREBASE_TEST_TEMP_PROBE=str(paths), CAREBASE_TEST_PROBE_FAILS=str(int(fails)))
        done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
                               f"{Path(__file__).relative_to(REPO)}::test_probe_writes_temporary_files"],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        return done, [Path(p) for p in json.loads(paths.read_text())]

    passed, made = run("passing", fails=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert all(path.is_relative_to(tmp_path / "passing") for path in made), made  # both in the run's folders
    end = time.monotonic() + 60  # removed in the background once the run has ended
    while list((tmp_path / "passing").iterdir()) and time.monotonic() < end:
        time.sleep(0.1)
    assert list((tmp_path / "passing").iterdir()) == []  # nothing left: no carebase-tests-* folder either
    assert "temporary files are kept" not in passed.stdout

    failed, made = run("failing", fails=True)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    time.sleep(1)  # (a removal, were there one, would have begun)
    assert all(path.read_text() == "a test's file" for path in made)
    kept = failed.stdout.split("the run's temporary files are kept (the run did not pass): ", 1)[1].splitlines()[0]
    assert all(any(path.is_relative_to(folder) for folder in kept.split(" and ")) for path in made), (kept, made)


@pytest.mark.slow  # a pytest run in a subprocess
def test_a_run_started_inside_the_suite_leaves_the_suites_temporary_folder(tmp_path):
    """A pytest run that a test starts in the checkout with the environment it inherits has the
    running suite's temporary root and TMPDIR (``CAREBASE_TEST_RUN_TMPDIR``): at its end it removed
    that TMPDIR with its own folders, under the suite's remaining tests (a shuffled run of session
    46: 354 errors, every later test's ``tempfile`` failing). Here the suite's TMPDIR is a stand-in."""
    import time

    root = tmp_path / "root"
    suites = root / "tmp-1-suite"  # named as the suite's is, for a process that is not this run's
    suites.mkdir(parents=True)
    (suites / "kept.txt").write_text("the suite's file")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_XDIST_WORKER", "PYTEST_CURRENT_TEST",
                                                              "PYTEST_ADDOPTS", "CAREBASE_TEST_KEEP_TEMP")}
    env.update(PYTEST_DEBUG_TEMPROOT=str(root), CAREBASE_TEST_RUN_TMPDIR=str(suites), TMPDIR=str(suites))
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:xdist", "-p", "no:cacheprovider", "-q",
                           f"{Path(__file__).relative_to(REPO)}::test_probe_writes_temporary_files"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    # its own folder (pytest-of-<user>/pytest-0) is removed in the background, then pytest-of-<user>
    # once it is empty: the last thing that removal does
    own = root / f"pytest-of-{getpass.getuser()}"
    end = time.monotonic() + 60
    while own.exists() and time.monotonic() < end:
        time.sleep(0.1)
    assert not own.exists(), sorted(p.name for p in own.rglob("*"))
    assert (suites / "kept.txt").read_text() == "the suite's file"  # the suite's: left
