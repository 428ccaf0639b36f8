"""Relevance of each search engine on the relevance harness (BANKING77 queries, 77-article
help centre): the fast numpy engine must rank as the Whoosh reference does.

Runs ``Searcher(..., engine=E)`` for E in fast, whoosh (reference: Whoosh's matchers, every
match scored, BestOf for a word's alternatives; RESULTS.md also has the numbers of
whoosh-topk, the path carebase ran before the fast engine, since removed), over the same
index and queries, and prints hit@1 / hit@5 / MRR@10, the ms per query and how many
queries' top 10 differ from the reference.

    python benchmarks/search_engines_relevance.py [--limit N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "search"))

import harness  # noqa: E402

from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import ENGINES, Searcher  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="use only the first N queries (0: all)")
    args = ap.parse_args(argv)
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores)")
    catalogue = harness.load_helpcentre()
    queries = harness.load_queries(harness.load_intents())
    if args.limit:
        queries = queries[: args.limit]
    ranked, ms, keys = {}, {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        build_index(catalogue, Path(tmp) / "ix")
        for engine in ENGINES:
            searcher = Searcher(open_index(Path(tmp) / "ix"), catalogue, engine=engine)
            t = time.perf_counter()
            results = [searcher.search(q.text, limit=10) for q in queries]
            ms[engine] = (time.perf_counter() - t) * 1000 / len(queries)
            ranked[engine] = [[h.id for h in r.hits] for r in results]
            keys[engine] = [[h.key for h in r.hits] for r in results]
    print(f"\n{len(queries)} queries\n")
    print("| engine | hit@1 | hit@5 | MRR@10 | ms/query | queries whose top 10 differs from whoosh |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for engine in ENGINES:
        m = harness.metrics(ranked[engine], queries)
        differ = sum(a != b for a, b in zip(keys[engine], keys["whoosh"]))
        print(f"| {engine} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | {m['mrr@10']:.3f} | {ms[engine]:.2f} | {differ} |")
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
