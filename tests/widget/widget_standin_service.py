"""A temporary stand-in for the carebase service, used until the `service` branch lands.

It keeps the HTTP contract of SPEC.md (POST /api/v1/events as text/plain JSON, duplicate
event ids stored once, 422 for unknown items; POST /feedback → 303 to return_to with the
thanks anchor) and writes rows into a real SQLite file with the shared events schema
(carebase.store.schema), so the browser tests assert on stored rows either way.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from carebase.store.schema import events, metadata
from carebase.widget.ids import thanks_anchor

FIELDS = {"item": "item_id", "value": "value", "scale": "scale", "reason": "reason", "comment": "comment",
          "revision": "revision", "vote_key": "vote_key", "query": "query", "results": "results",
          "rank": "rank", "source": "source", "channel": "channel", "page": "page", "journey": "journey"}


def create_standin(db_url: str, items: set[str]) -> Starlette:
    engine = sa.create_engine(db_url)
    metadata.create_all(engine)

    def cors(response: Response, request: Request) -> Response:
        response.headers["Access-Control-Allow-Origin"] = request.headers.get("origin", "*")
        response.headers["Vary"] = "Origin"
        return response

    def store(rows: list[dict]) -> tuple[int, int]:
        accepted = duplicates = 0
        with engine.begin() as conn:
            for row in rows:
                found = conn.execute(sa.select(events.c.event_id).where(events.c.event_id == row["event_id"])).first()
                if found:
                    duplicates += 1
                else:
                    conn.execute(events.insert().values(**row))
                    accepted += 1
        return accepted, duplicates

    async def post_events(request: Request) -> Response:
        try:
            batch = json.loads(await request.body())["events"]
            assert isinstance(batch, list) and len(batch) <= 100
        except Exception:
            return cors(JSONResponse({"error": "expected JSON {events: [...]}", "field": "events"}, 400), request)
        rows = []
        for index, event in enumerate(batch):
            item = event.get("item")
            if item is not None and item not in items:
                return cors(JSONResponse({"error": "unknown item", "field": f"events[{index}].item"}, 422), request)
            row = {column: event.get(key) for key, column in FIELDS.items()}
            rows.append(dict(row, event_id=event["id"], type=event["type"], client_ms=event.get("ts"),
                             received_ms=time.time_ns() // 1_000_000))
        accepted, duplicates = store(rows)
        return cors(JSONResponse({"accepted": accepted, "duplicates": duplicates}), request)

    async def post_form(request: Request) -> Response:
        form = await request.form()
        if form.get("website"):
            return Response("", 400)
        item, return_to = form.get("item", ""), form.get("return_to", "")
        if item not in items or urlsplit(return_to).hostname != "127.0.0.1":
            return Response("bad form", 400)
        row = {"event_id": "form-" + str(time.time_ns()), "type": "vote", "item_id": item,
               "value": int(form.get("value", "0")), "scale": form.get("scale") or "helpful",
               "reason": form.get("reason") or None, "comment": form.get("comment") or None,
               "revision": form.get("revision") or None, "source": "form",
               "received_ms": time.time_ns() // 1_000_000}
        store([row])
        return RedirectResponse(return_to.split("#")[0] + "#" + thanks_anchor(item), 303)

    return Starlette(routes=[Route("/api/v1/events", post_events, methods=["POST"]),
                             Route("/feedback", post_form, methods=["POST"])])
