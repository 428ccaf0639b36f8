"""analyser.js's copy of the German placement rule (``separated``: where a question's separable
verb and its prefix stand, carebase.text.separable), which the client index reads separated verbs
joined by, gives what the Python rule gives, from the words a German index's meta.json carries."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from text_testkit import LOAD_ANALYSER_JS, run_node

from carebase.text import analyser_for
from carebase.text.separable import separated

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "search"
if str(BENCH) not in sys.path:
    sys.path.append(str(BENCH))  # last: its material.py must not hide mkdocs-material


@pytest.mark.slow  # runs Node
def test_analyser_js_places_separated_verbs_as_the_python_rule_does():
    """Every German question of the benchmark sets, the German pages' sentences, and hand-made
    shapes (clause ends, conjunctions, capitals, umlauts typed or not, imperatives)."""
    import german_site

    de = analyser_for("de")
    wording = german_site.Wording()
    texts = german_site.seed_questions() + wording.sentences + wording.questions + [
        "Wie SETZE ich das Thermostat ZURÜCK?", "setz zurück", "wie\nsetze ich es zurück", "lumo zeigt nichts an",
        "ich setze es zurück und lade es herunter", "setzen Sie Lumo zurück; wie melde ich mich ab",
        "„wie schalte ich es ein“ – oder aus", "wie hebe ich geld am automaten ab, wie lade ich auf"]
    script = LOAD_ANALYSER_JS + ("const an = ctx.window.carebaseAnalyser.create(input.rules);"
                                 "console.log(JSON.stringify(input.texts.map((t) => an.separated(t))));")
    js = run_node(script, {"rules": de.client_rules([]), "texts": texts})
    python = [[list(pair) for pair in separated(t, de)] for t in texts]
    assert sum(1 for p in python if p) >= 100
    assert [(t, p) for t, p, j in zip(texts, python, js) if p != j] == []
    english = run_node(script, {"rules": analyser_for("en").client_rules([]), "texts": ["wie setze ich es zurück"]})
    assert english == [[]]


@pytest.mark.slow  # stems every base form after every prefix (~250,000 stems)
def test_the_client_forms_are_those_an_exhaustive_search_of_the_joined_verbs_finds(monkeypatch):
    """``client_forms`` stems only the base forms that can join to a term (``_joined_bases``); every
    base form after every prefix, stemmed, finds the same forms for the German demo's terms."""
    from carebase.content.languages import Languages
    from carebase.content.translations import load_languages
    from carebase.search.records import catalogue_records
    from carebase.text import separable

    de = analyser_for("de")
    ml = load_languages(Path(__file__).resolve().parents[2] / "content", Languages(("en", "de"))).published()
    terms = {t for rec in catalogue_records(ml.catalogues["de"], ml.catalogues["en"])
             for t in de.terms(" ".join((rec.title, rec.keywords, rec.headings, rec.body)))}
    found = separable.client_forms(de, terms)
    every: dict[str, list] = {}
    for base in sorted(set(separable._lemmas(de).values())):
        for prefix in sorted(separable.SEPARABLE):
            every.setdefault(de.stem(prefix + base), []).append((prefix, base))
    monkeypatch.setattr(separable, "_joined_bases", lambda analyser, term: sorted(set(every.get(term, ()))))
    assert len(found) > 300 and separable.client_forms(de, terms) == found
