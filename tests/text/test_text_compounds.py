"""German compounds read as their parts (carebase.text.compounds), for the gap report's keys:
the split's cost, typos, and the casing of titles (reader R2, R4, R6 of session 49)."""

from __future__ import annotations

from collections import Counter

from carebase.report.normalise import Normaliser
from carebase.text import analyser_for
from carebase.text.compounds import LONGEST, parts


class Counting:
    """The German analyser, its dictionary look-ups counted."""

    def __init__(self):
        self.de, self.calls = analyser_for("de"), 0
        self.stop_words = self.de.stop_words

    def is_word(self, word: str) -> bool:
        self.calls += 1
        return self.de.is_word(word)


def test_a_compound_is_read_as_its_parts_and_a_dictionary_word_whole():
    de = analyser_for("de")
    assert parts("kartenzahlung", de) == ["karten", "zahlung"]
    assert parts("papierrechnung", de) == ["papier", "rechnung"]  # not papi|errechnung
    assert parts("abwesenheitsmodus", de) == ["abwesenheit", "modus"]  # a linking s
    assert parts("verbraucher", de) == ["verbraucher"]  # the dictionary holds it: not verb|raucher


def test_the_split_costs_at_most_quadratic_look_ups_and_a_long_word_is_read_whole():
    """R2: each beginning of a word was split again for every head after it (exponential: a
    200-letter word ~25 million look-ups, ~9 s). Now each once; longer than LONGEST: whole."""
    for n in (2, 3, 4):
        counting = Counting()
        parts("arbeitsamt" * n, counting)
        assert counting.calls <= (10 * n) ** 2, (n, counting.calls)
    counting = Counting()
    assert parts("arbeitsamt" * 20, counting) == ["arbeitsamt" * 20] and counting.calls == 0
    assert len("arbeitsamt" * 4) <= LONGEST < len("arbeitsamt" * 20)


def test_a_typo_of_a_known_word_is_that_word_not_a_compound():
    """R4: "einstelungen" (a letter left out) was read as "einst" + "lungen", never folded to the
    help centre's "Einstellungen": its searches made a row of their own."""
    normaliser = Normaliser([], ["Einstellungen ändern", "Gutschein einlösen"], "de")
    normaliser.learn(Counter({"einstellungen": 5, "einstelungen": 1, "gutschein": 5, "gutschien": 1}))
    assert normaliser.analyse("einstelungen").key == normaliser.analyse("Einstellungen").key
    assert normaliser.analyse("gutschien").key == normaliser.analyse("gutschein").key


def test_a_title_capitalises_the_help_centres_nouns_not_its_formal_address():
    """R6: the help centre writes "Sie" and "Ihre" (its formal address) with a capital; a title
    "meine tochter hat ihre karte verloren" is "her card", not "your card" (Ihre)."""
    normaliser = Normaliser([], ["Ändern Sie Ihre Karte", "Wie sperre ich meine Karte?"], "de")
    assert normaliser.cased("meine tochter hat ihre karte verloren") == "meine tochter hat ihre Karte verloren"
    assert normaliser.cased("wie kann ich sie sperren") == "wie kann ich sie sperren"
