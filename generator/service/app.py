"""The ASGI app: ``create_app(ServiceConfig) -> Starlette``.

Endpoints: ``POST /api/v1/events``, ``POST /feedback`` (no-JS form), ``GET /healthz``,
``GET /api/v1/export`` and the live report ``GET /report`` with the backlog's decisions
(``routes_report``; bearer token), ``GET /api/v1/openapi.json``,
``POST /api/v1/contact`` and ``POST /contact`` (the contact form, ``contact.py``),
``GET /api/v1/contacts`` (bearer token), and the search API of
``carebase.service.routes_search``. The known items and the search index come from the build
output (``config.site_data``), followed while the service runs.
Run it with ``carebase service`` (uvicorn).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from dataclasses import dataclass

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from carebase.output import OutputError, open_output
from carebase.output.live import LiveOutput
from carebase.service import contact, contact_page, feedback_form, handlers, routes_search
from carebase.service.config import ServiceConfig
from carebase.service.errors import ApiError
from carebase.service.items import ItemIds
from carebase.service.live_report import LiveReports
from carebase.service.routes_learned import learned_routes
from carebase.service.routes_report import report_routes
from carebase.service.openapi import openapi_document
from carebase.service.masking_region import SiteRegion
from carebase.service.privacy import ClientHasher, RateLimiter
from carebase.store.engine import open_engine
from carebase.store.writer import Writer

log = logging.getLogger("carebase.service")


@dataclass
class State:
    config: ServiceConfig
    engine: Engine
    writer: Writer
    items: ItemIds
    hasher: ClientHasher
    limiter: RateLimiter
    log: logging.Logger
    search_limiter: RateLimiter | None = None
    learned: object = None  # carebase.learned.refresh.Refresher, when learning is on
    live: LiveReports | None = None  # the live report's models (GET /report)
    forwarder: object | None = None  # contact-form tickets to the webhook (webhook.Forwarder)
    search_templates: object | None = None  # the search page without JavaScript (search_page.Templates)
    answer_json: object | None = None  # the search API's answer (routes_search): the no-JS form's suggestions


async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
    return exc.response()


async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
    return JSONResponse({"error": exc.detail, "field": None}, status_code=exc.status_code, headers=exc.headers)


async def _server_error(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, handlers.ExportInterrupted):  # already logged in one line
        log.exception("unexpected error", exc_info=exc)
    return JSONResponse({"error": "internal error", "field": None}, status_code=500)


def _learner(config: ServiceConfig, engine: Engine, items: ItemIds, live: LiveOutput | None = None):
    """The learned-phrasing refresher (None when ``learn_every`` is 0); it masks the stored
    wordings again with the site's region, as the service masks what it stores, and never reads a
    word of the help centre as a typo of a blocked word."""
    if not config.learn_every or config.learn_every <= 0:
        return None
    from carebase.learned.model import Settings
    from carebase.learned.refresh import Refresher
    from carebase.learned.ties import Thresholds

    settings = Settings(Thresholds(config.learn_min_journeys, config.learn_min_clients), config.learn_days)
    return Refresher(engine, settings, interval=config.learn_every, region=lambda: items.region_codes,
                     vocabulary=_site_words(live) if live is not None else None)


def _site_words(live: LiveOutput):
    """A function giving the help centre's words in every language of the build output's index
    (``blocks.site_vocabulary``): the same frozenset while the searchers are the same."""
    from carebase.learned.blocks import site_vocabulary

    held: list = [(), frozenset()]

    def words() -> frozenset:
        searchers = tuple(s for s in (live.searcher(lang) for lang in (live.languages() or (None,))) if s is not None)
        if len(searchers) != len(held[0]) or any(a is not b for a, b in zip(searchers, held[0])):
            held[:] = [searchers, frozenset().union(*(site_vocabulary(s) for s in searchers))]
        return held[1]

    return words


class _QuietInterruptedExport(logging.Filter):
    """uvicorn logs a traceback for an exception after the response started; an interrupted
    export was already logged in one line (and the client sees a truncated transfer)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], handlers.ExportInterrupted))


def _quiet_interrupted_exports() -> None:
    uvicorn_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietInterruptedExport) for f in uvicorn_log.filters):
        uvicorn_log.addFilter(_QuietInterruptedExport())


def _rate_limited(route: Route) -> Route:
    """The same route behind the per-client search rate limit (429 with Retry-After)."""
    endpoint = route.endpoint

    async def limited(request: Request):
        handlers.enforce_rate_limit(request, limiter=request.app.state.carebase.search_limiter)
        return await endpoint(request)

    return Route(route.path, limited, methods=list(route.methods or ["GET"]), name=route.name)


def _search_routes(live: LiveOutput | None, learned=None, site_url: str = "") -> tuple[list, dict]:
    """The search API's routes over the build output's index (with the learned phrasings'
    ranking when learning is on), and their OpenAPI paths."""
    routes = routes_search.routes(live.searcher if live is not None else lambda lang=None: None, learned=learned,
                                  catalogue=live.index_catalogue if live is not None else None,
                                  site_url=site_url, languages=live.languages if live is not None else None)
    paths = {
        route.path: {method.lower(): {
            "summary": "search API (carebase.service.routes_search)",
            "responses": {"200": {"description": "JSON"}, "400": {"description": "bad parameter"}}}
            for method in sorted(route.methods or ["GET"]) if method != "HEAD"}
        for route in routes if isinstance(route, Route)}
    # a route with its own lifespan (the MCP server's) limits itself: it is an ASGI app
    # the search page without JavaScript applies the limit itself (an HTML page, not JSON: search_page.py)
    return [_rate_limited(r) if isinstance(r, Route) and not hasattr(r, "carebase_lifespan")
            and not hasattr(r, "carebase_own_limit") else r
            for r in routes], paths


