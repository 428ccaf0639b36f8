"""Records only meaning brings (no word of the query matches them) in the hybrid answer: how alike
the ones that answer are, against the ones that do not, and what a floor on their cosine keeps.

Under the default fusion (``semantic.FUSION``, linear-norm) meaning's ``CANDIDATES`` most alike
records join the answer whatever their cosine. For each query (the first set's half A by
default: development data; ``--split B`` or another ``--set`` only to confirm a rule chosen on A)
this reads the whole hybrid answer (every row, up to ``--depth``), and for each row no word of
the query matched ("meaning-only"): its cosine to the query (the larger of its two vectors, as
search reads it), the query's best cosine over every record, and whether it is the query's
answer. Reported:

- how many queries list their answer only by meaning, its cosine, its cosine over the best, and
  its rank; the same for the meaning-only rows that are not the answer (noise);
- per candidate floor (absolute cosine; relative: a share of the query's best cosine; or within
  a distance of it): meaning-only rows kept per query, noise kept, and meaning-only answers kept
  (anywhere in the list, and among the first 5 and 10 rows of the answer as it stands).

    python benchmarks/search/meaning_floor.py [--set ...] [--split A|B|all] [--limit N] [--demo]
    python benchmarks/search/meaning_floor.py --candidate C1|C2|C3|F1|F2|none -- RELEVANCE.PY'S ARGUMENTS

``--candidate``: relevance.py (or, with ``--demo-precision``, demo_precision.py) with the floor
for meaning-only rows replaced by a candidate of the judge declared in 44a29d3: C1 cosine ≥
``semantic.MIN_SIMILARITY``; C2 that and ``cutoff.SCORE_SHARE`` × the query's best cosine (ed854c7's,
turned off in b374ed7); C3 ``assist.confidence.THRESHOLD["embedding"]``; none: no
floor (main a6d1e44's answer). Session 39's (declared in benchmarks/RESULTS.md before measuring):
F1 ``cutoff.SCORE_SHARE`` × the query's best cosine alone; F2 that, and no such row at all when
the best is below ``semantic.MIN_SIMILARITY`` (nothing is alike to the query).

``--candidate F1+chapters`` or ``F2+chapters``: that floor and at most one chapter of a video among
meaning-only rows (F3: ``semantic.one_chapter_per_video``; without the suffix it is off). After ``--``, ``--same-answers`` runs same_answers.py with the candidate.

``--demo``: the demo help centre (content/) and its 42 queries (chapter_meaning.WORDS and
demo_queries.yml) instead: rows meaning adds, by cosine, with the judged relevant ones.
Relevance only: load does not change these figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from query_vectors import prime, search_text  # noqa: E402

from carebase.search.semantic import MIN_SIMILARITY  # noqa: E402 (the least a record found by meaning alone must be)

ABSOLUTE = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
RELATIVE = (0.4, 0.5, 0.6, 0.7, 0.8)
WITHIN = (0.1, 0.15, 0.2, 0.25, 0.3)


def rows_of(searcher, q: str, depth: int) -> dict:
    """The hybrid answer of ``q`` (``depth`` rows): per row its item id, record key, whether a word
    of the query matched it, its cosine; and the query's best cosine over every record."""
    from carebase.search import meaning

    sem = searcher.semantic
    res = searcher.search(q, limit=depth, snippets=False)
    query, _ = searcher.build_query(q)
    evaluation = searcher._evaluate(query) if query is not None else None
    matched = evaluation[1][1] if evaluation is not None and evaluation[1] is not None else None
    vec = meaning.embed_query(search_text(searcher, q))
    cosines = np.einsum("tnd,d->tn", sem.vectors, vec).max(axis=0)
    docnum = searcher.documents.docnum
    out = []
    for rank, h in enumerate(res.hits):
        d = docnum.get(h.key)
        lexical = matched is not None and d is not None and bool(matched[d])
        out.append({"rank": rank, "id": h.id, "key": h.key, "strong": h.strong, "lexical": lexical,
                    "cos": float(cosines[sem.position[h.key]]) if h.key in sem.position else 0.0})
    return {"rows": out, "best": float(cosines.max()) if len(cosines) else 0.0, "total": res.total,
            "strong": res.strong}


