"""The search API: ``GET /api/v1/search?q=&type=&limit=&offset=&lang=`` and ``GET /api/v1/related?id=``.

``offset`` pages through one query's list (strong matches first, then the weaker ones, each
match once): ``offset=20&limit=20`` answers its rows 21-40, with the same counts as the first
page. The first ``MAX_DEPTH`` (1,000) rows can be paged through (``offset + limit``); the counts
count every match. ``strong`` / ``strong_counts`` count strong matches by search record (a video
chapter is a record of its own); ``items`` / ``item_counts`` count them as a results page shows
them, a video with its matching chapters once, and ``weak_items`` the weaker matches so
(carebase.search.items).

The service mounts ``routes(current)``, where ``current(lang)`` gives the searcher to answer
with: the service's is the search index of its build output (``carebase.output.live``),
so a rebuilt output is searched without a restart — the previous index answers until the
new one is written, and stays when the new one cannot be opened.

``lang`` names the language to search (one the build output holds: ``languages()``);
absent, the default language. Each language has its own index, so results never mix
languages: a client that wants another language's results asks again with its ``lang``.
An unknown language is a 400 naming ``lang``.
"""

from __future__ import annotations

from typing import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from carebase.search.items import count_items
from carebase.search.query import KINDS, MAX_DEPTH, MAX_LIMIT, Searcher
from carebase.service.errors import ApiError, answering_errors, bad
from carebase.service.params import language

MAX_QUERY = 200
NOT_CONFIGURED = "search is not configured: start the service with --site-data (the folder 'carebase build' writes)"


def _params(request: Request) -> tuple[str, str | None, int, int]:
    qp = request.query_params
    for name in qp.keys():
        if name not in ("q", "type", "limit", "offset", "lang"):
            raise bad(name, f"{name}: unknown parameter (expected q, type, limit, offset, lang)")
    q = qp.get("q")
    if q is None or not q.strip():
        raise bad("q", "q: expected a search text, found nothing")
    if len(q) > MAX_QUERY:
        raise bad("q", f"q: expected at most {MAX_QUERY} characters, found {len(q)}")
    kind = qp.get("type") or None
    if kind is not None and kind not in KINDS:
        raise bad("type", f"type: expected one of {', '.join(KINDS)}, found {kind!r}")
    raw = qp.get("limit")
    limit = 10
    if raw is not None:
        try:
            limit = int(raw)
        except ValueError:
            raise bad("limit", f"limit: expected a whole number 1–{MAX_LIMIT}, found {raw!r}") from None
        if not 1 <= limit <= MAX_LIMIT:
            raise bad("limit", f"limit: expected a whole number 1–{MAX_LIMIT}, found {limit}")
    return q.strip(), kind, limit, offset_of(qp.get("offset"), limit)


def offset_of(raw: str | None, limit: int) -> int:
    """The ``offset`` parameter: a whole number from 0 with ``offset + limit`` at most
    ``MAX_DEPTH``; absent: 0. A 400 naming ``offset`` otherwise."""
    if raw is None:
        return 0
    most = MAX_DEPTH - limit
    if not raw.isascii() or not raw.isdigit():
        raise bad("offset", f"offset: expected a whole number 0–{most}, found {raw!r}")
    offset = int(raw)
    if offset > most:
        raise bad("offset", f"offset: expected a whole number 0–{most} (offset + limit at most {MAX_DEPTH}), "
                            f"found {offset}")
    return offset


def category_title(cat, item_id: str, groups: dict | None = None) -> str:
    """The title of the item's category (a FAQ question's: its group's), as the site's client
    index names it on each hit (search_shards): "" when unknown. The boxes' suggestions show it
    under each title, with the service up and down alike. ``groups``: ``faq_categories(cat)``,
    made once per catalogue (not a scan of its FAQ groups per hit)."""
    if cat is None:
        return ""
    item = cat.get(item_id)
    slug = getattr(item, "category", "") or ""
    group = getattr(item, "group_id", None)
    if not slug and group:
        slug = (faq_categories(cat) if groups is None else groups).get(group, "") or ""
    return cat.category_title(slug) if slug else ""


