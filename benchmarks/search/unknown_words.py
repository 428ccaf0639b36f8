"""Queries no word of which is in the help centre: what hybrid search lists for them, with and
without session 40's cap (``semantic.UNKNOWN_WORDS_ROWS``: at most ``cutoff.MEANING_TOP`` rows when
no word matches a record and the query's best cosine is below ``semantic.MIN_SIMILARITY``).

The cap acts only on a query no word of which matches a record (``SemanticIndex.search``: the
lexical candidates are empty), so every other query's answer is the same with and without it; this
reads just those queries, both ways, in one process, and judges them with the paired judge
(``paired.compare_list``: whole-list hit@1, hit@5, hit@10, listed at all, weaker-list precision,
rows and "Show weaker matches (N)"), per half.

    python benchmarks/search/unknown_words.py [--set first|second|third --data PATH] [--examples N]

Relevance only: load does not change these figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import paired  # noqa: E402
from query_vectors import prime, search_text  # noqa: E402
from relevance import carebase_runs  # noqa: E402

from carebase.search import cutoff, semantic  # noqa: E402
from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402


def unknown(searcher, queries) -> list:
    """The queries no word of which matches a record (the lexical search lists nothing)."""
    return [q for q in queries if searcher.search(q.text, limit=1, snippets=False).total == 0]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_set_arguments(ap)
    ap.add_argument("--examples", type=int, default=10, help="print this many of the queries with their rows")
    args = ap.parse_args(argv)
    chosen = harness.query_set(args)
    queries, catalogue = chosen.queries(), chosen.catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        build_index(catalogue, Path(tmp) / "ix")
        lexical = Searcher(open_index(Path(tmp) / "ix"), catalogue)
        picked = unknown(lexical, queries)
        sem = semantic.SemanticIndex.build(catalogue, Path(tmp) / "ix")
        hybrid = Searcher(open_index(Path(tmp) / "ix"), catalogue, semantic=sem)
        prime([search_text(hybrid, q.text) for q in picked])
        engines = {}
        for name, rows in (("without the cap", None), ("with the cap", cutoff.MEANING_TOP)):
            semantic.UNKNOWN_WORDS_ROWS = rows
            runs, _ = carebase_runs(hybrid, picked)
            engines[name] = {"carebase hybrid": paired.outcomes(runs, picked)}
            best = {q.text: float(sem.scores(search_text(hybrid, q.text)).max()) for q in picked}
    weak = sum(best[q.text] < semantic.MIN_SIMILARITY for q in picked)
    print(f"{chosen.name} set: {len(queries)} queries, {len(picked)} with no word in the help centre "
          f"(A {sum(q.half == 'A' for q in picked)}, B {sum(q.half == 'B' for q in picked)}); "
          f"{weak} of them with a best cosine below {semantic.MIN_SIMILARITY} (the cap's)")
    print()
    print(paired.list_table(engines["without the cap"], engines["with the cap"]))
    before, after = engines["without the cap"]["carebase hybrid"], engines["with the cap"]["carebase hybrid"]
    for q, b, a in list(zip(picked, before, after))[: args.examples]:
        print(f"- {q.text!r} ({q.half}, best cosine {best[q.text]:.3f}): rows {b['total']} -> {a['total']}, "
              f"answer first {b['hit1']} -> {a['hit1']}, in the first 5 {b['list5']} -> {a['list5']}, "
              f"listed {b['listed']} -> {a['listed']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
