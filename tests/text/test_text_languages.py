"""Analysers of other languages: German (Snowball stems, German stop words, umlauts typed
or left out), Chinese/Japanese/Korean (character pairs), any other language (folded words);
and analyser.js giving the Python's words and stems for each."""

from __future__ import annotations

import collections
import re

import pytest
from text_testkit import LOAD_ANALYSER_JS, run_node

from carebase.text import analyser_for


GERMAN = ("Wie bekomme ich eine Rückerstattung? Rueckerstattung Ruckerstattung Erstattungen erstatten "
          "Kündigung kündigen Rechnungen Heizungsanlage Thermostate WLAN-Passwort Straße strasse "
          "Zahlungsdienstleister geht's nicht Häuser Haeuser Bäume übermäßig Systemen ordnungsgemäß Quelle")
CJK = "如何申请退款？ Lumo恒温器 ＷｉＦｉ 返金を受けるには 환불 받는 방법 東京"


def test_german_words_stems_and_stop_words():
    de = analyser_for("de")
    assert de.terms("Wie bekomme ich eine Rückerstattung für meine Rechnungen?") == [
        "bekomm", "ruckerstatt", "rechnung"]
    # umlauts typed, spelled out or left out: one stem
    assert len({de.stem(w) for w in de.words("Rückerstattung Rueckerstattung Ruckerstattung")}) == 1
    assert de.terms("Straße strasse") == ["strass", "strass"]
    assert de.terms("Die Heizung geht nicht an") == ["heizung", "geht", "nicht"]  # negations are words
    assert "fur" in de.stop_words and de.is_word("rechnung") and not de.is_word("zzkv")
    assert analyser_for("de-AT") is not de and analyser_for("de-AT").stemmer == "snowball-german"


def test_cjk_by_character_pairs_and_other_languages_by_words():
    zh = analyser_for("zh")
    assert zh.words("如何申请退款？ Lumo恒温器 ＷｉＦｉ") == [
        "如何", "何申", "申请", "请退", "退款", "lumo", "恒温", "温器", "wifi"]
    assert analyser_for("ja").words("返金を") == ["返金", "金を"]  # kana keep their marks (NFKC)
    assert analyser_for("ko").words("환불 받는 방법") == ["환불", "받는", "방법"]  # Hangul stays whole
    assert analyser_for("zh").terms("东") == ["东"]  # one character is a term
    fr = analyser_for("fr")
    assert fr.terms("Les remboursements du café") == ["les", "remboursements", "du", "cafe"]
    assert analyser_for("ar").words("اِسْتِرْدَاد") == ["استرداد"]  # diacritics folded away


@pytest.mark.slow  # runs Node
@pytest.mark.parametrize("language, text", [("de", GERMAN), ("zh", CJK), ("ja", CJK), ("ko", CJK), ("fr", GERMAN)])
def test_analyser_js_gives_the_pythons_words_and_terms(language, text):
    an = analyser_for(language)
    script = LOAD_ANALYSER_JS + (
        "const an = ctx.window.carebaseAnalyser.create(input.rules);"
        "console.log(JSON.stringify({all: an.words(input.text, true), terms: an.terms(input.text)}));")
    js = run_node(script, {"rules": an.client_rules(), "text": text})
    assert js == {"all": an.words(text, keep_stop_words=True), "terms": an.terms(text)}


# what Snowball's German stemmer looks at: suffixes (at most 4 letters and the letter before),
# ß, y and u/y between vowels (marked before stemming), and R1/R2 (the vowel pattern)
_STEMMER_SPECIAL = re.compile(r"[ßy]|[aeiouäöü][uy][aeiouäöü]")


def _stemmer_sample(words: list[str], *, every: int = 10, per_ending: int = 2) -> list[str]:
    """The dictionary's words that exercise every path of the stemmer: the first two words of
    each distinct 5-letter ending, every word with ß, y or u/y between vowels, and every 10th
    word (the variety of R1/R2); about a quarter of the dictionary."""
    seen: collections.Counter = collections.Counter()
    out = []
    for i, word in enumerate(words):
        if seen[word[-5:]] < per_ending or i % every == 0 or _STEMMER_SPECIAL.search(word):
            out.append(word)
        seen[word[-5:]] += 1
    return out


@pytest.mark.slow
def test_german_stemmer_js_agrees_on_a_german_dictionary():
    """analyser.js's German stemmer against Snowball's (PyStemmer) on pyspellchecker's German
    word list (every ending, every special letter, a tenth of the rest: ``_stemmer_sample``),
    folded as the analyser folds (what both sides stem), and as written."""
    from spellchecker import SpellChecker

    de = analyser_for("de")
    dictionary = sorted(w.lower() for w in SpellChecker(language="de", distance=1).word_frequency.dictionary)
    written = _stemmer_sample(dictionary)
    assert {w[-5:] for w in written} == {w[-5:] for w in dictionary} and len(written) > 60_000
    folded = sorted({f for w in written for f in de.words(w, keep_stop_words=True)})
    script = LOAD_ANALYSER_JS + "console.log(JSON.stringify(input.map(ctx.window.carebaseAnalyser.german)));"
    import Stemmer

    snowball = Stemmer.Stemmer("german")
    words = sorted(set(folded) | set(written))  # both lists, each word once: one Node run
    js = run_node(script, words)
    mismatched = [(w, py, s) for w, py, s in zip(words, snowball.stemWords(words), js) if py != s]
    assert len(js) == len(words) and not mismatched, mismatched[:10]
