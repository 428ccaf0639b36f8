"""The service follows its build output: a rebuilt output is searched without a restart, and
an output whose index cannot be opened leaves the previous one answering."""

import dataclasses
import json
import time

import pytest

from carebase.content.model import Article
from carebase.output import open_output
from carebase.output.layout import STAMP
from carebase.service.app import create_app
from carebase.service.config import ServiceConfig
from search_testkit import help_centre
from tiers_testkit import real_build
from web_testkit import serve_asgi


@pytest.fixture()
@real_build  # build outputs written again under a running service: not the fast tier's
def served(tmp_path, monkeypatch):
    import carebase.output.live as live

    monkeypatch.setattr(live, "CHECK_SECONDS", 0.0)
    open_output(tmp_path / "site-data", help_centre())
    # no search rate limit: the tests poll every 50 ms until a new index answers, which on a loaded
    # machine outlasts the default burst (60) and would end in a 429 instead of the index's answer
    app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp_path / 'f.db'}", site_data=str(tmp_path / "site-data"),
                                   search_rate_limit=0))
    with serve_asgi(app, lifespan="on") as client:
        yield client, tmp_path / "site-data"


def test_a_rebuilt_output_is_searched_and_its_new_items_accepted_without_a_restart(served):
    client, folder = served
    vote = {"events": [{"id": "reload-vote-1", "type": "vote", "item": "article:travel/hovercraft", "value": 1}]}
    def ids():
        return [h["id"] for h in client.get("/api/v1/search", params={"q": "hovercraft"}).json()["hits"]]

    assert "article:travel/hovercraft" not in ids()
    assert client.post("/api/v1/events", json=vote).status_code == 422
    catalogue = help_centre()
    new = Article(id="article:travel/hovercraft", path="travel/hovercraft.md", title="Paying on a hovercraft",
                  body="Card payments on board a hovercraft work offline.", body_line=3, category="travel")
    open_output(folder, dataclasses.replace(catalogue, articles=catalogue.articles + (new,)))
    assert client.post("/api/v1/events", json=vote).json() == {"accepted": 1, "duplicates": 0}  # at once
    deadline, hits = time.monotonic() + 60, []
    while "article:travel/hovercraft" not in hits and time.monotonic() < deadline:  # opened beside the old one
        hits = ids()
        time.sleep(0.05)
    assert hits[:1] == ["article:travel/hovercraft"]
    assert client.get("/api/v1/related", params={"id": "article:travel/hovercraft"}).status_code == 200


def test_an_index_that_cannot_be_opened_keeps_the_previous_one_answering(served):
    client, folder = served
    assert client.get("/api/v1/search", params={"q": "refund"}).json()["hits"][0]["id"] == "article:billing/refunds"
    stamp = json.loads((folder / STAMP).read_text())
    stamp["search"] = "0" * 20  # a revision whose index is not there
    (folder / STAMP).write_text(json.dumps(stamp))
    for _ in range(20):  # and stays so while the broken one is tried
        assert client.get("/api/v1/search", params={"q": "refund"}).json()["hits"][0]["id"] == "article:billing/refunds"
        time.sleep(0.05)


@pytest.mark.slow  # a worker process writes the new index, as for a large help centre
def test_while_a_worker_writes_the_new_index_the_previous_one_answers(served):
    client, folder = served
    catalogue = help_centre()
    new = Article(id="article:travel/airship", path="travel/airship.md", title="Paying on an airship",
                  body="Card payments on board an airship work offline.", body_line=3, category="travel")
    out = open_output(folder, dataclasses.replace(catalogue, articles=catalogue.articles + (new,)), worker=True)
    assert not out.indexed  # the worker process has only just started
    vote = {"events": [{"id": "reload-vote-2", "type": "vote", "item": "article:travel/airship", "value": 1}]}
    assert client.post("/api/v1/events", json=vote).json() == {"accepted": 1, "duplicates": 0}  # manifest at once
    answer = client.get("/api/v1/search", params={"q": "refund"})
    assert answer.status_code == 200 and answer.json()["hits"]  # the previous index answers meanwhile
    out.wait()
    assert out.indexed and json.loads((folder / STAMP).read_text())["search"] == out.revision
    deadline, hits = time.monotonic() + 60, []
    while "article:travel/airship" not in hits and time.monotonic() < deadline:
        hits = [h["id"] for h in client.get("/api/v1/search", params={"q": "airship"}).json()["hits"]]
        time.sleep(0.05)
    assert hits[:1] == ["article:travel/airship"]
