"""``carebase store remask``: texts stored before the site named its region are masked again with
it, on SQLite and PostgreSQL; a dry run writes nothing; a second run changes nothing; no row is
lost; the report's memory of the store does not serve the texts from before."""

from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import func, select

from carebase.report.store_memo import store_marks_of
from carebase.service.masking import mask_payment, mask_pii
from carebase.service.masking_region import NO_REGION, plans
from carebase.store.engine import open_engine
from carebase.store.remask import remask
from carebase.store.schema import backlog, contacts, events, store_marks, topic_links

#: British numbers with no word saying they are phone numbers: readable under no region (as stored
#: before the site named one), national numbers of a British site
UK = ("thermostat fw 0791 112 3456", "refund kb 020 7946 0958 pls", "0 79 11 123 456")


def _stored(engine) -> None:
    """Rows as the service stores them on a site with no region (each text masked at ingest then)."""
    stored = lambda text: mask_pii(text, NO_REGION)  # noqa: E731
    assert all(stored(text) == text for text in UK)  # readable before: the leak this command closes
    with engine.begin() as conn:
        conn.execute(events.insert(), [dict(event_id=f"search{i:04d}", type="search", received_ms=1_000 + i, query=stored(q),
                                            results=0) for i, q in enumerate(UK + ("boiler pressure", "order 12345"))])
        conn.execute(events.insert(), [dict(event_id="vote0001", type="vote", received_ms=5, item_id="article:a", value=0,
                                            comment=stored("no help, sn 0791 112 3456\nthanks"))])
        conn.execute(events.insert().values(event_id="click001", type="click", received_ms=6, item_id="article:a", rank=1))
        conn.execute(contacts.insert(), [dict(ticket="CB-AAAA-0001", request_id="r1", received_ms=1, name="Ann", email="a@example.com",
                                              message=mask_payment("call me fw 0791 112 3456, card 4111 1111 1111 1111"),
                                              searches=json.dumps([stored("help kb 020 7946 0958"), "refund"]),
                                              forward_state="none", forward_attempts=0)])
        conn.execute(topic_links.insert().values(kind="two", topic_id="t1", wording=stored("heating 0 79 11 123 456"), created_ms=1))
        conn.execute(backlog.insert().values(key="write:t1", status="done", status_ms=1, updated_ms=1,
                                             snapshot=json.dumps({"key": "write:t1", "queries": [stored("0 79 11 123 456"), "boiler"]})))


def _texts(engine) -> list:
    with engine.connect() as conn:
        return [conn.execute(select(events).order_by(events.c.event_id)).all(),
                conn.execute(select(contacts)).all(), conn.execute(select(topic_links)).all(),
                conn.execute(select(backlog)).all()]


def test_a_region_named_later_masks_the_rows_stored_before_it(store_url):
    engine = open_engine(store_url)
    try:
        _stored(engine)
        before = _texts(engine)
        dry = remask(engine, plans(("GB",)), dry_run=True)
        assert _texts(engine) == before and store_marks_of(engine) == []  # a dry run writes nothing
        assert dry.changed == 7 and dry.per_column == {"events.query": 3, "events.comment": 1, "contacts.searches": 1,
                                                       "topic_links.wording": 1, "backlog.snapshot": 1}
        done = remask(engine, plans(("GB",)), note="region GB")
        assert (done.changed, done.skipped) == (7, 0)
        with engine.connect() as conn:
            queries = dict(conn.execute(select(events.c.event_id, events.c.query)).all())
            comment = conn.execute(select(events.c.comment).where(events.c.event_id == "vote0001")).scalar()
            ticket = conn.execute(select(contacts)).one()
            wording = conn.execute(select(topic_links.c.wording)).scalar()
            snapshot = json.loads(conn.execute(select(backlog.c.snapshot)).scalar())
            assert conn.execute(select(func.count()).select_from(events)).scalar() == 7  # no row lost
            marks = conn.execute(select(store_marks.c.name, store_marks.c.rows, store_marks.c.note)).all()
        assert [queries[f"search{i:04d}"] for i in range(5)] == [
            "thermostat fw [phone]", "refund kb [phone] pls", "[phone]", "boiler pressure", "order 12345"]
        assert comment == "no help, sn [phone]\nthanks"
        assert json.loads(ticket.searches) == ["help kb [phone]", "refund"]
        # the service's default --contact-mask (payment) keeps the number a customer asks to be called on
        assert ticket.message == "call me fw 0791 112 3456, card [card]"
        assert wording == "heating [phone]" and snapshot == {"key": "write:t1", "queries": ["[phone]", "boiler"]}
        assert marks == [("remask", 7, "region GB")]
        after = _texts(engine)
        again = remask(engine, plans(("GB",)))
        assert (again.changed, _texts(engine), len(store_marks_of(engine))) == (0, after, 1)  # idempotent
        all_masked = remask(engine, plans(("GB",)), contact_mask="all")
        with engine.connect() as conn:
            assert conn.execute(select(contacts.c.message)).scalar() == "call me fw [phone], card [card]"
        assert all_masked.per_column == {"contacts.message": 1}
    finally:
        engine.dispose()


