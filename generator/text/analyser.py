"""The text analyser: one definition of a word for search, the gap report and the
client-side search index.

A text becomes terms in four steps, the same everywhere:

1. **fold**: lower case, Unicode compatibility decomposition with the marks removed
   (``Café`` → ``cafe``, ``ﬁ`` → ``fi``), and the language's own letter folds
   (``ß`` → ``ss``; curly apostrophes become ``'``);
2. **words**: runs of letters and digits, an inner apostrophe kept (``don't``), short parts
   joined by slashes kept together when one of them is a single letter (``o/b``, ``a/c``,
   ``24/7``: ``_slashed``);
3. **stop words** dropped (the language's list), and words of one letter;
4. **stems**: the language's stemmer, after joining the word forms it does not join to their
   base form (``forms.py``: *frozen* → *freeze*, *paid* → *pay*, *sent* → *send*) and, in
   English, the derivations it does not join to their base word (``derivations.py``:
   *verification* → *verify*, *fraudulent* → *fraud*, *recognise* → *recognize*; one table).

Typo tolerance (``max_edits``, ``distance``), synonym groups (``synonyms()``) and the
language's dictionary (``is_word``: is this a word at all, or gibberish?) are part of the
analyser too. ``client_rules()`` is what the client index (theme/assets/carebase/
analyser.js) needs to apply the same steps in the browser: the build writes it into the
index's meta.json, and a test runs analyser.js in node against this module on a word list.

Languages: ``analyser_for(language)`` returns the analyser of a language: English
(``english.py``, Whoosh's Porter stemmer) and German (``german.py``, Snowball's German
stemmer) in full; Chinese, Japanese and Korean by character pairs (``cjk.py``); any other
language by its folded words (``basic.py``). A new language is a module like ``german.py``
and an entry in ``LANGUAGES`` (with its stemmer in analyser.js).
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from typing import Callable, Iterable

from carebase.text import basic, cjk, english, german
from carebase.text.synonyms import SynonymGroups
from carebase.text.typos import deletes, distance, max_edits

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*(?:/[^\W_]+(?:'[^\W_]+)*)*")


def _slashed(found: list[str]) -> list[str]:
    """Words joined by slashes: one word when its parts are short and one is a single letter or
    digit (``o/b``, ``a/c``, ``b/g/n``, ``24/7``: a one-letter word alone is dropped, so ``o`` and
    ``b`` found nothing), else its parts (``on/off``, ``wi-fi/bluetooth``)."""
    out: list[str] = []
    for word in found:
        if "/" not in word:
            out.append(word)
            continue
        parts = word.split("/")
        if max(map(len, parts)) <= SLASHED_PART and min(map(len, parts)) == 1:
            out.append(word)
        else:
            out.extend(parts)
    return out


#: The longest part of a word joined by slashes that keeps it one word (``_slashed``).
SLASHED_PART = 2


class Analyser:
    def __init__(self, language: str, stop_words: frozenset, stem: Callable[[str], str],
                 letter_folds: dict[str, str], typo_edits: tuple[tuple[int, int], ...], dictionary: str = "",
                 *, stemmer: str = "porter-whoosh", segment: str = "words", fold: str = "nfkd",
                 split: Callable[[str], list[str]] | None = None, forms: str = ""):
        self.language = language
        self.dictionary = dictionary
        self._words: frozenset | None = None
        self._ordinary: frozenset | None = None
        self.letter_folds = dict(letter_folds)
        self.typo_edits = typo_edits
        self.stemmer = stemmer  # the name of analyser.js's copy of ``stem``
        self.segment = segment  # "words", or "cjk-bigrams" (``split`` makes the terms)
        self.fold_form = fold  # "nfkd": marks removed (café = cafe); "nfkc": marks kept (CJK)
        self._split = split
        self._fold_table = str.maketrans(self.letter_folds)
        self.stop_words = frozenset(self.fold(w) for w in stop_words)  # "für" is "fur" once folded
        self.forms_language = forms  # simplemma's language code of the word forms ("": none)
        self._forms: dict[str, str] | None = None
        self._tables: dict[str, dict[str, str]] = {}  # word-forms tables by simplemma language (``table``)
        self._tables_lock = threading.Lock()
        self.stem_only = functools.lru_cache(maxsize=200_000)(stem)  # the stemmer alone
        self.stem = functools.lru_cache(maxsize=200_000)(self._stem)

    # -- the four steps ----------------------------------------------------------------
    def fold(self, text: str) -> str:
        text = text.lower()
        if not text.isascii():
            if self.fold_form == "nfkc":
                text = unicodedata.normalize("NFKC", text).lower()
            else:
                text = unicodedata.normalize("NFKD", text)
                text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M")).lower()
            text = text.translate(self._fold_table)
        return text

    def words(self, text: str, *, keep_stop_words: bool = False) -> list[str]:
        """The folded words of a text, stop words left out unless ``keep_stop_words``."""
        folded = self.fold(text)
        found = _WORD.findall(folded)
        if "/" in folded:
            found = _slashed(found)
        if self._split is not None:
            found = [term for word in found for term in self._split(word)]
            return found if keep_stop_words else [w for w in found if w not in self.stop_words]
        return found if keep_stop_words else [w for w in found if len(w) > 1 and w not in self.stop_words]

    def terms(self, text: str) -> list[str]:
        """The stems of the text's words, stop words left out: what search indexes."""
        return [self.stem(w) for w in self.words(text)]

    def _stem(self, word: str) -> str:
        return self.stem_only(self.forms().get(word, word))

    def forms(self) -> dict[str, str]:
        """The word forms joined before stemming (``forms.py``): folded form → folded base form."""
        if self._forms is None:
            self._forms = self.table(self.forms_language)
        return self._forms

    def table(self, language: str) -> dict[str, str]:
        """simplemma's word forms of ``language`` as this analyser keeps them (``forms.table``: the
        forms its own ``forms``, German's separated verbs: ``carebase.text.separable``), once per
        process: given by ``give`` (read beside a search index: ``forms.read_beside``), else read
        from carebase's cache folder or made. A thread asking while another reads or makes it
        waits for that one (the service makes a table at start in a thread of its own)."""
        if not language:
            return {}
        found = self._tables.get(language)
        if found is None:
            with self._tables_lock:
                found = self._tables.get(language)
                if found is None:
                    from carebase.text import forms

                    found = self._tables[language] = forms.table(self, self.stem_only, language)
        return found

    def has_table(self, language: str) -> bool:
        """Whether ``table(language)`` is in memory already (read, made or given)."""
        return language in self._tables

    def give(self, language: str, table: dict[str, str]) -> None:
        """Hold ``table`` as this process's ``table(language)`` unless one is held already."""
        with self._tables_lock:
            self._tables.setdefault(language, table)

    def is_stop(self, word: str) -> bool:
        return (len(word) < 2 and self._split is None) or word in self.stop_words

    def is_word(self, word: str) -> bool:
        """Whether a folded word is a word of the language (its dictionary), stop words included."""
        if self._words is None:
            self._words = _dictionary(self.dictionary)
        return word in self._words or word in self.stop_words

    def is_ordinary(self, word: str) -> bool:
        """Whether a folded word is an everyday word: its dictionary's words counted at least
        ``ORDINARY_FREQUENCY`` times ("wife", "loft"), and on every other language's pages
        English's too (a German help centre's customers type "factory reset": not a typo of
        *Faktor*). Search never "corrects" one towards a word of the help centre (the
        did-you-mean, the client index's shards)."""
        return word in self.ordinary_words()

    def ordinary_words(self) -> frozenset:
        """The everyday words (``is_ordinary``), folded: the language's dictionary's and, for a
        language other than English, English's (``EVERYDAY_ALSO``)."""
        if self._ordinary is None:
            from carebase.text.dictionary import ORDINARY_FREQUENCY

            names = [self.dictionary] + [n for n in EVERYDAY_ALSO if n not in (self.language, self.dictionary)]
            self._ordinary = frozenset(self.fold(w) for name in names if name for w in _dictionary(name, ORDINARY_FREQUENCY))
        return self._ordinary

    # -- typos and synonyms --------------------------------------------------------------
    def max_edits(self, word: str) -> int:
        return max_edits(word, self.typo_edits)

    distance = staticmethod(distance)
    deletes = staticmethod(deletes)

    def synonyms(self, groups: Iterable[Iterable[str]]) -> SynonymGroups:
        return SynonymGroups(groups, self)

    # -- the browser's copy ----------------------------------------------------------------
    def client_rules(self, terms: Iterable[str] | None = None) -> dict:
        """What analyser.js needs to analyse text exactly like this analyser (JSON-ready).
        ``terms``: the index's terms; the word forms (``forms``) that touch them are included,
        so a query word has the same stem in the browser as here (none without ``terms``)."""
        rules = {"language": self.language, "stop": sorted(self.stop_words), "folds": self.letter_folds,
                 "typo_edits": [list(step) for step in self.typo_edits], "stemmer": self.stemmer,
                 "segment": self.segment, "fold": self.fold_form}
        if terms is not None and self.forms():
            from carebase.text.forms import for_terms

            rules["forms"] = for_terms(self.forms(), self.stem, self.stem_only, terms)
        if self.language == "de":  # where a German question's separated verb stands (carebase.text.separable)
            from carebase.text.separable import client_rules

            rules["separable"] = client_rules()
        return rules


