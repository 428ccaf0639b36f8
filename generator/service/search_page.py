"""``GET /search/`` and ``GET /{lang}/search/``: the help centre's search page without JavaScript.

The site's search boxes go here when the browser runs no script (their forms' ``action``; the
site's search.js sends them to the site's own search page instead: ``carebase.pages.
search_template``). The page is the site's search page (the build's template, in the site's
look: its style sheets and links point at the site) with the results drawn here, as search.js
draws them: the same search as the API (``answer_json``: ranking, strong and weaker matches,
counts), "Did you mean" as a link, the kind filters as links (``&kind=video``), the weaker
matches behind "Show weaker matches" (``<details>``, no script). The customer's text is
escaped wherever it shows. No script runs on the page (Content-Security-Policy), nothing is
remembered about the customer: the search is logged as search.js logs it — one ``search``
event with the strong matches of every kind and where it was typed (``from``), none under
Do-Not-Track / Global Privacy Control — in a journey, once: a search from the site's box is
first redirected to its own address with a new journey id (``&j=…``, random, no cookie), which
the page's links, boxes and Contact link carry on, so the contact form can list the journey's
searches (``contact_page``); the event's id is derived from the client's salted daily hash, the
journey, the language and the query in 10-minute buckets, so a reload, a filter or Back is not
another search; nor is "Show more results", a plain link to the same page showing 20 more
(``&shown=40#cb-r21``: the first 40 rows, scrolled to the first new one; never logged). Only a
top-level navigation from the site (or this page) is logged
(``_from_the_site``): another site's image or frame, a crawler, a typed address get the
results and log nothing. Result clicks are not logged (no redirect through the service): the
journey id starts with ``NO_CLICKS``, so the gap report never counts a search of it as "results
shown, nothing clicked" (``report.journeys``).
A shared ``search/?q=…`` link of the site opened without JavaScript arrives here without its
question, which is in the ``Referer`` (``_shared_link``): it is answered with a redirect to its
results. The page is light or dark as the customer's system is (the template's palette:
``carebase.pages.scheme_css``).
"""

from __future__ import annotations

import html
import json
import logging
import re
import secrets
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Route

from carebase.pages.search_template import FILE, FORMAT, QUERY, RESULTS, SITE
from carebase.report.journeys import NO_CLICKS  # the journeys whose result clicks are not logged
from carebase.search.query import KINDS, MAX_DEPTH
from carebase.service.errors import ApiError
from carebase.store.cleaning import clean_text

log = logging.getLogger("carebase.service")

JOURNEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
PAGE_LIMIT = 20  # search.js PAGE_LIMIT: the search page's results
PATH_SEPARATOR = " › "  # search.js PATH_SEPARATOR: between the parts of a result's path, on one line
#: search.js CHAPTERS: a video's row shows its CHAPTERS best-ranked chapters, the others behind
#: "N more chapters" (a ``<details>``)
CHAPTERS = 3
MAX_QUERY = 200
SOURCES = ("header", "home", "not-found", "search-page")
HEADERS = {
    "Cache-Control": "no-store",
    # no script on this page, whatever the template holds; it may not be framed
    "Content-Security-Policy": "script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    # a result opened from here does not tell the site the query (only this page's origin, which
    # is also what its own box, filters and "Did you mean" send here: _from_the_site)
    "Referrer-Policy": "strict-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex",
}


def new_journey() -> str:
    """A journey id for the searches of a browser without JavaScript: ``NO_CLICKS`` and 22 random
    characters. Its result clicks are not logged, so the gap report does not count its searches
    that showed results as "not clicked" (``report.journeys``); its "contact support" counts."""
    return NO_CLICKS + secrets.token_urlsafe(16)


def journey_of(raw: str | None) -> str | None:
    """``j`` when it is a journey id (``JOURNEY``), else None."""
    return raw if raw and JOURNEY.fullmatch(raw) else None


