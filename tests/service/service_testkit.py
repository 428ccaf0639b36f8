"""Helpers for the service tests: a real ``carebase service`` subprocess, driven with httpx."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import func, select

from carebase.store.engine import open_engine
from carebase.store.schema import events

SITE = "http://site.test"
TOKEN = "s3cret-token"
#: The test help centre's content: one article (with an old id as alias), one FAQ question
#: and one video, in two categories. Its build output is what the test services follow.
CONTENT = {
    "categories.yml": "- id: billing\n  title: Billing\n- id: setup\n  title: Setup\n",
    "billing/refunds.md": "---\ntitle: Refunds\ncategory: billing\naliases: [article:old/refunds]\n---\n\n"
                          "Ask for a refund within 30 days.\n",
    "faq/billing.yml": "title: Billing\ncategory: billing\nquestions:\n  - question: Can I get a refund?\n"
                       "    id: can-i-get-a-refund\n    answer: Yes, within 30 days.\n",
    "videos/setup-basics.yml": "title: Setup basics\ncategory: setup\n"
                               "source: https://www.youtube.com/watch?v=Lx0aP9dS3eQ\n",
}
#: What the build output of CONTENT publishes (checked by ``write_site_data``).
MANIFEST = {
    "items": {"article:billing/refunds": "article", "faq:billing#can-i-get-a-refund": "faq",
              "video:setup-basics": "video"},
    "aliases": {"article:old/refunds": "article:billing/refunds"},
}


def write_site_data(root: Path) -> Path:
    """CONTENT written under ``root/content`` and its build output in ``root/site-data``."""
    from carebase.content import load_catalogue
    from carebase.output import open_output

    for name, text in CONTENT.items():
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_text(text, encoding="utf-8")
    catalogue = load_catalogue(root / "content")
    assert not catalogue.problems, catalogue.problems
    manifest = open_output(root / "site-data", catalogue).manifest
    assert {k: v["kind"] for k, v in manifest["items"].items()} == MANIFEST["items"]
    assert manifest["aliases"] == MANIFEST["aliases"]
    return root / "site-data"


# A service a test starts for something other than search: no learned-phrasing refreshes (each
# starts a worker process and loads the embedding model; the service waits for it when it stops).
NO_LEARNING = ("--learn-every", "0")


class Service:
    """A ``carebase service`` process; ``url`` is where it listens."""

    def __init__(self, args: list[str], db_url: str, env: dict | None = None) -> None:
        self.args, self.db_url = args, db_url
        self._engine = None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "carebase", "service", "--port", "0", "--db", db_url, *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
        )
        line = self.process.stdout.readline()
        if "listening on" not in line:
            self.process.kill()
            raise RuntimeError(f"service did not start: {line}{self.process.stderr.read()}")
        self.url = line.split("listening on ", 1)[1].split()[0]
        self.client = httpx.Client(base_url=self.url, timeout=30)
        deadline = time.monotonic() + 60
        while True:  # the socket is bound before uvicorn serves: wait until it answers
            try:
                if self.client.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("service did not become healthy")
            time.sleep(0.05)

    def terminate(self) -> None:
        """Ask the service to stop (SIGTERM) without waiting: ``stop()`` then waits for it, so
        several services stop at once (a second SIGTERM would make uvicorn skip its drain)."""
        if self.process.poll() is None and not getattr(self, "_terminated", False):
            self.process.send_signal(signal.SIGTERM)
            self._terminated = True

    def stop(self) -> None:
        self.client.close()
        if self._engine is not None:
            self._engine.dispose()
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.client.close()

    def rows(self, ids=None) -> dict[str, dict]:
        """Stored rows (optionally only these event ids), read straight from the database."""
        if self._engine is None:
            self._engine = open_engine(self.db_url, migrate=False)
        query = select(events)
        if ids is not None:
            query = query.where(events.c.event_id.in_(list(ids)))
        with self._engine.connect() as connection:
            return {r.event_id: dict(r._mapping) for r in connection.execute(query)}

    def count(self) -> int:
        if self._engine is None:
            self._engine = open_engine(self.db_url, migrate=False)
        with self._engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(events)).scalar()


def new_id(prefix: str = "ev") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:20]}"


#: hex digits → letters: a text made of these holds no digit, so the service's PII masker
#: (carebase.service.masking: cards, IBANs, phone numbers all need digits) never changes it
_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def new_marker(prefix: str) -> str:
    """A unique text to find a stored comment by, stored exactly as sent. ``prefix + new_id()``
    was not: about 1 random 20-hex id in 850 holds a Luhn-valid run of 13+ digits or an IBAN
    ("ev-6065271660174c9198dd" is stored as "ev-[card]c9198dd"), so a test looking for its row
    by that comment found none (the flaky "no row found" of the no-JavaScript vote form)."""
    return f"{prefix} {uuid.uuid4().hex[:20].translate(_LETTERS)}"


def post_events(service: Service, events_: list, **headers) -> httpx.Response:
    return service.client.post("/api/v1/events", content=json.dumps({"events": events_}),
                               headers={"content-type": "text/plain;charset=UTF-8", **headers})


def stored_as_query_and_comment(service: Service, texts, *, padding: int = 0) -> tuple[list, list]:
    """Each text posted as a search's query and as a vote's comment in one batch (``padding`` more
    searches make the batch large enough to be validated off the event loop); what the store
    holds of them, read back from its database: (queries, comments), in the texts' order."""
    searches = [{"id": new_id("stored"), "type": "search", "query": text, "results": 0} for text in texts]
    votes = [{"id": new_id("stored"), "type": "vote", "item": "article:billing/refunds", "value": 0, "comment": text}
             for text in texts]
    extra = [{"id": new_id("pad"), "type": "search", "query": "x" * 150, "results": 0} for _ in range(padding)]
    answer = post_events(service, searches + votes + extra)
    assert answer.status_code == 200, answer.text
    rows = service.rows([e["id"] for e in searches + votes])
    return [rows[s["id"]]["query"] for s in searches], [rows[v["id"]]["comment"] for v in votes]