def kept(row, best: float, how: str, t: float) -> bool:
    if how == "absolute":
        return row["cos"] >= t
    if how == "relative":
        return row["cos"] >= t * best
    if how == "both":  # the least a record found by meaning alone must be, and a share of the best
        return row["cos"] >= max(MIN_SIMILARITY, t * best)
    return row["cos"] >= best - t


def quantiles(values: list[float]) -> str:
    if not values:
        return "–"
    qs = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95])
    return " / ".join(f"{v:.3f}" for v in qs)


def report(answers: list[dict], targets: list[set]) -> None:
    only = []  # (answer row, best) for queries whose answer is listed by meaning alone
    noise = []  # (row, best) meaning-only rows that are not the answer
    for a, target in zip(answers, targets):
        for r in a["rows"]:
            if r["lexical"]:
                continue
            (only if r["id"] in target else noise).append((r, a["best"]))
    n = len(answers)
    first = [next((r for r in a["rows"] if r["id"] in t), None) for a, t in zip(answers, targets)]
    by_meaning = [r for r in first if r is not None and not r["lexical"]]
    print(f"{n} queries; answer listed: {sum(r is not None for r in first)}; its first row only by meaning: "
          f"{len(by_meaning)} (in the first 5 rows: {sum(r['rank'] < 5 for r in by_meaning)}, first 10: "
          f"{sum(r['rank'] < 10 for r in by_meaning)}); meaning-only rows: {len(only) + len(noise)} "
          f"({(len(only) + len(noise)) / max(n, 1):.1f} a query), of which the answer: {len(only)}")
    print()
    print("| meaning-only rows | rows | cosine: 5 / 25 / 50 / 75 / 95 % | cosine over the query's best | "
          "best minus cosine | rank, median |")
    print("| --- | ---: | --- | --- | --- | ---: |")
    for name, rows in (("the answer", only), ("the answer, in the first 10 rows", [x for x in only if x[0]["rank"] < 10]),
                       ("not the answer (noise)", noise),
                       ("noise, in the first 10 rows", [x for x in noise if x[0]["rank"] < 10])):
        print(f"| {name} | {len(rows)} | {quantiles([r['cos'] for r, _ in rows])} | "
              f"{quantiles([r['cos'] / b if b > 0 else 0.0 for r, b in rows])} | "
              f"{quantiles([b - r['cos'] for r, b in rows])} | "
              f"{statistics.median([r['rank'] for r, _ in rows]) if rows else 0:.0f} |")
    print()
    print("| floor | meaning-only rows kept, a query | noise kept | answers by meaning kept: anywhere | "
          "in the first 5 | in the first 10 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| none | {(len(only) + len(noise)) / max(n, 1):.2f} | {len(noise)} | {len(by_meaning)} | "
          f"{sum(r['rank'] < 5 for r in by_meaning)} | {sum(r['rank'] < 10 for r in by_meaning)} |")
    for how, values in (("absolute", ABSOLUTE), ("relative", RELATIVE), ("within", WITHIN), ("both", RELATIVE)):
        for t in values:
            k_only = [x for x in only if kept(x[0], x[1], how, t)]
            k_noise = [x for x in noise if kept(x[0], x[1], how, t)]
            firsts = [(r, a["best"]) for r, a in zip(first, answers) if r is not None and not r["lexical"]]
            k_first = [r for r, b in firsts if kept(r, b, how, t)]
            label = {"absolute": f"cosine ≥ {t}", "relative": f"cosine ≥ {t} × best",
                     "within": f"cosine ≥ best − {t}", "both": f"cosine ≥ {MIN_SIMILARITY} and ≥ {t} × best"}[how]
            print(f"| {label} | {(len(k_only) + len(k_noise)) / max(n, 1):.2f} | {len(k_noise)} | {len(k_first)} | "
                  f"{sum(r['rank'] < 5 for r in k_first)} | {sum(r['rank'] < 10 for r in k_first)} |")