def refusal(data: dict, path) -> str | None:
    """Why the service cannot use the ``search-page.json`` ``data`` read from ``path`` (another
    format than this carebase writes: ``search_template.FORMAT``), ending with what to do; None
    when it can."""
    from carebase import __version__
    from carebase.output.formats import WHAT_TO_DO

    found = data.get("format", 1)
    if found == FORMAT:
        return None
    by = data.get("carebase")
    by = f"carebase {by}" if isinstance(by, str) and by else "an older carebase"
    newer = isinstance(found, int) and found > FORMAT
    return (f"{path}: written by {by} in format {found!r}, and this carebase ({__version__}) reads format {FORMAT}: "
            f"the search page and the contact form without JavaScript are served plain until then: {WHAT_TO_DO}"
            + (" (or upgrade carebase)" if newer else ""))


class Templates:
    """The build output's ``search-page.json``, read again when it changes; one in another
    format (``refusal``) is not used, and said once in the log, until it changes."""

    def __init__(self, folder: str | None):
        self.path = Path(folder) / FILE if folder else None
        self.seen: tuple | None = None
        self.data: dict = {}
        self.refused: str | None = None  # why the file as it is now is not used

    def get(self) -> dict:
        if self.path is None:
            return {}
        try:
            stat = self.path.stat()
        except OSError:
            return {}
        key = (stat.st_mtime_ns, stat.st_size)
        if key != self.seen:
            try:
                self.data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self.data = {}
            if not isinstance(self.data, dict):
                self.data = {}
            self.refused = refusal(self.data, self.path) if self.data else None
            if self.refused:
                log.warning("%s", self.refused)
                self.data = {}
            self.seen = key
        return self.data


def templates_of(state) -> Templates:
    """The service's one ``Templates`` (the search page's and the contact form's), made once."""
    templates = getattr(state, "search_templates", None)
    if templates is None:
        templates = state.search_templates = Templates(state.config.site_data)
    return templates


def routes(answer_json: Callable, languages: Callable[[], tuple] | None) -> list[Route]:
    """The search page's routes; ``answer_json(q, kind, limit, lang)``: the search API's answer."""

    async def page(request: Request) -> HTMLResponse:
        from carebase.service import handlers

        state = request.app.state.carebase
        known = tuple(languages()) if languages is not None else ()
        lang = request.path_params.get("lang")
        if lang is not None and lang not in known[1:]:
            return HTMLResponse("<!doctype html><title>Not found</title><p>Not found.</p>", status_code=404,
                                headers=HEADERS)
        default = known[0] if known else "en"
        lang = lang or default
        qp = request.query_params
        q = (clean_text(qp.get("q") or "") or "").strip()[:MAX_QUERY].strip()
        kind = qp.get("kind") if qp.get("kind") in KINDS else None
        source = qp.get("from") if qp.get("from") in SOURCES else "search-page"
        more = _shown(qp.get("shown"))  # "Show more results": the first ``more`` rows, not another search
        # the journey of this browser's searches (no cookie: this page's links and box carry it),
        # which its Contact link passes to the contact form (contact_page); none under DNT / GPC
        opted_out = handlers.opted_out(request)
        journey = None if opted_out else journey_of(qp.get("j"))
        t = _strings(state, lang)
        data = templates_of(state).get()
        shown = (data.get("pages") or {}).get(lang) or {}
        site = _site_base(state, data, request)
        page_url = shown.get("url") or ("search/" if lang == default else f"{lang}/search/")
        if not q:
            shared = _shared_link(state, data, request, urljoin(site, page_url))
            if shared:  # a shared link opened without JavaScript: its results, at their own address
                return RedirectResponse(request.url.path + _href(*shared), status_code=303, headers=HEADERS)
            return _respond(shown, site, "", "", t, lang, status=200, journey=journey)
        logged = not more and not opted_out and _from_the_site(state, data, request)
        if logged and journey is None:  # a search from the site's box: its journey's id in the address
            target = request.url.include_query_params(j=new_journey())  # (a reload, Back: the same journey)
            return RedirectResponse(target.path + "?" + target.query, status_code=303, headers=HEADERS)
        try:  # the search API's limit (one search: the redirects above search nothing), as a page a customer can read
            handlers.enforce_rate_limit(request, limiter=state.search_limiter)
        except ApiError as exc:
            body = f'<p class="cb-results__status">{html.escape(t.t("search.too_many"))}</p>'
            return _respond(shown, site, q, _holder(body), t, lang, status=429, headers=exc.headers, journey=journey)
        found = await run_in_threadpool(answer_json, q, kind, more or PAGE_LIMIT, None if lang == default else lang)
        if found is None:
            body = f'<p class="cb-results__status">{html.escape(t.t("search.unavailable.page"))}</p>'
            return _respond(shown, site, q, _holder(body), t, lang, status=503, journey=journey)
        if logged:
            await _log(request, found, q, kind, source, lang, urlsplit(site).path.rstrip("/") + "/" + page_url, journey)
        return _respond(shown, site, q, results_html(found, q, kind, source, site, t, journey), t, lang, status=200,
                        journey=journey)

    found = [Route("/search/", page, methods=["GET"]), Route("/{lang}/search/", page, methods=["GET"])]
    for route in found:
        route.carebase_own_limit = True  # app._search_routes: not wrapped in the JSON 429
        route.carebase_answer_json = answer_json  # app: the contact form's suggestions without JavaScript
    return found


