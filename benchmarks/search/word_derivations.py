"""Word derivations (carebase.text.derivations): what the joins change, with them off and on in
the same code.

``--misses``: on a relevance set (``--set``/``--data`` as relevance.py), the query word
occurrences whose stem the joins change, those that now reach a term of the help centre that
nothing matched before, and the lexical search's queries found and lost at 1 and at 5:

    python benchmarks/search/word_derivations.py --misses [--set second --data PATH] [--list N]
                                                  [--part prefixes]

(``--part prefixes``: only the prefix rules off and on, the suffix rules on both times.)

``--cost``: the demo's and the first set's client index (meta.json and the term shards, raw and
gzipped; the forms shipped, derivations included) and the CPU seconds of the client index and
search index builds, best of ``--repeat``, off and on interleaved:

    python benchmarks/search/word_derivations.py --cost [--repeat 3]

``--off SCRIPT [ARGS]``: run another benchmark (relevance.py, demo_precision.py,
relevance_languages.py) with the derivations off, for its "before" figures:

    python benchmarks/search/word_derivations.py --off benchmarks/search/relevance.py --no-material
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from carebase.text import analyser as analyser_module  # noqa: E402
from carebase.text import derivations  # noqa: E402

REPO = HERE.parents[1]
LANGUAGES = derivations.LANGUAGES


PREFIXES = derivations.PREFIXES
PART = ("all", "prefixes")


def setting(on: bool, part: str = "all") -> None:
    """Derivations on (the product) or off (the word forms alone; ``part="prefixes"``: only the
    prefix rules off, the suffix rules on): every analyser's stems forgotten."""
    derivations.LANGUAGES = LANGUAGES if on or part != "all" else ()
    derivations.PREFIXES = PREFIXES if on or part != "prefixes" else ()
    analyser_module.analyser_for.cache_clear()


def misses(args) -> None:
    import harness

    from carebase.search.index import build_index, open_index
    from carebase.search.query import Searcher
    from carebase.search.records import catalogue_records
    from carebase.search.schema import SEARCH_FIELDS

    chosen = harness.query_set(args)
    queries, catalogue = chosen.queries(), chosen.catalogue()
    records = list(catalogue_records(catalogue))
    ranked, words = {}, {}
    for on in (False, True):
        setting(on, args.part)
        an = analyser_module.analyser_for(catalogue.language or "en")
        content = {an.stem(w) for rec in records for name in SEARCH_FIELDS for w in an.words(getattr(rec, name))}
        words[on] = [[(w, an.stem(w), an.stem(w) in content) for w in an.words(q.text)] for q in queries]
        with tempfile.TemporaryDirectory() as tmp:
            build_index(catalogue, Path(tmp) / "ix")
            searcher = Searcher(open_index(Path(tmp) / "ix"), catalogue)
            ranked[on] = [[h.id for h in searcher.search(q.text, limit=5).hits] for q in queries]
    changed, reach = Counter(), Counter()
    for before, after in zip(words[False], words[True]):
        for (w, s0, in0), (_, s1, in1) in zip(before, after):
            changed[w] += s0 != s1
            reach[w] += in1 and not in0
    changed, reach = +changed, +reach
    print(f"{chosen.name} set, {len(queries):,} queries; off → on: {args.part} of the derivation rules")
    print(f"- word occurrences whose stem the joins change: {sum(changed.values()):,} ({len(changed)} words: "
          + ", ".join(f"{w} {n}" for w, n in changed.most_common(8)) + ")")
    print(f"- occurrences that reach a help-centre term nothing matched before: {sum(reach.values()):,} ("
          + ", ".join(f"{w} {n}" for w, n in reach.most_common(8)) + ")")
    for k in (1, 5):
        found = [i for i, q in enumerate(queries) if q.target not in ranked[False][i][:k] and q.target in ranked[True][i][:k]]
        lost = [i for i, q in enumerate(queries) if q.target in ranked[False][i][:k] and q.target not in ranked[True][i][:k]]
        print(f"- lexical hit@{k}: found {len(found)}, lost {len(lost)}")
        for tag, chosen_ones in (("found", found), ("lost", lost)):
            for i in chosen_ones[:args.list]:
                print(f"  {tag}: {queries[i].text!r} ({queries[i].target}; first now {ranked[True][i][0]})")


def cost(repeat: int) -> None:
    from word_forms import cpu, sizes

    from carebase.content import load_catalogue
    from carebase.pages.search_shards import build_search_shards
    from carebase.search.index import build_index

    print("| corpus | derivations | forms shipped | meta.json (gz) | meta.json + shards (gz) | client index build CPU s"
          " | search index build CPU s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, root in (("demo", REPO / "content"), ("first set", HERE / "helpcentre")):
        catalogue = load_catalogue(root)
        best: dict[bool, dict] = {}
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(repeat):
                for on in (False, True):
                    setting(on)
                    analyser_module.analyser_for(catalogue.language or "en").forms()  # the table read once, untimed
                    out = Path(tmp) / f"s-{on}-{r}"
                    shard_s = cpu(lambda: build_search_shards(catalogue, out))
                    index_s = cpu(lambda: build_index(catalogue, Path(tmp) / f"ix-{on}-{r}", procs=1))
                    got = best.setdefault(on, {"shard_s": shard_s, "index_s": index_s, **sizes(out)})
                    got["shard_s"], got["index_s"] = min(got["shard_s"], shard_s), min(got["index_s"], index_s)
                    got["forms"] = len(json.loads((out / "meta.json").read_text())["analyser"].get("forms", {}))
        for on in (False, True):
            b = best[on]
            print(f"| {name} | {'on' if on else 'off'} | {b['forms']:,} | {b['meta']:,} ({b['meta_gz']:,}) | "
                  f"{b['shards']:,} ({b['shards_gz']:,}) | {b['shard_s']:.2f} | {b['index_s']:.2f} |")
    setting(True)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--off"] and len(argv) > 1:
        setting(False)
        sys.argv = argv[1:]
        runpy.run_path(argv[1], run_name="__main__")
        return 0
    import harness

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--cost", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--part", choices=sorted(PART), default="all",
                    help="--misses: the rules turned off and on (prefixes: only derivations.PREFIXES)")
    ap.add_argument("--list", type=int, default=0, help="--misses: list this many queries found and lost")
    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)
    if args.cost:
        cost(args.repeat)
    if args.misses or not args.cost:
        misses(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
