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
    catalogue = load_catalogue(CONTENT)
    return lambda: Suggester(catalogue, make_normaliser(catalogue), SourceLinks(CONTENT, tmp_path_factory.mktemp("s")))


def pairs(suggester, journeys: list[tuple[str, str, int]]) -> list[list[str]]:
    s = suggester()
    for query, next_query, n in journeys:
        s.add(query, FORGOT, n, how="later", next_query=next_query)
    return [g for row in s.suggestions() for g in row["synonyms"]]


def test_a_rephrase_pairs_the_word_closest_in_meaning_never_one_that_came_along(suggester):
    assert pairs(suggester, [("passcode", "forgot password", 4), ("passcode", "forgot", 3),
                             ("Passcode", "forgot password reset", 2)]) == [["password", "passcode"]]
    assert pairs(suggester, [("zorblax", "forgot password", 4), ("zorblax", "forgot", 3)]) == []


def test_a_swap_that_keeps_the_rest_of_the_search_is_a_pair(suggester):
    assert pairs(suggester, [("reset zorblax", "reset password", 3)]) == [["password", "zorblax"]]
    assert pairs(suggester, [("reset zorblax", "reset password", 2)]) == []  # below the journeys needed


def test_the_substitution_shape():
    assert substitution({"forgot": "forgot", "passcod": "passcode"}, {"forgot": "forgot", "password": "password"}) \
        == ("passcod", "password")
    assert substitution({"passcod": "passcode"}, {"forgot": "forgot", "password": "password"}) is None  # nothing kept
    assert substitution({"passcod": "passcode"}, {"forgot": "forgot"}) is None  # one for one, nothing kept
    assert substitution({"reset": "reset", "passcod": "passcode"},
                        {"reset": "reset", "forgot": "forgot", "password": "password"}) is None  # two added
