"""The CPU of the learned votes per query, with and without coverage weighting, alternating
(session 48, `learn`): what ``carebase.learned.coverage`` adds to a search with learning on.

    python benchmarks/search/learned_votes_cost.py DB [--set …] [--rounds 5] [--queries 1000]

DB: a store ``http_loop.py --keep`` played. The snapshot is learned from it as the service's
worker learns (embeddings, the wording vectors from the learned-vectors cache); half B's queries
are embedded once first (the search embeds each query once, for both the base ranking and the
votes), so what is timed is ``NearestWordings.votes`` alone: the same snapshot's votes with its
coverage (as shipped) and with it set to None (4a859847's votes), in alternating rounds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--queries", type=int, default=1000)
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)
    from carebase.learned import refresh
    from carebase.learned.model import learn
    from carebase.learned.nearest import meaning_or_none
    from carebase.learned.model import VectorMemo
    from carebase.search.vector_cache import VectorCache
    from carebase.store.engine import open_engine

    meaning = meaning_or_none()
    if meaning is None:
        sys.exit("the embedding model is not installed: coverage applies to embedded neighbours only")
    queries = [q.text[:200] for q in harness.query_set(args).queries() if q.half == "B"][: args.queries]
    vectors = dict(zip(queries, meaning.embed_queries(queries)))
    memo = VectorMemo(meaning.embed_queries, meaning.model_id(), cache=VectorCache(refresh._cache_path()))
    snap = learn(open_engine(f"sqlite:///{args.db}", migrate=False), memo=memo, embed_query=lambda q: vectors[q])
    nearest = snap.nearest
    coverage = nearest.coverage
    for q in queries:  # warm: the phrase caches, as a running service has them for repeated words
        nearest.votes(q)
    per = {"coverage": [], "none": []}
    for _ in range(args.rounds):
        for name in ("none", "coverage"):
            nearest.coverage = coverage if name == "coverage" else None
            for q in queries:
                t = time.process_time_ns()
                nearest.votes(q)
                per[name].append((time.process_time_ns() - t) / 1e3)
    for name, times in per.items():
        times.sort()
        print(f"{name}: median {statistics.median(times):.0f} µs, p99 {times[int(len(times) * 0.99)]:.0f} µs "
              f"of CPU per query's votes ({len(times)} timed, {len(nearest)} wordings)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
