"""German separable verbs: does joining "setze … zurück" into *zurücksetze* pay? (session 43,
`siteui`; this script and ``separable_de.yml`` were committed before the rule was measured.)

    python benchmarks/search/separable_de.py [--verbose]

A German verb with a separable prefix splits in a main clause: "wie setze ich das thermostat
zurück" is *zurücksetzen*; read word by word, *zurück* matches "Geld zurück" on the refunds pages
and *setze* matches little. Elasticsearch's and Lucene's German analysers do not join them. The
candidate rule (``join_separable``, since session 45 in carebase.assist.separable, where the Ask
box reads it; patched into the German analyser's ``words`` for the "on" run only: it did not pay
for search, so it is not in carebase.text), on German text only: in a clause
(text between punctuation or the conjunctions *und*, *oder*, *aber*, *sondern*, *denn*) whose
last word is a separable prefix (``SEPARABLE``), the prefix is joined to the clause's finite
verb — the word after a leading question word or pronoun, the third word after a leading
article or possessive, the first word when the next one is a pronoun or an article (a question
or an imperative: "setzen Sie Lumo zurück"), or the first of a two-word clause — and dropped
from its place. Nothing else changes; English text never goes through it.

Measured lexically (German is answered by words), rule off vs on, each a fresh index:

* ``separable_de.yml``: 20 questions on the demo's German pages, 19 on the harness's 20 German
  articles (each lists the items that answer it);
* the harness's 60 German queries (``queries.de.yml``, the "Relevance per language" rows);
* the demo's German Ask-box questions that have an answer (``ask_demo_questions.yml``), as
  searches.

**Go / no-go, declared before the first run**: the rule ships only if (a) on the 39
separable-verb questions hit@1 rises by at least 4 questions and hit@5 does not fall; (b) on the
60 harness queries and on the demo's Ask questions, hit@1 and hit@5 each fall by at most 1
question; (c) English analysis is byte-identical (checked here on every English harness query
and every English demo and harness item's text). Otherwise nothing ships and the figures are
recorded.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import relevance_languages  # noqa: E402

from carebase.assist.separable import CLAUSE_END, join_separable  # noqa: E402
from carebase.content.languages import Languages  # noqa: E402
from carebase.content.translations import load_languages  # noqa: E402
from carebase.search.index import build_index, open_index  # noqa: E402
from carebase.search.query import Searcher  # noqa: E402
from carebase.text import analyser_for  # noqa: E402
from carebase.text import analyser as analyser_module  # noqa: E402

HERE = Path(__file__).resolve().parent
DEMO = HERE.parents[1] / "content"


@contextlib.contextmanager
def rule(on: bool):
    """The German analyser's ``words`` with the rule (the shipped one when ``on`` is False)."""
    original = analyser_module.Analyser.words
    word = analyser_module._WORD

    def words(self, text: str, *, keep_stop_words: bool = False) -> list[str]:
        if self.language != "de" or "/" in text:  # English (and any other language) untouched
            return original(self, text, keep_stop_words=keep_stop_words)
        found = [w for clause in CLAUSE_END.split(self.fold(text))
                 for w in join_separable(word.findall(clause), self.stop_words)]
        return found if keep_stop_words else [w for w in found if len(w) > 1 and w not in self.stop_words]
    if on:
        analyser_module.Analyser.words = words
    try:
        yield
    finally:
        analyser_module.Analyser.words = original


def searchers(tmp: Path, tag: str) -> dict[str, Searcher]:
    out = {}
    for name, root in (("demo", DEMO), ("harness", harness.HELPCENTRE)):
        ml = load_languages(root, Languages(("en", "de"))).published()
        english, de = ml.catalogues["en"], ml.catalogues["de"]
        folder = tmp / f"{name}-{tag}"
        build_index(de, folder, source=english)
        out[name] = Searcher(open_index(folder), de)
    return out


