"""A planted journey set in a real store (SQLite, and PostgreSQL) yields exactly the expected
learned phrasings."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete

from carebase.learned.blocks import add_block
from carebase.learned.model import Settings, learn
from carebase.learned.ties import Thresholds
from carebase.store.schema import events

REFUNDS = "article:billing/refunds"
WIFI = "article:troubleshooting/wifi"
CANCEL = "article:billing/cancel"
OFFLINE = "article:troubleshooting/offline"


def plant(store) -> None:
    # "refund" → refunds: three journeys, two clients, through the three routes
    store.add("j1", "client-a", ("search", "refund"), ("click", REFUNDS, "refund"))  # a result click
    store.add("j2", "client-b", ("search", "Refunds?"), ("vote", REFUNDS, 1))  # a "Yes" after browsing
    store.add("j3", "client-a", ("search", "get a refund"), ("search", "money back"),  # reached by a later search
              ("click", REFUNDS, "money back"))
    # below the thresholds: two journeys from two clients
    store.add("j4", "client-c", ("search", "thermostat offline"), ("click", OFFLINE, "thermostat offline"))
    store.add("j5", "client-d", ("search", "thermostat offline"), ("click", OFFLINE, "thermostat offline"))
    # one client alone, however many journeys
    for n in range(6):
        store.add(f"j-solo-{n}", "client-e", ("search", "stop plan"), ("click", CANCEL, "stop plan"))
    # clicked, then "No" — or then "contact support"
    for n, client in enumerate(("client-f", "client-g", "client-h")):
        store.add(f"j-no-{n}", client, ("search", "wifi dropping"), ("click", WIFI, "wifi dropping"),
                  ("vote", WIFI, 0))
    for n, client in enumerate(("client-i", "client-j")):
        store.add(f"j-contact-{n}", client, ("search", "wifi dropping"), ("click", WIFI, "wifi dropping"),
                  ("contact",))
    store.add("j-contact-2", "client-k", ("search", "wifi dropping"), ("click", WIFI, "wifi dropping"),
              ("contact",))
    # Do-Not-Track: no journey, no client — never evidence
    for _ in range(4):
        store.add(None, None, ("search", "stop plan"), ("click", CANCEL, "stop plan"), ("vote", CANCEL, 1))


def learned_ties(store, **kw):
    snapshot = learn(store.engine, Settings(**kw), now_ms=store.clock + 1)
    return {(t.key, t.item_id): (t.journeys, t.clients) for t in snapshot.ties}, snapshot


def test_planted_journeys_yield_exactly_the_expected_ties(store):
    plant(store)
    ties, snapshot = learned_ties(store)
    assert ties == {("refund", REFUNDS): (3, 2)}
    [tie] = snapshot.ties
    assert tie.phrase == "refund" and set(tie.wordings) == {"refund", "refunds?", "get a refund"}
    # whole wordings rank only inside the service: the wordings behind "refund" are there
    texts = {(w.text, w.item_id) for w in snapshot.nearest.records}
    assert {("refund", REFUNDS), ("refunds?", REFUNDS), ("get a refund", REFUNDS), ("money back", REFUNDS)} <= texts
    assert not any(item == WIFI for _, item in texts)  # a "No" or a contact teaches nothing


def test_thresholds_are_settings(store):
    plant(store)
    ties, _ = learned_ties(store, thresholds=Thresholds(min_journeys=2, min_clients=2))
    assert ("offlin", OFFLINE) in ties and ("thermostat offlin", OFFLINE) in ties
    assert not any(item == CANCEL for _, item in ties)  # one client is never enough
    ties, _ = learned_ties(store, thresholds=Thresholds(min_journeys=2, min_clients=1))
    assert ties[("stop plan", CANCEL)] == (6, 1)


def test_a_block_removes_the_tie_and_its_wordings(store):
    plant(store)
    with store.engine.begin() as conn:
        add_block(conn, "Refunds", item_id=REFUNDS)
        add_block(conn, "refund", item_id=WIFI)  # another item's block changes nothing here
    ties, snapshot = learned_ties(store)
    assert ties == {}
    assert not any("refund" in w.text for w in snapshot.nearest.records)
    assert ("money back", REFUNDS) in {(w.text, w.item_id) for w in snapshot.nearest.records}


def test_deleting_a_journeys_events_forgets_what_it_taught(store):
    plant(store)
    with store.engine.begin() as conn:
        conn.execute(delete(events).where(events.c.journey == "j2"))
    ties, snapshot = learned_ties(store)
    assert ties == {}  # "refund" now has two journeys: below the threshold
    assert "refunds?" not in {w.text for w in snapshot.nearest.records}


def test_the_report_s_lacking_words_leave_out_typos_of_the_item_s_own_words(store, tmp_path):
    """The demo's report listed "crate" (and "deltee") as words *Create a Lumo account* (*Delete
    your Lumo account*) lacks: typos search already corrects are no keyword to add."""
    from carebase.content.loader import load_catalogue
    from carebase.learned.report import LearnedEvidence
    from carebase.report.findability import learned_rows
    from carebase.report.links import SourceLinks

    content = tmp_path / "content"
    content.mkdir()
    (content / "create-an-account.md").write_text("---\ntitle: Create a Lumo account\n---\n\nOpen the app.\n")
    account = "article:create-an-account"
    for n, (client, query) in enumerate([("client-a", "crate account"), ("client-b", "crate account"),
                                         ("client-a", "crate an account"), ("client-c", "signup lumo"),
                                         ("client-d", "signup"), ("client-c", "signup")]):
        store.add(f"j-acct-{n}", client, ("search", query), ("click", account, query))
    with store.engine.connect() as conn:
        learned = LearnedEvidence(conn, 0, store.clock + 1)
    _, rows = learned_rows(learned, load_catalogue(content), SourceLinks("content", tmp_path / "report"))
    [row] = rows
    assert {p["phrase"] for p in row["reach_with"]} >= {"crate", "signup"}  # learned from, both
    assert row["lacks"] == ["signup"]


def test_a_block_takes_out_its_wordings_for_the_service_and_the_report_alike(store, tmp_path):
    """Blocking "arrive" for an item takes out the wordings that hold it: the partner word "card"
    stays tied only by the other wordings, in the service's snapshot, the report's "customers
    reach this with" and the report's keyword suggestions alike; a block of three words too."""
    from carebase.content.loader import load_catalogue
    from carebase.learned.blocks import Blocks, list_blocks
    from carebase.learned.report import LearnedEvidence
    from carebase.report.build import make_normaliser
    from carebase.report.findability import Suggester
    from carebase.report.links import SourceLinks

    for n in range(3):
        store.add(f"j-arrive-{n}", f"client-{n}", ("search", "when will my card arrive"),
                  ("click", REFUNDS, "when will my card arrive"))
        store.add(f"j-deliver-{n}", f"client-d{n}", ("search", "card delivery"), ("click", REFUNDS, "card delivery"))
        store.add(f"j-long-{n}", f"client-l{n}", ("search", "stop my plan renewing"),
                  ("click", CANCEL, "stop my plan renewing"))
    with store.engine.begin() as conn:
        add_block(conn, "arrive", item_id=REFUNDS)
        add_block(conn, "stop plan renewing")  # three words, every item
        blocks = Blocks(list_blocks(conn))
    ties, snapshot = learned_ties(store)
    assert ties[("card", REFUNDS)] == (3, 3) and ("deliveri", REFUNDS) in ties
    assert not [key for key, item in ties if "arriv" in key or item == CANCEL]
    assert {w.text for w in snapshot.nearest.records} == {"card delivery"}
    with store.engine.connect() as conn:
        report = LearnedEvidence(conn, 0, store.clock + 1)
    assert {(t.key, t.item_id): (t.journeys, t.clients) for t in report.ties} == ties
    assert report.share("arrive", REFUNDS) is None  # no wording left that holds it

    content = Path(__file__).resolve().parents[2] / "content"  # the demo's
    catalogue = load_catalogue(content)
    suggester = Suggester(catalogue, make_normaliser(catalogue), SourceLinks(content, tmp_path),
                          min_journeys=1, blocks=blocks)
    suggester.add("when will my card arrive", "article:billing/refunds", 3, how="low")
    suggester.add("stop my plan renewing", "article:billing/cancel-lumo-plus", 3, how="low")
    assert not suggester.evidence
    suggester.add("card delivery", "article:billing/refunds", 3, how="low")
    assert set(suggester.evidence["article:billing/refunds"]) == {"card", "deliveri"}


