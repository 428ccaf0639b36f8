"""Relevance harness: BANKING77 customer queries against a 77-article help centre.

Measures hit@1, hit@5 and MRR@10 for Material's client search (lunr, as the theme
configures it) and carebase search (lexical, and hybrid when carebase[semantic] is
installed), all in one run, on all queries and on the halves A (tuning) and B (held out).

    python benchmarks/search/relevance.py [--limit N] [--no-hybrid] [--no-material] [--strong-only]
                                          [--set second|third --data PATH] [--confusions N]
                                          [--save-runs FILE] [--paired FILE]

``--save-runs``/``--paired``: the paired judge of a strong-set rule against a baseline run
(paired.py: queries won and lost, a sign test, strong-set precision with a bootstrap interval).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import paired  # noqa: E402
from query_vectors import prime, search_text  # noqa: E402
import material  # noqa: E402

from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402


class Run:
    """One query's search: the top 10 ids, the strong ones among them (what the site shows
    before "Show weaker matches"), how many are strong in all, and how many words count; the
    rows listed in all (``total``: "Show weaker matches (N)" is N = total - strong) and the row
    of the answer's first record in that whole list (``rank``, None: not listed; set by
    ``answer_ranks``)."""

    __slots__ = ("ids", "strong_ids", "strong", "words", "total", "rank")

    def __init__(self, res):
        self.ids = [h.id for h in res.hits]
        self.strong_ids = [h.id for h in res.hits if h.strong]
        self.strong = res.strong if res.strong is not None else res.total
        self.words = len(res.clauses)
        self.total = res.total
        self.rank = None


class BrowserRun(Run):
    """One query's search by the browser's client index (``strong_parity.browser``'s settled answer:
    strong count, strong ids, ids); the words that count are the service's."""

    def __init__(self, settled, words: int):
        strong, strong_ids, ids = settled
        self.ids, self.strong_ids, self.strong, self.words = ids[:10], [i for i in strong_ids if i in ids[:10]], strong, words
        self.total, self.rank = None, None  # the whole list is not read (the browser has no meaning)


def carebase_runs(searcher, queries) -> tuple[list[Run], float]:
    """Every query searched once (top 10), and the milliseconds it took; then each answer's row
    in the whole list (``answer_ranks``, not timed)."""
    t = time.perf_counter()
    runs = [Run(searcher.search(q.text, limit=10)) for q in queries]
    ms = (time.perf_counter() - t) * 1000
    answer_ranks(searcher, queries, runs)
    return runs, ms


def answer_ranks(searcher, queries, runs: list[Run]) -> None:
    """Each run's ``rank``: the row of the answer's first record in the whole list, read from the
    top 10 when it is there, else from the whole list (searched again, every row, no snippets)."""
    from carebase.search.query import MAX_DEPTH

    for q, run in zip(queries, runs):
        if q.target in run.ids:  # the top 10's rows, one per record, in the list's order
            run.rank = run.ids.index(q.target)
            continue
        if run.total <= len(run.ids):
            continue
        ids = [h.id for h in searcher.search(q.text, limit=min(run.total, MAX_DEPTH), snippets=False).hits]
        run.rank = ids.index(q.target) if q.target in ids else None


