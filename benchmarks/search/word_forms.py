"""Word forms (carebase.text.forms): what the joins cost the client index and the builds.

For the demo help centre and the 10,000 generated items of ``benchmarks/search_api.py``, with
the word forms off (the stemmer alone, as before) and on: the client index's bytes (meta.json
and the term shards, raw and gzipped; meta.json carries the forms that touch the index's
terms), the number of forms shipped, and the CPU time of the client index build
(``build_search_shards``) and of the search index build (``build_index`` in one process, so
that its CPU time is this process's), best of
``--repeat``, the two settings interleaved. The forms table itself is read once first (kept in
carebase's cache folder), outside the timers; its own cost is printed first: made from
simplemma's dictionary in an empty cache folder, then read back (CPU seconds, best of
``--repeat``, each in a new process).

    python benchmarks/search/word_forms.py [--repeat 3] [--items 10000] [--no-index]

``--misses``: instead, on a relevance set (``--set``/``--data`` as relevance.py), the lexical
search's misses at 5 with the forms off, how many of their queries have a word the joins
change, and how many queries are found and lost at 5 with the forms on:

    python benchmarks/search/word_forms.py --misses [--set second --data PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from carebase.content import load_catalogue  # noqa: E402
from carebase.pages.search_shards import build_search_shards  # noqa: E402
from carebase.search.index import build_index  # noqa: E402
from carebase.text import analyser as analyser_module  # noqa: E402

REPO = HERE.parents[1]
FORMS = analyser_module.Analyser.forms


def setting(on: bool) -> None:
    """Forms on (the product) or off (the stemmer alone): every analyser's stems forgotten."""
    analyser_module.Analyser.forms = FORMS if on else (lambda self: {})
    analyser_module.analyser_for.cache_clear()


def sizes(folder: Path) -> dict[str, int]:
    files = [folder / "meta.json", *sorted(folder.glob("t-*.json"))]
    meta = (folder / "meta.json").read_bytes()
    return {"meta": len(meta), "meta_gz": len(gzip.compress(meta, 9)),
            "shards": sum(p.stat().st_size for p in files),
            "shards_gz": sum(len(gzip.compress(p.read_bytes(), 9)) for p in files)}


def cpu(fn) -> float:
    t = time.process_time()
    fn()
    return time.process_time() - t


TABLE = """
import os, sys, time
from carebase.text import analyser_for
import carebase.search.vector_cache, spellchecker  # imported by any search or report process anyway
an = analyser_for("en")
an.is_word("x"), an.is_ordinary("x")  # the dictionary's own cost is not the table's
t = time.process_time()
n = len(an.forms())
print(time.process_time() - t, n)
"""


def table_cost(repeat: int) -> str:
    import os
    import subprocess

    made, read = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "CAREBASE_CACHE_DIR": tmp}
            for into in (made, read):
                out = subprocess.run([sys.executable, "-c", TABLE], env=env, capture_output=True, text=True, check=True)
                seconds, n = out.stdout.split()
                into.append(float(seconds))
    return f"forms table (English, {int(n):,} forms): made {min(made):.2f} s CPU, read back {min(read):.3f} s CPU"


def misses(args) -> str:
    from collections import Counter

    import harness
    from carebase.search.index import open_index
    from carebase.search.query import Searcher

    chosen = harness.query_set(args)
    queries, catalogue = chosen.queries(), chosen.catalogue()
    ranked = {}
    for on in (False, True):
        setting(on)
        with tempfile.TemporaryDirectory() as tmp:
            build_index(catalogue, Path(tmp) / "ix")
            searcher = Searcher(open_index(Path(tmp) / "ix"), catalogue)
            ranked[on] = [[h.id for h in searcher.search(q.text, limit=5).hits] for q in queries]
    an = analyser_module.analyser_for(catalogue.language or "en")
    joined = an.forms()
    missed = [i for i, q in enumerate(queries) if q.target not in ranked[False][i]]
    with_form = [i for i in missed if any(w in joined for w in an.words(queries[i].text))]
    found = [i for i in missed if queries[i].target in ranked[True][i]]
    lost = [i for i, q in enumerate(queries) if q.target in ranked[False][i] and q.target not in ranked[True][i]]
    words = Counter(w for i in found for w in an.words(queries[i].text) if w in joined)
    return (f"| {chosen.name} | {len(queries):,} | {len(missed):,} | {len(with_form):,} | {len(found):,} | {len(lost):,} | "
            + ", ".join(w for w, _ in words.most_common(8)) + " |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--no-index", action="store_true", help="skip the search index build timing")
    ap.add_argument("--misses", action="store_true", help="count the lexical misses the joins fix on a relevance set")
    import harness

    harness.add_set_arguments(ap)
    args = ap.parse_args(argv)
    if args.misses:
        print("| set | queries | missed at 5, forms off | with a word the joins change | found at 5 with the forms | lost |"
              " words of the found queries the joins change |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        print(misses(args))
        setting(True)
        return 0
    from search_api import generate

    print(table_cost(args.repeat))
    print()

    corpora = [("demo", load_catalogue(REPO / "content")), (f"{args.items:,} items", generate(args.items))]
    print("| corpus | forms | forms shipped | meta.json (gz) | meta.json + shards (gz) | client index build CPU s"
          + ("" if args.no_index else " | search index build CPU s") + " |")
    print("| --- | --- | ---: | ---: | ---: | ---: |" + ("" if args.no_index else " ---: |"))
    for name, catalogue in corpora:
        setting(True)
        analyser_module.analyser_for(catalogue.language or "en").forms()  # the table read once, untimed
        best: dict[bool, dict] = {}
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(args.repeat):
                for on in (False, True):
                    setting(on)
                    analyser_module.analyser_for(catalogue.language or "en").forms()
                    out = Path(tmp) / f"s-{on}-{r}"
                    shard_s = cpu(lambda: build_search_shards(catalogue, out))
                    index_s = 0.0 if args.no_index else cpu(lambda: build_index(catalogue, Path(tmp) / f"ix-{on}-{r}", procs=1))
                    got = best.setdefault(on, {"shard_s": shard_s, "index_s": index_s, **sizes(out)})
                    got["shard_s"] = min(got["shard_s"], shard_s)
                    got["index_s"] = min(got["index_s"], index_s)
                    got["forms"] = len(json.loads((out / "meta.json").read_text())["analyser"].get("forms", {}))
        for on in (False, True):
            b = best[on]
            print(f"| {name} | {'on' if on else 'off'} | {b['forms']:,} | {b['meta']:,} ({b['meta_gz']:,}) | "
                  f"{b['shards']:,} ({b['shards_gz']:,}) | {b['shard_s']:.2f} |"
                  + ("" if args.no_index else f" {b['index_s']:.2f} |"))
    setting(True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
