"""One client cannot teach search on its own, through real services (session 40's `adversary`
broke it twice; RESULTS "Session 41 (`oneclient`)"):

- the client hash's salt is new at every start, every UTC midnight and on every instance of the
  service, so one address used to count as two clients after a restart, across midnight, or over
  two instances on one database: two hashes now prove two clients only within one salt epoch;
- one client's two journeys of a wording near the query, completed by another client's far
  wording, used to carry the nearest-wording vote: the thresholds are now met within one band
  of similarity.

Each attack is followed by the honest case next to it, which still teaches."""

from __future__ import annotations

import sqlite3

import pytest
from learned_testkit import LearningService
from postgres_testkit import new_database
from tiers_testkit import real_build

FLICKER = "article:troubleshooting/display-flickering"
CANCEL = "article:billing/cancel-lumo-plus"
WORDING = "flimflam dial"
ATTACKER, HONEST, OTHER = "198.18.50.1", "198.18.50.2", "198.18.50.3"


def tied(service, item: str = FLICKER, key: str = "flimflam") -> list[dict]:
    """The ties of ``key`` (stems) to ``item`` after a refresh that started now."""
    return [t for t in service.relearned()["ties"] if t["item"] == item and t["key"] == key]


def hashes(db, journeys: list[str] | None = None) -> int:
    """How many client hashes the SQLite file holds (those of ``journeys``' events only, when given:
    a store other tests post to)."""
    with sqlite3.connect(db) as conn:
        if journeys is None:
            return conn.execute("SELECT count(DISTINCT client) FROM events").fetchone()[0]
        marks = ",".join("?" * len(journeys))
        return conn.execute(f"SELECT count(DISTINCT client) FROM events WHERE journey IN ({marks})",
                            journeys).fetchone()[0]


def epochs(db) -> dict[str, set[str]]:
    """client → the epochs it was stored with (the SQLite file)."""
    out: dict[str, set[str]] = {}
    with sqlite3.connect(db) as conn:
        for client, epoch in conn.execute("SELECT client, client_epoch FROM events WHERE client IS NOT NULL"):
            out.setdefault(client, set()).add(epoch)
    return out


def _started(services: list, *args, **kw) -> LearningService:
    service = LearningService(*args, **kw)
    services.append(service)
    return service


@pytest.fixture
@real_build
def services():
    started: list[LearningService] = []
    yield started
    for service in started:
        service.stop()


def test_a_restart_does_not_make_one_client_two(tmp_path, services):
    db = tmp_path / "feedback.db"
    first = _started(services, db, learning=False)  # it only stores: what it learns is never asked
    for _ in range(2):
        first.journey(ATTACKER, WORDING, FLICKER, vote=1)
    first.stop()
    again = _started(services, db)  # a new process: a new salt, so a new hash for the same address
    again.n = 1000  # its journeys' event ids after the first process's
    again.journey(ATTACKER, WORDING, FLICKER, vote=1)
    assert hashes(db) == 2  # two hashes for one address ...
    assert not tied(again)  # ... that prove one client: 3 journeys, 1 client
    assert FLICKER not in again.strong(WORDING)
    assert sorted(len(e) for e in epochs(db).values()) == [1, 1]  # each with its own process's epoch
    # another customer in the new process's epoch: two clients there, and the journeys of the
    # earlier epoch still count (4 journeys, 2 clients)
    again.journey(HONEST, WORDING, FLICKER, vote=1)
    [tie] = tied(again)
    assert (tie["journeys"], tie["clients"]) == (4, 2)


def test_two_addresses_of_one_ipv6_slash_64_teach_nothing_alone_and_two_slash_64s_do(learning_service):
    """IPv6 privacy extensions: one device, a new address within its /64 for each journey (the
    proxy's X-Forwarded-For, as the service sees it behind --proxy-headers); then another /64.
    An IPv4 address mapped into IPv6 is the IPv4 address's client. The module's service (its
    other test teaches other wordings, of other items, from other addresses: its store's hashes
    are counted for this test's journeys only)."""
    service = learning_service
    journeys = [service.journey(address, WORDING, FLICKER, vote=1)
                for address in ("2001:db8:7:1::a", "2001:db8:7:1:5c3e:91ff:fe12:3456", "2001:db8:7:1:ffff:1:2:3")]
    assert hashes(service.db, journeys) == 1
    assert not tied(service)
    assert FLICKER not in service.strong(WORDING)
    journeys.append(service.journey("2001:db8:7:2::a", WORDING, FLICKER, vote=1))  # the next /64: another customer
    [tie] = tied(service)
    assert (tie["journeys"], tie["clients"]) == (4, 2)
    journeys.append(service.journey("::ffff:198.18.60.1", WORDING, FLICKER, vote=1))
    journeys.append(service.journey("198.18.60.1", WORDING, FLICKER, vote=1))
    assert hashes(service.db, journeys) == 3


