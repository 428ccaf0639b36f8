"""``carebase report`` end to end: the real CLI on the demo content and a SQLite file,
the JSON Lines export, PostgreSQL, bad input, and CSV formula neutralising. The demo's run is a
real child process (``demo_run``); the runs that compare another source with it (JSON Lines,
an unmigrated file, PostgreSQL) call the same entry point in this process
(``cli_testkit.run_carebase``: no new interpreter's start-up and imports, ~1.5 s of CPU a run)."""

from __future__ import annotations

import csv
import json

import pytest
from cli_testkit import run_on_terminal
from report_testkit import FORMULA_COMMENT, REPO, run_cli
from sqlalchemy import create_engine


def test_command_writes_every_format_and_ranks_the_planted_truth(demo_run, demo_cache):
    truth, out, _, proc = demo_run
    assert {p.name for p in out.iterdir()} == {"index.html", "report.md", "report.json", "failing.csv",
                                               "missing.csv", "assistants.csv", "keywords.csv", "stale.csv", "coverage.csv",
                                               "backlog.csv"}  # its memory is elsewhere: a report folder is shared
    assert not list(demo_cache.rglob("*.seg")) and not list(demo_cache.rglob("*impacts*"))  # no search index
    assert "failing item(s)" in proc.stdout and "wrote" in proc.stdout
    assert proc.stderr == ""  # quiet in CI: no progress, and the Whoosh replay was used (no fallback note)
    report = json.loads((out / "report.json").read_text())
    assert report["replayed_with"] == "carebase search (Whoosh)"
    assert sorted(r["id"] for r in report["failing"][: len(truth.failing)]) == sorted(truth.failing)
    labels = [c["label"] for c in report["missing"]["clusters"]]
    for topic, variants in truth.missing.items():
        rank = next(i for i, c in enumerate(report["missing"]["clusters"])
                    if {q["query"] for q in c["queries"]} & set(variants))
        assert report["missing"]["clusters"][rank]["status"] == "gap", labels
        assert rank < len(truth.missing) + len(truth.findability), labels
    md = (out / "report.md").read_text()
    assert "## Failing content" in md and "## Missing content" in md
    first = report["failing"][0]
    assert first["source"]["path"].endswith(".md") and (REPO / "content" / first["source"]["path"]).is_file()


