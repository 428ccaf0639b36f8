"""Failing-content ranking on hand-made events: ties, zero and single votes, latest vote
wins, rating scales, aliases; and the planted truth of the simulator."""

from __future__ import annotations

import dataclasses
import itertools
import json

import pytest
from report_testkit import DAY_MS, START_MS, empty_engine
from synthetic_content import make_catalogue

from carebase.report.build import build_report
from carebase.report.links import SourceLinks
from carebase.report.period import resolve
from carebase.store.schema import events

_ids = itertools.count()


def vote(item, value, *, key=None, day=40, scale="helpful", reason=None, comment=None, revision="r1"):
    return {"event_id": f"ev{next(_ids):08d}", "type": "vote", "received_ms": START_MS + day * DAY_MS,
            "item_id": item, "value": value, "scale": scale, "vote_key": key, "reason": reason,
            "comment": comment, "revision": revision}


@pytest.fixture()
def small():
    return make_catalogue(articles=6, faq_groups=1, questions=2, videos=1)


def run(catalogue, rows, tmp_path, min_votes=3):
    engine = empty_engine(tmp_path)
    if rows:
        with engine.begin() as conn:
            conn.execute(events.insert(), rows)
    periods = resolve(None, None, None, None, latest_ms=START_MS + 55 * DAY_MS)
    return build_report(catalogue, engine, periods, SourceLinks("content", tmp_path), min_votes=min_votes)


def ids(catalogue):
    return [i.id for i in catalogue.items()]


def test_clear_failure_outranks_thin_evidence_and_ties_break_by_id(small, tmp_path):
    a, b, c, d, e = ids(small)[:5]
    rows = [vote(a, 0) for _ in range(8)] + [vote(a, 1) for _ in range(2)]  # 8/10 unhelpful
    rows += [vote(b, 0)]  # a single "No"
    rows += [vote(c, 0) for _ in range(4)] + [vote(c, 1)]  # 4/5
    rows += [vote(d, 0) for _ in range(4)] + [vote(d, 1)]  # 4/5: an exact tie with c
    rows += [vote(e, 1) for _ in range(20)]  # good page: must not be listed
    report = run(small, rows, tmp_path)
    order = [r["id"] for r in report["failing"]]
    assert order[0] == a
    tied = sorted([c, d])
    assert order[1:3] == tied  # equal evidence: deterministic, by id
    assert order[3] == b and report["failing"][3]["insufficient"] is True  # one vote: listed last, flagged
    assert e not in order
    single = report["failing"][3]
    assert single["n"] == 1 and single["low"] == pytest.approx(0.2065, abs=5e-4)


def test_items_without_votes_are_not_failing_and_score_nothing(small, tmp_path):
    report = run(small, [], tmp_path)
    assert report["failing"] == []
    assert report["summary"]["votes"] == 0 and report["summary"]["unhelpful_rate"] == 0.0


def test_latest_vote_per_key_wins(small, tmp_path):
    a = ids(small)[0]
    rows = [vote(a, 0, key=f"visitor{n}", day=30) for n in range(5)]
    rows += [vote(a, 1, key=f"visitor{n}", day=31) for n in range(5)]  # everyone changed their mind
    rows += [vote(a, 0, day=32), vote(a, 0, day=32)]  # keyless votes each count
    report = run(small, rows, tmp_path, min_votes=1)
    row = next(r for r in report["items"] if r["id"] == a)
    assert (row["n"], row["unhelpful"], row["helpful"]) == (7, 2, 5)


def test_rating_scales_and_aliases_fold_into_one_item(small, tmp_path):
    first = small.articles[0]
    aliased = dataclasses.replace(first, aliases=("article:old/path",))
    catalogue = dataclasses.replace(small, articles=(aliased,) + small.articles[1:], _index={})
    rows = [vote("article:old/path", 1, scale="csat"), vote(first.id, 2, scale="csat"),
            vote(first.id, 3, scale="csat"), vote(first.id, 5, scale="csat"), vote(first.id, 2, scale="ces")]
    report = run(catalogue, rows, tmp_path, min_votes=1)
    row = next(r for r in report["items"] if r["id"] == first.id)
    assert (row["n"], row["unhelpful"], row["helpful"]) == (5, 3, 1)  # csat 1, 2 and ces 2 are unhelpful


def test_planted_failing_items_are_the_top_rows(simulated, report):
    truth, _, _ = simulated
    top = [r["id"] for r in report["failing"][: len(truth.failing)]]
    assert sorted(top) == sorted(truth.failing)
    for row in report["failing"][: len(truth.failing)]:
        assert not row["insufficient"] and row["low"] > 0.35
        assert row["reasons"] and row["queries"], "evidence: reasons and the searches that led there"