def test_a_block_holds_against_typos_look_alikes_and_invisible_characters():
    """A blocked word misspelt (as search's spelling rule sees a typo), written with a Cyrillic
    or Greek letter that looks Latin, split by an invisible character, in capitals or full-width
    is the blocked word; a real word one letter away ("care" for "card") and another item are not."""
    from carebase.learned.blocks import Block, Blocks
    from carebase.learned.phrases import key_of, normalise

    blocks = Blocks([Block(1, "refund", key_of("refund"), REFUNDS, 0, None),
                     Block(2, "card", key_of("card"), REFUNDS, 0, None)])
    held = ["refund", "refundd", "refnud", "rfund", "REFUNDS please", "re\u200dfund", "re\u00adfund", "r\u0435fund",
            "r\u03b5fund", "\uff52\uff45\uff46\uff55\uff4e\uff44", "my crad", "cadr"]
    assert [w for w in held if blocks.allows(normalise(w), REFUNDS)] == []
    assert [w for w in held if not blocks.allows(normalise(w), WIFI)] == []
    assert [w for w in ["return", "refill", "care", "cart", "money back"] if not blocks.allows(normalise(w), REFUNDS)] == []


def test_an_address_in_a_pasted_link_teaches_no_word_of_it():
    """``john.smith%40example.com`` is stored as typed (the masker does not read %40 as @); learning
    decodes the escapes first, so none of the address's words can become a learned phrase."""
    from carebase.learned.phrases import phrases

    learned = set(phrases("reset link https://help.example/login?user=john.smith%40example.com broken").values())
    assert not {w for w in learned if "john" in w or "smith" in w or "40" in w}, learned
    assert {"reset", "link", "broken"} <= learned


