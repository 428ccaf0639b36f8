"""The contact form: ``POST /api/v1/contact`` (JSON, from the site's script) and
``POST /contact`` (the same form without JavaScript), ``GET /api/v1/contacts`` (export).

A message is stored as a ticket (table ``contacts``) with the context the customer came
with — their last searches, the page, the item — and what the form suggested before sending
and whether one was opened; the answer carries the ticket reference. When a webhook is
configured the ticket is forwarded in the background (``webhook.py``), never holding up the
answer; otherwise it waits for the export. Same rules as the events API: the Origin check,
the per-client rate limit, a body limit, 400s naming the field, Do-Not-Track honoured (no
journey, no client hash, no searches).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import secrets
import time
from urllib.parse import urlencode, urlsplit

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse

from carebase.service.contact_page import (from_the_sites_form, journey_of, log_contact_from_the_site, open_event_id,
                                           page_field)
from carebase.service.errors import ApiError, bad
from carebase.service.masking import mask_payment, mask_pii
from carebase.service.requests import parse_form, parse_json, read_body
from carebase.service.validation import page_language
from carebase.store.cleaning import clean_text
from carebase.store.schema import contacts

MAX_NAME, MAX_EMAIL, MAX_MESSAGE, MAX_SEARCHES, MAX_SUGGESTED = 100, 254, 5000, 5, 3
MASKS = ("payment", "all", "none")
REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
EMAIL = re.compile(r"[^@\s<>\"',;]{1,64}@[^@\s<>\"',;]+\.[^@\s<>\"',;.]{2,}")
FORM_WINDOW_S = 600  # a no-JS form posted again unchanged within this window is one ticket
MIN_MESSAGE = 12  # contact.js MIN: a shorter message gets no "Before you send" (either way)
_TICKET_CHARS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read over the phone


def new_ticket() -> str:
    """``CB-XXXX-XXXX``: 8 random characters of an unambiguous alphabet (31^8 ≈ 8.5e11)."""
    chars = "".join(secrets.choice(_TICKET_CHARS) for _ in range(8))
    return f"CB-{chars[:4]}-{chars[4:]}"


def _text(data: dict, key: str, *, required: bool, limit: int) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise bad(key, f"{key}: required, found nothing")
        return None
    if not isinstance(value, str):
        raise bad(key, f"{key}: expected text, found {type(value).__name__}")
    value = clean_text(value).strip()
    if len(value) > limit:
        raise bad(key, f"{key}: at most {limit} characters, found {len(value)}")
    if required and not value:
        raise bad(key, f"{key}: required, found nothing")
    return value or None


def _list(data: dict, key: str, limit: int, each: int) -> list[str]:
    value = data.get(key)
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad(key, f"{key}: expected a list of texts")
    # the no-JS form: one checkbox per entry (contact_page), or one field with an entry per line
    value = [line for v in value for line in v.splitlines() if line.strip()]
    return [clean_text(v).strip()[:each] for v in value[-limit:] if clean_text(v).strip()]


def _searches(data: dict) -> list[str]:
    """The ``searches`` field as the ticket stores them: the last ``MAX_SEARCHES``, each cut to
    200 characters and PII-masked."""
    return [mask_pii(q) for q in _list(data, "searches", MAX_SEARCHES, 200)]


def parse_contact(data: object, state, *, opted_out: bool) -> dict:
    """The ticket's fields from a posted form, checked and masked; 400 naming the field."""
    if not isinstance(data, dict):
        raise bad("body", "expected a JSON object with name, email and message")
    name = _text(data, "name", required=True, limit=MAX_NAME)
    email = _text(data, "email", required=True, limit=MAX_EMAIL)
    if not EMAIL.fullmatch(email):
        raise bad("email", f"email: expected an address such as name@example.com, found {email[:60]!r}")
    message = _text(data, "message", required=True, limit=MAX_MESSAGE)
    mask = getattr(state.config, "contact_mask", "payment")
    if mask == "all":
        message = mask_pii(message)
    elif mask == "payment":
        message = mask_payment(message)
    item = _text(data, "item", required=False, limit=300)
    if item is not None:
        item = state.items.resolve(item) if state.items.enforced else item
        if item is None:
            raise ApiError(422, f"item: unknown item id {str(data.get('item'))[:80]!r} (not in the site's manifest)", "item")
    known = (lambda i: state.items.resolve(i)) if state.items.enforced else (lambda i: i if ":" in i else None)
    suggested = [i for i in (known(x) for x in _list(data, "suggested", MAX_SUGGESTED, 300)) if i]
    opened = _text(data, "opened", required=False, limit=300)
    opened = known(opened) if opened else None
    request_id = _text(data, "id", required=False, limit=64)
    if request_id is not None and not REQUEST_ID.fullmatch(request_id):
        raise bad("id", "id: expected 8–64 characters of A-Z a-z 0-9 _ -")
    journey = None if opted_out else _text(data, "journey", required=False, limit=64)
    searches = [] if opted_out else _searches(data)
    try:
        lang = page_language(data, "body", state.items)  # the language of the page the form was sent from
    except ApiError as exc:
        exc.field = "lang"
        raise
    page = given = _text(data, "page", required=False, limit=100_000)  # the body's limit bounds it
    try:
        page = page_field(page, state)
    except ValueError:
        raise bad("page", f"page: expected a page of this help centre such as /billing/refunds/, found {page[:80]!r}") from None
    if page is None and given:  # not a help-centre path (a 404's odd address): the message is kept without it
        state.log.info("contact: a message's page (%d characters) is not a path of the help centre: kept without it",
                       len(given))
    return {
        "request_id": request_id, "name": name, "email": email, "message": message,
        "page": page, "item_id": item,
        "searches": json.dumps(searches, ensure_ascii=False), "suggested": json.dumps(suggested),
        "opened": opened if opened in suggested else None, "journey": journey, "lang": lang,
    }


