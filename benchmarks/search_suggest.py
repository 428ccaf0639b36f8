"""Suggestions as you type at scale: keystroke → suggestions shown, in headless Chromium.

Builds a synthetic help centre of N items (benchmarks/search_browser.py's "words" corpus: 70%
articles, 20% FAQ questions, 10% videos with chapters) and the demo (content/, 110 search
records) with carebase's default set-up (no Material search), serves each on 127.0.0.1 (a
static host in a process of its own) with the real service (search API over the same content), and on an article page types queries
into the header box one key at a time (120 ms apart, about a fast typist), measuring for every
keystroke the time from the key going down to the suggestion list showing the box's new value
(the client index answers each keystroke; the API's ranking replaces it once typing pauses).
A freshly loaded page each query: its first keystroke (the box just clicked, the index's
meta.json and first shard not loaded yet) is reported apart from the later ones. The demo,
measured in the same run the same way, is the baseline of the ratios.

Service down is measured first, before the service is started: nothing listens on its port
(the connection refused), as a customer meets it. (Earlier runs emulated it with Playwright's
request routing, which holds every request of the page, the site's own index files included,
for a round trip to the Playwright driver: the "down" rows paid for the emulation.)

    .venv/bin/python benchmarks/search_suggest.py                  # 10,000 items
    .venv/bin/python benchmarks/search_suggest.py --items 2000 --work /tmp/sg
    .venv/bin/python benchmarks/search_suggest.py --work /tmp/sg --build-only   # build now ...
    .venv/bin/python benchmarks/search_suggest.py --work /tmp/sg --reuse        # ... time later

``--build-only`` / ``--reuse`` split the builds (minutes at 10,000 items) from the timing: the
builds in --work keep their site and service ports (ports.json), so a later run serves them
unchanged.

Prints a Markdown table (benchmarks/RESULTS.md, "Search suggestions").
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_browser import ARGS, CHROMIUM, Quiet, build, free_port, generate_words, start_service  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
QUERIES = ["refund", "wifi router", "boiler schedule", "pasword", "money back", "firmware update error",
           "card payment", "thermostat offline"]
MKDOCS_YML = ("site_name: Scale\ndocs_dir: content\ntheme:\n  name: carebase\n  font: false\n"
              "plugins:\n  - carebase:\n      contact:\n        email: help@example.com\n")
PROBE = """
window.__sg = {keys: [], inputs: [], shown: []};
document.addEventListener('keydown', e => { if (e.target.id === 'cb-header-q') window.__sg.keys.push(performance.now()); }, true);
document.addEventListener('input', e => { if (e.target.id === 'cb-header-q')
  window.__sg.inputs.push({v: e.target.value.trim(), at: performance.now(), key: window.__sg.keys[window.__sg.keys.length - 1]}); }, true);
new MutationObserver(() => { const l = document.querySelector('[role=listbox][data-carebase-results=header]');
  if (l && l.dataset.carebaseQuery) window.__sg.shown.push({q: l.dataset.carebaseQuery, at: performance.now(), engine: l.dataset.cbEngine}); })
  .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-carebase-query', 'data-cb-engine']});
"""


def demo_project(work: Path) -> Path:
    project = work / "demo" / "carebase"
    project.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "content", project / "content", dirs_exist_ok=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML)
    return project


def typed(browser, page_url: str, query: str, probe: str) -> dict:
    """``window.__sg`` after ``query`` was typed (a key every 120 ms, then 1.5 s) in the header
    box of ``page_url`` loaded afresh in its own context, with ``probe`` installed first."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(probe)
    page.goto(page_url, wait_until="load")
    page.locator("#cb-header-q").click()
    page.keyboard.type(query, delay=120)
    page.wait_for_timeout(1500)
    data = page.evaluate("window.__sg")
    context.close()
    return data


def keystrokes(browser, page_url: str, queries=QUERIES) -> dict:
    """Per keystroke: ms from keydown to the list showing the box's value (first answer); the
    first keystroke of each freshly loaded page in ``first``, the others in ``ms``."""
    latencies, first, engines, superseded, slow = [], [], set(), 0, []
    for q in queries:
        data = typed(browser, page_url, q, PROBE)
        for n, inp in enumerate(i for i in data["inputs"] if i["v"]):
            shown = [s for s in data["shown"] if s["q"] == inp["v"] and s["at"] >= inp["at"]]
            if not shown:
                superseded += 1  # the next key came first: its own answer is what the customer saw
                continue
            (latencies if n else first).append(shown[0]["at"] - inp["key"])
            if shown[0]["at"] - inp["key"] > 80:  # which keystrokes are slow: the box's value then
                slow.append(f"{inp['v']!r} {shown[0]['at'] - inp['key']:.0f} ms")
            engines.update(s["engine"] for s in shown)
    return {"ms": latencies, "first": first, "engines": sorted(engines), "superseded": superseded, "slow": slow}


