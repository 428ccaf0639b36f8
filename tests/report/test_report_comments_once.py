"""A comment several customers wrote shows once, with how many wrote it (``queries.recent_comments``).

The demo's Failing content (session 47, Chromium): *Warranty and returns* showed "This is out of date
since the redesign." three times in its three comments, *Refunds* "Went round in circles, had to call
support." twice (once with a reason, once without): a lead read one customer's words as three and lost
the room for the others'."""

from __future__ import annotations

from report_testkit import DAY_MS, START_MS
from sqlalchemy import insert

from carebase.report import queries
from carebase.report.html_parts import comments
from carebase.report.period import resolve
from carebase.store.engine import open_engine
from carebase.store.schema import events

PERIODS = resolve(None, None, None, None, latest_ms=START_MS + 60 * DAY_MS)
ITEM = "article:billing/warranty-and-returns"


def test_the_same_comment_from_three_customers_shows_once_beside_the_others(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    said = [("This is out of date since the redesign.", "Out of date"), ("this is out of date since the redesign", None),
            ("This is out of date  since the redesign.", "Didn't answer my question"),
            ("The RMA form link is broken", "Steps didn't work"), ("Where do I print the label?", None)]
    rows = [dict(event_id=f"v{n}", type="vote", received_ms=START_MS + 59 * DAY_MS - n, item_id=ITEM, client=f"c{n}",
                 scale="helpful", value=0, comment=text, reason=reason) for n, (text, reason) in enumerate(said)]
    with engine.begin() as conn:
        conn.execute(insert(events), rows)
    with engine.connect() as conn:
        got = queries.recent_comments(conn, PERIODS, [ITEM])[ITEM]
    engine.dispose()
    assert [(c["comment"], c["times"]) for c in got] == [
        ("This is out of date since the redesign.", 3), ("The RMA form link is broken", 1), ("Where do I print the label?", 1)]
    html = comments({"comments": got})
    assert html.count("out of date since the redesign") == 1 and "×3" in html and html.count("×") == 1
