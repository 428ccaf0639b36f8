"""`carebase check` (the README's CI gate) fails where `carebase build` would stop on mkdocs.yml:
the carebase plugin's options it reads itself (``feedback.*``, ``region``, ``languages``,
``limits``: carebase.plugins.site.options.read_options, the function the plugin's on_config
runs) and MkDocs' own validation of the config, each named at its file and line as the build
names it, a setting written in an ``INHERIT:`` parent at the parent's line (reader 46, R13 and
R10). Before, `check --strict` passed a site whose build stopped on ``feedback.style: stars``
and ``region: [XX]``, and the build named an inherited option ``mkdocs.yml`` with no line."""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

import pytest
from cli_testkit import run_carebase

CLEAN = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "clean"

BAD = """\
site_name: Help
docs_dir: content
theme:
  name: carebase
plugins:
  - carebase:
      feedback:
        style: stars
        reasons:
          - Too long
          - ""
      languages: [en, xx]
      region: [GB, XX]
"""

GOOD = BAD.replace("stars", "helpful").replace('- ""', "- Too short").replace(", xx", "").replace(", XX", "")


def _site(tmp_path: Path, config: str, **more: str) -> Path:
    shutil.copytree(CLEAN, tmp_path / "content")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name, text in more.items():
        (tmp_path / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return tmp_path


def _check(tmp_path: Path, *args: str):
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CI", None)
    return run_carebase("check", *args, cwd=tmp_path, env=env)


def _named(text: str) -> list[str]:
    """The ``file:line: plugins.…: message`` lines of the check's output (its label dropped)."""
    return [re.sub(r" \[(error|warning)\]$", "", line) for line in text.splitlines()
            if re.match(r"^[\w./-]+\.yml:\d+: plugins\.", line)]


def _build_says(tmp_path: Path, monkeypatch, caplog) -> list[str]:
    """What the build logs for the plugin's options (its on_config, as `carebase build` runs it)."""
    from mkdocs.config import load_config

    from carebase.plugins.site.options import OptionsError

    monkeypatch.chdir(tmp_path)
    config = load_config("mkdocs.yml")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        try:
            config.plugins.on_config(config)
        except OptionsError:
            pass
    return [r.getMessage().removeprefix("carebase: ") for r in caplog.records if r.name == "mkdocs.plugins.carebase"]


def test_check_strict_fails_on_every_option_the_build_stops_on_at_the_builds_lines(tmp_path, monkeypatch, caplog):
    site = _site(tmp_path, BAD)
    checked = _check(site, "--strict", "content")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    named = _named(checked.stdout)
    assert named == [
        "mkdocs.yml:8: plugins.carebase.feedback.style: expected one of helpful, csat, ces, found 'stars'",
        "mkdocs.yml:11: plugins.carebase.feedback.reasons[1]: expected a non-empty text, found ''",
        "mkdocs.yml:12: plugins.carebase.languages[1]: expected a language code such as 'en', 'de' or 'pt-BR', "
        "found 'xx'",
        "mkdocs.yml:13: plugins.carebase.region[1]: 'XX' is not a country code (an ISO 3166-1 alpha-2 code with a "
        "telephone numbering plan, e.g. GB, IE, US, DE, HK)",
    ]
    assert "3 errors, 1 warning in 1 file" in checked.stdout
    # reader 47, R2: the closing line said only "Items with errors are left out of the site",
    # but on mkdocs.yml's errors the build writes no site at all
    assert checked.stdout.splitlines()[-1] == (
        "The build stops on mkdocs.yml's errors (no site is written); items with errors are left out of the site. "
        "Fix each error at the file and line shown, then run the check again: carebase check --strict content")
    assert sorted(named) == sorted(_build_says(site, monkeypatch, caplog))  # the build's own words and lines
    # without --strict the errors still fail it: the build stops on them either way
    assert _check(site, "content").returncode == 1
    as_json = _check(site, "content", "--format", "json")
    found = [(p["file"], p["line"], p["field"], p["severity"]) for p in __import__("json").loads(as_json.stdout)["problems"]]
    assert ("mkdocs.yml", 13, "plugins.carebase.region[1]", "error") in found
    github = _check(site, "content", "--format", "github")
    assert "::error file=mkdocs.yml,line=8,title=carebase check%3A plugins.carebase.feedback.style::" in github.stdout


def test_a_good_config_still_passes_and_a_warning_fails_only_strict(tmp_path):
    site = _site(tmp_path, GOOD)
    good = _check(site, "--strict", "content")
    assert good.returncode == 0 and "No problems in content" in good.stdout, good.stdout + good.stderr
    (site / "mkdocs.yml").write_text(GOOD.replace("languages: [en]", "languages: [en, xx]"), encoding="utf-8")
    assert _check(site, "content").returncode == 0
    strict = _check(site, "--strict", "content")
    assert strict.returncode == 1 and _named(strict.stdout) == [
        "mkdocs.yml:12: plugins.carebase.languages[1]: expected a language code such as 'en', 'de' or 'pt-BR', "
        "found 'xx'"]


def test_mkdocs_own_validation_of_the_plugins_options_is_the_checks_too(tmp_path):
    """A type MkDocs checks (``related``) stops the build before carebase reads anything; an
    unknown option is MkDocs' warning (fatal under --strict)."""
    site = _site(tmp_path, GOOD.replace("      feedback:", "      related: sometimes\n      feedback:"))
    wrong = _check(site, "--strict", "content")
    assert wrong.returncode == 1
    assert _named(wrong.stdout) == ["mkdocs.yml:7: plugins.carebase.related: Expected one of: ('auto', 'search', "
                                    "'terms', 'off') but received: 'sometimes'"]
    (site / "mkdocs.yml").write_text(GOOD.replace("      feedback:", "      colour: blue\n      feedback:"))
    assert _check(site, "content").returncode == 0
    unknown = _check(site, "--strict", "content")
    assert unknown.returncode == 1
    assert _named(unknown.stdout) == ["mkdocs.yml:7: plugins.carebase.colour: Unrecognised configuration name: colour"]


PARENT = """\
site_name: Help
docs_dir: content
theme:
  name: carebase
  language: en
plugins:
  carebase:
    languages: [en, de]
    feedback:
      style: stars
"""


def test_an_option_written_in_an_inherit_parent_is_named_at_the_parents_line(tmp_path, monkeypatch, caplog):
    """MkDocs merges ``INHERIT`` child over parent (mappings key by key): the plugin's options
    in the mapping form merge, so the parent's ``feedback.style`` and ``languages`` apply, and
    the child's own ``region`` is named in the child."""
    child = "INHERIT: base.yml\nsite_name: Hilfe\nplugins:\n  carebase:\n    region: [XX]\n"
    site = _site(tmp_path, child, base_yml=PARENT)
    checked = _check(site, "content")
    assert checked.returncode == 1
    named = _named(checked.stdout)
    assert named == [
        "base.yml:10: plugins.carebase.feedback.style: expected one of helpful, csat, ces, found 'stars'",
        "mkdocs.yml:5: plugins.carebase.region[0]: 'XX' is not a country code (an ISO 3166-1 alpha-2 code with a "
        "telephone numbering plan, e.g. GB, IE, US, DE, HK)",
    ]
    assert sorted(named) == sorted(_build_says(site, monkeypatch, caplog))  # the build names them so too
    assert "Translations: German (de)" in checked.stdout  # the parent's languages are the check's


def test_a_child_plugins_list_replaces_the_parents_as_mkdocs_merges(tmp_path):
    """A list is not merged: the child's ``plugins:`` list is the site's, so the parent's bad
    option is not used (by the build nor the check)."""
    parent = PARENT.replace("plugins:\n  carebase:\n    languages: [en, de]\n    feedback:\n      style: stars\n",
                            "plugins:\n  - carebase:\n      feedback:\n        style: stars\n")
    site = _site(tmp_path, "INHERIT: base.yml\nplugins:\n  - carebase:\n      region: [GB]\n", base_yml=parent)
    checked = _check(site, "--strict", "content")
    assert checked.returncode == 0, checked.stdout


def test_option_places_follow_inherit_and_stop_on_a_loop(tmp_path):
    from carebase.content.option_lines import Place, config_places, place_of

    (tmp_path / "a.yml").write_text("INHERIT: b.yml\nplugins:\n  carebase:\n    ask: false\n")
    (tmp_path / "b.yml").write_text("INHERIT: a.yml\nsite_name: B\nplugins:\n  carebase:\n    page_size: 5\n")
    places = config_places(tmp_path / "a.yml")
    a, b = str(tmp_path / "a.yml"), str(tmp_path / "b.yml")
    assert places["plugins.carebase.ask"] == Place(a, 4) and places["plugins.carebase.page_size"] == Place(b, 5)
    assert places["site_name"] == Place(b, 2)
    assert place_of(places, "plugins.carebase.feedback.style") == Place(a, 3)  # not written: the plugin's entry
    assert place_of(places, "nav") is None
    (tmp_path / "c.yml").write_text("INHERIT: missing.yml\nsite_name: C\n")
    assert config_places(tmp_path / "c.yml") == {"site_name": Place(str(tmp_path / "c.yml"), 2)}


@pytest.mark.parametrize("config, said", [
    ("INHERIT: nowhere.yml\nsite_name: T\n",
     "mkdocs.yml:1: INHERIT: expected a parent config file, found nothing at nowhere.yml [error]"),
    ("site_name: T\nINHERIT: content\n",
     "mkdocs.yml:2: INHERIT: expected a parent config file, found a folder at content [error]"),
    # never closed: named where it opens (the parser stops a line after the file's last)
    ("site_name: T\nplugins:\n  - carebase:\n      feedback: {style: stars\n",
     "mkdocs.yml:4: expected valid YAML, found while parsing a flow mapping expected ',' or '}', but got "
     "'<stream end>' (column 17, not closed before the end of the file) [error]"),
    ('site_name: "Help\ndocs_dir: content\n',
     "mkdocs.yml:1: expected valid YAML, found while scanning a quoted scalar found unexpected end of stream "
     "(column 12, not closed before the end of the file) [error]"),
    ("site_name: T\nnav: [a, b\ndocs_dir: content\n",
     "mkdocs.yml:3: expected valid YAML, found while parsing a flow sequence expected ',' or ']', but got ':' "
     "(column 9) [error]"),
])
def test_a_config_mkdocs_cannot_read_is_an_error_at_its_file_and_line(tmp_path, config, said):
    """reader 47, R2: these were named at mkdocs.yml with no line (the parser's line inside the
    sentence, a raw "[Errno 21] Is a directory"); the build says a YAML error as check does
    (it printed MkDocs' four lines, the place inside them)."""
    site = _site(tmp_path, config)
    checked = _check(site, "content")
    assert checked.returncode == 1
    assert said in checked.stdout.splitlines(), checked.stdout
    if "YAML" in said:
        for command in (["build", "-q"], ["serve", "--no-service", "-a", "127.0.0.1:0"]):
            said_by = run_carebase(*command, cwd=site)
            assert said_by.returncode == 1 and said_by.stderr.splitlines()[-1:] == [
                f"carebase {command[0]}: " + said[:-len(" [error]")]], said_by.stderr


def test_an_inherit_chain_that_comes_back_is_an_error_at_the_inherit_that_closes_it(tmp_path):
    """verify 47, V1: mkdocs.yml → base.yml → mkdocs.yml made `carebase check` end in a
    RecursionError traceback (MkDocs follows INHERIT without end; so did the build)."""
    site = _site(tmp_path, "INHERIT: base.yml\nsite_name: Help\ndocs_dir: content\n",
                 base_yml="site_name: Base\nINHERIT: mkdocs.yml\n")
    said = ("base.yml:2: INHERIT: expected a chain of parent configs that ends, found one that comes back: "
            "mkdocs.yml → base.yml → mkdocs.yml; remove the INHERIT that closes it")
    checked = _check(site, "content")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr, checked.stderr
    assert said + " [error]" in checked.stdout.splitlines()
    for command in ("build", "serve"):
        refused = run_carebase(command, cwd=site)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert refused.stderr.strip() == f"carebase {command}: {said}"


def test_an_inherit_naming_no_file_is_an_error_at_its_line_not_a_traceback(tmp_path):
    """`INHERIT: [base.yml]`: MkDocs joins the list to a folder (a TypeError traceback in check
    and build alike)."""
    site = _site(tmp_path, "site_name: Help\ndocs_dir: content\nINHERIT: [base.yml]\n")
    said = "mkdocs.yml:3: INHERIT: expected the file name of a parent config (INHERIT: base.yml), found a list"
    checked = _check(site, "content")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr, checked.stderr
    assert said + " [error]" in checked.stdout.splitlines()
    built = run_carebase("build", cwd=site)
    assert built.returncode == 2 and built.stderr.strip() == f"carebase build: {said}"


@pytest.mark.parametrize("theme, line, found", [
    ("theme:\n  name: material\n  palette: {primary: teal}\n", 4, "'material'"),
    ("theme: material\n", 3, "'material'"),
    ("", 4, "'mkdocs' (MkDocs' own theme, also when mkdocs.yml names none)"),  # at the plugin that needs it
])
def test_the_plugin_on_another_theme_is_one_error_at_the_theme_from_check_and_build(tmp_path, theme, line, found):
    """reader 47, R17: with the plugin on Material (or on MkDocs' default theme), `check
    --strict` passed and `carebase build` ended in a Jinja traceback, "TemplateNotFound:
    'home.html'": carebase's pages are the carebase theme's templates. Now check and build say
    so at the theme's line, through the one reading of the plugin's options."""
    site = _site(tmp_path, f"site_name: Help\ndocs_dir: content\n{theme}plugins:\n  - carebase\n")
    said = (f"mkdocs.yml:{line}: theme.name: expected carebase, the theme the carebase plugin's pages are made with "
            "(it extends Material for MkDocs: palette, features, custom_dir and Material's other theme options "
            f"stay as they are), found {found}: write 'name: carebase' under 'theme:' (or 'theme: carebase')")
    checked = _check(site, "--strict", "content")
    assert checked.returncode == 1 and said + " [error]" in checked.stdout.splitlines(), checked.stdout
    built = run_carebase("build", "-q", cwd=site)
    assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr
    assert built.stderr.splitlines() == [
        f"ERROR   -  carebase: {said}",
        "carebase build: mkdocs.yml: 1 error in the carebase plugin's options (above): fix them and build again"]
    assert not (site / "site").exists()
    fixed = theme.replace("material", "carebase") or "theme: carebase\n"
    (site / "mkdocs.yml").write_text(f"site_name: Help\ndocs_dir: content\n{fixed}plugins:\n  - carebase\n")
    assert _check(site, "--strict", "content").returncode == 0


@pytest.mark.parametrize("hooks, said", [
    ("hooks:\n  - hooks/ok.py\n  - nothook.py\n", "mkdocs.yml:16: hooks[1]: expected a Python file, found nothing at nothook.py"),
    ("hooks:\n  - hooks\n", "mkdocs.yml:15: hooks[0]: expected a Python file, found a folder at hooks"),
    ("hooks:\n  - hooks/ok.txt\n", "mkdocs.yml:15: hooks[0]: expected a Python file (.py), found hooks/ok.txt, "
                                   "which Python cannot import"),
    ("hooks: hooks/ok.py\n", "mkdocs.yml:14: hooks: expected a list of Python files (hooks: [hooks/links.py]), "
                             "found the text 'hooks/ok.py'"),
    ("hooks:\n  - hooks/broken.py\n", "mkdocs.yml:15: hooks[0]: expected Python that compiles, found a SyntaxError "
                                      "at hooks/broken.py:2, column 22: expected ':'"),
])
def test_a_hooks_file_the_build_cannot_load_is_an_error_at_its_line(tmp_path, hooks, said):
    """reader 47, R16: check stopped importing ``hooks:`` (R1) and with it stopped checking that
    they exist: `check --strict` passed and the build said only "Aborted with a configuration
    error!". Now each is checked as MkDocs checks it (from mkdocs.yml's folder), still without
    running it."""
    ran = tmp_path / "RAN"
    site = _site(tmp_path, GOOD + hooks)
    (site / "hooks").mkdir()
    (site / "hooks" / "ok.py").write_text(f"open({str(ran)!r}, 'w').write('hook')\n", encoding="utf-8")
    (site / "hooks" / "ok.txt").write_text("x = 1\n", encoding="utf-8")
    (site / "hooks" / "broken.py").write_text(f"open({str(ran)!r}, 'w').write('hook')\ndef on_config(config)\n",
                                              encoding="utf-8")
    checked = _check(site, "--strict", "content")
    assert checked.returncode == 1 and said + " [error]" in checked.stdout.splitlines(), checked.stdout
    assert not ran.exists()
    built = run_carebase("build", "-q", cwd=site)  # the build stops on it (MkDocs' own words)
    assert built.returncode == 1 and "Traceback" not in built.stderr, built.stderr
    if "SyntaxError" in said:  # MkDocs' import ended in a traceback: one line, as check says it
        assert built.stderr.splitlines() == ["carebase build: mkdocs.yml: " + said.partition(": ")[2].partition(": ")[2]]
    else:
        assert "Aborted with a configuration error!" in built.stderr, built.stderr
    (site / "mkdocs.yml").write_text(GOOD + "hooks:\n  - hooks/ok.py\n", encoding="utf-8")
    good = _check(site, "--strict", "content")
    assert good.returncode == 0 and not ran.exists(), good.stdout


def test_check_runs_no_code_from_the_sites_branch(tmp_path):
    """reader 47, R1: reading mkdocs.yml with MkDocs' loader, check constructed
    `!!python/object/apply:os.system [...]` (it ran the command) and imported `hooks:` files, so
    the CI gate ran a pull request's code. Now those tags are read as nothing and hooks are not
    imported; `!!python/name:` names an installed package's object (a Markdown extension's setting)."""
    ran = tmp_path / "RAN"
    site = _site(tmp_path, GOOD + f"x: !!python/object/apply:os.system [\"touch {ran}\"]\n"
                 "hooks: [hook.py]\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
                 "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
                 hook_py=f"open({str(ran)!r}, 'w').write('hook')\n")
    checked = _check(site, "content")
    assert not ran.exists(), ran.read_text()
    assert checked.returncode == 0, checked.stdout
    assert _named(checked.stdout) == [] and "mkdocs.yml:14: x: Unrecognised configuration name: x [warning]" in \
        checked.stdout.splitlines(), checked.stdout


def test_serve_keeps_the_last_site_and_names_an_inherit_cycle_saved_while_it_runs(tmp_path, monkeypatch):
    """reader 47, R12: serve checked the chain once, at its start; a cycle saved later made each
    reload end in 'maximum recursion depth exceeded' and a traceback. Now each build is refused
    at the INHERIT's line, the last site kept; the banner has the file and line in its own
    slots, so it shows the lines around it (fixread 47's note), and so has mkdocs.yml saved as
    YAML that does not parse (it showed MkDocs' four-line sentence, no place)."""
    from mkdocs.config import load_config

    from carebase.cli._preview_board import Board
    from carebase.cli._watching import Server

    site = _site(tmp_path, "INHERIT: base.yml\nsite_name: Help\ndocs_dir: content\n", base_yml="theme: mkdocs\n")
    monkeypatch.chdir(site)
    built = []
    board = Board().install()
    server = Server(builder=lambda: built.append(load_config("mkdocs.yml")), host="127.0.0.1", port=0,
                    root=str(site), board=board, config_file="mkdocs.yml")
    try:
        server.builder()
        assert len(built) == 1 and server.board.snapshot()["problems"] == []
        (site / "base.yml").write_text("INHERIT: mkdocs.yml\ntheme: mkdocs\n", encoding="utf-8")
        server.builder()
        shown = server.board.snapshot()
        assert len(built) == 1 and shown["state"] == "kept"
        assert [(p["file"], p["line"], p["field"], p["message"]) for p in shown["problems"]] == [
            ("base.yml", 1, "INHERIT", "expected a chain of parent configs that ends, found one that comes back: "
             "mkdocs.yml → base.yml → mkdocs.yml; remove the INHERIT that closes it")]
        assert "INHERIT: mkdocs.yml" in str(shown["problems"][0]["excerpt"])
        (site / "base.yml").write_text("theme: mkdocs\n", encoding="utf-8")
        (site / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: Help\ndocs_dir: content\nnav: [a, {b: c\n",
                                         encoding="utf-8")
        server.builder()
        shown = server.board.snapshot()
        assert len(built) == 1 and shown["state"] == "kept"
        assert [(p["file"], p["line"], p["message"]) for p in shown["problems"]] == [
            ("mkdocs.yml", 4, "expected valid YAML, found while parsing a flow mapping expected ',' or '}', but got "
             "'<stream end>' (column 10, not closed before the end of the file)")]
        assert "nav: [a, {b: c" in str(shown["problems"][0]["excerpt"])
    finally:
        server.server_close()
        board.uninstall()
