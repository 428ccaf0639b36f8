"""The carebase plugin's own options in mkdocs.yml (plugins/site/options.py,
carebase.content.option_lines): every problem named at its line and option path, all of them
logged, then one failure, as MkDocs' config validation does. Before, ``feedback.*`` errors
were logged as ``mkdocs.yml: plugins.carebase.feedback.style: …`` with no line, and the build
went on with the widget's defaults."""

from __future__ import annotations

import logging

import pytest

from carebase.content.option_lines import line_of, option_lines

CONFIG = """\
site_name: Help
site_url: https://help.example.com/
docs_dir: content
theme:
  name: carebase
plugins:
  - carebase:
      service_url: !ENV [FEEDBACK_URL, "http://127.0.0.1:8001"]
      feedback:
        style: stars
        reasons:
          - Too long
          - ""
          - Too long
        contact: {email: not-an-address}
      languages: [en, xx]
      limits:
        article: {warning: lots}
"""


def test_every_option_has_its_line_and_a_missing_one_is_named_at_its_mapping(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    lines = option_lines(config)
    assert lines["service_url"] == 8 and lines["feedback"] == 9 and lines["feedback.style"] == 10
    assert [lines[f"feedback.reasons[{i}]"] for i in range(3)] == [12, 13, 14]
    assert lines["feedback.contact.email"] == 15 and lines["limits.article.warning"] == 18
    assert line_of(lines, "plugins.carebase.feedback.reasons[1]") == 13
    assert line_of(lines, "plugins.carebase.feedback.question") == 9  # not written: its mapping
    assert line_of(lines, "plugins.carebase.page_size") == 0
    assert option_lines(tmp_path / "none.yml") == {} and option_lines(None) == {}


def test_the_plugin_logs_each_problem_at_its_line_then_fails_once(tmp_path, monkeypatch, caplog):
    from mkdocs.config import load_config

    from carebase.plugins.site.options import OptionsError

    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = load_config("mkdocs.yml")
    with caplog.at_level(logging.WARNING, logger="mkdocs"), pytest.raises(OptionsError) as failed:
        config.plugins.on_config(config)
    said = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "mkdocs.plugins.carebase"]
    assert said == [
        ("ERROR", "carebase: mkdocs.yml:10: plugins.carebase.feedback.style: expected one of helpful, csat, ces, "
                  "found 'stars'"),
        ("ERROR", "carebase: mkdocs.yml:13: plugins.carebase.feedback.reasons[1]: expected a non-empty text, found ''"),
        ("WARNING", "carebase: mkdocs.yml:14: plugins.carebase.feedback.reasons[2]: duplicate reason 'Too long' is "
                    "shown once"),
        ("ERROR", "carebase: mkdocs.yml:15: plugins.carebase.feedback.contact.email: expected an e-mail address "
                  "such as help@example.com, found 'not-an-address'"),
        ("WARNING", "carebase: mkdocs.yml:16: plugins.carebase.languages[1]: expected a language code such as "
                    "'en', 'de' or 'pt-BR', found 'xx'"),
        ("WARNING", "carebase: mkdocs.yml:18: plugins.carebase.limits.article.warning: expected a size like 512 KB "
                    "or 10 MB, found 'lots'"),
    ]
    assert str(failed.value) == "3 errors in the carebase plugin's options (above): fix them and build again"


def test_a_setting_the_widget_takes_from_the_plugins_own_options_is_named_where_it_is_written(tmp_path, monkeypatch,
                                                                                               caplog):
    from mkdocs.config import load_config

    from carebase.plugins.site.options import OptionsError

    (tmp_path / "content").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Help\nsite_url: https://help.example.com/\ndocs_dir: content\ntheme:\n  name: carebase\n"
        "plugins:\n  - carebase:\n      service_url: ftp://feedback.example.com\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = load_config("mkdocs.yml")
    with caplog.at_level(logging.WARNING, logger="mkdocs"), pytest.raises(OptionsError):
        config.plugins.on_config(config)
    [said] = [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.carebase"]
    assert said.startswith("carebase: mkdocs.yml:8: plugins.carebase.service_url: expected an http(s) URL"), said


def test_nested_yaml_aliases_are_placed_once_not_expanded(tmp_path):
    """reader 47 R15: each alias was converted and walked again, so ``a4: [*a3 ×10]`` over four
    levels meant 123,458 places (five: 1.2 million, 30 s and 360 MB in check; each level ×10);
    MkDocs itself shares the anchor's object. An alias and what is inside it are placed at its
    anchor's line; a recursive alias (``r: &r [1, *r]``) ends too."""
    from carebase.content.option_lines import config_places, inherit_problem, place_of

    lines = ["site_name: X", "extra:", "  a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lines += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 5)]
    lines += ["  r: &r [1, *r]", "plugins:", "  - carebase:", "      feedback: &fb {style: stars}", "theme:",
              "  fb: *fb"]
    config = tmp_path / "mkdocs.yml"
    config.write_text("\n".join(lines) + "\n", "utf-8")
    places = config_places(config)
    assert len(places) < 100, len(places)  # the lines written (66), not the settings they stand for
    assert places["extra.a0[9]"].line == 3 and places["extra.a4"].line == 7
    assert places["extra.a4[9]"].line == 6  # an alias: where its anchor (a3) is written
    assert place_of(places, "extra.a4[9][9][9][9][9]").line == 6  # and what is inside it
    assert places["plugins.carebase.feedback.style"].line == 11 and places["theme.fb"].line == 13
    assert inherit_problem(config) is None
