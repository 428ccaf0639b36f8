"""Word forms in the one analyser (carebase.text.forms): the forms the stemmer does not join
(*frozen* → *freeze*, *paid* → *pay*) get their base form's stem in Python and, through the
rules the build writes for the index's terms, in analyser.js too."""

from __future__ import annotations

from pathlib import Path

import pytest
from text_testkit import LOAD_ANALYSER_JS, run_node

from carebase.text import analyser_for
from carebase.text import derivations
from carebase.text import forms as forms_module

REPO = Path(__file__).resolve().parents[2]

#: (what customers type, the word of the article): the stemmer alone gives them different stems
PAIRS = [("frozen", "freeze"), ("froze", "freezing"), ("withdrew", "withdrawal"), ("withdrawn", "withdraw"),
         ("sent", "send"), ("paid", "pay"), ("lost", "lose"), ("stolen", "steal"), ("stole", "steal"),
         ("bought", "buy"), ("topped", "top"), ("transferred", "transfer"), ("tried", "try"), ("took", "take")]


def test_forms_the_stemmer_misses_get_their_base_forms_stem():
    en = analyser_for("en")
    for form, base in PAIRS:
        assert en.stem_only(form) != en.stem_only(base)  # Porter alone: two terms
        assert en.stem(form) == en.stem(base), (form, base)
    assert en.terms("My card was frozen and my phone stolen") == en.terms("card freeze phone steal")


def test_forms_never_join_names_stop_words_or_rare_base_forms():
    en = analyser_for("en")
    table = en.forms()
    assert 5_000 < len(table) < 20_000
    assert all(f.islower() and b.islower() for f, b in table.items())
    assert not any(b in en.stop_words for b in table.values())  # "gotten" stays a word, not "get"
    assert "gone" not in table  # simplemma says "gan" (an archaic verb): an everyday word keeps its own stem
    assert en.stem("cards") == "card" and "cards" not in table  # the stemmer's own joins need no entry


def test_forms_never_join_two_words_a_customer_means_apart():
    """simplemma gives "best"/"better" the base "good", "worse" "wrong", "bare" "bear" and "led"
    "lead": joined, "works best" matched "good" and "LED" matched "lead" (NOT_FORMS)."""
    en = analyser_for("en")
    for form, other in [("best", "good"), ("better", "good"), ("worse", "wrong"), ("worst", "bad"),
                        ("elder", "old"), ("bare", "bear"), ("lay", "lie"), ("media", "medium"),
                        ("led", "lead"), ("lan", "lin"), ("ltd", "limited")]:
        assert en.stem(form) != en.stem(other), (form, other)
        assert form not in en.forms()
    assert en.terms("heating got worse") != en.terms("heating got wrong")


PLANTED = {b"frozen": b"freeze", b"paid": b"pay", b"cards": b"card", b"gone": b"gan", b"FRD": b"ford",
           b"gotten": b"get", b"start-up": b"startup", b"freeze": b"freeze", b"zorbled": b"zorble"}


def test_the_table_keeps_the_joins_the_stemmer_misses_and_is_kept_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("CAREBASE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(forms_module, "_entries", lambda language: PLANTED)
    monkeypatch.setattr(derivations, "LANGUAGES", ())  # the simplemma forms alone (derivations: their own tests)
    en = analyser_for("en")
    # "cards": the stemmer joins it; "gone" → "gan": an everyday word to a rare one; "FRD": a
    # capital; "gotten" → "get": a stop word; "start-up": not a word; "zorble": not in the dictionary
    made = forms_module.table(en, en.stem_only, "en")
    assert made == {"frozen": "freeze", "paid": "pay"}
    kept = list((tmp_path / "dictionaries").glob("forms-en-*.txt"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "frozen\tfreeze\npaid\tpay"
    monkeypatch.setattr(forms_module, "_entries", lambda language: {})  # read back, not made again
    assert forms_module.table(en, en.stem_only, "en") == made
    kept[0].write_text("frozen freeze\n", encoding="utf-8")  # not a table: made again
    assert forms_module.table(en, en.stem_only, "en") == {}
    assert forms_module._read(kept[0]) == {}


def test_other_languages_have_no_forms_unless_their_module_names_them():
    assert analyser_for("fr").forms() == {}
    assert analyser_for("ja").client_rules(["x"]).get("forms") is None


def test_client_rules_carry_the_forms_that_touch_the_index_terms():
    en = analyser_for("en")
    terms = set(en.terms("Freeze your card, then send us the form. We pay within a day."))
    forms = en.client_rules(terms)["forms"]
    assert {"frozen", "froze", "sent", "paid"} <= forms.keys()
    assert "withdrew" not in forms  # no term of the index is a form of "withdraw"
    assert len(forms) < 200
    assert "forms" not in en.client_rules()


@pytest.fixture(scope="module")
def content_terms():
    parts = []
    for root in (REPO / "content", REPO / "benchmarks" / "search" / "helpcentre"):
        parts += [p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.suffix in (".md", ".yml")]
    return set(analyser_for("en").terms("\n".join(parts)))


@pytest.mark.slow  # runs Node
def test_analyser_js_stems_every_form_as_python_does_for_the_terms_it_can_match(content_terms):
    """Parity: with the rules the build writes for an index of the demo and benchmark content,
    analyser.js in node gives every form of the table (and the PAIRS) Python's stem whenever
    either stem is a term of the index; no other form can match anything either way."""
    en = analyser_for("en")
    rules = en.client_rules(content_terms)
    words = sorted({*en.forms(), *(w for pair in PAIRS for w in pair)})
    script = LOAD_ANALYSER_JS + (
        "const an = ctx.window.carebaseAnalyser.create(input.rules);"
        "console.log(JSON.stringify(input.words.map(an.stem)));"
    )
    js = run_node(script, {"rules": rules, "words": words})
    touching = [(w, en.stem(w), s) for w, s in zip(words, js) if en.stem(w) in content_terms or s in content_terms]
    assert len(touching) > 300
    mismatched = [t for t in touching if t[1] != t[2]]
    assert not mismatched, mismatched[:10]
    assert dict(zip(words, js))["frozen"] == dict(zip(words, js))["freeze"] == "freez"


def test_a_table_kept_under_other_rules_is_made_again(tmp_path, monkeypatch):
    """A kept table is named by the rules that made it: after an upgrade that changes
    ``NOT_FORMS`` (or the analyser's stop words) without bumping ``RULES``, the old table is not
    read back. Fails on session 41's code: the name held ``RULES`` and the derivations only, so
    "paid" stayed joined to "pay" after it was listed as not a form."""
    monkeypatch.setenv("CAREBASE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(forms_module, "_entries", lambda language: PLANTED)
    monkeypatch.setattr(derivations, "LANGUAGES", ())
    en = analyser_for("en")
    assert forms_module.table(en, en.stem_only, "en") == {"frozen": "freeze", "paid": "pay"}
    monkeypatch.setattr(forms_module, "NOT_FORMS", {"en": frozenset({"paid"})})
    assert forms_module.table(en, en.stem_only, "en") == {"frozen": "freeze"}
    assert len(list((tmp_path / "dictionaries").glob("forms-en-*.txt"))) == 2
