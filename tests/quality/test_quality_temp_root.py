"""A test run keeps its temporary folders in its checkout's own folder (tests/conftest.py
``own_temp_root``), so at its end it removes only its own checkout's old runs, never the
folders of another checkout's runs in the ``pytest-of-<user>`` folder every pytest run shares."""

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
