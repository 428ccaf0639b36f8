"""Search in the browser at scale: Material's header search vs carebase's site search.

Generates a synthetic help centre (benchmarks/site_scale.py's generator: 70% articles, 20% FAQ
questions, 10% videos with chapters and transcripts), builds it once with carebase (theme
`carebase`, `material/search` + `carebase` plugins: Material's search_index.json and carebase's
sharded index come from the same build), serves it on 127.0.0.1 with the real carebase service
(search API over a Whoosh index of the same content), and in headless Chromium measures, in
the same run:

* Material's header search: from the moment the customer focuses the box on a freshly loaded
  page to "ready" (the worker has downloaded search_index.json and built lunr), and from the
  last keystroke of a query to the last change of its result list;
* carebase's search page: from the page's load event to ready (engine chosen), and from the
  last keystroke to the results of the final query being shown — through the API, and with
  the service unreachable (requests to it aborted) through the sharded client index.

    .venv/bin/python benchmarks/search_browser.py                  # 10,000 items
    .venv/bin/python benchmarks/search_browser.py --items 1000 --work /tmp/sb   # keep the build
    .venv/bin/python benchmarks/search_browser.py --work /tmp/sb --reuse   # measure that build again
                                             # (carebase's index re-written by the current code)

Prints a Markdown table (benchmarks/RESULTS.md, "## Search in the browser").
"""

from __future__ import annotations

import argparse
import functools
import json
import http.server
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_scale import generate  # noqa: E402

CORPORA = ("words", "site-scale")
MKDOCS_YML = ("site_name: Scale\ndocs_dir: content\ntheme:\n  name: carebase\n  font: false\n"
              "plugins:\n  - material/search\n  - carebase:\n      contact:\n        email: help@example.com\n")


def generate_words(root: Path, n: int) -> dict:
    """The search API benchmark's corpus (benchmarks/search_api.py: words drawn from the bank
    help centre's vocabulary) written as a content tree."""
    sys.path.insert(0, str(Path(__file__).resolve().parent / "search"))
    from search_api import generate as api_corpus
    from synthetic_content import write_tree

    catalogue = api_corpus(n)
    (root / "carebase").mkdir(parents=True, exist_ok=True)
    content = root / "carebase" / "content"
    write_tree(catalogue, content)
    # every article needs a declared category (its folder): the corpus declares none
    folders = sorted({a.path.split("/")[0] for a in catalogue.articles if "/" in a.path})
    if not catalogue.categories and folders:
        import yaml

        (content / "categories.yml").write_text(yaml.safe_dump(
            [{"id": f, "title": f.replace("-", " ").capitalize(), "order": i} for i, f in enumerate(folders)],
            sort_keys=False))
    (root / "carebase" / "mkdocs.yml").write_text(MKDOCS_YML)
    return {"articles": len(catalogue.articles), "questions": sum(len(g.questions) for g in catalogue.faqs),
            "videos": len(catalogue.videos)}

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERIES = ["refund", "wifi router", "boiler schedule", "pasword", "money back", "firmware update error"]

PROBE = """
window.__sb = {keys: [], results: [], ready: null, materialReady: null};
document.addEventListener('keydown', () => window.__sb.keys.push(performance.now()), true);
document.addEventListener('carebase:search-results', e => window.__sb.results.push(
  {q: e.detail.query, at: performance.now(), engine: e.detail.engine}));
new MutationObserver(() => {
  const f = document.querySelector('form.cb-search[data-cb-search-mode]');
  if (f && window.__sb.ready === null) window.__sb.ready = {at: performance.now(), mode: f.dataset.cbSearchMode};
  const meta = document.querySelector('.md-search-result__meta');
  if (meta && window.__sb.materialReady === null && /type to start/i.test(meta.textContent))
    window.__sb.materialReady = performance.now();
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def start_service(site_data: Path, work: Path, port: int, origin: str):
    """The carebase service following the site's build output (its items and search index)."""
    from carebase.service.config import ServiceConfig
    from carebase.service.server import BackgroundService

    config = ServiceConfig(database_url=f"sqlite:///{work / 'feedback.db'}", allowed_origins=(origin.rstrip("/"),),
                           site_data=str(site_data), rate_limit=0)
    return BackgroundService(config, port=port).start(timeout=150)


