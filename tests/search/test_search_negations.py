"""Negations: the report's wording key keeps them (carebase.report.normalise: "card doesn't work"
is not "card works"), search reads them as it always has: "don't", "didn't", "doesn't" are stop
words, "can't" and "isn't" words an article rarely holds, so a customer's "can't log in" still
finds *Log in to your account* first, on the service's index and the site's client index alike."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from search_testkit import _article
from tiers_testkit import real_build

from carebase.content.model import Catalogue
from carebase.pages.search_shards import build_search_shards
from carebase.search.index import build_index, open_index
from carebase.search.query import Searcher
from carebase.text import analyser_for

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sitesearch"))
from sitesearch_testkit import search_in_node  # noqa: E402

QUERIES = [
    ("can't log in", "article:account/log-in"),
    ("I cannot log in to my account", "article:account/log-in"),
    ("my card doesn't work", "article:cards/card-not-working"),
    ("card isn't working", "article:cards/card-not-working"),
    ("didn't get my refund", "article:payments/refunds"),
]


def catalogue() -> Catalogue:
    return Catalogue(root="content", articles=(
        _article("account/log-in.md", "Log in to your account", "Open the app and log in with your e-mail address."),
        _article("cards/card-not-working.md", "Card not working", "A card that does not work in a shop: check it is frozen."),
        _article("payments/refunds.md", "Get a refund", "A refund reaches your account in five days."),
        _article("cards/order.md", "Order a card", "Order a new card in the app."),
    ))


@pytest.fixture(scope="module")
@real_build
def searcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("negations-ix")
    build_index(catalogue(), folder)
    return Searcher(open_index(folder), catalogue())


@pytest.mark.parametrize("query,target", QUERIES)
def test_a_search_with_a_negation_finds_its_article_first(searcher, query, target):
    res = searcher.search(query, limit=5)
    assert res.hits and res.hits[0].id == target, [h.id for h in res.hits]


def test_the_client_index_finds_them_as_the_service_does_and_its_rules_carry_no_key_rule(tmp_path):
    meta = build_search_shards(catalogue(), tmp_path)
    assert "negations" not in meta["analyser"] and meta["analyser"]["stop"] == sorted(analyser_for("en").stop_words)
    found = search_in_node(tmp_path, [q for q, _ in QUERIES])
    for query, target in QUERIES:
        assert found[query] and found[query][0].endswith(target.split(":")[1] + "/"), (query, found[query])
