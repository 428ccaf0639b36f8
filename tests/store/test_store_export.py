"""JSON Lines export, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json

from carebase.store.export import iter_jsonl, write_jsonl
from carebase.store.schema import events
from carebase.store.writer import COLUMNS, Writer


def test_export_streams_every_row_once_in_received_order(engine):
    writer = Writer(engine)
    rows = []
    for i in range(25):
        data = dict.fromkeys(COLUMNS)
        data.update(event_id=f"exp-{i:05d}", type="search", received_ms=1000 + i // 3, query=f"q{i} ünïcode",
                    results=i)
        rows.append(data)
    writer.write(rows)
    writer.stop()
    lines = list(iter_jsonl(engine, page_size=4))  # many pages, ties on received_ms across pages
    objects = [json.loads(line) for line in lines]
    assert [o["event_id"] for o in objects] == [f"exp-{i:05d}" for i in range(25)]
    assert set(objects[0]) == {c.name for c in events.columns}
    assert objects[7]["query"] == "q7 ünïcode" and objects[7]["results"] == 7
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    since = [json.loads(line)["event_id"] for line in iter_jsonl(engine, since_ms=1007)]
    assert since == [f"exp-{i:05d}" for i in range(21, 25)]
    out = io.StringIO()
    assert write_jsonl(engine, out) == 25


def test_export_of_an_empty_store_is_empty(engine):
    assert list(iter_jsonl(engine)) == []


def test_line_separators_inside_text_stay_inside_one_line(engine):
    writer = Writer(engine)
    data = dict.fromkeys(COLUMNS)
    data.update(event_id="sep-00001", type="search", received_ms=1, query="a\u2028b\x85c\nd", results=0)
    writer.write([data])
    writer.stop()
    [line] = list(iter_jsonl(engine))
    assert len(line.splitlines()) == 1
    assert json.loads(line)["query"] == "a\u2028b\x85c\nd"
