"""Query normalisation: each rule that groups customer wordings, and its explanation."""

from __future__ import annotations

from collections import Counter

from carebase.report.normalise import Normaliser, damerau, fold


def normaliser(vocabulary=("Reset your password", "Cancel your subscription")):
    n = Normaliser([("refund", "money back", "reimburse")], vocabulary)
    n.learn(Counter({"password": 10, "pasword": 1, "subscription": 5, "subscripton": 1, "refund": 4,
                     "wallet": 9, "walet": 1, "iphone13": 2, "iphone12": 9}))
    return n


def test_case_accents_and_punctuation_fold():
    assert fold("  Réfund — ÇA? ") == "refund ca"
    assert normaliser().analyse("RÉSET Password!").key == normaliser().analyse("reset password").key


def test_stop_words_and_stems_group_wordings():
    n = normaliser()
    assert n.analyse("How do I cancel my subscriptions?").key == n.analyse("cancelling subscription").key == ("cancel", "subscript")
    assert "stop words dropped: how, do, i, my" in n.analyse("How do I cancel my subscriptions?").steps


def test_typos_fold_to_known_words_but_not_the_other_way():
    n = normaliser()
    assert n.analyse("reset pasword").key == n.analyse("reset password").key
    assert "typo: “pasword” → “password”" in n.analyse("reset pasword").steps
    assert n.analyse("walet").key == n.analyse("wallet").key  # frequent among queries, not in the content
    assert n.corrections.get("password") is None
    assert n.analyse("iphone13").key != n.analyse("iphone12").key  # model numbers are not typos


def test_synonym_groups_fold_phrases():
    n = normaliser()
    analysis = n.analyse("money back")
    assert analysis.key == n.analyse("refund").key
    assert "synonym: “money back” → “refund”" in analysis.steps


def test_edit_distance_with_transpositions():
    assert damerau("subcsription", "subscription", 2) == 1
    assert damerau("kitten", "sitting", 3) == 3
    assert damerau("abc", "xyzabc", 1) == 2  # gives up above the limit


def test_a_common_word_is_not_a_typo_of_a_content_word():
    n = Normaliser([], ["Lost device", "Card payments"])
    n.learn(Counter({"list": 75, "keyboard": 80, "crad": 20, "card": 60, "lsot": 1}))
    assert "list" not in n.corrections  # typed 75 times: a word of its own, not “lost”
    assert n.corrections["crad"] == "card" and n.corrections["lsot"] == "lost"
