"""The live report and the backlog's decisions (every route needs the report token).

``GET  /report``                 the live report (HTML), filtered: ``days``, ``status``, ``owner``,
                                 ``category``, ``kind``, ``action``, ``lang``, ``page``, ``limit``
``GET  /report/rows/{key}``      one recommendation: all its evidence and its decisions' history
``GET  /report/issue/{key}``     303 to the tracker's new-issue form, prefilled with the row (the page
                                 links here: a prefilled URL is ~2 KB a row)
``POST /report/backlog``         a decision (form or JSON): ``key``, ``status``, ``owner``, ``note``
``POST /report/refresh``         build the period's model again now (``days``)
``GET  /api/v1/backlog``         the backlog as JSON, with the same filters
``POST /api/v1/backlog``         a decision as JSON (as ``/report/backlog``)
``GET  /api/v1/backlog/links``   a lead's "same need" / "two needs" links (carebase.backlog.topic_links)
``POST /api/v1/backlog/links``   ``{"kind": "same"|"two", "topic": "topic:…", "other": "topic:…"}`` or
                                 ``{"kind": "two", "topic": "topic:…", "wording": "…"}`` → 201; the next
                                 report (``POST /report/refresh`` or the next build) joins or splits the rows
``DELETE /api/v1/backlog/links/{id}``  undo it (at the next report)
``POST /report/links``           the live report's "same need" / "two needs" buttons (form or JSON):
                                 ``kind``, ``topic``, ``other`` or ``wording``; or ``undo`` (a link id)

A browser authenticates with the token as the password of the Basic prompt. Decisions are
POSTs that must come from the report's own pages (a foreign ``Origin`` or
``Sec-Fetch-Site: cross-site`` is refused), so a page elsewhere cannot use the browser's
remembered password. Marking a findability row (retag, keywords) **wrong** blocks the
pairing in ``learned_blocks`` — the one list search's learned phrasings and the report both
obey — so it is neither learned nor suggested again; setting it back lifts the blocks.
"""

from __future__ import annotations

import re
import threading

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from carebase.backlog.assemble import queues
from carebase.backlog.filters import FilterError, View, options
from carebase.backlog.states import KEEP, STATUSES, StateError, change, history, read_states, reapply, set_blocks
from carebase.report import render_live
from carebase.service.errors import ApiError, bad
from carebase.service.handlers import require_token
from carebase.service.requests import parse_form, parse_json, read_body

_BACK = re.compile(r"[A-Za-z0-9_.~%+=&-]*")
WRONG_BLOCKS = ("retag", "keywords")  # the findability rows whose "wrong" is a pairing to block


def _state(request: Request):
    return request.app.state.carebase


