"""``GET /contact/`` and ``GET /{lang}/contact/``: the contact form without JavaScript, with the
context a support agent needs.

The Contact links of the service's own search page without JavaScript come here (the build
points them here: ``carebase.pages.search_template``), naming the page (``?from=/search/``) and
the journey ``search_page.py`` adds: ``&j=…``. Every other "Contact us" link the build writes
opens the site's own, static form (``carebase.pages.blocks.contact_form_link``: it opens with
the service down too); without JavaScript that form's post names its page in the ``Referer``
(``from_the_sites_form``).

The page is the site's contact form (the build's template: ``search_template.contact_template``,
in the site's look, no script) with its context filled in here:

- **the page**: ``from`` is taken only as a path of the help centre (``came_from``: it starts
  with the site's path, never ``//``, a scheme or a host; its query string and fragment
  dropped). It is shown ("About: Refunds", the item's or generated page's title, else the
  path), and posted with the form as ``page`` (and ``item`` when it is an item's page), as
  contact.js posts them. Anything else is refused with a note on the form and never stored;
  the service never redirects to it.
- **the searches**: the journey ``j`` is a random id the search page without JavaScript gives
  a customer's searches and carries in its own links, box and Contact link (no cookie). The
  journey's last ``MAX_SEARCHES`` searches from this client (the salted daily client hash as
  well as the id: a shared link holding ``j`` shows another client none of them) within
  ``WINDOW_MS`` are listed as ticked checkboxes: the customer sees every search that will be
  sent, masked as it will be stored, and can untick any. None under Do-Not-Track / Global
  Privacy Control (the page says so), and the service drops them there too.

The form posts to ``POST /contact`` (``contact.py``) as the site's form without JavaScript does.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import time
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from carebase.pages.search_template import CONTEXT, SITE
from carebase.service.masking import mask_pii
from carebase.service import search_page
from carebase.service.search_page import journey_of
from carebase.store.schema import events

MAX_SEARCHES = 5  # contact.js sends the journey's last 5 searches
WINDOW_MS = 2 * 3600 * 1000  # a search older than this is not the journey that ends in this message
MAX_PATH = 500
HEADERS = search_page.HEADERS  # the same answer headers as the search page without JavaScript
_MARKERS = re.compile("|".join(re.escape(m) for m in (SITE, CONTEXT)))


def came_from(raw: str | None, base: str = "/") -> tuple[str | None, bool]:
    """``(path, refused)``: the page a Contact link was followed from, as a path of the help
    centre (under ``base``, the site's path), without its query string or fragment; ``refused``
    when ``raw`` names anything else (another host, a scheme, ``//host``, a backslash, a
    control character, a path outside the site's)."""
    if raw is None or not raw.strip():
        return None, False
    raw = raw.strip()
    decoded = unquote(raw)
    parts = urlsplit(raw)
    if (len(raw) > MAX_PATH or parts.scheme or parts.netloc or not raw.startswith("/")
            or decoded.startswith("//") or "\\" in decoded or any(ord(c) < 32 or ord(c) == 127 for c in decoded)):
        return None, True
    base = base if base.endswith("/") else base + "/"
    path = parts.path or "/"
    if not (path + "/").startswith(base) and path != base.rstrip("/"):
        return None, True
    return path, False


def page_field(value: str | None, state) -> str | None:
    """The ticket's ``page`` (contact.py): a path of the help centre, or an address on the
    site's origin (one ``--allowed-origin`` names, or this service's ``--site-url``) reduced to
    its path; None when absent, and for a path that is not one of the help centre's (``//billing``,
    a backslash, a control character, longer than ``MAX_PATH``, outside the site's path: a 404's
    address, say), so the message is still sent, without its page. Raises ValueError for another
    site's address (REFERENCE: a ``400`` naming ``page``)."""
    from carebase.service.handlers import origin_allowed

    if value is None or not value.strip():
        return None
    parts = urlsplit(value.strip())
    if parts.scheme:
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        site = urlsplit(getattr(state.config, "site_url", "") or "")
        own = f"{site.scheme}://{site.netloc}".lower() if site.netloc else None
        if parts.scheme.lower() not in ("http", "https") or not (origin == own or origin_allowed(state, origin)):
            raise ValueError(value)
        return (parts.path or "/")[:MAX_PATH]
    path, refused = came_from(value)
    return None if refused or path is None else path[:MAX_PATH]


def from_the_sites_form(request: Request, form: dict) -> str | None:
    """The page a customer without JavaScript came from, when they post the site's own contact
    form (every "Contact us" link opens it: ``carebase.pages.blocks.contact_form_link``): its
    address names it (``contact/?from=/billing/refunds/``) and arrives whole as the ``Referer``
    (the page's referrer policy). When the posted ``page`` is the form's own (``…/contact/``) with
    no item and the ``Referer`` is a contact page of the site's origin (``--site-url``, the
    build's ``site_url`` or one ``--allowed-origin`` names), ``page`` and ``item`` become that page
    and its item (``came_from``'s rules: a path of the help centre, else nothing); returns the
    path, or None (nothing changed)."""
    page = form.get("page")
    if not isinstance(page, str) or not urlsplit(page).path.endswith("/contact/") or form.get("item"):
        return None
    found = sites_form_referer(request)
    if found is None:
        return None
    path, base = found
    form["page"] = path
    form["item"] = _item_of(request.app.state.carebase, path, base)[0]
    return path


def sites_form_referer(request: Request) -> tuple[str, str] | None:
    """``(path, base)`` when the ``Referer`` is a contact page of the site's origin
    (``--site-url``, the build's ``site_url`` or one ``--allowed-origin`` names) whose ``from``
    names a page of the help centre (``came_from``'s rules), with the site's own path; else None."""
    from urllib.parse import parse_qs

    from carebase.service.handlers import origin_listed
    from carebase.service.search_page import _origin, _site_base, templates_of

    state = request.app.state.carebase
    data = templates_of(state).get()
    referer = request.headers.get("referer") or ""
    origin = _origin(referer)
    sites = {_origin(given) for given in (state.config.site_url, data.get("site_url")) if given}
    parts = urlsplit(referer)
    if origin is None or not (origin in sites or origin_listed(state, origin)):
        return None
    if not parts.path.endswith(("/contact/", "/contact/index.html")):
        return None
    base = urlsplit(_site_base(state, data, request)).path or "/"
    path, refused = came_from((parse_qs(parts.query).get("from") or [None])[0], base)
    if path is None or refused:
        return None
    return path, base


def _item_of(state, path: str, base: str) -> tuple[str, str]:
    """The item and title of the help centre's page at ``path`` (a path from the host; ``base``:
    the site's own path), from the manifest's pages; ("", "") for a page that is no item's."""
    return tuple((state.items.manifest.pages or {}).get(_relative(path, base)) or ("", ""))


def _relative(path: str, base: str) -> str:
    """``path`` (from the host) from the site's own path ``base``: the manifest's key of its page."""
    return path[len(base):] if path.startswith(base) else path.lstrip("/")


async def log_contact_from_the_site(request: Request, path: str, lang: str) -> None:
    """The ``contact`` event of a customer without JavaScript who came to the site's form from
    ``path`` (``from_the_sites_form``), as following a Contact link to the service's form logs
    it (``page``): once per client and page in 10 minutes; none under Do-Not-Track / GPC."""
    from carebase.service import handlers
    from carebase.service.search_page import _site_base, templates_of

    if handlers.opted_out(request):
        return
    state = request.app.state.carebase
    known = tuple(getattr(state.items, "languages", ()) or ())
    lang = lang if lang in known else (known[0] if known else "en")
    base = urlsplit(_site_base(state, templates_of(state).get(), request)).path or "/"
    await _log_contact(request, path, base, [], None, lang)


#: a transparent 1×1 GIF: the answer of ``seen``
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


async def seen(request: Request) -> Response:
    """``GET /contact/seen.gif``: the site's own contact form opened without JavaScript.

    The form page is static, so a customer without JavaScript who follows "Contact us" from an
    article was counted only if they sent a message (``log_contact_from_the_site``), where
    events.js counts the Contact link followed: the report's contacts per item and per day said
    fewer for them. The page asks for this image inside ``<noscript>`` (never fetched with
    JavaScript on: events.js has sent the contact then), with the page's address, and so its
    ``from``, as the ``Referer`` (the page's referrer policy). Logged as the form's post logs it
    (the same event id: the message sent after it is not a second contact), by the same rules:
    the site's origin, a page of the help centre, none under Do-Not-Track / GPC, none past the
    events' rate limit. The image is the same whatever happened, and is never cached."""
    found = sites_form_referer(request)
    if found is not None:
        await log_contact_from_the_site(request, found[0], request.query_params.get("lang") or "")
    return Response(PIXEL, media_type="image/gif", headers={"Cache-Control": "no-store"})


def recent_searches(engine, journey: str, client: str, now_ms: int | None = None) -> list[str]:
    """The journey's last ``MAX_SEARCHES`` distinct searches from ``client`` within
    ``WINDOW_MS``, oldest first, masked as the ticket stores them."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    query = (select(events.c.query).where(events.c.journey == journey, events.c.type == "search",
                                          events.c.client == client, events.c.received_ms >= now_ms - WINDOW_MS)
             .order_by(events.c.received_ms.desc()).limit(50))
    with engine.connect() as connection:
        rows = [row[0] for row in connection.execute(query)]
    found: list[str] = []
    for text in rows:
        text = mask_pii((text or "").strip())
        if text and text.casefold() not in {f.casefold() for f in found}:
            found.append(text)
        if len(found) == MAX_SEARCHES:
            break
    return found[::-1]


def routes() -> list[Route]:
    return [Route("/contact/", page, methods=["GET"]), Route("/{lang}/contact/", page, methods=["GET"]),
            Route("/contact/open", opened, methods=["GET"]), Route("/contact/seen.gif", seen, methods=["GET"])]


def open_event_id(draft: str, item: str) -> str:
    """The click event of a "Before you send" suggestion opened (contact.py): one per message
    draft and item, however often it is opened."""
    return "contact-open-" + hashlib.sha256(f"{draft}\x1f{item}".encode("utf-8", "replace")).hexdigest()[:40]


async def opened(request: Request):
    """A suggestion of "Before you send" opened without JavaScript: logged as contact.js logs it
    (a ``click`` with ``source`` ``contact-form``; none under Do-Not-Track / GPC, nor when the
    request is not a navigation from the service's own page, nor past the events' rate limit), so
    the ticket can say which was opened; then the item's page on the site (its URL from the
    manifest: never from the request)."""
    from carebase.service import handlers
    from carebase.service.errors import ApiError
    from carebase.service.search_page import _site_base, templates_of

    state = request.app.state.carebase
    qp = request.query_params
    draft = journey_of(qp.get("d"))
    item = state.items.resolve(qp.get("item") or "") if qp.get("item") else None
    url = (state.items.manifest.urls or {}).get(item) if item else None
    if draft is None or url is None:
        return HTMLResponse("<!doctype html><title>Not found</title><p>Not found.</p>", status_code=404, headers=HEADERS)
    rank = qp.get("rank") or ""
    own = urlsplit(request.headers.get("referer") or "").netloc == request.url.netloc
    dest = (request.headers.get("sec-fetch-dest") or "document").strip().lower()
    try:  # the events' rate limit (the Referer can be made up): past it nothing is logged, the page still opens
        handlers.enforce_rate_limit(request)
        limited = False
    except ApiError:
        limited = True
    if not limited and not handlers.opted_out(request) and own and dest == "document":
        event = {"id": open_event_id(draft, item), "type": "click", "item": item, "source": "contact-form",
                 "rank": int(rank) if rank.isdigit() and 1 <= int(rank) <= 3 else 1}
        journey = journey_of(qp.get("j"))
        if journey:
            event["journey"] = journey
        await handlers.store_own(request, event, "the contact form could not log a suggestion opened")
    site = _site_base(state, templates_of(state).get(), request)
    return RedirectResponse(site + url.lstrip("/"), status_code=303, headers=HEADERS)


async def page(request: Request) -> HTMLResponse:
    """The contact form with the page the customer came from and their journey's searches."""
    from carebase.service import handlers
    from carebase.service.search_page import _from_the_site, _site_base, _strings, templates_of

    state = request.app.state.carebase
    known = tuple(getattr(state.items, "languages", ()) or ())
    lang = request.path_params.get("lang")
    if lang is not None and lang not in known[1:]:
        return HTMLResponse("<!doctype html><title>Not found</title><p>Not found.</p>", status_code=404, headers=HEADERS)
    default = known[0] if known else "en"
    lang = lang or default
    data = templates_of(state).get()
    shown = (data.get("contact") or {}).get(lang) or {}
    site = _site_base(state, data, request)
    base = urlsplit(site).path or "/"
    t = _strings(state, lang)
    path, refused = came_from(request.query_params.get("from"), base)
    opted_out = handlers.opted_out(request)
    journey = None if opted_out else journey_of(request.query_params.get("j"))
    searches = []
    if journey is not None:
        searches = await run_in_threadpool(recent_searches, state.engine, journey, handlers.stored_client(request))
    form_url = shown.get("url") or ("contact/" if lang == default else f"{lang}/contact/")
    if path is not None and not opted_out and _from_the_site(state, data, request):
        await _log_contact(request, path, base, searches, journey, lang)
    context = context_html(t, state, data, site, base, path or base + form_url, refused=refused,
                           searches=searches, journey=journey if searches else None, opted_out=opted_out,
                           came=path is not None)
    template = shown.get("html") or _plain(t, lang, "../contact" if lang == default else "../../contact")
    values = {SITE: html.escape(site), CONTEXT: context}
    body = _MARKERS.sub(lambda m: values[m.group(0)], template)
    return HTMLResponse(body, headers=HEADERS)


async def _log_contact(request: Request, path: str, base: str, searches: list[str], journey: str | None,
                       lang: str) -> None:
    """The ``contact`` event events.js sends when a Contact link is followed (channel ``form``,
    the page's item, else the journey's last search; neither: none, as events.js), once per
    client, page and journey in a 10-minute bucket (a reload is not another contact), and none past
    the events' rate limit. Feeds the report's "contact support" evidence for customers without
    JavaScript too."""
    from carebase.service import handlers
    from carebase.service.errors import ApiError

    state = request.app.state.carebase
    item = _item_of(state, path, base)[0]
    if not item and not searches:
        return
    try:  # the events' rate limit (the Referer can be made up): past it nothing is logged, the form still opens
        handlers.enforce_rate_limit(request)
    except ApiError:
        return
    event = {"id": await handlers.derived_event_id(request, "contact-", ["contact", path, journey or ""]),
             "type": "contact", "channel": "form", "page": path, "lang": lang,
             **({"item": item} if item else {"query": searches[-1]}), **({"journey": journey} if journey else {})}
    await handlers.store_own(request, event, "the contact form without JavaScript could not log its contact")


def context_html(t, state, data: dict, site: str, base: str, path: str, *, refused: bool, searches: list[str],
                 journey: str | None, opted_out: bool, came: bool) -> str:
    """The form's context: the hidden fields it posts (page, item, journey), "About: …" and the
    searches to send, each a ticked checkbox."""
    relative = _relative(path, base)
    item, title = _item_of(state, path, base)
    title = title or (data.get("titles") or {}).get(relative) or ""
    if not title and relative.rsplit("/", 1)[-1] == "404.html":
        title = t.t("not_found.heading")
    parts = [f'<input type="hidden" name="page" value="{html.escape(path)}">',
             f'<input type="hidden" name="item" value="{html.escape(item)}">']
    if journey:
        parts.append(f'<input type="hidden" name="journey" value="{html.escape(journey)}">')
    if refused:
        parts.append(f'<p class="cb-contact-about cb-contact-about--refused">{html.escape(t.t("contact.about.refused"))}</p>')
    elif came:
        before, _, after = t.t("contact.about").partition("{page}")
        shown = html.escape(title or path)  # a link to the page when the site's address is known
        link = f'<a href="{html.escape(site.rstrip("/") + "/" + relative)}">{shown}</a>' if site != "/" else shown
        parts.append(f'<p class="cb-contact-about">{html.escape(before)}{link}{html.escape(after)}</p>')
    if opted_out:
        parts.append(f'<p class="cb-contact-searches cb-contact-searches--off">{html.escape(t.t("contact.searches.off"))}</p>')
    elif searches:
        boxes = "".join(
            f'<li><label class="cb-contact-searches__choice"><input type="checkbox" name="searches" '
            f'value="{html.escape(q)}" checked> <bdi>{html.escape(q)}</bdi></label></li>' for q in searches)
        parts.append(
            '<fieldset class="cb-contact-searches" aria-describedby="cb-contact-searches-hint">'
            f'<legend class="cb-field__label">{html.escape(t.t("contact.searches"))}</legend>'
            f'<ul class="cb-contact-searches__list">{boxes}</ul>'
            f'<p class="cb-field__hint" id="cb-contact-searches-hint">{html.escape(t.t("contact.searches.hint"))}</p>'
            "</fieldset>")
    return f'<div class="cb-contact-context">{"".join(parts)}</div>'


_FORM_PART = re.compile(r"<h1\b[^>]*>.*?</h1>.*?<form\b[^>]*\bdata-cb-contact-form\b.*?</form>", re.S)
_TITLE = re.compile(r"<title>[^<]*</title>")


def answer_page(request: Request, lang: str, title: str, inner: str) -> str | None:
    """The contact form's answer without JavaScript ("Before you send", "Message sent", what to
    fix: ``contact.py``) in the help centre's look: the contact form's page of ``lang`` (the
    build's template, as ``page`` serves the form) with its heading, lead and form replaced by
    ``title`` and ``inner`` (HTML, escaped by the caller), so it keeps the site's header, search
    box, breadcrumbs and footer, light or dark as the system is. None when the build left no
    such template (the caller then answers with a plain page)."""
    from carebase.service.search_page import _site_base, templates_of

    state = request.app.state.carebase
    data = templates_of(state).get()
    form = (data.get("contact") or {}).get(lang) or {}
    template = form.get("html")
    if not template or not _FORM_PART.search(template):
        return None
    site = _site_base(state, data, request)
    # the template's markers first, then what is put in (never read again: a customer's text
    # that holds a marker stays as typed)
    page = _MARKERS.sub(lambda m: {SITE: html.escape(site), CONTEXT: ""}[m.group(0)], template)
    # "<title> - <site name>" as the site's pages are titled: the build's site name of this
    # language (a name holding " - ", "Acme - Help", was cut to "Help" until session 37); a
    # template written before it says the name: the form's own title's last part
    suffix = str(form.get("site_name") or "")
    if not suffix and (name := _TITLE.search(page)):
        suffix = html.unescape(name.group(0)[len("<title>"):-len("</title>")]).rpartition(" - ")[2]
    page = _TITLE.sub(lambda m: f"<title>{html.escape(title)}{' - ' + html.escape(suffix) if suffix else ''}</title>",
                      page, count=1)
    found = _FORM_PART.search(page)
    return page[:found.start()] + f"<h1>{html.escape(title)}</h1>" + inner + page[found.end():]


def _plain(t, lang: str, action: str) -> str:
    """The form when the build left no template (no build output, or a theme without the
    contact form's context): unstyled but for the system's colours."""
    from carebase.content.languages import direction

    field = '<p><label for="cb-contact-{0}">{1}</label><br>{2}</p>'
    return (f'<!doctype html><html lang="{html.escape(lang)}" dir="{direction(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{html.escape(t.t("contact.title"))}</title><style>'
            "body{font:1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
            "input[type=text],input[type=email],textarea{width:100%;box-sizing:border-box}a{color:#303f9f}"
            "@media (prefers-color-scheme:dark){body{background:#1e2129;color:#e8e8ee}a{color:#9fb0ff}}"
            f'</style></head><body><main><h1>{html.escape(t.t("contact.title"))}</h1>'
            f'<form method="post" action="{action}" class="cb-contact-form">'
            + field.format("name", html.escape(t.t("contact.name")),
                           '<input id="cb-contact-name" name="name" type="text" maxlength="100" required>')
            + field.format("email", html.escape(t.t("contact.email")),
                           '<input id="cb-contact-email" name="email" type="email" maxlength="254" required>')
            + field.format("message", html.escape(t.t("contact.message")),
                           '<textarea id="cb-contact-message" name="message" rows="7" maxlength="5000" required></textarea>')
            + f'<input type="hidden" name="lang" value="{html.escape(lang)}">{CONTEXT}'
            f'<p><button type="submit">{html.escape(t.t("contact.send"))}</button></p></form></main></body></html>')
