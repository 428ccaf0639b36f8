"""The nearest-wording vote's band (nearest.py): an item's thresholds are met by neighbours
within one band of similarity, so one client's near wordings are not completed by another
client's far one (session 40's `adversary`: 100 % of the vote for `get my money back`)."""

from __future__ import annotations

import numpy as np

from carebase.learned.nearest import MARGIN, NearestWordings
from carebase.learned.ties import Wording

ITEM, OTHER_ITEM = "article:billing/cancel-lumo-plus", "article:billing/refunds"


class Fixed:
    """Vectors whose similarities to any query are given."""

    def __init__(self, sims):
        self.sims = np.array(sims, dtype=float)

    def similarities(self, query):
        return self.sims


def wording(text, item, journeys, client, epoch="e1"):
    return Wording(text, item, set(journeys), {(epoch, client)})


def votes(records, sims, **kw):
    return NearestWordings(records, Fixed(sims), **kw).votes("get my money back")


ATTACK = wording("get my money back", ITEM, ["x1", "x2"], "attacker")
FAR = wording("stop paying for lumo plus", ITEM, ["h1"], "honest")


def test_one_clients_near_wordings_need_another_client_near_them():
    assert votes([ATTACK, FAR], [1.00, 0.30]) == {}
    assert votes([ATTACK, FAR], [1.00, 1.00 - MARGIN]) == {ITEM: 1.0}  # another client within the band
    assert votes([ATTACK, FAR], [0.45, 0.30]) == {ITEM: 1.0}  # both as far: as two honest customers there


def test_the_same_client_under_another_salt_is_no_other_client():
    again = wording("get my money back please", ITEM, ["x3"], "attacker-after-restart", epoch="e2")
    assert votes([ATTACK, again, FAR], [1.00, 0.98, 0.30]) == {}


def test_a_closer_wording_never_takes_an_item_away():
    """Every band is tried: three customers at 0.55-0.50 vote for the item, and still do when a
    fourth's wording is much closer."""
    near = [wording(f"w{i}", ITEM, [f"j{i}"], f"c{i}") for i in range(3)]
    assert votes(near, [0.55, 0.52, 0.50]) == {ITEM: 1.0}
    closest = wording("get my money back", ITEM, ["j9"], "c9")
    assert votes([closest, *near], [0.99, 0.55, 0.52, 0.50]) == {ITEM: 1.0}


def test_items_are_judged_each_in_its_own_band():
    rival = [wording(f"r{i}", OTHER_ITEM, [f"r{i}"], f"rc{i}") for i in range(3)]
    got = votes([ATTACK, *rival, FAR], [1.00, 0.60, 0.58, 0.55, 0.30])
    assert got == {OTHER_ITEM: 1.0}
