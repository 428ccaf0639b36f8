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


def test_a_negation_that_changes_the_need_stays_in_the_key_as_one_not():
    """"card doesn't work" is not "card works": every negation ("not", "isn't", "won't", "can't",
    and "don't", "didn't", "doesn't", which search drops as stop words) is one "not" in the key,
    said in the steps, so opposite needs are two wordings and one need worded with any negation is
    one. A negation of a hedge ("I don't know how to …") or of nothing keeps none."""
    n = normaliser()
    broken = {n.analyse(q).key for q in ["my card doesn't work", "card not working", "card isn't working",
                                         "why won't my card work", "Card doesnt work"]}
    assert broken == {("card", "not", "work")}
    assert n.analyse("how does my card work").key == n.analyse("card working").key == ("card", "work")
    assert n.analyse("card didn't arrive").key == n.analyse("card never arrived").key == ("arriv", "card", "not")
    assert n.analyse("can't log in").key == n.analyse("cannot log in").key == ("log", "not") != n.analyse("log in").key
    assert "negation kept: “doesn't” → “not”" in n.analyse("my card doesn't work").steps
    assert n.analyse("I don't know how to reset my password").key == ("know", "password", "reset")
    assert n.analyse("close my account, I don't like it").key == ("account", "close")
    assert n.analyse("not sure why my refund is late").key == ("late", "refund", "sure")


def test_the_report_groups_opposite_needs_apart_and_one_need_s_negations_together():
    """The wording groups the report clusters: "card doesn't work" and "card not working" one
    group, "how does my card work" another (before session 41 "doesn't" was dropped as a stop
    word, so the broken card and the how-to shared a group)."""
    from carebase.report.journeys import SearchRow
    from carebase.report.missing import cluster_queries

    def row(query):
        return SearchRow(query=query, bucket="cur", searches=1, zero=1, failed=1)

    n = normaliser()
    groups = cluster_queries(n, [row(q) for q in ["my card doesn't work", "card not working",
                                                  "how does my card work", "card isn't working"]])
    by_key = {k: sorted(c.queries) for k, c in groups.items()}
    assert by_key == {("card", "not", "work"): ["card isn't working", "card not working", "my card doesn't work"],
                      ("card", "work"): ["how does my card work"]}
