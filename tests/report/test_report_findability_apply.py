"""The gap loop's applier (benchmarks/search/apply_suggestions.py): a report's suggestions
written into articles' front matter and synonyms.yml, the rest of each file kept as it was."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

# loaded by path under its own name: putting benchmarks/search on sys.path would let its
# material.py shadow Material for MkDocs' `material` package in later tests
_spec = importlib.util.spec_from_file_location(
    "carebase_bench_apply_suggestions",
    Path(__file__).resolve().parents[2] / "benchmarks" / "search" / "apply_suggestions.py")
_module = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _module
_spec.loader.exec_module(_module)
add_keywords, apply, merge_synonyms = _module.add_keywords, _module.apply, _module.merge_synonyms

ARTICLE = "---\ntitle: Freeze a lost card\nkeywords: [lost, stolen]\nowner: cards-team\n---\nBody with --- inside.\n"


def test_words_are_appended_to_a_flow_list_and_nothing_else_changes():
    text, added = add_keywords(ARTICLE, ["pickpocketed", "Lost", "wallet"], where="a.md")
    assert added == ["pickpocketed", "wallet"]  # "Lost" is already there, whatever its case
    assert text == ARTICLE.replace("[lost, stolen]", "[lost, stolen, pickpocketed, wallet]")


def test_block_lists_missing_keys_and_odd_words_stay_valid_yaml():
    block = "---\ntitle: T\nkeywords:\n  - one\n  - two\nsummary: S\n---\nbody\n"
    text, _ = add_keywords(block, ["three: four", "it's"], where="b.md")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta == {"title": "T", "keywords": ["one", "two", "three: four", "it's"], "summary": "S"}
    text, added = add_keywords("---\ntitle: T\n---\nbody\n", ["word"], where="c.md")
    assert added == ["word"] and text == "---\ntitle: T\nkeywords: [word]\n---\nbody\n"


def test_a_file_without_front_matter_is_refused_with_its_name():
    with pytest.raises(ValueError, match="d.md: expected front matter"):
        add_keywords("no front matter\n", ["x"], where="d.md")


def test_synonyms_merge_into_the_group_holding_a_word_or_append():
    text = "# comment kept\n- [lost, missing]\n- [fee, charge]\n"
    merged, changed = merge_synonyms(text, [["lost", "pickpocketed"], ["atm", "cash machine"], ["fee", "charge"]])
    assert changed == 2
    assert merged == "# comment kept\n- [lost, missing, pickpocketed]\n- [fee, charge]\n- [atm, cash machine]\n"


def test_apply_edits_the_articles_and_synonyms_a_report_names(tmp_path):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "lost.md").write_text(ARTICLE)
    (tmp_path / "synonyms.yml").write_text("- [lost, missing]\n")
    report = {"missing": {"keywords": [{"kind": "article", "source": {"path": "cards/lost.md"},
                                        "add_keywords": ["wallet"], "synonyms": [["lost", "pickpocketed"]]}],
                          "clusters": [{"status": "findability", "closest": {"kind": "article", "source": {"path": "cards/lost.md"}},
                                        "suggestion": {"customer_words": ["card swallowed"], "synonyms": []}},
                                       {"status": "gap", "closest": None, "suggestion": {}}]}}
    result = apply(report, tmp_path)
    assert result == {"articles": {"cards/lost.md": ["wallet", "card swallowed"]}, "words": 2, "synonym_groups": 1}
    assert "keywords: [lost, stolen, wallet, card swallowed]" in (tmp_path / "cards" / "lost.md").read_text()
    assert (tmp_path / "synonyms.yml").read_text() == "- [lost, missing, pickpocketed]\n"
