"""A wording weighs in its row as often as it was heard (``Cluster.voice``): by its clients when
the report counts by client. Six customers' wordings of one need and one client's thirty searches
of a crafted wording, grouped by ``topics.group`` on planted vectors (the crafted one a little off
the customers' centre, between two of them): counted by client, the row's medoid (its label),
typical wordings, shared words and samples are the customers'; counted by searches (a store
with one client hash, as before), the thirty searches take all four. Typo folding learns words
as heard too, and so does a lead's block covering a row."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from carebase.learned.blocks import Block, Blocks
from carebase.learned.phrases import key_of
from carebase.report import topics
from carebase.report.journeys import SearchRow
from carebase.report.missing import Cluster, learn_words, samples
from carebase.report.normalise import Normaliser
from carebase.report.queries import CUR
from carebase.report.topic_actions import Classifier, topic_label

CUSTOMERS = ["control my pool heater", "pool heater support", "can lumo run a pool heater", "swimming pool heater",
             "pool heater thermostat", "pool heater help"]
CRAFTED = "pool heater fire hazard lawsuit"


def vectors() -> np.ndarray:
    """The customers around one meaning, 60° apart; the crafted wording between two of them, a little further out."""
    rows = [[1, 0.45 * math.cos(math.pi * k / 3), 0.45 * math.sin(math.pi * k / 3)] for k in range(6)]
    rows.append([1, 0.5 * math.cos(math.pi / 6), 0.5 * math.sin(math.pi / 6)])
    out = np.array(rows, dtype=np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def wordings(by_client: bool) -> list[Cluster]:
    out = []
    for text, (client, n) in {**{t: (f"customer-{i}", 1) for i, t in enumerate(CUSTOMERS)}, CRAFTED: ("one", 30)}.items():
        c = Cluster(key=tuple(text.split()), failed=n, searches=n, queries=Counter({text: n}),
                    clients=Counter({client: n}), voices=Counter({text: 1}))
        c.heard = len(c.clients) if by_client else 0  # as missing.cluster_queries sets it
        out.append(c)
    return out


def row(by_client: bool) -> topics.Topic:
    found, other = topics.group(wordings(by_client), vectors(), 0.5)
    assert len(found) == 1 and not other and len(found[0].members) == 7
    return found[0]


def test_one_clients_thirty_searches_do_not_name_six_customers_row():
    t = row(by_client=True)
    assert topic_label(t) in CUSTOMERS and t.medoid().label() in CUSTOMERS
    assert t.typical(1)[0].label() in CUSTOMERS
    assert [w for w, _ in t.shared_words({})] == ["heater", "pool"]
    first = samples(t)[0]
    assert first["query"] in CUSTOMERS and (first["count"], first["clients"]) == (1, 1)
    assert {"query": CRAFTED, "count": 30, "clients": 1} in samples(t, n=7)  # still listed, with its searches


def test_counted_by_searches_the_thirty_searches_weigh_thirty():
    t = row(by_client=False)
    assert topic_label(t) == CRAFTED and t.typical(1)[0].label() == CRAFTED
    assert {"fire", "hazard", "lawsuit"} <= {w for w, _ in t.shared_words({})}


def test_a_wordings_label_is_its_spelling_most_clients_typed():
    c = Cluster(key=("pool", "heater"), failed=32, queries=Counter({"POOL HEATER??": 30, "pool heater": 2}),
                voices=Counter({"POOL HEATER??": 1, "pool heater": 2}), heard=3)
    assert c.label() == "pool heater" and c.ranked_queries() == ["pool heater", "POOL HEATER??"]
    c.heard = 0  # not counted by client
    assert c.label() == "pool heater??" and c.ranked_queries() == ["POOL HEATER??", "pool heater"]


def test_one_client_typing_a_misspelling_thirty_times_does_not_make_it_a_word():
    """Typo folding learns from words as heard: ``thermstat`` from one client thirty times stays a
    misspelling of ``thermostat`` (four customers); from thirty searches of one hash it is a word."""
    def rows(clients: bool) -> list[SearchRow]:
        out = [SearchRow(f"thermostat offline {i}", CUR, searches=1, failed=1, clients={f"customer-{i}": 1})
               for i in range(4)]
        out.append(SearchRow("thermstat offline", CUR, searches=30, failed=30, clients={"one": 30}))
        if not clients:
            for r in out:
                r.clients = {"proxy": r.failed}
        return out

    for clients, corrected in ((True, True), (False, False)):
        n = Normaliser([], ["Thermostat offline"])
        learn_words(n, rows(clients))
        assert (n.corrections.get("thermstat") == "thermostat") is corrected, (clients, n.corrections)


def test_one_client_repeating_an_unblocked_wording_does_not_undo_a_leads_block(catalogue):
    """A lead blocked "pool heater support" → an item; four customers typed it, one client types
    an unblocked wording of the same row thirty times: counted by client the block still covers
    most of the row (4 of 5 clients), counted by searches it does not (4 of 34)."""
    item = next(iter(catalogue.items()))
    block = Block(1, "pool heater support", key_of("pool heater support"), item.id, 0, None)
    for by_client, dismissed in ((True, True), (False, False)):
        ws = []
        for text, clients in (("pool heater support", {f"customer-{i}": 1 for i in range(4)}), (CRAFTED, {"one": 30})):
            n = sum(clients.values())
            ws.append(Cluster(key=tuple(text.split()), failed=n, queries=Counter({text: n}), clients=Counter(clients),
                              voices=Counter({text: len(clients)}), heard=len(clients) if by_client else 0))
        t = topics.make_topic(ws, list(vectors()[:2]))
        classifier = Classifier(catalogue, None, None, None, None, 0.35, blocks=Blocks([block]))
        assert classifier.dismissed(t, item) is dismissed, by_client
