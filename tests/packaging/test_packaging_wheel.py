"""The wheel holds every subpackage and theme file, under the single import root."""

from __future__ import annotations

import subprocess
import sysconfig
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {"generator": "carebase", "plugins": "carebase/plugins", "theme": "carebase/theme"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = out.glob("carebase-*.whl")
    return zipfile.ZipFile(path)


def _source_files(folder: str) -> set[str]:
    base = ROOT / folder
    files = set()
    for path in base.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files.add(path.relative_to(base).as_posix())
    return files


@pytest.mark.slow
@pytest.mark.parametrize("folder", sorted(FOLDERS))
def test_wheel_contains_every_file_of_each_top_level_folder(wheel, folder):
    names = set(wheel.namelist())
    expected = {f"{FOLDERS[folder]}/{rel}" for rel in _source_files(folder)}
    missing = sorted(expected - names)
    assert not missing, f"the wheel lacks {missing}: add them to [tool.setuptools] in pyproject.toml"


@pytest.mark.slow
def test_wheel_has_no_generic_top_level_names(wheel):
    tops = {name.split("/", 1)[0] for name in wheel.namelist()}
    assert tops <= {"carebase"} | {t for t in tops if t.endswith(".dist-info")}, tops
    entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    text = wheel.read(entry_points).decode()
    assert "carebase = carebase.cli:main" in text
    assert "carebase = carebase.theme" in text


@pytest.mark.slow
def test_installed_wheel_imports_carebase_but_not_the_folder_names(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), wheel.filename],
        check=True,
    )
    # -S: no site processing, so the editable install's .pth finder is not active and only
    # the installed wheel provides carebase; the venv's site-packages is on the path (as a
    # plain directory) for the dependencies (yaml, markdown, ...).
    deps = sysconfig.get_paths()["purelib"]
    probe = (
        "import sys; sys.path[:0] = sys.argv[1:]; "
        "import carebase, carebase.plugins, carebase.theme, carebase.content, carebase.cli; "
        "assert carebase.__file__.startswith(sys.argv[1]), carebase.__file__"
    )
    subprocess.run([sys.executable, "-S", "-c", probe, str(target), deps], check=True, cwd=tmp_path)
    for name in ("generator", "plugins", "theme"):
        probe = f"import sys; sys.path[:0] = sys.argv[1:]; import {name}"
        done = subprocess.run([sys.executable, "-S", "-c", probe, str(target), deps], cwd=tmp_path, capture_output=True)
        assert done.returncode != 0, f"'import {name}' must fail after installing the wheel"


@pytest.mark.slow
def test_wheel_metadata_names_the_version_written_in_the_code_and_carries_the_licence(wheel):
    import re

    written = re.search(r'^__version__ = "([^"]+)"$', (ROOT / "generator" / "__init__.py").read_text(), re.M).group(1)
    assert f"carebase-{written}.dist-info/METADATA" in wheel.namelist(), wheel.namelist()[-8:]
    metadata = wheel.read(f"carebase-{written}.dist-info/METADATA").decode()
    assert f"\nVersion: {written}\n" in metadata
    assert any(n.startswith(f"carebase-{written}.dist-info/licenses/LICENSE") for n in wheel.namelist())
