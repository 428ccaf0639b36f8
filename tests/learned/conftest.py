"""Fixtures for learned phrasings: a real SQLite event store to plant journeys in."""

from __future__ import annotations

import pytest

from carebase.store.engine import open_engine
from carebase.store.writer import COLUMNS, write_rows


class Journeys:
    """Plants events as the service stores them (client hash, journey, client clock)."""

    def __init__(self, engine):
        self.engine = engine
        self.clock = 1_700_000_000_000
        self.n = 0

    def add(self, journey: str | None, client: str | None, *steps: tuple) -> None:
        """steps: ("search", query) | ("click", item, query) | ("vote", item, 1|0) | ("contact",)."""
        rows = []
        for step in steps:
            self.clock += 1000
            self.n += 1
            row = dict.fromkeys(COLUMNS)
            row.update(event_id=f"ev-{self.n:06d}", type=step[0], received_ms=self.clock, client_ms=self.clock,
                       journey=journey, client=client, page="/")
            if step[0] == "search":
                row.update(query=step[1], results=5, source="search-page")
            elif step[0] == "click":
                row.update(item_id=step[1], query=step[2], rank=1)
            elif step[0] == "vote":
                row.update(item_id=step[1], value=step[2], scale="helpful", source="widget")
            rows.append(row)
        with self.engine.begin() as conn:
            write_rows(conn, rows)


@pytest.fixture
def store(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    yield Journeys(engine)
    engine.dispose()
