"""The search API at scale with learning on, the learned votes with and without coverage
weighting, alternating query by query in one server (session 48, `learn`).

    python benchmarks/learned_api_cost.py [--items 10000] [--learned 20000] [--queries 400] --site-data DIR [--learned-cache FILE]

``search_api.py``'s catalogue, build output and learned snapshot (N planted journeys, wordings
embedded), mounted twice on one server over one hybrid ``Searcher``: ``/with`` the snapshot as
carebase ranks with it, ``/without`` the same snapshot with its coverage set to None — the votes
of 4a859847 (``NearestWordings.votes`` without coverage is that code's), everything else the
same. Each query is asked of both, in alternating order, each time embedded anew (the query
vector cache emptied first), and the wall time of ``GET /api/v1/search`` is kept: p50, p99 and
their ratios.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.routing import Mount

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_api  # noqa: E402

from carebase.output import open_output  # noqa: E402
from carebase.service.routes_search import routes  # noqa: E402
from carebase.service.server import BackgroundServer  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--learned", type=int, default=20000)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--site-data", metavar="DIR", required=True)
    ap.add_argument("--learned-cache", type=Path, metavar="FILE",
                    help="the learned wordings' vectors kept in this file (search_api.py's option): a re-run embeds none")
    args = ap.parse_args(argv)
    from carebase.search import meaning

    print(f"load average at start: {search_api.loadavg()} (2 cores)")
    catalogue = search_api.generate(args.items)
    output = open_output(Path(args.site_data), catalogue).wait()
    searchers, _ = search_api.open_searchers(output, catalogue, ["hybrid"])
    searcher = searchers["hybrid"]
    with tempfile.TemporaryDirectory() as tmp:
        snap, note = search_api.learned_snapshot(catalogue, args.learned, Path(tmp), args.learned_cache)
    print(note)
    old = copy.copy(snap)
    old.nearest = copy.copy(snap.nearest)
    old.nearest.coverage = None
    app = Starlette(routes=[Mount("/with", routes=routes(lambda: searcher, learned=search_api._Snapshot(snap))),
                            Mount("/without", routes=routes(lambda: searcher, learned=search_api._Snapshot(old)))])
    server = BackgroundServer(app, port=0, lifespan="off").start(timeout=60)
    times = {"with": [], "without": []}
    voted = 0
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            for q in search_api.queries(50, seed=99):  # warm-up
                for name in times:
                    client.get(f"/{name}/api/v1/search", params={"q": q})
            for n, q in enumerate(search_api.queries(args.queries)):
                order = ("with", "without") if n % 2 else ("without", "with")
                for name in order:
                    with meaning._lock:
                        meaning._query_cache.clear()
                    t = time.perf_counter()
                    r = client.get(f"/{name}/api/v1/search", params={"q": q})
                    times[name].append((time.perf_counter() - t) * 1000)
                    r.raise_for_status()
                voted += bool(snap.votes(q))
    finally:
        server.stop()
    p = {name: (search_api.pct(sorted(t), 0.5), search_api.pct(sorted(t), 0.99)) for name, t in times.items()}
    print(f"{args.queries} queries ({voted} with learned votes), {args.items} items, alternating; load {search_api.loadavg()}")
    print("| votes | p50 ms | p99 ms |\n| --- | ---: | ---: |")
    for name in ("without", "with"):
        print(f"| {name} coverage | {p[name][0]:.2f} | {p[name][1]:.2f} |")
    print(f"| ratio with / without | {p['with'][0] / p['without'][0]:.3f} | {p['with'][1] / p['without'][1]:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
