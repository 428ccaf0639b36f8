"""Lighthouse 12 on carebase sites next to bare Material, measured in the same run.

Sites (each built with `mkdocs build`, served by a static HTTP server on 127.0.0.1):
  demo      the repository's demo help centre (mkdocs.yml, content/)
  carebase  a generated help centre of --items items (benchmarks/site_scale.py's generator:
            70% articles, 20% FAQ questions in groups of 10, 10% videos, 20 categories)
  material  the same generated content as plain Markdown with the default Material theme
            (every page in the navigation, Material's search) at --bare-items items
Pages: home, an article, an FAQ page and a video page of each (the demo also: the search page
with a query, the 404 page and the contact form), mobile (Lighthouse's
default: Moto G Power, simulated slow 4G) and desktop (--preset=desktop). Records the four
category scores, the transfer size (total-byte-weight) and LCP.

    npm ci --prefix benchmarks/lighthouse
    CHROME_PATH=/usr/bin/chromium .venv/bin/python benchmarks/lighthouse/run.py
    .venv/bin/python benchmarks/lighthouse/run.py --items 2000 --bare-items 1000 --only demo

Prints a Markdown table (for benchmarks/RESULTS.md, "## Web quality") and writes the raw
Lighthouse reports to benchmarks/out/lighthouse/.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    # the 404 page as a static host serves it at a missing address answers with status 404, which
    # Lighthouse's SEO audit "http-status-code" always flags: measured at its own URL (404.html)
    "demo": {"home": "", "article": "billing/refunds/", "faq": "faq/billing/", "video": "videos/setup-basics/",
             "search": "search/?q=thermostat+offline", "404": "404.html", "contact": "contact/",
             # only when named (--pages no-close): a search with no close match, whose "Still need
             # help?" block comes up into the results' reserved place (CLS must stay 0)
             "no-close": "search/?q=zigbee",
             # only when named (--pages videos): the gallery, whose videos without a thumbnail
             # have posters drawn by CSS (no image)
             "videos": "videos/"},
    "generated": {"home": "", "article": "topic-00/article-0/", "faq": "faq/group-0/", "video": "videos/video-0/"},
}
NAMED_ONLY = {"no-close", "videos"}  # page types measured only when --pages names them


class Quiet(http.server.SimpleHTTPRequestHandler):
    """A static host as deployed: text files gzip-compressed when the browser accepts it
    (as GitHub Pages, Netlify, S3+CloudFront, nginx gzip on … do); 404s get 404.html."""

    COMPRESS = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".vtt")
    cache: dict = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        import gzip
        import io

        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not os.path.exists(path):
            page = Path(self.directory, "404.html")
            data = page.read_bytes() if page.exists() else b"not found"
            return self._bytes(404, data, "text/html")
        if not path.endswith(self.COMPRESS) or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        if path not in self.cache:
            self.cache[path] = gzip.compress(Path(path).read_bytes(), 6)
        return self._bytes(200, self.cache[path], self.guess_type(path), encoding="gzip")

    def _bytes(self, status, data, ctype, encoding=None):
        import io

        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def reserve_url() -> tuple[object, str]:
    import socket

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}/"


def mkdocs_build(config: dict, project: Path, timeout: float) -> float | None:
    """Build ``config`` (written as JSON mkdocs.yml in ``project``); seconds, or None on timeout."""
    (project / "mkdocs.lighthouse.yml").write_text(json.dumps(config), encoding="utf-8")
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.lighthouse.yml")]
    start = time.perf_counter()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    except subprocess.TimeoutExpired:
        return None
    if done.returncode:
        raise SystemExit(f"mkdocs build of {project} failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def start_service(site_dir: Path, site_url: str, content_dir: Path, work: Path):
    """The real carebase service (SQLite) for the site's searches and votes, on the port its
    service_url names, allowing the site's origin, following the build's output — as deployed."""
    from carebase.output import default_folder
    from carebase.service.config import ServiceConfig
    from carebase.service.server import BackgroundService

    config = ServiceConfig(database_url=f"sqlite:///{work / 'feedback.db'}", allowed_origins=(site_url.rstrip("/"),),
                           site_data=str(default_folder(site_dir)), rate_limit=0)
    return BackgroundService(config, sock=SERVICE_SOCKETS[site_dir]).start(timeout=30)


SERVICE_SOCKETS: dict = {}


def with_service(config: dict, site_dir: Path) -> dict:
    sock, url = reserve_url()
    SERVICE_SOCKETS[site_dir] = sock
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "carebase" in plugin:
            plugin["carebase"] = {**(plugin["carebase"] or {}), "service_url": url.rstrip("/")}
    return config


def demo_config(site_dir: Path, site_url: str) -> dict:
    import yaml

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(REPO / config.get("docs_dir", "docs")), site_dir=str(site_dir), site_url=site_url)
    return config


def generated_config(project: Path, site_dir: Path, site_url: str) -> dict:
    import yaml

    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config.update(docs_dir=str(project / config["docs_dir"]), site_dir=str(site_dir), site_url=site_url)
    return config


def lighthouse(url: str, form: str, out: Path) -> dict:
    cmd = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", "--quiet",
           f"--chrome-flags={CHROME_FLAGS}", "--only-categories=" + ",".join(CATEGORIES)]
    if form == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if done.returncode or not out.exists():
        raise SystemExit(f"lighthouse {url} failed:\n{done.stderr[-3000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    failing = sorted(k for cat in CATEGORIES for ref in report["categories"][cat]["auditRefs"]
                     if ref["weight"] and (k := ref["id"]) in audits
                     and audits[k].get("score") is not None and audits[k]["score"] < 0.9)
    return {
        **{cat: round(100 * report["categories"][cat]["score"]) for cat in CATEGORIES},
        "bytes": audits["total-byte-weight"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "failing": failing,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=10000, help="items of the generated carebase site")
    ap.add_argument("--bare-items", type=int, default=1000, help="items of the bare Material site")
    ap.add_argument("--bare-timeout", type=float, default=900.0, help="give up building bare Material after this")
    ap.add_argument("--only", nargs="+", choices=("demo", "carebase", "material"), default=("demo", "carebase", "material"))
    ap.add_argument("--forms", nargs="+", choices=("mobile", "desktop"), default=("mobile", "desktop"))
    ap.add_argument("--pages", nargs="+", help="only these page types (home, article, faq, video, search, 404, contact; no-close: the search page with no close match, videos: the gallery, "
                         "both only when named)")
    ap.add_argument("--work", help="build here and keep it (default: a temporary folder)")
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "out" / "lighthouse"))
    args = ap.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: npm ci --prefix benchmarks/lighthouse")
    import site_scale

    work = Path(args.work or tempfile.mkdtemp(prefix="carebase-lighthouse-"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sites = []  # (label, site_dir, url, pages, build seconds)
    services = []  # stopped before the interpreter ends: a service thread still running while
    # Python shuts down is a likely cause of the segmentation faults seen after the table (session 26)
    for name in args.only:
        sock, url = reserve_url()
        site_dir = work / name / "site"
        if name == "demo":
            (work / name).mkdir(parents=True, exist_ok=True)
            seconds = mkdocs_build(with_service(demo_config(site_dir, url), site_dir), work / name, 3600)
            content_dir = REPO / "content"
            label, pages = "demo (carebase)", PAGES["demo"]
        else:
            n = args.items if name == "carebase" else args.bare_items
            root = work / f"{name}-n{n}"
            if not (root / "carebase").exists():
                print(f"generating {n:,} items …", file=sys.stderr, flush=True)
                site_scale.generate(root, n)
            project = root / ("carebase" if name == "carebase" else "bare")
            print(f"building {name} ({n:,} items) …", file=sys.stderr, flush=True)
            content_dir = project / "content"
            seconds = mkdocs_build(with_service(generated_config(project, site_dir, url), site_dir), project,
                                   3600 if name == "carebase" else args.bare_timeout)
            label = f"generated, {n:,} items, " + ("carebase" if name == "carebase" else "bare Material")
            pages = PAGES["generated"]
        sock.close()
        if seconds is None:
            print(f"| {label} | build stopped after {args.bare_timeout:.0f} s | | | | | | |", flush=True)
            continue
        if site_dir in SERVICE_SOCKETS:
            services.append(start_service(site_dir, url, content_dir, work / name))
        sites.append((label, name, site_dir, url, pages, seconds))

    rows = []
    for label, name, site_dir, url, pages, seconds in sites:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=str(site_dir)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            for form in args.forms:
                for page, path in pages.items():
                    if (args.pages and page not in args.pages) or (page in NAMED_ONLY and not args.pages):
                        continue
                    print(f"lighthouse {name} {form} {page} …", file=sys.stderr, flush=True)
                    r = lighthouse(url + path, form, out / f"{name}-{form}-{page}.json")
                    rows.append((label, form, page, r))
                    print(f"lighthouse {name} {form} {page}: CLS {r['cls']:.3f}", file=sys.stderr, flush=True)
                    print(f"| {label} | {form} | {page} (`{path or '/'}`) | {r['performance']} | {r['accessibility']} "
                          f"| {r['best-practices']} | {r['seo']} | {r['bytes'] / 1024:.0f} KB | {r['lcp'] / 1000:.2f} s "
                          f"| {', '.join(r['failing']) or '—'} |", flush=True)
        finally:
            httpd.shutdown()
            httpd.server_close()
        print(f"({label}: built in {seconds:.1f} s)", file=sys.stderr, flush=True)

    print("\n| site | form | page | performance | accessibility | best practices | SEO | transfer | LCP "
          "| audits below 90 |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, form, page, r in rows:
        print(f"| {label} | {form} | {page} | {r['performance']} | {r['accessibility']} | {r['best-practices']} "
              f"| {r['seo']} | {r['bytes'] / 1024:.0f} KB | {r['lcp'] / 1000:.2f} s | {', '.join(r['failing']) or '—'} |")
    print("\nBuild times: " + "; ".join(f"{label}: {seconds:.0f} s" for label, _, _, _, _, seconds in sites))
    for service in services:
        service.stop()
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
