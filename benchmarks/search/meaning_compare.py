"""Compare embedding backends for hybrid search on the relevance harness; fusion chosen on A.

    python benchmarks/search/meaning_compare.py [--backends minilm-onnx,e5] [--lexical-cache FILE]

The lexical top CANDIDATES (Searcher.lexical, the defaults) and the text each query's
semantic side embeds (the did-you-mean text, else the query) are computed once for all
queries. Then, for each backend: every record and query is embedded, and every fusion
setting (carebase.search.semantic.fuse: linear, linear-norm, rrf, over a fixed grid) is
scored on half A only; the setting best on A (hit@1, then hit@5) is then measured on half
B, once, with dense-only rankings for reference. Half B plays no part in any choice.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import extra_backends  # noqa: E402
import harness  # noqa: E402

from carebase.search import meaning, semantic  # noqa: E402
from carebase.search.analysis import suggestion  # noqa: E402
from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402
from carebase.search.records import catalogue_records  # noqa: E402

GRID = [("linear", a) for a in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)] \
    + [("linear-norm", a) for a in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)] \
    + [("rrf", k) for k in (5, 10, 20, 40, 60)]


def lexical_pass(catalogue, queries, cache: Path | None):
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    with tempfile.TemporaryDirectory() as tmp:
        build_index(catalogue, Path(tmp) / "ix")
        searcher = Searcher(open_index(Path(tmp) / "ix"), catalogue)
        cands, texts = [], []
        t = time.perf_counter()
        for n, q in enumerate(queries, 1):
            query, clauses = searcher.build_query(q.text)
            texts.append(suggestion(q.text, clauses) or q.text)
            cands.append(searcher.lexical(query, limit=semantic.CANDIDATES)[0] if query is not None else [])
            if n % 1000 == 0:
                print(f"  lexical {n}/{len(queries)} ({time.perf_counter() - t:.0f} s)", file=sys.stderr, flush=True)
    result = (cands, texts)
    if cache:
        cache.write_bytes(pickle.dumps(result))
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backends", default="minilm-onnx,e5")
    ap.add_argument("--lexical-cache", type=Path, default=None)
    args = ap.parse_args(argv)
    extra_backends.register()
    catalogue = harness.load_helpcentre()
    queries = harness.load_queries(harness.load_intents())
    records = list(catalogue_records(catalogue))
    keys = [r.key for r in records]
    position = {k: i for i, k in enumerate(keys)}
    cands, texts = lexical_pass(catalogue, queries, args.lexical_cache)
    idx = {h: [i for i, q in enumerate(queries) if q.half == h] for h in "AB"}

    def score(ranked, half):
        return harness.metrics([ranked[i] for i in idx[half]], [queries[i] for i in idx[half]])

    lex = [[k for k, _ in c[:10]] for c in cands]
    print(f"lexical (Searcher.lexical top 10): A {score(lex, 'A')}  B {score(lex, 'B')}")
    print("| backend | fusion chosen on A | A hit@1 | A hit@5 | B hit@1 | B hit@5 | B MRR@10 | dense-only B hit@1 | dense-only B hit@5 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in args.backends.split(","):
        os.environ["CAREBASE_EMBEDDER"] = name
        meaning.reset()
        if not meaning.available():
            print(f"| {name} | unavailable: {meaning.status()} |")
            continue
        t = time.perf_counter()
        vectors = semantic.record_vectors(records)
        uniq = list(dict.fromkeys(texts))
        qv = dict(zip(uniq, meaning.embed_queries(uniq)))
        sims = [(vectors @ qv[t]).max(axis=0) for t in texts]
        took = time.perf_counter() - t
        grid = []
        for method, param in GRID:
            ranked = [[k for k, _ in semantic.fuse(c, s, keys, position, method=method, param=param)[:10]]
                      for c, s in zip(cands, sims)]
            m = score(ranked, "A")
            grid.append((m["hit@1"], m["hit@5"], method, param, ranked))
            print(f"  {name} {method} {param}: A hit@1 {m['hit@1']:.4f} hit@5 {m['hit@5']:.4f}", file=sys.stderr, flush=True)
        best = max(grid, key=lambda g: (g[0], g[1]))
        b = score(best[4], "B")
        dense = [[keys[i] for i in np.argsort(-s)[:10]] for s in sims]
        d = score(dense, "B")
        print(f"| {name} ({meaning.model_id()}) | {best[2]} {best[3]} | {best[0]:.3f} | {best[1]:.3f} | "
              f"{b['hit@1']:.3f} | {b['hit@5']:.3f} | {b['mrr@10']:.3f} | {d['hit@1']:.3f} | {d['hit@5']:.3f} |", flush=True)
        print(f"  ({len(uniq)} distinct query texts + {2 * len(records)} passages embedded in {took:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