def site_language(state, lang: str | None) -> str:
    """The language a service page is shown in when a form names ``lang`` (a customer can send
    any text there): one of the site's languages (a multilingual build), else one the site
    publishes strings of or carebase ships strings of (a regional code's base language:
    ``de-AT`` → ``de``), else the site's default (its first language, or English). Never any
    other text: each language shown keeps its strings in memory, and names a file."""
    from carebase.strings import shipped

    languages = tuple(getattr(state.items, "languages", ()) or ())
    if languages:
        return lang if lang in languages else languages[0]
    known = shipped() | set(state.items.manifest.strings or {})
    for code in (lang, (lang or "").split("-")[0]):
        if code and code in known:
            return code
    return "en"


def _strings(state, lang: str):
    """carebase's strings of ``lang`` with the site's own over them (the manifest's), as the
    contact form's answer page has them."""
    from carebase.strings import load_strings

    published = state.items.manifest.strings or {}
    return load_strings(None, lang)[0].with_published(published.get(lang))


def _site_base(state, data: dict, request: Request) -> str:
    """The site's address, ending in "/": the service's ``--site-url``, else the build's
    ``site_url``, else the origin of the page the customer came from when ``--allowed-origin``
    names it (its root; ``*`` names none: any site could lend the page its style sheets and
    links), else "/" (this host)."""
    from carebase.service.handlers import origin_listed

    for given in (state.config.site_url, data.get("site_url")):
        if given:
            return given.rstrip("/") + "/"
    referer = _origin(request.headers.get("referer"))
    if referer and origin_listed(state, referer):
        return referer + "/"
    return "/"


def _origin(url: str | None) -> str | None:
    """``scheme://host[:port]`` of an http(s) address, lower-case; None for anything else."""
    parts = urlsplit(url or "")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _from_the_site(state, data: dict, request: Request) -> bool:
    """The search is a customer's: a top-level navigation (``Sec-Fetch-Dest: document`` when the
    browser sends it: not an image, frame or fetch another site embeds) from a page of the site
    (the ``Referer``'s origin is ``--site-url``'s or the build's ``site_url``'s, or one
    ``--allowed-origin`` names: ``*`` names none) or of this page itself (its own box, filters
    and "Did you mean": this host). Anything else (another site's ``<img src=…/search/?q=…>``, a
    crawler following a link, an address typed or opened from a bookmark) is shown its results
    but logs nothing, so it cannot make up a need with many "distinct customers"."""
    from carebase.service.handlers import origin_listed

    dest = request.headers.get("sec-fetch-dest")
    if dest is not None and dest.strip().lower() != "document":
        return False
    referer = _origin(request.headers.get("referer"))
    if referer is None:
        return False
    if urlsplit(referer).netloc == request.url.netloc.lower():
        return True
    sites = {_origin(given) for given in (state.config.site_url, data.get("site_url")) if given}
    return referer in sites or origin_listed(state, referer)


def _shown(raw: str | None) -> int:
    """``&shown=``: how many rows the page shows (a whole number past ``PAGE_LIMIT``, at most
    ``MAX_DEPTH``); 0 for the first page (absent, or not such a number)."""
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        return 0
    value = min(int(raw), MAX_DEPTH)
    return value if value > PAGE_LIMIT else 0


