"""The learned-phrasing refresh masks stored wordings again with the site's region, as the
service masks what it stores now: a national number typed without a cue, stored before the site
named its region (or by an older masker), never reaches a learned phrasing on a region site.
Session 40's worker masked without the region. A real SQLite file, the real worker process (and
the in-process refresh of an in-memory store), the region changing between refreshes."""

from __future__ import annotations

import re

import pytest
from learned_testkit import Journeys

from carebase.learned.model import Settings
from carebase.learned.refresh import Refresher
from carebase.learned.ties import Thresholds
from carebase.store.engine import open_engine

REFUNDS = "article:billing/refunds"
#: a Hong Kong mobile in a list: no cue, no phone's shape ("rooms 9123 4567 261" is readable
#: without a region, [phone] on a Hong Kong site)
TYPED = "refund rooms 9123 4567 261"


def _plant(store: Journeys) -> None:
    for n, client in enumerate(("client-a", "client-b", "client-c")):
        store.add(f"j{n}", client, ("search", TYPED), ("click", REFUNDS, TYPED))


def _texts(snapshot) -> list[str]:
    """Every wording and phrase the snapshot holds."""
    return ([w.text for w in snapshot.nearest.records] + [t.phrase for t in snapshot.ties]
            + [w for t in snapshot.ties for w in t.wordings])


def _learned_with(engine, region: list) -> list[list[str]]:
    """Two refreshes: the region ``region[0]`` gives first, then ``region[1]``."""
    codes = list(region)
    refresher = Refresher(engine, Settings(Thresholds(3, 2), window_days=0), use_meaning=False, cache=None,
                          region=lambda: codes[0])
    try:
        first = _texts(refresher.refresh_now())
        codes.pop(0)
        return [first, _texts(refresher.refresh_now())]
    finally:
        refresher.stop()


