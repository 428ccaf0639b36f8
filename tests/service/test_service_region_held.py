"""The site's region is held by the service, not read from the build output per request: a
health check or an event never reads the output for it (a thread of the service follows the
output), and a rebuilt output that names another region has its plans compiled in a thread of their own (session 40 compiled them on the
event loop at the first request after the rebuild: 293 ms for 30 codes), then masks with them.
The real service (``create_app`` + uvicorn) on 127.0.0.1, a real SQLite file."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest
import sqlalchemy as sa
from service_testkit import CONTENT, SITE, new_id

from carebase.output.live import LiveOutput
from carebase.service import items as items_module
from carebase.service.config import ServiceConfig
from carebase.service.server import BackgroundService


def _write_output(root, region):
    from carebase.content import load_catalogue
    from carebase.output import open_output

    for name, text in CONTENT.items():
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_text(text, encoding="utf-8")
    open_output(root / "site-data", load_catalogue(root / "content"), region=region)
    return root / "site-data"


def _service(tmp_path, site_data) -> BackgroundService:
    config = ServiceConfig(database_url=f"sqlite:///{tmp_path / 'feedback.db'}", allowed_origins=(SITE,),
                           site_data=str(site_data), rate_limit=0, learn_every=0)
    return BackgroundService(config, port=0).start(timeout=180)


def _stored_query(service: BackgroundService, tmp_path, text: str) -> str:
    event = {"id": new_id("held"), "type": "search", "query": text, "results": 0}
    answer = httpx.post(f"{service.url}/api/v1/events", content=json.dumps({"events": [event]}), timeout=30,
                        headers={"content-type": "text/plain;charset=UTF-8", "origin": SITE})
    assert answer.status_code == 200, answer.text
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    try:
        deadline = time.monotonic() + 30  # the writer stores in the background: a bound on a failure only
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                found = conn.execute(sa.text("SELECT query FROM events WHERE event_id = :id"), {"id": event["id"]}).scalar()
            if found is not None:
                return found
            time.sleep(0.05)
    finally:
        engine.dispose()
    raise AssertionError(f"{event['id']} was not stored")


@pytest.mark.slow  # a service (create_app + uvicorn) in a thread
def test_health_checks_and_events_never_read_the_build_output_for_the_region(tmp_path, monkeypatch):
    service = _service(tmp_path, _write_output(tmp_path, ("HK",)))
    reads = []
    real = LiveOutput.current
    monkeypatch.setattr(LiveOutput, "current", lambda self: reads.append(threading.current_thread().name) or real(self))
    try:
        for _ in range(20):
            assert httpx.get(f"{service.url}/healthz", timeout=30).status_code == 200
        # only the service's own watcher reads it (once a second), never a request
        assert set(reads) <= {"carebase-output-watch"}, reads
        assert _stored_query(service, tmp_path, "rooms 9123 4567 261") == "rooms [phone]"
    finally:
        service.stop()


@pytest.mark.slow  # a service and two build outputs
def test_a_rebuilt_outputs_new_region_is_compiled_off_the_event_loop_then_masks(tmp_path, monkeypatch):
    site_data = _write_output(tmp_path, ())
    service = _service(tmp_path, site_data)
    compiled = []
    real = items_module.plans
    monkeypatch.setattr(items_module, "plans", lambda codes: compiled.append((codes, threading.current_thread().name))
                        or real(codes))
    try:
        assert _stored_query(service, tmp_path, "rooms 9123 4567 261") == "rooms 9123 4567 261"  # no region
        _write_output(tmp_path, ("HK",))  # a rebuild naming Hong Kong
        deadline = time.monotonic() + 60  # the output is checked every second: a bound on a failure only
        while (stored := _stored_query(service, tmp_path, "rooms 9123 4567 261")) != "rooms [phone]":
            assert time.monotonic() < deadline, stored
            time.sleep(0.2)
        assert compiled == [(("HK",), "carebase-region")]
    finally:
        service.stop()


def test_the_newest_outputs_region_wins_when_an_older_one_compiles_slower(monkeypatch):
    """Two rebuilds in a row (HK, then GB): GB's plans are ready first, HK's a moment later, and
    the region held is GB's, the newest output's."""
    from types import SimpleNamespace

    from carebase.service.items import ItemIds

    real = items_module.plans
    monkeypatch.setattr(items_module, "plans", lambda codes: (time.sleep(0.5) if codes == ("HK",) else None) or real(codes))
    items = ItemIds(None)
    items._output_changed(SimpleNamespace(manifest={"region": ["HK"]}))
    items._output_changed(SimpleNamespace(manifest={"region": ["gb"]}))
    deadline = time.monotonic() + 30  # a bound on a failure only
    while (threading.active_count() > 1 and any(t.name == "carebase-region" for t in threading.enumerate())
           and time.monotonic() < deadline):
        time.sleep(0.05)
    assert items.region_codes == ("GB",) and items.region.is_national("02079460958")
