"""Did-you-mean and everyday words: what the relevance harness's queries get corrected, with and
without the everyday-word rule (``Analyser.is_ordinary``: a word of the language's dictionary
counted at least ``ORDINARY_FREQUENCY`` times is never corrected), and what that does to ranking.

For each of the harness's queries (BANKING77 by default) the lexical search (Whoosh BM25F, the
API's ranking) is run without the rule (before) and with it at each frequency floor asked for;
printed: queries with a did-you-mean, the words corrected (each distinct typed word once), the
words no longer corrected (every one of them, with the correction it used to get), and hit@1 /
hit@5 of the ranked list on all queries and on half B.

    python benchmarks/search/did_you_mean.py [--frequency 1000 --frequency 50 ...] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402
from carebase.text import analyser as analyser_module  # noqa: E402
from carebase.text import dictionary  # noqa: E402


def run(searcher, queries) -> tuple[list[list[str]], dict[str, str], int]:
    """Top-10 ids per query, each corrected word with its correction, queries with a suggestion."""
    ranked, fixes, suggested = [], {}, 0
    for q in queries:
        res = searcher.search(q.text, limit=10)
        ranked.append([h.id for h in res.hits])
        if res.suggestion:
            suggested += 1
        for clause in res.clauses or ():
            if clause.corrected:
                fixes[clause.word] = clause.corrected
    return ranked, fixes, suggested


def with_floor(floor: int | None) -> None:
    """The rule off (None) or on at ``floor``, for every analyser made so far."""
    analyser_module.analyser_for.cache_clear()
    dictionary.ORDINARY_FREQUENCY = floor or dictionary.ORDINARY_FREQUENCY
    if floor is None:
        analyser_module.Analyser.is_ordinary = lambda self, word: False
    else:
        analyser_module.Analyser.is_ordinary = ORIGINAL


ORIGINAL = analyser_module.Analyser.is_ordinary


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frequency", type=int, action="append", help="frequency floors to try (default: the code's)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--hybrid", action="store_true", help="rank with the hybrid search (BM25F + MiniLM), as the API")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)
    chosen = harness.query_set(args)
    queries = chosen.queries()[: args.limit or None]
    catalogue = chosen.catalogue()
    floors = [None] + (args.frequency or [dictionary.ORDINARY_FREQUENCY])
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        build_index(catalogue, Path(tmp) / "ix")
        sem = None
        if args.hybrid:
            from carebase.search.semantic import SemanticIndex
            from query_vectors import prime, search_text

            sem = SemanticIndex.build(catalogue, Path(tmp) / "ix")
        for floor in floors:
            with_floor(floor)
            searcher = Searcher(open_index(Path(tmp) / "ix"), catalogue, semantic=sem)
            if sem is not None:  # the queries embedded in batches first (the did-you-mean text when there is one)
                prime([search_text(searcher, q.text) for q in queries])
            results[floor] = run(searcher, queries)
    with_floor(dictionary.ORDINARY_FREQUENCY)
    print(f"{len(queries)} queries\n")
    print("| rule | queries with a did-you-mean | words corrected | hit@1 all | hit@5 all | hit@1 B | hit@5 B |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    halves = [i for i, q in enumerate(queries) if q.half == "B"]
    for floor, (ranked, fixes, suggested) in results.items():
        m = harness.metrics(ranked, queries)
        b = harness.metrics([ranked[i] for i in halves], [queries[i] for i in halves])
        name = "no everyday-word rule (before)" if floor is None else f"everyday words: counted ≥ {floor}"
        print(f"| {name} | {suggested} | {len(fixes)} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | "
              f"{b['hit@1']:.3f} | {b['hit@5']:.3f} |")
    before = results[None][1]
    for floor in floors[1:]:
        kept = results[floor][1]
        lost = sorted(w for w in before if w not in kept)
        uses = Counter(w for q in queries for w in harness_words(q.text) if w in lost)
        print(f"\nno longer corrected at ≥ {floor} ({len(lost)} words; in how many queries):")
        print(", ".join(f"{w} → {before[w]} ({uses[w]})" for w in lost))
        print(f"\nstill corrected at ≥ {floor} ({len(kept)} words):")
        print(", ".join(f"{w} → {kept[w]}" for w in sorted(kept)))
    return 0


def harness_words(text: str) -> list[str]:
    return analyser_module.analyser_for("en").words(text)


if __name__ == "__main__":
    raise SystemExit(main())