def test_a_one_word_block_holds_against_the_word_split_in_two():
    """"re fund", "re-fund" and "glorp tax" are next to "refund" and "glorptax" for the embedding
    model (cosines 0.50-0.58, over the nearest wordings' floor of 0.30): they taught through a
    block until the code reader's finding 4. A two-word block is not read from one word split,
    nor are words that join to something else ("re turn")."""
    from carebase.learned.blocks import Block, Blocks
    from carebase.learned.phrases import key_of, normalise

    blocks = Blocks([Block(1, "refund", key_of("refund"), REFUNDS, 0, None),
                     Block(2, "glorptax", key_of("glorptax"), None, 0, None)])
    held = ["how do i re fund", "re-fund please", "I want a re fund now", "refu nd", "glorp tax", "glorp-tax charged",
            "re fundd"]
    assert [w for w in held if blocks.allows(normalise(w), REFUNDS)] == []
    kept = ["re turn my parcel", "fund transfer", "re send the code", "glorp", "tax"]
    assert [w for w in kept if not blocks.allows(normalise(w), REFUNDS)] == []
    assert blocks.allows(normalise("re fund"), WIFI)  # the refund block is for its item only


def test_clients_are_counted_within_one_salt_epoch(store):
    """One address hashed under three salts (a restart, midnight, another instance) is three
    hashes in three epochs: one client proven, however many journeys; a second hash in one of
    those epochs makes two, and the journeys of every epoch count."""
    for n, epoch in enumerate(("restart-1", "restart-2", "restart-3")):
        store.add(f"a{n}", f"hash-a-{n}", ("search", "flimflam"), ("click", OFFLINE, "flimflam"), epoch=epoch)
    ties, snapshot = learned_ties(store)
    assert ties == {}
    assert snapshot.nearest.votes("flimflam") == {}
    store.add("b0", "hash-b", ("search", "flimflam"), ("click", OFFLINE, "flimflam"), epoch="restart-2")
    ties, snapshot = learned_ties(store)
    assert ties == {("flimflam", OFFLINE): (4, 2)}
    assert snapshot.nearest.votes("flimflam") == {OFFLINE: 1.0}