def _shared_link(state, data: dict, request: Request, site_page: str) -> tuple[str, str | None, str, int] | None:
    """The search of the site's own search page that sent the customer here without a question:
    the site's page opened without JavaScript (a shared ``search/?q=…`` link) links to this
    page (a ``<noscript>`` link, pages.home.search_page, whose own ``referrerpolicy`` sends its
    whole address as the ``Referer``). ``(q, kind, from, shown)`` when that address is the site's search
    page of this language (``site_page``; the site's origin or one ``--allowed-origin`` names)
    with a question; None otherwise, and for a link from anywhere else."""
    from carebase.service.handlers import origin_listed

    referer = request.headers.get("referer") or ""
    origin = _origin(referer)
    if origin is None:
        return None
    sites = {_origin(given) for given in (state.config.site_url, data.get("site_url")) if given}
    if not (origin in sites or origin_listed(state, origin)):
        return None
    parts = urlsplit(referer)
    path = urlsplit(site_page).path
    if parts.path not in (path, path + "index.html"):
        return None
    asked = parse_qs(parts.query)
    q = (clean_text((asked.get("q") or [""])[0]) or "").strip()[:MAX_QUERY].strip()
    if not q:
        return None
    kind = (asked.get("kind") or [""])[0]
    source = (asked.get("from") or [""])[0]
    shown = _shown((asked.get("shown") or [""])[0])  # the rows "Show more results" had reached
    return q, kind if kind in KINDS else None, source if source in SOURCES else "search-page", shown


async def _log(request: Request, found: dict, q: str, kind: str | None, source: str, lang: str, page: str,
               journey: str) -> None:
    """The search event search.js would send (events.js): its count is the strong results of
    every kind whatever the filter (as the page counts them: items); stored once per client, language and query in a
    10-minute bucket. A store that fails does not keep the customer from the results."""
    from carebase.service import handlers

    counts = found.get("item_counts") or found.get("strong_counts") or found.get("counts") or {}
    results = sum(counts.get(k, 0) for k in KINDS) if kind else found.get("items", found.get("strong", found.get("total", 0)))
    event_id = await handlers.derived_event_id(request, "search-", ["search", lang, q.casefold(), journey])
    event = {"id": event_id, "type": "search", "query": q, "results": int(results), "source": source,
             "page": page, "lang": lang, "journey": journey}
    await handlers.store_own(request, event, "the search page without JavaScript could not log its search")


def _query_in(text: str, q: str) -> str:
    """``text`` escaped, with its ``{query}`` as an isolated ``<bdi>`` (search.js withQuery)."""
    before, found, after = text.partition("{query}")
    return html.escape(before) + (f"<bdi>{html.escape(q)}</bdi>" + html.escape(after) if found else "")


def _href(q: str, kind: str | None, source: str, shown: int = 0, journey: str | None = None) -> str:
    params = {"q": q, **({"kind": kind} if kind else {}), "from": source, **({"shown": shown} if shown else {}),
              **({"j": journey} if journey else {})}
    return "?" + urlencode(params)


def _holder(inner: str) -> str:
    return f'<div class="cb-search-results cb-search-results--nojs" data-cb-search-results>{inner}</div>'


