"""A German customer's first search after the service starts with an empty cache folder (a new
deployment, a container): search reads a German separated verb joined with simplemma's German
word forms (carebase.text.separable), ~4.3 s of CPU to make. The service made them inside that
customer's search (25.7 s of wall at load ~20: RESULTS "Session 48 (`suite`)"); the build output
now keeps them beside each index (``carebase.text.forms.write_beside``) and the service reads them
there, the other languages' searchers opened at start in a thread of their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from service_testkit import NO_LEARNING, Service
from tiers_testkit import real_build

RESET = "article:troubleshooting/factory-reset"


@pytest.fixture
@real_build
def cold_service(tmp_path, demo_site_data):
    """The real service over the demo's build output (English and German) with a cache folder
    of its own, empty at start."""
    cache = tmp_path / "cache"
    cache.mkdir()
    service = Service(["--site-data", str(demo_site_data), "--search-rate-limit", "0", *NO_LEARNING],
                      f"sqlite:///{tmp_path / 'feedback.db'}", env={"CAREBASE_CACHE_DIR": str(cache)})
    yield service, cache
    service.stop()


def _ids(service: Service, q: str, lang: str) -> list[str]:
    body = service.client.get("/api/v1/search", params={"q": q, "lang": lang}).json()
    return [hit["id"] for hit in body["hits"]]


def test_the_first_german_search_after_a_cold_start_makes_no_word_forms(cold_service, demo_site_data):
    """The first German search with a separated verb finds the reset article, and the service
    never made a word-forms table — not in that search, not at start: its cache folder holds
    none (English's was read beside its index too). Fails on the code before: the search made
    German's and kept it there (forms-de-….txt), and the start made English's."""
    from carebase.text.forms import BESIDE

    service, cache = cold_service
    assert {p.parent.parent.name for p in Path(demo_site_data).rglob(BESIDE)} >= {"de"}  # languages/de/search
    assert _ids(service, "wie setze ich das thermostat zurück", "de")[0] == RESET
    assert _ids(service, "wann bekomme ich mein geld zurück", "de")[0] in ("faq:billing#refund-annual",
                                                                           "article:billing/refunds")
    assert _ids(service, "factory reset", "en")[0] == RESET
    assert sorted(p.name for p in cache.rglob("forms-*")) == []
