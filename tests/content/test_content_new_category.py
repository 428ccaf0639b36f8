"""`carebase new article` always puts the article in a category: it asks on a terminal, it is
a usage error elsewhere (CI, scripts), and `carebase check --strict` flags an article that
has none (a root-level page is on no category page and in no navigation)."""

from __future__ import annotations

import os

from cli_testkit import run_carebase, run_interactive

ENV = {**os.environ, "NO_COLOR": "1"}


def _content(tmp_path, categories=True):
    content = tmp_path / "content"
    content.mkdir()
    if categories:
        (content / "categories.yml").write_text(
            "- {id: billing, title: Billing and plans}\n- {id: account, title: Your account}\n", encoding="utf-8")
    return content


def test_without_a_terminal_a_missing_category_is_a_usage_error_naming_the_choices(tmp_path):
    content = _content(tmp_path)
    done = run_carebase("new", "article", "Can I pay by card?", cwd=tmp_path, env=ENV)
    assert done.returncode == 2
    assert "an article needs --category C" in done.stderr and "one of billing, account" in done.stderr
    assert sorted(p.name for p in content.iterdir()) == ["categories.yml"]


def test_without_categories_yml_the_folders_are_the_choices_or_a_new_one(tmp_path):
    content = _content(tmp_path, categories=False)
    empty = run_carebase("new", "article", "Hello", cwd=tmp_path, env=ENV)
    assert empty.returncode == 2 and "there is no category yet" in empty.stderr and "--category getting-started" in empty.stderr
    (content / "shipping").mkdir()
    (content / "faq").mkdir()
    listed = run_carebase("new", "article", "Hello", cwd=tmp_path, env=ENV)
    assert listed.returncode == 2 and "one of shipping" in listed.stderr and "faq" not in listed.stderr


def test_on_a_terminal_it_asks_and_takes_a_number_or_an_id(tmp_path):
    content = _content(tmp_path)
    code, shown = run_interactive(["new", "article", "Can I pay by card?"], "9\nbiling\n1\n", cwd=tmp_path)
    assert code == 0, shown
    assert 'Which category does "Can I pay by card?" belong to?' in shown
    assert "1. billing  (Billing and plans)" in shown and "2. account  (Your account)" in shown
    assert "expected one of billing, account (did you mean 'billing'?), found 'biling'" in shown
    assert (content / "billing" / "can-i-pay-by-card.md").is_file()
    code, shown = run_interactive(["new", "article", "Close my account"], "account\n", cwd=tmp_path)
    assert code == 0 and (content / "account" / "close-my-account.md").is_file(), shown
    check = run_carebase("check", "--strict", cwd=tmp_path, env=ENV)
    assert check.returncode == 0, check.stdout


def test_on_a_terminal_an_empty_answer_stops_without_writing(tmp_path):
    content = _content(tmp_path)
    code, shown = run_interactive(["new", "article", "Hello"], "\n", cwd=tmp_path)
    assert code == 2 and "an article needs --category C" in shown
    assert sorted(p.name for p in content.iterdir()) == ["categories.yml"]


def test_check_strict_flags_an_article_in_no_category(tmp_path):
    content = _content(tmp_path, categories=False)
    (content / "orphan.md").write_text("---\ntitle: Orphan\nsummary: Nowhere.\n---\nText.\n", encoding="utf-8")
    (content / "index.md").write_text("# Welcome\n", encoding="utf-8")  # the home page is not an orphan
    (content / "billing").mkdir()
    (content / "billing" / "refunds.md").write_text("---\ntitle: Refunds\n---\nText.\n", encoding="utf-8")
    loose = run_carebase("check", cwd=tmp_path, env=ENV)
    assert loose.returncode == 0
    strict = run_carebase("check", "--strict", cwd=tmp_path, env=ENV)
    assert strict.returncode == 1
    assert ("content/orphan.md:2: category: expected a category (move the file into a category folder "
            "such as billing/, or add 'category: billing'), found none") in strict.stdout
    assert "index.md" not in strict.stdout
    assert "1 warning in 1 file" in strict.stdout
