"""Shared fixtures of the widget tests: a real MkDocs + Material site that places the
widget through the theme partials, a real HTTP server for it, a feedback service on
127.0.0.1 writing a real SQLite file, and headless Chromium."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[2]
THEME = REPO / "theme"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

ITEMS = {
    "article:billing/refunds": ("article", "Refunds", "billing/refunds/"),
    "article:account/reset-password": ("article", "Reset your password", "account/reset-password/"),
    "faq:billing#can-i-get-a-refund": ("faq", "Can I get a refund?", "faq/billing/#can-i-get-a-refund"),
    "faq:billing#where-is-my-invoice": ("faq", "Where is my invoice?", "faq/billing/#where-is-my-invoice"),
    "article:ratings/csat": ("article", "Satisfaction", "ratings/csat/"),
    "article:ratings/ces": ("article", "Effort", "ratings/ces/"),
}

PAGES = {
    "index.md": "# Help centre\n\nSearch for refunds, invoices or passwords.\n",
    "billing/refunds.md": (
        "---\nitem: article:billing/refunds\nrevision: rev-1\n---\n# Refunds\n\n"
        "You can ask for a refund of a subscription payment within 30 days. Refunds go back "
        "to the card you paid with.\n"),
    "account/reset-password.md": (
        "---\nitem: article:account/reset-password\nrevision: rev-9\n---\n# Reset your password\n\n"
        "Open the sign-in page and choose *Forgot password*. A refund is not needed.\n"),
    "faq/billing.md": (
        "# Billing FAQ\n\n## Can I get a refund?\n\nYes, within 30 days.\n\n"
        "[[widget faq:billing#can-i-get-a-refund]]\n\n"
        "## Where is my invoice?\n\nUnder *Account → Invoices*.\n\n"
        "[[widget faq:billing#where-is-my-invoice]]\n"),
    "ratings/csat.md": "---\nitem: article:ratings/csat\nstyle: csat\n---\n# Satisfaction\n\nA page rated 1–5.\n",
    # a search page as the site's boxes should mark it up: data-carebase-search on the input,
    # data-carebase-results / -query / -total on the results, data-carebase-item on the links
    "find.md": (
        "# Find\n\n<div class=\"find\">\n<label for=\"find-q\">Search</label>\n"
        "<input id=\"find-q\" type=\"search\" data-carebase-search=\"search-page\">\n"
        "<ol data-carebase-results=\"search-page\"></ol>\n</div>\n\n"
        "<script src=\"../find.js\"></script>\n"),
    "ratings/ces.md": "---\nitem: article:ratings/ces\nstyle: ces\n---\n# Effort\n\nA page rated 1–7.\n",
}

HOOKS = '''
import re
from carebase.widget.markup import feedback_form
from carebase.widget.settings import check_feedback_settings

def _settings(config, style=None):
    raw = dict(config["extra"]["carebase_feedback"])
    if style:
        raw["style"] = style
    settings, problems = check_feedback_settings(raw)
    assert not problems, problems
    return settings

def on_page_context(context, page, config, nav):
    item = page.meta.get("item")
    if item:
        context["carebase_feedback"] = feedback_form(
            item, str(page.meta.get("revision", "")), page.title,
            _settings(config, page.meta.get("style")), return_to=page.canonical_url)
    return context

def on_page_content(html, page, config, files):
    def widget(match):
        item = match.group(1)
        title = item.split("#")[1].replace("-", " ")
        return feedback_form(item, "faq-rev", title, _settings(config),
                             heading="Was this answer helpful?", return_to=page.canonical_url)
    return re.sub(r"<p>\\[\\[widget ([^\\]]+)\\]\\]</p>", widget, html)
'''

FIND_JS = """(function () {
  var docs = [["article:billing/refunds", "Refunds", "../billing/refunds/"],
              ["faq:billing#can-i-get-a-refund", "Can I get a refund?", "../faq/billing/#can-i-get-a-refund"],
              ["article:account/reset-password", "Reset your password", "../account/reset-password/"]];
  var q = document.getElementById("find-q"), list = document.querySelector("[data-carebase-results]");
  function render() {
    var v = q.value.trim().toLowerCase();
    var hits = docs.filter(function (d) { return v && d[1].toLowerCase().indexOf(v) >= 0; });
    list.innerHTML = hits.map(function (d, i) {
      return '<li><a data-carebase-item="' + d[0] + '" data-carebase-rank="' + (i + 1) + '" href="' + d[2] + '">' + d[1] + '</a></li>';
    }).join("");
    list.setAttribute("data-carebase-query", q.value.trim());
    list.setAttribute("data-carebase-total", String(hits.length));
  }
  q.addEventListener("input", function () { setTimeout(render, 50); });
  var start = new URLSearchParams(location.search).get("q");
  if (start) { q.value = start; setTimeout(render, 300); }
})();
"""

MAIN_HTML = """{% extends "base.html" %}
{% block extrahead %}{{ super() }}{% include "partials/carebase/assets.html" %}{% endblock %}
{% block content %}{{ super() }}{% include "partials/carebase/feedback.html" %}{% endblock %}
"""


def free_socket() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class StaticServer:
    def __init__(self, root: Path):
        handler = partial(_QuietHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Service:
    """The real carebase service (``carebase.service.app.create_app``) on 127.0.0.1 with a
    SQLite file; ``rows()`` reads what it stored."""

    def __init__(self, tmp: Path):
        sock = free_socket()
        self.sock = sock
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.db_path = tmp / "feedback.db"
        self.db_url = f"sqlite:///{self.db_path}"
        self.engine = None

    def start(self, manifest_path: Path, origins: list[str]) -> None:
        import uvicorn

        from carebase.service.app import create_app
        from carebase.service.config import ServiceConfig

        config = ServiceConfig(database_url=self.db_url, allowed_origins=tuple(origins),
                               manifest_path=str(manifest_path), rate_limit=0)
        self.server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        for _ in range(500):
            if self.server.started:
                break
            time.sleep(0.02)
        assert self.server.started, "the carebase service did not start"
        self.engine = sa.create_engine(self.db_url)

    def since(self) -> "Service":
        """A view of this service that sees only the rows stored from now on."""
        view = object.__new__(Service)
        view.__dict__.update(self.__dict__)
        with self.engine.connect() as conn:
            view.after = conn.execute(sa.text("SELECT coalesce(max(rowid), 0) FROM events")).scalar()
        return view

    after = 0

    def rows(self, **where) -> list[dict]:
        from carebase.store.schema import events

        query = sa.select(events).where(sa.text(f"events.rowid > {int(self.after)}"))
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

    def report_latest_votes(self, item: str) -> list[dict]:
        """The report's own view of the votes on ``item`` (latest row per vote_key)."""
        from carebase.report.queries import latest_votes

        latest = latest_votes(time.time_ns() // 1_000_000 + 1)
        query = sa.select(latest).where(latest.c.item_id == item)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def close(self):
        self.server.should_exit = True
        self.thread.join(10)


def build(config: dict, root: Path) -> None:
    (root / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, env=env, cwd=root)
    assert done.returncode == 0, done.stderr


def build_mini_site(root: Path, server: StaticServer, service: Service) -> dict:
    """A small MkDocs + Material site that places the widget in every style through the
    theme partials (a hooks file calls feedback_form); returns its manifest items."""
    site_dir = root / "site"
    docs = root / "docs"
    for name, text in PAGES.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    items = {item: {"kind": kind, "title": title, "url": url, "path": "x", "revision": "r", "category": "c"}
             for item, (kind, title, url) in ITEMS.items()}
    (docs / "find.js").write_text(FIND_JS, encoding="utf-8")
    (docs / "manifest.json").write_text(json.dumps({"version": 1, "aliases": {}, "items": items}), encoding="utf-8")
    overrides = root / "overrides"
    shutil.copytree(THEME / "partials" / "carebase", overrides / "partials" / "carebase")
    shutil.copytree(THEME / "assets" / "carebase", overrides / "assets" / "carebase")
    (overrides / "main.html").write_text(MAIN_HTML, encoding="utf-8")
    (root / "hooks.py").write_text(HOOKS, encoding="utf-8")
    build({
        "site_name": "Widget test help centre", "site_url": server.url,
        "docs_dir": str(docs), "site_dir": str(site_dir),
        "theme": {"name": "material", "custom_dir": str(overrides), "font": False,
                  "palette": [
                      {"media": "(prefers-color-scheme: light)", "scheme": "default",
                       "toggle": {"icon": "material/brightness-7", "name": "Dark mode"}},
                      {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
                       "toggle": {"icon": "material/brightness-4", "name": "Light mode"}}]},
        "plugins": ["search"], "hooks": [str(root / "hooks.py")],
        "extra": {
            "carebase": {"service": service.url, "scale": "helpful"},
            "carebase_feedback": {"service_url": service.url, "contact": {
                "email": "help@example.com", "phone": "+1 555 0100", "chat_url": "https://chat.example.com",
                "hours": "Mon–Fri 9:00–17:00"}},
        },
    }, root)
    return items


def build_demo_site(root: Path, server: StaticServer, service: Service) -> dict:
    """The repository's demo help centre (mkdocs.yml + content/), built with the carebase
    plugin and theme, sending to ``service``; returns its manifest items."""
    import yaml

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(REPO / config.get("docs_dir", "docs"))
    config["site_dir"] = str(root / "site")
    config["site_url"] = server.url
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "carebase" in plugin:
            plugin["carebase"]["service_url"] = service.url
    build(config, root)
    return json.loads((root / "site" / "manifest.json").read_text(encoding="utf-8"))["items"]


class Stack:
    """The demo site, the widget's own small site and the service, all on 127.0.0.1."""

    def __init__(self, tmp_factory):
        self.service = Service(tmp_factory.mktemp("widget-service"))
        mini_root, demo_root = tmp_factory.mktemp("widget-site"), tmp_factory.mktemp("demo-site")
        (mini_root / "site").mkdir()
        (demo_root / "site").mkdir()
        self.mini = StaticServer(mini_root / "site")
        self.demo = StaticServer(demo_root / "site")
        self.mini.root, self.demo.root = mini_root / "site", demo_root / "site"
        items = build_mini_site(mini_root, self.mini, self.service)
        self.demo_error = None
        if (REPO / "mkdocs.yml").exists() and (REPO / "content").is_dir():
            items.update(build_demo_site(demo_root, self.demo, self.service))
        else:
            self.demo_error = "the demo help centre (mkdocs.yml + content/) is not in this checkout"
        manifest = tmp_factory.mktemp("widget-manifest") / "manifest.json"
        manifest.write_text(json.dumps({"version": 1, "aliases": {}, "items": items}), encoding="utf-8")
        self.service.start(manifest, [self.mini.url.rstrip("/"), self.demo.url.rstrip("/")])

    def close(self):
        self.service.close()
        self.mini.close()
        self.demo.close()


@pytest.fixture(scope="session")
def widget_stack(tmp_path_factory):
    stack = Stack(tmp_path_factory)
    yield stack
    stack.close()


@pytest.fixture(scope="session")
def widget_service(widget_stack):
    return widget_stack.service


@pytest.fixture
def service(widget_service):
    """The shared service, seeing only what the current test stored."""
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


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (bash tests/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(chromium):
    ctx = chromium.new_context()
    yield ctx
    ctx.close()
