"""The widget's no-JavaScript form (``POST /feedback``): one vote stored, then 303 back to the
page; a "No" is answered with the page asking what went wrong (``feedback_why``).

Its own module so that ``handlers`` (which the service's pages import) never imports the
reasons page, which renders with those pages (``contact_page``, ``search_page``): the import
graph runs one way."""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse

from carebase.service import feedback_why
from carebase.service.errors import ApiError
from carebase.service.handlers import (NO_CLIENT, _form_int, _form_lang, _return_url, _state, check_origin,
                                       client_fields, enforce_rate_limit, form_event_id, opted_out, store,
                                       thanks_fragment)
from carebase.service.requests import parse_form, read_body
from carebase.service.validation import row_from_event


async def post_feedback(request: Request):
    """The widget's no-JavaScript form: store one vote, then 303 back to the page; a "No" from
    the widget is stored and answered with the page asking what went wrong (feedback_why), whose
    answer is stored under the same vote key (one vote, with its reason)."""
    state = _state(request)
    check_origin(request)  # the same rule as the API: a foreign page may not post votes
    enforce_rate_limit(request)
    form = parse_form(await read_body(request, state.config.max_body))
    target = _return_url(state, form, request)
    parts = urlsplit(target)
    why, skipped, private = feedback_why.asks_why(form), form.get("step") == feedback_why.STEP and form.get("skip"), opted_out(request)
    if skipped and form.get("vote_key"):  # Skip on the reasons page: its No is stored already
        return RedirectResponse(urlunsplit(parts._replace(fragment=thanks_fragment(form.get("item") or ""))), status_code=303)
    if skipped:
        form = {**form, "reason": "", "comment": ""}
    event = {
        "id": await form_event_id(request, form, parts.path or "/"), "type": "vote", "item": form.get("item") or None,
        "value": _form_int(form.get("value")), "scale": form.get("scale") or None,
        "reason": form.get("reason") or None, "comment": form.get("comment") or None,
        "revision": form.get("revision") or None, "source": "form", "page": parts.path or "/",
        "lang": _form_lang(state, form.get("lang")),
    }
    key = form.get("vote_key") if form.get("step") == feedback_why.STEP else None
    if why and not private:  # the No now, its reason (same key) from the reasons page
        key = feedback_why.vote_key(event["id"])
    if key and not private:
        event["vote_key"] = key
    try:
        row = row_from_event(event, "form", state.items, int(time.time() * 1000))
    except ApiError as exc:  # name the form field itself: "value", not "form.value"
        exc.field = (exc.field or "").removeprefix("form.") or None
        raise
    row.update(NO_CLIENT if private else client_fields(request))
    if private:
        row["vote_key"] = None
    fragment = thanks_fragment(row["item_id"])
    if form.get("website"):  # a filled honeypot is a bot: the usual redirect, nothing stored, no reasons page
        return RedirectResponse(urlunsplit(parts._replace(fragment=fragment)), status_code=303)
    if why and private:  # Do-Not-Track: no key to join the No and its reason: stored once, from the page
        return feedback_why.page(request, form, target, None)
    await store(request, [row])
    if why:
        return feedback_why.page(request, form, target, key)
    return RedirectResponse(urlunsplit(parts._replace(fragment=fragment)), status_code=303)
