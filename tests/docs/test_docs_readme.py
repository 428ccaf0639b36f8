"""The README and REFERENCE.md stay honest: every command, every flag and every plugin
option is documented, every link between them lands on a heading, and the README opens
with a quick start short enough to read at a glance.

Adding a sub-command, a flag or a `plugins: - carebase:` option without a word in the
README or REFERENCE.md fails here, with the missing names listed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
REFERENCE = (ROOT / "REFERENCE.md").read_text(encoding="utf-8")
DOCS = README + "\n" + REFERENCE


def _commands():
    from carebase.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices.items())


def _mentioned(name: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", DOCS) is not None


@pytest.mark.parametrize("name, parser", _commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_and_flag_is_documented(name, parser):
    missing = [] if f"carebase {name}" in README and f"carebase {name}" in REFERENCE else [f"carebase {name}"]
    for action in parser._actions:
        missing += [o for o in action.option_strings if o.startswith("--") and o != "--help" and not _mentioned(o)]
    assert not missing, f"README.md / REFERENCE.md do not document: {missing}"


def test_every_plugin_option_is_documented():
    from carebase.plugins.site import config

    missing = []
    for cls in (config.CarebaseConfig, config.ContactConfig, config.HomeConfig):
        # documented as `key` or as `parent.key`
        missing += [f"{cls.__name__}.{key}" for key, _ in cls._schema
                    if not re.search(r"[`.]" + re.escape(key) + "`", DOCS)]
    assert not missing, f"README.md / REFERENCE.md do not document the plugin options: {missing}"


def _slug(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)}


@pytest.mark.parametrize("name", ["README.md", "REFERENCE.md"])
def test_links_between_readme_and_reference_land_on_headings(name):
    text = re.sub(r"```.*?```|`[^`\n]*`", "", (ROOT / name).read_text(encoding="utf-8"), flags=re.S)
    anchors = {"README.md": _anchors(README), "REFERENCE.md": _anchors(REFERENCE)}
    broken = []
    for target, anchor in re.findall(r"\]\((README\.md|REFERENCE\.md|)#([^)\s]+)\)", text):
        if anchor not in anchors[target or name]:
            broken.append(f"{target or name}#{anchor}")
    for target in re.findall(r"\]\(([\w./-]+\.md)\)", text):
        if not (ROOT / target).is_file():
            broken.append(target)
    assert not broken, f"{name} links to headings or files that do not exist: {broken}"


def test_the_readme_opens_with_a_short_quick_start_then_the_two_commands():
    sections = re.split(r"^## ", README, flags=re.M)
    titles = [s.split("\n", 1)[0] for s in sections[1:]]
    assert titles[:2] == ["Quick start: your own help centre", "The two commands"], titles
    quick = sections[1].split("\n", 1)[1].strip()
    assert len(quick.splitlines()) <= 10, quick
    assert "carebase init mysite && cd mysite && carebase serve" in quick
    # the install line puts `carebase` on PATH for the commands after it
    assert ". .venv/bin/activate && pip install -e ." in quick


def test_the_two_commands_are_the_ones_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    two = re.split(r"^## ", README, flags=re.M)[2]
    assert "bash tests/run" in two and "exec bash tests/run" in ci
    assert "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && carebase serve" in two


def _scripts() -> list[str]:
    return sorted(set(re.findall(r"python3? (benchmarks/[\w/.-]+\.py)", DOCS)))


def test_every_script_the_docs_run_exists_and_runs_with_the_venv_python():
    """Scripts are run as `python benchmarks/…` in the activated venv; a script that moved or
    that cannot import carebase would fail a reader (the simulator did without the venv)."""
    scripts = _scripts()
    assert "benchmarks/simulate_events.py" in scripts or not re.search("simulate_events", DOCS)
    missing = [s for s in scripts if not (ROOT / s).is_file()]
    assert not missing, f"the docs run scripts that do not exist: {missing}"
    for script in [s for s in scripts if s.endswith("simulate_events.py")]:
        done = subprocess.run([sys.executable, script, "--help"], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr
