"""What a video chapter's text for meaning does on the demo: how many chapter rows meaning adds
to the results, and the demo's precision, for the shipped text and two alternatives.

Each record is embedded twice (``semantic.record_vectors``): "about" (title, summary, keywords)
and its whole text (``Record.text()``). A chapter's record carries its video's summary
(``records.video_records``), so both of its vectors hold the video's summary. The variants
(``--text``), applied to chapters only, for the embeddings only (the lexical index is the same):

- ``shipped``: as built today ("Video: Chapter" + the video's summary; + the chapter's title
  and its part of the transcript for the whole text);
- ``own``: the chapter's own title, and its title + its part of the transcript;
- ``own+video``: the same with the video's title before the chapter's ("Video: Chapter").

Reported, on the demo (content/) and its 42 queries (the 30 judged multi-word queries of
demo_queries.yml and 12 single words):

- chapter rows in the hybrid answer (every row, up to 200), those meaning adds (the chapter is
  not a lexical match of the query), how many of those are strong and how many in the first 20
  rows, the videos they belong to, and how many belong to a video judged relevant to the query;
- demo_precision.py's table with ``--hybrid`` (precision@5, of what is shown, of the strong
  set, of the whole list, hit@1, results shown), printed by its own ``table``.

    python benchmarks/search/chapter_meaning.py [--text shipped|own|own+video] [--per-query]

The first set's help centre (benchmarks/search/helpcentre: BANKING77) holds no video, so the
relevance harness's runs (``relevance.py``, the paired judge) are the same whatever a chapter's
text: the demo is where chapters are. Load does not change these figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

#: the 12 single words read with the judged queries (session 36's count check, up and down)
WORDS = ["thermostat", "schedule", "app", "wifi", "refund", "boiler", "battery", "c-wire", "refnd", "trv", "o/b",
         "zigbee"]
TEXTS = ("shipped", "own", "own+video")


def _chapter(rec) -> bool:
    return rec.key != rec.id and rec.start >= 0


class _Text:
    """A record whose ``text()`` is a variant's (for ``semantic.record_vectors``)."""

    def __init__(self, rec, text: str):
        self._rec, self._text = rec, text

    def __getattr__(self, name):
        return getattr(self._rec, name)

    def text(self) -> str:
        return self._text


def use_text(variant: str) -> None:
    """Embed chapters with ``variant``'s texts (this process only)."""
    from carebase.search import semantic

    if variant == "shipped":
        return
    about_of, vectors_of = semantic._about, semantic.record_vectors

    def title(rec) -> str:
        return rec.title if variant == "own+video" else rec.headings  # "Video: Chapter" or "Chapter"

    def about(rec) -> str:
        return title(rec) if _chapter(rec) else about_of(rec)

    def vectors(records, cache=None, progress=None):
        wrapped = [_Text(r, "\n".join(p for p in (title(r), r.body) if p)) if _chapter(r) else r for r in records]
        return vectors_of(wrapped, cache, progress)

    semantic._about = about
    semantic.record_vectors = vectors


def count_rows(hybrid, lexical, queries: list[str], relevant: dict[str, set]) -> tuple[list[dict], dict]:
    rows = []
    for q in queries:
        fused = hybrid.search(q, limit=200)
        words = {h.key for h in lexical.search(q, limit=200).hits}
        chapters = [(i, h) for i, h in enumerate(fused.hits) if h.key != h.id]
        added = [(i, h) for i, h in chapters if h.key not in words]
        videos = {h.id for _, h in added}
        rows.append({"query": q, "chapters": len(chapters), "added": len(added),
                     "strong": sum(h.strong for _, h in added), "first20": sum(i < 20 for i, _ in added),
                     "videos": len(videos), "relevant": sum(h.id in relevant.get(q, ()) for _, h in added),
                     "total": fused.total, "lexical": len(words)})
    sums = {k: sum(r[k] for r in rows) for k in ("chapters", "added", "strong", "first20", "videos", "relevant")}
    return rows, sums


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--text", choices=TEXTS, default="shipped", help="a chapter's text for meaning")
    ap.add_argument("--content", type=Path, default=REPO / "content")
    ap.add_argument("--per-query", action="store_true", help="print every query's row")
    args = ap.parse_args(argv)

    from carebase.content import load_catalogue
    from carebase.search import semantic
    from carebase.search.index import build_index
    from carebase.search.query import Searcher

    import demo_precision

    if not semantic.available():
        sys.exit("chapter_meaning: meaning is not available (carebase[semantic])")
    use_text(args.text)
    judged = yaml.safe_load((HERE / "demo_queries.yml").read_text(encoding="utf-8"))
    relevant = {str(r["query"]): set(r["relevant"]) for r in judged}
    queries = [str(r["query"]) for r in judged] + WORDS
    catalogue = load_catalogue(args.content)
    with tempfile.TemporaryDirectory() as tmp:
        index = build_index(catalogue, Path(tmp) / "ix")
        vectors = semantic.SemanticIndex.build(catalogue, Path(tmp) / "ix")
        hybrid, lexical = Searcher(index, catalogue, semantic=vectors), Searcher(index, catalogue)
        rows, sums = count_rows(hybrid, lexical, queries, relevant)
        lexical.close()
        precision = demo_precision.measure(hybrid, demo_precision.load_queries(HERE / "demo_queries.yml"))
        hybrid.close()
    if args.per_query:
        print("| query | chapter rows | added by meaning | in the first 20 | their videos | all rows | lexical |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in rows:
            print(f"| {r['query']} | {r['chapters']} | {r['added']} | {r['first20']} | {r['videos']} | {r['total']} | "
                  f"{r['lexical']} |")
        print()
    print(f"A chapter's text for meaning: {args.text}; {len(queries)} queries")
    print("| chapter rows | added by meaning | of which strong | in the first 20 rows | their videos (per query, "
          "summed) | of a video judged relevant |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {sums['chapters']} | {sums['added']} | {sums['strong']} | {sums['first20']} | {sums['videos']} | "
          f"{sums['relevant']} |")
    print()
    print("\n".join(demo_precision.table(precision)))  # the judged queries
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