def _two_instances(services, db, url=None) -> None:
    one = _started(services, db, url=url, wait=False)  # (it listens: its store is migrated)
    two = _started(services, db, url=url, wait=False)  # one database, two processes behind one balancer
    one.wait_ready()  # (their learning workers load the model at the same time)
    two.wait_ready()
    two.n = 1000  # its journeys' event ids apart from the first's
    for _ in range(2):
        one.journey(ATTACKER, WORDING, FLICKER, vote=1)
    two.journey(ATTACKER, WORDING, FLICKER, vote=1)
    assert not tied(one) and not tied(two)
    assert FLICKER not in one.strong(WORDING) and FLICKER not in two.strong(WORDING)
    two.journey(HONEST, WORDING, FLICKER, vote=1)  # a second client where the attacker's one journey is
    for service in (one, two):
        [tie] = tied(service)
        assert (tie["journeys"], tie["clients"]) == (4, 2)


def test_two_instances_on_one_sqlite_file_do_not_make_one_client_two(tmp_path, services):
    db = tmp_path / "feedback.db"
    _two_instances(services, db)
    assert {len(e) for e in epochs(db).values()} == {1}  # each hash has its instance's epoch
    assert len({e for es in epochs(db).values() for e in es}) == 2 and hashes(db) == 3


@pytest.mark.postgres
def test_two_instances_on_one_postgres_database_do_not_make_one_client_two(tmp_path, services, postgres_server):
    _two_instances(services, tmp_path / "feedback.db", url=new_database(postgres_server, "oneclient"))


@pytest.mark.slow
def test_one_client_either_side_of_utc_midnight_is_one_client(tmp_path):
    """The service in this process (``BackgroundService``), its client hasher on an injected
    clock: two journeys at 23:59:59, one at 00:00:01."""
    import httpx

    from carebase.service.config import ServiceConfig
    from carebase.service.privacy import ClientHasher
    from carebase.service.server import BackgroundService
    from learned_testkit import SITE, TOKEN, site_data_in

    site_data = site_data_in(tmp_path)
    config = ServiceConfig(database_url=f"sqlite:///{tmp_path / 'feedback.db'}", allowed_origins=(SITE,),
                           site_data=str(site_data), rate_limit=0, learn_every=0.3, token=TOKEN)
    service = BackgroundService(config, port=0, proxy_headers=True)
    midnight = 1_796_083_200.0  # 2026-12-01 00:00 UTC
    now = [midnight - 1]
    service.app.state.carebase.hasher = ClientHasher(clock=lambda: now[0])
    service.start(timeout=180)
    try:
        kit = LearningService.__new__(LearningService)  # its HTTP helpers, on this service
        kit.http, kit.n = httpx.Client(base_url=service.url, timeout=30), 0
        for _ in range(2):
            kit.journey(ATTACKER, WORDING, FLICKER, vote=1)
        now[0] = midnight + 1
        kit.journey(ATTACKER, WORDING, FLICKER, vote=1)
        assert hashes(tmp_path / "feedback.db") == 2  # a new day, a new salt: a new hash
        assert not tied(kit)
        kit.journey(HONEST, WORDING, FLICKER, vote=1)
        [tie] = tied(kit)
        assert (tie["journeys"], tie["clients"]) == (4, 2)
        kit.http.close()
    finally:
        service.stop()


def test_a_far_wording_of_another_client_does_not_complete_one_clients_vote(learning_service):
    """One honest `stop paying for lumo plus` → *Cancel Lumo Plus* (0.30 alike to the query) and
    one client's two journeys of `get my money back` → the same item: the query voted 100 % for
    it before. The attacker's near wordings now need another client near them."""
    query = "get my money back"
    learning_service.journey(HONEST, "stop paying for lumo plus", CANCEL, vote=1)
    for _ in range(2):
        learning_service.journey(ATTACKER, query, CANCEL, vote=1)
    learning_service.relearned()
    explained = learning_service.http.get("/api/v1/learned/explain", params={"q": query},
                                          headers=learning_service.auth()).json()
    walked = {(n["wording"], n["item"]): n for n in explained["neighbours"]}
    assert (query, CANCEL) in walked and ("stop paying for lumo plus", CANCEL) in walked  # both passed
    assert CANCEL not in explained["votes"]
    # a second customer with a wording near the query: its item is voted (3 journeys, 2 clients near)
    learning_service.journey(OTHER, "i want my money back", CANCEL, vote=1)
    learning_service.relearned()
    explained = learning_service.http.get("/api/v1/learned/explain", params={"q": query},
                                          headers=learning_service.auth()).json()
    assert explained["votes"].get(CANCEL, 0) > 0.5
    assert CANCEL in learning_service.strong(query)