def test_rows_stored_before_epochs_count_as_they_did(store):
    """Rows stored before migration 0011 carry no epoch: one group of their own, counted as
    before (two hashes there are two clients); they never add to a later epoch's clients."""
    store.add("o1", "hash-old-1", ("search", "refund"), ("click", REFUNDS, "refund"), epoch=None)
    store.add("o2", "hash-old-2", ("search", "refund"), ("click", REFUNDS, "refund"), epoch=None)
    store.add("o3", "hash-old-1", ("search", "refund"), ("click", REFUNDS, "refund"), epoch=None)
    ties, _ = learned_ties(store)
    assert ties == {("refund", REFUNDS): (3, 2)}
    store.add("n1", "hash-new-1", ("search", "flimflam"), ("click", OFFLINE, "flimflam"), epoch="today")
    store.add("n2", "hash-old-1", ("search", "flimflam"), ("click", OFFLINE, "flimflam"), epoch=None)
    store.add("n3", "hash-old-1", ("search", "flimflam"), ("click", OFFLINE, "flimflam"), epoch=None)
    ties, _ = learned_ties(store)
    assert ("flimflam", OFFLINE) not in ties  # one hash in each group: one client proven


def test_the_report_shows_what_customers_typed_not_the_learned_keys_words():
    """Session 41's audit: "Customers reach these items with" read "turn two ×86", the learned
    phrase's words with the stop words between them dropped. A learned tie keeps the wording
    that holds it most often as customers typed it (masked, case kept); the report shows the
    phrase's words as typed in it ("turn on two-step"), each once; the key stays what search
    matches on."""
    from carebase.learned.journeys import Evidence
    from carebase.learned.phrases import surface
    from carebase.learned.ties import ties, wordings
    from carebase.report.render_findability import _phrases

    item = "article:account/two-step"
    typed = ["Turn on two-step verification"] * 3 + ["turn on two-step verification"] + ["how do I turn on two-step"]
    found = [Evidence(text, item, f"j{n}", ("e1", f"client-{n % 3}"), n) for n, text in enumerate(typed)]
    learned = {t.key: t for t in ties(wordings(found), Thresholds(min_journeys=3, min_clients=2))}
    tie = learned["turn two"]
    assert tie.phrase == "turn two" and tie.typed == "Turn on two-step verification"
    assert surface(tie.typed, tie.key) == "Turn on two-step"
    assert surface("How do I turn on two-step verification?", "step verifi") == "two-step verification"
    assert surface("How do I reset my password?", "turn two") == ""
    row = {"reach_with": [{"phrase": t.phrase, "typed": surface(t.typed, t.key), "journeys": t.journeys}
                          for t in sorted(learned.values(), key=lambda t: (-t.journeys, t.key))]}
    assert _phrases(row) == ("two-step ×5, Turn ×5, Turn on two-step ×5, two-step verification ×4, "
                             "verification ×4")  # "two" and "step" are one "two-step", shown once
    # evidence kept before the typed forms (a remembered report): the phrases, as before
    assert _phrases({"reach_with": [{"phrase": "turn two", "journeys": 86}]}) == "turn two ×86"
