"""Word forms the stemmer does not join are found by search (carebase.text.forms): "my card
was frozen" finds the article that says "Freeze your card", on the service's index and on the
site's client index (search-index.js in node)."""

from __future__ import annotations

import pytest
from search_testkit import help_centre

from carebase.search.index import build_index, open_index
from carebase.search.query import Searcher

#: (query, the article it is about): each query has a word only in another form than the article's
QUERIES = [
    ("my card was frozen", "article:cards/lost-card"),        # "Freeze your card"
    ("they sent my new card", "article:cards/lost-card"),    # "We send the new card"
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    catalogue = help_centre()
    folder = tmp_path_factory.mktemp("forms-ix")
    build_index(catalogue, folder)
    return Searcher(open_index(folder), catalogue)


@pytest.mark.parametrize("query,target", QUERIES)
def test_a_query_in_another_form_finds_the_article_first(searcher, query, target):
    res = searcher.search(query, limit=5)
    assert res.hits and res.hits[0].id == target, [h.id for h in res.hits]
    assert res.suggestion is None  # understood, not "corrected"


def test_a_past_tense_alone_finds_the_articles_of_its_verb(searcher):
    res = searcher.search("I was paid", limit=5)  # "When we pay you back", "Apple Pay"
    assert "article:billing/refunds" in [h.id for h in res.hits[:2]]


def test_the_snippet_marks_the_articles_own_form(searcher):
    hit = searcher.search("card frozen", limit=1).hits[0]
    assert "<mark>Freeze</mark>" in hit.snippet
