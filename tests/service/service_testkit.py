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
MANIFEST = {
    "version": 1,
    "items": {
        "article:billing/refunds": {"kind": "article", "title": "Refunds", "url": "billing/refunds/",
                                    "path": "content/billing/refunds.md", "revision": "r1", "category": "billing"},
        "faq:billing#can-i-get-a-refund": {"kind": "faq", "title": "Can I get a refund?",
                                           "url": "faq/billing/#can-i-get-a-refund",
                                           "path": "content/faq/billing.yml", "revision": "r1", "category": "billing"},
        "video:setup-basics": {"kind": "video", "title": "Setup basics", "url": "videos/setup-basics/",
                               "path": "content/videos/setup-basics.yml", "revision": "r1", "category": "setup"},
    },
    "aliases": {"article:old/refunds": "article:billing/refunds"},
}


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

    def stop(self) -> None:
        self.client.close()
        if self._engine is not None:
            self._engine.dispose()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
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


def post_events(service: Service, events_: list, **headers) -> httpx.Response:
    return service.client.post("/api/v1/events", content=json.dumps({"events": events_}),
                               headers={"content-type": "text/plain;charset=UTF-8", **headers})
