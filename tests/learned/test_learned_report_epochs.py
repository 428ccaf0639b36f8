"""The report counts a word's clients as the service counts them (``clients.proven_clients``):
one address seen over five salt epochs (five days or restarts: five hashes) is one client, not
five. A real SQLite file planted as the service stores events (client hash and salt epoch)."""

from __future__ import annotations

import pytest
from learned_testkit import Journeys

from carebase.learned.report import LearnedEvidence
from carebase.store.engine import open_engine

pytestmark = pytest.mark.slow  # the learned modules' first import: ~2.5 s of CPU

REFUNDS = "article:billing/refunds"
CANCEL = "article:billing/cancel-lumo-plus"


@pytest.fixture
def store(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    yield Journeys(engine)
    engine.dispose()


def test_one_address_over_five_epochs_is_one_client_in_the_reports_shares(store):
    # two customers on one day reach Refunds with "gizmo"; one customer, on five other days
    # (a new salt, so a new hash, each day), reaches Cancel with it
    for n, client in enumerate(("day1-a", "day1-b")):
        store.add(f"j-a{n}", client, ("search", "gizmo money"), ("click", REFUNDS, "gizmo money"), epoch="day-1")
    for day in range(2, 7):
        store.add(f"j-b{day}", f"day{day}-z", ("search", "gizmo stop"), ("click", CANCEL, "gizmo stop"), epoch=f"day-{day}")
    with store.engine.connect() as conn:
        report = LearnedEvidence(conn, 0, store.clock + 1)
    # by client: 2 clients reached Refunds, the word's clients are 2 (the most within one
    # epoch), not 7; so "gizmo" is Refunds' word, not a chatty one (4cd1955: 2 / 7 = 0.29)
    assert report.share("gizmo", REFUNDS, by_client=True) == 1.0
    assert report.share("gizmo", CANCEL, by_client=True) == 0.5
    assert report.share("gizmo", REFUNDS) == 2 / 7  # by journey, as before: 7 journeys


def test_rows_stored_before_client_epochs_count_as_before(store):
    """Rows with no epoch (stored before migration 0011) are one group: distinct hashes, as the
    report counted them before."""
    for n in range(3):
        store.add(f"j-old{n}", f"old-{n}", ("search", "gizmo money"), ("click", REFUNDS, "gizmo money"), epoch=None)
    store.add("j-old9", "old-9", ("search", "gizmo stop"), ("click", CANCEL, "gizmo stop"), epoch=None)
    with store.engine.connect() as conn:
        report = LearnedEvidence(conn, 0, store.clock + 1)
    assert report.share("gizmo", REFUNDS, by_client=True) == 0.75
