"""Missing content grouped by meaning: planted failed searches in a real SQLite store over the
demo help centre, through the real ``carebase report`` → paraphrases in one topic and unrelated
wordings apart, one action per topic decided from evidence (journeys that reached an item;
similarity to titles, never a word in a body), gibberish only counted, and topic ids that
survive a second run with slightly different wordings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_testkit import PlantedStore as Store
from report_testkit import run_cli, search

from carebase.store.engine import open_engine

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
DELETE = "article:app-and-account/delete-your-account"
PRIVACY = "article:app-and-account/privacy-and-data"
pytestmark = pytest.mark.slow  # two real `carebase report` runs over the demo content

# paraphrases of one need the demo has no article for (its privacy page only lists
# "humidity readings" in its body), as issue 14 saw them split in two rows
HUMIDITY = {"humidity": 6, "room humidity level": 5, "humidity in my room": 3, "Humidity too high": 3,
            "humidty level": 2}
SOLAR = {"solar panels": 5, "connect my solar panel": 4, "solar panel support": 3}
# customers who found the delete-your-account article only by searching again
WIPE = {"wipe my profile": 4, "wipe profile data": 3}
GIBBERISH = {"zzkv frobnicate5": 3, "qwx snark9": 3, "bcdfgh qwx": 3}
# a need the demo has no article for (pausing Lumo Plus), close in meaning to the FAQ on
# cancelling, which search shows on the first page for these wordings (not first): customers
# who saw it and did not take it say it is no answer
PAUSE = {"pause my lumo plus subscription": 5, "pause lumo plus for the summer": 3, "pause my subscription": 3}
CANCEL_FAQ = "faq:billing#cancel-anytime"
# one need in two wordings 0.665 apart (the model's cosine): the leader pass (0.7) starts a
# topic for each, the merge pass joins them; week 1 has only the first, and its row's decision
# must follow it into the merged row of week 2
PETS_FIRST = {"temperature for pets when away": 4}
PETS = {**PETS_FIRST, "keep the house warm for my dog": 3}
# two unrelated needs that share a word ("battery"): apart
THERMOSTAT_BATTERY = {"thermostat battery life": 4, "replace thermostat batteries": 3}
HOME_BATTERY = {"home battery storage": 4, "home battery backup": 3}
# two needs close in meaning (as BANKING77's "verify my identity" / "unable to verify identity"):
# before week 2 a lead says the row holds two needs, from "identity check keeps failing" on
VERIFY = {"verify my identity": 5, "how do i verify my identity": 4, "unable to verify my identity": 4,
          "identity check keeps failing": 3}

# week 2: two needs close in meaning, in one row by meaning alone (0.89): pausing Lumo Plus (PAUSE:
# no article) and stopping it, whose customers browsed to the cancel article and voted "Yes" (3 of
# the row's 14 failed searches: too few to make the row that article's). Their journeys split them
# off (report.topic_journeys); the pausing row stays a gap.
CANCEL = "article:billing/cancel-lumo-plus"
STOP = {"stop my lumo plus subscription": 3}





def plant(store: Store, humidity=HUMIDITY, solar=SOLAR, pets=PETS) -> None:
    for wordings in (humidity, solar, GIBBERISH, pets, THERMOSTAT_BATTERY, HOME_BATTERY, VERIFY):
        for query, n in wordings.items():
            for _ in range(n):
                store.journey(search(query))
    for query, n in PAUSE.items():
        for _ in range(n):
            store.journey(search(query, 10))  # results shown, none taken
    for query, n in WIPE.items():
        for _ in range(n):
            store.journey(search(query), search("delete account", 3),
                          ("click", {"query": "delete account", "item_id": DELETE, "rank": 1}))


def report_of(tmp: Path, store: Store, cache: Path, site_data: Path, decided: dict | None = None, links=()) -> dict:
    """``decided``: backlog key → status a lead set before this run; ``links``: the lead's
    "same need" / "two needs" links (carebase.backlog.topic_links.add_link arguments)."""
    from carebase.backlog.states import change
    from carebase.backlog.topic_links import add_link

    url = store.write(tmp / "feedback.db")
    if decided:
        engine = open_engine(url)
        with engine.begin() as conn:
            for key, status in decided.items():
                change(conn, key, None, status=status)
        engine.dispose()
    if links:
        engine = open_engine(url)
        with engine.begin() as conn:
            for args in links:
                add_link(conn, *args)
        engine.dispose()
    out = tmp / "report"
    done = run_cli("--site-data", str(site_data), "--db", url, "--out", str(out), "--cache", str(cache),
                   "--format", "json,md", in_process=True)  # the command's entry point, in this process
    assert done.returncode == 0, done.stderr
    return json.loads((out / "report.json").read_text())


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two weekly runs on one cache folder and one build output (the site did not change
    between them): the second with slightly different wordings."""
    from carebase.content import load_catalogue
    from carebase.output import open_output

    cache = tmp_path_factory.mktemp("topics-cache")
    site_data = tmp_path_factory.mktemp("topics-build") / "site-data"
    open_output(site_data, load_catalogue(CONTENT))  # the build output, as `carebase build` writes it
    first = Store()
    plant(first, pets=PETS_FIRST)
    one = report_of(tmp_path_factory.mktemp("week1"), first, cache, site_data)
    second = Store()
    humidity = {**{k: v for k, v in HUMIDITY.items() if k != "humidity in my room"}, "humidity sensor reading": 3,
                "humidity": 8}
    plant(second, humidity=humidity, solar={**SOLAR, "solar power": 2})
    for query, n in STOP.items():
        for _ in range(n):
            second.journey(search(query), ("vote", {"item_id": CANCEL, "value": 1, "scale": "helpful"}))
    # the lead's decision and links of week 1 go on the rows holding most of each need's searches;
    # the fixture never fails on week 1's rows: the tests below say what a lead should have seen
    pets, verify = main_row_id(one, PETS_FIRST), main_row_id(one, VERIFY)
    thermostat, home = main_row_id(one, THERMOSTAT_BATTERY), main_row_id(one, HOME_BATTERY)
    links = [("two", verify, None, "identity check keeps failing"), ("same", "topic:0000000000", verify),
             ("two", verify, None, "unable to verify my identity"), ("same", verify, None, "verify my identity")
             ] if verify else []
    if thermostat and home and thermostat != home:
        links.insert(1, ("two", thermostat, home))
    two = report_of(tmp_path_factory.mktemp("week2"), second, cache, site_data,
                    decided={pets: "in_progress"} if pets else None, links=links)
    return one, two


