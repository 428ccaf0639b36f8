"""One version, written once (``__version__`` in generator/__init__.py, which pyproject.toml reads):
the installed metadata, ``carebase --version`` and CHANGELOG.md's top entry all say it, and the
Upgrading notes have a part for it."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from cli_testkit import run_carebase
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
#: a release's heading in CHANGELOG.md: ``## 0.2.0 (2026-12-07)``
RELEASE = re.compile(r"^## (\d+\.\d+\.\d+\S*) \((\d{4}-\d{2}-\d{2})\)$", re.M)


def _written() -> str:
    """The version as generator/__init__.py writes it (read, not imported)."""
    import ast

    tree = ast.parse((ROOT / "generator" / "__init__.py").read_text(encoding="utf-8"))
    (value,) = [node.value.value for node in tree.body if isinstance(node, ast.Assign)
                and [getattr(t, "id", None) for t in node.targets] == ["__version__"]]
    return value


def _releases() -> list[tuple[str, str]]:
    return RELEASE.findall((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))


def test_the_version_is_written_once_and_installed_as_written():
    import carebase

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"], \
        "a second copy of the version in pyproject.toml"
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "carebase.__version__"}
    assert carebase.__version__ == _written()
    assert version("carebase") == _written(), "the installed metadata is stale: reinstall (bash tests/run does)"


def test_carebase_version_prints_the_version_written_in_the_code():
    said = run_carebase("--version")
    assert said.returncode == 0 and said.stdout == f"carebase {_written()}\n", said


def test_the_changelogs_top_entry_is_this_version_and_entries_go_back_in_time():
    releases = _releases()
    assert releases, "CHANGELOG.md has no '## X.Y.Z (YYYY-MM-DD)' entry"
    assert releases[0][0] == _written(), f"CHANGELOG.md's top entry is {releases[0][0]}, the package {_written()}"
    versions = [Version(v) for v, _ in releases]
    dates = [d for _, d in releases]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions), versions
    assert dates == sorted(dates, reverse=True), dates


def test_the_upgrading_notes_have_a_part_for_each_minor_release():
    """A minor release (0.1 → 0.2) may make something an error that passed before: the notes
    say what to do, under "From 0.1.0 to 0.2.0"; CHANGELOG.md links there."""
    reference = (ROOT / "REFERENCE.md").read_text(encoding="utf-8")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = [v for v, _ in _releases()]
    for newer, older in zip(releases, releases[1:]):
        if Version(newer).release[:2] == Version(older).release[:2]:
            continue  # a patch release
        heading = f"### From {older} to {newer}"
        assert heading in reference, f"REFERENCE.md's Upgrading notes lack '{heading}'"
        anchor = "#" + re.sub(r"[^\w\- ]", "", heading.lstrip("# ").lower()).replace(" ", "-")
        assert f"(REFERENCE.md{anchor})" in changelog, f"CHANGELOG.md does not link {anchor}"


@pytest.mark.slow
def test_the_console_script_prints_the_installed_version():
    script = Path(sys.executable).with_name("carebase")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == f"carebase {_written()}\n", done