def test_a_decisions_snapshot_keeps_no_number_in_its_title_why_or_claims(tmp_path):
    """Reader 44, P5: a decision's snapshot (``backlog.states.snapshot_of``) keeps the row's title
    (a topic is named from its wordings), its why (quoting the searches), its claims' wordings, words
    and suggestion; remask masked only its ``queries``, and a decided row no longer current is shown
    from the snapshot, so the backlog kept showing the number. Every text of it is masked; its
    ids, keys, paths and the help centre's own titles stay as they were."""
    from carebase.backlog.states import snapshot_of

    q = "thermostat fw 0791 112 3456"
    row = {"key": "write:topic:abc", "action": "write", "verb": "Write", "topic": "topic:abc", "target": "new",
           "subject": {"kind": "topic", "id": "topic:abc", "title": "Thermostat fw 0791 112 3456", "url": ""},
           "why": f"12 searches in 3 wordings (\u201c{q}\u201d) failed (no result).",
           "claims": [[q, "new"], ["boiler pressure", "article:heating/boiler-0791"]], "words": [q, "boiler"],
           "suggestion": {"path": "docs/heating/0791-112.md", "href": "/heating/0791-112/", "customer_words": [q]},
           "target_title": "Call 0791 112 3456 for repairs", "category": "heating", "all_queries": [{"query": q, "count": 12}]}
    snap = snapshot_of(row)
    engine = open_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    with engine.begin() as conn:
        conn.execute(backlog.insert().values(key=row["key"], status="done", status_ms=1, updated_ms=1, snapshot=json.dumps(snap)))
    assert remask(engine, plans(("GB",))).per_column == {"backlog.snapshot": 1}
    with engine.connect() as conn:
        after = json.loads(conn.execute(select(backlog.c.snapshot)).scalar())
    engine.dispose()
    masked = "thermostat fw [phone]"
    assert after["queries"] == [masked] and after["subject"]["title"] == "Thermostat fw [phone]"
    assert after["why"] == f"12 searches in 3 wordings (\u201c{masked}\u201d) failed (no result)."
    assert after["claims"] == [[masked, "new"], ["boiler pressure", "article:heating/boiler-0791"]]
    assert after["words"] == [masked, "boiler"] and after["suggestion"]["customer_words"] == [masked]
    assert "0791 112 3456" not in json.dumps(after, ensure_ascii=False).replace(row["target_title"], "")
    kept = {k: v for k, v in snap.items() if k not in ("queries", "subject", "why", "claims", "words", "suggestion")}
    assert {k: after[k] for k in kept} == kept  # ids, keys, the item's own title
    assert after["suggestion"]["path"] == "docs/heating/0791-112.md" and after["subject"]["id"] == "topic:abc"


def test_a_decision_on_a_page_keeps_the_pages_own_title(tmp_path):
    """Reader 44, F2: a Fix row's subject is an item, titled by the help centre, not by customers:
    its title is kept as written (only a topic's title, made from customers' wordings, is masked)."""
    from carebase.backlog.states import snapshot_of

    row = {"key": "fix:article:billing/refunds", "action": "fix", "item": "article:billing/refunds",
           "subject": {"kind": "article", "id": "article:billing/refunds", "title": "Call 0800 123 4567 for a refund"},
           "why": "customers searched for \u201crefund 020 7946 0958\u201d, opened it and voted No"}
    engine = open_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    with engine.begin() as conn:
        conn.execute(backlog.insert().values(key=row["key"], status="done", status_ms=1, updated_ms=1,
                                             snapshot=json.dumps(snapshot_of(row))))
    remask(engine, plans(("GB",)))
    with engine.connect() as conn:
        after = json.loads(conn.execute(select(backlog.c.snapshot)).scalar())
    engine.dispose()
    assert after["subject"]["title"] == "Call 0800 123 4567 for a refund"
    assert after["why"] == "customers searched for \u201crefund [phone]\u201d, opened it and voted No"


