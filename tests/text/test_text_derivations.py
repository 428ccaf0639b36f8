"""Word derivations in the one analyser (carebase.text.derivations): a derived word gets its
base word's stem (*verification* → *verify*), and the guards keep apart the words a suffix
rule would join wrongly (short words, acronyms, negations, suffixes that make other words)."""

from __future__ import annotations

from carebase.text import analyser_for, derivations

#: (derived word, base word): two stems by the stemmer alone, one with the derivations
JOINED = [("verification", "verify"), ("verifications", "verified"), ("identification", "identify"),
          ("identity", "identify"), ("identities", "identifying"), ("notification", "notify"),
          ("fraudulent", "fraud"), ("recognise", "recognize"), ("recognised", "recognizing"),
          ("authorisation", "authorize"), ("organise", "organize")]

#: (word, other word) a suffix rule could join and a customer means apart
APART = [
    ("apply", "app"), ("early", "ear"), ("only", "on"),          # short words: base under 4 letters
    ("station", "state"), ("nation", "nate"), ("ration", "rate"),  # roots under 4 letters
    ("quality", "qualify"),                                      # NOT_DERIVED
    ("incorrect", "correct"), ("unverified", "verify"),          # negations never join
    ("statement", "state"), ("holder", "hold"), ("number", "numb"),  # -ment, -er: no rules
    ("really", "real"), ("hardly", "hard"), ("correctly", "correct"),  # -ly: measured, not a rule
    ("research", "search"), ("reactivate", "activate"),          # prefixes: no rules
    ("flatulent", "flat"),                                       # no -ulent rule: "fraudulent" is LISTED
]


def test_a_derived_word_gets_its_base_words_stem():
    en = analyser_for("en")
    for derived, base in JOINED:
        assert en.stem_only(derived) != en.stem_only(base), (derived, base)  # the stemmer alone: two terms
        assert en.stem(derived) == en.stem(base), (derived, base)
    assert en.terms("identity verification") == en.terms("identify verify")


def test_the_guards_keep_apart_what_a_customer_means_apart():
    en = analyser_for("en")
    for word, other in APART:
        if en.stem_only(word) != en.stem_only(other):
            assert en.stem(word) != en.stem(other), (word, other)
    table = en.forms()
    assert not {"app", "apply", "station", "quality", "incorrect", "statement", "really", "research"} & table.keys()
    assert table["verification"] == "verify" and table["fraudulent"] == "fraud"


def test_every_join_goes_to_an_everyday_word_of_four_letters_or_more():
    en = analyser_for("en")
    joined = {w: b for w, b in en.forms().items() if en.stem_only(w)[:3] == en.stem_only(b)[:3]}
    derived = {w: b for w, b in joined.items() if any(w.endswith(e) for e, _ in derivations.SUFFIXES)}
    assert len(derived) > 50
    assert all(len(b) >= derivations.MIN_BASE for b in derived.values())


def test_derivations_are_english_only():
    assert derivations.joins(analyser_for("de"), str, ["verifikation"], {}) == {}
    assert analyser_for("de").stem("identifikation") == analyser_for("de").stem_only("identifikation")
