"""Shared fixtures of the widget tests: the demo help centre and the widget's own small
site (widget_testkit.py), each built with MkDocs + Material and served by a real HTTP
server; the real carebase service on 127.0.0.1 writing a SQLite file; headless Chromium."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from once_testkit import copy_rewritten, once
from tiers_testkit import real_build
from web_testkit import (PLACEHOLDER_SERVICE, PLACEHOLDER_SITE, DemoStack, ServiceThread, StaticServer, free_socket,
                         own_form_windows, page_factory, with_items, write_site_data)
from widget_testkit import REPO, build_mini_site, mini_items


class Service(ServiceThread):
    """The real carebase service (tests/web_testkit.py) on 127.0.0.1 with a SQLite file;
    ``rows()`` reads what it stored (``since()``: what one test stored)."""

    def rows(self, **where) -> list[dict]:
        """Stored events matching ``where`` (column=value); on a view (``since``, web_testkit),
        only those stored after it was taken."""
        from carebase.store.schema import events

        query = sa.select(events).where(self.own())
        query = query.order_by(events.c.received_ms, events.c.event_id)
        for column, value in where.items():
            query = query.where(events.c[column] == value)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def latest_votes(self, item: str) -> list[dict]:
        """Latest-wins view: per vote_key the newest row; rows without a key each count."""
        newest: dict = {}
        plain = []
        for row in self.rows(type="vote", item_id=item):
            if row["vote_key"] is None:
                plain.append(row)
            else:
                newest[row["vote_key"]] = row
        return list(newest.values()) + plain

    def report_votes(self, item: str) -> dict:
        """What the gap report counts for ``item`` (its own latest-vote-wins query); on a view
        (``since``), over the votes stored since it was taken."""
        from carebase.report.period import resolve
        from carebase.report.queries import vote_counts

        periods = resolve(self.after_ms, None, None, None, latest_ms=time.time_ns() // 1_000_000)  # this test's
        with self.engine.connect() as conn:
            rows, reasons = vote_counts(conn, periods)
        mine = [r for r in rows if r.item_id == item and r.bucket == "cur"]  # the report's period, not before it
        return {"n": sum(r.n for r in mine), "helpful": sum(r.helpful for r in mine),
                "unhelpful": sum(r.unhelpful for r in mine), "reasons": reasons.get(item, {})}

class Stack:
    """The demo site, the widget's own small site and the service, all on 127.0.0.1.

    The demo is the run's one demo build (``demo_stack``, tests/conftest.py) served again
    on a port of its own, its pages rewritten to name this port as the site and to send
    to this stack's service (the same HTML a build with those settings writes: the site's
    and the service's URLs appear in its pages only), so no second demo build is needed."""

    def __init__(self, tmp_factory, demo: DemoStack | None):
        from carebase.content.model import Catalogue
        from carebase.output import open_output

        mini_root = tmp_factory.mktemp("widget-site")
        (mini_root / "site").mkdir()
        self.mini = StaticServer(mini_root / "site")
        demo_sock = free_socket() if demo is not None else None
        demo_url = f"http://127.0.0.1:{demo_sock.getsockname()[1]}/" if demo_sock is not None else None
        # one service for both sites: it follows a build output publishing the demo's items
        # and the hand-made mini site's
        site_data = tmp_factory.mktemp("widget-data") / "site-data"
        self.service = Service(tmp_factory.mktemp("widget-service"), site_data,
                               [self.mini.url] + ([demo_url] if demo_url else []))
        # built once for the run with placeholder URLs (once_testkit), copied with this
        # worker's: byte for byte what a build naming them writes (copy_rewritten)
        built = once(tmp_factory, "widget-mini-site",
                     lambda folder: build_mini_site(folder, PLACEHOLDER_SITE + "/", PLACEHOLDER_SERVICE))
        copy_rewritten(built / "site", mini_root / "site",
                       {PLACEHOLDER_SITE: self.mini.url.rstrip("/"), PLACEHOLDER_SERVICE: self.service.url})
        items = mini_items()
        self.demo, self.demo_error = None, None
        catalogue = Catalogue(root=str(mini_root))
        if demo is not None:
            self.demo = StaticServer(demo.site, demo_sock, rewrite=[(demo.url.encode(), demo_url.encode()),
                                                                    (demo.service.url.encode(), self.service.url.encode())])
            catalogue = open_output(demo.site_data).catalogue
        else:
            self.demo_error = "the demo help centre (mkdocs.yml + content/) is not in this checkout"
        write_site_data(site_data, with_items(catalogue, items))
        self.service.start()

    def close(self):
        self.service.close()
        self.mini.close()
        if self.demo is not None:
            self.demo.close()


@pytest.fixture(scope="session")
@real_build
def widget_stack(tmp_path_factory, request):
    has_demo = (REPO / "mkdocs.yml").exists() and (REPO / "content").is_dir()
    stack = Stack(tmp_path_factory, request.getfixturevalue("demo_stack") if has_demo else None)
    yield stack
    stack.close()


@pytest.fixture(scope="session")
def widget_service(widget_stack):
    return widget_stack.service


@pytest.fixture
def service(widget_service, monkeypatch):
    """The shared service, seeing only what the current test stored (its resubmission windows
    the test's own: web_testkit ``own_form_windows``)."""
    own_form_windows(monkeypatch)
    return widget_service.since()


@pytest.fixture(scope="session")
def widget_site(widget_stack):
    """The widget's own small MkDocs + Material site (every style; FAQ page with two widgets)."""
    return widget_stack.mini


@pytest.fixture(scope="session")
def demo_site(widget_stack):
    """The built demo help centre (carebase plugin + theme place the widget)."""
    if widget_stack.demo_error:
        pytest.skip(widget_stack.demo_error)
    return widget_stack.demo


@pytest.fixture(scope="module")
def chromium(shared_chromium):
    """The run's one Chromium (tests/conftest.py)."""
    return shared_chromium


@pytest.fixture
def context(chromium):
    """A context holding nothing a first-time customer's browser would not: the run's pool's,
    reset after the test (tests/web_testkit.py ``ContextPool``)."""
    with page_factory(chromium) as make:
        yield make.context()