def results_html(found: dict, q: str, kind: str | None, source: str, site: str, t, journey: str | None = None) -> str:
    """The results as search.js draws them on the search page (ResultsPage.render), with links
    where it has buttons: the filters and "Did you mean"; the weaker matches in a ``<details>``."""
    # what the page says counts items (a video with its matching chapters is one result: the one
    # row it is listed in); what it pages through ("Show more", the weaker matches) counts records
    counts = found.get("item_counts") or found.get("strong_counts") or found.get("counts") or {}
    every = sum(counts.get(k, 0) for k in KINDS)
    total = found.get("strong", found.get("total", 0))
    said = found.get("items", total)
    everything = found.get("total", 0)
    hits = found.get("hits") or []
    strong_hits, weak_hits = [], []
    for rank, hit in enumerate(hits, start=1):
        url = urljoin(site, str(hit.get("url") or ""))
        if urlsplit(url).scheme not in ("http", "https", ""):
            continue
        (weak_hits if hit.get("strong") is False else strong_hits).append((rank, hit, url))
    strong = [_row(row, site, t) for row in grouped(strong_hits)]
    weak = [_row(row, site, t) for row in grouped(weak_hits)]
    key = kind or "all"
    # the page's one count: the strong matches the customer can reach (search.js reachable)
    if total:
        status = _query_in(t.n(f"search.count.{key}", min(said, MAX_DEPTH)), q)
    else:
        lead = t.t(f"search.weak.{key}") if weak else t.t(f"search.none.{key}")
        status = _query_in(lead + ("" if found.get("suggestion") else t.t("search.try_other")), q)
    parts = [f'<p class="cb-results__status" id="cb-results-status">{status}</p>']
    suggestion = found.get("suggestion")
    if suggestion:
        before, _, after = t.t("search.did_you_mean").partition("{suggestion}")
        link = (f'<a class="cb-results__suggestion" rel="nofollow" href="{html.escape(_href(suggestion, None, "search-page", journey=journey))}">'
                f'{html.escape(suggestion)}</a>')
        parts.append(f'<p class="cb-results__suggest">{html.escape(before)}{link}{html.escape(after)}</p>')
    if every:
        filters = []
        for value, label in (("", "search.filter.all"), ("article", "search.filter.article"),
                             ("faq", "search.filter.faq"), ("video", "search.filter.video")):
            count = min(counts.get(value, 0) if value else every, MAX_DEPTH)
            inner = f'<span>{html.escape(t.t(label))}</span><span class="cb-results__count"> {count}</span>'
            if (value or None) == kind:
                filters.append(f'<a class="cb-results__filter" aria-current="page" rel="nofollow" href="{html.escape(_href(q, value, source, journey=journey))}">{inner}</a>')
            elif value and not count:
                filters.append(f'<span class="cb-results__filter cb-results__filter--none">{inner}</span>')
            else:
                filters.append(f'<a class="cb-results__filter" rel="nofollow" href="{html.escape(_href(q, value, source, journey=journey))}">{inner}</a>')
        parts.append(f'<nav class="cb-results__filters" aria-label="{html.escape(t.t("search.filter.label"))}">'
                     f'{"".join(filters)}</nav>')
    # "Show more results": a link to this page showing PAGE_LIMIT more rows, scrolled to the
    # first new one (search.js's button, placeMore), under the strong list while strong rows are
    # left or no weaker row is shown yet (a page that ends exactly at the last strong row: 20, 40,
    # 60 strong), else under the weaker ones; none at the end of the list or at MAX_DEPTH
    listed = len(hits)
    nxt = ""
    under_strong = listed < total or not weak
    if 0 < listed < min(everything, MAX_DEPTH):
        label = t.t("search.more") if under_strong else t.t("search.more.weaker")
        href = _href(q, kind, source, min(listed + PAGE_LIMIT, MAX_DEPTH), journey) + f"#cb-r{listed + 1}"
        nxt = (f'<p class="cb-results__next"><a class="cb-results__more-link md-button" rel="nofollow" '
               f'href="{html.escape(href)}">{html.escape(label)}</a></p>')
    strong_next = nxt if under_strong else ""
    weak_next = nxt if not strong_next else ""
    if strong:
        parts.append(f'<ol class="cb-results__list" id="cb-results" aria-labelledby="cb-results-status">{"".join(strong)}</ol>')
    parts.append(strong_next)
    # strong rows left to show: the line under them says so in the heading's count (the weaker
    # matches have their own, on their button), as search.js says it (partialText)
    shown, reach = _items_in(found, strong_hits), min(said, MAX_DEPTH)
    if 0 < shown < reach:
        text = t.t("search.partial_words" if kind else "search.partial", shown=shown, total=reach)
        parts.append(f'<p class="cb-results__more">{html.escape(text)}</p>')
    if weak:
        # a page that "Show more" reached weaker rows on shows them open; the count is every weaker
        # match the list reaches (its first MAX_DEPTH rows), as search.js says it, not only those
        # this page lists ("Show more weaker matches" lists the rest)
        opened = " open" if listed > PAGE_LIMIT else ""
        weaker = max(_items_in(found, weak_hits),
                     found["weak_items"] if isinstance(found.get("weak_items"), int) else min(everything, MAX_DEPTH) - total)
        parts.append(
            f'<details class="cb-results__weaker-more"{opened}><summary class="cb-results__weaker md-button">'
            f'<span class="cb-results__when-closed">{html.escape(t.n("search.weaker.show", weaker))}</span>'
            f'<span class="cb-results__when-open">{html.escape(t.t("search.weaker.hide"))}</span></summary>'
            f'<ol class="cb-results__list cb-results__list--weaker" id="cb-results-weaker" '
            f'aria-label="{html.escape(t.t("search.weaker"))}">{"".join(weak)}</ol>{weak_next}</details>')
    return _holder("".join(parts))


