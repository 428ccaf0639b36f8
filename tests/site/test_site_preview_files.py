"""Which deleted articles `carebase serve` may remove without a full build
(plugins/site/preview_files.referenced, plugins/site/mentions.py): one that another file links
to, or that an item names as related, needs the full build that reports the broken link."""

from __future__ import annotations

import dataclasses

from carebase.content import load_catalogue
from carebase.plugins.site.mentions import Mentions, mentions_in
from carebase.plugins.site.preview import content_stamps
from carebase.plugins.site.preview_files import referenced


def _content(tmp_path, link: str):
    (tmp_path / "billing").mkdir()
    (tmp_path / "billing" / "refunds.md").write_text("# Refunds\n\nWe refund within 14 days.\n")
    (tmp_path / "billing" / "invoices.md").write_text(f"# Download invoices\n\n{link}\n")
    (tmp_path / "account").mkdir()
    (tmp_path / "account" / "password.md").write_text("# Reset your password\n\nUse the reset link.\n")
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "billing.yml").write_text("id: billing\nquestions: []\n")
    return tmp_path


def _naming(mentions, root, name, skip=frozenset()):
    return mentions.naming(root, {name}, content_stamps(root), set(skip))


def test_a_deleted_article_that_nothing_names_is_not_referenced(tmp_path):
    root = _content(tmp_path, "Invoices are in Settings.")
    catalogue = load_catalogue(root)
    password = catalogue.get("article:account/password")
    (root / "account" / "password.md").unlink()
    assert referenced(catalogue, [password]) is None
    assert _naming(Mentions(), root, "password.md", {"account/password.md"}) is None


def test_a_markdown_link_to_a_deleted_article_is_found_also_when_written_after_the_files_were_read(tmp_path):
    root = _content(tmp_path, "Invoices are in Settings.")
    mentions = Mentions()
    mentions.read(root, content_stamps(root))  # at the full build
    assert _naming(mentions, root, "password.md") is None
    invoices = root / "billing" / "invoices.md"
    invoices.write_text("# Download invoices\n\nForgot it? See [the reset](../account/password.md#reset).\n")
    assert _naming(mentions, root, "password.md") == "billing/invoices.md"  # its stamp changed: read again
    assert _naming(mentions, root, "password.md", {"billing/invoices.md"}) is None  # a file of the same change
    (root / "faq" / "billing.yml").write_text('id: billing\nquestions:\n- q: Reset?\n  a: "[Reset](password.md)"\n')
    invoices.unlink()
    assert _naming(mentions, root, "password.md") == "faq/billing.yml"
    assert _naming(mentions, root, "refunds.md") is None


def test_what_is_kept_of_a_file_answers_as_its_whole_text():
    texts = ["", "no link", "[a](../x/two-step.md)", "two-step.md", "see two-step.mdx and my-two-step.md",
             "a.md.md\nb.md", "[x](http://h/a b/c d.md) (e.md#top) ./f.md", "é-ü.md/ß.md"]
    names = ["two-step.md", "step.md", "a.md", "b.md", "c d.md", "e.md", "f.md", "ü.md", "ß.md", "x.md", "d.md"]
    for text in texts:
        runs = mentions_in(text)
        for name in names:
            assert any(name in run for run in runs) == (name in text), (text, name)


def test_a_related_entry_naming_a_deleted_article_is_found(tmp_path):
    catalogue = load_catalogue(_content(tmp_path, "Invoices are in Settings."))
    refunds = catalogue.get("article:billing/refunds")
    invoices = dataclasses.replace(catalogue.get("article:billing/invoices"), related=(refunds.id,))
    catalogue = dataclasses.replace(catalogue, articles=tuple(invoices if a.id == invoices.id else a
                                                               for a in catalogue.articles), _index={})
    assert referenced(catalogue, [refunds]) == "billing/invoices.md"
    assert referenced(catalogue, [catalogue.get("article:account/password")]) is None
