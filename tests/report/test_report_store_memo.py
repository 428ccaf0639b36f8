"""The report's event aggregates remembered between runs (carebase.report.store_memo): read
back only while the store is the same, on SQLite and PostgreSQL; a new event, a deleted
one or a lead's block is counted by the next report; a planted file cannot run code."""

from __future__ import annotations

import pickle
import shutil

import pytest
from postgres_testkit import new_database
from report_testkit import START_MS, CountingReplayer
from sqlalchemy import create_engine, delete, insert

from carebase.report.background import Background
from carebase.report.period import DAY_MS, resolve
from carebase.report.store_memo import FILE, StoreMemo
from carebase.store.engine import open_engine
from carebase.store.schema import events, learned_blocks, metadata

PERIODS = resolve(None, None, None, None, latest_ms=START_MS + 10 * DAY_MS)
WHEN = START_MS + 9 * DAY_MS


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'feedback.db'}"
    else:
        url = new_database(request.getfixturevalue("postgres_server"), "memo")
    engine = open_engine(url)
    rows = []
    for n in range(4):  # four journeys from two clients: "wifi drops" finds the router article
        journey, client = f"j{n}", f"c{n % 2}"
        rows += [dict(event_id=f"s{n}", type="search", received_ms=WHEN + 10 * n, query="wifi drops", results=3,
                      journey=journey, client=client),
                 dict(event_id=f"k{n}", type="click", received_ms=WHEN + 10 * n + 1, query="wifi drops",
                      item_id="router", rank=1, journey=journey, client=client),
                 dict(event_id=f"v{n}", type="vote", received_ms=WHEN + 10 * n + 2, item_id="router", value=1,
                      scale="helpful", journey=journey, client=client)]
    keys = {k for row in rows for k in row}
    with engine.begin() as conn:
        conn.execute(insert(events), [{k: row.get(k) for k in keys} for row in rows])
    yield engine
    engine.dispose()


def aggregates(engine, cache):
    """(search outcomes, learned ties, memo hits) as a report run computes or reads them."""
    memo = StoreMemo(cache, engine, PERIODS)
    beside = Background(engine, PERIODS, parallel=False, memo=memo)
    try:
        rows, _, _ = beside.outcomes_result()
        learned = beside.learned_evidence()
    finally:
        beside.close()
    memo.save()
    searches = sorted((r.query, r.bucket, r.searches, r.clicked, r.yes, r.zero) for r in rows)
    return searches, sorted((t.key, t.item_id, t.journeys) for t in learned.ties), memo.hits


def test_read_back_only_while_the_store_is_unchanged(store, tmp_path):
    cache = tmp_path / "cache"
    first = aggregates(store, cache)
    assert first[0] == [("wifi drops", "cur", 4, 4, 4, 0)] and ("wifi", "router", 4) in first[1] and first[2] == 0
    assert aggregates(store, cache) == (*first[:2], 2)  # both read back

    with store.begin() as conn:  # a new event after a report is counted in the next one
        conn.execute(insert(events).values(event_id="new", type="search", received_ms=WHEN + 500,
                                           query="router blinks red", results=0))
    searches, ties, hits = aggregates(store, cache)
    assert hits == 0 and ("router blinks red", "cur", 1, 0, 0, 1) in searches
    assert aggregates(store, cache)[2] == 2

    with store.begin() as conn:  # deleted again: the aggregates are those of before
        conn.execute(delete(events).where(events.c.event_id == "new"))
    assert aggregates(store, cache) == (*first[:2], 0)

    with store.begin() as conn:  # a lead's block: nothing learned from "wifi" any more
        conn.execute(insert(learned_blocks).values(phrase="wifi", created_ms=WHEN))
    searches, ties, hits = aggregates(store, cache)
    assert hits == 0 and not any(key == "wifi" for key, _, _ in ties) and searches == first[0]


@pytest.mark.slow  # two whole reports on the simulated store
def test_a_second_report_on_an_unchanged_store_reads_back_the_same_report(catalogue, simulated, periods, tmp_path,
                                                                         monkeypatch):
    from carebase.report import background, journeys, queries
    from carebase.report.build import build_report
    from carebase.report.links import SourceLinks

    _, engine, _ = simulated
    copy = tmp_path / "copy.db"  # another file with the same rows: computed afresh, never read back
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(engine.url.database, copy)
    other = create_engine(f"sqlite:///{copy}")
    links = SourceLinks("content", tmp_path / "out")

    def run():
        report = build_report(catalogue, other, periods, links, min_votes=10, cache_dir=tmp_path / "cache")
        report.pop("generated")
        report["backlog"].pop("checked_ms")
        report["missing"]["grouped_with"].pop("embedded_now")  # the second run finds the wordings' vectors cached
        return report

    try:
        first = run()
        assert (tmp_path / "cache" / FILE).is_file()

        def recomputed(*args, **kwargs):
            raise AssertionError("recomputed an aggregate of an unchanged store")

        for module, name in ((queries, "vote_counts"), (queries, "item_traffic"), (journeys, "search_outcomes"),
                             (background, "_learned_here")):
            monkeypatch.setattr(module, name, recomputed)
        assert run() == first
    finally:
        other.dispose()


