"""The search API over real HTTP: a uvicorn server on 127.0.0.1 serving routes_search."""

import pytest
from starlette.applications import Starlette

from carebase.search.index import build_index, open_index
from carebase.search.query import Searcher
from carebase.service.routes_search import routes
from search_testkit import help_centre
from web_testkit import serve_asgi


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search-index")
    build_index(help_centre(), folder)
    searcher = Searcher(open_index(folder))  # as the service opens it: synonyms from the folder
    app = Starlette(routes=routes(lambda: searcher))
    with serve_asgi(app, lifespan="off") as client:
        yield client


def test_typo_finds_the_refund_article_and_suggests_the_fix(api):
    r = api.get("/api/v1/search", params={"q": "refnd"})
    assert r.status_code == 200
    body = r.json()
    assert body["hits"][0]["id"] == "article:billing/refunds"
    assert body["hits"][0]["url"] == "billing/refunds/"
    assert body["suggestion"] == "refund"
    assert "<mark" in body["hits"][0]["snippet"]


def test_synonym_finds_an_item_that_never_uses_the_word(api):
    # "terminate" appears nowhere in the content; synonyms.yml groups it with "close".
    body = api.get("/api/v1/search", params={"q": "terminate my account"}).json()
    assert body["hits"][0]["id"] == "article:account/close"
    assert body["suggestion"] is None
    # a phrase synonym: "money back" → refund
    body = api.get("/api/v1/search", params={"q": "reimburse"}).json()
    assert body["hits"][0]["id"] == "article:billing/refunds"


def test_video_chapter_is_its_own_hit_with_a_timestamp_link(api):
    body = api.get("/api/v1/search", params={"q": "add money", "type": "video"}).json()
    assert body["hits"][0]["url"] == "videos/getting-started/#t=95"
    assert body["hits"][0]["id"] == "video:getting-started"
    assert {h["kind"] for h in body["hits"]} == {"video"}


def test_type_filter_and_counts_per_kind(api):
    everything = api.get("/api/v1/search", params={"q": "card"}).json()
    assert everything["counts"]["article"] >= 2 and everything["counts"]["faq"] == 2
    assert everything["total"] == sum(everything["counts"].values())
    faqs = api.get("/api/v1/search", params={"q": "card", "type": "faq"}).json()
    assert {h["kind"] for h in faqs["hits"]} == {"faq"}
    assert faqs["total"] == 2 and faqs["counts"] == everything["counts"]
    one = api.get("/api/v1/search", params={"q": "card", "limit": "1"}).json()
    assert len(one["hits"]) == 1 and one["total"] == everything["total"]


def test_snippet_is_escaped_html_with_marks(api):
    hit = api.get("/api/v1/search", params={"q": "minimum euros"}).json()["hits"][0]
    assert hit["id"] == "article:transfers/international"
    assert "&amp; a <mark>minimum</mark>" in hit["snippet"] and "&lt; 100" in hit["snippet"]


@pytest.mark.parametrize("params, field", [
    ({}, "q"),
    ({"q": "   "}, "q"),
    ({"q": "x" * 201}, "q"),
    ({"q": "card", "type": "podcast"}, "type"),
    ({"q": "card", "limit": "ten"}, "limit"),
    ({"q": "card", "limit": "0"}, "limit"),
    ({"q": "card", "limit": "500"}, "limit"),
    ({"q": "card", "sort": "date"}, "sort"),
])
def test_bad_parameters_are_400_naming_the_field(api, params, field):
    r = api.get("/api/v1/search", params=params)
    assert r.status_code == 400
    assert r.json()["field"] == field
    assert field in r.json()["error"]


def test_related_items(api):
    r = api.get("/api/v1/related", params={"id": "cards/lost-card".join(["article:", ""])})
    assert r.status_code == 200
    related = r.json()["related"]
    assert "article:cards/activate" in related[:3]
    assert "article:cards/lost-card" not in related
    assert api.get("/api/v1/related", params={"id": "article:nope"}).status_code == 404


def test_no_index_configured_is_503_not_a_crash():
    with serve_asgi(Starlette(routes=routes(lambda: None))) as client:
        r = client.get("/api/v1/search", params={"q": "card"})
        related = client.get("/api/v1/related", params={"id": "article:cards/activate"})
    assert r.status_code == 503 and "--site-data" in r.json()["error"]
    assert related.status_code == 503
