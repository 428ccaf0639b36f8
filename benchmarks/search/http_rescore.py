"""Score half B again through the HTTP search API on a store ``http_loop.py --keep`` played.

    python benchmarks/search/http_rescore.py KEPT --out DIR [--set second|third --data PATH] [--explain]

What ``http_loop.py`` plays (half A, each journey's clicks at the ranks the service showed
before it learned anything) does not depend on how the learned phrasings rank, so a change to
the ranking is measured on the same played store: a copy of ``KEPT/feedback.db`` is served by a
``carebase service`` of the code this process imports (as ``http_loop.py`` starts it), which
learns from it; half B is ranked through ``GET /api/v1/search`` and scored as ``http_loop.py``
scores it (hit@1, hit@5, MRR@10). ``DIR/ranks.json`` keeps every query's first 10 ids, so two
codes compare query by query; ``--explain`` adds each query's ``/api/v1/learned/explain``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
import http_loop  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kept", type=Path, help="a folder http_loop.py --keep wrote (its feedback.db)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--learn-every", type=float, default=5.0)
    ap.add_argument("--relearn-timeout", type=float, default=3600)
    ap.add_argument("--explain", action="store_true", help="also keep each query's learned/explain answer")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)
    chosen = harness.query_set(args)
    scored = [q for q in chosen.queries() if q.half == "B"]
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    for name in ("feedback.db", "feedback.db-wal", "feedback.db-shm"):
        if (args.kept / name).exists():
            shutil.copy2(args.kept / name, args.out / name)
    service = http_loop.Service(args.out, chosen.helpcentre, args.learn_every, [])
    try:
        snap = http_loop.wait_for_refresh(service, 0, timeout=args.relearn_timeout)
        started = time.perf_counter()
        ranked = http_loop.rank_all(service, scored, 100_000, args.jobs)
        seconds = time.perf_counter() - started
        explained = []
        if args.explain:
            def explain(q):
                r = service.http.get("/api/v1/learned/explain", params={"q": q.text[:200]},
                                     headers={"Authorization": f"Bearer {http_loop.TOKEN}"})
                r.raise_for_status()
                return r.json()
            with ThreadPoolExecutor(args.jobs) as pool:
                explained = list(pool.map(explain, scored))
    finally:
        service.stop()
    after = harness.metrics([ids for ids, _ in ranked], scored)
    summary = {k: v for k, v in snap.items() if k != "ties"}
    result = {"kept": str(args.kept), "scored": len(scored), "learned": summary, "after": after,
              "ms_per_search": round(1000 * seconds / max(1, len(scored)), 2)}
    (args.out / "ranks.json").write_text(json.dumps(
        [{"text": q.text, "target": q.target, "ids": ids} for q, (ids, _) in zip(scored, ranked)]))
    if explained:
        (args.out / "explain.json").write_text(json.dumps(explained))
    (args.out / "rescore.json").write_text(json.dumps(result, indent=1))
    print(f"| B (scored) | {len(scored)} | {after['hit@1']:.3f} | {after['hit@5']:.3f} | {after['mrr@10']:.3f} |")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