def _insert(engine, row: dict) -> dict:
    """Store the ticket, or return the one this request already made (a retry, a re-post)."""
    with engine.begin() as connection:
        found = connection.execute(select(contacts).where(contacts.c.request_id == row["request_id"])).first()
        if found is not None:
            return dict(found._mapping)
        for _ in range(5):
            row["ticket"] = new_ticket()
            if connection.execute(select(contacts.c.ticket).where(contacts.c.ticket == row["ticket"])).first() is None:
                break
        connection.execute(contacts.insert().values(**row))
    return row


async def _create(request: Request, data: object, *, form: bool) -> dict:
    from carebase.service import handlers

    state = request.app.state.carebase
    opted_out = handlers.opted_out(request)
    row = parse_contact(data, state, opted_out=opted_out)
    if row["request_id"] is None or form:
        row["request_id"] = _derived_id(handlers.client_key(request), row)
    row.update(handlers.NO_CLIENT if opted_out else handlers.client_fields(request))  # hash and its salt's epoch
    row.update(received_ms=int(time.time() * 1000),
               forward_state="pending" if state.forwarder is not None else "none", forward_attempts=0)
    try:
        stored = await run_in_threadpool(_insert, state.engine, row)
    except Exception:
        state.log.exception("could not store a contact message")
        raise ApiError(503, "the store is unavailable; retry shortly", None, {"Retry-After": "5"}) from None
    if stored is row and state.forwarder is not None:
        state.forwarder.submit(stored["ticket"])
    return stored


