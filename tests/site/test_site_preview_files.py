"""Which deleted articles `carebase serve` may remove without a full build
(plugins/site/preview_files.referenced): one that another file links to, or that an item names
as related, needs the full build that reports the broken link."""

from __future__ import annotations

import dataclasses

from carebase.plugins.site.preview_files import referenced


def _content(tmp_path, link: str):
    (tmp_path / "billing").mkdir()
    (tmp_path / "billing" / "refunds.md").write_text("# Refunds\n\nWe refund within 14 days.\n")
    (tmp_path / "billing" / "invoices.md").write_text(f"# Download invoices\n\n{link}\n")
    (tmp_path / "account").mkdir()
    (tmp_path / "account" / "password.md").write_text("# Reset your password\n\nUse the reset link.\n")
    return tmp_path


def test_a_deleted_article_that_nothing_names_is_not_referenced(tmp_path, ctx):
    catalogue = ctx.catalogue  # the folder's sample catalogue (tests/site/conftest.py)
    password = catalogue.get("article:account/password")
    root = _content(tmp_path, "Invoices are in Settings.")
    (root / "account" / "password.md").unlink()
    assert referenced(root, [password], catalogue, {"account/password.md"}) is None


def test_a_markdown_link_to_a_deleted_article_is_found(tmp_path, ctx):
    catalogue = ctx.catalogue  # the folder's sample catalogue (tests/site/conftest.py)
    password = catalogue.get("article:account/password")
    root = _content(tmp_path, "Forgot it? See [the reset](../account/password.md).")
    (root / "account" / "password.md").unlink()
    assert referenced(root, [password], catalogue, {"account/password.md"}) == "billing/invoices.md"


def test_a_related_entry_naming_a_deleted_article_is_found(tmp_path, ctx):
    catalogue = ctx.catalogue  # the folder's sample catalogue (tests/site/conftest.py)
    refunds = catalogue.get("article:billing/refunds")
    invoices = dataclasses.replace(catalogue.get("article:billing/invoices"), related=(refunds.id,))
    catalogue = dataclasses.replace(catalogue, articles=tuple(invoices if a.id == invoices.id else a
                                                               for a in catalogue.articles), _index={})
    root = _content(tmp_path, "Invoices are in Settings.")
    assert referenced(root, [refunds], catalogue, {"billing/refunds.md"}) == "billing/invoices.md"
