"""Helpers for the hostile-input tests of the feedback service: the real service on
127.0.0.1 (uvicorn in a thread, ``BackgroundService``), a small manifest, rows read back."""

from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path

import httpx
from sqlalchemy import select

from carebase.service.config import ServiceConfig
from carebase.service.server import BackgroundService
from carebase.store.engine import open_engine
from carebase.store.schema import events

SITE = "http://site.test"
EVIL = "https://evil.example"
TOKEN = "hostile-token"
REASONS = ["Out of date", "Steps didn't work", "Other"]
MANIFEST = {
    "version": 1,
    "items": {"article:billing/refunds": {"kind": "article", "title": "Refunds", "url": "billing/refunds/",
                                          "path": "billing/refunds.md", "revision": "0123456789",
                                          "category": "billing"}},
    "aliases": {},
    "reasons": REASONS,
}
ITEM = "article:billing/refunds"


def write_manifest(folder: Path) -> Path:
    path = folder / "manifest.json"
    path.write_text(json.dumps(MANIFEST), encoding="utf-8")
    return path


@contextlib.contextmanager
def running_service(db_url: str, folder: Path, **settings):
    """The service on a free port with the test manifest, SITE allowed and the token set."""
    config = ServiceConfig(database_url=db_url, allowed_origins=(SITE,), manifest_path=str(write_manifest(folder)),
                           token=TOKEN, **{"rate_limit": 0, **settings})
    service = BackgroundService(config, port=0).start()
    client = httpx.Client(base_url=service.url, timeout=30)
    try:
        yield service, client
    finally:
        client.close()
        service.stop()


def new_id(prefix: str = "h") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:20]}"


def post(client: httpx.Client, batch: list[dict], **headers) -> httpx.Response:
    return client.post("/api/v1/events", content=json.dumps({"events": batch}),
                       headers={"content-type": "text/plain;charset=UTF-8", **headers})


def stored(db_url: str, ids) -> dict[str, dict]:
    """The rows stored under these event ids, read straight from the database."""
    engine = open_engine(db_url, migrate=False)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(events).where(events.c.event_id.in_(list(ids))))
            return {r.event_id: dict(r._mapping) for r in rows}
    finally:
        engine.dispose()
