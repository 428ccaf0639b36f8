"""The search API as the feedback service mounts it, over the demo help centre (content/)."""

from pathlib import Path

import pytest

from carebase.service.app import create_app
from carebase.service.config import ServiceConfig
from tiers_testkit import real_build
from web_testkit import serve_asgi

DEMO = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
@real_build
def service(tmp_path_factory):
    from carebase.content import load_catalogue
    from carebase.output import open_output

    tmp = tmp_path_factory.mktemp("service")
    open_output(tmp / "site-data", load_catalogue(DEMO))  # what `carebase build` writes beside the site
    app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp}/feedback.db", site_data=str(tmp / "site-data")))
    with serve_asgi(app, lifespan="on") as client:
        yield client


def test_typo_reaches_the_refund_article_through_the_service(service):
    body = service.get("/api/v1/search", params={"q": "refnd"}).json()
    assert body["suggestion"] == "refund"
    assert body["hits"][0]["id"] == "article:billing/refunds"


def test_synonym_from_the_demo_synonyms_file(service):
    # "unsubscribe" is grouped with "cancel" in content/synonyms.yml
    body = service.get("/api/v1/search", params={"q": "unsubscribe"}).json()
    assert body["hits"][0]["id"] == "article:billing/cancel-lumo-plus"


def test_video_filter_returns_chapters_with_timestamps(service):
    body = service.get("/api/v1/search", params={"q": "wifi", "type": "video"}).json()
    assert body["hits"] and all(h["kind"] == "video" for h in body["hits"])
    assert any("#t=" in h["url"] for h in body["hits"])


def test_bad_type_is_400_through_the_service(service):
    r = service.get("/api/v1/search", params={"q": "wifi", "type": "pdf"})
    assert r.status_code == 400 and r.json()["field"] == "type"


def test_semantic_switch_without_vectors_degrades_to_lexical(tmp_path, monkeypatch):
    from carebase.output import open_output
    from search_testkit import help_centre

    output = open_output(tmp_path / "site-data", help_centre())  # written without the switch: no vectors
    monkeypatch.setenv("CAREBASE_SEARCH_SEMANTIC", "1")
    searcher = open_output(tmp_path / "site-data").searcher()
    assert output.vectors() is None and searcher.semantic is None
    assert searcher.search("refnd").hits[0].id == "article:billing/refunds"
