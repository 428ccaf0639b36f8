"""`carebase serve` after an article, an FAQ file and a video saved again, a new article that opens a
listing page, a renamed article and a deleted one that closes the page: what it renders and
writes (plugins/site/preview.py, preview_files.py and follow.py) is what a full build of the
same content writes, with no full build on the way."""

from __future__ import annotations

import json
import os

import pytest
from site_testkit import FIXTURES, copy_from_an_earlier_day, preview_build, site_files

from carebase.plugins.site.follow import write

pytestmark = pytest.mark.slow  # two real MkDocs builds in this process


def test_saves_and_a_new_article_render_and_write_what_a_full_build_does(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # serve's build output (preview folder) goes there
    monkeypatch.setattr("tempfile.tempdir", None)
    project = copy_from_an_earlier_day(FIXTURES, tmp_path / "project", monkeypatch)
    config_file = project / "mkdocs.yml"
    # related items are found from the site's words, which a save changes for other pages too:
    # serve computes them again at the next full build only (preview.py), so they are off here
    # two entries per listing page: billing's two articles fill its first page, a third opens a second
    config_file.write_text(config_file.read_text().replace(
        "  - carebase:\n", "  - carebase:\n      related: \"off\"\n      page_size: 2\n"))
    served = tmp_path / "served"
    config = preview_build(config_file, served, "serve")
    plugin = config.plugins["carebase"]
    try:
        untouched = served / "search" / "index.html"  # the search page lists no article
        before = untouched.stat().st_mtime_ns
        refunds = project / "help" / "billing" / "refunds.md"
        text = refunds.read_text()
        refunds.write_text(text.replace("title: Refunds", "title: Quibbling refunds")
                           .replace("\n\n", "\n\nA zanzibarian sentence.\n\n", 1))
        os.utime(refunds, ns=(before + 10**9, before + 10**9))  # a new stamp even on a coarse clock
        assert plugin.preview.update(plugin) is True  # rendered, not a full build
        plugin.preview.wait(output=True)
        assert "Quibbling refunds" in (served / "billing" / "refunds" / "index.html").read_text()
        # an FAQ file saved again (a new title, another answer; the same questions)
        faq = project / "help" / "faq" / "billing.yml"
        faq.write_text(faq.read_text().replace("title: Billing questions", "title: Paying and billing")
                       .replace("answer: Visa, Mastercard", "answer: Quokkan cards, Visa, Mastercard"))
        os.utime(faq, ns=(before + 2 * 10**9, before + 2 * 10**9))
        assert plugin.preview.update(plugin) is True
        plugin.preview.wait(output=True)
        assert "Quokkan cards" in (served / "faq" / "billing" / "index.html").read_text()
        # a video saved again (a new title, a new chapter title): its page, its card in the gallery
        video = project / "help" / "videos" / "setup-basics.yml"
        video.write_text(video.read_text().replace("title: Setting up your account", "title: Setting up a numbat")
                         .replace("title: Invite your team", "title: Invite your koalas"))
        os.utime(video, ns=(before + 3 * 10**9, before + 3 * 10**9))
        assert plugin.preview.update(plugin) is True
        plugin.preview.wait(output=True)
        assert "Invite your koalas" in (served / "videos" / "setup-basics" / "index.html").read_text()
        assert "Setting up a numbat" in (served / "videos" / "index.html").read_text()
        # a new article
        (project / "help" / "billing" / "gift-cards.md").write_text(
            "---\ntitle: Gift cards\ncategory: billing\nsummary: Redeem a gift card.\n---\n\n"
            "# Gift cards\n\nRedeem a wallabian gift card in the app.\n")
        assert plugin.preview.update(plugin) is True
        # no wait: the rename below stops this change's other billing pages (their article
        # count) and renders those left after its own; the last comparison checks them
        assert "wallabian" in (served / "billing" / "gift-cards" / "index.html").read_text()
        assert "Quibbling refunds" in (served / "billing" / "page" / "2" / "index.html").read_text()  # the page it opened
        assert 'href="page/2/"' in (served / "billing" / "index.html").read_text()  # the pager links to it
        # a renamed article, saved while the new article's follow-up still runs: its old page
        # goes (HTML and Markdown twin), the new one shows, the listing links to it
        before_rename = plugin.catalogue
        (project / "help" / "account" / "two-step.md").rename(project / "help" / "account" / "second-step.md")
        assert plugin.preview.update(plugin) is True
        plugin.preview.wait(output=True)
        assert not (served / "account" / "two-step").exists()
        # the new article's follow-up process, had it been slower, would write its catalogue's
        # twins after the rename removed the page: it writes them now, and the next change's
        # follow-up deletes the old page's twin again (checked by the comparison at the end)
        write(plugin, before_rename, {}, output=False)
        assert (served / "account" / "two-step" / "index.html.md").exists()
        assert "Two-step sign-in" in (served / "account" / "second-step" / "index.html").read_text()
        assert 'href="second-step/"' in (served / "account" / "index.html").read_text()
        # a page saved with a link to the renamed article's id: serve's address → file map knows its
        # new address (a rename keeps the count of files; reader 47 R10: the link stayed as written)
        gift = project / "help" / "billing" / "gift-cards.md"
        gift.write_text(gift.read_text() + "\nSee [the second step](article:account/second-step).\n")
        os.utime(gift, ns=(before + 5 * 10**9, before + 5 * 10**9))
        assert plugin.preview.update(plugin) is True
        plugin.preview.wait(output=True)
        assert 'href="../../account/second-step/"' in (served / "billing" / "gift-cards" / "index.html").read_text()
        # a deleted article: its page and the listing page it needed go
        (project / "help" / "billing" / "gift-cards.md").unlink()
        assert plugin.preview.update(plugin) is True
        plugin.preview.wait(output=True)
        assert not (served / "billing" / "gift-cards").exists()
        assert not (served / "account" / "two-step").exists()  # the rename's twin, written late, deleted
        assert not (served / "billing" / "page").exists()
        assert "Gift cards" not in (served / "billing" / "index.html").read_text()
        assert untouched.stat().st_mtime_ns == before  # never a full build
        # the site search was updated in place, never written whole: new rows after the last
        meta = json.loads((served / "search" / "carebase" / "meta.json").read_text())
        assert [kind for kind, _, _ in meta["ranges"]] == ["article", "faq", "video", "article"]
        after_save = site_files(served)
        # mkdocs.yml saved since the last full build (`carebase serve` may have refused its options
        # and kept the last site): a save is then a full build, never rendered with the options the
        # plugin read last (it rendered an FAQ page without its questions after a refused build)
        config_text, saved_text = config_file.read_text(), refunds.read_text()
        config_file.write_text(config_text + "# edited\n")
        refunds.write_text(saved_text.replace("zanzibarian", "zanzibarese"))
        os.utime(refunds, ns=(before + 9 * 10**9, before + 9 * 10**9))
        assert plugin.preview.update(plugin) is False
        config_file.write_text(config_text)
        refunds.write_text(saved_text)
    finally:
        plugin.preview.stop()
    full = tmp_path / "full"
    preview_build(config_file, full, "build")
    expected = site_files(full)
    assert sorted(after_save) == sorted(expected)
    differ = [rel for rel in expected if after_save[rel] != expected[rel]]
    assert differ == []
