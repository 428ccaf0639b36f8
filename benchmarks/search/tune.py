"""Tune the hybrid's weight on half A only (half B is never looked at here).

    python benchmarks/search/tune.py [--content DIR]   # e.g. the gap loop's after/ copy

Prints hit@1 / hit@5 / MRR@10 on half A for the lexical engine and for the fused
score at several semantic weights; the chosen weight is carebase.search.semantic.ALPHA.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402
from carebase.search import meaning, semantic  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", type=Path, default=harness.HELPCENTRE, help="the help centre (default: the benchmark's)")
    args = ap.parse_args(argv)
    catalogue = harness.load_helpcentre(args.content)
    queries = [q for q in harness.load_queries(harness.load_intents()) if q.half == "A"]
    with tempfile.TemporaryDirectory() as tmp:
        build_index(catalogue, Path(tmp) / "ix")
        searcher = Searcher(open_index(Path(tmp) / "ix"), catalogue)
        sem = semantic.SemanticIndex.build(catalogue, Path(tmp) / "ix")
        lexical = []
        for q in queries:
            query, clauses = searcher.build_query(q.text)
            lexical.append(searcher.lexical(query, limit=50)[0] if query is not None else [])
        qvecs = meaning.embed_queries([q.text for q in queries])
        sims_about = qvecs @ sem.vectors[0].T
        sims_full = qvecs @ sem.vectors[1].T
    lex_ranked = [[k for k, _ in res] for res in lexical]
    print("lexical", harness.metrics(lex_ranked, queries))
    for mode in ("max", "about", "full", "mean"):
        sims = {"max": lambda: (sims_about > sims_full) * sims_about + (sims_about <= sims_full) * sims_full,
                "about": lambda: sims_about, "full": lambda: sims_full,
                "mean": lambda: (sims_about + sims_full) / 2}[mode]()
        for alpha in (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
            ranked = []
            for qi, res in enumerate(lexical):
                best = max((s for _, s in res), default=0.0) or 1.0
                fused = {k: (1 - alpha) * s / best + alpha * float(sims[qi][sem.position[k]]) for k, s in res}
                for i in (-sims[qi]).argsort()[:50]:
                    fused.setdefault(sem.keys[i], alpha * float(sims[qi][i]))
                ranked.append([k for k, _ in sorted(fused.items(), key=lambda kv: -kv[1])[:10]])
            m = harness.metrics(ranked, queries)
            print(f"{mode:5} alpha={alpha:.1f} hit@1={m['hit@1']:.3f} hit@5={m['hit@5']:.3f} mrr={m['mrr@10']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