def _root(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/")


def _base_url(request: Request) -> str:
    return str(request.base_url)


def _headers() -> dict:
    return {"Content-Security-Policy": render_live.csp(), "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}


def _view(request: Request, params=None) -> View:
    try:
        return View.parse(request.query_params if params is None else params)
    except FilterError as exc:
        raise bad(exc.field, str(exc)) from None


def _same_origin(request: Request) -> None:
    """A decision comes from the report's own page (or from a script with no Origin)."""
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.url.netloc}".lower()
    if origin is not None and origin.lower() != own:
        raise ApiError(403, f"origin {origin[:100]} is not this service: decisions are made on its own /report page",
                       "Origin")
    if request.headers.get("sec-fetch-site", "").lower() == "cross-site":
        raise ApiError(403, "a cross-site request cannot make decisions", "Sec-Fetch-Site")


def _live(request: Request):
    return _state(request).live


def _lang(request: Request, view: View) -> str:
    """The other language of a multilingual help centre the view asks for ("" for the
    default): its own report is shown (``carebase report --lang``)."""
    return view.lang if view.lang in _state(request).items.languages[1:] else ""


def _languages(request: Request) -> list[tuple[str, str]]:
    from carebase.content.languages import native_name

    return [(code, native_name(code)) for code in _state(request).items.languages]


async def _rows(request: Request, days: int, lang: str = ""):
    """(model, rows with today's decisions) of a period (in a language), or (None, [])."""
    live = _live(request)
    model = await run_in_threadpool(live.model, days, lang)
    if model is None:
        return None, []
    engine = _state(request).engine

    def decided():
        with engine.connect() as conn:
            return read_states(conn)
    states = await run_in_threadpool(decided)
    return model, await run_in_threadpool(reapply, model["backlog"]["rows"], states)


def _disabled_page(view: View, live, request: Request) -> HTMLResponse:
    page = render_live.waiting_page(view, live.status(view.days), 0, root=_root(request), reason=(
        "The live report needs the build output: start the service with --site-data DIR (carebase serve does it)."))
    return HTMLResponse(page, status_code=503, headers=_headers())


async def report_page(request: Request) -> HTMLResponse:
    require_token(request, browser=True)
    view = _view(request)
    live = _live(request)
    if not live.enabled:
        return _disabled_page(view, live, request)
    lang = _lang(request, view)
    if request.headers.get("x-carebase-poll"):  # the waiting page asking whether the report is ready
        ready = await run_in_threadpool(live.model, view.days, lang)
        return Response(status_code=202 if ready is None else 204, headers=_headers())
    model, rows = await _rows(request, view.days, lang)
    status = live.status(view.days, lang)
    if model is None:
        import time

        return HTMLResponse(render_live.waiting_page(view, status, int(time.time() * 1000), root=_root(request)),
                            headers=_headers())
    linked = await run_in_threadpool(_links_now, _state(request).engine)
    # rendering a large model takes a while: off the event loop, which keeps taking events
    page = await run_in_threadpool(lambda: render_live.live_page(
        model, rows, view, {**options(rows), "languages": _languages(request)}, status, base_url=_base_url(request),
        queues=queues(rows), root=_root(request), topic_links=linked))
    return HTMLResponse(page, headers=_headers())


def _links_now(engine) -> list[dict]:
    """A lead's "same need" / "two needs" links as stored now (the page lists them with Undo)."""
    from carebase.backlog.topic_links import list_links

    with engine.connect() as conn:
        return [lk.as_json() for lk in list_links(conn)]


def _find(rows: list[dict], key: str) -> dict | None:
    return next((r for r in rows if r["key"] == key), None)


async def _row_or_404(request: Request, view) -> tuple[dict, dict]:
    """The report model and its row named by the path's ``key``; 404 naming ``key`` when the
    last ``view.days`` days' report has no such row."""
    key = request.path_params["key"]
    model, rows = await _rows(request, view.days, _lang(request, view))
    row = _find(rows, key) if model else None
    if row is None:
        raise ApiError(404, f"key: no recommendation {key[:120]!r} in the last {view.days} days' report", "key")
    return model, row


async def row_page(request: Request) -> HTMLResponse:
    require_token(request, browser=True)
    view = _view(request)
    model, row = await _row_or_404(request, view)
    engine = _state(request).engine

    def changes():
        with engine.connect() as conn:
            return history(conn, key=row["key"])
    queries = []
    if row.get("topic"):
        clusters = [*model["missing"]["clusters"],  # a topic of assistants' questions: ask:<its topic id>
                    *({**c, "topic_id": "ask:" + c["topic_id"]} for c in (model.get("assistants") or {}).get("clusters", []))]
        cluster = next((c for c in clusters if c["topic_id"] == row["topic"]), None)
        queries = (cluster or {}).get("all_queries", [])
    page = render_live.row_page(model, row, view, await run_in_threadpool(changes), base_url=_base_url(request),
                                all_queries=queries, root=_root(request))
    return HTMLResponse(page, headers=_headers())


async def issue_page(request: Request) -> RedirectResponse:
    """The row's prefilled new issue: the live page links here rather than carrying every row's
    whole issue body in its HTML."""
    from carebase.backlog.issue import issue_url

    require_token(request, browser=True)
    view = _view(request)
    model, row = await _row_or_404(request, view)
    url = render_live.links_for(view, model, _base_url(request), _root(request)).issue_to(row)
    if url is None:
        raise ApiError(404, "key: the report's edit URL names no issue tracker (--edit-url)", "key")
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


async def backlog_json(request: Request) -> JSONResponse:
    require_token(request)
    view = _view(request)
    live = _live(request)
    if not live.enabled:
        raise ApiError(503, "the live report needs the build output: start the service with --site-data DIR", None)
    lang = _lang(request, view)
    model, rows = await _rows(request, view.days, lang)
    status = live.status(view.days, lang)
    if model is None:
        return JSONResponse({"ready": False, "building": status.building, "error": status.error, "rows": []})
    shown = view.apply(rows)
    return JSONResponse({"ready": True, "period": model["period"], "built_ms": status.built_ms,
                         "building": status.building, "error": status.error, "total": len(rows),
                         "contradictions": model["backlog"]["contradictions"], "rows": shown})


def _text(payload: dict, name: str):
    value = payload.get(name, KEEP)
    if value is KEEP or value is None or isinstance(value, str):
        return value
    raise bad(name, f"{name}: expected text, found {type(value).__name__}")


async def decide(request: Request):
    require_token(request, browser=True)
    _same_origin(request)
    state = _state(request)
    body = await read_body(request, state.config.max_body)
    as_json = "json" in request.headers.get("content-type", "") or "json" in request.headers.get("accept", "")
    payload = (parse_json(body, '{"key", "status", "owner", "note"}') if "json" in request.headers.get("content-type", "")
               else parse_form(body))
    if not isinstance(payload, dict):
        raise bad("body", 'expected {"key": "…", "status": "…", "owner": "…", "note": "…"}')
    key = payload.get("key")
    if not isinstance(key, str) or not key.strip() or len(key) > 400:
        raise bad("key", "key: expected the key of a backlog row (as listed by /api/v1/backlog)")
    status, owner, note = _text(payload, "status"), _text(payload, "owner"), _text(payload, "note")
    if status is None:
        status = KEEP
    days = payload.get("days", 28)
    days = int(days) if isinstance(days, str) and days.isdigit() and len(days) < 4 else days
    if not isinstance(days, int) or isinstance(days, bool) or days not in (7, 28, 90):
        raise bad("days", f"days: expected 7, 28 or 90 (the period whose row is decided), found {str(days)[:20]!r}")
    _, rows = await _rows(request, days)
    row = _find(rows, key)
    engine = state.engine

    def write():
        with engine.begin() as conn:
            known = read_states(conn).get(key)
            if row is None and known is None:
                raise ApiError(404, f"key: no recommendation {key[:120]!r} in the current report", "key")
            before = known.status if known else "open"
            decided = dict(known.snapshot) if known else None
            new, changes = change(conn, key, row, status=status, owner=owner, note=note)
            blocks = _follow_wrong(conn, key, row or decided, before, new, decided)
            return new, changes, blocks
    try:
        new, changes, blocked = await run_in_threadpool(write)
    except StateError as exc:
        raise bad(str(exc).split(":", 1)[0], str(exc)) from None
    if blocked:
        _relearn(state)
    label = STATUSES[new.status] + (f", owner {new.owner}" if new.owner else "")
    if as_json:
        effective = new.owner or (row or {}).get("default_owner") or (row or {}).get("owner")
        return JSONResponse({"state": new.as_json(), "changes": changes, "label": label,
                             "row": {"key": key, "owner": effective, "status": new.status}})
    return _back_to_report(request, payload.get("back") if isinstance(payload.get("back"), str) else "")


def _back_to_report(request: Request, back: str) -> RedirectResponse:
    """To the report page a form came from (its filters and its row), never elsewhere."""
    query, _, fragment = back.partition("#")
    query = query if _BACK.fullmatch(query) else ""
    fragment = fragment if re.fullmatch(r"row-[A-Za-z0-9-]{1,300}", fragment) else ""
    return RedirectResponse(f"{_root(request)}/report{'?' + query if query else ''}{'#' + fragment if fragment else ''}",
                            status_code=303)


def _follow_wrong(conn, key: str, row: dict, before: str, new, decided: dict | None) -> bool:
    """Block a findability pairing marked wrong (``learned_blocks``); lift the blocks when that
    same recommendation is set back to another status. A recommendation that changed since
    (the topic now asks for an article) keeps them: the pairing stays dismissed (the block's
    note names the row; ``DELETE /api/v1/learned/blocks/{id}`` lifts it). Returns whether the
    blocks changed. ``decided``: the snapshot the old status was given to."""
    from carebase.learned.blocks import BlockError, add_block, remove_block

    if before == new.status:
        return False
    if before == "wrong" and decided and (decided.get("action"), decided.get("target")) == (
            row.get("action"), row.get("target")):
        for block_id in new.snapshot.get("blocks", []):
            remove_block(conn, int(block_id))
        set_blocks(conn, key, [])
        return bool(new.snapshot.get("blocks"))
    if new.status == "wrong" and row.get("action") in WRONG_BLOCKS:
        item = row.get("target") if row.get("action") == "retag" else row.get("item")
        ids = list(new.snapshot.get("blocks", []))
        for phrase in (row.get("words") or [row["subject"]["title"]])[:8]:
            try:
                ids.append(add_block(conn, phrase, item, f"backlog {key}: marked wrong").id)
            except BlockError:
                continue  # only stop words: nothing search would learn
        set_blocks(conn, key, ids)
        return True
    return False


def _relearn(state) -> None:
    """Search relearns without the pairing, and every kept period is built again without it."""
    if state.learned is not None:
        threading.Thread(target=state.learned.refresh_now, name="carebase-relearn", daemon=True).start()
    for days in (7, 28, 90):
        for lang in ("", *state.items.languages[1:]):
            if state.live.path(days, lang).exists():
                state.live.refresh(days, lang)


async def refresh(request: Request) -> RedirectResponse:
    require_token(request, browser=True)
    _same_origin(request)
    form = parse_form(await read_body(request, _state(request).config.max_body))
    view = _view(request, {"days": form.get("days") or "28", "lang": form.get("lang") or ""})
    _live(request).refresh(view.days, _lang(request, view))
    back = form.get("back") or ""
    back = back if _BACK.fullmatch(back) else ""
    return RedirectResponse(f"{_root(request)}/report{'?' + back if back else ''}", status_code=303)


def _text_fields(payload: dict, names: tuple[str, ...]) -> None:
    """400 naming the first of ``names`` in ``payload`` that is not text."""
    for name in names:
        if payload.get(name) is not None and not isinstance(payload[name], str):
            raise bad(name, f"{name}: expected text, found {type(payload[name]).__name__}")


async def _store_link(engine, payload: dict, other: str | None, note: str | None) -> dict:
    """Store a lead's link (``payload``'s kind, topic, wording; ``other``, ``note``); 400 naming
    the field the store refuses."""
    from carebase.backlog.topic_links import LinkError, add_link

    topic = payload.get("topic") or ""
    topic = topic[4:] if topic.startswith("ask:") else topic  # a backlog key names the same topic

    def write():
        with engine.begin() as conn:
            return add_link(conn, payload.get("kind"), topic, other, payload.get("wording"), note)
    try:
        return (await run_in_threadpool(write)).as_json()
    except LinkError as exc:
        raise bad(str(exc).split(":", 1)[0], str(exc)) from None


async def _remove_link(engine, raw: str, field: str) -> dict:
    """Remove link ``raw`` (its number, sent as ``field``); 400 for a bad number, 404 for none."""
    from carebase.backlog.topic_links import remove_link

    if not raw.isdigit() or len(raw) > 12:
        raise bad(field, f"{field}: expected a link number, found {raw[:40]!r}")

    def write():
        with engine.begin() as conn:
            return remove_link(conn, int(raw))
    if not await run_in_threadpool(write):
        raise ApiError(404, f"{field}: no link {raw}", field)
    return {"removed": int(raw)}


async def topic_links(request: Request) -> JSONResponse:
    state = _state(request)
    if request.method == "GET":
        require_token(request)
        return JSONResponse({"links": await run_in_threadpool(_links_now, state.engine)})
    require_token(request, browser=True)
    _same_origin(request)
    payload = parse_json(await read_body(request, state.config.max_body), '{"kind", "topic", "other" or "wording"}')
    if not isinstance(payload, dict):
        raise bad("body", 'expected {"kind": "same" or "two", "topic": "topic:…", "other": "topic:…" or "wording": "…"}')
    _text_fields(payload, ("kind", "topic", "other", "wording", "note"))
    link = await _store_link(state.engine, payload, payload.get("other"), payload.get("note"))
    return JSONResponse(link, status_code=201)


async def unlink(request: Request) -> JSONResponse:
    require_token(request, browser=True)
    _same_origin(request)
    return JSONResponse(await _remove_link(_state(request).engine, request.path_params["link_id"], "id"))


async def link_form(request: Request):
    """The live report's buttons: store a link (``kind``, ``topic``, ``other`` or ``wording``) or
    remove one (``undo``: its id). A form comes back to the report (``back``); JSON (the page's
    script) gets the link. Either way it applies at the next report ("Refresh now")."""
    require_token(request, browser=True)
    _same_origin(request)
    state = _state(request)
    body = await read_body(request, state.config.max_body)
    as_json = "json" in request.headers.get("content-type", "")
    payload = parse_json(body, '{"kind", "topic", "other" or "wording"}') if as_json else parse_form(body)
    if not isinstance(payload, dict):
        raise bad("body", 'expected {"kind": "same" or "two", "topic": "topic:…", "other": "topic:…" or "wording": "…"} '
                          'or {"undo": link id}')
    _text_fields(payload, ("kind", "topic", "other", "wording", "undo", "back"))
    undo = payload.get("undo") or ""
    if undo:
        done = await _remove_link(state.engine, undo, "undo")
    else:  # an empty field of the form is no other row
        done = await _store_link(state.engine, payload, payload.get("other") or None, None)
    if as_json:
        return JSONResponse(done, status_code=200 if undo else 201)
    return _back_to_report(request, payload.get("back") or "")


def report_routes() -> list[Route]:
    return [
        Route("/report", report_page, methods=["GET"]),
        Route("/report/rows/{key:path}", row_page, methods=["GET"]),
        Route("/report/issue/{key:path}", issue_page, methods=["GET"]),
        Route("/report/backlog", decide, methods=["POST"]),
        Route("/report/refresh", refresh, methods=["POST"]),
        Route("/report/links", link_form, methods=["POST"]),
        Route("/api/v1/backlog", backlog_json, methods=["GET"]),
        Route("/api/v1/backlog", decide, methods=["POST"], name="backlog_decide"),
        Route("/api/v1/backlog/links", topic_links, methods=["GET", "POST"]),
        Route("/api/v1/backlog/links/{link_id}", unlink, methods=["DELETE"]),
    ]