def api_latency(service_url: str) -> list[float]:
    import urllib.parse
    import urllib.request

    times = []
    for q in QUERIES * 3:
        start = time.perf_counter()
        with urllib.request.urlopen(f"{service_url}/api/v1/search?q={urllib.parse.quote(q)}&limit=20", timeout=30) as r:
            r.read()
        times.append((time.perf_counter() - start) * 1000)
    return times


def build(project: Path, site_url: str, service_url: str) -> tuple[Path, float]:
    cfg = project / "mkdocs.yml"
    text = cfg.read_text().replace("  - carebase:\n", f"  - carebase:\n      service_url: {service_url}\n")
    cfg.write_text(f"site_url: {site_url}\n" + text)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d", str(project / "site")],
                          capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(f"mkdocs build failed:\n{done.stderr[-3000:]}")
    return project / "site", time.perf_counter() - start


def material(browser, url: str, timeout_s: float) -> dict:
    page = browser.new_page()
    page.add_init_script(PROBE)
    page.goto(url + "topic-00/", wait_until="load")
    t0 = page.evaluate("performance.now()")
    page.keyboard.press("/")  # Material's shortcut: focus the header search (releases the index)
    try:
        page.wait_for_function("window.__sb.materialReady !== null", timeout=timeout_s * 1000, polling=50)
    except Exception:  # Playwright's TimeoutError: report it, keep carebase's numbers
        page.close()
        return {"ready": None, "timeout": timeout_s, "results": []}
    ready = page.evaluate("window.__sb.materialReady") - t0
    times = []
    box = page.locator("[data-md-component=search-query]")
    for q in QUERIES:
        box.fill("")
        page.evaluate("window.__sb.keys = []")
        page.evaluate("""() => { window.__sb.changed = null; const l = document.querySelector('.md-search-result__list');
            window.__sb.mo && window.__sb.mo.disconnect();
            window.__sb.mo = new MutationObserver(() => window.__sb.changed = performance.now());
            window.__sb.mo.observe(l, {childList: true, subtree: true});
            const m = document.querySelector('.md-search-result__meta');
            window.__sb.mo.observe(m, {childList: true, subtree: true, characterData: true}); }""")
        page.keyboard.type(q, delay=60)
        quiet_until_stable(page, "window.__sb.changed")
        last_key = page.evaluate("Math.max(...window.__sb.keys)")
        changed = page.evaluate("window.__sb.changed")
        times.append(max(0.0, changed - last_key) if changed else float("nan"))
    page.close()
    return {"ready": ready, "results": times}


def quiet_until_stable(page, expr: str, quiet_ms: int = 1500, limit_ms: int = 30000) -> None:
    start = time.monotonic()
    last, since = None, time.monotonic()
    while (time.monotonic() - start) * 1000 < limit_ms:
        value = page.evaluate(expr)
        if value != last:
            last, since = value, time.monotonic()
        elif (time.monotonic() - since) * 1000 >= quiet_ms:
            return
        time.sleep(0.05)


def carebase(browser, url: str, service_url: str, down: bool) -> dict:
    context = browser.new_context()
    if down:
        context.route(service_url + "/**", lambda route: route.abort("connectionrefused"))
    page = context.new_page()
    page.add_init_script(PROBE)
    page.goto(url + "search/", wait_until="load")
    page.wait_for_function("window.__sb.ready !== null", timeout=30000, polling=10)
    load_end = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    ready = page.evaluate("window.__sb.ready")
    box = page.locator("#cb-q")
    box.click()
    times, first, engines, counts = [], [], set(), []
    for q in QUERIES:
        box.fill("")
        page.evaluate("window.__sb.keys = []; window.__sb.results = []")
        page.keyboard.type(q, delay=60)
        page.wait_for_function("q => window.__sb.results.some(r => r.q === q)", arg=q, timeout=30000, polling=10)
        page.wait_for_timeout(1200)  # the API's results replace the index's once typing pauses
        last_key = page.evaluate("Math.max(...window.__sb.keys)")
        shown = page.evaluate("q => window.__sb.results.filter(r => r.q === q)", q)
        first.append(shown[0]["at"] - last_key)
        times.append(shown[-1]["at"] - last_key)
        engines.add(shown[-1]["engine"])
        counts.append(int(page.locator("[data-carebase-results]").get_attribute("data-carebase-total")))
    context.close()
    return {"ready": max(0.0, ready["at"] - load_end), "ready_at": ready["at"], "mode": ready["mode"],
            "results": times, "first": first, "engines": sorted(engines), "counts": counts}


