"""German separated verbs in the client index (the site's fallback when the service is down), as
search reads them (RESULTS "Session 47 (`lang`)", R3; "Session 48 (`lang`)"): "wie setze ich das
thermostat zurück" is *zurücksetzen*. The browser's copy of the placement rule (analyser.js
``separated``, its words from meta.json's ``separable``) places the verb as
``carebase.text.separable.separated`` does; each verb's shard carries the forms whose joined base
form is a term (``"j"``: "setzt … zurück" → *zurücksetzen*), and search-index.js reads the verb
joined: the reset article first, a refund question's refund pages first, the free-trial FAQ that
writes "buchen … ab" apart first — on the demo's German pages, searched by the browser's own
scripts in Node."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitesearch_testkit import search_in_node

from carebase.content import load_catalogue
from carebase.content.languages import Languages
from carebase.content.translations import load_languages
from carebase.pages.search_shards import build_search_shards

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # runs Node


@pytest.fixture(scope="module")
def german_shards(tmp_path_factory):
    ml = load_languages(REPO / "content", Languages(("en", "de"))).published()
    folder = tmp_path_factory.mktemp("de-shards")
    meta = build_search_shards(ml.catalogues["de"], folder, source=ml.catalogues["en"])
    return folder, meta


def _shards(folder: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("t-*.json")}


def test_the_client_index_lists_the_page_that_writes_the_verb_joined_first(german_shards):
    folder, _meta = german_shards
    found = search_in_node(folder, ["wie setze ich das thermostat zurück", "setzt ein neustart meine einstellungen zurück",
                                    "wann bekomme ich mein geld zurück",
                                    "bucht ihr nach dem testzeitraum automatisch geld ab"])
    assert found["wie setze ich das thermostat zurück"][0] == "de/troubleshooting/factory-reset/", found
    # "setzt": the verb's shard says its joined base form (zurücksetzt → zurücksetzen)
    assert found["setzt ein neustart meine einstellungen zurück"][0] == "de/troubleshooting/factory-reset/", found
    assert found["wann bekomme ich mein geld zurück"][0] in ("de/faq/billing/#refund-annual", "de/billing/refunds/")
    assert found["bucht ihr nach dem testzeitraum automatisch geld ab"][0] == "de/faq/billing/#free-trial", found


def test_a_german_index_carries_the_placement_words_and_its_verbs_forms_and_an_english_one_neither(german_shards,
                                                                                                   tmp_path):
    folder, meta = german_shards
    rules = meta["analyser"]["separable"]
    assert "zuruck" in rules["prefixes"] and "wie" in rules["question"] and "und" in rules["conjunctions"]
    forms = {looked_up: base for shard in _shards(folder).values() for looked_up, base in shard.get("j", {}).items()}
    assert forms["zurucksetzt"] == "zurucksetzen" and forms["abbucht"] == "abbuchen"
    # only what a term of the index needs: no verb the pages never join ("ankommen" is not a term)
    assert "kommt" not in forms and "ankommt" not in forms and len(forms) < 1000
    english = build_search_shards(load_catalogue(REPO / "content"), tmp_path / "en")
    assert "separable" not in english["analyser"]
    assert not any("j" in shard for shard in _shards(tmp_path / "en").values())
