"""Search per language: each language's items in an index of their own, analysed as that
language (German stems, umlauts typed or not, typos), never mixed with another's."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from carebase.content.languages import Languages
from carebase.content.translations import load_languages
from carebase.pages.search_shards import build_search_shards
from carebase.search.index import build_index
from carebase.search.query import Searcher

BILINGUAL = Path(__file__).resolve().parents[1] / "content" / "fixtures" / "bilingual" / "content"


@pytest.fixture(scope="module")
def searchers(tmp_path_factory):
    ml = load_languages(BILINGUAL, Languages(("en", "de"))).published()
    out = {}
    for lang, catalogue in ml.catalogues.items():
        folder = tmp_path_factory.mktemp(f"index-{lang}")
        out[lang] = Searcher(build_index(catalogue, folder), catalogue)
    return out


def test_german_words_with_umlauts_typos_and_inflections_find_the_german_item(searchers):
    de = searchers["de"]
    assert de.language == "de"
    for query in ("Rückerstattung", "Rueckerstattung", "ruckerstatung", "Erstattungen", "erstatten"):
        hits = de.search(query).hits
        assert hits and hits[0].id == "article:billing/refunds", query
        assert hits[0].url == "de/billing/refunds/"
    typo = de.search("Rückerstatung")  # one letter missing: corrected within the German words
    assert typo.suggestion == "rückerstattung"  # shown as the help centre writes it, umlaut and all
    assert "<mark>Rückerstattung</mark>" in typo.hits[0].snippet
    assert "<mark>Rechnungen</mark>" in de.search("Rechnung").hits[0].snippet


def test_languages_never_mix(searchers):
    assert searchers["en"].search("Rechnungen").hits == []
    assert all(h.url.startswith("de/") for h in searchers["de"].search("Jahrestarife Rechnung").hits)
    assert searchers["de"].search("invoices").hits == []
    assert searchers["en"].search("invoices").hits[0].url == "billing/invoices/"


def test_client_shards_carry_the_languages_rules(tmp_path):
    ml = load_languages(BILINGUAL, Languages(("en", "de"))).published()
    meta = build_search_shards(ml.catalogues["de"], tmp_path)
    assert meta["analyser"]["language"] == "de" and meta["analyser"]["stemmer"] == "snowball-german"
    shard = json.loads((tmp_path / "t-ru.json").read_text())
    assert "ruckerstatt" in shard["t"]  # Rückerstattung, folded and stemmed as the browser will
    docs = json.loads((tmp_path / "d-0.json").read_text())
    assert {d[3] for d in docs} >= {"de/billing/refunds/", "de/faq/billing/#pay-by-invoice"}


@pytest.mark.slow  # runs Node
def test_english_everyday_words_on_the_german_pages_are_not_corrected(tmp_path):
    """A German help centre's customers type English product words: on the demo's German pages
    "factory reset" was "corrected" to *faktor reset* (no German page has the factory reset), by
    the service and by the client index alike. English everyday words are now searched as typed
    on every language's pages; a German typo is still corrected, on both sides."""
    import sys

    kit = str(Path(__file__).resolve().parents[1] / "sitesearch")
    if kit not in sys.path:
        sys.path.insert(0, kit)
    from sitesearch_testkit import suggestions_in_node

    demo = Path(__file__).resolve().parents[2] / "content"
    german = load_languages(demo, Languages(("en", "de"))).published().catalogues["de"]
    expected = {"factory reset": None, "battery": None, "Baterie": "batterie", "Bildschirm flakert": "Bildschirm flackert"}
    service = Searcher(build_index(german, tmp_path / "ix"), german)
    assert {q: service.search(q).suggestion for q in expected} == expected
    build_search_shards(german, tmp_path / "shards")
    assert suggestions_in_node(tmp_path / "shards", list(expected)) == expected


def test_english_product_words_on_the_german_pages_find_the_german_page():
    """A German help centre's customers type English product words. On the demo's German pages
    "factory reset" had 0 strong matches and only unrelated weaker ones: no German page was
    about it (the English article was not translated), no German synonym knew the English
    words, and the default embedding model is English-only (cosines of 0.18 at most to German
    text). The German translation and content/synonyms.de.yml put the English product words
    beside the German ones."""
    demo = Path(__file__).resolve().parents[2] / "content"
    german = load_languages(demo, Languages(("en", "de"))).published().catalogues["de"]
    with tempfile.TemporaryDirectory() as tmp:
        service = Searcher(build_index(german, Path(tmp) / "ix"), german)
        expected = {"factory reset": "article:troubleshooting/factory-reset",
                    "Werkseinstellungen": "article:troubleshooting/factory-reset",
                    "battery low": "article:troubleshooting/battery-low-warning",
                    "refund": "article:billing/refunds", "invoice": "article:billing/invoices-and-receipts",
                    "hot water": "article:comfort-and-schedules/hot-water-control",
                    "wifi": "faq:devices#which-wifi"}
        for query, item in expected.items():
            res = service.search(query)
            strong = [h.id for h in res.hits if h.strong]
            assert item in strong[:2] and res.hits[0].url.startswith("de/"), (query, strong)


