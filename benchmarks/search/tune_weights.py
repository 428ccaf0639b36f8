"""Grid the query weights on half A only (half B is never ranked here).

    python benchmarks/search/tune_weights.py [--content DIR] [--synonym 0.6,0.7,0.8,0.9]
        [--typo 0.75,0.85,0.95] [--alpha 0.8,0.85,0.9,0.95] [--no-hybrid]

For every synonym-alternative weight (carebase.search.analysis.SYNONYM_WEIGHT) and
typo-correction weight (FUZZY_WEIGHT), half A is ranked by the lexical engine
(Searcher.search, top 10) and, with carebase[semantic], by the hybrid at every fusion
weight (carebase.search.semantic.ALPHA): the lexical top CANDIDATES are computed once per
setting and fused exactly as SemanticIndex.search fuses them (checked against
Searcher.search at the current defaults before the grid runs).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from query_vectors import prime, search_text  # noqa: E402

from carebase.search import analysis, semantic  # noqa: E402
from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402


def _floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",") if x.strip()]


def fuse(lexical, sem, keys, alpha: float, limit: int = 10) -> list[str]:
    """SemanticIndex.search's fusion (no kind filter) on precomputed scores."""
    best = max((s for _, s in lexical), default=0.0) or 1.0
    position = {k: i for i, k in enumerate(keys)}
    fused: dict[str, float] = {}
    for key, s in lexical:
        i = position.get(key)
        fused[key] = (1 - alpha) * s / best + alpha * (float(sem[i]) if i is not None else 0.0)
    for i in (-sem).argsort()[: semantic.CANDIDATES]:
        if sem[i] < semantic.MIN_SIMILARITY:
            break
        if keys[i] not in fused:
            fused[keys[i]] = alpha * float(sem[i])
    return [k for k, _ in sorted(fused.items(), key=lambda kv: -kv[1])[:limit]]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", type=Path, default=harness.HELPCENTRE, help="the help centre (default: the benchmark's)")
    ap.add_argument("--synonym", type=_floats, default=[0.6, 0.7, 0.8, 0.9])
    ap.add_argument("--typo", type=_floats, default=[0.75, 0.85, 0.95])
    ap.add_argument("--alpha", type=_floats, default=[0.8, 0.85, 0.9, 0.95])
    ap.add_argument("--no-hybrid", action="store_true")
    args = ap.parse_args(argv)
    catalogue = harness.load_helpcentre(args.content)
    queries = [q for q in harness.load_queries(harness.load_intents()) if q.half == "A"]
    defaults = (analysis.SYNONYM_WEIGHT, analysis.FUZZY_WEIGHT, semantic.ALPHA)
    print(f"half A: {len(queries)} queries; content {args.content}; defaults synonym={defaults[0]} "
          f"typo={defaults[1]} alpha={defaults[2]}; load {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        build_index(catalogue, Path(tmp) / "ix")
        searcher = Searcher(open_index(Path(tmp) / "ix"), catalogue)
        sem = None
        if not args.no_hybrid:
            sem = semantic.SemanticIndex.build(catalogue, Path(tmp) / "ix")
            # the did-you-mean text depends on the corrections only, not on the weights
            texts = [search_text(searcher, q.text) for q in queries]
            prime(texts)
            sims = [sem.scores(t) for t in texts]
            hybrid = Searcher(open_index(Path(tmp) / "ix"), catalogue, semantic=sem)
            check = queries[:300]
            real = [[h.id for h in hybrid.search(q.text, limit=10).hits] for q in check]
            mine = []
            for q, s in zip(check, sims):
                query, _ = searcher.build_query(q.text)
                lex = searcher.lexical(query, limit=semantic.CANDIDATES)[0] if query is not None else []
                mine.append(fuse(lex, s, sem.keys, semantic.ALPHA))
            same = sum(a == b for a, b in zip(real, mine))
            print(f"fusion check vs Searcher.search (hybrid, defaults): {same}/{len(check)} identical top 10", flush=True)
        rows = []
        for syn in args.synonym:
            for typo in args.typo:
                analysis.SYNONYM_WEIGHT, analysis.FUZZY_WEIGHT = syn, typo
                t = time.perf_counter()
                shown, cands = [], []
                for q in queries:
                    shown.append([h.id for h in searcher.search(q.text, limit=10).hits])
                    if sem is not None:
                        query, _ = searcher.build_query(q.text)
                        cands.append(searcher.lexical(query, limit=semantic.CANDIDATES)[0] if query is not None else [])
                m = harness.metrics(shown, queries)
                line = f"synonym={syn:.2f} typo={typo:.2f} lexical hit@1={m['hit@1']:.4f} hit@5={m['hit@5']:.4f} mrr={m['mrr@10']:.3f}"
                rows.append(("lexical", syn, typo, None, m))
                if sem is not None:
                    for alpha in args.alpha:
                        hm = harness.metrics([fuse(c, s, sem.keys, alpha) for c, s in zip(cands, sims)], queries)
                        rows.append(("hybrid", syn, typo, alpha, hm))
                        line += f"\n    hybrid alpha={alpha:.2f} hit@1={hm['hit@1']:.4f} hit@5={hm['hit@5']:.4f} mrr={hm['mrr@10']:.3f}"
                print(line + f"  ({time.perf_counter() - t:.0f} s, load {os.getloadavg()[0]:.2f})", flush=True)
        analysis.SYNONYM_WEIGHT, analysis.FUZZY_WEIGHT = defaults[:2]
    for engine in ("lexical", "hybrid"):
        best = sorted((r for r in rows if r[0] == engine), key=lambda r: (-r[4]["hit@1"], -r[4]["hit@5"]))[:3]
        for _, syn, typo, alpha, m in best:
            print(f"best {engine}: synonym={syn} typo={typo} alpha={alpha} hit@1={m['hit@1']:.4f} hit@5={m['hit@5']:.4f} mrr={m['mrr@10']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
