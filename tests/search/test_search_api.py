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


@pytest.fixture(scope="module")
def placed_api(tmp_path_factory):
    """The search API as the service mounts it: with the catalogue its index was written from."""
    folder = tmp_path_factory.mktemp("search-index-placed")
    catalogue = help_centre()
    build_index(catalogue, folder)
    searcher = Searcher(open_index(folder))
    app = Starlette(routes=routes(lambda: searcher, catalogue=lambda: catalogue))
    with serve_asgi(app, lifespan="off") as client:
        yield client


def test_each_hit_says_where_it_sits_and_a_chapter_names_its_video(placed_api):
    """Fails on the old code (issue 15: a video's chapters under their video, a category path on
    each result): hits had neither ``path`` nor ``chapter``, so a client could not list a
    chapter under its video, nor show "Cards › …" on a result. The fields are added: every
    field an existing client reads is unchanged."""
    body = placed_api.get("/api/v1/search", params={"q": "add money", "type": "video"}).json()
    chapter = body["hits"][0]
    assert chapter["url"] == "videos/getting-started/#t=95" and chapter["id"] == "video:getting-started"
    assert chapter["title"] == "Getting started with the app: Topping up your account"  # as before
    assert chapter["chapter"] == {"title": "Topping up your account", "start": 95, "video": {
        "id": "video:getting-started", "title": "Getting started with the app", "url": "videos/getting-started/"}}
    assert chapter["path"] == ["Account", "Getting started with the app"]
    # its snippet is its own words, not the video's summary
    assert "Add money" in chapter["snippet"].replace("<mark>", "").replace("</mark>", "")
    assert "tour of the app" not in chapter["snippet"]
    whole = next(h for h in body["hits"] if h["url"] == "videos/getting-started/")
    assert whole["chapter"] is None and whole["path"] == ["Account"]
    faq = placed_api.get("/api/v1/search", params={"q": "apple pay"}).json()["hits"][0]
    assert faq["id"] == "faq:cards#can-i-use-apple-pay"
    # its category, then its FAQ page, unless named as its category: never "Cards › Cards"
    # (fails on the old code: ["Cards", "Cards"])
    assert faq["path"] == ["Cards"] and faq["chapter"] is None
    article = placed_api.get("/api/v1/search", params={"q": "refnd"}).json()["hits"][0]
    assert article["path"] == ["Billing"] and article["category"] == "Billing" and article["chapter"] is None
    assert set(article) >= {"id", "kind", "title", "url", "category", "snippet", "score", "strong"}
    # each step's page, so a client links it (session 40; fails on the old code: no path_urls):
    # the category's page, the FAQ page (none here: named as its category), the chapter's video
    assert chapter["path_urls"] == ["account/", "videos/getting-started/"] and whole["path_urls"] == ["account/"]
    assert faq["path_urls"] == ["cards/"] and article["path_urls"] == ["billing/"]
    from carebase.service.openapi import openapi_document

    documented = openapi_document()["paths"]["/api/v1/search"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"]["properties"]["hits"]["items"]["properties"]
    assert set(article) == set(documented)  # every field the API answers is in the OpenAPI document
    assert set(documented["chapter"]["properties"]) == set(chapter["chapter"])


def test_a_chapter_without_words_of_its_own_shows_no_snippet_not_its_videos_summary(tmp_path):
    """Fails on the old code: a chapter without a transcript showed its video's summary, the
    same text on every chapter of it ("zigbee": 5 of the first 8 weaker rows, each with the
    video's summary), on the service's results and the client index's alike. Its title says
    what it is; the video's row shows the summary once."""
    from dataclasses import replace

    from carebase.pages.search_shards import _item_text
    from carebase.search.records import video_records

    build_index(help_centre(), tmp_path)
    searcher = Searcher(open_index(tmp_path))
    chapter = {"kind": "video", "start": 220, "body": "", "summary": "The home screen, history and settings."}
    assert searcher.snippet(chapter, {"notif"}) == ""
    assert searcher.snippet(dict(chapter, start=-1), set()) == "The home screen, history and settings."  # the video
    said = {"kind": "video", "start": 95, "body": "To top up, tap Add money.", "summary": "A tour of the app."}
    assert "top up" in searcher.snippet(said, {"zzz"})  # a chapter's own words, even unmarked
    video = help_centre().videos[0]
    silent = list(video_records(replace(video, transcript=())))
    assert _item_text(silent[0]) == video.summary and [_item_text(r) for r in silent[1:]] == ["", ""]
