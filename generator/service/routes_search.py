"""The search API: ``GET /api/v1/search?q=&type=&limit=`` and ``GET /api/v1/related?id=``.

The service mounts ``routes(config)``. The index comes from ``config.index_dir`` when it
holds one; otherwise it is built from ``config.content_dir`` (into ``index_dir``, or a
temporary folder) when the routes are created. When the index in ``index_dir`` is rebuilt
(``build_index`` writes its meta file last), the next request after at most
``RELOAD_CHECK_SECONDS`` opens the new one; the old one answers until then, and stays
when the new one cannot be opened.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from carebase.search.query import KINDS, Searcher

log = logging.getLogger("carebase.search")

MAX_QUERY = 200
MAX_LIMIT = 50
RELOAD_CHECK_SECONDS = 1.0


class BadParam(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _error(status: int, message: str, field: str | None = None) -> JSONResponse:
    body = {"error": message}
    if field:
        body["field"] = field
    return JSONResponse(body, status_code=status)


def _params(request: Request) -> tuple[str, str | None, int]:
    qp = request.query_params
    for name in qp.keys():
        if name not in ("q", "type", "limit"):
            raise BadParam(name, f"{name}: unknown parameter (expected q, type, limit)")
    q = qp.get("q")
    if q is None or not q.strip():
        raise BadParam("q", "q: expected a search text, found nothing")
    if len(q) > MAX_QUERY:
        raise BadParam("q", f"q: expected at most {MAX_QUERY} characters, found {len(q)}")
    kind = qp.get("type") or None
    if kind is not None and kind not in KINDS:
        raise BadParam("type", f"type: expected one of {', '.join(KINDS)}, found {kind!r}")
    raw = qp.get("limit")
    limit = 10
    if raw is not None:
        try:
            limit = int(raw)
        except ValueError:
            raise BadParam("limit", f"limit: expected a whole number 1–{MAX_LIMIT}, found {raw!r}") from None
        if not 1 <= limit <= MAX_LIMIT:
            raise BadParam("limit", f"limit: expected a whole number 1–{MAX_LIMIT}, found {limit}")
    return q.strip(), kind, limit


def open_searcher(config) -> Searcher | None:
    """The searcher for this service config, or None when neither index nor content is set."""
    from carebase.search.index import SearchIndexError, build_index, open_index

    index_dir = getattr(config, "index_dir", None)
    content_dir = getattr(config, "content_dir", None)
    hybrid = _semantic_wanted()
    if index_dir:
        try:
            index = open_index(index_dir)
            return Searcher(index, semantic=_semantic(None, index_dir) if hybrid else None)
        except SearchIndexError:
            if not content_dir:
                raise
    if not content_dir:
        return None
    from carebase.content import load_catalogue

    catalogue = load_catalogue(Path(content_dir))
    target = index_dir or tempfile.mkdtemp(prefix="carebase-search-")
    index = build_index(catalogue, target)
    return Searcher(index, catalogue, semantic=_semantic(catalogue, target) if hybrid else None)


class LiveSearcher:
    """The searcher of an index folder, reopened when the index there is rebuilt."""

    def __init__(self, searcher: Searcher, index_dir, opener):
        from carebase.search.index import META_FILE

        self.current = searcher
        self._meta = Path(index_dir) / META_FILE
        self._opener = opener
        self._stamp = self._read_stamp()
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def _read_stamp(self):
        try:
            st = self._meta.stat()
        except OSError:
            return None  # absent, or being rebuilt: keep what we have
        return st.st_mtime_ns, st.st_size, st.st_ino

    def get(self) -> Searcher:
        now = time.monotonic()
        if now - self._checked < RELOAD_CHECK_SECONDS:
            return self.current
        with self._lock:
            if now - self._checked < RELOAD_CHECK_SECONDS:
                return self.current
            self._checked = now
            stamp = self._read_stamp()
            if stamp is not None and stamp != self._stamp:
                try:
                    self.current = self._opener()
                    self._stamp = stamp
                    log.info("search index in %s reloaded", self._meta.parent)
                except Exception as exc:  # a half-written index: keep answering with the old one
                    log.warning("search index in %s changed but could not be opened (%s): "
                                "keeping the previous one", self._meta.parent, exc)
        return self.current


def _reopen(config) -> Searcher:
    from carebase.search.index import open_index

    index_dir = config.index_dir
    semantic = _semantic(None, index_dir) if _semantic_wanted() else None
    return Searcher(open_index(index_dir), semantic=semantic)


def _semantic_wanted() -> bool:
    """Hybrid search is the default when an embedding model loads (``semantic.wanted``);
    ``CAREBASE_SEMANTIC=0`` turns it off. Otherwise one line is logged and search is lexical."""
    from carebase.search import semantic

    return semantic.wanted()


def _semantic(catalogue, index_dir):
    from carebase.search.semantic import SemanticIndex

    if catalogue is not None:
        return SemanticIndex.build(catalogue, index_dir)
    found = SemanticIndex.open(index_dir)
    if found is None:
        log.warning("%s has no saved vectors: lexical search only", index_dir)
    return found


def routes(config, *, searcher: Searcher | None = None, learned=None) -> list[Route]:
    """Starlette routes for the search API (``searcher`` overrides the config's index;
    ``learned``, a ``carebase.learned.refresh.Refresher``, adds learned phrasings' ranking)."""
    from carebase.learned.ranking import search as learned_search

    live = None
    if searcher is None:
        searcher = open_searcher(config)
        if searcher is not None and getattr(config, "index_dir", None):
            live = LiveSearcher(searcher, config.index_dir, lambda: _reopen(config))

    def current() -> Searcher:
        return live.get() if live is not None else searcher

    async def search(request: Request) -> JSONResponse:
        if searcher is None:
            return _error(503, "search is not configured: set the service's content_dir or index_dir")
        try:
            q, kind, limit = _params(request)
        except BadParam as exc:
            return _error(400, exc.message, exc.field)
        # off the event loop, so event ingestion never waits on a search (or a reload)
        snapshot = learned.current if learned is not None else None
        res = await run_in_threadpool(lambda: learned_search(current(), snapshot, q, kind=kind, limit=limit))
        return JSONResponse({
            "query": q,
            "type": kind,
            "total": res.total,
            "counts": res.counts,
            "strong": res.total if res.strong is None else res.strong,
            "strong_counts": res.strong_counts or res.counts,
            "suggestion": res.suggestion,
            "hits": [
                {"id": h.id, "kind": h.kind, "title": h.title, "url": h.url,
                 "snippet": h.snippet, "score": round(h.score, 4), "strong": h.strong}
                for h in res.hits
            ],
        })

    async def related(request: Request) -> JSONResponse:
        if searcher is None:
            return _error(503, "search is not configured: set the service's content_dir or index_dir")
        item = request.query_params.get("id")
        if not item:
            return _error(400, "id: expected an item id, e.g. article:billing/refunds", "id")
        raw = request.query_params.get("limit", "5")
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
            return _error(400, f"limit: expected a whole number 1–{MAX_LIMIT}, found {raw!r}", "limit")
        s = await run_in_threadpool(current)
        if not s.knows(item):
            return _error(404, f"id: no searchable item {item!r}", "id")
        related_ids = await run_in_threadpool(s.related, item, int(raw))
        return JSONResponse({"id": item, "related": related_ids})

    from carebase.service import routes_answer, routes_mcp

    from carebase.assist.desk import content_catalogue

    def now():
        return current() if searcher is not None else None

    desk = routes_answer.Answers(now, content_catalogue(getattr(config, "content_dir", None), now), learned=learned)
    return [
        Route("/api/v1/search", search, methods=["GET"]),
        Route("/api/v1/related", related, methods=["GET"]),
        *routes_answer.routes(desk),
        *routes_mcp.mcp_routes(desk, site_url=getattr(config, "site_url", "") or ""),
    ]
