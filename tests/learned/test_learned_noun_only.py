"""A popular learned wording does not pull every question that shares its product noun
(audit 47 A4): through the real service, with the embedding model.

After the demo's simulated traffic "thermostat offline" answered *Remove your old thermostat*:
"remove old thermostat" (many clients) is 0.58 alike to it, sharing only "thermostat", and its
votes outweighed the base ranking, which puts the offline article first. An item's vote now
counts for the share of the query's information its wordings hold (``carebase.learned.coverage``);
a wording that holds the need still teaches."""

from __future__ import annotations

import pytest
from learned_testkit import LearningService
from tiers_testkit import real_build

REMOVE = "article:installation/remove-old-thermostat"
OFFLINE = "article:troubleshooting/thermostat-offline"
FLICKER = "article:troubleshooting/display-flickering"
PAYMENT = "faq:billing#payment-failed"


@pytest.fixture(scope="module")
@real_build
def taught(tmp_path_factory):
    service = LearningService(tmp_path_factory.mktemp("noun-only") / "feedback.db")
    try:
        before = {q: service.search(q) for q in ("thermostat offline", "my thermostat is offline")}
        address = iter(f"198.18.{n // 200}.{n % 200 + 1}" for n in range(10_000))
        for _ in range(15):  # the popular wording: fifteen customers
            service.journey(next(address), "remove old thermostat", REMOVE, vote=1)
        for wording in ("old thermostat", "payment failed thermostat"):
            for _ in range(3):
                service.journey(next(address), wording, REMOVE if "old" in wording else PAYMENT)
        for _ in range(3):  # the need's word, in a wording of its own
            service.journey(next(address), "wifi offline", OFFLINE)
        for _ in range(3):  # a made-up need word: only what is taught ranks for it
            service.journey(next(address), "zorblax thermostat", FLICKER)
        service.relearned()
        yield service, before
    finally:
        service.stop()


def test_a_popular_wording_sharing_only_the_noun_does_not_move_the_answer(taught):
    service, before = taught
    for q, base in before.items():
        assert base[0] == OFFLINE, (q, base)  # the base ranking's answer, before anything was learned
        assert service.search(q)[0] == OFFLINE, q  # before: *Remove your old thermostat*, first
    assert service.strong("thermostat offline")[0] == OFFLINE


def test_a_wording_that_holds_the_need_still_teaches(taught):
    service, _ = taught
    assert service.strong("zorblax")[0] == FLICKER  # the need's word alone: only what was taught
    assert service.strong("how do i remove my old thermostat")[0] == REMOVE
    assert service.strong("wifi offline")[0] == OFFLINE
