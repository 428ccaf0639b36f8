"""The Ask box's answers on the demo help centre (content/), per language: the questions of
``ask_demo_questions.yml`` (written before the answer rule was changed) answered as the service
answers them (``Answerer``: search's ranking, the confidence and its rule).

Per language: answered correctly (the first citation is one of the question's accepted items),
answered wrongly (another item), not answered; for the questions nothing in that language
answers (``accept: []``) a "not answered" is the right outcome and counted apart.
English is run as the default install runs it (meaning on when the model is installed) and,
with ``--lexical``, by words only, as German always is (the model does not know German).

    python benchmarks/search/ask_demo.py [--lexical] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

from carebase.assist.answer import Answerer
from carebase.content.languages import Languages
from carebase.content.translations import load_languages
from carebase.search import meaning
from carebase.search.index import build_index, open_index
from carebase.search.query import Searcher

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[1] / "content"


def answerers(lexical: bool):
    ml = load_languages(DEMO, Languages(("en", "de"))).published()
    english = ml.catalogues["en"]
    out, tmps = {}, []
    for lang in ("en", "de"):
        catalogue = ml.catalogues[lang]
        tmp = tempfile.TemporaryDirectory()
        tmps.append(tmp)
        folder = Path(tmp.name)
        if lang == "en":
            build_index(catalogue, folder)
        else:
            build_index(catalogue, folder, source=english)
        semantic = None
        if not lexical and meaning.available() and meaning.knows(lang):
            from carebase.search.semantic import SemanticIndex

            semantic = SemanticIndex.build(catalogue, folder)
        searcher = Searcher(open_index(folder), catalogue, semantic=semantic)
        out[lang] = (Answerer(searcher, catalogue), "hybrid" if semantic is not None else "lexical")
    return out, tmps


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lexical", action="store_true", help="English by words only too")
    ap.add_argument("--verbose", action="store_true", help="each question's outcome")
    args = ap.parse_args(argv)
    questions = yaml.safe_load((HERE / "ask_demo_questions.yml").read_text(encoding="utf-8"))
    found, _tmps = answerers(args.lexical)
    print("| language | mode | questions answerable | correct | wrong | not answered | unanswerable: wrong / not answered |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for lang in ("de", "en"):
        answerer, mode = found[lang]
        right = wrong = silent = none_wrong = none_silent = 0
        for q in questions[lang]:
            a = answerer.answer(q["q"])
            top = a.citations[0].id if a.answered and a.citations else None
            if q["accept"]:
                if top is None:
                    silent += 1
                elif top in q["accept"]:
                    right += 1
                else:
                    wrong += 1
            elif top is None:
                none_silent += 1
            else:
                none_wrong += 1
            if args.verbose:
                mark = "-" if top is None else ("ok" if top in q["accept"] else "WRONG")
                print(f"  {lang} {mark:5} {q['q']!r} -> {top} {a.confidence:.2f} | {a.why}", file=sys.stderr)
        n = sum(1 for q in questions[lang] if q["accept"])
        print(f"| {lang} | {mode} | {n} | {right} | {wrong} | {silent} | {none_wrong} / {none_silent} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
