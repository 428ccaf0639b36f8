"""Play customer searches through the real carebase service, as the site's events.js sends them.

One journey per query (a per-tab journey id, the browser's clock in ``ts``), POSTed as one
batch to ``/api/v1/events`` of a carebase service started on 127.0.0.1 (uvicorn, SQLite
store, the help centre's manifest so unknown ids are refused), each journey from its own
client: the service runs with ``--proxy-headers`` and each journey's batch carries its own
``X-Forwarded-For`` address from the benchmarking range 198.18.0.0/15 (``client_address``),
so the store holds one client hash per journey, as from customers, and the report's
per-client counting is exercised (before session 30 every journey came from 127.0.0.1: one
client hash, which the report counts as before, by failed searches):

* ``search`` with the query, the result count the customer saw and ``source: search-page``;
* the right article among the 10 results shown: a result ``click`` at its rank, then a "Yes"
  vote with probability ``yes_after_click``;
* not shown: the customer browses to it (the site sends nothing for browsing) and votes
  "Yes" with probability ``vote_rate``; otherwise the journey ends with nothing more recorded;
* not in the help centre at all (an article removed for the held-out-topics run): the
  journey ends after the search.

That is the default, ``customers="plain"``. ``customers="realistic"`` (play_customers.py, declared in
RESULTS "Session 48 (`harness`)"): a customer who does not find the article may click a wrong
result (rank bias), vote "No" there with a reason and sometimes a comment, or contact support;
one who finds it may vote "No" too; the journeys span days, each page's events posted at the
customer's time to the in-process service (its clock moved, ``play_customers.moved_clock``).

Play order: the journeys are played in the order given (the harness's half A is in the data
file's order, which BANKING77 sorts by intent: one need's searches one after another, so time
separates needs, an artefact no real store has). ``order_seed`` plays them interleaved
(``interleaved``): the same journeys, each with its own events and random draws as in the given
order, posted in a seeded shuffled order and timed in that order.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import random
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import play_customers as customer_models

ORIGIN = "http://help.example"
SHOWN = 10
BENCH_NET = ipaddress.ip_network("198.18.0.0/15")  # RFC 2544 benchmarking range


def client_address(n: int) -> str:
    """The ``X-Forwarded-For`` address of the ``n``-th simulated client."""
    return str(BENCH_NET.network_address + 1 + n)


@dataclass
class Outcome:
    clicked: int = 0  # the article was shown and clicked
    clicked_low: int = 0  # … at rank 2 or lower
    browsed_voted: int = 0  # not shown, reached by browsing and voted Yes
    browsed_silent: int = 0  # not shown, nothing recorded after the search
    accepted: int = 0  # events the service stored
    sent: customer_models.Tally = field(default_factory=customer_models.Tally)  # events sent, by kind
    days: int = 0  # distinct days (UTC) the searches were sent on


class Service:
    """The carebase service on a free port of 127.0.0.1, in this process (``BackgroundService``),
    following the build output of the catalogue (written as ``carebase build`` does)."""

    def __init__(self, catalogue, work: Path):
        from carebase.output import open_output
        from carebase.service.config import ServiceConfig
        from carebase.service.server import BackgroundService

        self.db = work / "feedback.db"
        open_output(work / "site-data", catalogue)
        config = ServiceConfig(database_url=f"sqlite:///{self.db}", allowed_origins=(ORIGIN,),
                               site_data=str(work / "site-data"), rate_limit=0)
        self.background = BackgroundService(config, port=0, proxy_headers=True).start(timeout=30)
        self.url = self.background.url
        self._connection: http.client.HTTPConnection | None = None

    def post(self, events: list[dict], address: str) -> dict:
        """``address``: the client's, sent as ``X-Forwarded-For`` (the service trusts it from 127.0.0.1).
        One HTTP/1.1 connection kept open for every post (what the service stores is the same: each
        batch carries its client's address): a new connection a post cost ~0.35 ms of CPU more, a
        fifth of a realistic play's (tests/search/test_search_played_customers.py, benchmarks/RESULTS.md
        "Session 49 (`suite`)"). A connection the service closed while it idled (uvicorn's keep-alive
        timeout) is opened again once: the post was not received."""
        body = json.dumps({"events": events}).encode()
        headers = {"Content-Type": "text/plain;charset=UTF-8", "Origin": ORIGIN, "X-Forwarded-For": address}
        for attempt in (1, 2):
            if self._connection is None:
                url = urllib.parse.urlsplit(self.url)
                self._connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            try:
                self._connection.request("POST", "/api/v1/events", body=body, headers=headers)
                response = self._connection.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._connection.close()
                self._connection = None
                if attempt == 2:
                    raise
                continue
            answer = response.read()
            if response.status != 200:
                raise RuntimeError(f"POST /api/v1/events: HTTP {response.status}: {answer[:300]!r}")
            return json.loads(answer)
        raise AssertionError("unreachable")

    def stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.background.stop()


def journeys(played, catalogue, *, seed: int, vote_rate: float, yes_after_click: float, start_ms: int,
             customers: str = "plain", model: customer_models.Model = customer_models.REALISTIC):
    """Yield (events of one journey, what happened) for each (query, ranked ids, total).
    ``customers="realistic"``: play_customers.journey, spread from ``start_ms`` over ``model.days``."""
    rng = random.Random(seed)
    revisions = {item.id: item.revision for item in catalogue.items()}
    clock = start_ms
    if customers == "realistic":
        step = model.days * customer_models.DAY_MS // max(1, len(played))  # each search in its own slot of time
        for n, (query, ranked, total) in enumerate(played):
            clock = start_ms + n * step + rng.randrange(step)
            yield customer_models.journey(rng, model, n, query, list(dict.fromkeys(ranked))[:SHOWN], total,
                                          catalogue, revisions, clock, vote_rate=vote_rate,
                                          yes_after_click=yes_after_click)
        return
    if customers != "plain":
        raise ValueError(f"customers: expected one of {', '.join(customer_models.KINDS)}, found {customers!r}")
    for n, (query, ranked, total) in enumerate(played):
        journey = f"j{n:06d}{rng.randrange(1 << 32):08x}"
        clock += rng.randrange(20_000, 120_000)
        ts = clock
        ids = list(dict.fromkeys(ranked))[:SHOWN]
        batch = [{"id": f"{journey}-s", "type": "search", "ts": ts, "page": "/search/", "journey": journey,
                  "query": query.text[:200], "results": total, "source": "search-page"}]
        vote = None
        if query.target in ids:
            rank = ids.index(query.target) + 1
            ts += rng.randrange(3_000, 20_000)
            batch.append({"id": f"{journey}-c", "type": "click", "ts": ts, "page": "/search/", "journey": journey,
                          "query": query.text[:200], "item": query.target, "rank": rank})
            how = "clicked_low" if rank > 1 else "clicked"
            if rng.random() < yes_after_click:
                vote = ts + rng.randrange(20_000, 90_000)
        elif catalogue.get(query.target) is None:
            how = "browsed_silent"  # nothing to find: the journey ends after the search
        elif rng.random() < vote_rate:
            how = "browsed_voted"
            vote = ts + rng.randrange(30_000, 180_000)
        else:
            how = "browsed_silent"
        if vote is not None:
            page = "/" + catalogue.get(query.target).url
            batch.append({"id": f"{journey}-v", "type": "vote", "ts": vote, "page": page, "journey": journey,
                          "item": query.target, "value": 1, "scale": "helpful", "source": "widget",
                          "revision": revisions[query.target], "vote_key": f"k{journey}"})
        yield batch, how


def interleaved(sent: list, order_seed: int) -> list:
    """``sent`` — (n, events of one journey, what happened), in the order given — shuffled by
    ``random.Random(order_seed)``, each journey moved in time to the place it is played at: the
    k-th journey played starts (its search) when the k-th journey in the given order did, its
    other events as far after its search as before. Journey ids, event ids, draws and clients
    (``n``) are the given order's: only the order and the times change."""
    order = list(range(len(sent)))
    random.Random(order_seed).shuffle(order)
    out = []
    for slot, i in enumerate(order):
        n, batch, how = sent[i]
        shift = sent[slot][1][0]["ts"] - batch[0]["ts"]
        out.append((n, [dict(e, ts=e["ts"] + shift) for e in batch], how))
    return out