@pytest.mark.slow  # the worker process
def test_the_worker_masks_stored_wordings_with_the_sites_region_as_it_changes(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    try:
        _plant(Journeys(engine))
        before, after = _learned_with(engine, [(), ("HK",)])
    finally:
        engine.dispose()
    assert any("9123" in text for text in before), before  # no region: the number is no phone number
    assert after and not any("9123" in text or "4567" in text for text in after), after
    assert "refund rooms" in after  # the wording masked, its placeholder left out


def test_the_in_process_refresh_masks_with_the_sites_region_too():
    engine = open_engine("sqlite://")  # in memory: learned in a thread of the service, not a worker
    try:
        _plant(Journeys(engine))
        before, after = _learned_with(engine, [("HK",), ()])
    finally:
        engine.dispose()
    assert before and not any("9123" in text for text in before), before
    assert any("9123" in text for text in after), after  # the region gone: as without one (caches emptied)


def _served(service) -> list[str]:
    """Every wording and phrase the lead's views serve of the learned phrasings now (the
    snapshot's ties with their wordings, the nearest wordings of the planted query): texts only,
    not the times and scores beside them (a 13-digit ``built_ms`` may hold "9123")."""
    shown = service.learned()
    explained = service.http.get("/api/v1/learned/explain", params={"q": TYPED}, headers=service.auth()).json()
    return ([t["phrase"] for t in shown.get("ties", [])] + [w for t in shown.get("ties", []) for w in t["wordings"]]
            + [n["wording"] for n in explained.get("neighbours", [])])


def _holds_the_number(texts: list[str]) -> bool:
    return any(re.search(r"\b9123\b|\b4567\b", text) for text in texts)


@pytest.mark.slow  # a service process and its worker
def test_a_region_change_stops_serving_what_was_learned_before_and_relearns_at_once(tmp_path):
    """Through the real service (its build output rebuilt to name Hong Kong while it runs, the
    refresh interval an hour): the snapshot learned before, holding the number, is no longer
    served once the service has taken the region up, and the next one, masked with it, comes at
    once. 4cd1955 served the old snapshot until the next interval (an hour here)."""
    import time

    from learned_testkit import REPO, LearningService

    from carebase.content import load_catalogue
    from carebase.output import open_output

    db = tmp_path / "feedback.db"
    engine = open_engine(f"sqlite:///{db}")
    try:
        store = Journeys(engine)
        store.clock = int(time.time() * 1000) - 3_600_000  # an hour ago: inside the learning window
        _plant(store)  # stored before the site named its region: the number in clear
    finally:
        engine.dispose()
    service = LearningService(db, "--learn-every", "3600")
    try:
        assert _holds_the_number(_served(service))  # no region: the number is no phone number
        open_output(db.parent / "site-data", load_catalogue(REPO / "content"), region=("HK",))  # a rebuild
        deadline = time.monotonic() + 60  # the output is followed every second: a bound on a failure only
        while _holds_the_number(served := _served(service)):
            assert time.monotonic() < deadline, served
            time.sleep(0.1)
        deadline = time.monotonic() + 120
        while not (snapshot := service.learned()).get("ready"):
            assert time.monotonic() < deadline, snapshot
            time.sleep(0.1)
        phrases = {t["phrase"] for t in snapshot["ties"]} | {w for t in snapshot["ties"] for w in t["wordings"]}
        assert "refund rooms" in phrases and not _holds_the_number(_served(service)), snapshot
    finally:
        service.stop()


def test_a_failing_refresh_after_a_region_change_is_not_asked_for_again_at_every_request(monkeypatch):
    """The snapshot learned under the old region is never served again; while the refresh under
    the new one fails, requests do not start one each (at most one per ``RETRY_SECONDS``, or a
    tenth of a longer interval)."""
    from carebase.learned import refresh as refresh_module

    engine = open_engine("sqlite://")
    codes = [()]
    refresher = Refresher(engine, Settings(Thresholds(3, 2), window_days=0), use_meaning=False, cache=None,
                          region=lambda: codes[0])
    try:
        _plant(Journeys(engine))
        assert refresher.refresh_now() is not None and refresher.current is not None
        codes[0] = ("HK",)
        assert refresher.current is None and refresher._wake.is_set()  # a refresh asked for at once
        refresher._wake.clear()
        monkeypatch.setattr(refresher, "_learn", lambda: (_ for _ in ()).throw(RuntimeError("worker died")))
        assert refresher.refresh_now() is None  # failed: the old snapshot is still not served
        for _ in range(100):
            assert refresher.current is None
        assert not refresher._wake.is_set()  # not asked for again at once
        assert refresher._retry_after() == max(refresh_module.RETRY_SECONDS, refresher.interval / 10)
        monkeypatch.setattr(refresher, "_retry_after", lambda: 0.0)
        assert refresher.current is None and refresher._wake.is_set()  # once the retry time is over
    finally:
        refresher.stop()
        engine.dispose()


@pytest.mark.slow  # ~2 s of CPU: three clients' journeys learned
def test_no_id_or_iban_in_a_stored_wording_reaches_a_learned_phrasing_nor_its_marker_a_word():
    """A national id number stored readable by an older masker (4a859847 had no ``[id]``) is masked
    again by the refresh, and no marker becomes a word: 4a859847 left ``[iban]`` and ``[number]``
    in the wording it learned from ("refund iban" learned from a customer who never typed "iban")."""
    engine = open_engine("sqlite://")
    typed = ["refund ssn 536-22-1846", "refund DE89 3704 0044 0532 0130 00", "refund 4111 1111 1111 1111 0044 20 7946 0958"]
    try:
        store = Journeys(engine)
        for n, client in enumerate(("client-a", "client-b", "client-c")):
            for k, text in enumerate(typed):
                store.add(f"j{n}-{k}", client, ("search", text), ("click", REFUNDS, text))
        learned = _learned_with(engine, [(), ()])[0]
    finally:
        engine.dispose()
    assert "refund" in learned and "refund ssn" in learned, learned
    words = {word for text in learned for word in re.findall(r"\w+", text)}
    assert not words & {"1846", "536", "id", "iban", "number", "card", "phone", "3704"}, learned
