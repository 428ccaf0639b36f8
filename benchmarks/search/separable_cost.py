"""What reading German separated verbs joined costs (RESULTS "Session 47 (`lang`)"): search's latency
with ``carebase.search.analysis.SEPARATED`` on (shipped) and off (word by word, the code before),
alternating query by query in one process.

    python benchmarks/search/separable_cost.py [--items 10000] [--queries 2000] [--site-data DIR]

1. **The search API at 10,000 items** (``search_api.py``'s generated catalogue and queries, English, by
   words: ``CAREBASE_SEMANTIC=0`` for the build): GET /api/v1/search of the real service app over HTTP on
   127.0.0.1, each query asked twice, once per setting, the order alternating from query to query (on
   first, then off first), so the two see the same queries and the same caches; p50 / p99 of each, their
   ratios, and the median of the query-by-query ratios. English never goes through the rule; this measures what its presence costs.
2. **German questions on the demo** (every question of the session's German sets, ``separable_search.py``),
   ``Searcher.search`` in process, alternating as above, ``--rounds`` times each: p50 / p99, and how many
   queries the fast engine leaves to Whoosh (a verb and its prefix apart in one item is an ``And``; until
   session 48 the fast engine did not evaluate it and all of them went; since, none should:
   ``and_node_cost.py``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("CAREBASE_SEMANTIC", "0")

import httpx  # noqa: E402

import search_api  # noqa: E402
import separable_search  # noqa: E402

from carebase.output import open_output  # noqa: E402
from carebase.search import analysis  # noqa: E402
from carebase.search.engine import Unsupported, compile_query  # noqa: E402
from carebase.service.app import create_app  # noqa: E402
from carebase.service.config import ServiceConfig  # noqa: E402
from carebase.service.server import BackgroundServer  # noqa: E402


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def alternating(qs: list[str], ask) -> tuple[list[float], list[float]]:
    """(off, on) times in ms: each query under both settings, the order alternating."""
    off, on = [], []
    for i, q in enumerate(qs):
        for setting in ((True, False) if i % 2 else (False, True)):
            analysis.SEPARATED = setting
            t = time.perf_counter()
            ask(q)
            (on if setting else off).append((time.perf_counter() - t) * 1000)
    analysis.SEPARATED = True
    return off, on


def report(name: str, off: list[float], on: list[float]) -> None:
    """A row: each setting's p50 / p99, their ratios, and the median of the query-by-query ratios."""
    a50, a99, b50, b99 = pct(off, 50), pct(off, 99), pct(on, 50), pct(on, 99)
    paired = pct([b / a for a, b in zip(off, on) if a > 0], 50)
    print(f"| {name} | {len(off)} | {a50:.2f} / {a99:.2f} | {b50:.2f} / {b99:.2f} | {b50 / a50:.3f} | {b99 / a99:.3f} "
          f"| {paired:.3f} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5, help="German part: times each question is asked per setting")
    ap.add_argument("--site-data", metavar="DIR", help="keep the 10,000-item build output there (reused when current)")
    args = ap.parse_args(argv)
    print(f"load average at start: {search_api.loadavg()} (2 cores)")
    print("| searches | n | off (word by word): p50 / p99 ms | on (shipped): p50 / p99 ms | p50 on/off | p99 on/off "
          "| median of the per-query on/off |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        site_data = Path(args.site_data) if args.site_data else Path(tmp) / "site-data"
        open_output(site_data, search_api.generate(args.items)).wait()
        service = create_app(ServiceConfig(database_url=f"sqlite:///{tmp}/feedback.db", site_data=str(site_data),
                                            search_rate_limit=0))
        server = BackgroundServer(service, port=0, lifespan="on").start(timeout=120)
        try:
            with httpx.Client(base_url=server.url, timeout=60) as client:
                for q in search_api.queries(50, seed=12):  # warm-up, other queries
                    client.get("/api/v1/search", params={"q": q})

                def ask(q):
                    r = client.get("/api/v1/search", params={"q": q})
                    r.raise_for_status()
                off, on = alternating(search_api.queries(args.queries), ask)
        finally:
            server.stop()
        report(f"GET /api/v1/search over HTTP, {args.items:,} items (English)", off, on)
        questions = [q for _, qs in separable_search.sets("seen3").values() for q, _ in qs] + \
            [q for _, qs in separable_search.sets("confirm3").values() for q, _ in qs]
        found = {"demo": separable_search.searcher(separable_search.DEMO, Path(tmp) / "demo", "de")[0],
                 "harness": separable_search.searcher(separable_search.harness.HELPCENTRE, Path(tmp) / "harness", "de")[0]}
        where = {q: w for kind in ("seen3", "confirm3") for w, qs in separable_search.sets(kind).values() for q, _ in qs}
        whoosh = 0
        for q in questions:
            query, _ = found[where[q]].build_query(q)
            try:
                compile_query(query)
            except Unsupported:
                whoosh += 1
        off, on = alternating(questions * args.rounds, lambda q: found[where[q]].search(q, limit=10))
        report(f"Searcher.search in process, German demo and harness questions ×{args.rounds}", off, on)
        print(f"\nGerman questions: {len(questions)}; through Whoosh with the rule on: {whoosh}")
    print(f"load average at the end: {search_api.loadavg()} (2 cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
