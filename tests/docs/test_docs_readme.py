"""The README stays honest: every command, every flag and every plugin option is documented.

Adding a sub-command, a flag or a `plugins: - carebase:` option without a word in the README
fails here, with the missing names listed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands():
    from carebase.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices.items())


def _mentioned(name: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", README) is not None


@pytest.mark.parametrize("name, parser", _commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_and_flag_is_in_the_readme(name, parser):
    missing = [] if f"carebase {name}" in README else [f"carebase {name}"]
    for action in parser._actions:
        missing += [o for o in action.option_strings if o.startswith("--") and o != "--help" and not _mentioned(o)]
    assert not missing, f"README.md does not document: {missing}"


def test_every_plugin_option_is_in_the_readme():
    from carebase.plugins.site import config

    missing = []
    for cls in (config.CarebaseConfig, config.ContactConfig, config.HomeConfig):
        # documented as `key` or as `parent.key`
        missing += [f"{cls.__name__}.{key}" for key, _ in cls._schema
                    if not re.search(r"[`.]" + re.escape(key) + "`", README)]
    assert not missing, f"README.md does not document the plugin options: {missing}"


def test_the_two_commands_are_the_ones_ci_runs():
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash tests/run" in README and "exec bash tests/run" in ci
    assert ".venv/bin/carebase serve" in README
