"""Precision on multi-word queries: the demo help centre (content/) and the judged queries in
demo_queries.yml (written before any ranking change was measured).

For each query, what a customer sees first: the strong matches (those that match enough of
the query's words, before "show weaker matches"), at most 5 of them. Reported:

- precision@5: relevant results among the first 5 shown, divided by 5 (a list shorter than 5
  counts the empty places as misses: the classic figure);
- precision of what is shown: relevant among the first min(5, shown) results / that number;
- precision of the strong set: relevant among every strong result / their number (an item's
  several records, e.g. a video's chapters, count once);
- precision@5 of the whole list (weaker matches shown too: the ranking itself);
- hit@1, and how many results the customer is shown before "show weaker matches" (all of
  them when the search has no such step).

    python benchmarks/search/demo_precision.py [--content content] [--queries FILE] [--per-query] [--hybrid]

``--hybrid``: search with meaning (BM25F fused with the embeddings), as the service does by default.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def load_queries(path: Path) -> list[dict]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [{"query": str(r["query"]), "relevant": set(r["relevant"])} for r in rows]


def shown(results) -> list[str]:
    """Item ids shown before "show weaker matches" (every hit when there is no such step)."""
    strong = getattr(results, "strong", None)
    hits = results.hits if strong is None else results.hits[:strong]
    return list(dict.fromkeys(h.id for h in hits))


def measure(searcher, queries: list[dict]) -> list[dict]:
    rows = []
    for q in queries:
        res = searcher.search(q["query"], limit=50)
        ids = shown(res)
        top = ids[:5]
        strong_ids = list(dict.fromkeys(h.id for h in res.hits if getattr(h, "strong", True)))
        rel = sum(1 for i in top if i in q["relevant"])
        strong = getattr(res, "strong", None)
        listed = list(dict.fromkeys(h.id for h in res.hits))[:5]
        rows.append({
            "query": q["query"], "p5": rel / 5, "p5_list": sum(1 for i in listed if i in q["relevant"]) / 5, "p_shown": rel / len(top) if top else 0.0,
            "p_strong": sum(1 for i in strong_ids if i in q["relevant"]) / len(strong_ids) if strong_ids else 0.0,
            "hit1": bool(top) and top[0] in q["relevant"], "shown": res.total if strong is None else strong,
            "total": res.total, "suggestion": res.suggestion, "top": top,
        })
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--content", type=Path, default=REPO / "content")
    ap.add_argument("--queries", type=Path, default=HERE / "demo_queries.yml")
    ap.add_argument("--per-query", action="store_true", help="print every query's row")
    ap.add_argument("--hybrid", action="store_true", help="search with meaning (needs carebase[semantic])")
    args = ap.parse_args(argv)

    from carebase.content import load_catalogue
    from carebase.search.index import build_index
    from carebase.search.query import Searcher

    catalogue = load_catalogue(args.content)
    queries = load_queries(args.queries)
    known = {i.id for i in catalogue.items()}
    unknown = sorted({r for q in queries for r in q["relevant"]} - known)
    if unknown:
        sys.exit(f"{args.queries}: relevant ids not in {args.content}: {', '.join(unknown)}")
    with tempfile.TemporaryDirectory() as tmp:
        semantic = None
        index = build_index(catalogue, Path(tmp) / "ix")
        if args.hybrid:
            from carebase.search.semantic import SemanticIndex

            semantic = SemanticIndex.build(catalogue, Path(tmp) / "ix")
        searcher = Searcher(index, catalogue, semantic=semantic)
        rows = measure(searcher, queries)
        searcher.close()
    if args.per_query:
        print("| query | shown | total | P@5 | did you mean | first 5 shown |")
        print("| --- | ---: | ---: | ---: | --- | --- |")
        for r in rows:
            print(f"| {r['query']} | {r['shown']} | {r['total']} | {r['p5']:.1f} | {r['suggestion'] or ''} | "
                  f"{', '.join(r['top'])} |")
        print()
    print("\n".join(table(rows)))
    return 0


def table(rows: list[dict]) -> list[str]:
    """The figures of ``measure``'s rows, a Markdown table (chapter_meaning.py prints it too)."""
    n = len(rows)
    return ["| queries | precision@5 | precision of shown (≤5) | precision of the strong set "
            "| precision@5, weaker matches shown too | hit@1 | results shown, median (max) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            f"| {n} | {sum(r['p5'] for r in rows) / n:.3f} | {sum(r['p_shown'] for r in rows) / n:.3f} | "
            f"{sum(r['p_strong'] for r in rows) / n:.3f} | "
            f"{sum(r['p5_list'] for r in rows) / n:.3f} | "
            f"{sum(r['hit1'] for r in rows) / n:.3f} | {statistics.median(r['shown'] for r in rows):.0f} "
            f"({max(r['shown'] for r in rows)}) |"]


if __name__ == "__main__":
    raise SystemExit(main())
