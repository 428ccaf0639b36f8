"""The assistants' stack (issue 17): the real service over the demo help centre on
127.0.0.1 with a SQLite store, shared by the answer API, MCP and report tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiers_testkit import real_build
from web_testkit import serve_asgi

from carebase.service.app import create_app
from carebase.service.config import ServiceConfig

DEMO = Path(__file__).resolve().parents[2] / "content"
SITE_URL = "https://help.lumo.example/"
#: Not in the demo help centre (no article on crypto currencies): an honest "no answer".
UNANSWERABLE = "can I pay my subscription with bitcoin"


class Stack:
    def __init__(self, client, db: Path):
        self.client = client
        self.db = db
        self.url = str(client.base_url).rstrip("/")

    def rows(self, kind: str) -> list[dict]:
        import sqlite3

        with sqlite3.connect(self.db) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute("SELECT * FROM events WHERE type = ? ORDER BY received_ms", (kind,))]

    def wait_row(self, kind: str, match, timeout: float = 5.0) -> dict | None:
        """The latest row of ``kind`` for which ``match(row)`` holds, waiting for it (ask
        events are stored after the answer is sent); None when none comes."""
        import time

        deadline = time.time() + timeout
        while True:
            found = [r for r in self.rows(kind) if match(r)]
            if found or time.time() > deadline:
                return found[-1] if found else None
            time.sleep(0.05)


@pytest.fixture(scope="session")
@real_build
def assist_stack(tmp_path_factory):
    if not (DEMO / "synonyms.yml").exists():
        pytest.skip("the demo help centre (content/) is not in this checkout")
    tmp = tmp_path_factory.mktemp("assist")
    db = tmp / "feedback.db"
    app = create_app(ServiceConfig(database_url=f"sqlite:///{db}", content_dir=str(DEMO),
                                   index_dir=str(tmp / "index"), site_url=SITE_URL, search_rate_limit=0,
                                   learn_every=0))
    with serve_asgi(app, lifespan="on") as client:
        yield Stack(client, db)
