"""The README's demo traffic (`python benchmarks/simulate_events.py --content content/ --db
sqlite:///feedback.db`) writes the page views its journeys imply, so the report's "Most viewed
pages" agrees with its clicks and votes (audit 46, A7: it wrote none, and the table showed only
the views of the reader's own browser beside hundreds of result clicks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from carebase.store.schema import events, item_views

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_simulated_store_has_a_page_view_for_every_click_and_every_page_voted_on(tmp_path):
    db = f"sqlite:///{tmp_path / 'feedback.db'}"
    done = subprocess.run([sys.executable, "benchmarks/simulate_events.py", "--content", "content/", "--db", db,
                           "--journeys", "3000"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    engine = create_engine(db)
    with engine.connect() as conn:
        viewed = dict(conn.execute(select(item_views.c.item_id, func.sum(item_views.c.views))
                                   .group_by(item_views.c.item_id)).all())
        clicked = dict(conn.execute(select(events.c.item_id, func.count()).where(events.c.type == "click")
                                    .group_by(events.c.item_id)).all())
        voted = dict(conn.execute(select(events.c.item_id, func.count(events.c.vote_key.distinct()))
                                  .where(events.c.type == "vote").group_by(events.c.item_id)).all())
        langs = {lang for (lang,) in conn.execute(select(item_views.c.lang).distinct())}
    assert sum(viewed.values()) > 0
    assert [i for i, n in clicked.items() if viewed.get(i, 0) < n] == []  # a click opens the page
    assert [i for i, n in voted.items() if viewed.get(i, 0) < n] == []  # a vote is cast on a page viewed
    assert "" in langs and langs <= {"", "de"}  # translated pages count under their language
    assert f"{sum(viewed.values())} page views written" in done.stderr