def fmt(ms: list[float]) -> str:
    ok = [m for m in ms if m == m]
    return f"{statistics.median(ok):.0f} ms (max {max(ok):.0f})" if ok else "n/a"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--work", help="folder to keep the generated content and build in")
    ap.add_argument("--corpus", choices=CORPORA, default="words",
                    help="words: the search API benchmark's generator (varied vocabulary, default); "
                         "site-scale: benchmarks/site_scale.py's (a 60-word vocabulary: every word is in most items)")
    ap.add_argument("--reuse", action="store_true", help="reuse the build in --work (same ports)")
    ap.add_argument("--material-timeout", type=float, default=180.0, help="seconds to wait for Material's search")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = Path(args.work or tempfile.mkdtemp(prefix="carebase-search-browser-"))
    work.mkdir(parents=True, exist_ok=True)
    name = f"n{args.items}" if args.corpus == "site-scale" else f"{args.corpus}{args.items}"
    project = work / name / "carebase"
    ports = work / f"ports-{name}.json"
    if args.reuse and ports.exists() and (project / "site").is_dir():
        site_port, service_port = json.loads(ports.read_text())
        site = project / "site"
        from carebase.content import load_catalogue
        from carebase.pages.context import SiteContext
        from carebase.pages.search_shards import build_search_shards

        catalogue = load_catalogue(project / "content")
        ctx = SiteContext(catalogue=catalogue, site_name="Scale", site_url="")
        build_search_shards(catalogue, site / "search" / "carebase", category_title=ctx.category_title)
        print(f"reusing {site} (carebase's index re-written)", file=sys.stderr)
    else:
        counts = (generate if args.corpus == "site-scale" else generate_words)(work / name, args.items)
        site_port, service_port = free_port(), free_port()
        ports.write_text(json.dumps([site_port, service_port]))
        print(f"building {args.items} items ({counts}) …", file=sys.stderr)
        site, seconds = build(project, f"http://127.0.0.1:{site_port}/", f"http://127.0.0.1:{service_port}")
        print(f"built in {seconds:.0f} s", file=sys.stderr)
    site_url, service_url = f"http://127.0.0.1:{site_port}/", f"http://127.0.0.1:{service_port}"
    shards = site / "search" / "carebase"
    files = list(shards.glob("*.json"))
    index_mb = (site / "search" / "search_index.json").stat().st_size / 1e6
    print(f"Material index {index_mb:.1f} MB; carebase index {len(files)} files, "
          f"largest {max(f.stat().st_size for f in files) / 1e3:.0f} KB, meta {(shards / 'meta.json').stat().st_size / 1e3:.1f} KB",
          file=sys.stderr)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", site_port), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    print("starting the service (the build output's search index) …", file=sys.stderr)
    start_service(project / "site-data", work, service_port, site_url)
    api_ms = api_latency(service_url)
    print(f"search API from Python: p50 {statistics.median(api_ms):.1f} ms, max {max(api_ms):.1f} ms", file=sys.stderr)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        api = carebase(browser, site_url, service_url, down=False)
        index = carebase(browser, site_url, service_url, down=True)
        mat = material(browser, site_url, args.material_timeout)
        browser.close()
    httpd.shutdown()
    print(f"\n{args.items} items ({args.corpus} corpus); queries: {', '.join(QUERIES)}; Material's index {index_mb:.1f} MB\n")
    print("| search | final engine | ready | last keystroke → first results (median, max) | → final results (median, max) | ratio of final results time to Material's |")
    print("| --- | --- | --- | --- | --- | --- |")
    ok = [m for m in mat["results"] if m == m]
    base = statistics.median(ok) if ok else float("nan")
    ready = f"{mat['ready']:.0f} ms after focus" if mat["ready"] is not None else f"not ready after {mat['timeout']:.0f} s"
    print(f"| Material header search | lunr in a worker, whole search_index.json | {ready} | "
          f"{fmt(mat['results'])} | {fmt(mat['results'])} | 1.00 |")
    for name, r in (("carebase search page", api), ("carebase search page, service down", index)):
        print(f"| {name} | {'/'.join(r['engines'])} | {r['ready']:.0f} ms after load ({r['ready_at']:.0f} ms after navigation start) | "
              f"{fmt(r['first'])} | {fmt(r['results'])} | {statistics.median(r['results']) / base:.3f} |")
    print(f"\nresult counts api {api['counts']} / index {index['counts']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
