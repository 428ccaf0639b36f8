"""The service's endpoints (events, no-JS feedback form, health, export; the live report is in
``routes_report``)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import math
import re
import time
from urllib.parse import urlsplit

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse

from carebase.service.errors import ApiError, bad
from carebase.service.requests import parse_json, read_body
from carebase.service.validation import MAX_MS, row_from_event, rows_from_batch
from carebase.store.export import iter_jsonl
from carebase.store.schema import events
from carebase.store.writer import WriterBusy, WriterClosed


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
THREAD_BODY_BYTES = 4096  # larger batches are validated and masked in a worker thread
FORM_WINDOW_S = 600  # a no-JS form posted again unchanged within this window is one vote


def _state(request: Request):
    return request.app.state.carebase


def client_key(request: Request) -> str:
    """The salted, daily-rotating hash of the client address (the raw IP is never kept)."""
    host = request.client.host if request.client else "unknown"
    return _state(request).hasher(host)


CLIENT_CHARS = 16  # of the hash stored with each event: plenty to count distinct clients


def stored_client(request: Request) -> str:
    """What ``events.client`` keeps: the start of the salted daily hash (never the address)."""
    return client_key(request)[:CLIENT_CHARS]


def client_fields(request: Request) -> dict:
    """``client`` and ``client_epoch`` for an event row: the start of the salted daily hash and
    the random id of the salt it was made with (``privacy.ClientHasher``), from one salt."""
    host = request.client.host if request.client else "unknown"
    digest, epoch = _state(request).hasher.stamp(host)
    return {"client": digest[:CLIENT_CHARS], "client_epoch": epoch}


NO_CLIENT = {"client": None, "client_epoch": None}


def enforce_rate_limit(request: Request, events: int = 1, *, limiter=None) -> None:
    """Take ``events`` from the client's bucket (a batch of N events costs N; one bigger than
    the burst costs a full bucket, so it still gets through once the bucket has refilled).
    ``limiter``: another bucket set (the search API's) instead of the events' one."""
    limiter = limiter or _state(request).limiter
    cost = max(1, min(events, limiter.burst))
    wait = limiter.check(client_key(request), cost)
    if wait > 0:
        raise ApiError(429, "too many requests from this client; retry later", None,
                       {"Retry-After": str(max(1, math.ceil(wait)))})


def origin_allowed(state, origin: str) -> bool:
    allowed = state.config.allowed_origins
    return "*" in allowed or origin_listed(state, origin)


def origin_listed(state, origin: str) -> bool:
    """``origin`` is one of ``--allowed-origin``'s, named there (``*`` names none)."""
    return origin.rstrip("/").lower() in state.config.allowed_origins


def check_origin(request: Request) -> None:
    """Browsers name the page's origin on cross-site POSTs: refuse sites not configured."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    own = f"{request.url.scheme}://{request.url.netloc}".lower()
    if origin.lower() != own and not origin_allowed(_state(request), origin):
        raise ApiError(403, f"origin {origin[:100]} is not an allowed site origin", "Origin")


async def store_own(request: Request, event: dict, failed: str) -> None:
    """Store one event the service logs itself for a page without JavaScript (a search, a contact,
    a suggestion opened), with the client's salted hash, as the browser's would be stored. A store
    that fails is logged (``failed``: what could not be logged) and does not keep the customer from
    the page."""
    state = _state(request)
    try:
        row = row_from_event(event, event["type"], state.items, int(time.time() * 1000))
        row.update(client_fields(request))
        await store(request, [row])
    except ApiError as exc:
        state.log.warning("%s: %s", failed, exc.error)


async def store(request: Request, rows: list[dict]) -> tuple[int, int]:
    """Hand rows to the single writer and wait until they are committed."""
    try:
        future = _state(request).writer.submit(rows)
    except (WriterBusy, WriterClosed):
        raise ApiError(503, "the store is busy; retry shortly", None, {"Retry-After": "1"}) from None
    try:
        result = await asyncio.wrap_future(future)
    except Exception:
        _state(request).log.exception("could not store %d events", len(rows))
        raise ApiError(503, "the store is unavailable; retry shortly", None, {"Retry-After": "5"}) from None
    return result.accepted, result.duplicates


def opted_out(request: Request) -> bool:
    """The browser sends Do-Not-Track or Global Privacy Control."""
    return request.headers.get("dnt", "").strip() == "1" or request.headers.get("sec-gpc", "").strip() == "1"


def honour_opt_out(rows: list[dict]) -> list[dict]:
    """Under DNT/GPC keep only votes (an explicit act), without any identifier."""
    kept = [row for row in rows if row["type"] == "vote"]
    for row in kept:
        row["vote_key"] = row["journey"] = None
        row.update(NO_CLIENT)
    return kept


async def post_events(request: Request) -> JSONResponse:
    state = _state(request)
    check_origin(request)
    try:
        body = await read_body(request, state.config.max_body)
        payload = parse_json(body)
    except ApiError:
        enforce_rate_limit(request)  # a bad or oversized body counts as one event
        raise
    enforce_rate_limit(request, _batch_size(payload))
    received = int(time.time() * 1000)
    if len(body) > THREAD_BODY_BYTES:  # cleaning and masking a long text: off the event loop
        rows = await run_in_threadpool(rows_from_batch, payload, state.items, received,
                                       max_events=state.config.max_events)
    else:
        rows = rows_from_batch(payload, state.items, received, max_events=state.config.max_events)
    client = client_fields(request)
    for row in rows:
        row.update(client)
    ignored = 0
    if opted_out(request):
        kept = honour_opt_out(rows)
        ignored, rows = len(rows) - len(kept), kept
    accepted, duplicates = await store(request, rows) if rows else (0, 0)
    body = {"accepted": accepted, "duplicates": duplicates}
    if ignored:
        body["ignored"] = ignored
    return JSONResponse(body)


def _batch_size(payload) -> int:
    """How many events the client sent (what the rate limit counts); malformed batches count 1."""
    batch = payload.get("events") if isinstance(payload, dict) else None
    return len(batch) if isinstance(batch, list) else 1


def _return_url(state, form: dict, request: Request) -> str:
    """``return_to`` (or, when the page left it empty, the Referer) on an allowed origin."""
    target = form.get("return_to") or request.headers.get("referer") or ""
    field = "return_to"
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise bad(field, "return_to: expected the absolute URL of the page the form is on")
    if not origin_allowed(state, f"{parts.scheme}://{parts.netloc}"):
        raise bad(field, f"return_to: {parts.scheme}://{parts.netloc} is not an allowed site origin")
    return target


def thanks_fragment(item_id: str) -> str:
    """``cb-thanks-<item>`` with every character outside [A-Za-z0-9_-] as ``-`` (the widget's ids)."""
    return "cb-thanks-" + _UNSAFE.sub("-", item_id)


def form_clock() -> float:
    """Seconds since the epoch for the form's resubmission buckets (tests move it)."""
    return time.time()


async def form_event_id(request: Request, form: dict, page: str) -> str:
    """The no-JS form's event id, derived from what was posted so a double submit (a second
    click, a reload that re-posts) is stored once: the client's salted daily hash, the page
    and every vote field, and a time bucket of FORM_WINDOW_S. The pages are static (no
    per-render token), so this is the only key there is. A resubmission just after a bucket
    ends reuses the previous bucket's id when that one is stored; a changed vote (other
    value, reason or comment) gets a new id and counts."""
    fields = [page] + [(form.get(name) or "").strip() for name in
                       ("item", "value", "scale", "reason", "comment", "revision")]
    return await derived_event_id(request, "form-", fields)


async def derived_event_id(request: Request, prefix: str, fields: list[str]) -> str:
    """An event id derived from the client's salted daily hash, ``fields`` and a time bucket of
    FORM_WINDOW_S, so the same request sent again (a double submit, a reload) is stored once:
    a resubmission just after a bucket ends reuses the previous bucket's id when that one is
    stored. The no-JS vote form's (``form_event_id``) and the no-JS search page's."""
    fields = [client_key(request), *fields]
    bucket = int(form_clock() // FORM_WINDOW_S)

    def make(b: int) -> str:
        return prefix + hashlib.sha256("\x1f".join([*fields, str(b)]).encode("utf-8", "replace")).hexdigest()[:40]

    previous = make(bucket - 1)
    engine = _state(request).engine

    def stored() -> bool:
        with engine.connect() as connection:
            return connection.execute(select(events.c.event_id).where(events.c.event_id == previous)).first() is not None

    try:
        if await run_in_threadpool(stored):
            return previous
    except Exception:  # the store is down: writing will say so
        pass
    return make(bucket)


def _form_lang(state, lang: str | None) -> str | None:
    """The page's language the widget's form names (its catalogue's): one of the site's languages
    when it publishes several, else any well-formed code (as the events API takes); anything
    else is the site's default (None). A vote is never refused for it: the form is the site's
    own, and what a bot puts there is not the customer's vote."""
    from carebase.service.validation import LANG

    languages = tuple(getattr(state.items, "languages", ()) or ())
    if not lang or (languages and lang not in languages) or not LANG.fullmatch(lang) or len(lang) > 35:
        return None
    return lang


def _form_int(value: str | None):
    if value is None or value == "":
        return None
    try:
        return int(value.strip())
    except ValueError:
        return value  # validation names the field


PROBE_EVERY_S = 1.0  # a commit this recent answers /healthz; older, a probe write runs first
PROBE_TIMEOUT_S = 2.0  # a probe not committed by then: the store is too slow or hangs


async def healthz(request: Request) -> JSONResponse:
    """200 only when the store accepts writes: no write was refused in the last 5 s (the
    ``health_hold`` setting) and the
    latest commit (of events, or of a probe write that leaves nothing behind, run when nothing
    was committed in the last second) succeeded. 503 names why not; it clears by itself once
    writes succeed again."""
    state = _state(request)
    writer = state.writer
    outcome = writer.health(PROBE_EVERY_S, state.config.health_hold)
    error = None
    if outcome is None:
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(writer.probe())), PROBE_TIMEOUT_S)
        except (WriterBusy, WriterClosed):
            error = "the store is not keeping up with writes (queue full)"
        except asyncio.TimeoutError:
            error = f"the store did not commit a probe write within {PROBE_TIMEOUT_S:g} s"
        except Exception:
            pass  # the writer recorded why
        outcome = writer.outcome
    if error is None and (outcome is None or not outcome.ok):
        error = f"the store refused a write: {outcome.error}" if outcome else "no write attempted yet"
    base = {"database": state.engine.dialect.name, "manifest": bool(state.items.enforced)}
    if error:
        return JSONResponse({"status": "error", **base, "error": error[:300]}, status_code=503,
                            headers={"Retry-After": "5"})
    return JSONResponse({"status": "ok", **base})


def _given_token(header: str) -> str:
    """The token from ``Bearer TOKEN``, or the password of ``Basic`` (what a browser prompts for)."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")[2]
        except (ValueError, UnicodeDecodeError):
            return ""
    return ""


def require_token(request: Request, *, browser: bool = False) -> None:
    token = _state(request).config.token
    if not token:
        raise ApiError(403, "disabled: start the service with --token (or CAREBASE_TOKEN) to enable it", None)
    given = _given_token(request.headers.get("authorization", ""))
    if not hmac.compare_digest(given.encode(), token.encode()):
        # a browser asks for a password on a Basic challenge: any user name, the token as password
        challenge = 'Basic realm="carebase report", charset="UTF-8"' if browser else "Bearer"
        raise ApiError(401, "missing or wrong bearer token", "Authorization", {"WWW-Authenticate": challenge})


def export_since(request: Request) -> int | None:
    """``since`` checked before anything is sent: an unknown parameter, a non-number or a
    time outside 0–2^53 ms is a 400 naming the field (the database never sees it)."""
    for name in request.query_params.keys():
        if name != "since":
            raise bad(name, f"{name[:40]}: unknown parameter (expected since)")
    since = request.query_params.get("since")
    if since is None:
        return None
    if not re.fullmatch(r"[0-9]{1,16}", since.strip()) or int(since) > MAX_MS:
        raise bad("since", f"since: expected milliseconds since the Unix epoch (0–{MAX_MS}), found {since[:40]!r}")
    return int(since)


async def export(request: Request) -> StreamingResponse:
    require_token(request)
    since_ms = export_since(request)
    engine = _state(request).engine
    lines = iter_jsonl(engine, since_ms=since_ms)
    try:  # the first page before the 200: a store that does not answer is a 503, not a cut body
        first = await run_in_threadpool(next, lines, None)
    except Exception as exc:
        _state(request).log.error("export: the store did not answer: %s", one_line(exc))
        raise ApiError(503, "the store is unavailable; retry shortly", None, {"Retry-After": "5"}) from None
    return StreamingResponse(continue_export(first, lines, _state(request).log), media_type="application/x-ndjson",
                             headers={"Content-Disposition": 'attachment; filename="events.jsonl"'})


class ExportInterrupted(Exception):
    """The store failed after the 200 was sent: the connection is closed without the final
    chunk, so the client sees a truncated transfer (curl: exit 18), never a short 'complete' file."""


def one_line(exc: BaseException) -> str:
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def continue_export(first, lines, log):
    if first is None:
        return
    yield first
    try:
        yield from lines
    except Exception as exc:
        log.error("export interrupted: the store failed mid-way (%s); the client gets a truncated transfer",
                  one_line(exc))
        raise ExportInterrupted(one_line(exc)) from None
