"""The text analyser: one definition of a word for search, the gap report and the
client-side search index.

A text becomes terms in four steps, the same everywhere:

1. **fold**: lower case, Unicode compatibility decomposition with the marks removed
   (``Café`` → ``cafe``, ``ﬁ`` → ``fi``), and the language's own letter folds
   (``ß`` → ``ss``; curly apostrophes become ``'``);
2. **words**: runs of letters and digits, an inner apostrophe kept (``don't``);
3. **stop words** dropped (the language's list), and words of one letter;
4. **stems**: the language's stemmer.

Typo tolerance (``max_edits``, ``distance``), synonym groups (``synonyms()``) and the
language's dictionary (``is_word``: is this a word at all, or gibberish?) are part of the
analyser too. ``client_rules()`` is what the client index (theme/assets/carebase/
analyser.js) needs to apply the same steps in the browser: the build writes it into the
index's meta.json, and a test runs analyser.js in node against this module on a word list.

Languages: ``analyser_for(language)`` returns the analyser of a language; English is the
only one so far (a new language is a module like ``english.py`` and an entry in
``LANGUAGES``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Callable, Iterable

from carebase.text import english
from carebase.text.synonyms import SynonymGroups
from carebase.text.typos import deletes, distance, max_edits

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


class Analyser:
    def __init__(self, language: str, stop_words: frozenset, stem: Callable[[str], str],
                 letter_folds: dict[str, str], typo_edits: tuple[tuple[int, int], ...], dictionary: str = ""):
        self.language = language
        self.dictionary = dictionary
        self._words: frozenset | None = None
        self.stop_words = stop_words
        self.letter_folds = dict(letter_folds)
        self.typo_edits = typo_edits
        self._fold_table = str.maketrans(self.letter_folds)
        self.stem = functools.lru_cache(maxsize=200_000)(stem)

    # -- the four steps ----------------------------------------------------------------
    def fold(self, text: str) -> str:
        text = text.lower()
        if not text.isascii():
            text = unicodedata.normalize("NFKD", text)
            text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M")).lower()
            text = text.translate(self._fold_table)
        return text

    def words(self, text: str, *, keep_stop_words: bool = False) -> list[str]:
        """The folded words of a text, stop words left out unless ``keep_stop_words``."""
        found = _WORD.findall(self.fold(text))
        return found if keep_stop_words else [w for w in found if len(w) > 1 and w not in self.stop_words]

    def terms(self, text: str) -> list[str]:
        """The stems of the text's words, stop words left out: what search indexes."""
        return [self.stem(w) for w in self.words(text)]

    def is_stop(self, word: str) -> bool:
        return len(word) < 2 or word in self.stop_words

    def is_word(self, word: str) -> bool:
        """Whether a folded word is a word of the language (its dictionary), stop words included."""
        if self._words is None:
            self._words = _dictionary(self.dictionary)
        return word in self._words or word in self.stop_words

    # -- typos and synonyms --------------------------------------------------------------
    def max_edits(self, word: str) -> int:
        return max_edits(word, self.typo_edits)

    distance = staticmethod(distance)
    deletes = staticmethod(deletes)

    def synonyms(self, groups: Iterable[Iterable[str]]) -> SynonymGroups:
        return SynonymGroups(groups, self)

    # -- the browser's copy ----------------------------------------------------------------
    def client_rules(self) -> dict:
        """What analyser.js needs to analyse text exactly like this analyser (JSON-ready)."""
        return {"language": self.language, "stop": sorted(self.stop_words), "folds": self.letter_folds,
                "typo_edits": [list(step) for step in self.typo_edits], "stemmer": "porter-whoosh"}


def _dictionary(name: str) -> frozenset:
    """The words of a pyspellchecker dictionary (folded); empty without one."""
    if not name:
        return frozenset()
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(language=name, distance=1).word_frequency.dictionary)


LANGUAGES = {english.LANGUAGE: english}


@functools.lru_cache(maxsize=None)
def analyser_for(language: str = "en") -> Analyser:
    """The analyser of a language (a shared instance)."""
    module = LANGUAGES.get(language)
    if module is None:
        raise ValueError(f"language: expected one of {', '.join(sorted(LANGUAGES))}, found {language!r}")
    return Analyser(module.LANGUAGE, module.STOP_WORDS, module.stem, module.LETTER_FOLDS, module.TYPO_EDITS,
                    getattr(module, "DICTIONARY", ""))
