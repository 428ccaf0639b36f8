"""The search page opened with a question (search/?q=…): what the customer sees, and when.

On the demo (content/, built as search_suggest.py builds it, a static host in a process of its
own, the real service), headless Chromium opens the search page with each of search_suggest.py's
queries, a fresh browser context a load, in four states:

- *up, remembered*: the tab has met the service on an article page first (the header box
  focused: its probe answered), so the search page's request for the question starts in <head>;
- *up, first page*: the search page is the tab's first page (its request is also the probe);
- *down, remembered* / *down, first page*: the same with nothing listening on the service's port.

For every load: ms from the navigation's start to the first list of results shown (the
``carebase:search-results`` event search.js dispatches when it draws a list), how many lists were
drawn (more than one: the results changed under the customer's eyes), the engines that drew them,
and whether the search event the page sent (its POST to the service, seen by the browser even
when nothing answers) carries the count of the last list shown.

    .venv/bin/python benchmarks/search_landing.py --work /tmp/sl              # build, then time
    .venv/bin/python benchmarks/search_landing.py --work /tmp/sl --reuse      # time that build again
    .venv/bin/python benchmarks/search_landing.py --work /tmp/sl --reuse --assets DIR
        # DIR's search.js / events.js put over the built site's first (an A/B of the theme's
        # scripts on one build: e.g. DIR from `git show main:theme/assets/carebase/search.js`)
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_browser import ARGS, CHROMIUM  # noqa: E402
from search_suggest import QUERIES, demo_project, setup  # noqa: E402

PROBE = """
window.__landing = [];
document.addEventListener('carebase:search-results', e => window.__landing.push(
  {at: performance.now(), engine: e.detail.engine, total: e.detail.total}));
"""
STATES = ("up, remembered", "up, first page", "down, remembered", "down, first page")


def land(browser, site_url: str, article_url: str, query: str, remembered: bool, delay_ms: int = 0) -> dict:
    """One load of search/?q=``query`` in a fresh context (after ``article_url`` with its header
    box focused when ``remembered``): the lists drawn and the search event sent (the POST to the
    service, or still in the outbox when nothing answers). ``delay_ms``: the service's answers to
    that question's search held back that long (a loaded service)."""
    context = browser.new_context()
    if delay_ms:
        pattern = "**/api/v1/search?q=" + quote(query) + "&**"
        context.route(pattern, lambda route: (time.sleep(delay_ms / 1000), route.continue_()))
    page = context.new_page()
    sent = []
    page.on("request", lambda r: sent.extend(_search_events(r)))
    if remembered:
        page.goto(article_url, wait_until="load")
        page.locator("#cb-header-q").click()
        page.wait_for_function("() => document.querySelector('form.cb-search[data-cb-search-mode]')", timeout=15000)
    page.add_init_script(PROBE)
    page.goto(site_url + "search/?q=" + query.replace(" ", "+"), wait_until="load")
    try:
        page.wait_for_function("() => window.__landing.length > 0", timeout=15000)
    except Exception:  # noqa: BLE001 - no list within 15 s: recorded as such
        pass
    # the search event: sent once the list is final; a list drawn after it would still be seen
    outbox = "() => (JSON.parse(localStorage.getItem('carebase.outbox')) || []).filter(e => e.type === 'search')"
    for _ in range(60):
        if [e for e in sent + page.evaluate(outbox) if e.get("query") == query]:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    sent.extend(e for e in page.evaluate(outbox) if e not in sent)
    shown = page.evaluate("window.__landing")
    context.close()
    logged = sorted({e.get("results") for e in sent if e.get("query") == query})  # the POST and the outbox: once
    return {"shown": shown, "logged": logged}


def _search_events(request) -> list[dict]:
    if request.method != "POST" or "/api/v1/events" not in request.url:
        return []
    try:
        body = json.loads(request.post_data or "{}")
    except ValueError:
        return []
    events = body.get("events", body) if isinstance(body, dict) else body
    return [e for e in events if isinstance(e, dict) and e.get("type") == "search"] if isinstance(events, list) else []


def summary(state: str, loads: list[dict]) -> str:
    firsts = sorted(r["shown"][0]["at"] for r in loads if r["shown"])
    swapped = sum(len(r["shown"]) > 1 for r in loads)
    engines = sorted({"→".join(s["engine"] for s in r["shown"]) for r in loads if r["shown"]})
    agree = sum(1 for r in loads if r["shown"] and r["logged"] == [r["shown"][-1]["total"]])
    none = sum(1 for r in loads if not r["shown"])
    med = f"{statistics.median(firsts):.0f}" if firsts else "—"
    top = f"{firsts[-1]:.0f}" if firsts else "—"
    return (f"| {state} | {len(loads)} | {med} | {top} | {swapped} | {', '.join(engines)} | "
            f"{agree} of {len(loads) - none} | {none} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", required=True, help="folder for the demo's build (kept for --reuse)")
    ap.add_argument("--reuse", action="store_true", help="time the build already in --work")
    ap.add_argument("--assets", action="append", default=[],
                    help="a folder whose search.js / events.js replace the built site's; twice: an A/B,"
                         " the two alternated load by load (same query, same state, one after the other)")
    ap.add_argument("--queries", type=int, default=len(QUERIES), help="the first N queries only")
    ap.add_argument("--rounds", type=int, default=1, help="loads of each query in each state")
    ap.add_argument("--api-delay", type=int, default=0,
                    help="ms the service's answers to the page's question are held back (Playwright routing)")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = Path(args.work)
    project = work / "demo" / "carebase"
    reuse = args.reuse and (project / "ports.json").exists()
    if not reuse:
        project = demo_project(work)
    article_url, _service_url, _seconds, httpd, start = setup(project, work, reuse)
    variants = args.assets or [None]

    def use(folder):
        for name in ("search.js", "events.js") if folder else ():
            if (Path(folder) / name).exists():
                shutil.copy(Path(folder) / name, project / "site" / "assets" / "carebase" / name)
    site_url = article_url.split("/", 3)
    site_url = "/".join(site_url[:3]) + "/"
    results = {(v, s): [] for v in variants for s in STATES}
    service = None
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for state in ("down, remembered", "down, first page", "up, remembered", "up, first page"):
                if state.startswith("up") and service is None:
                    service = start()
                for _ in range(args.rounds):
                    for q in QUERIES[: args.queries]:
                        for v in variants:
                            use(v)
                            results[(v, state)].append(land(browser, site_url, article_url, q,
                                                            state.endswith("remembered"), args.api_delay))
            browser.close()
    finally:
        if service is not None:
            service.stop()
        httpd.terminate()
        httpd.wait(10)
    print("\n| scripts | state | loads | navigation → first results, median ms | max ms | loads whose results changed "
          "| engines (in the order drawn) | logged count = last shown | no results within 15 s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
    for v in variants:
        for state in STATES:
            print(f"| {v or 'as built'} " + summary(state, results[(v, state)]))
    (work / "landing.json").write_text(json.dumps({f"{v} | {s}": r for (v, s), r in results.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
