"""Any other language: folded words, no stop words, no stemmer.

A language without a module of its own (French, Arabic, Hebrew, …) is still searched by its
words, folded as everywhere (lower case, marks removed: *café* = *cafe*; Arabic diacritics
dropped), with typo tolerance; plurals and verb forms are not joined. A language gets a full
analyser with a module like ``german.py`` (its stop words, a Snowball stemmer) and the same
stemmer in analyser.js.
"""

from __future__ import annotations

STEMMER = "none"
STOP_WORDS: frozenset = frozenset()
LETTER_FOLDS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                "ı": "i", "’": "'", "‘": "'", "ʼ": "'"}
TYPO_EDITS = ((3, 1), (5, 2))
#: pyspellchecker's word lists (the gap report's is-it-a-word test), by language
DICTIONARIES = ("ar", "de", "en", "es", "eu", "fa", "fr", "it", "lv", "nl", "pt", "ru")


def stem(word: str) -> str:
    return word
