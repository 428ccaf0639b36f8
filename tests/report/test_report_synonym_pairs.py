"""Synonym pairs need a swap, not a co-occurrence: planted journeys through the report's keyword
suggestions (the demo's catalogue), and the rule on its own. "passcode" rephrased as "forgot
password" or "forgot" pairs passcode with password (closest in meaning), never with "forgot",
which only came along; a nonsense word rephrased pairs with nothing; a one-word swap that keeps
the rest of the search is a pair whatever the words."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebase.content.loader import load_catalogue
from carebase.report.build import make_normaliser
from carebase.report.findability import Suggester
from carebase.report.links import SourceLinks
from carebase.report.substitution import substitution

CONTENT = Path(__file__).resolve().parents[2] / "content"
FORGOT = "faq:app-and-privacy#forgot-password"  # "I forgot my password. How do I reset it?"


@pytest.fixture(scope="module")
def suggester(tmp_path_factory):
    from carebase.search import meaning

    if not meaning.available() and not meaning.disabled_by_env():
        meaning.reset()  # decided off by an earlier test of this worker process that turned it off
    assert meaning.available(), meaning.status()  # the default install has a model: rephrases need it
    catalogue = load_catalogue(CONTENT)
    return lambda: Suggester(catalogue, make_normaliser(catalogue), SourceLinks(CONTENT, tmp_path_factory.mktemp("s")))


def pairs(suggester, journeys: list[tuple]) -> list[list[str]]:
    """(query, follow-up query, journeys[, client hash]) each."""
    s = suggester()
    for query, next_query, n, *client in journeys:
        s.add(query, FORGOT, n, how="later", next_query=next_query, client=client[0] if client else "")
    return [g for row in s.suggestions() for g in row["synonyms"]]


def test_a_rephrase_pairs_the_word_closest_in_meaning_never_one_that_came_along(suggester):
    assert pairs(suggester, [("passcode", "forgot password", 4), ("passcode", "forgot", 3),
                             ("Passcode", "forgot password reset", 2)]) == [["password", "passcode"]]
    assert pairs(suggester, [("zorblax", "forgot password", 4), ("zorblax", "forgot", 3)]) == []


def test_a_swap_that_keeps_the_rest_of_the_search_is_a_pair(suggester):
    assert pairs(suggester, [("reset zorblax", "reset password", 3)]) == [["password", "zorblax"]]
    assert pairs(suggester, [("reset zorblax", "reset password", 2)]) == []  # below the journeys needed


def test_one_clients_swaps_make_no_pair(suggester):
    """Three customers searched "reset zorblax" and reached the item; one of them swapped it for
    "reset password" three times: one client, no synonym group (three clients: a group)."""
    found = [("reset zorblax", None, 1, f"client-{n}") for n in range(3)]
    assert pairs(suggester, found + [("reset zorblax", "reset password", 3, "client-0")]) == []
    assert pairs(suggester, found + [("reset zorblax", "reset password", 1, f"client-{n}") for n in range(3)]) == [
        ["password", "zorblax"]]


def test_the_substitution_shape():
    assert substitution({"forgot": "forgot", "passcod": "passcode"}, {"forgot": "forgot", "password": "password"}) \
        == ("passcod", "password")
    assert substitution({"passcod": "passcode"}, {"forgot": "forgot", "password": "password"}) is None  # nothing kept
    assert substitution({"passcod": "passcode"}, {"forgot": "forgot"}) is None  # one for one, nothing kept
    assert substitution({"reset": "reset", "passcod": "passcode"},
                        {"reset": "reset", "forgot": "forgot", "password": "password"}) is None  # two added


def test_a_findability_row_s_follow_ups_count_each_client_once():
    """The follow-up searches a findability row's synonym pair is chosen from (``reached_items``)
    count each client once per (search, follow-up) pair, journeys without a client hash one each."""
    from collections import Counter
    from types import SimpleNamespace

    from carebase.report.topic_evidence import reached_items

    topic = SimpleNamespace(members=[SimpleNamespace(queries={"passcode": 3, "pass code": 1})])
    follow = (FORGOT, "forgot password")
    reached = {"passcode": Counter({(*follow, "client-1"): 5, (*follow, "client-2"): 1, (*follow, ""): 2}),
               "pass code": Counter({(*follow, "client-1"): 4})}
    _, journeys, partners = reached_items(topic, reached)
    assert journeys[FORGOT] == 12
    assert partners[FORGOT] == Counter({("passcode", "forgot password"): 4, ("pass code", "forgot password"): 1})


def test_a_findability_row_s_pair_needs_the_keyword_rows_clients(tmp_path):
    """A findability row offers a synonyms.yml group on the keyword rows' rule: at least 3 clients'
    follow-ups and at least half of the row's. One client's swap ("zorblax reset" → "password
    reset") once made the group [zorblax, password] (``n > 0``), which `suggestions apply` writes
    into synonyms.yml for every customer."""
    from collections import Counter
    from types import SimpleNamespace

    from carebase.report.topic_actions import Classifier

    catalogue = load_catalogue(CONTENT)
    classifier = Classifier(catalogue, make_normaliser(catalogue), None, SourceLinks(CONTENT, tmp_path), None, 0.5)
    item = catalogue.get(FORGOT)
    member = SimpleNamespace(ranked_queries=lambda: ["zorblax reset"])
    topic = SimpleNamespace(typical=lambda n: [member], members=[member])
    swap = ("zorblax reset", "password reset")

    def group(partners: Counter) -> list[str]:
        return classifier._findability(topic, item, "reached", partners)["suggestion"]["synonyms"]

    assert group(Counter({swap: 1})) == []  # one client
    assert group(Counter({swap: 3})) == ["zorblax", "password"]  # three clients
    assert group(Counter({swap: 3, ("zorblax reset", "reset my device"): 4})) == []  # under half of the follow-ups


def test_six_clients_sharing_a_six_word_search_make_one_whole_search(suggester):
    """Each of six clients searched the same six words, none in the item's headline: each word
    has 1/6 from each client, one whole search in all (MIN_WEIGHT), so the words are suggested.
    On a6a0ce9 the floats summed to 0.9999999999999999 and every word was dropped."""
    s = suggester()
    for n in range(6):
        s.add("grandma tablet daughter birthday cake party", FORGOT, 1, how="later", client=f"client-{n}")
    words = [w["word"] for row in s.suggestions() for w in row["words"]]
    assert words == ["birthday", "cake", "daughter", "grandma", "party", "tablet"], words
