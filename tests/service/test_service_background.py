"""BackgroundService (the service in a thread, for ``carebase serve``), storing and searching."""

from __future__ import annotations

import httpx

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


def test_background_service_searches_its_build_output(site_data, tmp_path):
    config = ServiceConfig(database_url=f"sqlite:///{tmp_path / 's.db'}", site_data=str(site_data))
    with BackgroundService(config, port=0) as service:
        body = httpx.get(service.url + "/api/v1/search?q=refund").json()
        assert [h["id"] for h in body["hits"]][:2] == ["article:billing/refunds", "faq:billing#can-i-get-a-refund"]
        document = httpx.get(service.url + "/api/v1/openapi.json").json()
        assert "get" in document["paths"]["/api/v1/search"]
