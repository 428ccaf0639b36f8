"""Translations: the same items in another language, checked by `carebase check` (missing and
stale ones with their file and line) and started / recorded with `carebase translate`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_testkit import run_carebase

from carebase.content.languages import Languages, read_languages, split_name, translation_of
from carebase.content.translations import load_languages

BILINGUAL = Path(__file__).parent / "fixtures" / "bilingual"


@pytest.fixture
def site(tmp_path) -> Path:
    """The bilingual fixture with every translation's revision recorded, then the English
    invoices article edited (its German translation is stale)."""
    shutil.copytree(BILINGUAL, tmp_path / "site")
    root = tmp_path / "site"
    done = run_carebase("translate", "done", "content/billing/refunds.de.md", "content/billing/invoices.de.md",
                        "content/faq/billing.de.yml", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "content/billing/refunds.de.md: recorded the source's current revision (1 item)" in done.stdout
    invoices = root / "content" / "billing" / "invoices.md"
    invoices.write_text(invoices.read_text().replace("Every invoice", "Every invoice and receipt"))
    return root


def test_translation_names():
    assert split_name("billing/refunds.de.md") == ("billing/refunds.md", "de")
    assert split_name("faq/billing.pt-BR.yml") == ("faq/billing.yml", "pt-BR")
    assert split_name("notes.v2.md") == ("notes.v2.md", "")  # not a language code
    assert split_name("videos/media/clip.en.vtt") == ("videos/media/clip.en.vtt", "")  # not an item file
    # a language code is a translation beside its source, or in a configured language
    assert translation_of("release.it.md", {"release.it.md"}) == ("release.it.md", "")
    assert translation_of("release.it.md", {"release.it.md", "release.md"}) == ("release.md", "it")
    assert translation_of("orphan.de.md", {"orphan.de.md"}, ("de",)) == ("orphan.md", "de")


def test_languages_setting():
    assert read_languages(["en", "de"]) == (Languages(("en", "de")), [])
    assert read_languages(None, "de")[0].default == "de"  # one language: the theme's
    languages, complaints = read_languages(["en", "pt_BR", "xx", "en"])
    assert languages.codes == ("en",)
    assert complaints == [
        "languages[1]: expected a language code such as 'en', 'de' or 'pt-BR' (write 'pt-BR'), found 'pt_BR'",
        "languages[2]: expected a language code such as 'en', 'de' or 'pt-BR', found 'xx'",
        "languages[3]: expected each language once, found 'en' again"]


def test_a_translation_is_the_same_item_in_another_language(site):
    ml = load_languages(site / "content", Languages(("en", "de")))
    de = ml.catalogues["de"].published()
    refunds = de.get("article:billing/refunds")
    assert (refunds.title, refunds.url, refunds.lang, refunds.path) == (
        "Erstattungen", "de/billing/refunds/", "de", "billing/refunds.de.md")
    # FAQ questions keep their anchors; the one that names none is left out with an error
    assert [(q.id, q.url) for g in de.faqs for q in g.questions] == [
        ("faq:billing#pay-by-invoice", "de/faq/billing/#pay-by-invoice")]
    assert de.category("billing").title == "Abrechnung"
    assert set(ml.versions("article:billing/refunds")) == {"en", "de"}
    assert ml.default.get("article:billing/refunds.de") is None  # never an English item of its own


def test_check_reports_stale_and_missing_translations_with_file_and_line(site):
    result = run_carebase("check", "content", cwd=site)
    out = result.stdout
    assert result.returncode == 1  # the two errors; stale and missing translations alone never fail
    assert ("content/billing/invoices.de.md:4: source_revision: expected "
            in out and "(the text of billing/invoices.md now), found " in out)
    assert "then run 'carebase translate done content/billing/invoices.de.md' [stale translation]" in out
    assert ("content/billing/orphan.de.md:2: expected a translation of billing/orphan.md, found no such item"
            in out)
    assert ("content/faq/billing.de.yml:8: questions[1].id: expected the anchor of the question it translates in "
            "faq/billing.yml (by position, 'do-you-store-my-card'), found 'speichern-sie-meine-karte'" in out)
    assert "Translations: German (de) 2 of 5 items current, 1 stale, 2 missing." in out
    assert "content/billing/cancel.md" not in out  # missing ones are counted unless asked for

    listed = run_carebase("check", "content", "--missing", "de", cwd=site).stdout
    assert ("content/billing/cancel.md:2: de: expected a German translation (content/billing/cancel.de.md), "
            "found none; 'carebase translate start content/billing/cancel.md --to de' starts one "
            "[missing translation]") in listed
    assert "content/faq/billing.yml:7: de: expected a German translation" in listed

    data = json.loads(run_carebase("check", "content", "--format", "json", cwd=site).stdout)
    de = data["translations"]["de"]
    assert (de["items"], de["current"], len(de["missing"])) == (5, 2, 2)
    assert [(s["file"], s["line"]) for s in de["stale"]] == [("content/billing/invoices.de.md", 4)]
    github = run_carebase("check", "content", "--format", "github", cwd=site).stdout
    assert "::notice file=content/billing/invoices.de.md,line=4,title=carebase check%3A stale translation (de)::" \
        in github


def test_translations_alone_pass_a_strict_check(site):
    (site / "content" / "billing" / "orphan.de.md").unlink()
    faq = site / "content" / "faq" / "billing.de.yml"
    faq.write_text(faq.read_text().replace("  - question: Speichern", "  - id: do-you-store-my-card\n"
                                                                     "    question: Speichern"))
    result = run_carebase("check", "content", "--strict", cwd=site)
    assert result.returncode == 0, result.stdout
    assert "2 stale, 1 missing" in result.stdout  # the question given its anchor records no revision yet


def test_translate_start_then_done(site):
    started = run_carebase("translate", "start", "content/billing/cancel.md", "--to", "de", cwd=site)
    assert started.returncode == 0, started.stderr
    copy = (site / "content" / "billing" / "cancel.de.md").read_text()
    assert copy.startswith("---\ntitle: Cancel your plan\ndraft: true\nsource_revision: ")
    assert "1 stale, 2 missing" in run_carebase("check", "content", cwd=site).stdout  # a draft is not published
    again = run_carebase("translate", "start", "content/billing/cancel.md", "--to", "de", cwd=site)
    assert again.returncode == 1 and "content/billing/cancel.de.md exists already" in again.stderr

    (site / "content" / "faq" / "billing.de.yml").unlink()
    run_carebase("translate", "start", "content/faq/billing.yml", "--to", "de", cwd=site)
    faq = (site / "content" / "faq" / "billing.de.yml").read_text()
    assert "  - question: Do you store my card?\n    id: do-you-store-my-card\n    source_revision: " in faq

    before = (site / "content" / "billing" / "invoices.de.md").read_bytes()
    done = run_carebase("translate", "done", "content/billing/invoices.de.md", cwd=site)
    after = (site / "content" / "billing" / "invoices.de.md").read_bytes()
    assert done.returncode == 0
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 1 and changed[0][1].startswith(b"source_revision: ")  # one line, the rest as it was
    assert "0 stale" in run_carebase("check", "content", cwd=site).stdout


def test_translate_done_says_when_a_translation_records_the_current_revision_already(site):
    """`translate done --dry-run` on a current translation once printed nothing at all (an
    empty diff); it says so, and the stale one still shows its diff."""
    current = run_carebase("translate", "done", "content/billing/refunds.de.md", "--dry-run", cwd=site)
    assert current.returncode == 0, current.stderr
    assert current.stdout == ("content/billing/refunds.de.md: records the source's current revision "
                              "already; nothing would change.\n")
    stale = run_carebase("translate", "done", "content/billing/invoices.de.md", "--dry-run", cwd=site)
    assert stale.stdout.startswith("--- a/billing/invoices.de.md") and "+source_revision: " in stale.stdout
    again = run_carebase("translate", "done", "content/billing/refunds.de.md", cwd=site)
    assert again.returncode == 0 and "nothing changed" in again.stdout


def test_translations_in_an_unlisted_language_are_not_published(site):
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text().replace("[en, de]", "[en]"))
    out = run_carebase("check", "content", cwd=site).stdout
    assert ("content/billing/refunds.de.md: expected a language of the site (en), found 'de' (German): this "
            "translation is not published; add 'de' to 'languages'") in out
    assert "Translations:" not in out