@pytest.mark.slow  # runs Node
def test_a_translation_is_found_by_its_english_source_s_words_without_a_synonyms_file(tmp_path):
    """A German customer types the English product word. Before, a German page was found by
    it only when a writer had put the word in the German text or a hand-made synonyms.de.yml
    named it: with no German synonyms, "wipe", "flickering" and "trim plate" (words of the
    English sources' keywords and titles only) found no German page. The German index now
    holds each translation's source's title and keywords as a weak field (the body's weight),
    without English stop words; German words still rank the German page first."""
    from dataclasses import replace

    demo = Path(__file__).resolve().parents[2] / "content"
    ml = load_languages(demo, Languages(("en", "de"))).published()
    english, german = ml.catalogues["en"], replace(ml.catalogues["de"], synonyms=())
    expected = {"wipe": "article:troubleshooting/factory-reset",
                "restore defaults": "article:troubleshooting/factory-reset",
                "flickering": "article:troubleshooting/display-flickering",
                "trim plate": "article:installation/mounting-plate-and-trim",
                "immersion": "article:comfort-and-schedules/hot-water-control"}
    without = Searcher(build_index(german, tmp_path / "without"), german)
    service = Searcher(build_index(german, tmp_path / "ix", source=english), german)
    for query, item in expected.items():
        assert [h.id for h in without.search(query).hits if h.strong][:1] != [item], query
        res = service.search(query)
        strong = [h.id for h in res.hits if h.strong]
        assert strong[:1] == [item] and res.hits[0].url.startswith("de/"), (query, strong)
    # German words rank as before: the German page first, found by its own words
    assert service.search("Werkseinstellungen").hits[0].id == "article:troubleshooting/factory-reset"
    # the English stop words of the source's title are not indexed ("your" in "Factory reset your Lumo")
    assert not [h for h in service.search("your").hits if h.id == "article:troubleshooting/factory-reset"]
    # the browser's client index is written from the same records: it finds the page too
    import sys

    kit = str(Path(__file__).resolve().parents[1] / "sitesearch")
    if kit not in sys.path:
        sys.path.insert(0, kit)
    from sitesearch_testkit import strong_in_node

    build_search_shards(german, tmp_path / "shards", source=english)
    found = strong_in_node(tmp_path / "shards", list(expected))
    assert {q: ids[:1] for q, ids in found.items()} == {q: [item] for q, item in expected.items()}, found


def _fresh_analysers(monkeypatch) -> list[tuple[str, str]]:
    """Searchers opened from now on get analysers that hold no word-forms table yet (as in a
    process just started); returns the list of the tables made or read from the cache folder."""
    from carebase.search import query
    from carebase.text import analyser as analyser_module
    from carebase.text import forms

    fresh = {}
    monkeypatch.setattr(query, "analyser_for", lambda lang: fresh.setdefault(lang, analyser_module.analyser_for.__wrapped__(lang)))
    asked: list[tuple[str, str]] = []
    made = forms.table

    def table(analyser, raw_stem, language):
        asked.append((analyser.language, language))
        return made(analyser, raw_stem, language)

    monkeypatch.setattr(forms, "table", table)
    return asked


def test_a_german_searcher_reads_the_word_forms_kept_beside_its_index(searchers, monkeypatch):
    """The first German question with a separated verb ("wie setze ich … zurück") needs simplemma's
    German forms (carebase.text.separable: ~4.3 s of CPU to make). The index keeps them beside it
    (``forms.write_beside``): a searcher opening it reads them there, never from the cache folder
    and never made, and its customers' searches read nothing more. Fails before they were kept
    there: the warm-up read the cache's table (or made it)."""
    from carebase.search.index import open_index
    from carebase.text import forms

    asked = _fresh_analysers(monkeypatch)
    folder = Path(searchers["de"].index.storage.folder)
    assert (folder / forms.BESIDE).is_file()
    de = Searcher(open_index(folder)).warm()
    assert de.analyser.has_table("de") and asked == []
    assert de.search("wie setze ich das konto zurück").hits
    en = Searcher(open_index(Path(searchers["en"].index.storage.folder))).warm()
    assert en.analyser.has_table("en") and not en.analyser.has_table("de") and asked == []


def test_word_forms_beside_an_index_under_other_rules_are_not_read(searchers, monkeypatch, tmp_path):
    """A table kept beside an index by another carebase (other rules, another simplemma or
    dictionary: another fingerprint in its first line) or damaged is not read: the warm-up reads
    the cache folder's or makes it, as before."""
    import gzip
    import shutil

    from carebase.search.index import open_index
    from carebase.text import forms

    source = Path(searchers["de"].index.storage.folder)
    for name, damage in (("other-rules", lambda text: text.replace(" de ", " de 0", 1)),
                         ("a-line-that-is-no-form", lambda text: text + "\nnot a form"),
                         ("not-gzip", None)):
        folder = tmp_path / name
        shutil.copytree(source, folder)
        kept = folder / forms.BESIDE
        if damage is None:
            kept.write_bytes(b"frozen\tfreeze")
        else:
            kept.write_bytes(gzip.compress(damage(gzip.decompress(kept.read_bytes()).decode()).encode()))
        asked = _fresh_analysers(monkeypatch)
        de = Searcher(open_index(folder))
        assert not de.analyser.has_table("de") and asked == [], name
        de.warm()
        assert asked == [("de", "de")], name
        monkeypatch.undo()
