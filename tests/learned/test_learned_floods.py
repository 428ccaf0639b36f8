"""Adversarial traffic through the real service (127.0.0.1, a real SQLite file, behind
--proxy-headers so each X-Forwarded-For address is one client), then the real ``carebase
report`` on it: one client floods failed searches for an invented topic (rotating journeys,
and the same wording with trivial variations), three clients collude on another, one client
floods "No" votes with a reason and a comment on one article. A need 40 customers raised and
an article 12 customers voted down must come first, and the rows built by one client must say so.
Journey evidence is counted by client too: one client's three journeys from a small real gap to
an unrelated page do not relabel the gap "findability" of that page, and one client's three
journeys that clicked a page low in the results do not make its words keyword suggestions.
Whether a row's searches mostly succeed is counted by client as well: one client's forty
successful searches of the small gap do not move it to "filled", one client's twenty failed
searches of a wording six customers found do not keep it in the backlog; three addresses' forty
successful searches do not outvote six customers' gap, nine customers who now find a wording four
failed do. A row's label, typical wordings and shared words weigh clients, not searches: one
client's thirty searches of a crafted wording grouped with six customers' row do not name it.

The service's own limit (600 events a minute per client, ``--rate-limit``) is lifted here to
post quickly: the events are the ones a client at that limit sends in under a minute."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from learned_testkit import REPO, SITE, LearningService
from tiers_testkit import real_build

REAL = ["is there a student discount", "student discount", "Student discount please", "student discount?",
        "any student discounts"]
INVENTED = "free pizza voucher for reviewers"
VARIANTS = ["Free Pizza Voucher for reviewers!", "free piza voucher for reviewers", "FREE PIZZA VOUCHERS FOR REVIEWERS",
            "free pizza voucher, for reviewers?"]
COLLUDED = "lottery prize claim form"
REFUNDS = "article:billing/refunds"
HEATING = "article:troubleshooting/heating-wont-turn-on"
FLOOD = 300  # failed searches from the one client, each in its own journey
SMALL_GAP = "my tenant pays the energy bill"  # four customers, nothing answers it
DETOUR = "article:app-and-account/voice-assistants"  # the page one client "reached" from it, 3 times
LOW = "article:getting-started/whats-in-the-box"  # one client clicks it 3rd, 3 times, for its words
LOW_QUERY = "holiday tenant"
LOW_TOO = "article:installation/heat-pumps"  # three customers click it 3rd for the same words
HIDE = 40  # one client's successful searches of the small gap (each clicks Refunds first)
FOUND = "how do i get a refund"  # six customers find Refunds; one client abandons it 20 times
HIDDEN = "heat my greenhouse"  # six customers fail it; three addresses make 13 + 13 + 14 successful searches
FIXED = "wifi password changed"  # four customers failed it, nine now find the Wi-Fi video
POOL = ["control my pool heater", "pool heater support", "can lumo run a pool heater", "swimming pool heater",
        "pool heater thermostat", "pool heater help"]  # six customers, nothing answers it
CRAFTED = "pool heater fire hazard lawsuit"  # one client, thirty failed searches
OUTNUMBERED = "warm my garage"  # six customers fail it; seven addresses make 6 successful searches each


class Poster:
    def __init__(self, service: LearningService):
        self.http, self.n = service.http, 0

    def post(self, address: str, events: list[dict]) -> None:
        for start in range(0, len(events), 100):
            r = self.http.post("/api/v1/events", content=json.dumps({"events": events[start:start + 100]}),
                               headers={"Content-Type": "text/plain", "Origin": SITE, "X-Forwarded-For": address})
            assert r.status_code == 200, r.text

    def _id(self) -> str:
        self.n += 1
        return f"flood{self.n:06d}"

    def failed_search(self, query: str) -> dict:
        """A search with no result, in a journey of its own."""
        ident = self._id()
        return {"id": ident, "type": "search", "query": query, "results": 0, "journey": "j" + ident,
                "source": "search-page"}

    def journey(self, query: str, results: int, then: dict) -> list[dict]:
        """A search, then ``then`` (a click or a vote, without id/journey/ts) in the same journey."""
        ident = self._id()
        search = {"id": ident, "type": "search", "query": query, "results": results, "journey": "j" + ident,
                  "source": "search-page", "ts": 1_000}
        return [search, {"id": ident + "t", "journey": "j" + ident, "ts": 2_000, **then}]

    def abandoned_search(self, query: str) -> dict:
        """A search with results, in a journey of its own that clicks nothing."""
        return {**self.failed_search(query), "results": 5}

    def vote(self, item: str, value: int, **extra) -> dict:
        ident = self._id()
        return {"id": ident, "type": "vote", "item": item, "value": value, "vote_key": "k" + ident,
                "journey": "j" + ident, **extra}


@pytest.fixture(scope="module")
@real_build
def flooded(tmp_path_factory):
    """(report.json, report.md) of a store that holds the attacks and the real needs."""
    folder = tmp_path_factory.mktemp("floods")
    with pytest.MonkeyPatch.context() as patch:  # lexical: the order under test does not depend on the vectors
        patch.setenv("CAREBASE_SEMANTIC", "0")
        service = LearningService(folder / "feedback.db", "--learn-every", "3600")
    try:
        poster = Poster(service)
        for n in range(40):  # forty customers, one or two failed searches each
            wording = REAL[n % len(REAL)]
            poster.post(f"198.18.2.{n + 1}", [poster.failed_search(wording) for _ in range(1 + n % 2)])
        poster.post("198.18.9.9", [poster.failed_search(INVENTED) for _ in range(FLOOD)]
                    + [poster.failed_search(v) for v in VARIANTS for _ in range(20)])
        for n in range(3):
            poster.post(f"198.18.8.{n + 1}", [poster.failed_search(COLLUDED) for _ in range(100)])
        for n in range(12):  # twelve customers on a page that fails: 9 "No", 3 "Yes"
            poster.post(f"198.18.3.{n + 1}", [poster.vote(HEATING, 0 if n < 9 else 1)])
        for n in range(12):  # twelve customers on the refunds page: all "Yes"
            poster.post(f"198.18.4.{n + 1}", [poster.vote(REFUNDS, 1)])
        poster.post("198.18.9.9", [poster.vote(REFUNDS, 0, reason="Out of date", comment=f"scam page {n}")
                                   for n in range(200)])
        for n in range(4):  # a small real gap: four customers
            poster.post(f"198.18.5.{n + 1}", [poster.failed_search(SMALL_GAP)])
        # one client: the same gap three times, each journey then voting "Yes" on an unrelated page …
        yes = {"type": "vote", "item": DETOUR, "value": 1, "source": "widget"}
        poster.post("198.18.9.7", [e for n in range(3) for e in poster.journey(SMALL_GAP, 0, {**yes, "vote_key": f"detour-key-{n}"})])
        # … and three journeys that clicked a page 3rd in the results for words its title lacks
        click = {"type": "click", "item": LOW, "query": LOW_QUERY, "rank": 3}
        poster.post("198.18.9.7", [e for _ in range(3) for e in poster.journey(LOW_QUERY, 5, click)])
        for n in range(3):
            poster.post(f"198.18.6.{n + 1}", poster.journey(LOW_QUERY, 5, {**click, "item": LOW_TOO}))
        # one client makes the small gap look found: 40 journeys that search it and click Refunds first
        first = {"type": "click", "item": REFUNDS, "query": SMALL_GAP, "rank": 1}
        poster.post("198.18.9.6", [e for _ in range(HIDE) for e in poster.journey(SMALL_GAP, 5, first)])
        for n in range(6):  # six customers find Refunds; one client abandons the same search 20 times
            poster.post(f"198.18.7.{n + 1}", poster.journey(FOUND, 5, {**first, "query": FOUND}))
        poster.post("198.18.9.5", [poster.abandoned_search(FOUND) for _ in range(20)])
        for n in range(6):  # six customers fail a gap; three addresses search it 40 times and click Refunds
            poster.post(f"198.18.10.{n + 1}", [poster.failed_search(HIDDEN)])
        for n, k in enumerate((13, 13, 14)):
            poster.post(f"198.18.11.{n + 1}", [e for _ in range(k) for e in poster.journey(HIDDEN, 5, {**first, "query": HIDDEN})])
        for n in range(4):  # a real fix: four customers abandoned a wording, nine now find the video
            poster.post(f"198.18.12.{n + 1}", [poster.abandoned_search(FIXED)])
        for n in range(9):
            poster.post(f"198.18.13.{n + 1}", poster.journey(FIXED, 5, {**first, "query": FIXED, "item": "video:reconnect-wifi"}))
        for n, wording in enumerate(POOL):  # six customers; one client, thirty searches of a crafted wording
            poster.post(f"198.18.14.{n + 1}", [poster.failed_search(wording)])
        poster.post("198.18.9.4", [poster.failed_search(CRAFTED) for _ in range(30)])
        for n in range(6):  # more addresses than the gap has customers: filled, found mostly by few addresses
            poster.post(f"198.18.15.{n + 1}", [poster.failed_search(OUTNUMBERED)])
        for n in range(7):
            poster.post(f"198.18.16.{n + 1}",
                        [e for _ in range(6) for e in poster.journey(OUTNUMBERED, 5, {**first, "query": OUTNUMBERED})])
    finally:
        service.stop()
    out = folder / "report"
    done = subprocess.run([sys.executable, "-m", "carebase", "report", "--site-data", str(folder / "site-data"),
                           "--db", f"sqlite:///{folder / 'feedback.db'}", "--out", str(out), "--min-searches", "3"],
                          capture_output=True, text=True, cwd=REPO, timeout=300,
                          env={**os.environ, "CI": "1", "CAREBASE_SEMANTIC": "0"})
    assert done.returncode == 0, done.stderr
    return json.loads((out / "report.json").read_text()), (out / "report.md").read_text()


def _live_page(flooded, folder) -> str:
    """The live ``/report`` of a service on the same store, serving the model ``carebase report``
    wrote (the live report's own build is that command with ``--format json``; placed where the
    service keeps its 28-day model, it is served as built: ``report_every`` 0)."""
    import httpx

    from carebase.service.config import ServiceConfig
    from carebase.service.server import BackgroundService

    from carebase.content import load_catalogue
    from carebase.output import open_output

    open_output(folder / "site-data", load_catalogue(REPO / "content"))  # as `carebase build` writes it
    model = folder / "live" / "28d" / "report.json"
    model.parent.mkdir(parents=True)
    model.write_text(json.dumps(flooded[0]))
    config = ServiceConfig(database_url=f"sqlite:///{folder / 'live.db'}", site_data=str(folder / "site-data"),
                           token="live-token", report_dir=str(folder / "live"), report_every=0, rate_limit=0,
                           learn_every=0)
    service = BackgroundService(config, port=0).start()
    try:
        with httpx.Client(base_url=service.url, timeout=60, auth=("lead", "live-token")) as client:
            page = client.get("/report", params={"status": "all"})
            assert page.status_code == 200, page.text[:300]
            return page.text
    finally:
        service.stop()


def _row(report: dict, wording: str) -> dict:
    return next(c for c in report["missing"]["clusters"]
                if any(q["query"].lower() == wording.lower() for q in c["all_queries"]))


def test_a_need_forty_customers_raised_outranks_one_clients_flood(flooded):
    report, md = flooded
    real, invented, colluded = _row(report, REAL[0]), _row(report, INVENTED), _row(report, COLLUDED)
    assert real["rank"] == 1 and real["clients"] == 40 and real["counted"] == real["failed"] == 60
    assert not real["one_client"]
    assert invented["failed"] >= FLOOD and invented["clients"] == 1 and invented["one_client"]
    assert invented["counted"] == 3 and invented["largest_client"] == invented["failed"]
    assert colluded["failed"] == 300 and colluded["clients"] == 3 and colluded["counted"] == 9
    assert not colluded["one_client"] and real["rank"] < colluded["rank"] < invented["rank"]
    assert f"(**one client**: {invented['largest_client']} of its failed searches)" in md
    assert "| 60 (40 clients) |" in md


def test_trivial_variations_of_one_clients_wording_stay_one_clients_rows(flooded):
    report, _ = flooded
    rows = {id(c): c for v in [INVENTED, *VARIANTS] for c in [_row(report, v)]}
    assert sum(c["failed"] for c in rows.values()) == FLOOD + 20 * len(VARIANTS)
    for c in rows.values():  # however the variations were grouped, each row is one client's and counts 3
        assert c["one_client"] and c["counted"] == 3 and c["rank"] > _row(report, COLLUDED)["rank"]


def test_one_clients_no_votes_count_three_times_and_the_report_says_so(flooded):
    report, _ = flooded
    items = {r["id"]: r for r in report["items"]}
    assert report["failing"][0]["id"] == HEATING and items[HEATING]["n"] == 12
    assert REFUNDS not in {r["id"] for r in report["failing"]}  # 12 "Yes" and the client's 3 "No"
    refunds = items[REFUNDS]
    assert (refunds["n"], refunds["unhelpful"], refunds["capped"], refunds["capped_clients"]) == (15, 3, 197, 1)


def test_one_clients_journeys_do_not_relabel_a_small_gap(flooded):
    report, _ = flooded
    gap = _row(report, SMALL_GAP)
    assert gap["failed"] == 7 and gap["clients"] == 5 and gap["counted"] == 7
    assert gap["searches"] == 7 + HIDE and gap["found_counted"] == 3  # one client's 40 found: counted 3
    assert gap["status"] == "gap", (gap["status"], gap.get("closest"), gap.get("evidence"))
    assert gap["evidence"]["reached"] == [{"id": DETOUR, "journeys": 3, "counted": 1}]


def test_one_clients_low_clicks_suggest_no_keywords_three_customers_do(flooded):
    report, _ = flooded
    words = {row["id"]: {w["word"]: w for w in row["words"]} for row in report["missing"]["keywords"]}
    assert LOW not in words, words.get(LOW)
    assert {"holiday", "tenant"} <= set(words[LOW_TOO])
    assert (words[LOW_TOO]["tenant"]["journeys"], words[LOW_TOO]["tenant"]["counted"]) == (3, 3)


def test_one_client_decides_no_rows_mostly_found(flooded):
    """The small gap stays a gap (above); a wording six customers found is filled although one
    client failed it twenty times."""
    report, _ = flooded
    row = next((c for c in report["missing"]["filled"] if any(q["query"] == FOUND for q in c["all_queries"])), None)
    assert row is not None, [(c["status"], c["label"]) for c in report["missing"]["clusters"]]
    assert (row["failed"], row["searches"], row["counted"], row["found_counted"]) == (20, 26, 3, 6)
    assert row["action"] == "Most of these searches succeed (6 of 26; counted by client 6 of 9; found by 6 clients, failed by 1)"
    assert not any(q["query"] == FOUND for c in report["missing"]["clusters"] for q in c["all_queries"])


def test_three_addresses_do_not_outvote_six_customers_nine_customers_do(flooded):
    """"Mostly found" needs more clients that found a row than clients that failed it."""
    report, _ = flooded
    hidden = _row(report, HIDDEN)
    assert (hidden["failed"], hidden["searches"], hidden["clients"]) == (6, 46, 6)
    assert (hidden["counted"], hidden["found_counted"], hidden["found_clients"]) == (6, 9, 3)
    assert hidden["status"] == "gap", (hidden["status"], hidden.get("action"))
    fixed = next((c for c in report["missing"]["filled"] if c["label"] == FIXED), None)
    assert fixed is not None, [(c["status"], c["label"]) for c in report["missing"]["clusters"]]
    assert (fixed["failed"], fixed["searches"], fixed["found_counted"], fixed["found_clients"]) == (4, 13, 9, 9)
    assert fixed["action"] == "Most of these searches succeed (9 of 13; counted by client 9 of 13; found by 9 clients, failed by 4)"


def test_one_clients_crafted_wording_does_not_name_six_customers_row(flooded):
    report, md = flooded
    pool = _row(report, POOL[0])
    assert (pool["failed"], pool["clients"], pool["largest_client"]) == (36, 7, 30)  # its searches still counted
    assert {q["query"] for q in pool["all_queries"]} == {*POOL, CRAFTED}
    assert pool["status"] == "gap" and pool["label"] in POOL and pool["suggestion"]["title"].lower() in POOL
    assert CRAFTED not in pool["typical"][:3] and CRAFTED not in pool["suggestion"]["keywords"][:3]
    assert {"pool"} <= set(pool["shared_words"]) and not {"fire", "hazard", "lawsuit"} & set(pool["shared_words"])
    assert CRAFTED not in [q["query"] for q in pool["queries"][:4]] and CRAFTED not in md.lower()


def test_more_addresses_than_customers_fill_a_gap_and_the_report_says_who_found_it(flooded, tmp_path):
    """No count tells seven addresses from seven customers: a gap six customers failed is filled by
    seven addresses' forty-two successful searches. What the lead sees says so: both sides'
    searches, clients and busiest client, and "found mostly by few addresses" (listed first) in
    report.md, index.html's list and the live /report; the honest fix (nine customers found a
    wording four failed) is listed without it."""
    report, md = flooded
    filled = {c["label"]: c for c in report["missing"]["filled"]}
    row, fixed = filled[OUTNUMBERED], filled[FIXED]
    assert (row["failed"], row["searches"], row["clients"], row["found_clients"]) == (6, 48, 6, 7)
    assert row["spread"] == {"failed": {"searches": 6, "clients": 6, "busiest": 1},
                             "found": {"searches": 42, "clients": 7, "busiest": 6}, "few_found": True}
    assert fixed["spread"] == {"failed": {"searches": 4, "clients": 4, "busiest": 1},
                               "found": {"searches": 9, "clients": 9, "busiest": 1}, "few_found": False}
    says = ("found: 42 searches by 7 clients (busiest 6); failed: 6 by 6 clients (busiest 1)")
    assert f"- “{OUTNUMBERED}” ×6 → {row['closest']['title']} — **found mostly by few addresses** — {says}" in md
    assert "found mostly by few addresses, listed first:" in md
    honest = next(line for line in md.splitlines() if line.startswith(f"- “{FIXED}”"))
    assert "few addresses" not in honest and "found: 9 searches by 9 clients (busiest 1)" in honest
    first = md.index(f"- “{OUTNUMBERED}”")
    assert first < md.index(honest)
    page = _live_page(flooded, tmp_path)
    item = page[page.index(f"“{OUTNUMBERED}”") - 200:page.index(f"“{OUTNUMBERED}”") + 300]
    assert '<span class="badge thin">found mostly by few addresses</span>' in item and says in item
