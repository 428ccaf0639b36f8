"""The search API as the feedback service mounts it, over the demo help centre (content/)."""

import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from carebase.service.app import create_app
from carebase.service.config import ServiceConfig

DEMO = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    if not (DEMO / "synonyms.yml").exists():
        pytest.skip("the demo help centre (content/) is not in this checkout")
    tmp = tmp_path_factory.mktemp("service")
    app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp}/feedback.db",
                                   content_dir=str(DEMO), index_dir=str(tmp / "index")))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.02)
    with httpx.Client(base_url="http://%s:%d" % sock.getsockname(), timeout=10) as client:
        yield client
    server.should_exit = True
    thread.join(timeout=5)


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


def test_semantic_switch_without_vectors_degrades_to_lexical(tmp_path, monkeypatch, caplog):
    from carebase.search.index import build_index
    from carebase.service.routes_search import open_searcher
    from search_catalogue import help_centre

    build_index(help_centre(), tmp_path / "ix")
    monkeypatch.setenv("CAREBASE_SEARCH_SEMANTIC", "1")

    class Config:
        content_dir = None
        index_dir = str(tmp_path / "ix")

    searcher = open_searcher(Config())
    assert searcher.semantic is None
    assert searcher.search("refnd").hits[0].id == "article:billing/refunds"
