""""No" without JavaScript: the widget's form posts the No alone (its reasons are not a
disclosure to fill before pressing it); the service stores it at once, with a vote key, and
answers with a page in the help centre's look asking what went wrong. That page's form posts the
reason and comment with the same vote key: the store keeps the latest vote per key, so the No
and its reason count as one vote, and a customer who leaves the page without answering still
counts their No. Under Do-Not-Track / Global Privacy Control there is no vote key: the No is
stored once, from the reasons page (Send, or Skip)."""

from __future__ import annotations

import hashlib
import html

from starlette.requests import Request
from starlette.responses import HTMLResponse

from carebase.widget.markup import COMMENT_MAX, reason_labels

STEP = "why"  # the reasons page's form: ``step=why``
# same-origin: its form's post names this service as its Origin (under no-referrer a browser sends
# "Origin: null", which check_origin refuses); nothing is sent to other sites
HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def asks_why(form: dict) -> bool:
    """A "No" from the widget's form without a reason or comment yet: the reasons page follows."""
    return ((form.get("scale") or "helpful") == "helpful" and (form.get("value") or "").strip() == "0"
            and not form.get("reason") and not form.get("comment") and form.get("step") != STEP
            and bool((form.get("ask") or "").split()))


def vote_key(event_id: str) -> str:
    """The vote key the No and its reason share (derived: a double submit gets the same)."""
    return "nojs-" + hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:32]


def _field(name: str, value: str | None) -> str:
    return f'<input type="hidden" name="{name}" value="{html.escape(value or "", quote=True)}">'


def page(request: Request, form: dict, target: str, key: str | None) -> HTMLResponse:
    """The reasons page: what went wrong (the site's reasons), a comment when the site takes
    them, Send, and Skip (back to the page: the No is kept). ``target``: the page voted on (its
    ``return_to``, or the Referer the widget's post came with), which this page's form names. The form posts to this page's own
    address (no ``action``): the service's /feedback, wherever the service is mounted."""
    from carebase.service.contact_page import answer_page
    from carebase.service.search_page import _strings, site_language

    state = request.app.state.carebase
    lang = site_language(state, form.get("lang"))
    t = _strings(state, lang)
    ask = set((form.get("ask") or "").split())
    item = form.get("item") or ""
    hidden = "".join(_field(n, form.get(n)) for n in ("item", "revision", "scale", "lang"))
    hidden += _field("return_to", target)
    hidden += _field("value", "0") + _field("step", STEP) + (_field("vote_key", key) if key else "")
    # the same honeypot as the widget's form: a bot that fills it gets the thanks, nothing stored
    hidden += (f'<div class="cb-hp" aria-hidden="true"><label for="cb-why-website">{html.escape(t.t("form.leave_empty"))}</label>'
               '<input type="text" id="cb-why-website" name="website" value="" tabindex="-1" autocomplete="off"></div>')
    parts = []
    reasons = tuple(state.items.reasons) if "reason" in ask else ()
    if reasons:
        options = "".join(
            f'<span class="cb-reason"><input type="radio" id="cb-why-r{i}" name="reason" value="{html.escape(r, quote=True)}">'
            f'<label for="cb-why-r{i}">{html.escape(label)}</label></span>'
            for i, (r, label) in enumerate(zip(reasons, reason_labels(reasons, t))))
        parts.append(f'<fieldset class="cb-feedback__reasons"><legend>{html.escape(t.t("widget.reasons.title"))}</legend>'
                     f'{options}</fieldset>')
    if "comment" in ask:
        parts.append(f'<div class="cb-feedback__comment"><label for="cb-why-comment">{html.escape(t.t("widget.comment"))}</label>'
                     f'<textarea id="cb-why-comment" name="comment" rows="4" maxlength="{COMMENT_MAX}" '
                     f'aria-describedby="cb-why-hint"></textarea>'
                     f'<p class="cb-feedback__hint" id="cb-why-hint">{html.escape(t.t("widget.comment_hint"))}</p></div>')
    lead = t.t("widget.why.lead" if key else "widget.why.lead_unsent")
    inner = (f'<section class="cb-feedback cb-feedback--why" data-cb-item="{html.escape(item, quote=True)}">'
             f'<p class="cb-feedback__lead">{html.escape(lead)}</p>'
             f'<form class="cb-feedback__form" method="post">{hidden}{"".join(parts)}'
             f'<p class="cb-feedback__actions"><button type="submit" class="cb-btn cb-btn--primary">{html.escape(t.t("widget.send"))}</button> '
             f'<button type="submit" class="cb-btn" name="skip" value="1">{html.escape(t.t("widget.why.skip"))}</button></p>'
             f'</form></section>')
    title = t.t("widget.why.title")
    shown = answer_page(request, lang, title, inner)
    if shown is None:
        from carebase.content.languages import direction

        shown = (f'<!doctype html><html lang="{html.escape(lang)}" dir="{direction(lang)}"><head><meta charset="utf-8">'
                 '<meta name="viewport" content="width=device-width, initial-scale=1">'
                 f'<title>{html.escape(title)}</title><style>'
                 "body{font:1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
                 "textarea{width:100%;box-sizing:border-box}.cb-reason{display:block}"
                 ".cb-hp{position:absolute;inset-inline-start:-10000px;width:1px;height:1px;overflow:hidden}"
                 "@media (prefers-color-scheme:dark){body{background:#1e2129;color:#e8e8ee}}"
                 f'</style></head><body><main><h1>{html.escape(title)}</h1>{inner}</main></body></html>')
    return HTMLResponse(shown, status_code=200, headers=HEADERS)