def play(played, catalogue, *, seed: int = 77, vote_rate: float = 0.5, yes_after_click: float = 0.3,
         work: Path | None = None, order_seed: int | None = None, customers: str = "plain",
         model: customer_models.Model = customer_models.REALISTIC) -> tuple[Path, Outcome]:
    """Send every journey to a fresh service; returns (the SQLite file, the outcome counts).
    ``order_seed``: the journeys interleaved (``interleaved``); None: in the order given.
    ``customers``: "plain" (the default: one batch per journey, received now) or "realistic"
    (play_customers.py: one batch per page, received at the customer's time over ``model.days``)."""
    if customers not in customer_models.KINDS:
        raise ValueError(f"customers: expected one of {', '.join(customer_models.KINDS)}, found {customers!r}")
    work = Path(work or tempfile.mkdtemp(prefix="carebase-gaploop-"))
    service = Service(catalogue, work)
    outcome = Outcome()
    realistic = customers == "realistic"
    try:
        now_ms = int(time.time() * 1000)
        start_ms = now_ms - (model.days * customer_models.DAY_MS + 3_600_000 if realistic
                             else 120_000 * (len(played) + 10))
        sent = [(n, batch, how) for n, (batch, how) in enumerate(journeys(
            played, catalogue, seed=seed, vote_rate=vote_rate, yes_after_click=yes_after_click, start_ms=start_ms,
            customers=customers, model=model))]
        if order_seed is not None:
            sent = interleaved(sent, order_seed)
        days = set()
        with customer_models.moved_clock() as clock:
            for n, batch, how in sent:
                posts = customer_models.by_page(batch) if realistic else [batch]
                for events in posts:
                    if realistic:  # received a moment after the page's last event, never after now
                        clock.now_ms = min(now_ms, events[-1]["ts"] + 400)
                    answer = service.post(events, client_address(n))  # one client per journey
                    outcome.accepted += answer["accepted"]
                setattr(outcome, how, getattr(outcome, how) + 1)
                if how == "clicked_low":
                    outcome.clicked += 1
                outcome.sent.add(batch, played[n][0].target)
                days.add(batch[0]["ts"] // customer_models.DAY_MS)
        outcome.days = len(days)
    finally:
        service.stop()
    return service.db, outcome