def scored(searcher: Searcher, questions: list[tuple[str, list[str]]], verbose: str = "") -> tuple[int, int, list]:
    h1 = h5 = 0
    rows = []
    for q, accept in questions:
        ids = list(dict.fromkeys(h.id for h in searcher.search(q, limit=10).hits))
        rank = next((i for i, item in enumerate(ids) if item in accept), None)
        h1 += rank == 0
        h5 += rank is not None and rank < 5
        rows.append((q, rank, ids[:1]))
        if verbose:
            print(f"  {verbose} {'-' if rank is None else rank + 1:>2} {q!r} -> {ids[:1]}", file=sys.stderr)
    return h1, h5, rows


def english_text() -> list[str]:
    texts = [q.text for q in harness.load_queries(harness.load_intents())]
    for root in (DEMO, harness.HELPCENTRE):
        en = load_languages(root, Languages(("en", "de"))).published().catalogues["en"]
        for item in (*en.articles, *en.videos):
            texts.append(f"{item.title}\n{getattr(item, 'summary', '') or ''}\n{getattr(item, 'body', '') or ''}")
        for group in en.faqs:
            for question in group.questions:
                texts.append(f"{question.question}\n{question.answer}")
    return texts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", action="store_true", help="each question's rank, off and on")
    args = ap.parse_args(argv)
    sets = yaml.safe_load((HERE / "separable_de.yml").read_text(encoding="utf-8"))
    asks = yaml.safe_load((HERE / "ask_demo_questions.yml").read_text(encoding="utf-8"))["de"]
    questions = {
        "separable verbs, demo de (20)": ("demo", [(q["q"], q["accept"]) for q in sets["demo"]]),
        "separable verbs, harness de (19)": ("harness", [(q["q"], q["accept"]) for q in sets["harness"]]),
        "harness German queries (60)": ("harness", [(q.text, [q.target]) for q in relevance_languages.german_queries()]),
        "demo Ask questions de, answerable, as searches": ("demo", [(q["q"], q["accept"]) for q in asks if q["accept"]]),
    }
    english = english_text()
    result = {}
    analysed = {}
    with tempfile.TemporaryDirectory() as tmp:
        for on in (False, True):
            with rule(on):
                en = analyser_for("en")
                analysed[on] = [en.words(t, keep_stop_words=True) for t in english] + [en.terms(t) for t in english]
                found = searchers(Path(tmp), "on" if on else "off")
                for name, (where, qs) in questions.items():
                    result[(name, on)] = scored(found[where], qs, ("on " if on else "off") if args.verbose else "")
    print("| questions | n | hit@1 off → on | hit@5 off → on |")
    print("| --- | ---: | --- | --- |")
    for name, (_, qs) in questions.items():
        (a1, a5, _), (b1, b5, _) = result[(name, False)], result[(name, True)]
        n = len(qs)
        print(f"| {name} | {n} | {a1 / n:.3f} → {b1 / n:.3f} ({b1 - a1:+d}) | {a5 / n:.3f} → {b5 / n:.3f} ({b5 - a5:+d}) |")
    moved = [(name, q, off[1], on[1]) for name, _ in questions.items()
             for off, on in zip(result[(name, False)][2], result[(name, True)][2]) if off[1] != on[1] for q in [off[0]]]
    for name, q, a, b in moved:
        print(f"  moved: {name}: {q!r}: rank {'-' if a is None else a + 1} → {'-' if b is None else b + 1}")
    same = analysed[False] == analysed[True]
    print(f"English analysis identical with the rule on: {same} ({len(english)} texts)")
    sep = [n for n in questions if n.startswith("separable")]
    gain1 = sum(result[(n, True)][0] - result[(n, False)][0] for n in sep)
    gain5 = sum(result[(n, True)][1] - result[(n, False)][1] for n in sep)
    others = [n for n in questions if not n.startswith("separable")]
    kept = all(result[(n, True)][i] - result[(n, False)][i] >= -1 for n in others for i in (0, 1))
    go = gain1 >= 4 and gain5 >= 0 and kept and same
    print(f"decision: {'GO' if go else 'NO-GO'} (separable hit@1 {gain1:+d}, hit@5 {gain5:+d}; others within 1: {kept})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
