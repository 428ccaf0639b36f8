"""A service over a build output of several languages opens every language's search at start, the
default one before it answers, the others in a thread of their own (as a reload does), and one
language's opening never holds up another's searches. German's opening reads the word forms of
separated verbs (or makes them, ~4.3 s of CPU, from a build output that does not keep them): a
customer's search in German used to pay that, and every English search waited meanwhile."""

from __future__ import annotations

import threading
import time

import pytest

from carebase.service.app import create_app
from carebase.service.config import ServiceConfig
from tiers_testkit import real_build
from web_testkit import serve_asgi

RESET = "article:troubleshooting/factory-reset"


@pytest.fixture
@real_build  # the demo's build output under a real uvicorn: not the fast tier's
def opening(tmp_path, demo_site_data, monkeypatch):
    """The service over the demo's build output, each language's opening recorded (the thread that
    opened it) and German's held until ``release`` is set."""
    from carebase.output.opened import BuildOutput

    opened: list[tuple[str | None, str]] = []
    release = threading.Event()
    real = BuildOutput._open_searcher

    def open_searcher(self, semantic, lang=None):
        opened.append((lang, threading.current_thread().name))
        if lang == "de":
            assert release.wait(60), "German's opening never released"
        return real(self, semantic, lang)

    monkeypatch.setattr(BuildOutput, "_open_searcher", open_searcher)
    app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp_path / 'f.db'}", site_data=str(demo_site_data),
                                   search_rate_limit=0, learn_every=0))
    try:
        with serve_asgi(app, lifespan="on") as client:
            yield client, opened, release
    finally:
        release.set()


def _ids(client, q: str, lang: str | None = None) -> list[str]:
    params = {"q": q, **({"lang": lang} if lang else {})}
    response = client.get("/api/v1/search", params=params, timeout=30)
    assert response.status_code == 200, response.text
    return [hit["id"] for hit in response.json()["hits"]]


def test_german_opens_at_start_in_its_own_thread_and_english_searches_meanwhile(opening):
    """At start: English opened before the service answers, German in the start's own thread,
    not in a customer's search. While German's opening is held (its word forms being made), an
    English search is answered, and a German one waits for that opening (no second one); released,
    it finds the reset article. Fails on the code before: German was opened in the customer's
    search, and every search, English too, waited for it (one lock for every language)."""
    client, opened, release = opening
    assert opened[0][0] is None
    searched: list[list[str]] = []
    german = threading.Thread(target=lambda: searched.append(_ids(client, "wie setze ich das thermostat zurück", "de")))
    german.start()
    deadline = time.monotonic() + 30
    while len(opened) < 2 and time.monotonic() < deadline:  # German's opening has begun (and is held)
        time.sleep(0.02)
    assert [lang for lang, _thread in opened] == [None, "de"]
    assert _ids(client, "factory reset")[0] == RESET  # answered while German's opening is held
    assert german.is_alive() and searched == []
    release.set()
    german.join(60)
    assert searched and searched[0][0] == RESET
    assert opened == [(None, opened[0][1]), ("de", "carebase-warm-languages")]
