"""Helpers for the hostile-input tests of the feedback service: the real service on
127.0.0.1 (uvicorn in a thread, ``BackgroundService``) following the build output of a
one-article help centre, rows read back."""

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
ITEM = "article:billing/refunds"


def write_site_data(folder: Path) -> Path:
    """A help centre with one article (``folder/content``) and its build output, whose
    manifest offers REASONS as the widget's vote reasons."""
    from carebase.content import load_catalogue
    from carebase.output import open_output

    content = folder / "content" / "billing"
    content.mkdir(parents=True, exist_ok=True)
    (content / "refunds.md").write_text("---\ntitle: Refunds\n---\nHow to get your money back.\n", encoding="utf-8")
    open_output(folder / "site-data", load_catalogue(folder / "content"), reasons=REASONS)
    return folder / "site-data"


@contextlib.contextmanager
def running_service(db_url: str, folder: Path, **settings):
    """The service on a free port following the test help centre's build output, SITE
    allowed and the token set; ``service.revision`` is the article's published revision."""
    from carebase.output import open_output

    site_data = write_site_data(folder)
    config = ServiceConfig(database_url=db_url, allowed_origins=(SITE,), site_data=str(site_data),
                           token=TOKEN, **{"rate_limit": 0, **settings})
    service = BackgroundService(config, port=0).start()
    service.revision = open_output(site_data).manifest["items"][ITEM]["revision"]
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
