"""The answer API on German pages: the 60 German questions of ``queries.de.yml`` answered from the
German index of the relevance harness's help centre (20 translated articles), as the service
answers them (``Answerer``: search's ranking, its confidence and threshold).

Per question: answered or not, and whether the first citation is the article the question was
written for. answer@1 = answered with the right article; wrong = answered with another one;
silent = "no answer". Hybrid is what the service does: meaning only on the pages of a language
the model knows (``meaning.knows``); ``--force-meaning`` fuses it on the German pages anyway, as
carebase did before. Nothing is tuned on these questions.

    python benchmarks/search/answer_languages.py [--force-meaning]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from relevance_languages import german_queries  # noqa: E402

from carebase.assist.answer import Answerer  # noqa: E402
from carebase.content.languages import Languages  # noqa: E402
from carebase.content.translations import load_languages  # noqa: E402
from carebase.search import meaning  # noqa: E402
from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force-meaning", action="store_true", help="fuse meaning on the German pages too")
    args = ap.parse_args(argv)
    ml = load_languages(harness.HELPCENTRE, Languages(("en", "de"))).published()
    english, german = ml.catalogues["en"], ml.catalogues["de"]
    queries = german_queries()
    knows = getattr(meaning, "knows", lambda language: True)  # a carebase before meaning per language
    with tempfile.TemporaryDirectory() as tmp:
        try:
            build_index(german, Path(tmp), source=english)
        except TypeError:  # a carebase before the source words
            build_index(german, Path(tmp))
        semantic = None
        if meaning.available() and (args.force_meaning or knows("de")):
            from carebase.search.semantic import SemanticIndex

            semantic = SemanticIndex.build(german, Path(tmp))
        searcher = Searcher(open_index(Path(tmp)), german, semantic=semantic)
        answerer = Answerer(searcher, german)
        right = wrong = silent = hit1 = 0
        for q in queries:
            ids = [h.id for h in searcher.search(q.text, limit=10).hits]
            hit1 += bool(ids) and ids[0] == q.target
            a = answerer.answer(q.text)
            if not a.answered:
                silent += 1
            elif a.citations and a.citations[0].id == q.target:
                right += 1
            else:
                wrong += 1
    n = len(queries)
    mode = "hybrid" if semantic is not None else "lexical"
    print("| German pages | questions | search hit@1 | answer@1 | wrong answers | no answer |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {mode} | {n} | {hit1 / n:.3f} | {right / n:.3f} | {wrong / n:.3f} | {silent / n:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