def _warm(live: LiveOutput) -> None:
    """Open the search index now, so the first search is as fast as the others; the other
    languages' in a thread of their own (as a reload opens them: ``LiveOutput._open``), so no
    customer's first search in one pays its opening — German's word forms for separated verbs
    are read beside its index, or made (~4.3 s of CPU) when a build output from before they were
    kept there holds none."""
    try:
        live.searcher()
    except OutputError as exc:  # events must still be stored when search cannot start
        log.warning("search API unavailable until the next build: %s", exc)
        return
    others = live.languages()[1:]
    if others:
        threading.Thread(target=_warm_languages, args=(live, others), name="carebase-warm-languages",
                         daemon=True).start()


def _warm_languages(live: LiveOutput, languages) -> None:
    for lang in languages:
        try:
            live.searcher(lang)
        except OutputError as exc:  # that language's searches say it too
            log.warning("search API in %s unavailable until the next build: %s", lang, exc)


def create_app(config: ServiceConfig, *, engine: Engine | None = None) -> Starlette:
    """The service app; opens (and migrates) the store now so bad settings fail early."""
    live = None
    if config.site_data:
        if not config.wait_for_site_data:
            open_output(config.site_data)  # raises OutputError saying what to do
        live = LiveOutput(config.site_data)
    else:
        log.warning("no build output: every well-formed item id is accepted and search is off "
                    "(pass --site-data, the folder 'carebase build' writes beside the site)")
    items = ItemIds(live, config.region)
    if not config.allowed_origins:
        log.warning("no allowed origins: only pages served from this service's own origin can send events "
                    "(pass --allowed-origin https://your-help-site)")
    engine = engine or open_engine(config.database_url)
    _quiet_interrupted_exports()
    state = State(config, engine, Writer(engine), items, ClientHasher(),
                  RateLimiter(config.rate_limit, config.rate_burst), log,
                  RateLimiter(config.search_rate_limit, config.search_rate_burst), _learner(config, engine, items, live),
                  LiveReports(config))
    if config.contact_webhook:
        from carebase.service.webhook import Forwarder

        state.forwarder = Forwarder(engine, config.contact_webhook, secret=config.contact_webhook_secret)

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        if live is not None:
            _warm(live)
        gc.freeze()  # start-up objects never need collecting: shorter GC pauses under load
        state.writer.start()
        items.start()  # follows the build output (its region) in a thread of its own
        if state.learned is not None:
            state.learned.start()
        state.live.start()
        if state.forwarder is not None:
            state.forwarder.start()
        try:
            async with contextlib.AsyncExitStack() as stack:
                for route in search_routes:  # the MCP server's session manager
                    if hasattr(route, "carebase_lifespan"):
                        await stack.enter_async_context(route.carebase_lifespan())
                yield
        finally:
            if state.forwarder is not None:
                state.forwarder.stop()
            state.live.stop()
            if state.learned is not None:
                state.learned.stop()
            items.stop()
            state.writer.stop()
            engine.dispose()

    search_routes, search_paths = _search_routes(live, state.learned, config.site_url or "")
    # the contact form without JavaScript suggests items with the search page's search (contact.py)
    state.answer_json = next((r.carebase_answer_json for r in search_routes if hasattr(r, "carebase_answer_json")), None)
    document = openapi_document()
    # a search route the document describes in full (GET /api/v1/search) keeps its description
    document["paths"].update({path: v for path, v in search_paths.items() if path not in document["paths"]})

    async def openapi(_request: Request) -> JSONResponse:
        return JSONResponse(document)

    routes = [
        Route("/api/v1/events", handlers.post_events, methods=["POST"]),
        Route("/feedback", feedback_form.post_feedback, methods=["POST"]),
        Route("/healthz", handlers.healthz, methods=["GET"]),
        Route("/api/v1/export", handlers.export, methods=["GET"]),
        Route("/api/v1/openapi.json", openapi, methods=["GET"]),
        *report_routes(),
        Route("/api/v1/contact", contact.post_contact, methods=["POST"]),
        Route("/api/v1/contact/searches", contact.post_searches, methods=["POST"]),
        Route("/contact", contact.post_contact_form, methods=["POST"]),
        *contact_page.routes(),  # the form without JavaScript, with the page and the journey's searches
        Route("/api/v1/contacts", contact.export_contacts, methods=["GET"]),
        *learned_routes(),
        *search_routes,
    ]
    # the masker reads the site's region (its national phone numbers) for the request's texts:
    # held by ``items`` (compiled when the app is made and when a rebuilt output names another
    # region, off the event loop), never read from the build output per request
    middleware = [Middleware(SiteRegion, region=lambda: items.region)]
    if config.allowed_origins:
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=list(config.allowed_origins), allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"], expose_headers=["Retry-After"], max_age=86400,
        ))
    app = Starlette(
        routes=routes, middleware=middleware, lifespan=lifespan,
        exception_handlers={ApiError: _api_error, HTTPException: _http_error, Exception: _server_error},
    )
    app.state.carebase = state
    return app
