"""The search API notices a rebuilt index in its index_dir and answers from the new one."""

import dataclasses

import pytest
from starlette.applications import Starlette

from carebase.content.model import Article
from carebase.search.index import META_FILE, build_index
from carebase.service import routes_search
from search_testkit import help_centre
from web_testkit import serve_asgi


class _Config:
    content_dir = None
    index_dir = None


@pytest.fixture()
def served(tmp_path, monkeypatch):
    monkeypatch.setattr(routes_search, "RELOAD_CHECK_SECONDS", 0.0)
    build_index(help_centre(), tmp_path / "ix")
    config = _Config()
    config.index_dir = str(tmp_path / "ix")
    app = Starlette(routes=routes_search.routes(config))
    with serve_asgi(app, lifespan="off") as client:
        yield client, tmp_path / "ix"


def test_rebuilt_index_is_searched_without_a_restart(served):
    client, folder = served
    assert client.get("/api/v1/search", params={"q": "hovercraft"}).json()["total"] == 0
    catalogue = help_centre()
    new = Article(id="article:travel/hovercraft", path="travel/hovercraft.md", title="Paying on a hovercraft",
                  body="Card payments on board a hovercraft work offline.", body_line=3, category="travel")
    build_index(dataclasses.replace(catalogue, articles=catalogue.articles + (new,)), folder)
    body = client.get("/api/v1/search", params={"q": "hovercraft"}).json()
    assert [h["id"] for h in body["hits"]] == ["article:travel/hovercraft"]
    assert client.get("/api/v1/related", params={"id": "article:travel/hovercraft"}).status_code == 200


def test_an_index_being_rebuilt_keeps_the_old_one_answering(served):
    client, folder = served
    (folder / META_FILE).unlink()  # what a rebuild looks like until it finishes
    body = client.get("/api/v1/search", params={"q": "refund"}).json()
    assert body["hits"][0]["id"] == "article:billing/refunds"
