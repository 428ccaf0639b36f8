"""When a row's customers voted a page down, is it a twin need (a gap) or the page's own (``report.landed_votes``)?

The page *Wrong exchange rate* (card payments abroad) and a row of failed searches about the exchange rate
of a cash withdrawal whose customers opened it and voted "No". The rule turns the row into a gap only when
the page's own customers (its other voters) are helped by it, and the row's searches do not name only what
the page covers; the service test (tests/service/test_service_twin_need_report.py) plants the whole case."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest

from carebase.report.landed_votes import LandedVotes

PAGE = SimpleNamespace(id="article:payments/exchange-rate", title="Wrong exchange rate", kind="article",
                       summary="Why the exchange rate of a card payment abroad differs from the rate you saw.",
                       keywords=["exchange rate", "card payment exchange rate"], tags=[])
TWIN = {"wrong exchange rate cash": 8, "atm exchange rate wrong": 6}
STOP = {"the", "of", "a", "why", "from", "you", "my", "for"}


def key_of(text: str) -> list[str]:
    return [w for w in text.lower().replace(".", " ").split() if w not in STOP]


def topic(queries: dict[str, int]):
    members = [SimpleNamespace(queries=Counter({q: n}), failed=n) for q, n in queries.items()]
    return SimpleNamespace(members=members)


def landed(votes: dict[str, list[int]], page_n: int, page_no: int, *, baseline: float = 0.1, min_votes: int = 10):
    asked = []

    def votes_of(ids):
        asked.append(ids)
        return {PAGE.id: votes}

    rule = LandedVotes(votes_of, {PAGE.id: {"n": page_n, "unhelpful": page_no}}, key_of,
                       baseline=baseline, min_votes=min_votes)
    return rule, asked


def test_a_twin_whose_page_helps_its_own_customers_is_a_gap_with_its_votes():
    rule, asked = landed({"wrong exchange rate cash": [8, 8], "atm exchange rate wrong": [6, 5],
                          "card payment exchange rate": [30, 1]}, 44, 14)
    near = rule.twin(topic(TWIN), PAGE, "poor answer")
    assert near is not None
    assert {k: near[k] for k in ("id", "searches", "votes", "voted_no", "at_fault", "twin")} == {
        "id": PAGE.id, "searches": 14, "votes": 14, "voted_no": 13, "at_fault": False, "twin": "poor answer"}
    assert (near["own"]["n"], near["own"]["unhelpful"]) == (30, 1)
    assert rule.twin(topic(TWIN), PAGE, "findability") is not None and asked == [[PAGE.id]]  # asked once a page


def test_a_page_that_fails_its_own_customers_keeps_the_verdict():
    rule, _ = landed({"wrong exchange rate cash": [8, 8], "atm exchange rate wrong": [6, 6],
                      "card payment exchange rate": [30, 18]}, 44, 32)
    assert rule.twin(topic(TWIN), PAGE, "poor answer") is None


@pytest.mark.parametrize("own_n", [0, 9])
def test_too_few_other_voters_to_tell_keeps_the_verdict(own_n):
    rule, _ = landed({"wrong exchange rate cash": [8, 8], "atm exchange rate wrong": [6, 6],
                      "card payment exchange rate": [own_n, 0]}, 14 + own_n, 14)
    assert rule.twin(topic(TWIN), PAGE, "poor answer") is None


def test_searches_in_the_pages_own_words_are_its_own_customers():
    own_words = {"card payment exchange rate": 12, "atm exchange rate wrong": 4}
    rule, asked = landed({"card payment exchange rate": [12, 12], "atm exchange rate wrong": [4, 4],
                          "exchange rate": [30, 1]}, 46, 17)
    assert rule.twin(topic(own_words), PAGE, "poor answer") is None
    assert asked == []  # decided by the words: no votes read


def test_customers_who_mostly_voted_yes_are_no_twin():
    rule, _ = landed({"wrong exchange rate cash": [8, 3], "atm exchange rate wrong": [6, 3],
                      "card payment exchange rate": [30, 1]}, 44, 7)
    assert rule.twin(topic(TWIN), PAGE, "poor answer") is None


def test_a_wording_naming_the_page_counts_as_the_pages_own_voters():
    # "exchange rate" belongs to the row (2 failed searches) but names only the page: its 20 voters are the page's own
    rule, _ = landed({"wrong exchange rate cash": [8, 8], "atm exchange rate wrong": [6, 6],
                      "exchange rate": [20, 2]}, 34, 16)
    near = rule.twin(topic({**TWIN, "exchange rate": 2}), PAGE, "poor answer")
    assert near is not None and (near["votes"], near["voted_no"]) == (14, 14)
    assert (near["own"]["n"], near["own"]["unhelpful"]) == (20, 2)
