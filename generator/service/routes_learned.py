"""The lead's view of learned phrasings (every route needs the report token).

``GET  /api/v1/learned``                  the snapshot: ties (``?item=`` one item's), thresholds, age,
                                          whether a refresh is running, wordings waiting to be embedded
``GET  /api/v1/learned/explain?q=``       for one query: the neighbours (``voice``: a new client's, which
                                          votes; the others count towards their item's thresholds only)
                                          and each item's vote
``GET  /api/v1/learned/blocks``           the blocked phrasings
``POST /api/v1/learned/blocks``           ``{"phrase": "refund", "item": "article:…", "note": "…"}`` →
                                          201 with the block; search relearns at once (200 with the
                                          block in force when the same words are blocked for that item)
``DELETE /api/v1/learned/blocks/{id}``    unblock (search relearns at once)
"""

from __future__ import annotations

import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from carebase.service.errors import ApiError, bad
from carebase.service.handlers import require_token
from carebase.service.requests import parse_json, read_body


def _learner(request: Request):
    learned = request.app.state.carebase.learned
    if learned is None:
        raise ApiError(404, "learning is off: start the service with --learn-every SECONDS (> 0)", None)
    return learned


async def show(request: Request) -> JSONResponse:
    require_token(request)
    learner = _learner(request)
    snapshot = learner.current
    item = request.query_params.get("item")
    if snapshot is None:
        return JSONResponse({"ready": False, "refreshing": learner.refreshing, "ties": []})
    ties = snapshot.by_item.get(item, []) if item else snapshot.ties
    return JSONResponse({"ready": True, "refreshing": learner.refreshing, **snapshot.summary(),
                         "ties": [t.as_json() for t in ties]})


async def explain(request: Request) -> JSONResponse:
    require_token(request)
    q = (request.query_params.get("q") or "").strip()
    if not q:
        raise bad("q", "q: expected a search text, found nothing")
    snapshot = _learner(request).current
    if snapshot is None:
        return JSONResponse({"query": q, "ready": False, "neighbours": [], "votes": {}})
    walked = await run_in_threadpool(snapshot.nearest.walk, q)
    votes = await run_in_threadpool(snapshot.votes, q)
    return JSONResponse({"query": q, "ready": True, "votes": {k: round(v, 4) for k, v in votes.items()},
                         "neighbours": [{"wording": w.text, "item": w.item_id, "similarity": round(s, 4),
                                         "journeys": len(w.journeys), "clients": w.client_count, "voice": voice}
                                        for w, s, voice in walked]})


async def blocks(request: Request) -> JSONResponse:
    require_token(request)
    from carebase.learned.blocks import BlockError, add_block, existing_block, list_blocks

    state = request.app.state.carebase
    learner = _learner(request)
    if request.method == "GET":
        def read():
            with state.engine.connect() as conn:
                return list_blocks(conn)
        return JSONResponse({"blocks": [b.as_json() for b in await run_in_threadpool(read)]})
    payload = parse_json(await read_body(request, state.config.max_body), '{"phrase": "…", "item": "…"}')
    if not isinstance(payload, dict) or not isinstance(payload.get("phrase"), str):
        raise bad("phrase", 'phrase: expected {"phrase": "words to block", "item": "optional item id"}')
    item = payload.get("item")
    if item is not None and not isinstance(item, str):
        raise bad("item", f"item: expected an item id string, found {type(item).__name__}")
    if item is not None:
        canonical = state.items.resolve(item)
        if canonical is None:
            raise ApiError(422, f"item: unknown item id {item[:80]!r} (not in the site's manifest)", "item")
        item = canonical
    note = payload.get("note")
    if note is not None and not isinstance(note, str):
        raise bad("note", f"note: expected a text, found {type(note).__name__}")

    def write():
        with state.engine.begin() as conn:
            known = existing_block(conn, payload["phrase"][:200], item)
            if known is not None:
                return known, False
            return add_block(conn, payload["phrase"][:200], item, (note or "")[:500] or None), True
    try:
        block, created = await run_in_threadpool(write)
    except BlockError as exc:
        raise bad("phrase", str(exc)) from None
    if not created:  # blocked already: the same block (200), not a second one an unblock would leave behind
        return JSONResponse(block.as_json(), status_code=200)
    await run_in_threadpool(learner.refresh_now)
    return JSONResponse(block.as_json(), status_code=201)


async def unblock(request: Request) -> JSONResponse:
    require_token(request)
    from carebase.learned.blocks import remove_block

    state = request.app.state.carebase
    learner = _learner(request)
    raw = request.path_params["block_id"]
    if not re.fullmatch(r"[0-9]{1,18}", raw):  # not str.isdigit: "²" and "٣" are digits to it; 19+ overflow SQL
        raise bad("id", f"id: expected a block number, found {raw[:40]!r}")

    def write():
        with state.engine.begin() as conn:
            return remove_block(conn, int(raw))
    if not await run_in_threadpool(write):
        raise ApiError(404, f"id: no block {raw}", "id")
    await run_in_threadpool(learner.refresh_now)
    return JSONResponse({"removed": int(raw)})


def learned_routes() -> list[Route]:
    return [
        Route("/api/v1/learned", show, methods=["GET"]),
        Route("/api/v1/learned/explain", explain, methods=["GET"]),
        Route("/api/v1/learned/blocks", blocks, methods=["GET", "POST"]),
        Route("/api/v1/learned/blocks/{block_id}", unblock, methods=["DELETE"]),
    ]
