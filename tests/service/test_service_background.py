"""BackgroundService (the service in a thread, for ``carebase serve``) and the search-routes hook."""

from __future__ import annotations

import sys
import types

import httpx
from starlette.responses import JSONResponse
from starlette.routing import Route

from carebase.service.config import ServiceConfig
from carebase.service.server import BackgroundService


def test_background_service_serves_stores_and_stops(tmp_path):
    db = tmp_path / "bg.db"
    with BackgroundService(ServiceConfig(database_url=f"sqlite:///{db}"), port=0) as service:
        assert service.url.startswith("http://127.0.0.1:")
        response = httpx.post(service.url + "/api/v1/events", content='{"events": [{"id": "bg-000001", '
                              '"type": "search", "query": "refund", "results": 2}]}')
        assert response.json() == {"accepted": 1, "duplicates": 0}
        url = service.url
    try:
        httpx.get(url + "/healthz", timeout=1)
        raise AssertionError("still serving after stop")
    except httpx.TransportError:
        pass
    import sqlite3

    assert sqlite3.connect(db).execute("SELECT query, results FROM events").fetchall() == [("refund", 2)]


def test_search_routes_are_mounted_when_the_module_exists(tmp_path, monkeypatch):
    seen = {}

    def routes(config, *, learned=None):  # the module's contract: the service hands it its learner
        seen["config"] = config

        async def search(request):
            return JSONResponse({"q": request.query_params.get("q")})

        return [Route("/api/v1/search", search)]

    module = types.ModuleType("carebase.service.routes_search")
    module.routes = routes
    monkeypatch.setitem(sys.modules, "carebase.service.routes_search", module)
    config = ServiceConfig(database_url=f"sqlite:///{tmp_path / 's.db'}", content_dir="content")
    with BackgroundService(config, port=0) as service:
        assert httpx.get(service.url + "/api/v1/search?q=refund").json() == {"q": "refund"}
        document = httpx.get(service.url + "/api/v1/openapi.json").json()
        assert "get" in document["paths"]["/api/v1/search"]
    assert seen["config"] is config