def _derived_id(client: str, row: dict) -> str:
    """The same message from the same client within FORM_WINDOW_S is one ticket (a double
    click, a reload that re-posts, a retry without an id)."""
    from carebase.service.handlers import form_clock

    bucket = int(form_clock() // FORM_WINDOW_S)
    parts = [client, row["name"], row["email"], row["message"], str(bucket)]
    return "derived-" + hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()[:40]


async def post_contact(request: Request) -> JSONResponse:
    """The site's script: JSON in, ``{"ticket": "CB-…", "forwarded": bool}`` out."""
    from carebase.service import handlers

    state = request.app.state.carebase
    handlers.check_origin(request)
    handlers.enforce_rate_limit(request)
    data = parse_json(await read_body(request, state.config.max_body), '{"name", "email", "message"}')
    stored = await _create(request, data, form=False)
    return JSONResponse({"ticket": stored["ticket"], "forwarded": stored["forward_state"] != "none"}, status_code=201)


async def post_searches(request: Request) -> JSONResponse:
    """``POST /api/v1/contact/searches``: the site's form (contact.js) lists the journey's searches
    before sending, each a ticked checkbox, as the form without JavaScript does
    (``contact_page``): this answers them as the ticket will store them (``{"searches": [...]}``,
    masked, the last ``MAX_SEARCHES``), so the customer sees what is sent. Stores nothing (the
    searches were sent to the service as search events already); ``[]`` under Do-Not-Track / GPC.
    Same Origin rule, rate limit and body limit as the contact API."""
    from carebase.service import handlers

    state = request.app.state.carebase
    handlers.check_origin(request)
    handlers.enforce_rate_limit(request)
    data = parse_json(await read_body(request, state.config.max_body), '{"searches": [...]}')
    if not isinstance(data, dict):
        raise bad("body", "expected a JSON object with searches")
    return JSONResponse({"searches": [] if handlers.opted_out(request) else _searches(data)})


def _missing(form: dict, t) -> list[str]:
    """The no-JS form's empty fields and an address that is not one, all of them (the API's
    400 names the first only): the contact form's own messages (strings contact.missing.*)."""
    problems = []
    for key in ("name", "email", "message"):
        value = form.get(key)
        value = clean_text(value).strip() if isinstance(value, str) else ""
        if not value or (key == "email" and not EMAIL.fullmatch(value)):
            problems.append(t.t(f"contact.missing.{key}"))
    return problems


async def post_contact_form(request: Request) -> HTMLResponse:
    """The form without JavaScript: a page with the ticket reference (or what to fix)."""
    from carebase.service import handlers

    state = request.app.state.carebase
    handlers.check_origin(request)  # the same rule as the API: a foreign page may not post
    handlers.enforce_rate_limit(request)
    form = parse_form(await read_body(request, state.config.max_body), lists=("searches", "suggested"))
    back = _back_url(state, form.get("return_to") or request.headers.get("referer") or "")
    t = _answer_strings(form, state)
    if form.get("website"):  # the honeypot people never see: answer as usual, store nothing
        return _page(request, t, t.t("contact.sent"), f'<p>{html.escape(t.t("contact_answer.thanks_plain"))}</p>', back)
    problems = _missing(form, t)
    if problems:  # every field to fix at once, in the words the form's own script uses
        body = ("<ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in problems) + "</ul>"
                f'<p>{html.escape(t.t("contact_answer.correct"))}</p>')
        return _page(request, t, t.t("contact_answer.not_sent"), body, back, status=400)
    came = from_the_sites_form(request, form) if form.get("step") != "send" else None
    if came is not None:  # the site's form, opened from a page (its address: ?from=)
        await log_contact_from_the_site(request, came, str(form.get("lang") or ""))
    if form.get("step") == "check":  # the site's form: first the best matches for the message, if any
        found = await run_in_threadpool(_suggestions, state, form)
        if found:
            return _before_you_send(request, t, form, found, back)
    elif form.get("step") == "send":  # sent from "Before you send": the suggestions shown, the one opened
        form["suggested"] = [i for i in form.get("suggested") or [] if isinstance(i, str)][:MAX_SUGGESTED]
        form["opened"] = await run_in_threadpool(_opened, state.engine, form.get("draft"), form["suggested"])
    try:
        stored = await _create(request, form, form=True)
    except ApiError as exc:
        if exc.status != 400:
            raise
        body = (f'<p>{html.escape(t.t("contact.not_sent", reason=exc.error))}.</p>'
                f'<p>{html.escape(t.t("contact_answer.correct"))}</p>')
        return _page(request, t, t.t("contact_answer.not_sent"), body, back, status=400)
    marker = "\x00"
    before, _, after = t.t("contact_answer.reference", reference=marker).partition(marker)
    body = (f'<p>{html.escape(t.t("contact_answer.thanks", name=stored["name"]))}</p>'
            f'<p>{html.escape(before)}<strong class="ticket">{html.escape(stored["ticket"])}</strong>'
            f"{html.escape(after)}</p>")
    return _page(request, t, t.t("contact.sent"), body, back, status=201)


def _suggestions(state, form: dict) -> list[dict]:
    """The ``MAX_SUGGESTED`` best items for the message (contact.js's last-chance deflection: strong
    matches only, an item once): the search page's search in the form's language; none when
    the service has no index or the message is shorter than ``MIN_MESSAGE`` (the message is
    then sent at once)."""
    answer = getattr(state, "answer_json", None)
    message = " ".join(str(form.get("message") or "").split())[:200]
    if answer is None or len(message) < MIN_MESSAGE:
        return []
    languages = tuple(getattr(state.items, "languages", ()) or ())
    lang = form.get("lang") if form.get("lang") in languages[1:] else None
    try:
        found = answer(message, None, MAX_SUGGESTED * 3, lang)
    except Exception:  # a suggestion is a courtesy: never a message lost
        state.log.exception("the contact form's suggestions failed")
        return []
    shown, seen = [], set()
    for hit in (found or {}).get("hits") or []:
        if hit.get("strong") is False or hit.get("id") in seen:
            continue
        seen.add(hit.get("id"))
        text = html.unescape(re.sub(r"<[^>]*>", "", str(hit.get("snippet") or "")))
        shown.append({"id": str(hit["id"]), "title": str(hit.get("title") or ""), "text": text})
        if len(shown) == MAX_SUGGESTED:
            break
    return shown


def _before_you_send(request: Request, t, form: dict, found: list[dict], back: str) -> HTMLResponse:
    """"Before you send": the best matches for the message, each opened through the service
    (``GET /contact/open``: "whether one was opened", then the item's page), and the message
    ready to send, unchanged (every field again, hidden)."""
    draft = secrets.token_urlsafe(16)  # names this message's suggestions opened (open_event_id)
    journey = journey_of(form.get("journey"))
    links = []
    for rank, hit in enumerate(found, start=1):
        query = urlencode({"d": draft, "item": hit["id"], "rank": rank, **({"j": journey} if journey else {})})
        text = f'<span class="text cb-deflect__text">{html.escape(hit["text"])}</span>' if hit["text"] else ""
        links.append(f'<li class="cb-deflect__item"><a href="contact/open?{html.escape(query)}">{html.escape(hit["title"])}</a>'
                     f'{text}</li>')
    keep = ("name", "email", "message", "page", "item", "lang", "journey", "return_to")
    hidden = [f'<input type="hidden" name="{key}" value="{html.escape(str(form.get(key)))}">'
              for key in keep if isinstance(form.get(key), str)]
    hidden += [f'<input type="hidden" name="searches" value="{html.escape(q)}">'
               for q in form.get("searches") or [] if isinstance(q, str) and q.strip()]
    hidden += [f'<input type="hidden" name="suggested" value="{html.escape(hit["id"])}">' for hit in found]
    hidden += [f'<input type="hidden" name="draft" value="{draft}">', '<input type="hidden" name="step" value="send">']
    body = (f'<p>{html.escape(t.t("contact_answer.check_lead"))}</p>'
            f'<ul class="suggestions cb-deflect__list">{"".join(links)}</ul>'
            f'<form method="post" action="contact">{"".join(hidden)}'
            f'<button class="md-button md-button--primary" type="submit">{html.escape(t.t("contact.send"))}</button></form>')
    # kept in the browser's own cache (not no-store), so Back from a suggestion shows this page
    # again rather than "Confirm form resubmission"; nothing shared may keep it (private)
    return _page(request, t, t.t("contact.deflect"), body, back, cache="private, max-age=1800")


def _opened(engine, draft: str | None, suggested: list[str]) -> str | None:
    """The suggestion of "Before you send" the customer opened (the last one), if any."""
    if not journey_of(draft) or not suggested:
        return None
    ids = {open_event_id(draft, item): item for item in suggested}
    from carebase.store.schema import events

    query = select(events.c.event_id).where(events.c.event_id.in_(list(ids))).order_by(events.c.received_ms.desc())
    with engine.connect() as connection:
        found = connection.execute(query).first()
    return ids[found[0]] if found is not None else None


def _answer_strings(form: dict, state):
    """carebase's strings in the language of the form's page (its ``lang`` field, one of the
    site's languages; else the site's default language, else English): carebase's catalogue
    of the language, the site's own strings of that language over it (its strings files and
    its name, published in the build output's manifest), English for what it lacks."""
    from carebase.service.search_page import _strings, site_language

    return _strings(state, site_language(state, form.get("lang") if isinstance(form.get("lang"), str) else None))


def _back_url(state, target: str) -> str:
    """Where "back to the help centre" goes: the form's page, when it is on an allowed origin."""
    from carebase.service.handlers import origin_allowed

    parts = urlsplit(target)
    if parts.scheme in ("http", "https") and parts.netloc and origin_allowed(state, f"{parts.scheme}://{parts.netloc}"):
        return target
    return ""


def _page(request: Request, t, title: str, body: str, back: str, status: int = 200,
          cache: str = "no-store") -> HTMLResponse:
    """The form's answer without JavaScript ("Before you send", "Message sent", what to fix): in
    the help centre's look when the build left the contact form's template (its header, search
    box and footer; ``contact_page.answer_page``), else a plain page in the system's colours."""
    from carebase.content.languages import direction
    from carebase.service.contact_page import answer_page
    from carebase.service.search_page import HEADERS

    link = f'<p><a href="{html.escape(back)}">{html.escape(t.t("contact_answer.back"))}</a></p>' if back else ""
    site = t.t("site.name")  # the help centre's name in the page's language (the manifest's)
    headers = {**HEADERS, "Cache-Control": cache}
    shown = answer_page(request, t.lang, title, f'<div class="cb-contact-answer">{body}{link}</div>')
    if shown is not None:
        return HTMLResponse(shown, status_code=status, headers=headers)
    page = (
        f'<!doctype html><html lang="{html.escape(t.lang)}" dir="{direction(t.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}{html.escape(' – ' + site) if site else ''}</title><style>"
        "body{font:1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}"
        "h1{font-size:1.6rem}.ticket{font-size:1.2rem;letter-spacing:.05em}a{color:#303f9f}"
        ".suggestions{padding-left:1.2rem}.suggestions li{margin:.6rem 0}.suggestions a{font-weight:700}"
        ".text{display:block;font-size:.9rem;color:#4a4a4a}button{font:inherit;font-weight:700;padding:.5rem 1.2rem;"
        "border:0;border-radius:.2rem;background:#303f9f;color:#fff;cursor:pointer}"
        "@media (prefers-color-scheme:dark){body{background:#1e2129;color:#e8e8ee}a{color:#9fb0ff}"
        ".text{color:#c4c6d0}button{background:#9fb0ff;color:#10131a}}"
        f"</style></head><body><main><h1>{html.escape(title)}</h1>{body}{link}</main></body></html>"
    )
    return HTMLResponse(page, status_code=status, headers=headers)


async def export_contacts(request: Request) -> StreamingResponse:
    """Every ticket as JSON Lines (oldest first), ``?since=MS``; needs the bearer token."""
    from carebase.service import handlers

    handlers.require_token(request)
    since = handlers.export_since(request)
    engine = request.app.state.carebase.engine

    def rows():
        query = select(contacts).order_by(contacts.c.received_ms, contacts.c.ticket)
        if since is not None:
            query = query.where(contacts.c.received_ms >= since)
        with engine.connect() as connection:
            for row in connection.execute(query):
                record = dict(row._mapping)
                for key in ("searches", "suggested"):
                    record[key] = json.loads(record[key] or "[]")
                yield json.dumps(record, ensure_ascii=False) + "\n"

    lines = await run_in_threadpool(lambda: list(rows()))
    return StreamingResponse(iter(lines), media_type="application/x-ndjson")
