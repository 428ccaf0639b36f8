"""The assistants' stack (issue 17): the real service over the demo help centre's build
output on 127.0.0.1 with a SQLite store and the live report (built only when asked, behind
``LEAD_TOKEN``), shared by the answer API, MCP and report tests."""

from __future__ import annotations

import contextlib
from typing import Iterator

import pytest
from tiers_testkit import real_build
from web_testkit import serve_asgi

from carebase.service.app import create_app
from carebase.service.config import ServiceConfig
from assist_testkit import LEAD_TOKEN, SITE_URL, Stack


@contextlib.contextmanager
def _stack(tmp_path_factory, site_data) -> Iterator[Stack]:
    """The service in this process (serve_asgi) on a new SQLite file, over ``site_data``."""
    tmp = tmp_path_factory.mktemp("assist")
    db = tmp / "feedback.db"
    app = create_app(ServiceConfig(database_url=f"sqlite:///{db}", site_data=str(site_data),
                                   site_url=SITE_URL, search_rate_limit=0,
                                   learn_every=0, token=LEAD_TOKEN, report_dir=str(tmp / "live-report"),
                                   report_every=0))
    with serve_asgi(app, lifespan="on") as client:
        yield Stack(client, db, site_data)


@pytest.fixture(scope="session")
@real_build
def assist_stack(tmp_path_factory, demo_site_data):
    """The worker's stack, shared by the answer API, MCP and outcome tests: what one test stores
    stays for the next, so a test reads back only its own journeys."""
    with _stack(tmp_path_factory, demo_site_data) as stack:
        yield stack


@pytest.fixture(scope="module")
@real_build
def own_assist_stack(tmp_path_factory, demo_site_data):
    """A stack with a store of its own for a module whose tests count the whole store (`carebase
    report`'s totals): on the worker's shared one, another file's escalated and resolved
    questions (test_assist_ask_taken.py) were counted too when it ran first in that worker."""
    with _stack(tmp_path_factory, demo_site_data) as stack:
        yield stack
