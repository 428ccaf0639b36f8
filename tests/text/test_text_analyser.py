"""carebase's one text analyser (carebase.text): the rules search, the report and the client
index share, and analyser.js in node giving exactly the Python's words and stems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from text_testkit import LOAD_ANALYSER_JS, run_node

from carebase.text import analyser_for

REPO = Path(__file__).resolve().parents[2]
ANALYSER_JS = REPO / "theme" / "assets" / "carebase" / "analyser.js"
SEARCH_INDEX_JS = REPO / "theme" / "assets" / "carebase" / "search-index.js"

TRICKY = ("Refunds refunded refunding Café naïve Straße Ærøskøbing ﬁnance ㎒ İstanbul ΣΊΣΥΦΟΣ batteries "
          "charged charging stopped cancelled boxes status analysis passwords Wi-Fi 2.4GHz I'm I’m can’t "
          "e-mail rebooted hopping conflated yelling yearly generalization top_up x y z 42 ١٢٣ 東京 don't "
          "O/B a/c B/G/N 24/7 on/off and/or Wi-Fi/Bluetooth 5/12/2026 w/o don't/won't 2FA 3G")


def _content_text() -> str:
    parts = [TRICKY]
    for root in (REPO / "content", REPO / "benchmarks" / "search" / "helpcentre"):
        for path in sorted(root.rglob("*")):
            if path.suffix in (".md", ".yml"):
                parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def test_the_four_steps_and_the_typo_rule():
    en = analyser_for("en")
    assert en.words("How do I get a Réfund? I can’t top-up ﬁnances") == ["refund", "can't", "top", "up", "finances"]
    assert en.terms("Cancelling my subscriptions, please") == ["cancel", "subscript"]
    assert en.words("Straße Ærø don't", keep_stop_words=True) == ["strasse", "aero", "don't"]
    assert [en.max_edits(w) for w in ("tv", "trv", "card", "cards", "subscription")] == [0, 1, 1, 2, 2]
    # one-letter words are dropped, but not inside a word joined by slashes ("O/B", "a/c")
    assert en.words("O/B wire, A/C and/or on/off, 2FA, Wi-Fi, 3G, 24/7, a b i") == [
        "o/b", "wire", "a/c", "2fa", "wi", "fi", "3g", "24/7"]
    assert en.distance("subcsription", "subscription") == 1 and en.distance("kitten", "sitting", 1) == 2
    with pytest.raises(ValueError, match="language: expected a language code such as en or de, found 'English'"):
        analyser_for("English")


def test_synonym_groups_match_on_stems_and_rewrite_to_the_first_member():
    en = analyser_for("en")
    groups = en.synonyms([["refund", "money back", "reimbursement"], ["on hold", "paused"]])
    assert len(groups.groups) == 1  # "on hold" loses a stop word: the group keeps one member and is dropped
    rewritten, applied = groups.canonical(en.terms("get my moneys back now"))
    assert rewritten == ["refund", "now"] and applied == [(0, ("monei", "back"), ("refund",))]
    assert set(groups.group_terms(en.terms("Reimbursements"))) == {"refund", "monei", "back", "reimburs"}


def test_search_report_and_shards_use_the_one_analyser():
    from carebase.pages import search_shards
    from carebase.report import normalise
    from carebase.search import analysis, schema

    en = analyser_for("en")
    text = _content_text()[:20_000]
    assert analysis.stems(text) == tuple(en.terms(text))
    assert search_shards.terms(text) == en.terms(text)
    assert schema.STOP_WORDS is normalise.STOP_WORDS is en.stop_words
    assert [t.text for t in schema.text_analyzer()(text)] == en.terms(text)


@pytest.mark.slow  # runs Node
def test_analyser_js_gives_the_pythons_words_and_stems_on_every_content_word():
    en = analyser_for("en")
    text = _content_text()
    vocabulary = sorted(set(en.words(text, keep_stop_words=True)))
    assert len(vocabulary) > 2000
    script = LOAD_ANALYSER_JS + (
        "const an = ctx.window.carebaseAnalyser.create(input.rules);"
        "console.log(JSON.stringify({all: an.words(input.text, true), terms: an.terms(input.text),"
        " stems: input.vocabulary.map(an.stem), edits: input.vocabulary.map(an.maxEdits),"
        " distances: input.pairs.map(p => an.distance(p[0], p[1], 2))}));"
    )
    pairs = list(zip(vocabulary[:-1:7], vocabulary[1::7]))
    rules = en.client_rules(en.terms(text))  # as the build writes them for an index of this text
    js = run_node(script, {"rules": rules, "text": text, "vocabulary": vocabulary, "pairs": pairs})
    assert js["all"] == en.words(text, keep_stop_words=True)
    assert js["terms"] == en.terms(text)
    mismatched = [(w, en.stem(w), s) for w, s in zip(vocabulary, js["stems"]) if en.stem(w) != s]
    assert not mismatched, mismatched[:10]
    assert js["edits"] == [en.max_edits(w) for w in vocabulary]
    assert js["distances"] == [en.distance(a, b, 2) for a, b in pairs]


@pytest.mark.slow  # runs Node
def test_search_index_js_uses_the_rules_of_the_index_it_opens():
    en = analyser_for("en")
    script = (
        "const vm = require('vm'); const fs = require('fs');"
        "const input = JSON.parse(fs.readFileSync(0, 'utf8'));"
        "const ctx = {window: {}, URL, fetch: () => Promise.resolve({ok: true, json: () => input.meta})};"
        "vm.createContext(ctx);"
        f"vm.runInContext(fs.readFileSync({json.dumps(str(ANALYSER_JS))}, 'utf8'), ctx);"
        f"vm.runInContext(fs.readFileSync({json.dumps(str(SEARCH_INDEX_JS))}, 'utf8'), ctx);"
        "const idx = ctx.window.carebaseSearchIndex;"
        "idx.open('http://help.example/search/carebase/').then(() =>"
        " console.log(JSON.stringify({words: idx.words(input.text), stems: idx.words(input.text).map(idx.stem)})));"
    )
    from carebase.pages.search_shards import VERSION

    meta = {"version": VERSION, "items": 0, "chunk": 100, "split": [], "shards": [], "kinds": {},
            "analyser": en.client_rules(en.terms(TRICKY))}
    js = run_node(script, {"meta": meta, "text": TRICKY + " please help me"})
    assert js["words"] == en.words(TRICKY + " please help me")
    assert js["stems"] == en.terms(TRICKY + " please help me")
