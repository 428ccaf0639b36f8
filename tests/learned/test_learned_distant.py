"""Neighbours that meet no item's thresholds keep their part of the vote for the base ranking
(audit 47 A4, the rest): through the real service, with the embedding model.

The demo's simulated traffic, planted as it was near "thermostat offline": the popular
"remove old thermostat" (15 customers) and "old thermostat", "payment failed thermostat", "two
thermostats" — 0.55–0.61 alike to the question, sharing only the product noun — and the need's
own word only in wordings too few to count ("offline", two journeys; "offline mode"). The kept
items' shares summed to 1 however many of the voices were the unkept ones', so even counted
for the share of the question they hold (``carebase.learned.coverage``) the noun-only
neighbours put *Remove your old thermostat* first; a share is now of every voice heard. A
wording close to the question still teaches. (Not fixed by it: "my thermostat is offline",
whose neighbours are the same minus one unkept voice; RESULTS.md, "Session 49 (`learn`)".)"""

from __future__ import annotations

import pytest
from learned_testkit import LearningService
from tiers_testkit import real_build

REMOVE = "article:installation/remove-old-thermostat"
OFFLINE = "article:troubleshooting/thermostat-offline"
PAYMENT = "faq:billing#payment-failed"
SEVERAL = "faq:billing#does-one-subscription-cover-several-thermostats"
NO_INTERNET = "faq:devices#works-without-internet"
QUESTIONS = ("thermostat offline",)


@pytest.fixture(scope="module")
@real_build
def taught(tmp_path_factory):
    service = LearningService(tmp_path_factory.mktemp("distant") / "feedback.db")
    try:
        before = {q: service.search(q) for q in QUESTIONS}
        address = iter(f"198.18.{n // 200}.{n % 200 + 1}" for n in range(10_000))
        for wording, item, customers in (("remove old thermostat", REMOVE, 15), ("old thermostat", REMOVE, 3),
                                         ("payment failed thermostat", PAYMENT, 3),
                                         ("two thermostats", SEVERAL, 6),
                                         ("offline", OFFLINE, 2), ("offline mode", NO_INTERNET, 2)):
            for _ in range(customers):
                service.journey(next(address), wording, item)
        service.relearned()
        yield service, before
    finally:
        service.stop()


def test_neighbours_sharing_only_the_noun_do_not_take_the_unkept_voices_share(taught):
    service, before = taught
    for q, base in before.items():
        assert base[0] == OFFLINE, (q, base)  # the base ranking's answer, before anything was learned
        assert service.search(q)[0] == OFFLINE, q  # before: *Remove your old thermostat*, first
    explained = service.http.get("/api/v1/learned/explain", params={"q": "thermostat offline"},
                                 headers=service.auth()).json()
    voiced = [n for n in explained["neighbours"] if n["voice"]]
    unkept = [n for n in voiced if n["item"] not in explained["votes"]]
    assert {n["item"] for n in unkept} >= {OFFLINE, NO_INTERNET}  # too few journeys: heard, not kept
    assert sum(explained["votes"].values()) < 1  # the unkept voices' part went to no item


def test_a_close_wording_still_teaches(taught):
    service, _ = taught
    assert service.search("how do i remove my old thermostat")[0] == REMOVE
    assert service.strong("remove old thermostat")[0] == REMOVE
    assert service.strong("payment failed thermostat")[0] == PAYMENT