def faq_categories(cat) -> dict[str, str]:
    """Each FAQ group's category, by the group's id."""
    return {g.id: g.category for g in cat.faqs}


def placed(cat, hit, category: str, groups: dict | None = None, prefix: str = "") -> dict:
    """Where a hit sits, as the API adds it to each hit: ``path``, its category's title and,
    for an FAQ question, its FAQ page's title (unless the same as its category's), for a video
    chapter, its video's title
    (["Billing and Lumo Plus", "Billing questions"]: "Billing and Lumo Plus › Billing
    questions", as Zendesk Copenhagen's and GitHub Docs' results show theirs; ``category``: its
    category's title, ``category_title``); ``chapter``, for a
    video chapter, its own title, its start (seconds) and its video ({id, title, url}), so a
    client lists a video's chapters under the video (None otherwise); ``path_urls``, each step's
    page as ``url`` names a page (from the site's root), so a client links each step: the
    category's page (``prefix``: the language's folder, "de/", "" in the default language), the
    FAQ page, the video (None for a step without a page). ``groups``: the
    catalogue's FAQ groups by id (made once per catalogue). The search page of the site
    (search.js, with the client index's rows: ``search_shards``) and the service's page without
    JavaScript (search_page.py) show both alike."""
    item = cat.get(hit.id) if cat is not None else None
    path: list[str] = []
    urls: list[str | None] = []  # each step's page (``path_urls``)
    group = (groups or {}).get(getattr(item, "group_id", None) or "") if item is not None else None
    if category:
        path.append(category)
        slug = getattr(item, "category", "") or getattr(group, "category", "") or ""
        urls.append(f"{prefix}{slug}/" if slug else None)  # the category's page (carebase.pages.listings)
    if group is not None and group.title and group.title != category:  # never "Billing › Billing"
        path.append(group.title)
        urls.append(getattr(group, "url", None) or hit.url.split("#", 1)[0] or None)  # the FAQ page
    chapter = None
    start = chapter_start(getattr(hit, "key", ""))
    if hit.kind == "video" and start is not None:
        video_title = getattr(item, "title", "") or ""
        own = next((ch.title for ch in getattr(item, "chapters", ()) if int(ch.start) == start), None)
        if own is None:  # no catalogue (or a changed one): the record's title, "Video: Chapter"
            own = hit.title[len(video_title) + 2:] if video_title and hit.title.startswith(video_title + ": ") \
                else hit.title
        chapter = {"title": own, "start": start,
                   "video": {"id": hit.id, "title": video_title, "url": hit.url.split("#", 1)[0]}}
        if video_title:
            path.append(video_title)
            urls.append(chapter["video"]["url"] or None)
    return {"path": path, "path_urls": urls, "chapter": chapter}


def hit_json(h, cat, category: str, groups: dict | None = None, prefix: str = "") -> dict:
    """One hit as the search API answers it (``path``, ``path_urls`` and ``chapter``: ``placed``)."""
    return {"id": h.id, "kind": h.kind, "title": h.title, "url": h.url, "category": category,
            "snippet": h.snippet, "score": round(h.score, 4), "strong": h.strong,
            **placed(cat, h, category, groups, prefix)}


def chapter_start(key: str) -> int | None:
    """A video chapter's start in seconds from its record key (``video:x#t=95``), else None."""
    _, mark, rest = (key or "").partition("#t=")
    return int(rest) if mark and rest.isdigit() else None


