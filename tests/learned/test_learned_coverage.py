"""An item's learned vote counts for the share of the query its wordings hold (coverage.py;
audit 47 A4): with embeddings, wordings 0.6 alike to "thermostat offline" that hold only
"thermostat" do not take the vote a wording holding "offline" gives."""

from __future__ import annotations

import numpy as np
import pytest

from carebase.learned.nearest import EmbeddedVectors, LexicalVectors, NearestWordings
from carebase.learned.ties import Wording

pytestmark = pytest.mark.slow  # the masker's and the stemmer's first load: 2 s of CPU

REMOVE, OFFLINE, PAY = "article:remove-old-thermostat", "article:thermostat-offline", "faq:payment-failed"


def wording(text, item, n):
    """A wording n customers typed (n journeys, n clients: it meets the thresholds alone)."""
    return Wording(text, item, {f"{text}-{i}" for i in range(n)}, {("e1", f"{text}-c{i}") for i in range(n)})


RECORDS = [wording("remove old thermostat", REMOVE, 15), wording("old thermostat", REMOVE, 3),
           wording("payment failed thermostat", PAY, 3), wording("thermostat offline", OFFLINE, 3),
           wording("wifi down", OFFLINE, 3)]


def embedded(sims):
    """Unit vectors whose cosines to the query (the first axis) are ``sims``."""
    rows = np.array([[s, np.sqrt(1 - s * s)] for s in sims], dtype=np.float32)
    return EmbeddedVectors(rows, lambda q: np.array([1.0, 0.0], dtype=np.float32))


def test_an_items_share_is_the_share_of_the_query_its_wordings_hold():
    sims = [0.58, 0.61, 0.57, 0.55, 0.50]
    votes = NearestWordings(RECORDS, embedded(sims)).votes("Thermostat offline?")
    total = sum(sims)
    # thermostat is in 4 wordings of 5, offline in 1: IDF log(6/5)+1 and log(6/2)+1
    noun, need = np.log(6 / 5) + 1, np.log(6 / 2) + 1
    assert votes[REMOVE] == pytest.approx((0.58 + 0.61) / total * noun / (noun + need))
    assert votes[PAY] == pytest.approx(0.57 / total * noun / (noun + need))
    assert votes[OFFLINE] == pytest.approx((0.55 + 0.50) / total)  # its wordings hold both words
    assert votes[OFFLINE] > votes[REMOVE]  # before: REMOVE 0.42 of the vote, OFFLINE 0.37
    assert sum(votes.values()) < 1  # not shared out again: the rest stays with the base ranking


def test_an_item_whose_wordings_hold_none_of_the_query_has_no_vote():
    votes = NearestWordings(RECORDS, embedded([0.9, 0.2, 0.2, 0.2, 0.6])).votes("wifi offline")
    assert set(votes) == {OFFLINE}  # "remove old thermostat" holds neither word: no vote however alike


def test_a_query_without_a_known_word_keeps_every_share():
    votes = NearestWordings(RECORDS, embedded([0.58, 0.61, 0.2, 0.2, 0.2])).votes("zorblax")
    assert votes == {REMOVE: pytest.approx(1.0)}


def test_the_lexical_fallback_is_unchanged():
    lexical = LexicalVectors([r.text for r in RECORDS])
    nearest = NearestWordings(RECORDS, lexical, min_similarity=0.2)
    assert nearest.coverage is None
    votes = nearest.votes("thermostat offline")
    assert sum(votes.values()) == pytest.approx(1.0)
