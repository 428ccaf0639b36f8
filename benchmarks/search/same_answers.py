"""Whether a change to hybrid search keeps every answer: each query's ranked records, which are
strong, the counts per kind and what "Show weaker matches (N)" says, saved from one version of
the code and compared with another's (a speed change must change none of them).

    python benchmarks/search/same_answers.py --save before.json          # on the code before
    python benchmarks/search/same_answers.py --against before.json       # on the code after
    ... [--sets demo,first] [--words-index DIR] [--limit N]

Sets: ``demo`` (content/ and its 42 queries: the 30 judged ones of demo_queries.yml and
chapter_meaning.py's 12 single words), ``first`` (the 77 BANKING77 articles and all 10,003
queries, halves A and B), ``words`` (``--words-index DIR``: a search index folder with its
vectors written from ``search_api.py``'s 10,000-item corpus, e.g. its ``--site-data`` output's
``r-*/search``, and that benchmark's 500 measured queries). Each query is searched with meaning
(hybrid, the default install) as the search API asks: the first 50 rows, each kind's first 20,
and rows 21-40; every row's record key and strong flag, the total, the counts and strong counts
per kind, the did-you-mean, and "Show weaker matches (N)" (every weaker match the list reaches:
``search_page``'s count on the first page). Rankings do not depend on load.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

KINDS = ("article", "faq", "video")


def answer(searcher, q: str, **kw) -> dict:
    from carebase.search.query import MAX_DEPTH

    res = searcher.search(q, **kw)
    strong = res.total if res.strong is None else res.strong
    return {"rows": [[h.key or h.id, bool(h.strong)] for h in res.hits], "total": res.total,
            "counts": dict(sorted(res.counts.items())), "strong": strong,
            "strong_counts": dict(sorted((res.strong_counts or res.counts).items())),
            "suggestion": res.suggestion, "weaker": max(0, min(res.total, MAX_DEPTH) - strong)}


def answers(searcher, texts: list[str]) -> dict:
    out = {}
    for q in texts:
        row = {"all": answer(searcher, q, limit=50), "page2": answer(searcher, q, limit=20, offset=20)}
        for kind in KINDS:
            row[kind] = answer(searcher, q, kind=kind, limit=20)
        out[q] = row
    return out


def hybrid(catalogue, folder: Path):
    from carebase.search.index import build_index, open_index
    from carebase.search.query import Searcher
    from carebase.search.semantic import SemanticIndex

    build_index(catalogue, folder)
    return Searcher(open_index(folder), catalogue, semantic=SemanticIndex.build(catalogue, folder))


def prime(searcher, texts: list[str]) -> None:
    from query_vectors import prime as embed, search_text

    embed([search_text(searcher, q) for q in texts])


def demo_set(tmp: Path, limit: int) -> tuple[dict, dict]:
    from carebase.content import load_catalogue

    import chapter_meaning

    judged = yaml.safe_load((HERE / "demo_queries.yml").read_text(encoding="utf-8"))
    texts = ([str(r["query"]) for r in judged] + chapter_meaning.WORDS)[: limit or None]
    searcher = hybrid(load_catalogue(REPO / "content"), tmp / "demo")
    prime(searcher, texts)
    return answers(searcher, texts), {}


def first_set(tmp: Path, limit: int) -> tuple[dict, dict]:
    import harness

    queries = harness.load_queries(harness.load_intents())[: limit or None]
    texts = list(dict.fromkeys(q.text for q in queries))
    searcher = hybrid(harness.load_helpcentre(), tmp / "first")
    prime(searcher, texts)
    halves = {}
    for q in queries:
        halves.setdefault(q.text, q.half)
    return answers(searcher, texts), halves


def words_set(folder: Path, limit: int) -> tuple[dict, dict]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from search_api import queries

    from carebase.search.index import open_index
    from carebase.search.query import Searcher
    from carebase.search.semantic import SemanticIndex

    sem = SemanticIndex.open(folder)
    if sem is None:
        sys.exit(f"--words-index {folder}: no usable vectors (meaning unavailable or another model)")
    searcher = Searcher(open_index(folder), None, semantic=sem)
    texts = list(dict.fromkeys(queries(500)))[: limit or None]
    prime(searcher, texts)
    return answers(searcher, texts), {}


def compare(before: dict, after: dict, halves: dict) -> list[str]:
    """One line per set (and half): queries compared and those whose answers differ, and the
    first few differences."""
    lines, shown = [], 0
    for name, rows in after.items():
        old = before.get(name)
        if old is None:
            lines.append(f"- {name}: not in the saved answers")
            continue
        groups = {}
        for q, row in rows.items():
            groups.setdefault(halves.get(name, {}).get(q, ""), []).append(q)
        for half, qs in sorted(groups.items()):
            differ = [q for q in qs if old.get(q) != rows[q]]
            label = f"{name}, half {half}" if half else name
            lines.append(f"- {label}: {len(qs)} queries, {len(differ)} with a different answer")
            for q in differ[: max(0, 5 - shown)]:
                shown += 1
                parts = [p for p in rows[q] if (old.get(q) or {}).get(p) != rows[q][p]]
                fields = sorted({f for p in parts for f in rows[q][p] if (old.get(q) or {}).get(p, {}).get(f) != rows[q][p][f]})
                lines.append(f"  - {q!r}: {', '.join(parts)} ({', '.join(fields)})")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="demo,first", help="comma-separated: demo, first, words")
    ap.add_argument("--words-index", type=Path, metavar="DIR", help="the words set's search index folder")
    ap.add_argument("--limit", type=int, default=0, help="only the first N queries of each set (0: all)")
    ap.add_argument("--save", type=Path, metavar="FILE", help="write the answers here")
    ap.add_argument("--against", type=Path, metavar="FILE", help="compare with answers saved before")
    args = ap.parse_args(argv)
    from carebase.search import semantic

    if not semantic.available():
        sys.exit("same_answers: meaning is not available (carebase[semantic]): nothing hybrid to compare")
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    if "words" in sets and args.words_index is None:
        ap.error("--sets words needs --words-index DIR")
    found, halves = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in sets:
            if name == "demo":
                found[name], halves[name] = demo_set(Path(tmp), args.limit)
            elif name == "first":
                found[name], halves[name] = first_set(Path(tmp), args.limit)
            elif name == "words":
                found[name], halves[name] = words_set(args.words_index, args.limit)
            else:
                ap.error(f"--sets: unknown {name!r} (demo, first, words)")
    if args.save:
        args.save.write_text(json.dumps(found))
        print(f"saved {sum(len(v) for v in found.values())} queries' answers ({', '.join(sets)}) to {args.save}")
    if args.against:
        lines = compare(json.loads(args.against.read_text()), found, halves)
        print("\n".join(lines))
        return 1 if any(" 0 with" not in line for line in lines if line.startswith("- ")) else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
