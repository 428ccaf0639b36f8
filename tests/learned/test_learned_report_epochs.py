"""The report's shares by client (``LearnedEvidence.share(by_client=True)``: whether a keyword
suggestion is a chatty word) count client-days, (epoch, hash) pairs: across salt epochs the store
cannot tell one returning customer from several (that is what the daily salt is for), so a share,
a ratio, counts both sides the same way. ``clients.proven_clients`` (the most distinct hashes
within one epoch) is a lower bound for thresholds ("at least 2 clients"), not for a ratio: taken on
each side it compares maxima of different days (c4af483 did, reverted: six customers on six days
lost to two on one day). A real SQLite file planted as the service stores events."""

from __future__ import annotations

import pytest
from learned_testkit import Journeys

from carebase.learned.report import MIN_SHARE, LearnedEvidence
from carebase.store.engine import open_engine

pytestmark = pytest.mark.slow  # the learned modules' first import: ~2.5 s of CPU

REFUNDS = "article:billing/refunds"
CANCEL = "article:billing/cancel-lumo-plus"


@pytest.fixture
def store(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    yield Journeys(engine)
    engine.dispose()


def _shares(store) -> tuple[float, float]:
    with store.engine.connect() as conn:
        report = LearnedEvidence(conn, 0, store.clock + 1)
    return report.share("gizmo", REFUNDS, by_client=True), report.share("gizmo", CANCEL, by_client=True)


def test_six_customers_on_six_days_outweigh_two_on_one(store):
    """The reader's case (session 42, R2): fails on c4af483 (Refunds 1/3, below MIN_SHARE)."""
    for day in range(1, 7):
        store.add(f"j-a{day}", f"day{day}-a", ("search", "gizmo money"), ("click", REFUNDS, "gizmo money"), epoch=f"day-{day}")
    for n in range(2):
        store.add(f"j-b{n}", f"day1-b{n}", ("search", "gizmo stop"), ("click", CANCEL, "gizmo stop"), epoch="day-1")
    refunds, cancel = _shares(store)
    assert (refunds, cancel) == (0.75, 0.25) and refunds >= MIN_SHARE


def test_one_address_over_five_epochs_counts_five_client_days(store):
    """The other side of the same choice, stated: one customer on five days is five client-days
    (the store cannot know it is one), so two customers on one day are 2 of 7."""
    for n, client in enumerate(("day1-a", "day1-b")):
        store.add(f"j-a{n}", client, ("search", "gizmo money"), ("click", REFUNDS, "gizmo money"), epoch="day-1")
    for day in range(2, 7):
        store.add(f"j-b{day}", f"day{day}-z", ("search", "gizmo stop"), ("click", CANCEL, "gizmo stop"), epoch=f"day-{day}")
    assert _shares(store) == (2 / 7, 5 / 7)
