"""How ``bash tests/run`` starts pytest: the worker count it chooses for the machine's cores, and the
bytecode it compiles once before the workers start (tests/bytecode_testkit.py) being the files
pytest itself would write and read."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
#: the files tests/run's install stamp reads, in its order (``stamp=$(cat …)``)
STAMPED = ("pyproject.toml", "setup.py", "generator/__init__.py")


@pytest.fixture
def fake_checkout(tmp_path):
    """A copy of tests/run in a checkout whose installs are all stamped done and whose
    ``.venv/bin/python`` only writes down how it was called; ``run(cores, *args)`` runs it
    with ``nproc`` answering ``cores`` and returns the calls."""
    if not os.path.exists("/usr/bin/chromium") or not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        pytest.skip("tests/run would install chromium or postgresql here")
    root = tmp_path / "checkout"
    (root / "tests" / "node_modules").mkdir(parents=True)
    shutil.copy(REPO / "tests" / "run", root / "tests" / "run")
    for name in STAMPED:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, root / name)
    shutil.copy(REPO / "tests" / "package-lock.json", root / "tests" / "package-lock.json")
    stamp = hashlib.sha256(b"".join((root / name).read_bytes() for name in STAMPED)).hexdigest()[:32]
    lock = hashlib.sha256((root / "tests" / "package-lock.json").read_bytes()).hexdigest()[:32]
    (root / "tests" / "node_modules" / ".carebase-stamp").write_text(lock + "\n")
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / ".venv" / ".carebase-test-install").write_text(stamp + "\n")
    calls = tmp_path / "calls"
    python = root / ".venv" / "bin" / "python"
    python.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n'  # the compiling ahead fails when asked to
                      'case "$1" in tests/bytecode_testkit.py) exit "${FAIL_AHEAD:-0}";; esac\n')
    python.chmod(0o755)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()

    def run(cores: int, *args: str, env: dict | None = None) -> list[str]:
        (bin_dir / "nproc").write_text(f"#!/bin/sh\necho {cores}\n")
        (bin_dir / "nproc").chmod(0o755)
        calls.unlink(missing_ok=True)
        environ = {k: v for k, v in os.environ.items() if k != "CAREBASE_TEST_WORKERS"}
        environ.update(PATH=f"{bin_dir}:{environ['PATH']}", **(env or {}))
        done = subprocess.run(["bash", str(root / "tests" / "run"), *args], capture_output=True, text=True,
                              env=environ, timeout=60)
        assert done.returncode == 0, done.stderr
        return calls.read_text().splitlines()

    run.stamp = stamp
    return run


def _pytest_call(calls: list[str]) -> str:
    (call,) = [c for c in calls if c.startswith("-m pytest")]
    return call


@pytest.mark.slow  # runs tests/run (bash) several times
def test_the_suite_runs_three_workers_a_core_and_the_fast_tier_one(fake_checkout):
    """On the 2-core CI machine the suite runs 6 workers (4 left a core idle a third of the
    run: tests waiting on servers, pages and timers), the fast tier 2; one core gets 3, and a
    machine with more cores than 6 one a core; -n and CAREBASE_TEST_WORKERS still win."""
    assert _pytest_call(fake_checkout(2)) == "-m pytest -n 6 --dist loadfile"
    assert _pytest_call(fake_checkout(2, "-m", "fast")) == "-m pytest -n 2 --dist loadfile -m fast"
    assert _pytest_call(fake_checkout(1)) == "-m pytest -n 3 --dist loadfile"
    assert _pytest_call(fake_checkout(4)) == "-m pytest -n 6 --dist loadfile"
    assert _pytest_call(fake_checkout(8)) == "-m pytest -n 8 --dist loadfile"
    # -n on the command line keeps the file schedule (xdist's default hands out single tests: a
    # file's module fixtures set up in several workers); one process ignores it; --dist wins
    assert _pytest_call(fake_checkout(2, "-n", "3")) == "-m pytest --dist loadfile -n 3"
    assert _pytest_call(fake_checkout(2, "-n", "0")) == "-m pytest --dist loadfile -n 0"
    assert _pytest_call(fake_checkout(2, "-n", "3", "--dist", "load")) == "-m pytest -n 3 --dist load"
    assert _pytest_call(fake_checkout(2, "-p", "no:xdist")) == "-m pytest -p no:xdist"
    assert _pytest_call(fake_checkout(2, env={"CAREBASE_TEST_WORKERS": "4"})) == "-m pytest -n 4 --dist loadfile"


@pytest.mark.slow  # runs tests/run (bash)
def test_the_bytecode_is_compiled_before_pytest_starts(fake_checkout):
    calls = fake_checkout(2, "-k", "x")
    assert calls == [f"tests/bytecode_testkit.py {fake_checkout.stamp}", "-m pytest -n 6 --dist loadfile -k x"]
    # when it fails, only the head start is lost: the run goes on
    assert fake_checkout(2, "-k", "x", env={"FAIL_AHEAD": "1"}) == calls


@pytest.mark.slow  # a pytest run in a subprocess
def test_pytest_reads_the_rewritten_test_files_written_ahead_and_rewrites_none(tmp_path):
    """The ``.pyc`` bytecode_testkit writes for a test file is the one pytest reads: a run after it
    writes none of its own, and its asserts are still pytest's (the values in the failure)."""
    from bytecode_testkit import _rewrite

    test = tmp_path / "test_ahead.py"
    test.write_text(textwrap.dedent("""
        def test_rewritten():
            left, right = [1, 2], [1, 3]
            assert left == right
    """))
    assert _rewrite([str(test)]) == 1
    (pyc,) = (tmp_path / "__pycache__").glob("test_ahead.*-pytest-*.pyc")
    before = pyc.stat()
    assert _rewrite([str(test)]) == 0  # up to date: not written again
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # (pytest's own rewriting: no installed plugin takes part)
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # (pytest's own rewriting: the installed plugins take no part)
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q", str(test)],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "At index 1 diff: 2 != 3" in done.stdout  # pytest's rewritten assert, not a bare AssertionError
    after = pyc.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert [p.name for p in (tmp_path / "__pycache__").iterdir()] == [pyc.name]


def test_what_a_test_process_collected_is_out_of_the_garbage_collectors_walks():
    """tests/conftest.py's ``pytest_collection_finish``: this process's modules and collected tests
    are frozen (a full collection walked them all again, none of it garbage), and the youngest
    generation waits for more allocations than Python's 700; garbage made now is still collected."""
    import gc

    assert gc.get_freeze_count() > 10_000  # (this file collected alone: ~48,000)
    assert gc.get_threshold()[0] > 700 and gc.isenabled()  # (off while the tests were collected)

    class Cycle:
        pass

    made = Cycle()
    made.me = made
    import weakref

    gone = weakref.ref(made)
    del made
    gc.collect()
    assert gone() is None
