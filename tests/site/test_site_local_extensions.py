"""A writer's own Markdown extension, kept as a ``.py`` file beside mkdocs.yml, works from the
``carebase`` console script as from ``python -m mkdocs build`` in that folder; ``carebase check``
accepts it without running it (it runs no code of the site's branch) and names a file that does
not compile at the extension's line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cli_testkit import run_carebase
from web_testkit import free_port

CLEAN = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "clean"
CONFIG = """\
site_name: Help
site_url: https://help.example.com/
docs_dir: content
theme:
  name: carebase
plugins:
  - carebase
markdown_extensions:
  - toc:
      permalink: true
  - {name}
"""
#: a Preprocessor that turns a marker into a word the page shows; importing it leaves a file
#: named by CAREBASE_TEST_RAN, so a test sees whether a command ran the site's code
EXTENSION = """\
import os

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

if os.environ.get("CAREBASE_TEST_RAN"):
    open(os.environ["CAREBASE_TEST_RAN"], "w").write("imported")


class Shout(Preprocessor):
    def run(self, lines):
        return [line.replace("SHOUT-HERE", "Shouted by the writer's extension") for line in lines]


class ShoutExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Shout(md), "shout", 100)


def makeExtension(**kwargs):
    return ShoutExtension(**kwargs)
"""


def _site(tmp_path: Path, name: str = "shout") -> Path:
    site = tmp_path / "site-src"
    shutil.copytree(CLEAN, site / "content")
    refunds = site / "content" / "billing" / "refunds.md"
    refunds.write_text(refunds.read_text(encoding="utf-8") + "\nSHOUT-HERE\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(CONFIG.format(name=name), encoding="utf-8")
    module = site.joinpath(*name.split("."))
    if "." in name:
        module.parent.mkdir(parents=True)
        (module.parent / "__init__.py").write_text("", encoding="utf-8")
    module.with_suffix(".py").write_text(EXTENSION, encoding="utf-8")
    return site


def _console_script() -> str:
    script = Path(sys.executable).with_name("carebase")
    assert script.is_file(), f"the console script is not installed beside {sys.executable}"
    return str(script)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["shout", "writers.shout"])
def test_the_console_script_builds_with_an_extension_kept_beside_mkdocs_yml(tmp_path, name):
    """Before, `carebase build` stopped with "Failed to load extension 'shout'" (a console script's
    path starts at its bin folder, not the site's), while `python -m carebase build` built."""
    site = _site(tmp_path, name)
    # a file named like an installed package never hides it (mkdocs-material, imported by the build)
    (site / "material.py").write_text("raise RuntimeError('the site folder hid mkdocs-material')\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"  # -f from another folder: the extension is found beside mkdocs.yml
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTHONPATH")}
    built = subprocess.run([_console_script(), "build", "-q", "-f", str(site / "mkdocs.yml")], cwd=elsewhere,
                           env=env, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    page = (site / "site" / "billing" / "refunds" / "index.html").read_text(encoding="utf-8")
    assert "Shouted by the writer&#x27;s extension" in page or "Shouted by the writer's extension" in page
    assert "SHOUT-HERE" not in page


def test_check_accepts_an_extension_kept_beside_mkdocs_yml_without_running_it(tmp_path):
    """Before, check said `markdown_extensions: Failed to load extension 'shout'` (an error the
    build no longer has); it still imports no file of the site's branch."""
    site = _site(tmp_path)
    ran = tmp_path / "RAN"
    env = {**os.environ, "NO_COLOR": "1", "CAREBASE_TEST_RAN": str(ran)}
    env.pop("CI", None)
    checked = run_carebase("check", "--strict", "content", cwd=site, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "shout" not in checked.stdout
    assert not ran.exists(), "check imported the site's extension"


def test_check_names_an_extension_file_that_does_not_compile_at_its_line(tmp_path):
    site = _site(tmp_path)
    (site / "shout.py").write_text(EXTENSION + "def broken(:\n", encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CI", None)
    checked = run_carebase("check", "content", cwd=site, env=env)
    assert checked.returncode == 1
    line = len(EXTENSION.splitlines()) + 1
    assert ("mkdocs.yml:11: markdown_extensions[1]: expected Python that compiles, found a SyntaxError at "
            f"shout.py:{line}, column 12: invalid syntax [error]") in checked.stdout.splitlines(), checked.stdout


def test_check_still_names_an_extension_that_is_neither_installed_nor_beside_mkdocs_yml(tmp_path):
    site = _site(tmp_path)
    (site / "shout.py").unlink()
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CI", None)
    checked = run_carebase("check", "content", cwd=site, env=env)
    assert checked.returncode == 1
    assert "Failed to load extension 'shout'" in checked.stdout, checked.stdout


def test_a_file_named_like_one_of_markdowns_own_extensions_does_not_hide_that_extension_from_check(tmp_path):
    """Markdown loads `toc` by its registered name (markdown.extensions.toc), never a toc.py beside
    mkdocs.yml: check still validates it, so its bad option is still an error."""
    site = _site(tmp_path)
    (site / "toc.py").write_text("x = 1\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(CONFIG.format(name="shout").replace("permalink: true", "no_such_option: 1"),
                                     encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CI", None)
    checked = run_carebase("check", "content", cwd=site, env=env)
    assert checked.returncode == 1 and "no_such_option" in checked.stdout, checked.stdout


@pytest.mark.slow
def test_the_console_script_serves_with_an_extension_kept_beside_mkdocs_yml(tmp_path):
    """`carebase serve` builds with the same path as `carebase build` (before: "Failed to load
    extension 'shout'", and nothing served)."""
    site = _site(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if k not in ("CI", "PYTHONPATH")}, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([_console_script(), "serve", "--no-service", "-f", str(site / "mkdocs.yml"),
                             "-a", f"127.0.0.1:{port}"], cwd=elsewhere, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    page, deadline = "", time.monotonic() + 120  # a bound on a failure only: the first build under load
    try:
        while time.monotonic() < deadline and proc.poll() is None and "Shouted" not in page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/billing/refunds/", timeout=10) as answer:
                    page = answer.read().decode()
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
    finally:
        proc.terminate()
        said = proc.communicate(timeout=60)[0]
    assert "Shouted by the writer" in page, said


def test_an_extension_named_like_an_installed_package_is_the_installed_one_for_check_as_for_the_build(tmp_path):
    """The build finds installed packages before mkdocs.yml's folder, so check validates such an
    extension as installed (imports it as the build does) and leaves the file beside it alone."""
    site = _site(tmp_path)
    (site / "mkdocs.yml").write_text(CONFIG.format(name="pymdownx.caret"), encoding="utf-8")
    (site / "pymdownx").mkdir()
    (site / "pymdownx" / "__init__.py").write_text("", encoding="utf-8")
    (site / "pymdownx" / "caret.py").write_text("def broken(:\n", encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CI", None)
    checked = run_carebase("check", "--strict", "content", cwd=site, env=env)
    assert checked.returncode == 0, checked.stdout
