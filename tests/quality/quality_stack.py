"""The web-quality test stack: the demo help centre built by a real ``mkdocs build`` (the
root mkdocs.yml with site_url and service_url pointed at 127.0.0.1), served by a real HTTP
server with byte ranges and the site's 404 page, the real carebase service on a SQLite file,
and headless Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_JS = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"

# One page of every type of the demo (site-relative URLs).
PAGES = {
    "home": "",
    "category": "billing/",
    "article": "billing/refunds/",
    "faq": "faq/billing/",
    "video-hosted": "videos/setup-basics/",
    "video-self-hosted": "videos/reconnect-wifi/",
    "videos-gallery": "videos/",
    "search": "search/",
    "404": "no-such-page/",
}


def free_socket() -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def dead_url() -> str:
    """A 127.0.0.1 URL nothing listens on (connection refused)."""
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """What a static host does: byte ranges (so <video> can seek), the site's 404.html for
    missing pages; ``rewrite`` swaps strings in HTML (to point a copy of the site at
    another service without a second build)."""

    rewrite: tuple[tuple[bytes, bytes], ...] = ()

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return self._send_bytes(404, Path(self.directory, "404.html").read_bytes(), "text/html")
        if path.endswith(".html") and self.rewrite:
            data = Path(path).read_bytes()
            for old, new in self.rewrite:
                data = data.replace(old, new)
            return self._send_bytes(200, data, "text/html")
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if not match:
            return super().send_head()
        size = os.path.getsize(path)
        start = int(match.group(1))
        end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
        if start >= size:
            self.send_error(416)
            return None
        f = open(path, "rb")
        f.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self._remaining = end - start + 1
        return f

    def _send_bytes(self, status: int, data: bytes, ctype: str):
        import io

        self.send_response(status)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self._remaining = None
        return io.BytesIO(data)

    def copyfile(self, source, outputfile):
        remaining = getattr(self, "_remaining", None)
        if remaining is None:
            return super().copyfile(source, outputfile)
        while remaining > 0:
            chunk = source.read(min(65536, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)


class StaticServer:
    def __init__(self, root: Path, sock: socket.socket | None = None, rewrite=()):
        handler_cls = type("Handler", (SiteHandler,), {"rewrite": tuple(rewrite)})
        handler = functools.partial(handler_cls, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler, bind_and_activate=sock is None)
        if sock is not None:
            self.httpd.socket.close()
            self.httpd.socket = sock
            sock.listen(64)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1] if sock is None else sock.getsockname()[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Service:
    """The real carebase service (create_app + uvicorn) on 127.0.0.1 with a SQLite file."""

    def __init__(self, tmp: Path):
        self.sock = free_socket()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.db_url = f"sqlite:///{tmp / 'feedback.db'}"

    def start(self, manifest_path: Path, origins: list[str]) -> None:
        import uvicorn

        from carebase.service.app import create_app
        from carebase.service.config import ServiceConfig

        config = ServiceConfig(database_url=self.db_url, allowed_origins=tuple(origins),
                               manifest_path=str(manifest_path), content_dir=str(REPO / "content"),
                               rate_limit=0)
        self.server = uvicorn.Server(uvicorn.Config(create_app(config), log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        for _ in range(500):
            if self.server.started:
                break
            time.sleep(0.02)
        assert self.server.started, "the carebase service did not start"
        self.engine = sa.create_engine(self.db_url)

    def votes(self, item: str) -> list[dict]:
        from carebase.store.schema import events

        query = sa.select(events).where(events.c.type == "vote", events.c.item_id == item)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query.order_by(events.c.received_ms))]

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def build_demo(root: Path, site_url: str, service_url: str) -> Path:
    """``mkdocs build --strict`` of the repository's mkdocs.yml (the demo), with site_url and
    the carebase plugin's service_url set for this test run; returns the site folder."""
    import yaml

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(REPO / config.get("docs_dir", "docs"))
    config["site_dir"] = str(root / "site")
    config["site_url"] = site_url
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "carebase" in plugin:
            plugin["carebase"]["service_url"] = service_url
    (root / "mkdocs.yml").write_text(json.dumps(config), encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml")],
                          capture_output=True, text=True, env=env, cwd=root, timeout=600)
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stderr}"
    return root / "site"


def run_axe(page, *, context: str | None = None) -> list[dict]:
    """Inject axe-core into ``page`` and return its WCAG 2.2 A/AA violations."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE_JS))
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                       "best-practice"]},
               "resultTypes": ["violations"]}
    return page.evaluate("([ctx, opts]) => axe.run(ctx || document, opts).then(r => r.violations)",
                         [context, options])


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:6]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]} {node['html'][:160]}")
    return "\n".join(lines)