def rows_holding(report: dict, wordings) -> list[dict]:
    wanted = {w.lower() for w in wordings}
    return [r for r in report["missing"]["clusters"] + report["missing"]["filled"] + report["missing"]["poor_answers"]
            if wanted & {q["query"].lower() for q in r["all_queries"]}]


def shown(rows: list[dict]) -> list[str]:
    """The rows as a lead reads them: label, status, failed searches, the searches each holds."""
    return [f"“{r['label']}” {r['status']}, {r['failed']} failed: {sorted(q['query'] for q in r['all_queries'])}"
            for r in rows]


def only_row(report: dict, wordings) -> dict:
    """The one row holding these wordings; fails (listing the rows that hold them) when they are in
    none or spread over several."""
    rows = rows_holding(report, wordings)
    assert len(rows) == 1, f"{sorted(wordings)} should be one row; the rows holding them: {shown(rows)}"
    return rows[0]


def main_row_id(report: dict, wordings) -> str | None:
    """The topic id of the row holding most of these wordings' searches (None: no row holds any)."""
    wanted = {w.lower() for w in wordings}
    held = [(sum(q["count"] for q in r["all_queries"] if q["query"].lower() in wanted), r["topic_id"])
            for r in rows_holding(report, wordings)]
    return max(held)[1] if held else None


def test_paraphrases_are_one_topic_and_unrelated_wordings_another(runs):
    report, _ = runs
    humidity = only_row(report, HUMIDITY)
    assert {q["query"] for q in humidity["all_queries"]} == set(HUMIDITY)
    assert humidity["failed"] == sum(HUMIDITY.values()) and humidity["wordings"] >= 3
    solar = only_row(report, SOLAR)
    assert {q["query"] for q in solar["all_queries"]} == set(SOLAR)
    assert humidity["topic_id"] != solar["topic_id"]
    # explained: typical wordings, the words they share, how tight the topic is
    assert "humidity" in humidity["shared_words"] and humidity["typical"][0] in {w.lower() for w in HUMIDITY}
    assert 0.5 <= humidity["tightness"] <= 1.0
    assert any(w.startswith("shared words: humidity") for w in humidity["why_grouped"])


def test_a_word_in_a_body_is_no_evidence_one_topic_one_action(runs):
    report, _ = runs
    humidity = only_row(report, HUMIDITY)
    assert humidity["status"] == "gap" and humidity["action"].startswith("Write an article about “")
    assert (humidity.get("closest") or {}).get("id") != PRIVACY or "below" in humidity["closest"]["why"]
    assert humidity["suggestion"]["title"].lower() in {w.lower() for w in HUMIDITY if "humidty" not in w}
    actions = [r for r in report["missing"]["clusters"] if r["topic_id"] == humidity["topic_id"]]
    assert len(actions) == 1


def test_journeys_that_reached_an_item_make_findability_pointing_at_it(runs):
    report, _ = runs
    wipe = only_row(report, WIPE)
    assert wipe["status"] == "findability"
    assert wipe["closest"]["id"] == DELETE
    assert wipe["closest"]["why"] == f"{sum(WIPE.values())} of {sum(WIPE.values())} failed searches went on to reach it"
    assert "profile" in wipe["suggestion"]["keywords"]


