"""Word derivations the stemmer does not join are found by search (carebase.text.derivations,
through the word-forms table): "verification" finds the article that says "verify",
"fraudulent" the one that says "fraud", the American "recognize" the British "recognise", on
the service's index and on the site's client index (search-index.js in node). Each query
below found nothing of its article's before (its word and the article's had two stems)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from search_testkit import _article

from carebase.content.model import Catalogue
from carebase.pages.search_shards import build_search_shards
from carebase.search.index import build_index, open_index
from carebase.search.query import Searcher

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sitesearch"))
from sitesearch_testkit import search_in_node  # noqa: E402

#: (query, the article it is about): each query's word is a derivation of the article's
QUERIES = [
    ("verification", "article:account/verify"),             # "Verify who you are"
    ("identification documents", "article:account/verify"),  # "identify yourself"
    ("fraudulent", "article:cards/fraud"),                   # "Report fraud"
    ("recognize", "article:payments/unknown"),               # "don't recognise"
]


def catalogue() -> Catalogue:
    return Catalogue(root="content", articles=(
        _article("account/verify.md", "Verify who you are",
                 "Before your first transfer we ask you to identify yourself: take a photo of a passport."),
        _article("cards/fraud.md", "Report fraud on your card",
                 "Freeze the card in the app and tell us which payments you did not make."),
        _article("payments/unknown.md", "A payment you don't recognise",
                 "Look at the shop's name in the app: it is often the company behind the shop."),
        _article("cards/app.md", "Using the app",
                 "Download the app early: tap Cards, then Apply for a new card."),
    ))


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("derivations-ix")
    build_index(catalogue(), folder)
    return Searcher(open_index(folder), catalogue())


@pytest.mark.parametrize("query,target", QUERIES)
def test_a_derived_word_finds_the_article_of_its_base_word(searcher, query, target):
    res = searcher.search(query, limit=5)
    assert res.hits and res.hits[0].id == target, [h.id for h in res.hits]
    assert res.suggestion is None  # understood, not "corrected"


@pytest.mark.slow  # runs Node
def test_the_client_index_finds_them_as_the_service_does(tmp_path):
    meta = build_search_shards(catalogue(), tmp_path)
    found = search_in_node(tmp_path, [q for q, _ in QUERIES])
    for query, target in QUERIES:
        assert found[query] and found[query][0].endswith(target.split(":")[1] + "/"), (query, found[query])
    assert {"verification", "identification", "fraudulent", "recognise"} <= meta["analyser"]["forms"].keys()