def test_every_planted_missing_topic_is_its_own_cluster_and_gibberish_is_only_counted(simulated, report):
    truth, _, _ = simulated
    clusters = report["missing"]["clusters"]
    found = {}
    for topic, variants in truth.missing.items():
        holding = {c["rank"] for c in clusters for q in c["queries"] if q["query"] in variants}
        assert len(holding) == 1, f"{topic!r} variants split over clusters {holding}"
        found[topic] = holding.pop()
    assert len(set(found.values())) == len(truth.missing), "each topic is its own cluster"
    for rank in found.values():
        cluster = clusters[rank - 1]
        assert cluster["status"] == "gap" and cluster["action"].startswith("Write an article about")
        assert cluster["variants"] >= 4
    planted_ranks = set(found.values())
    findability_ranks = {c["rank"] for c in clusters if c["status"] == "findability"}
    assert {c["rank"] for c in clusters} == planted_ranks | findability_ranks
    # the simulator's gibberish ("zzkv frobnicate5", consonant strings) is a noise count, never a row
    noise = report["missing"]["noise"]
    assert noise["failed"] >= 50 and noise["wordings"] >= 20
    assert set(noise["examples"]) & set(truth.noise)
    listed = {q["query"] for c in clusters + report["missing"]["filled"] for q in c["queries"]}
    assert not listed & set(truth.noise)


def test_synonym_customers_use_is_a_findability_gap_with_a_keywords_change(simulated, report):
    truth, _, _ = simulated
    (phrase, item_id), = truth.findability.items()
    cluster = next(c for c in report["missing"]["clusters"] if any(q["query"].lower() == phrase for q in c["queries"]))
    assert cluster["status"] == "findability"
    assert cluster["closest"]["id"] == item_id
    assert phrase in cluster["suggestion"]["keywords"]
    # customers rephrased the phrase with the item's title words: the pair is the one closest in
    # meaning, so only when the report had the model (report/substitution.py)
    by_meaning = report["missing"]["grouped_with"]["kind"] == "embedding"
    assert cluster["suggestion"]["synonyms"] == ([phrase, truth.findability_partner[phrase]] if by_meaning else [])


def test_the_fixed_article_shows_the_edit_worked(simulated, report):
    truth, _, _ = simulated
    row = next(r for r in report["stale"]["revisions"] if r["id"] == truth.fixed)
    assert row["last_verdict"] == "fixed it"
    assert row["edits"][-1]["before"]["rate"] > 0.5 > row["edits"][-1]["after"]["rate"]


def test_explicit_period_and_comparison_bucket_votes_and_trends(small, tmp_path):
    a = ids(small)[0]
    rows = [vote(a, 0, day=5) for _ in range(3)] + [vote(a, 1, day=20) for _ in range(4)]
    rows += [vote(a, 0, day=40) for _ in range(6)] + [vote(a, 0, day=50)]
    engine = empty_engine(tmp_path)
    with engine.begin() as conn:
        conn.execute(events.insert(), rows)
    day = lambda d: START_MS + d * DAY_MS  # noqa: E731
    periods = resolve(day(30), day(45), day(0), day(25), latest_ms=None)
    report = build_report(small, engine, periods, SourceLinks("content", tmp_path), min_votes=1)
    row = next(r for r in report["items"] if r["id"] == a)
    assert (row["n"], row["unhelpful"]) == (6, 6)  # day 50 is after --until, day 5 and 20 are compared
    assert (row["compare"]["n"], row["compare"]["hits"]) == (7, 3)
    default = resolve(day(30), day(45), None, None, latest_ms=None)
    assert (default.compare.since_ms, default.compare.until_ms) == (day(15), day(30))  # the equal period before


def test_markdown_escapes_customer_text(demo_run):
    import cmarkgfm  # GitHub's own renderer: what a lead sees once report.md is pasted in an issue

    _, out, _, _ = demo_run
    html = cmarkgfm.github_flavored_markdown_to_html((out / "report.md").read_text(),
                                                     options=cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE)
    assert "<script" not in html and "<img" not in html
    report = json.loads((out / "report.json").read_text())
    listed = any("img src" in q["query"] for c in report["missing"]["clusters"] for q in c["queries"])
    # the hostile query is listed as text, or counted as noise (its words are mostly no words at all)
    assert ("&lt;img src=x onerror" in html) if listed else report["missing"]["noise"]["failed"] >= 5