class _Planted:
    def __reduce__(self):
        return (shutil.rmtree, ("/nonexistent-carebase-test-target",))


def test_a_planted_file_is_ignored_and_cannot_run_code(tmp_path, monkeypatch):
    engine = create_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    metadata.create_all(engine)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / FILE).write_bytes(pickle.dumps({"key": "x", "entries": {"a": _Planted()}}))
    called = []
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: called.append(a))
    memo = StoreMemo(cache, engine, PERIODS)
    assert memo.call("votes", lambda: "computed") == "computed" and not called
    memo.save()  # replaced by this run's own entries
    assert StoreMemo(cache, engine, PERIODS).call("votes", lambda: "again") == "computed"
    (cache / FILE).write_bytes(b"\x80\x05 damaged")
    assert StoreMemo(cache, engine, PERIODS).call("votes", lambda: "afresh") == "afresh"
    engine.dispose()


def test_replays_are_read_back_for_the_same_search_index_only(tmp_path):
    from carebase.report.replay import RememberedReplays

    def replays(revision, *queries):
        inner = CountingReplayer()
        replayer = RememberedReplays(inner, tmp_path / "cache", revision)
        got = [replayer.search(q, limit) for q, limit in queries]
        replayer.save()
        return got, inner.calls

    first, calls = replays("rev1", ("wifi drops", 5), ("router red", 1))
    assert first == [[("article:wifi", 2.5), ("faq:other", 1.0)], [("article:router", 2.5)]] and len(calls) == 2
    assert replays("rev1", ("wifi drops", 5), ("router red", 1)) == (first, [])  # same index: nothing replayed
    assert replays("rev1", ("wifi drops", 5), ("new words", 5))[1] == [("new words", 5)]  # only what is new
    assert replays("rev2", ("wifi drops", 5))[1] == [("wifi drops", 5)]  # the content changed: replayed again
    (tmp_path / "cache" / RememberedReplays.FILE).write_text("{not json")
    assert replays("rev2", ("wifi drops", 5)) == ([first[0]], [("wifi drops", 5)])


def test_the_search_index_is_opened_only_for_a_replay_not_read_back(tmp_path):
    """``carebase report`` opens the site's search (index, spelling, vectors, the model) on the
    first failed search it must replay: a report whose replays are all remembered never opens it."""
    from carebase.report.replay import RememberedReplays, WhooshReplayer

    opened = []

    class Ranked:
        def ranked(self, query, limit):
            return [("article:wifi", 2.5), ("article:wifi", 2.0), ("faq:other", 1.0)][:limit]

    def replays(*queries):
        replayer = RememberedReplays(WhooshReplayer(opening=lambda: opened.append(1) or Ranked()),
                                     tmp_path / "cache", "rev1")
        got = [replayer.search(q, 5) for q in queries]
        replayer.save()
        return got

    first = replays("wifi drops", "router red")
    assert first[0] == [("article:wifi", 2.5), ("faq:other", 1.0)] and opened == [1]  # opened once, for both
    assert replays("wifi drops", "router red") == first and opened == [1]  # all read back: never opened
    assert replays("wifi drops", "new words")[0] == first[0] and opened == [1, 1]  # a new one: opened
    with pytest.raises(TypeError, match="expected a searcher or opening"):
        WhooshReplayer()


def outcomes(engine, cache):
    """(every search row with all its counts, sorted; the daily series; the learned ties; the
    memo's delta) as a report run has them."""
    from carebase.report.store_delta import RememberedReached

    memo = StoreMemo(cache, engine, PERIODS)
    beside = Background(engine, PERIODS, parallel=False, memo=memo)
    try:
        rows, daily, _ = beside.outcomes_result()
        ties = [t.as_json() for t in beside.learned_evidence().ties]
        with engine.connect() as conn:  # where the journeys went after these searches
            went = RememberedReached(memo, conn, PERIODS)(["wifi drops", "router blinks red"])
    finally:
        beside.close()
    memo.save()
    return sorted(tuple(vars(r).values())[:-3] + tuple(tuple(sorted(side.items())) for side in (r.clients, r.found_clients))
                  for r in rows), daily, \
        (ties, went), memo.delta