def test_a_similar_item_search_shows_and_customers_pass_over_is_no_answer(runs):
    report, _ = runs
    rows = rows_holding(report, PAUSE)
    assert rows and all(r["status"] == "gap" for r in rows), [(r["label"], r["status"]) for r in rows]
    main = only_row(report, [max(PAUSE, key=PAUSE.get)])
    assert main["closest"]["id"] == CANCEL_FAQ
    assert "search shows it for these searches and customers did not take it" in main["closest"]["why"]


def test_gibberish_is_a_noise_count_never_a_row(runs):
    report, _ = runs
    assert not rows_holding(report, GIBBERISH)
    noise = report["missing"]["noise"]
    assert noise["failed"] == sum(GIBBERISH.values()) and noise["wordings"] == len(GIBBERISH)
    assert report["summary"]["noise_searches"] == noise["failed"]


def test_topic_ids_survive_a_run_with_slightly_different_wordings(runs):
    one, two = runs
    for planted in (HUMIDITY, SOLAR, WIPE):
        top = max(planted, key=planted.get)
        before = only_row(one, [top])
        after = only_row(two, [top])
        assert before["topic_id"] == after["topic_id"], planted
    assert len({r["topic_id"] for r in two["missing"]["clusters"]}) == len(two["missing"]["clusters"])


def test_one_need_the_leader_pass_splits_is_one_row_with_all_its_searches(runs):
    _, report = runs
    pets = only_row(report, PETS)
    assert {q["query"]: q["count"] for q in pets["all_queries"]} == PETS
    assert pets["failed"] == sum(PETS.values()) and pets["wordings"] == 2 and len(pets["merged_ids"]) == 1


def test_unrelated_needs_that_share_a_word_stay_apart(runs):
    for report in runs:
        thermostat = only_row(report, THERMOSTAT_BATTERY)
        home = only_row(report, HOME_BATTERY)
        assert thermostat["topic_id"] != home["topic_id"]
        assert {q["query"] for q in thermostat["all_queries"]} == set(THERMOSTAT_BATTERY)
        assert {q["query"] for q in home["all_queries"]} == set(HOME_BATTERY)


def test_a_merged_topic_keeps_the_key_and_the_decision_of_its_largest_part(runs):
    one, two = runs
    before = only_row(one, PETS_FIRST)
    after = only_row(two, PETS)
    assert after["topic_id"] == before["topic_id"]
    (row,) = [r for r in two["backlog"]["rows"] if r["key"] == before["topic_id"]]
    assert row["status"] == "in_progress" and row["current"]
    assert {q["query"] for q in row["evidence"]["queries"]} == set(PETS)


def test_a_leads_two_needs_splits_the_row_in_the_next_report_and_every_view_says_so(runs):
    one, two = runs
    before = only_row(one, VERIFY)
    assert {q["query"] for q in before["all_queries"]} == set(VERIFY) and "lead" not in before
    rows = rows_holding(two, VERIFY)
    (kept,) = [r for r in rows if r["topic_id"] == before["topic_id"]]
    (split,) = [r for r in rows if r is not kept]
    # the lead marked two wordings of the second need and one of the row's own: one split, each need its row
    assert {q["query"] for q in split["all_queries"]} == {"identity check keeps failing", "unable to verify my identity"}
    assert {q["query"] for q in kept["all_queries"]} == {"verify my identity", "how do i verify my identity"}
    assert kept["failed"] + split["failed"] == sum(VERIFY.values())
    # the note names the row by the title the lead saw on its page, not by its medoid's wording
    assert before["title"] != before["label"]
    assert split["lead"][0]["says"].startswith(f"split by a lead from “{before['title']}”")
    assert "split off by a lead" in kept["lead"][0]["says"]
    (row,) = [r for r in two["backlog"]["rows"] if r["key"] == split["topic_id"]]
    assert row["evidence"]["lead"] == split["lead"]
    links = two["missing"]["lead_links"]
    assert [(lk["kind"], lk["applied"], lk.get("why_not")) for lk in links] == [
        ("two", True, None), ("two", True, None), ("same", True, None), ("two", True, None),
        ("same", False, "the row is not in this report")]
    thermostat = only_row(two, THERMOSTAT_BATTERY)
    assert "a different need from “" in thermostat["lead"][0]["says"] and "repeats" not in thermostat


def test_wordings_whose_journeys_reached_an_item_are_split_off_the_row_of_a_need_with_no_article(runs):
    _, report = runs
    pause = only_row(report, [max(PAUSE, key=PAUSE.get)])
    stop = only_row(report, STOP)
    assert {q["query"] for q in pause["all_queries"]} <= set(PAUSE) and pause["status"] == "gap"
    assert {q["query"] for q in stop["all_queries"]} == set(STOP) and stop["closest"]["id"] == CANCEL
    assert stop["status"] in ("findability", "filled"), stop["status"]
    assert any(f"3 journeys went on from these wordings to reach {CANCEL}" in w for w in stop["why_grouped"])
    assert f"“{stop['title']}” split off: its journeys went on to reach {CANCEL}" in pause["why_grouped"]
    assert "repeats" not in stop and "repeats" not in pause  # two needs, never a likely repeat