def stats(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"median": statistics.median(ms), "p95": ms[min(len(ms) - 1, int(0.95 * len(ms)))], "max": ms[-1],
            "over100": sum(m > 100 for m in ms), "n": len(ms)}


def setup(project: Path, work: Path, reuse: bool = False, serve: bool = True):
    """Build (or reuse) and serve the site; returns (an article's URL, the service's URL, build
    seconds, the static server, start_service()): the service is not started here."""
    ports_file = project / "ports.json"
    if reuse and ports_file.exists() and (project / "site" / "manifest.json").exists():
        site_port, service_port, seconds = json.loads(ports_file.read_text())
        site = project / "site"
    else:
        site_port, service_port = free_port(), free_port()
        site_url, service_url = f"http://127.0.0.1:{site_port}/", f"http://127.0.0.1:{service_port}"
        site, seconds = build(project, site_url, service_url)
        ports_file.write_text(json.dumps([site_port, service_port, seconds]))
    site_url, service_url = f"http://127.0.0.1:{site_port}/", f"http://127.0.0.1:{service_port}"
    if not serve:
        return None
    httpd = static_host(site, site_port)
    index = project.parent / "service"
    index.mkdir(exist_ok=True)
    manifest = json.loads((site / "manifest.json").read_text())
    article = next(v["url"] for v in manifest["items"].values() if v["kind"] == "article")
    # the service follows the build output beside site/
    return (site_url + article, service_url, seconds, httpd,
            lambda: start_service(project / "site-data", index, service_port, site_url))


def static_host(site: Path, port: int) -> subprocess.Popen:
    """The site's static host in a process of its own, as deployed: as a thread in the service's
    process (until session 28) the shards' and item chunks' responses competed with the
    service's own work (the probe's search, events) for Python's GIL."""
    proc = subprocess.Popen([sys.executable, __file__, "--serve-static", str(site), str(port)])
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit(f"the static host of {site} did not start on port {port}")
            time.sleep(0.05)


def serve_static(site: str, port: str) -> int:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), functools.partial(Quiet, directory=site))
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=httpd.shutdown).start())
    httpd.serve_forever()
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--serve-static"]:
        return serve_static(*argv[1:3])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--work", help="folder for the generated content and builds (default: a temporary one)")
    ap.add_argument("--build-only", action="store_true", help="build both sites in --work, time nothing")
    ap.add_argument("--reuse", action="store_true", help="serve the sites --build-only left in --work")
    ap.add_argument("--queries", type=int, default=len(QUERIES),
                    help=f"type the first N of the {len(QUERIES)} queries (a shorter run; default: all)")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = Path(args.work or tempfile.mkdtemp(prefix="carebase-suggest-"))
    big_project = work / f"words{args.items}" / "carebase"
    reuse = args.reuse and (big_project / "ports.json").exists()
    if not reuse:
        counts = generate_words(work / f"words{args.items}", args.items)
        big_project.joinpath("mkdocs.yml").write_text(MKDOCS_YML)
        print(f"building {args.items} items ({counts}) and the demo …", file=sys.stderr)
    demo_dir = work / "demo" / "carebase" if reuse else demo_project(work)
    big = setup(big_project, work, reuse, serve=not args.build_only)
    demo = setup(demo_dir, work, reuse, serve=not args.build_only)
    if args.build_only:
        print(f"built in {work}: time them with --work {work} --reuse", file=sys.stderr)
        return 0
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        services = []
        for name, (url, service, seconds, _httpd, start) in (("demo (110 records)", demo), (f"{args.items} items", big)):
            for down in (True, False):
                if not down:
                    services.append(start())
                r = keystrokes(browser, url, QUERIES[: max(1, args.queries)])
                rows.append((name, "service down" if down else "service up", stats(r["ms"]), r))
        browser.close()
        for svc in services:
            svc.stop()
    for _, _, _, httpd, _ in (big, demo):
        httpd.terminate()
        httpd.wait(10)
    print(f"\nkeystroke → suggestions shown (header box, one key every 120 ms; queries: "
          f"{', '.join(QUERIES[: max(1, args.queries)])})\n")
    print("| site | service | first keystroke of a fresh page: median | max | over 100 ms "
          "| later keystrokes | median | p95 | max | over 100 ms | median vs demo, same service state |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    base = {state: s["median"] for name, state, s, _ in rows if name.startswith("demo")}
    for name, state, s, r in rows:
        f = stats(r["first"]) if r["first"] else None
        firsts = (f"{f['median']:.0f} ms | {f['max']:.0f} ms | {f['over100']} of {f['n']}" if f else "— | — | —")
        print(f"| {name} | {state} ({'/'.join(r['engines'])}) | {firsts} | {s['n']} | {s['median']:.0f} ms | "
              f"{s['p95']:.0f} ms | {s['max']:.0f} ms | {s['over100']} | {s['median'] / base[state]:.2f} |")
    print("\nkeystrokes over 80 ms (the box's value when the key went down):")
    for name, state, s, r in rows:
        print(f"- {name}, {state}: {', '.join(r['slow']) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
