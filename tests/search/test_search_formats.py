"""The index is written from text analysed once (``formats.py``, ``index.py``): the same
postings and spelling vocabulary as Whoosh's own token-by-token path gave."""

from __future__ import annotations

from collections import Counter

from whoosh.formats import Positions

from carebase.search.formats import AnalysedPositions
from carebase.search.index import read_meta
from carebase.search.records import catalogue_records
from carebase.search.schema import FIELD_BOOSTS, SEARCH_FIELDS, text_analyzer, word_analyzer
from carebase.text import analyser_for

TEXTS = [
    "How do I get a refund? The refund arrives in 5 days; refunds of a refund... I'm not sure.",
    "Über die Rückerstattung: für Bestellungen, die Straße entlang, und die Rückerstattung.",
    "返金の手続き 返金 について",
    "",
    "a an the of",
]


def test_analysed_positions_write_what_whoosh_positions_write():
    for language in ("en", "de", "ja"):
        for stem in (True, False):
            ana = text_analyzer(language) if stem else word_analyzer(language)
            for text in TEXTS:
                whoosh_own = list(Positions(field_boost=1.5).word_values(text, ana))
                from_text = list(AnalysedPositions(field_boost=1.5).word_values(text, ana))
                from_terms = list(AnalysedPositions(field_boost=1.5).word_values(ana.terms(text), ana))
                assert from_text == whoosh_own == from_terms, (language, stem, text)


def test_the_index_holds_each_fields_terms_and_the_words_of_all_text(demo_index):
    """The demo index's postings are those of its text analysed token by token; the spelling
    vocabulary is every word of a record's text with its document count."""
    from carebase.search.index import open_index

    catalogue, folder = demo_index
    records = list(catalogue_records(catalogue))
    ana = text_analyzer("en")
    words = analyser_for("en").words
    expected = Counter(word for rec in records for word in set(words(rec.text())))
    assert read_meta(folder)["spell"] == dict(expected)
    with open_index(folder).searcher() as s:
        docnum = {s.stored_fields(d)["key"]: d for d in range(s.doc_count_all())}
        for rec in records[:12]:
            d = docnum[rec.key]
            stored = s.stored_fields(d)
            assert (stored["title"], stored["body"]) == (rec.title, rec.body)
            for field in SEARCH_FIELDS:
                terms = [t.text for t in ana(getattr(rec, field), positions=True)]  # token by token
                for term in set(terms):
                    m = s.postings(field, term)
                    m.skip_to(d)
                    assert m.id() == d
                    assert m.value_as("positions") == [p for p, t in enumerate(terms) if t == term]
                    assert m.weight() == terms.count(term) * FIELD_BOOSTS[field]
