"""German word forms (simplemma's, as English has them: ``forms.py``) on or off, measured on the
demo's German questions by the rule declared in RESULTS "Session 44 (`ask`)" before this script's
first run (session 44, `ask`).

    python benchmarks/search/german_forms.py [--verbose]             # the development questions
    python benchmarks/search/german_forms.py --confirm [--verbose]   # the German harness's 60 (once)

"on" sets ``carebase.text.german.FORMS = "de"`` for the run (the analysers made again); "off" is
the shipped analyser. Development: the demo's 40 German Ask questions (right +1, wrong −2, none 0,
the shipped answer rule), and as searches (hit@1, hit@5) its 30 answerable ones and
``separable_de.yml``'s 20 demo questions. Go: the Ask score higher, hit@1 and hit@5 over the 50
searches each at most 1 lower, English analysis identical.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import relevance_languages  # noqa: E402
from separable_de import english_text  # noqa: E402

from carebase.assist.answer import Answerer  # noqa: E402
from carebase.content.languages import Languages  # noqa: E402
from carebase.content.translations import load_languages  # noqa: E402
from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402
from carebase.text import analyser as analyser_module  # noqa: E402
from carebase.text import german  # noqa: E402

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[1] / "content"
RIGHT, WRONG = 1.0, -2.0


@contextlib.contextmanager
def forms(on: bool):
    before = getattr(german, "FORMS", "")
    german.FORMS = "de" if on else before
    analyser_module.analyser_for.cache_clear()
    try:
        yield
    finally:
        german.FORMS = before
        analyser_module.analyser_for.cache_clear()


def searcher(root: Path, folder: Path) -> tuple[Searcher, object]:
    ml = load_languages(root, Languages(("en", "de"))).published()
    english, de = ml.catalogues["en"], ml.catalogues["de"]
    build_index(de, folder, source=english)
    return Searcher(open_index(folder), de), de


def searches(s: Searcher, questions, tag: str, verbose: bool) -> tuple[int, int]:
    h1 = h5 = 0
    for q, accept in questions:
        ids = list(dict.fromkeys(h.id for h in s.search(q, limit=10).hits))
        rank = next((i for i, item in enumerate(ids) if item in accept), None)
        h1 += rank == 0
        h5 += rank is not None and rank < 5
        if verbose:
            print(f"  {tag} search {'-' if rank is None else rank + 1:>2} {q!r} -> {ids[:1]}", file=sys.stderr)
    return h1, h5


def asks(s: Searcher, catalogue, questions, tag: str, verbose: bool) -> dict:
    answerer = Answerer(s, catalogue)
    right = wrong = none = 0
    for q, accept in questions:
        a = answerer.answer(q)
        top = a.citations[0].id if a.answered and a.citations else None
        if top is None:
            none += 1
        elif top in accept:
            right += 1
        else:
            wrong += 1
        if verbose:
            mark = "-" if top is None else ("ok" if top in accept else "WRONG")
            print(f"  {tag} ask {mark:5} {q!r} -> {top}", file=sys.stderr)
    n = len(questions)
    return {"right": right, "wrong": wrong, "none": none, "score": round((RIGHT * right + WRONG * wrong) / n, 4)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--confirm", action="store_true", help="the German harness's 60 questions (never tuned on)")
    args = ap.parse_args(argv)
    os.environ["CAREBASE_SEMANTIC"] = "0"
    if args.confirm:
        root = harness.HELPCENTRE
        ask_qs = [(q.text, [q.target]) for q in relevance_languages.german_queries()]
        search_qs = ask_qs
    else:
        root = DEMO
        ask_qs = [(q["q"], list(q["accept"])) for q in
                  yaml.safe_load((HERE / "ask_demo_questions.yml").read_text(encoding="utf-8"))["de"]]
        sep = yaml.safe_load((HERE / "separable_de.yml").read_text(encoding="utf-8"))["demo"]
        search_qs = [(q, a) for q, a in ask_qs if a] + [(q["q"], list(q["accept"])) for q in sep]
    english = english_text()
    out, analysed = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for on in (False, True):
            tag = "on " if on else "off"
            with forms(on):
                en = analyser_module.analyser_for("en")
                analysed[on] = [en.terms(t) for t in english]
                s, catalogue = searcher(root, Path(tmp) / tag.strip())
                out[on] = (searches(s, search_qs, tag, args.verbose), asks(s, catalogue, ask_qs, tag, args.verbose),
                           len(analyser_module.analyser_for("de").forms()))
    (a1, a5), ask_off, _ = out[False]
    (b1, b5), ask_on, n_forms = out[True]
    n = len(search_qs)
    print(f"German forms in the table: {n_forms}")
    print(f"searches ({n}): hit@1 {a1} -> {b1} ({b1 - a1:+d}), hit@5 {a5} -> {b5} ({b5 - a5:+d})")
    print(f"Ask ({len(ask_qs)}): off {ask_off} -> on {ask_on}")
    same = analysed[False] == analysed[True]
    print(f"English analysis identical: {same} ({len(english)} texts)")
    if not args.confirm:
        go = ask_on["score"] > ask_off["score"] and b1 - a1 >= -1 and b5 - a5 >= -1 and same
        print(f"decision: {'GO' if go else 'NO-GO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
