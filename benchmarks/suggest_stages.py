"""Where a keystroke's suggestion time goes: the stages of search_suggest.py's keystrokes.

Same sites, same typing as ``search_suggest.py`` (header box of an article page, one key every
120 ms, a freshly loaded page per query, service down first, then up), with the page's own
clocks (``performance.now()``) at each stage of every keystroke:

- *input*: keydown → the box's ``input`` event (the main thread busy when the key came);
- *shard*: keydown → the last ``t-<key>.json`` response that ended before the list showed
  the value (0 when every shard it needed was loaded already);
- *chunk*: the same for the item chunks ``d-<n>.json``; *requests*: how many index files the
  keystroke requested itself;
- *shown*: keydown → the list showing the box's value (search_suggest.py's figure);
  *script*: of that, the time after the last response (analysis, ranking, DOM);
- *painted*: keydown → the next animation frame after it was shown;
- *long tasks*: main-thread tasks over 50 ms overlapping the keystroke (ms in total).

With the service up, the API's answer replaces the index's once typing pauses (search.js,
API_PAUSE): for each query's final value, the API request's own time and when its list showed.

    .venv/bin/python benchmarks/suggest_stages.py --work /tmp/sg --reuse [--site big|demo] [--queries N]

(the sites built beforehand by ``search_suggest.py --work /tmp/sg --build-only``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_browser import ARGS, CHROMIUM  # noqa: E402
from search_suggest import PROBE, QUERIES, setup, typed  # noqa: E402

STAGES_PROBE = PROBE + """
performance.setResourceTimingBufferSize(5000);
window.__sg.res = []; window.__sg.long = [];
new PerformanceObserver(l => l.getEntries().forEach(e => {
  const m = /\\/search\\/carebase\\/(?:[a-z-]+\\/)?([^/?]+)$|\\/api\\/v1\\/(search)\\?/.exec(e.name);
  if (m) window.__sg.res.push({n: m[1] || 'api', s: e.startTime, e: e.responseEnd});
})).observe({type: 'resource', buffered: true});
try { new PerformanceObserver(l => l.getEntries().forEach(e => window.__sg.long.push({s: e.startTime, d: e.duration})))
  .observe({type: 'longtask', buffered: true}); } catch (e) {}
new MutationObserver(() => { const s = window.__sg.shown, last = s[s.length - 1];
  if (last && last.raf === undefined) { last.raf = null; requestAnimationFrame(() => { last.raf = performance.now(); }); } })
  .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-carebase-query', 'data-cb-engine']});
"""


def kind_of(name: str) -> str:
    return "shard" if name.startswith("t-") else "chunk" if name.startswith("d-") else name


def stages_of(data: dict) -> tuple[list[dict], list[dict]]:
    """Per keystroke its stages; per query (its final value) the API's answer."""
    rows, api = [], []
    inputs = [i for i in data["inputs"] if i["v"]]
    for n, inp in enumerate(inputs):
        key = inp["key"]
        shown = [s for s in data["shown"] if s["q"] == inp["v"] and s["at"] >= inp["at"]]
        if not shown:
            continue
        at = shown[0]["at"]
        ended = [r for r in data["res"] if key <= r["e"] <= at]
        own = [r for r in data["res"] if key <= r["s"] <= at]
        last = {k: max((r["e"] - key for r in ended if kind_of(r["n"]) == k), default=0.0) for k in ("shard", "chunk")}
        rows.append({
            "value": inp["v"], "first": n == 0, "word": len(inp["v"].split()[-1]), "engine": shown[0]["engine"],
            "input": inp["at"] - key, "shard": last["shard"], "chunk": last["chunk"],
            "requests": sum(kind_of(r["n"]) in ("shard", "chunk", "meta.json") for r in own),
            "shown": at - key, "script": at - max([key, inp["at"]] + [r["e"] for r in ended]),
            "painted": (shown[0].get("raf") or at) - key,
            "long": sum(t["d"] for t in data["long"] if t["s"] < at and t["s"] + t["d"] > key),
        })
    if inputs:
        final = inputs[-1]
        answers = [s for s in data["shown"] if s["q"] == final["v"] and s["engine"] == "api"]
        calls = [r for r in data["res"] if r["n"] == "api" and r["s"] >= final["key"]]
        if answers and calls:
            api.append({"value": final["v"], "request": calls[0]["e"] - calls[0]["s"],
                        "sent": calls[0]["s"] - final["key"], "shown": answers[0]["at"] - final["key"]})
    return rows, api


