"""The assistants' stack (issue 17): the real service over the demo help centre's build
output on 127.0.0.1 with a SQLite store and the live report (built only when asked, behind
``LEAD_TOKEN``), shared by the answer API, MCP and report tests."""

from __future__ import annotations

import pytest
from tiers_testkit import real_build
from web_testkit import serve_asgi

from carebase.service.app import create_app
from carebase.service.config import ServiceConfig
from assist_testkit import LEAD_TOKEN, SITE_URL, Stack


@pytest.fixture(scope="session")
@real_build
def assist_stack(tmp_path_factory, demo_site_data):
    tmp = tmp_path_factory.mktemp("assist")
    db = tmp / "feedback.db"
    app = create_app(ServiceConfig(database_url=f"sqlite:///{db}", site_data=str(demo_site_data),
                                   site_url=SITE_URL, search_rate_limit=0,
                                   learn_every=0, token=LEAD_TOKEN, report_dir=str(tmp / "live-report"),
                                   report_every=0))
    with serve_asgi(app, lifespan="on") as client:
        yield Stack(client, db, demo_site_data)