def _dictionary(name: str, min_frequency: int = 0) -> frozenset:
    """The words of a pyspellchecker dictionary (lower case), those counted at least
    ``min_frequency`` times; empty without one (kept in carebase's cache folder between runs:
    carebase.text.dictionary)."""
    from carebase.text.dictionary import words_of

    return words_of(name, min_frequency)


#: Dictionaries whose everyday words every other language's search also leaves uncorrected
#: (``Analyser.is_ordinary``): customers type English product words on any language's pages.
EVERYDAY_ALSO = ("en",)

#: Languages with an analyser of their own; ``analyser_for`` falls back to cjk / basic.
LANGUAGES = {english.LANGUAGE: english, german.LANGUAGE: german}
CJK_LANGUAGES = ("zh", "ja", "ko")


@functools.lru_cache(maxsize=None)
def analyser_for(language: str = "en") -> Analyser:
    """The analyser of a language code (a shared instance): ``de-AT`` is German's."""
    if not isinstance(language, str) or not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", language or ""):
        raise ValueError(f"language: expected a language code such as en or de, found {language!r}")
    base = language.split("-")[0]
    module = LANGUAGES.get(base)
    if module is not None:
        return Analyser(module.LANGUAGE, module.STOP_WORDS, module.stem, module.LETTER_FOLDS, module.TYPO_EDITS,
                        getattr(module, "DICTIONARY", ""), stemmer=getattr(module, "STEMMER", "porter-whoosh"),
                        forms=getattr(module, "FORMS", ""))
    if base in CJK_LANGUAGES:
        return Analyser(base, cjk.STOP_WORDS, cjk.stem, cjk.LETTER_FOLDS, cjk.TYPO_EDITS, stemmer=cjk.STEMMER,
                        segment=cjk.SEGMENT, fold=cjk.FOLD, split=cjk.split)
    dictionary = base if base in basic.DICTIONARIES else ""
    return Analyser(base, basic.STOP_WORDS, basic.stem, basic.LETTER_FOLDS, basic.TYPO_EDITS, dictionary,
                    stemmer=basic.STEMMER)