def run(browser, url: str, queries) -> tuple[list[dict], list[dict]]:
    rows, api = [], []
    for q in queries:
        r, a = stages_of(typed(browser, url, q, STAGES_PROBE))
        rows += r
        api += a
    return rows, api


COLUMNS = ("input", "shard", "chunk", "requests", "script", "shown", "painted", "long")


def summary(label: str, rows: list[dict]) -> str:
    if not rows:
        return f"| {label} | 0 |" + " |" * len(COLUMNS)
    cells = []
    for c in COLUMNS:
        v = sorted(r[c] for r in rows)
        cells.append(f"{statistics.median(v):.0f} / {v[min(len(v) - 1, int(0.95 * len(v)))]:.0f} / {v[-1]:.0f}")
    over = sum(r["shown"] > 100 for r in rows)
    return f"| {label} | {len(rows)} ({over} over 100 ms) | " + " | ".join(cells) + " |"


def report(name: str, rows: list[dict], api: list[dict]) -> None:
    print(f"\n{name}: median / p95 / max, ms (requests: a count)\n")
    print("| keystrokes | n | " + " | ".join(COLUMNS) + " |")
    print("| --- | --- |" + " ---: |" * len(COLUMNS))
    later = [r for r in rows if not r["first"]]
    print(summary("first of a page", [r for r in rows if r["first"]]))
    print(summary("later, word of 2-3 letters", [r for r in later if 2 <= r["word"] <= 3]))
    print(summary("later, word of 1 or 4+ letters", [r for r in later if not 2 <= r["word"] <= 3]))
    print(summary("all later", later))
    slow = [r for r in rows if r["shown"] > 80]
    print("\nkeystrokes over 80 ms: " + ("; ".join(
        f"{r['value']!r} shown {r['shown']:.0f} (input {r['input']:.0f}, shard {r['shard']:.0f}, chunk {r['chunk']:.0f}, "
        f"{r['requests']} req, script {r['script']:.0f}, painted {r['painted']:.0f}, long {r['long']:.0f})" for r in slow)
        or "none"))
    if api:
        print("API answers (the final value, after the pause): " + "; ".join(
            f"{a['value']!r} sent +{a['sent']:.0f}, took {a['request']:.0f}, shown +{a['shown']:.0f}" for a in api))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", required=True, help="the folder search_suggest.py --build-only built in")
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--site", choices=("big", "demo", "both"), default="big")
    ap.add_argument("--queries", type=int, default=len(QUERIES))
    ap.add_argument("--state", choices=("down", "up", "both"), default="both")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = Path(args.work)
    projects = {"big": work / f"words{args.items}" / "carebase", "demo": work / "demo" / "carebase"}
    names = ["big", "demo"] if args.site == "both" else [args.site]
    queries = QUERIES[: max(1, args.queries)]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name in names:
            url, _service, _s, httpd, start = setup(projects[name], work, reuse=True)
            service = None
            try:
                for state in ("down", "up"):
                    if args.state not in (state, "both"):
                        continue
                    if state == "up":
                        service = start()
                    rows, api = run(browser, url, queries)
                    report(f"{name} ({projects[name].parent.name}), service {state}", rows, api)
            finally:
                if service:
                    service.stop()
                httpd.terminate()
                httpd.wait(10)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