def test_csv_neutralises_formulas_from_customers(demo_run):
    _, out, _, _ = demo_run
    with open(out / "failing.csv", newline="") as stream:
        cells = [cell for row in csv.reader(stream) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    comments = [c for c in cells if "HYPERLINK" in c]
    assert comments and all(c.startswith("'") or not c.startswith("=") for c in comments)
    assert any(f"'{FORMULA_COMMENT}" in c or FORMULA_COMMENT in c and not c.startswith("=") for c in comments)
    with open(out / "missing.csv", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert rows and all(not v.startswith(("=", "+", "-", "@")) for row in rows for v in row.values() if v)


def test_export_jsonl_gives_the_same_report(demo_run, demo_cache, tmp_path, demo_site_data):
    from carebase.store.export import write_jsonl

    _, out, url, _ = demo_run
    export = tmp_path / "events.jsonl"
    with open(export, "w") as stream:
        write_jsonl(create_engine(url), stream)
    proc = run_cli("--site-data", str(demo_site_data), "--events", str(export), "--out", str(tmp_path / "r"),
                   "--format", "json", "--cache", str(demo_cache), in_process=True)
    assert proc.returncode == 0, proc.stderr
    a = json.loads((out / "report.json").read_text())
    b = json.loads((tmp_path / "r" / "report.json").read_text())
    assert [(r["id"], r["n"], r["unhelpful"]) for r in a["items"]] == [(r["id"], r["n"], r["unhelpful"]) for r in b["items"]]
    assert [(c["key"], c["failed"]) for c in a["missing"]["clusters"]] == [(c["key"], c["failed"]) for c in b["missing"]["clusters"]]


def test_bad_export_line_names_file_line_and_field(tmp_path, small_site_data):
    export = tmp_path / "bad.jsonl"
    export.write_text('{"event_id": "a1", "type": "vote", "received_ms": 1}\n'
                      '{"event_id": "a2", "type": "vote", "received_ms": "yesterday"}\n')
    proc = run_cli("--site-data", str(small_site_data), "--events", str(export), "--out", str(tmp_path / "r"),
                   in_process=True)
    assert proc.returncode == 1
    assert f"{export}:2: received_ms: expected an integer, found 'yesterday'" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "r").exists()


@pytest.mark.parametrize("args,message", [
    (["--since", "last week"], "--since: expected a date like 2026-11-30, found 'last week'"),
    (["--format", "pdf"], "--format: expected some of html, md, json, csv, found 'pdf'"),
    (["--db", "sqlite:///nowhere/feedback.db"], "--db: expected the service's database, found no file"),
    (["--site-data", "no-such-folder"], "--site-data: expected the build output folder"),
])
def test_usage_errors_exit_2_with_a_clear_message(args, message, tmp_path, small_site_data):
    base = {"--site-data": str(small_site_data), "--db": f"sqlite:///{tmp_path / 'x.db'}"}
    for flag, value in zip(args[::2], args[1::2]):
        base[flag] = value
    (tmp_path / "x.db").write_bytes(b"")
    flat = [x for pair in base.items() for x in pair]
    proc = run_cli(*flat, "--out", str(tmp_path / "r"), in_process=True)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_a_period_ending_before_it_starts_names_the_days_as_typed(tmp_path, small_site_data):
    """The audit (session 45): --since 2026-12-01 --until 2026-11-01 said "found 2026-12-01T00:00:00Z
    >= 2026-11-02T00:00:00Z": the exclusive end kept inside, a day the lead never typed."""
    from carebase.store.engine import open_engine

    open_engine(f"sqlite:///{tmp_path / 'feedback.db'}").dispose()  # an empty store, migrated as the service makes it
    proc = run_cli("--site-data", str(small_site_data), "--db", f"sqlite:///{tmp_path / 'feedback.db'}",
                   "--since", "2026-12-01", "--until", "2026-11-01", "--out", str(tmp_path / "r"), in_process=True)
    assert proc.returncode == 2, proc.stderr
    assert ("--since: expected a day no later than the period's last day (2026-11-01: --until, or the latest day "
            "with an event), found 2026-12-01") in proc.stderr and "2026-11-02" not in proc.stderr


def test_a_database_without_events_is_refused(tmp_path, small_site_data):
    import sqlite3

    sqlite3.connect(tmp_path / "other.db").execute("create table t (x)").connection.commit()
    proc = run_cli("--site-data", str(small_site_data), "--db", f"sqlite:///{tmp_path / 'other.db'}",
                   "--out", str(tmp_path / "r"), in_process=True)
    assert proc.returncode == 2 and "has no events table" in proc.stderr


def test_an_unmigrated_version_1_database_gives_the_same_report_and_a_hint(demo_run, demo_cache, tmp_path, demo_site_data):
    import shutil

    from sqlalchemy import text

    from carebase.store.schema import schema_migrations

    _, out, url, _ = demo_run
    old = tmp_path / "old.db"
    shutil.copy(url[len("sqlite:///"):], old)
    engine = create_engine(f"sqlite:///{old}")
    with engine.begin() as conn:  # as store schema 0001 left it
        conn.execute(text("DROP INDEX events_type_item_cover"))
        conn.execute(text("CREATE INDEX events_type_item ON events (type, item_id)"))
        schema_migrations.create(conn, checkfirst=True)
        conn.execute(schema_migrations.insert().values(version=1, name="create_events", applied_ms=1))
    engine.dispose()
    proc = run_cli("--site-data", str(demo_site_data), "--db", f"sqlite:///{old}", "--out", str(tmp_path / "r"),
                   "--format", "json", "--cache", str(demo_cache), in_process=True)
    assert proc.returncode == 0, proc.stderr
    from carebase.store.migrations import available

    assert f"store schema 1 of {available()[-1].version}" in proc.stderr and "carebase service" in proc.stderr
    a = json.loads((out / "report.json").read_text())
    b = json.loads((tmp_path / "r" / "report.json").read_text())
    assert [(r["id"], r["n"], r["unhelpful"], r["clicks"]) for r in a["items"]] == \
           [(r["id"], r["n"], r["unhelpful"], r["clicks"]) for r in b["items"]]
    engine = create_engine(f"sqlite:///{old}")
    with engine.connect() as conn:  # the report read it and changed nothing
        assert conn.execute(text("SELECT max(version) FROM schema_migrations")).scalar() == 1
    engine.dispose()


@pytest.mark.slow  # a whole report run, on a one-article site
def test_a_store_at_schema_10_is_told_what_its_migrations_add(tmp_path, small_site_data):
    """A store the service left at schema 10 (before the client epochs): `carebase report`
    said the service would add "the report's index", but 0011 and 0012 add a column each. The
    note now lists each pending migration as the migration describes itself, with how long it
    takes where measured, and the report still reads the store and changes nothing."""
    from sqlalchemy import text

    from carebase.store.engine import open_engine

    db = tmp_path / "feedback.db"
    engine = open_engine(f"sqlite:///{db}")  # every migration, then undo 0011 and 0012 as 0010 left it
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE events DROP COLUMN client_epoch"))
        conn.execute(text("ALTER TABLE contacts DROP COLUMN client_epoch"))
        conn.execute(text("DELETE FROM schema_migrations WHERE version > 10"))
        conn.execute(text("INSERT INTO events (event_id, type, received_ms, query, results) "
                          "VALUES ('s1', 'search', 1, 'zigbee hub', 0)"))
    engine.dispose()
    proc = run_cli("--site-data", str(small_site_data), "--db", f"sqlite:///{db}", "--out", str(tmp_path / "r"),
                   "--format", "json", "--no-cache", in_process=True)
    assert proc.returncode == 0, proc.stderr
    note, = [line for line in proc.stderr.splitlines() if "store schema" in line]
    from carebase.store.migrations import available

    latest = max(m.version for m in available())  # 13 since session 44's store_marks
    assert f"store schema 10 of {latest}" in note and "report's index" not in note
    assert "0011 the epoch of each event's client hash (instant: a nullable column" in note
    assert "0012 the epoch of each contact ticket's client hash (instant" in note
    assert "0013 marks of rewrites made to stored text (store_marks)" in note.replace("`", "")
    assert "(instant: a new, empty table)" in note  # reader 44, I1: 0013's line asserted too
    assert "0010" not in note and "carebase service" in note
    with create_engine(f"sqlite:///{db}").connect() as conn:
        assert conn.execute(text("SELECT max(version) FROM schema_migrations")).scalar() == 10


def test_postgresql_gives_the_same_report(demo_run, demo_cache, postgres_server, tmp_path, demo_site_data):
    import uuid

    import psycopg

    from carebase.store.engine import open_engine
    from carebase.store.export import iter_rows
    from sqlalchemy import text as sa_text

    from carebase.store.schema import events

    _, out, url, _ = demo_run
    rows = list(iter_rows(create_engine(url)))
    name = "report_" + uuid.uuid4().hex[:12]  # a new database on the session's server
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    pg_url = postgres_server.rsplit("/", 1)[0] + "/" + name
    engine = open_engine(pg_url)
    with engine.begin() as conn:
        # autovacuum must not analyse the table before the report does (on a busy run it
        # sometimes did, and the report then rightly had nothing to say)
        conn.execute(sa_text("ALTER TABLE events SET (autovacuum_enabled = false)"))
        conn.execute(events.insert(), rows)
    # A table filled a second ago has no planner statistics (autovacuum has not got to
    # it), and the journey joins then took minutes: the report analyses it first, and says so.
    with engine.connect() as conn:
        assert conn.execute(sa_text("SELECT last_analyze, last_autoanalyze FROM pg_stat_user_tables "
                                    "WHERE relname = 'events'")).first() in (None, (None, None))
    engine.dispose()
    proc = run_cli("--site-data", str(demo_site_data), "--db", pg_url, "--out", str(tmp_path / "pg"), "--format", "json",
                   "--cache", str(demo_cache), in_process=True)
    assert proc.returncode == 0, proc.stderr
    assert "ran ANALYZE events first" in proc.stderr
    a = json.loads((out / "report.json").read_text())
    b = json.loads((tmp_path / "pg" / "report.json").read_text())
    assert [(r["id"], r["n"], r["unhelpful"], r["clicks"]) for r in a["items"]] == \
           [(r["id"], r["n"], r["unhelpful"], r["clicks"]) for r in b["items"]]
    assert a["deflection"] == b["deflection"]
    assert [(c["key"], c["failed"], c["status"]) for c in a["missing"]["clusters"]] == \
           [(c["key"], c["failed"], c["status"]) for c in b["missing"]["clusters"]]


def test_progress_on_a_terminal_and_quiet_in_ci(demo_run, demo_cache, tmp_path, demo_site_data):
    _, _, url, _ = demo_run
    proc, raw = run_on_terminal(["report", "--site-data", str(demo_site_data), "--db", url,
                                 "--out", str(tmp_path / "r"), "--format", "md", "--cache", str(demo_cache)],
                                terminal="stderr",
                                cwd=REPO, timeout=300)
    shown = raw.decode()
    assert proc.returncode == 0
    assert "carebase report [" in shown and "votes" in shown and "missing content" in shown
