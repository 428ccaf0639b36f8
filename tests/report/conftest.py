"""Shared fixtures for the report tests: a synthetic help centre, simulated traffic with
planted truth in a real SQLite file, and the report built from it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from tiers_testkit import real_build

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

from simulate_events import DAY_MS, insert_rows, simulate  # noqa: E402
from synthetic_content import make_catalogue  # noqa: E402

from carebase.report.build import build_report  # noqa: E402
from carebase.report.links import SourceLinks  # noqa: E402
from carebase.report.period import resolve  # noqa: E402
from carebase.store.schema import metadata  # noqa: E402
from report_testkit import FORMULA_COMMENT, START_MS, XSS_COMMENT, XSS_QUERY, empty_engine, run_cli  # noqa: E402,F401

DAYS = 56


@pytest.fixture(scope="session")
def catalogue():
    return make_catalogue()


@pytest.fixture(scope="session")
@real_build  # a simulated event store: its tests are not the fast tier's
def simulated(catalogue, tmp_path_factory):
    """(truth, engine, db url) — ~18,000 events over two 28-day periods in a SQLite file."""
    path = tmp_path_factory.mktemp("report-db") / "feedback.db"
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    metadata.create_all(engine)
    truth, rows = simulate(catalogue, seed=7, start_ms=START_MS, days=DAYS, journeys=10_000)
    insert_rows(engine, rows)
    return truth, engine, url


@pytest.fixture(scope="session")
def periods():
    return resolve(None, None, None, None, latest_ms=START_MS + DAYS * DAY_MS - 1)


@pytest.fixture(scope="session")
def report(catalogue, simulated, periods, tmp_path_factory):
    _, engine, _ = simulated
    out = tmp_path_factory.mktemp("report-out")
    return build_report(catalogue, engine, periods, SourceLinks("content", out), min_votes=10)


@pytest.fixture(scope="session")
def small_site_data(tmp_path_factory):
    """The build output of a one-article help centre (written in a fraction of a second), for
    the command's usage and input errors."""
    from carebase.content.model import Article, Catalogue
    from carebase.output import open_output

    folder = tmp_path_factory.mktemp("small-build") / "site-data"
    article = Article(id="article:billing/refunds", path="billing/refunds.md", title="Refunds",
                      body="Ask for a refund.", body_line=4)
    open_output(folder, Catalogue(root=str(folder.parent / "content"), articles=(article,)))
    return folder


@pytest.fixture(scope="session")
@real_build
def demo_run(tmp_path_factory, demo_site_data):
    """The real command on the demo help centre's build output with simulated traffic, plus
    hostile customer text: (truth, out folder, db url, completed process)."""
    from carebase.output import open_output
    from carebase.store.schema import events

    catalogue = open_output(demo_site_data).catalogue
    folder = tmp_path_factory.mktemp("demo-run")
    url = f"sqlite:///{folder / 'feedback.db'}"
    engine = create_engine(url)
    metadata.create_all(engine)
    truth, rows = simulate(catalogue, seed=11, start_ms=START_MS, days=DAYS, journeys=12_000)
    insert_rows(engine, rows)
    hostile = truth.failing[0]
    when = START_MS + (DAYS - 2) * DAY_MS
    with engine.begin() as conn:
        for row in [
            {"event_id": "xss-vote-1", "type": "vote", "received_ms": when, "item_id": hostile, "value": 0,
             "scale": "helpful", "comment": XSS_COMMENT, "reason": "<b>bold</b> reason"},
            {"event_id": "formula-vote-1", "type": "vote", "received_ms": when + 1, "item_id": hostile, "value": 0,
             "scale": "helpful", "comment": FORMULA_COMMENT},
            *[{"event_id": f"xss-search-{n}", "type": "search", "received_ms": when + n, "query": XSS_QUERY,
               "results": 0} for n in range(5)],
        ]:
            conn.execute(events.insert(), row)
    engine.dispose()
    out = folder / "report"
    proc = run_cli("--site-data", str(demo_site_data), "--db", url, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return truth, out, url, proc


@pytest.fixture(scope="session")
def demo_cache(demo_run):
    """The memory the demo run left in its default place (carebase's cache folder, one folder
    per database, never under the report folder: the topics it remembers and the vectors of
    the failed searches; never a search index): other runs on the same content and events pass
    it with ``--cache`` to reuse it, as a writer's next weekly run does, instead of embedding
    everything again (~8 s of CPU a run)."""
    from carebase.report import cache_home

    _, _, url, _ = demo_run
    folder = cache_home.default_folder(cache_home.source_identity(url))
    assert folder is not None and folder.is_dir() and any(folder.iterdir()), folder
    return folder