def test_the_command_shows_a_dry_run_then_writes_and_names_a_wrong_region(tmp_path):
    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    engine = open_engine(url)
    _stored(engine)
    before = _texts(engine)

    def carebase(*args):
        return subprocess.run([sys.executable, "-m", "carebase", "store", "remask", "--db", url, *args],
                              capture_output=True, text=True, timeout=120)

    dry = carebase("--region", "GB", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    # reader 44, P4(b): what changes is shown masked; the number is not copied out of the store
    # (into a CI log, a shared terminal's scrollback) unless asked for with --show-before
    assert "events.query search0000: -> 'thermostat fw [phone]'" in dry.stdout
    assert "0791" not in dry.stdout and "7946" not in dry.stdout and "--show-before" in dry.stdout
    assert "7 would change" in dry.stdout and "Nothing was written" in dry.stdout
    shown = carebase("--region", "GB", "--dry-run", "--show-before")
    assert "events.query search0000: 'thermostat fw 0791 112 3456' -> 'thermostat fw [phone]'" in shown.stdout
    assert _texts(engine) == before
    wrong = carebase("--region", "UK")
    assert wrong.returncode == 2 and "'UK' is not a country code: did you mean GB?" in wrong.stderr
    assert _texts(engine) == before
    done = carebase("--region", "GB")
    assert done.returncode == 0 and "7 masked again" in done.stdout, done.stdout + done.stderr
    with engine.connect() as conn:
        assert conn.execute(select(events.c.query).where(events.c.event_id == "search0000")).scalar() == "thermostat fw [phone]"
    assert "0 masked again" in carebase("--region", "GB").stdout
    engine.dispose()


def test_the_command_run_beside_no_store_creates_none_and_says_so(tmp_path):
    """Reader 44, P6: run anywhere but beside the service's database, the command created an empty
    ``feedback.db`` there (``--db``'s default), read its 0 rows and exited 0, as if the stored
    numbers were masked now. A SQLite store that does not exist is refused, and none is created."""
    missing = tmp_path / "elsewhere" / "feedback.db"
    missing.parent.mkdir()
    for args in ([], ["--db", f"sqlite:///{missing}"], ["--db", str(missing)]):
        done = subprocess.run([sys.executable, "-m", "carebase", "store", "remask", "--region", "GB", *args],
                              capture_output=True, text=True, timeout=120, cwd=missing.parent,
                              env={**__import__("os").environ, "CAREBASE_DATABASE_URL": ""})
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert "no event store at" in done.stderr and "--db" in done.stderr and "nothing was changed" in done.stderr, done.stderr
        assert list(missing.parent.iterdir()) == [], args  # no store created


def test_a_remask_removes_the_reports_memory_of_the_texts_as_they_were(tmp_path):
    """Reader 44, P4(a): the report's cache folder kept the texts from before the run on disk (its
    memory of the store's aggregates, the replays keyed by each search's text) until the next
    report replaced them. A run that changed rows removes those files from the default memory
    folder of the database and from the --cache a report uses; its topics' memory (their ids) stays.
    A dry run, or a run that changes nothing, removes nothing."""
    import os

    from carebase.report import cache_home

    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    engine = open_engine(url)
    _stored(engine)
    engine.dispose()
    env = {**os.environ, "CAREBASE_CACHE_DIR": str(tmp_path / "cache"), "CAREBASE_DATABASE_URL": ""}
    os.environ["CAREBASE_CACHE_DIR"], saved = env["CAREBASE_CACHE_DIR"], os.environ.get("CAREBASE_CACHE_DIR")
    try:
        default = cache_home.default_folder(cache_home.source_identity(url))
    finally:
        os.environ.pop("CAREBASE_CACHE_DIR") if saved is None else os.environ.__setitem__("CAREBASE_CACHE_DIR", saved)
    own = tmp_path / "own-cache"
    old = [default / "store-aggregates.pickle", default / "replays.json", default / "de" / "replays.json",
           own / "store-aggregates.pickle", own / "replays.json"]
    kept = [default / "topics-lexical.json", own / "topics-lexical.json"]
    for path in old + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("thermostat fw 0791 112 3456")

    def carebase(*args):
        return subprocess.run([sys.executable, "-m", "carebase", "store", "remask", "--db", url, "--region", "GB",
                               "--cache", str(own), *args], capture_output=True, text=True, timeout=120, env=env)

    assert carebase("--dry-run").returncode == 0 and all(p.exists() for p in old)
    done = carebase()
    assert done.returncode == 0 and "Removed the report's memory of the texts as they were (5 files" in done.stdout, done.stdout
    assert not any(p.exists() for p in old) and all(p.exists() for p in kept)
    old[0].write_text("x")
    assert "Removed" not in carebase().stdout and old[0].exists()  # nothing changed: nothing removed


def _remembered(tmp_path):
    """A stored SQLite file whose searches' texts the report's memory of the store (``StoreMemo``,
    in tmp_path/memo) has saved: (engine, periods, the texts)."""
    from carebase.report.period import Period, Periods
    from carebase.report.store_memo import StoreMemo

    engine = open_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    _stored(engine)
    periods = Periods(Period(0, 10**8), Period(-10**8, 0))
    (tmp_path / "memo").mkdir()
    first = StoreMemo(tmp_path / "memo", engine, periods)
    with engine.connect() as conn:
        queries = sorted(q for (q,) in conn.execute(select(events.c.query)) if q)
    first.call("queries", lambda: queries)
    first.save()
    return engine, periods, queries


def test_the_reports_memory_of_the_store_is_not_used_after_a_remask(tmp_path):
    """The report remembers aggregates (with the searches' texts) per state of the store, known by
    its events' count and times, which an in-place rewrite does not change."""
    from carebase.report.store_memo import StoreMemo

    engine, periods, queries = _remembered(tmp_path)
    assert StoreMemo(tmp_path / "memo", engine, periods).recall("queries") == (True, queries)  # remembered on the same store
    remask(engine, plans(("GB",)))
    later = StoreMemo(tmp_path / "memo", engine, periods)
    assert later.recall("queries") == (False, None) and later.delta is None  # read afresh, not as a store that grew
    engine.dispose()


def test_a_remask_stopped_after_its_writes_still_keeps_the_report_from_the_texts_before(tmp_path):
    """Reader 44, P3: the mark was written after every batch was committed, so a run stopped before
    it (Ctrl-C, a killed job, a lost connection) left the texts rewritten and no mark; a second run
    then changed nothing and wrote none either, and the report's memory of the store kept serving
    the texts from before the rewrite. The mark is written with the first batch's writes."""
    import pytest

    from carebase.report.store_memo import StoreMemo

    engine, periods, _ = _remembered(tmp_path)

    def stopped(message):
        if message.startswith("backlog"):  # the last table's last batch is committed: stopped there
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        remask(engine, plans(("GB",)), progress=stopped, note="region GB")
    with engine.connect() as conn:
        assert conn.execute(select(events.c.query).where(events.c.event_id == "search0000")).scalar() == "thermostat fw [phone]"
    assert [(name, rows, note) for _, name, _, rows, note in store_marks_of(engine)] == [("remask", 7, "region GB")]
    later = StoreMemo(tmp_path / "memo", engine, periods)
    assert later.recall("queries") == (False, None) and later.delta is None
    assert remask(engine, plans(("GB",))).changed == 0 and len(store_marks_of(engine)) == 1
    engine.dispose()


def test_progress_shows_on_a_terminal_and_not_when_piped(tmp_path):
    from cli_testkit import run_on_terminal

    url = f"sqlite:///{tmp_path / 'feedback.db'}"
    engine = open_engine(url)
    _stored(engine)
    engine.dispose()
    proc, shown = run_on_terminal(["store", "remask", "--db", url, "--region", "GB", "--dry-run"], terminal="stderr", timeout=120)
    assert proc.returncode == 0 and b"carebase store remask [" in shown and b"rows read" in shown, shown
    piped = subprocess.run([sys.executable, "-m", "carebase", "store", "remask", "--db", url, "--region", "GB", "--dry-run"],
                           capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == ""