def test_rows_link_to_the_source_file_to_edit(small, tmp_path):
    from carebase.report.links import SourceLinks as Links

    a = ids(small)[0]
    engine = empty_engine(tmp_path)
    with engine.begin() as conn:
        conn.execute(events.insert(), [vote(a, 0) for _ in range(5)])
    periods = resolve(None, None, None, None, latest_ms=START_MS + 55 * DAY_MS)
    edit = Links("content", tmp_path, "https://github.com/acme/help/edit/main/content/")
    row = next(r for r in build_report(small, engine, periods, edit, min_votes=1)["failing"] if r["id"] == a)
    assert row["source"]["href"] == "https://github.com/acme/help/edit/main/content/" + small.articles[0].path
    local = Links(tmp_path / "content", tmp_path / "report")
    assert local.href("billing/refunds.md") == "../content/billing/refunds.md"


def test_one_clients_vote_storm_counts_three_votes_even_with_repeated_keys(small, tmp_path):
    a, b = ids(small)[:2]
    honest = [{**vote(b, 0 if n < 7 else 1, key=f"honest-{n:04d}"), "client": f"c{n:015d}"} for n in range(10)]
    storm = [{**vote(a, 0, key=f"storm-{n:05d}", reason="Out of date", comment=f"scam {n}"), "client": "f" * 16}
             for n in range(50)]
    again = [{**row, "event_id": row["event_id"] + "r"} for row in storm]  # every key sent twice
    report = run(small, honest + storm + again, tmp_path)
    rows = {r["id"]: r for r in report["items"]}
    assert report["failing"][0]["id"] == b and rows[b]["n"] == 10 and rows[b]["capped"] == 0
    assert (rows[a]["n"], rows[a]["unhelpful"], rows[a]["capped"], rows[a]["capped_clients"]) == (3, 3, 47, 1)
    assert [tuple(r) for r in rows[a]["reasons"]] == [("Out of date", 3)]
    listed = next(r for r in report["failing"] if r["id"] == a)
    assert len(listed["comments"]) == 1 and listed["comments"][0]["comment"].startswith("scam")  # one per client


def test_votes_from_one_client_hash_alone_are_counted_as_before(small, tmp_path):
    """A service behind a proxy without --proxy-headers stores the proxy's hash on every event:
    counting by client would leave 3 votes per item, so the votes count as they are."""
    a = ids(small)[0]
    report = run(small, [{**vote(a, 0, key=f"proxy-{n:04d}"), "client": "a" * 16} for n in range(20)], tmp_path)
    row = next(r for r in report["items"] if r["id"] == a)
    assert (row["n"], row["capped"]) == (20, 0)


def search(query, client, day=40):
    return {"event_id": f"ev{next(_ids):08d}", "type": "search", "received_ms": START_MS + day * DAY_MS,
            "query": query, "results": 0, "source": "header", "client": client}


def test_failed_searches_from_one_client_hash_alone_rank_by_failed_searches(small, tmp_path):
    """Every event from the proxy's one hash: rows ranked by failed searches, and the report says why."""
    rows = [search("student discount", "a" * 16) for _ in range(9)]
    rows += [search("gift card balance", "a" * 16) for _ in range(5)]
    rows += [search("solar panels", "a" * 16) for _ in range(2)]  # too few to list
    report = run(small, rows, tmp_path)
    missing = report["missing"]
    assert missing["by_client"] == {"counted": False, "clients": 1, "per_client": 3}
    assert [(c["label"], c["failed"], c["counted"], c["one_client"]) for c in missing["clusters"]] == [
        ("student discount", 9, 9, False), ("gift card balance", 5, 5, False)]
    from carebase.report.render_text import render_md

    md = render_md(report)
    assert "Ranked by failed searches: every failed search came from one client address" in md
    # report.md says what it leaves out, as the HTML report does
    assert (missing["other_clusters"], missing["other_failed"]) == (1, 2)
    assert "1 smaller group (2 failed searches, fewer than 3 each) is not listed." in md
    more = rows + [search("gift card balance", f"c{n:015d}") for n in range(4)]  # four more customers
    (tmp_path / "more").mkdir()
    ranked = run(small, more, tmp_path / "more")["missing"]["clusters"]
    assert [(c["label"], c["failed"], c["counted"], c["clients"]) for c in ranked] == [
        ("gift card balance", 9, 7, 5), ("student discount", 9, 3, 1)]
    assert ranked[1]["one_client"] and not ranked[0]["one_client"]
