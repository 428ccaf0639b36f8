"""`carebase serve` in a help centre in two languages: an English article saved again renders
its pages at once and keeps the German side — its pages, its site search, its catalogue and
search index in the build output the service reads — and writes what a full build of the same
content writes; a saved translation is a full build (which writes every language)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from site_testkit import copy_from_an_earlier_day, preview_build, site_files

from carebase.output import open_output
from carebase.plugins.site.preview import content_stamps

pytestmark = pytest.mark.slow  # two real MkDocs builds in this process

BILINGUAL = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "bilingual"
CONFIG = """site_name: Bilingual help
site_url: https://help.example.com/
docs_dir: content
theme:
  name: carebase
  font: false
plugins:
  - material/search
  - carebase:
      languages: [en, de]
      related: "off"
"""


def _project(tmp_path: Path, monkeypatch) -> Path:
    # the pages' "last updated" is the file's mtime here (no Git history): the content's files
    # are from an earlier day, as in a checkout made days ago, whatever day the test runs, and
    # the builds are dated that day (the sitemap's lastmod), even when the test crosses midnight
    project = copy_from_an_earlier_day(BILINGUAL, tmp_path / "project", monkeypatch)
    (project / "content" / "billing" / "orphan.de.md").unlink()  # the fixture's deliberate errors
    faq = project / "content" / "faq" / "billing.de.yml"
    faq.write_text(faq.read_text().replace("  - question: Speichern Sie meine Karte?\n",
                                           "  - question: Speichern Sie meine Karte?\n    id: do-you-store-my-card\n"))
    (project / "mkdocs.yml").write_text(CONFIG)
    return project


def _output_files(folder: Path) -> dict[str, object]:
    """The build output's current revision: manifest and each language's catalogue snapshot."""
    out = open_output(folder)
    return {rel.relative_to(out.path).as_posix(): json.loads(rel.read_text())
            for rel in sorted(out.path.rglob("*.json"))}


def test_an_english_save_keeps_the_german_side_and_writes_what_a_full_build_does(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # serve's build output (preview folder) goes there
    monkeypatch.setattr("tempfile.tempdir", None)
    project = _project(tmp_path, monkeypatch)
    served = tmp_path / "served"
    config = preview_build(project / "mkdocs.yml", served, "serve")
    plugin = config.plugins["carebase"]
    try:
        german_page = served / "de" / "billing" / "refunds" / "index.html"
        before = german_page.stat().st_mtime_ns
        refunds = project / "content" / "billing" / "refunds.md"
        # a new title too: the English listings are rendered again (a body-only save leaves the
        # home page's "recently updated" order to the next full build, in one language as in two)
        refunds.write_text(refunds.read_text().replace("title: Refunds", "title: Refunds and wombats")
                           .replace("refunded in full", "refunded in full by a wombat"))
        os.utime(refunds, ns=(before + 10**9, before + 10**9))  # a new stamp even on a coarse clock
        assert plugin.preview.update(plugin) is True  # rendered, not a full build
        plugin.preview.wait(output=True)
        assert "wombat" in (served / "billing" / "refunds" / "index.html").read_text()
        assert german_page.stat().st_mtime_ns == before  # the German pages are kept as they were
        assert "Erstattungen" in german_page.read_text()

        out = open_output(plugin.site_data)
        assert out.languages == ("en", "de") and out.indexed
        assert out.searcher(lang="de").search("Rückerstattung").hits[0].url == "de/billing/refunds/"
        assert out.searcher().search("wombat").hits[0].id == "article:billing/refunds"
        manifest = json.loads((served / "manifest.json").read_text())
        assert manifest == out.manifest and "article:billing/refunds" in manifest["items"]
        assert "wombat" in (served / "billing" / "refunds" / "index.html.md").read_text()
        assert "Erstattungen" in (served / "de" / "llms.txt").read_text()
        after_save, output_after_save = site_files(served), _output_files(plugin.site_data)

        # a translation saved: a full build (it writes every language, as the first one did)
        german = project / "content" / "billing" / "refunds.de.md"
        german_stamp = german.stat().st_mtime_ns
        german.write_text(german.read_text().replace("vollständig", "vollständig, sagt der Wombat"))
        os.utime(german, ns=(before + 2 * 10**9, before + 2 * 10**9))
        assert plugin.preview.update(plugin) is False
        why = plugin.preview._saved_items(plugin, plugin.preview.built, ["billing/refunds.de.md"],
                                          content_stamps(project / "content"))
        assert why == "billing/refunds.de.md: a translation saved, added or deleted"
    finally:
        plugin.preview.stop()
    german.write_text(german.read_text().replace(", sagt der Wombat", ""))
    os.utime(german, ns=(german_stamp, german_stamp))  # as at the save: its page's date is the file's
    full = tmp_path / "full"
    config = preview_build(project / "mkdocs.yml", full, "build")
    expected = site_files(full)
    assert sorted(after_save) == sorted(expected)
    assert [rel for rel in expected if after_save[rel] != expected[rel]] == []
    assert output_after_save == _output_files(config.plugins["carebase"].site_data)
