"""Where failed searches' journeys went next, asked for many queries at once (the report
asks in chunks of 500): a query in a later chunk is answered like one in the first."""

from __future__ import annotations

from carebase.report.period import resolve
from carebase.report.topic_evidence import reached_after
from carebase.store.engine import open_engine
from carebase.store.writer import COLUMNS, write_rows

START = 1_700_000_000_000
ITEM = "article:billing/refunds"


def event(n: int, kind: str, journey: str, **cols) -> dict:
    row = dict.fromkeys(COLUMNS)
    row.update(event_id=f"ev-{n}", type=kind, received_ms=START + n * 1000, client_ms=START + n * 1000,
               journey=journey, page="/", **cols)
    return row


def test_a_query_past_the_first_chunk_is_followed_too(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    with engine.begin() as conn:
        for n, (j, first) in enumerate((("j1", "money back"), ("j2", "cash returned"))):
            write_rows(conn, [event(10 * n + 1, "search", j, query=first, results=4, source="search-page"),
                              event(10 * n + 2, "search", j, query="refund", results=4, source="search-page"),
                              event(10 * n + 3, "click", j, query="refund", item_id=ITEM, rank=1)])
    periods = resolve(None, None, None, None, latest_ms=START + 10_000)
    asked = ["cash returned"] + [f"never searched {n}" for n in range(700)] + ["money back"]
    with engine.connect() as conn:
        found = reached_after(conn, periods, asked)
    assert dict(found["cash returned"]) == dict(found["money back"]) == {(ITEM, "refund", ""): 1}  # no client hash
    engine.dispose()