def test_a_store_that_only_grew_is_brought_up_to_date_from_the_new_events_journeys(store, tmp_path, monkeypatch):
    from carebase.learned import journeys as learned_journeys
    from carebase.report import journeys, topic_evidence

    real_reached = topic_evidence.reached_after

    cache = tmp_path / "cache"
    first = outcomes(store, cache)
    more = []
    for n in (5, 6):  # two more clients reach the router with "router blinks red": learned once counted
        more += [dict(event_id=f"s{n}", type="search", received_ms=WHEN + 900 + n, query="router blinks red",
                      results=3, journey=f"j{n}", client=f"c{n}"),
                 dict(event_id=f"k{n}", type="click", received_ms=WHEN + 910 + n, query="router blinks red",
                      item_id="router", rank=1, journey=f"j{n}", client=f"c{n}")]
    new = [dict(event_id="no0", type="vote", received_ms=WHEN + 900, item_id="router", value=0, scale="helpful",
                journey="j0", client="c0"),  # an old journey changes its outcome: "No" after its "Yes"
           dict(event_id="k9", type="contact", received_ms=WHEN + 901, journey="j1", channel="email"),
           dict(event_id="s9", type="search", received_ms=WHEN + 902, query="router blinks red", results=2,
                journey="j9", client="c1"),  # a new journey, abandoned
           dict(event_id="s10", type="search", received_ms=WHEN + 903, query="printer offline", results=0),
           dict(event_id="s11", type="search", received_ms=WHEN + 904, query="router blinks red", results=3,
                journey="j2", client="c0"),  # an old journey reaches the router again
           dict(event_id="k11", type="click", received_ms=WHEN + 905, query="router blinks red",
                item_id="router", rank=1, journey="j2", client="c0"), *more]
    keys = {k for row in new for k in row}
    with store.begin() as conn:
        conn.execute(insert(events), [{k: row.get(k) for k in keys} for row in new])
    with monkeypatch.context() as patched:  # not computed afresh: from the last run's and the new journeys
        patched.setattr(journeys, "search_outcomes", lambda *a, **k: pytest.fail("computed afresh"))
        patched.setattr(learned_journeys, "evidence", lambda *a, **k: pytest.fail("computed afresh"))
        patched.setattr(topic_evidence, "reached_after", lambda *a, journeys=None, **k: real_reached(
            *a, journeys=journeys, **k) if journeys is not None else pytest.fail("computed afresh"))
        rows, daily, ties, delta = outcomes(store, cache)
    assert delta is not None and delta.journeys == ("j0", "j1", "j2", "j5", "j6", "j9") and delta.events == 10
    assert (rows, daily, ties) == outcomes(store, None)[:3] != first[:3]  # the same as computed afresh
    counts = [r[:-2] for r in rows]
    assert ("wifi drops", "cur", 4, 0, 4, 4, 1, 1, 0, 2, 0) in counts  # searches, zero, clicked, yes, bad, contact, …, answered
    assert ("printer offline", "cur", 1, 1, 0, 0, 0, 0, 0, 1, 0) in counts
    assert ("router blinks red", "cur", 4, 0, 3, 1, 0, 0, 1, 1, 0) in counts  # j2 had said "Yes" to the router
    assert ("printer offline", "cur", 1, 1, 0, 0, 0, 0, 0, 1, 0, (("", 1),), ()) in rows  # failed, from no client hash
    router = [r[-2:] for r in rows if r[:2] == ("router blinks red", "cur")]  # (failed, found) per client
    assert router == [((("c1", 1),), (("c0", 1), ("c5", 1), ("c6", 1)))]  # abandoned by c1; found by c0, c5, c6
    ties, went = ties
    # per client hash: j2 (c0) searched again
    assert went["wifi drops"] == {("router", None, "c0"): 2, ("router", None, "c1"): 2,
                                  ("router", "router blinks red", "c0"): 1}
    learned = {(t["key"], t["item"]): t["journeys"] for t in ties}
    assert learned[("wifi", "router")] == 3 and learned[("red", "router")] == 3  # j0 said "No"; j2, j5, j6
    assert outcomes(store, cache)[:3] == (rows, daily, (ties, went))  # what was brought up to date was remembered

    with store.begin() as conn:  # a deleted event is no delta: computed afresh, without it
        conn.execute(delete(events).where(events.c.event_id == "no0"))
    rows, daily, ties, delta = outcomes(store, cache)
    assert delta is None and (rows, daily, ties) == outcomes(store, None)[:3]
    assert ("wifi drops", "cur", 4, 0, 4, 4, 0, 1, 0, 1, 0) in [r[:-2] for r in rows]
    assert {(t["key"], t["item"]): t["journeys"] for t in ties[0]}[("wifi", "router")] == 4


def test_a_change_to_a_module_the_aggregates_code_imports_forgets_them(monkeypatch):
    """The remembered aggregates are keyed by the code that computes them: the modules named in
    store_memo._CODE and every carebase module they import. Fails on the old code, whose key read
    the 13 named modules only: carebase.report.period (the report's periods, imported by the memo
    itself) and normalise (the rules that put wordings into one group) could change and
    the next report read back what the old code computed."""
    from pathlib import Path

    import carebase
    from carebase.report import store_memo

    before = store_memo._code()
    real = Path.read_bytes
    for module in ("report/period.py", "report/normalise.py"):
        changed = Path(carebase.__path__[0]) / module
        monkeypatch.setattr(Path, "read_bytes", lambda p, c=changed: real(p) + b"\n# changed" if p == c else real(p))
        assert store_memo._code() != before, module
        monkeypatch.undo()
