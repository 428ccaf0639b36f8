"""Shared pieces of the assistants' tests (issue 17): the demo help centre, the stack."""

from __future__ import annotations

from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "content"
SITE_URL = "https://help.lumo.example/"
LEAD_TOKEN = "assist-lead-token-5678"  # the live report's (GET /api/v1/backlog …)
#: Not in the demo help centre (no article on crypto currencies): an honest "no answer".
UNANSWERABLE = "can I pay my subscription with bitcoin"


class Stack:
    def __init__(self, client, db: Path, site_data: Path):
        self.client = client
        self.db = db
        self.site_data = site_data  # the demo's build output, for other processes to open
        self.url = str(client.base_url).rstrip("/")

    def rows(self, kind: str) -> list[dict]:
        import sqlite3

        with sqlite3.connect(self.db) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute("SELECT * FROM events WHERE type = ? ORDER BY received_ms", (kind,))]

    def wait_row(self, kind: str, match, timeout: float = 60.0) -> dict | None:
        """The latest row of ``kind`` for which ``match(row)`` holds, waiting for it (ask
        events are stored after the answer is sent); None when none comes within ``timeout``
        (60 s: a bound on a failure only, the wait ends at the row; a check that no row comes
        passes its own short timeout)."""
        import time

        deadline = time.time() + timeout
        while True:
            found = [r for r in self.rows(kind) if match(r)]
            if found or time.time() > deadline:
                return found[-1] if found else None
            time.sleep(0.05)