def _items_in(found: dict, ranked: list[tuple]) -> int:
    """The results among listed hits ``[(rank, hit, url)]``: their items (a video with its chapters
    once) when the answer counts items (``items``), else each hit."""
    if not isinstance(found.get("items"), int):
        return len(ranked)
    return len({(str(hit.get("kind")), str(hit.get("id"))) for _, hit, _ in ranked})


def step_of(rank: int) -> int:
    """Which "Show more" step listed the hit at this rank: 0 for ranks 1-20, 1 for 21-40, ..."""
    return (rank - 1) // PAGE_LIMIT if rank > 0 else 0


def grouped(ranked: list[tuple]) -> list[dict]:
    """One list's hits ``[(rank, hit, url)]`` (rank order) as its rows: a video's one row per
    step of ``PAGE_LIMIT`` hits (ranks 1-20, 21-40, ...), at its first hit's place in that step,
    holds the video's own hit (``head``, when it is in this list and step) and its chapters'
    (``chapters``, in the video's order: by start), every other hit a row of its own.
    By steps so that "Show more results" only ever adds rows below those shown: a chapter
    arriving in a later step whose video was listed in an earlier one starts a new row at the
    bottom (titled with its video), never joining the earlier row above what the customer has
    seen. search.js groups the same way (``rowsOf``). The counts the page says count items (a
    video with its matching chapters once: carebase.search.items), "Show more" pages by hits."""
    rows: list[dict] = []
    videos: dict[tuple, dict] = {}
    for rank, hit, url in ranked:
        if hit.get("kind") != "video":
            rows.append({"head": (rank, hit, url), "chapters": []})
            continue
        key = (step_of(rank), str(hit.get("id")))
        row = videos.get(key)
        if row is None:
            row = videos[key] = {"key": key, "head": None, "chapters": []}
            rows.append(row)
        if isinstance(hit.get("chapter"), dict):
            row["chapters"].append((rank, hit, url))
        elif row["head"] is None:
            row["head"] = (rank, hit, url)
    for row in rows:
        row["chapters"].sort(key=lambda c: (c[1]["chapter"].get("start") or 0, c[0]))
    return rows


def clock(seconds) -> str:
    """A chapter's start as a video player shows it: "2:20", "1:02:05"."""
    s = max(0, int(seconds or 0))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def _path(hit: dict, site: str, drop: int = 0) -> str:
    """Where the hit sits, on one line ("Billing and Lumo Plus › Billing questions"), above its
    link: each step a link to its page (``path_urls``: the category's page, the FAQ page, the
    video), as a help centre's breadcrumbs are; a step without a page is text. ``drop``: the
    last steps left out (a video row's chapters: the video is the row's own title). Outside the
    result's link (a link holds no link) and not a landmark (one a result would bury the page's
    own in the landmarks list): the separators are not read out."""
    raw = hit.get("path") if isinstance(hit.get("path"), list) else []
    urls = hit.get("path_urls") if isinstance(hit.get("path_urls"), list) else []
    steps = [(str(p), _step_href(site, urls[i]) if i < len(urls) and isinstance(urls[i], str) and urls[i] else None)
             for i, p in enumerate(raw) if p]
    steps = steps[:len(steps) - drop] if drop else steps
    if not steps:
        return ""
    sep = f'<span class="cb-result__sep" aria-hidden="true">{html.escape(PATH_SEPARATOR)}</span>'
    parts = [f'<a class="cb-result__step" href="{html.escape(url)}">{html.escape(name)}</a>'
             if url else f'<span class="cb-result__step">{html.escape(name)}</span>' for name, url in steps]
    return f'<div class="cb-result__path">{sep.join(parts)}</div>'


def _step_href(site: str, url: str) -> str | None:
    """A path step's page on the site (as a hit's own link: http(s) or relative only)."""
    full = urljoin(site, url)
    return full if urlsplit(full).scheme in ("http", "https", "") else None