def strong_table(rows: list[tuple[str, list[Run]]], queries) -> str:
    """The strong set on the queries of two or more words that count (after stop words): the
    share whose strong matches hold the answer (among the first 10 results), the share whose
    first 5 strong matches do, and the strong set's size (mean, median, share over 10)."""
    import statistics

    out = ["| engine | split | multi-word queries | answer strong | answer in strong top 5 | strong, mean | "
           "strong, median | strong > 10 |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, runs in rows:
        for split in ("all", "A", "B"):
            idx = [i for i, q in enumerate(queries) if (split == "all" or q.half == split) and runs[i].words >= 2]
            if not idx:
                continue
            n = len(idx)
            held = sum(queries[i].target in runs[i].strong_ids for i in idx) / n
            top5 = sum(queries[i].target in list(dict.fromkeys(runs[i].strong_ids))[:5] for i in idx) / n
            sizes = [runs[i].strong for i in idx]
            out.append(f"| {name} | {split} | {n} | {held:.3f} | {top5:.3f} | {statistics.fmean(sizes):.2f} | "
                       f"{statistics.median(sizes):.0f} | {sum(s > 10 for s in sizes) / n:.3f} |")
    return "\n".join(out)


def table(rows: list[tuple[str, dict]], queries) -> str:
    out = ["| engine | split | queries | hit@1 | hit@5 | MRR@10 |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    for name, ranked in rows:
        for split in ("all", "A", "B"):
            idx = [i for i, q in enumerate(queries) if split == "all" or q.half == split]
            m = harness.metrics([ranked[i] for i in idx], [queries[i] for i in idx])
            out.append(f"| {name} | {split} | {len(idx)} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | {m['mrr@10']:.3f} |")
    return "\n".join(out)


def confusions(rows: list[tuple[str, list[list[str]]]], queries, n: int) -> str:
    """Half B per engine: hit@1 and hit@5 per target article (worst first), then the ``n``
    most frequent (target → the id ranked first instead) pairs, each with one query."""
    from collections import Counter, defaultdict

    out = []
    for name, ranked in rows:
        per, pairs, example = defaultdict(lambda: [0, 0, 0]), Counter(), {}
        for ids, q in zip(ranked, queries):
            if q.half != "B":
                continue
            ids = list(dict.fromkeys(ids))[:10]
            per[q.target][0] += 1
            per[q.target][1] += ids[:1] == [q.target]
            per[q.target][2] += q.target in ids[:5]
            if ids[:1] != [q.target]:
                pairs[(q.target, ids[0] if ids else "(no result)")] += 1
                example.setdefault((q.target, ids[0] if ids else "(no result)"), q.text)
        out += [f"\n{name}, half B, per target (worst hit@1 first):", "| target | queries | hit@1 | hit@5 |",
                "| --- | ---: | ---: | ---: |"]
        out += [f"| {t} | {c[0]} | {c[1] / c[0]:.2f} | {c[2] / c[0]:.2f} |"
                for t, c in sorted(per.items(), key=lambda kv: (kv[1][1] / kv[1][0], kv[0]))]
        out += ["| target | ranked first instead | queries | e.g. |", "| --- | --- | ---: | --- |"]
        out += [f"| {t} | {w} | {c} | {example[(t, w)]} |" for (t, w), c in pairs.most_common(n)]
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0, help="use only the first N queries (0: all)")
    ap.add_argument("--no-hybrid", action="store_true", help="skip the semantic hybrid")
    ap.add_argument("--no-material", action="store_true", help="skip Material's engine")
    ap.add_argument("--strong-only", action="store_true",
                    help="also measure carebase on its strong matches only (before 'Show weaker matches'), "
                         "and its strong set on the queries of two or more words")
    ap.add_argument("--confusions", type=int, default=0, metavar="N",
                    help="also print carebase's half-B hit@1 per target article and its N most frequent confusions")
    ap.add_argument("--browser", action="store_true",
                    help="also measure the browser's client index (search-index.js in Node: the site with the service down)")
    ap.add_argument("--browser-assets", type=Path, metavar="DIR",
                    help="the folder of the analyser.js and search-index.js --browser runs (another version's)")
    ap.add_argument("--save-runs", type=Path, metavar="FILE",
                    help="write each query's strong-set outcome (per carebase engine) for a later --paired")
    ap.add_argument("--paired", type=Path, metavar="FILE",
                    help="compare each query's strong set with a baseline written by --save-runs (paired.py)")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)
    if args.save_runs or args.paired:
        args.strong_only = True

    chosen = harness.query_set(args)
    queries = chosen.queries()
    catalogue = chosen.catalogue()
    if args.limit:
        queries = queries[: args.limit]
    texts = [q.text for q in queries]
    rows = []
    strong_rows = []  # (engine, its runs): --strong-only's strong-set table
    timings = []
    if not args.no_material:
        ranked, t = material.run(catalogue, texts)
        rows.append(("Material (lunr 2.3.9)", ranked))
        timings.append(f"Material: index {t['build_ms']:.0f} ms, {t['query_ms'] / len(texts):.2f} ms/query")
        ranked, _ = material.run(catalogue, texts, plain=True)
        rows.append(("plain lunr 2.3.9 (its default pipeline, harness check)", ranked))
    with tempfile.TemporaryDirectory() as tmp:
        build_index(catalogue, Path(tmp) / "ix", site_search=Path(tmp) / "site" if args.browser else None)
        searcher = Searcher(open_index(Path(tmp) / "ix"), catalogue)
        runs, ms = carebase_runs(searcher, queries)
        rows.append(("carebase lexical (Whoosh BM25F)", [r.ids for r in runs]))
        timings.append(f"carebase lexical: {ms / len(texts):.2f} ms/query")
        if args.strong_only:
            rows.append(("carebase lexical, strong matches only", [r.strong_ids for r in runs]))
            strong_rows.append(("carebase lexical", runs))
        if args.browser:
            import strong_parity

            answers = strong_parity.browser(Path(tmp) / "site", texts, args.browser_assets or strong_parity.ASSETS)
            client = [BrowserRun(settled, lexical.words) for (settled, _typed), lexical in zip(answers, runs)]
            rows.append(("browser's client index (search-index.js)", [r.ids for r in client]))
            if args.strong_only:
                rows.append(("browser's client index, strong matches only", [r.strong_ids for r in client]))
                strong_rows.append(("browser", client))
        if not args.no_hybrid:
            try:
                from carebase.search.semantic import SemanticIndex
            except ImportError as exc:
                print(f"hybrid skipped: {exc}", file=sys.stderr)
            else:
                sem = SemanticIndex.build(catalogue, Path(tmp) / "ix")
                hybrid = Searcher(open_index(Path(tmp) / "ix"), catalogue, semantic=sem)
                # embed the queries in batches up front (what the search would embed: the
                # did-you-mean text when there is one)
                prime([search_text(hybrid, q.text) for q in queries])
                runs, ms = carebase_runs(hybrid, queries)
                rows.append(("carebase hybrid (BM25F + MiniLM)", [r.ids for r in runs]))
                timings.append(f"carebase hybrid: {ms / len(texts):.2f} ms/query")
                if args.strong_only:
                    rows.append(("carebase hybrid, strong matches only", [r.strong_ids for r in runs]))
                    strong_rows.append(("carebase hybrid", runs))
    print(table(rows, queries))
    if strong_rows:
        print()
        print(strong_table(strong_rows, queries))
    engines = {name: paired.outcomes(runs, queries) for name, runs in strong_rows}
    if args.save_runs:
        paired.save(args.save_runs, engines)
    if args.paired:
        print()
        base = paired.load(args.paired)
        print(paired.table(base, engines))
        print()
        print(paired.list_table(base, engines))
    if args.confusions:
        print(confusions([(name, ranked) for name, ranked in rows if name.startswith("carebase")], queries,
                         args.confusions))
    print()
    print("; ".join(timings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
