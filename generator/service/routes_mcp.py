"""The MCP server in the service (issue 17): ``/mcp``, streamable HTTP.

The server itself is ``carebase.assist.mcp_server`` (the official SDK, ``mcp``); here it is
mounted stateless with JSON responses (any service instance answers any request),
rate-limited with the search API, and every ``answer`` call is an ``ask`` event with
``source: "mcp"`` (nothing under Do-Not-Track / Global Privacy Control).

The SDK takes seconds to import, so the server is built on the first ``/mcp`` request, not
when the service starts: ``carebase serve`` and services nobody asks over MCP start as fast
as before. Its session manager then runs in a task of the service's lifespan
(``route.carebase_lifespan``) until the service stops.
"""

from __future__ import annotations

import contextlib
import logging

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from carebase.assist.asks import ask_row, new_journey, record

log = logging.getLogger("carebase.service")


def mcp_routes(desk, *, site_url: str = "") -> list[Route]:
    """``[the /mcp route]`` over ``desk`` (``carebase.assist.desk.Answers``)."""
    mounted = LazyMcp(desk, site_url=site_url)
    route = Route("/mcp", mounted, methods=["GET", "POST", "DELETE"])
    route.carebase_lifespan = mounted.lifespan
    return [route]


class LazyMcp:
    """The ASGI app at ``/mcp``: builds the MCP server on its first request (a class, so
    Starlette's Route passes it ASGI calls rather than a Request)."""

    def __init__(self, desk, *, site_url: str = ""):
        self.desk, self.site_url = desk, site_url
        self._app = None
        self._error: str | None = None
        self._group = None
        self._lock = anyio.Lock()

    @contextlib.asynccontextmanager
    async def lifespan(self):
        async with anyio.create_task_group() as group:
            self._group = group
            try:
                yield
            finally:
                self._group = None
                group.cancel_scope.cancel()

    def _build(self):
        from mcp.server.transport_security import TransportSecuritySettings

        from carebase.assist.mcp_server import build_server

        server = build_server(self.desk, site_url=self.site_url, on_ask=_record_mcp_ask)
        # DNS-rebinding protection off: the tools only read what the public site shows, and the
        # service is reached by its public name (an allow-list of hosts would break that)
        app = server.streamable_http_app(
            streamable_http_path="/mcp", stateless_http=True, json_response=True,
            transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))
        endpoint = next(r.endpoint for r in app.routes if getattr(r, "path", "") == "/mcp")
        return server, endpoint

    async def _start(self) -> None:
        async with self._lock:
            if self._app is not None or self._error is not None:
                return
            if self._group is None:
                self._error = "the MCP server runs only inside the service's lifespan"
                return
            try:
                server, endpoint = await run_in_threadpool(self._build)
            except Exception as exc:  # noqa: BLE001 - a broken MCP SDK must not take search down
                self._error = f"the MCP server cannot start: {exc}"
                log.warning("MCP server disabled: %s", exc)
                return
            started = anyio.Event()

            async def run() -> None:
                async with server.session_manager.run():
                    started.set()
                    await anyio.sleep_forever()

            self._group.start_soon(run)
            await started.wait()
            self._app = endpoint

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("method") == "POST" and not await _within_limit(scope, receive, send):
            return
        if self._app is None:
            await self._start()
        if self._app is None:
            await JSONResponse({"error": self._error, "field": None}, status_code=503)(scope, receive, send)
            return
        await self._app(scope, receive, send)


async def _within_limit(scope, receive, send) -> bool:
    """The search API's per-client rate limit (429 with Retry-After); False once refused."""
    from carebase.service.errors import ApiError
    from carebase.service.handlers import enforce_rate_limit

    request = Request(scope)
    try:
        enforce_rate_limit(request, limiter=request.app.state.carebase.search_limiter)
    except ApiError as exc:
        await exc.response()(scope, receive, send)
        return False
    return True


def _record_mcp_ask(question: str, found, journey, ctx, lang=None):
    """The ``ask`` event of one MCP ``answer`` call; the journey to return (None when the
    client opted out: nothing is kept)."""
    from carebase.service.handlers import client_fields, opted_out

    request = getattr(getattr(ctx, "request_context", None), "request", None) if ctx is not None else None
    if request is None:
        return journey
    if opted_out(request):
        return None
    journey = journey or new_journey()
    record(request.app.state.carebase.writer,
           ask_row(question, found, source="mcp", journey=journey, **client_fields(request), lang=lang))
    return journey