def routes(current: Callable[..., Searcher | None], *, learned=None, catalogue: Callable | None = None,
           site_url: str = "", languages: Callable[[], tuple] | None = None) -> list[Route]:
    """Starlette routes for the search API, the answer API and MCP; ``current(lang)`` is the
    searcher of a language (None: the default; returns None: 503), ``catalogue(lang)`` the
    catalogue its index was written from (the answers quote its passages); ``languages()``
    the languages they hold, the default first; ``learned``, a
    ``carebase.learned.refresh.Refresher``, adds learned phrasings' ranking; ``site_url``
    makes the MCP citations' links absolute."""
    from carebase.learned.ranking import search as learned_search

    @answering_errors
    async def search(request: Request) -> JSONResponse:
        q, kind, limit, offset = _params(request)  # bad(): 400 naming the field, the service's one request-field error
        lang = language(request.query_params, languages)
        # off the event loop, so event ingestion never waits on a search (or a reload)
        found = await run_in_threadpool(answer_json, q, kind, limit, lang, offset)
        if found is None:
            raise ApiError(503, NOT_CONFIGURED)
        return JSONResponse(found)

    def answer_json(q: str, kind: str | None, limit: int, lang: str | None, offset: int = 0) -> dict | None:
        """The search API's answer (None: no index to search): also the search page's without
        JavaScript (search_page.py), so both rank, cut and count alike. ``hits``: the list's
        rows ``offset`` + 1 to ``offset + limit``."""
        snapshot = learned.current if learned is not None else None
        s = current(lang) if lang else current()
        res = None if s is None else learned_search(s, snapshot, q, kind=kind, limit=limit, offset=offset)
        if res is None:
            return None
        cat = _catalogue_of(lang)
        groups, faq_groups = _groups_of(lang, cat)
        items = count_items(res, s, q, kind)
        return {
            "query": q,
            "type": kind,
            "lang": lang or (languages()[0] if languages is not None and languages() else None),
            "offset": offset,
            "total": res.total,
            "counts": res.counts,
            "strong": res.total if res.strong is None else res.strong,
            "strong_counts": res.strong_counts or res.counts,
            # what the page says: the strong *items* (a video with its chapters is one result)
            "items": items.strong,
            "item_counts": items.strong_counts,
            "weak_items": items.weak,
            "suggestion": res.suggestion,
            "hits": [hit_json(h, cat, category_title(cat, h.id, groups), faq_groups, f"{lang}/" if lang else "")
                     for h in res.hits],
        }

    # language → (the catalogue, its FAQ groups' categories, its FAQ groups): made once per catalogue
    indexed: dict = {}

    def _groups_of(lang: str | None, cat) -> tuple[dict, dict]:
        if cat is None:
            return {}, {}
        held = indexed.get(lang)
        if held is None or held[0] is not cat:
            held = indexed[lang] = (cat, faq_categories(cat), {g.id: g for g in cat.faqs})
        return held[1], held[2]

    def _catalogue_of(lang: str | None):
        if catalogue is None:
            return None
        try:
            return catalogue(lang) if lang else catalogue()
        except Exception:  # the categories are a courtesy: never a failed search
            return None

    @answering_errors
    async def related(request: Request) -> JSONResponse:
        item = request.query_params.get("id")
        if not item:
            raise ApiError(400, "id: expected an item id, e.g. article:billing/refunds", "id")
        raw = request.query_params.get("limit", "5")
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
            raise ApiError(400, f"limit: expected a whole number 1–{MAX_LIMIT}, found {raw!r}", "limit")
        s = await run_in_threadpool(current)
        if s is None:
            raise ApiError(503, NOT_CONFIGURED)
        if not s.knows(item):
            raise ApiError(404, f"id: no searchable item {item!r}", "id")
        related_ids = await run_in_threadpool(s.related, item, int(raw))
        return JSONResponse({"id": item, "related": related_ids})

    from carebase.service import routes_answer, routes_mcp, search_page

    desk = routes_answer.Answers(current, catalogue, learned=learned, languages=languages)
    return [
        Route("/api/v1/search", search, methods=["GET"]),
        Route("/api/v1/related", related, methods=["GET"]),
        *search_page.routes(answer_json, languages),
        *routes_answer.routes(desk),
        *routes_mcp.mcp_routes(desk, site_url=site_url),
    ]