def demo(depth: int, per_query: bool) -> None:
    import yaml

    import chapter_meaning
    from carebase.content import load_catalogue
    from carebase.search import semantic
    from carebase.search.index import build_index
    from carebase.search.query import Searcher

    judged = yaml.safe_load((HERE / "demo_queries.yml").read_text(encoding="utf-8"))
    relevant = {str(r["query"]): set(r["relevant"]) for r in judged}
    queries = [str(r["query"]) for r in judged] + chapter_meaning.WORDS
    catalogue = load_catalogue(harness.REPO / "content")
    with tempfile.TemporaryDirectory() as tmp:
        index = build_index(catalogue, Path(tmp) / "ix")
        hybrid = Searcher(index, catalogue, semantic=semantic.SemanticIndex.build(catalogue, Path(tmp) / "ix"))
        answers = [rows_of(hybrid, q, depth) for q in queries]
        hybrid.close()
    if per_query:
        print("| query | rows | strong | meaning-only | of them ≥ 0.25 | best cosine | judged relevant among them (cosine) |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for q, a in zip(queries, answers):
            m = [r for r in a["rows"] if not r["lexical"]]
            rel = [f"{r['id']} ({r['cos']:.2f})" for r in m if r["id"] in relevant.get(q, ())]
            print(f"| {q} | {a['total']} | {a['strong']} | {len(m)} | {sum(r['cos'] >= 0.25 for r in m)} | "
                  f"{a['best']:.2f} | {', '.join(dict.fromkeys(rel))} |")
        print()
    report(answers, [relevant.get(q, set()) for q in queries])


def candidate_floor(name: str):
    """The judge's candidate ``name`` as a ``meaning_floor(best, min_similarity)`` (none: None)."""
    from carebase.search.cutoff import SCORE_SHARE

    if name == "none":  # main c7abe08's answer: every one of meaning's candidates listed
        return None
    if name == "C1":
        return lambda best, min_similarity: min_similarity
    if name == "C2":
        return lambda best, min_similarity: max(min_similarity, SCORE_SHARE * best)
    if name == "F1":  # session 39: half the query's best cosine, no absolute floor
        return lambda best, min_similarity: SCORE_SHARE * best
    if name == "F2":  # F1, and none when nothing is alike to the query (its best below MIN_SIMILARITY)
        return lambda best, min_similarity: SCORE_SHARE * best if best >= min_similarity else float("inf")
    if name == "C3":
        from carebase.assist.confidence import THRESHOLD

        return lambda best, min_similarity: THRESHOLD["embedding"]
    raise SystemExit(f"--candidate: expected none, C1, C2, C3, F1 or F2, found {name!r}")


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--candidate"]:
        from carebase.search import semantic

        name = argv[1].removesuffix("+chapters")
        semantic.meaning_floor = candidate_floor(name)
        semantic.one_chapter_per_video = argv[1].endswith("+chapters")
        rest = argv[2:]
        if rest[:1] == ["--"]:
            rest = rest[1:]
        if rest[:1] == ["--demo-precision"]:
            import demo_precision

            return demo_precision.main(rest[1:])
        if rest[:1] == ["--same-answers"]:
            import same_answers

            return same_answers.main(rest[1:])
        if rest[:1] == ["--demo"]:
            demo(200, "--per-query" in rest)
            return 0
        import relevance

        return relevance.main(rest)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_set_arguments(ap)
    ap.add_argument("--split", choices=("A", "B", "all"), default="A")
    ap.add_argument("--limit", type=int, default=0, help="the first N queries of the split (0: all)")
    ap.add_argument("--depth", type=int, default=200, help="rows read per query")
    ap.add_argument("--demo", action="store_true", help="the demo help centre and its 42 queries instead")
    ap.add_argument("--per-query", action="store_true", help="--demo: every query's row")
    args = ap.parse_args(argv)

    from carebase.search import semantic
    from carebase.search.index import build_index, open_index
    from carebase.search.query import Searcher

    if not semantic.available():
        sys.exit("meaning_floor: meaning is not available")
    if args.demo:
        demo(args.depth, args.per_query)
        return 0
    chosen = harness.query_set(args)
    queries = [q for q in chosen.queries() if args.split == "all" or q.half == args.split]
    if args.limit:
        queries = queries[: args.limit]
    catalogue = chosen.catalogue()
    with tempfile.TemporaryDirectory() as tmp:
        build_index(catalogue, Path(tmp) / "ix")
        sem = semantic.SemanticIndex.build(catalogue, Path(tmp) / "ix")
        hybrid = Searcher(open_index(Path(tmp) / "ix"), catalogue, semantic=sem)
        prime([search_text(hybrid, q.text) for q in queries])
        answers = [rows_of(hybrid, q.text, args.depth) for q in queries]
        hybrid.close()
    print(f"set {chosen.name}, split {args.split}")
    report(answers, [{q.target} for q in queries])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