def chapter_parts(chapters: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """A video row's chapters ``[(rank, hit, url)]`` (in the video's order) as (shown, behind "N
    more chapters"): its ``CHAPTERS`` best-ranked shown, so the row's first hit, where "Show more
    results" and its ``#cb-rN`` land, is always in view; each part in the video's order
    (search.js chapterParts)."""
    if len(chapters) <= CHAPTERS:
        return chapters, []
    best = {c[0] for c in sorted(chapters, key=lambda c: c[0])[:CHAPTERS]}
    return [c for c in chapters if c[0] in best], [c for c in chapters if c[0] not in best]


def _row(row: dict, site: str, t) -> str:
    """A row of ``grouped``: a hit's link, or a video's (its own link, else its title) with its
    chapters' links under it, each to its time (past ``CHAPTERS``, the others in a ``<details>``:
    "2 more chapters", no script needed)."""
    head, chapters = row["head"], row["chapters"]
    if not chapters:
        return _item(*head, t, site)
    first = chapters[0][1]
    video = first["chapter"].get("video") or {}
    title = str((head[1].get("title") if head else video.get("title")) or first.get("title") or "")
    if head is not None:
        top = _path(head[1], site) + _link(*head, t)
        rank_id = f' id="cb-r{head[0]}"'
    else:
        top = (f'{_path(first, site, drop=1)}'  # the video's: its category
               f'<div class="cb-result__head"><span class="cb-result__kind cb-result__kind--video">'
               f'{html.escape(t.t("search.kind.video"))}</span><span class="cb-result__title">{html.escape(title)}</span>'
               f'</div>')
        rank_id = ""
    shown, rest = chapter_parts(chapters)
    label = html.escape(t.t("search.chapters", title=title))
    items = "".join(_chapter(rank, hit, url, t) for rank, hit, url in shown)
    more = ""
    if rest:
        hidden = "".join(_chapter(rank, hit, url, t) for rank, hit, url in rest)
        more = (f'<li class="cb-result cb-result--more-chapters"><details class="cb-result__more-chapters">'
                f'<summary class="cb-result__more-summary">{html.escape(t.n("search.chapters.more", len(rest)))}</summary>'
                f'<ol class="cb-result__chapters cb-result__chapters--more" aria-label="{label}">{hidden}</ol></details></li>')
    return (f'<li class="cb-result cb-result--video"{rank_id}>{top}<ol class="cb-result__chapters" '
            f'aria-label="{label}">{items}{more}</ol></li>')


def _chapter(rank: int, hit: dict, url: str, t) -> str:
    chapter = hit.get("chapter") or {}
    snippet = _safe_snippet(str(hit.get("snippet") or ""))
    text = _snippet(rank, snippet)
    return (f'<li class="cb-result cb-result--chapter" id="cb-r{rank}"><a class="cb-result__link cb-result__link--chapter" '
            f'href="{html.escape(url)}" data-carebase-item="{html.escape(str(hit.get("id") or ""))}" data-carebase-rank="{rank}"'
            f'{_described(rank, snippet)}>'
            f'<span class="cb-visually-hidden cb-result__kind cb-result__kind--video">{html.escape(t.t("search.kind.video"))}</span> '
            f'<span class="cb-result__time">{clock(chapter.get("start"))}</span> '
            f'<span class="cb-result__title">{html.escape(str(chapter.get("title") or hit.get("title") or ""))}</span>{text}</a></li>')


def _snippet(rank: int, snippet: str) -> str:
    """A result's snippet: seen, left out of the link's name (which is its kind and title: a
    screen reader read ~45 words as each link's name, session 41's audit) and read as its
    description (``_described``: aria-describedby reads hidden text)."""
    return f'<span class="cb-result__text" id="cb-rs{rank}" aria-hidden="true">{snippet}</span>' if snippet else ""


def _described(rank: int, snippet: str) -> str:
    return f' aria-describedby="cb-rs{rank}"' if snippet else ""


def _item(rank: int, hit: dict, url: str, t, site: str) -> str:
    return f'<li class="cb-result" id="cb-r{rank}">{_path(hit, site)}{_link(rank, hit, url, t)}</li>'


def _link(rank: int, hit: dict, url: str, t) -> str:
    kind = str(hit.get("kind") or "")
    label = t.t(f"search.kind.{kind}") if kind in KINDS else kind
    snippet = _safe_snippet(str(hit.get("snippet") or ""))
    text = _snippet(rank, snippet)
    return (f'<a class="cb-result__link" href="{html.escape(url)}" '
            f'data-carebase-item="{html.escape(str(hit.get("id") or ""))}" data-carebase-rank="{rank}"{_described(rank, snippet)}>'
            f'<span class="cb-result__kind cb-result__kind--{html.escape(kind)}">{html.escape(label)}</span>'
            f'<span class="cb-result__title">{html.escape(str(hit.get("title") or ""))}</span>{text}</a>')


_MARK = re.compile(r"(<mark>|</mark>)")
_SEARCH_FORM = re.compile(r'<form\b[^>]*\brole="search"[^>]*>')  # the page's boxes (the header's, the page's)
_CONTACT_LINK = re.compile(r'(<a\b[^>]*?\shref=")([^"]*/contact/\?from=[^"]*)(")')  # contact_form_link, the header's
_MARKERS = re.compile("|".join(re.escape(m) for m in (SITE, QUERY, RESULTS)))


def _safe_snippet(snippet: str) -> str:
    """The API's snippet (escaped text with ``<mark>``, carebase.search.snippets) kept to text
    and ``<mark>``: every other ``<`` is escaped again (search.js safeSnippet keeps the same)."""
    out, depth = [], 0
    for part in _MARK.split(snippet):
        if part == "<mark>":
            out.append(part)
            depth += 1
        elif part == "</mark>":
            if depth:
                out.append(part)
                depth -= 1
        else:
            out.append(part.replace("<", "&lt;").replace(">", "&gt;"))
    return "".join(out) + "</mark>" * depth


def _plain(t, lang: str) -> str:
    """The page when the build left no template (a theme without the search page's place): the
    box and the results, unstyled but for the system's colours."""
    from carebase.content.languages import direction

    return (f'<!doctype html><html lang="{html.escape(lang)}" dir="{direction(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{html.escape(t.t("search.page.title"))}</title><style>'
            "body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
            "a{color:#303f9f}ol{padding-left:1.2rem}li{margin:.6rem 0}.cb-result__link{display:block}"
            ".cb-result__kind{font-size:.75rem;text-transform:uppercase;margin-inline-end:.5rem}"
            ".cb-result__text{display:block;font-size:.9rem}.cb-results__filter{margin-inline-end:.6rem}"
            ".cb-results__when-open,details[open] .cb-results__when-closed{display:none}details[open] .cb-results__when-open{display:inline}"
            "@media (prefers-color-scheme:dark){body{background:#1e2129;color:#e8e8ee}a{color:#9fb0ff}}"
            f'</style></head><body><main><h1>{html.escape(t.t("search.page.title"))}</h1>'
            f'<form role="search" method="get"><label for="cb-q">{html.escape(t.t("search.page.label"))}</label> '
            f'<input id="cb-q" name="q" type="search" value="{QUERY}" required> '
            f'<button type="submit">{html.escape(t.t("search.button"))}</button></form>{RESULTS}</main></body></html>')


def _respond(shown: dict, site: str, q: str, results: str, t, lang: str, *, status: int,
             headers: dict | None = None, journey: str | None = None) -> HTMLResponse:
    page = shown.get("html") or _plain(t, lang)
    if journey:  # the journey goes on: in the page's search boxes and its Contact link
        hidden = f'<input type="hidden" name="j" value="{html.escape(journey)}">'
        page = _SEARCH_FORM.sub(lambda m: m.group(0) + hidden, page)
        page = _CONTACT_LINK.sub(lambda m: m.group(1) + m.group(2) + ("&amp;" if "?" in m.group(2) else "?")
                                 + "j=" + html.escape(journey) + m.group(3), page)
    # one pass over the template: what is put in (the query, the results) is never read again
    values = {SITE: html.escape(site), QUERY: html.escape(q), RESULTS: results or _holder("")}
    page = _MARKERS.sub(lambda m: values[m.group(0)], page)
    if q:  # the tab names the query: "“wifi” – Search – …"
        page = re.sub(r"<title>", lambda m: f"<title>“{html.escape(q)}” – ", page, count=1)
    return HTMLResponse(page, status_code=status, headers={**HEADERS, **(headers or {})})
