"""The relevance harness's sets (benchmarks/search/harness.py): the first (BANKING77, the
default of every script, unchanged), the second (second_set/ with CLINC150's queries) and the
third (third_set/ with ACID's queries), both read from ``--data``, never committed. A planted
data_full.json stands in for CLINC150, two planted CSV files for ACID."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest

SEARCH_BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "search"
if str(SEARCH_BENCH) not in sys.path:
    sys.path.append(str(SEARCH_BENCH))  # last: its material.py must not hide mkdocs-material

import harness  # noqa: E402


def chosen(*argv: str) -> harness.QuerySet:
    parser = argparse.ArgumentParser()
    harness.add_set_arguments(parser)
    return harness.query_set(parser.parse_args(list(argv)))


def test_first_set_is_the_default_and_second_set_has_one_clean_article_per_intent():
    first = chosen()
    assert (first.name, first.helpcentre, first.intents()) == ("first", harness.HELPCENTRE, harness.load_intents())
    second = chosen("--set", "second")
    catalogue = second.catalogue()  # exits naming every content error
    intents = second.intents()
    assert len(intents) == 30 and sorted(intents.values()) == sorted(a.id for a in catalogue.articles)
    assert len(catalogue.faqs) == 1 and all(a.summary for a in catalogue.articles)
    third = chosen("--set", "third")
    catalogue = third.catalogue()
    intents = third.intents()
    assert (third.name, third.helpcentre) == ("third", harness.THIRD / "helpcentre")
    assert len(intents) == 50 and sorted(intents.values()) == sorted(a.id for a in catalogue.articles)
    assert len(catalogue.faqs) == 1 and all(a.summary for a in catalogue.articles)


def test_second_set_queries_come_from_data_in_scope_and_halved(tmp_path):
    rows = {"train": [["what's my  routing number", "routing"], ["book a flight", "book_flight"],
                      ["my card got declined", "card_declined"]],
            "val": [["how do i order checks", "order_checks"]],
            "test": [["what is my apr", "apr"], ["lock my account", "freeze_account"]],
            "oos_train": [["tell me a joke", "oos"]], "oos_val": [], "oos_test": [["who won", "oos"]]}
    data = tmp_path / "data_full.json"
    data.write_text(json.dumps(rows))
    queries = chosen("--set", "second", "--data", str(data)).queries()
    assert [(q.text, q.intent, q.target) for q in queries] == [
        ("what's my routing number", "routing", "article:accounts/routing"),
        ("my card got declined", "card_declined", "article:cards/card-declined"),
        ("how do i order checks", "order_checks", "article:accounts/order-checks"),
        ("what is my apr", "apr", "article:credit/apr"),
        ("lock my account", "freeze_account", "article:accounts/freeze-account")]
    assert sorted(q.half for q in queries) == ["A", "A", "A", "B", "B"]  # every other one of a seeded shuffle
    assert queries == chosen("--set", "second", "--data", str(data)).queries()  # the same split every run


def test_third_set_queries_come_from_both_acid_files_in_scope_and_halved(tmp_path):
    (tmp_path / "customer_training.csv").write_text(
        'INTENT_NAME,UTTERANCES\nINFO_FORGOT_PASSWORD,"i forgot  my password, help"\n'
        "INFO_CAREERS,are you hiring\nST_HELLO,hi abby\nINFO_LOG_OUT,how do i log out\n", encoding="utf-8")
    (tmp_path / "customer_testing.csv").write_text(
        "INTENT_NAME,UTTERANCES\nINFO_CL_STATUS,where is my claim at\nINFO_ERS,need a tow\n"
        "NO,nope\nINFO_AMT_DUE,what do i owe\n", encoding="utf-8")
    queries = chosen("--set", "third", "--data", str(tmp_path)).queries()
    assert [(q.text, q.intent, q.target) for q in queries] == [
        ("i forgot my password, help", "INFO_FORGOT_PASSWORD", "article:account/forgot-password"),
        ("are you hiring", "INFO_CAREERS", "article:contact/careers"),
        ("where is my claim at", "INFO_CL_STATUS", "article:claims/claim-status"),
        ("need a tow", "INFO_ERS", "article:coverage/roadside-assistance"),
        ("what do i owe", "INFO_AMT_DUE", "article:billing/amount-due")]
    assert sorted(q.half for q in queries) == ["A", "A", "A", "B", "B"]
    assert queries == chosen("--set", "third", "--data", str(tmp_path)).queries()
    (tmp_path / "customer_testing.csv").unlink()
    with pytest.raises(SystemExit) as stop:
        chosen("--set", "third", "--data", str(tmp_path)).queries()
    assert "customer_testing.csv" in str(stop.value) and "github.com/AmFamMLTeam/ACID" in str(stop.value)


def test_a_missing_data_file_stops_with_how_to_get_it(tmp_path):
    with pytest.raises(SystemExit) as stop:
        chosen("--set", "second", "--data", str(tmp_path / "nowhere.json")).queries()
    assert "nowhere.json" in str(stop.value) and "github.com/clinc/oos-eval" in str(stop.value)
    with pytest.raises(SystemExit) as stop:
        chosen("--data", str(tmp_path / "x.json"))
    assert "only for --set second" in str(stop.value)


def test_the_interleaved_play_keeps_each_journey_and_mixes_the_needs():
    """held_out_topics.py --order-seed (play.interleaved): BANKING77's half A is in the file's
    order, one need after another, so time separated needs in every store (an artefact). The
    interleaved play posts the same journeys, each with its own events as far apart as before
    and the same clients, in a seeded order, timed in that order."""
    import types

    import play

    class Item:
        def __init__(self, id_):
            self.id, self.revision, self.url = id_, "r1", id_.split(":")[1] + "/"

    items = {i: Item(i) for i in ("article:a/one", "article:b/two")}
    catalogue = types.SimpleNamespace(items=lambda: list(items.values()), get=items.get)
    query = types.SimpleNamespace
    played = [(query(text=f"one {n}", target="article:a/one"), ["article:a/one"], 1) for n in range(6)]
    played += [(query(text=f"two {n}", target="article:b/two"), ["article:a/one"], 1) for n in range(6)]
    sent = [(n, batch, how) for n, (batch, how) in enumerate(
        play.journeys(played, catalogue, seed=5, vote_rate=0.5, yes_after_click=1.0, start_ms=0))]
    mixed = play.interleaved(sent, 20263831)

    def shape(n, batch):  # a journey's event ids, and each event's time after its search
        return [(e["id"], e["type"], e["ts"] - batch[0]["ts"]) for e in batch]

    assert sorted(shape(n, b) for n, b, _ in mixed) == sorted(shape(n, b) for n, b, _ in sent)
    assert {n: how for n, _, how in mixed} == {n: how for n, _, how in sent}  # each journey's client and outcome
    assert [b[0]["ts"] for _, b, _ in mixed] == [b[0]["ts"] for _, b, _ in sent]  # the same times, in play order
    needs = [b[0]["query"].split()[0] for _, b, _ in mixed]
    assert needs != sorted(needs) and needs[:6] != ["one"] * 6  # no longer one need after the other
    assert [n for n, _, _ in play.interleaved(sent, 20263831)] == [n for n, _, _ in mixed]  # seeded
    assert [n for n, _, _ in play.interleaved(sent, 1)] != [n for n, _, _ in mixed]
