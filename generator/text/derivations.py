"""Word derivations the stemmer does not join: *verification* → *verify*, *identity* and
*identification* → *identify*, *fraudulent* → *fraud*, *reactivate* → *activate*, and the British spellings of the
dictionary's American words, *recognise* → *recognize* (``Analyser.stem``, through the
word-forms table of ``forms.py``: one table, one file in the cache folder, the same entries
in the client index's rules).

No light, maintained library gives English derivations: simplemma's lemmas are inflections
only, and WordNet's derivational links (nltk, wn) come as a download of their own at run time.
So the joins are a rule over the language's dictionary (pyspellchecker's word list, with
simplemma's base forms for the British spellings it lacks): a base form ending in a suffix of
``SUFFIXES`` joins the word with the base ending when that is an everyday word
(``Analyser.is_ordinary``), with the derived word's own forms (simplemma: *verifications*,
*recognised*). Guards against joining words a customer means apart:

- the base word has at least ``MIN_BASE`` letters and the root (the word less its suffix) as
  many (``MIN_ROOT``), and neither word is a stop word: short words and acronyms are where a
  suffix rule goes wrong (*station* is not *state*, *nation* not *nate*);
- only the suffixes listed: *-ly* was measured and left out (it joins *really* to *real*,
  *hardly* to *hard*; on the first relevance set it lost 3 queries at hit@1 for 1 at hit@5),
  and so were prefixes, but for *re-* before a vowel between two verbs (``PREFIXES``: counts
  do not tell *reactivate* → *activate* from *reserve* → *serve*, *research* → *search*; a
  vowel and two verbs do); *-er* and *-ment* make other words as often (*number*, *holder*,
  *statement*; a verb as the base still joins *shower* → *show*, *router* → *route*,
  *counter* → *count*); negating prefixes never join (*incorrect*, *unverified*);
- ``NOT_DERIVED``: joins the rules make that a customer does not mean as one, found by reading
  the whole table (~70 base forms; ``rules_key`` names the kept table, so an edit makes it again);
- ``LISTED``: a derivation no rule gives without wrong joins is listed as a pair (*fraudulent* →
  *fraud*), not written as a rule.

A join is kept only when it changes a stem (the stemmer already joins *activate*/*activation*,
*refund*/*refundable*, *confirm*/*confirmation*).
"""

from __future__ import annotations

from typing import Callable

#: (derived ending, base ending), tried in order: the first rule whose base is a word joins.
SUFFIXES = (
    ("ification", "ify"),    # verification → verify, notification → notify
    ("isation", "ization"),  # authorisation → authorization: one spelling (the stemmer joins -ize)
    ("ise", "ize"),          # recognise → recognize: British spelling, the dictionary's American one
    ("yse", "yze"),          # analyse → analyze
    ("ity", "ify"),          # identity → identify
)

#: Prefixes that make a verb of a verb (derived beginning, base beginning): *reactivate* →
#: *activate*. Only where the base starts with a vowel, and only when both words are verbs
#: (simplemma lists an -ing form of each): a consonant after *re-* is where the prefix is
#: part of another word (*research*, *reserve*, *resign*, *return*, *report*), and the nouns
#: and adjectives of a vowel are (*reaction*/*action*, *reactor*, *reactive*, *reagent*,
#: *reunion*). Measured in RESULTS "derivations" (session 35).
PREFIXES = (
    ("re", ""),  # reactivate → activate, reopen → open, reorder → order, reinstall → install
)
VOWELS = frozenset("aeiou")

#: The shortest root (the word without its ending) of a suffix rule: ``MIN_BASE`` unless listed
#: (*verification*'s root is *ver*; *nation*, *station*, *mutation* have roots of 1-3 letters).
MIN_ROOT = {"ification": 3}

#: The shortest base word a rule joins to (acronyms and short words: ``apply`` is not ``app``).
MIN_BASE = 4

#: joins the rules make that a customer does not mean as one, per language (the derived word)
NOT_DERIVED = {
    "en": frozenset({
        "quality",  # not "qualify"
    }),
}

#: derivations no suffix rule gives without wrong joins, listed one by one (derived word → base
#: word), per language: an *-ulent* rule joined *fraudulent* → *fraud* but also *flatulent* →
#: *flat*, *crapulent*, *acidulent* (3 wrong of 4), so the one right join is listed, not ruled.
#: Found among the first (development) relevance set's misses.
LISTED = {
    "en": {"fraudulent": "fraud"},
}

#: the languages with derivation rules
LANGUAGES = ("en",)


def rules_key() -> str:
    """The rules as text: part of the kept table's name, so a change to them makes it again
    (with this file's digest: a change to how they are applied, too)."""
    import hashlib
    from pathlib import Path

    return hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12] + repr((SUFFIXES, PREFIXES, MIN_BASE, sorted(MIN_ROOT.items()), sorted((k, sorted(v)) for k, v in NOT_DERIVED.items()),
                 sorted((k, sorted(v.items())) for k, v in LISTED.items()), LANGUAGES))


def joins(analyser, stem: Callable[[str], str], words, lemmas: dict[str, str]) -> dict[str, str]:
    """Derived word → its base word: each word of ``words`` (the dictionary) that is a base form
    of its own (not a form of another word in ``lemmas``, simplemma's form → base form) and that
    a rule joins to another word, with its forms (*verifications*, *recognized*). ``stem``: the
    analyser's stem with the word forms; a join that leaves the stem as it was is not kept."""
    if analyser.language not in LANGUAGES:
        return {}
    not_derived = NOT_DERIVED.get(analyser.language, frozenset())
    stop = analyser.stop_words

    def base_word(word: str) -> bool:
        return len(word) >= MIN_BASE and word not in stop and analyser.is_ordinary(word)

    verbs = {lemma for form, lemma in lemmas.items() if form.endswith("ing") and form != lemma}
    prefixed: dict[str, str] = {}  # the stem of a verb a prefix rule joins → the prefix
    starts = {beginning[:2] for beginning, _ in PREFIXES}
    found: dict[str, str] = {}  # derived word (a base form) → base word
    for word in words:
        if word in stop or word in not_derived or not word.isalpha() or lemmas.get(word, word) != word:
            continue
        base = None
        for ending, replacement in SUFFIXES:
            root = len(word) - len(ending)
            if word.endswith(ending) and root >= MIN_ROOT.get(ending, MIN_BASE):
                candidate = word[:root] + replacement
                if candidate != word and base_word(candidate):
                    base = candidate
                    break
        if base is None and word in verbs:
            for beginning, replacement in PREFIXES:
                rest = word[len(beginning):]
                if word.startswith(beginning) and rest[:1] in VOWELS:
                    candidate = replacement + rest
                    if candidate in verbs and base_word(candidate):
                        base = candidate
                        prefixed[stem(word)] = beginning
                        break
        if base is not None:
            found[word] = base
    # the stemmer's family of a prefixed verb follows it: *reactivation* (the stem of
    # *reactivate* before the join) → *activation*, so the join does not part what the stemmer
    # had joined
    for word in words:
        beginning = prefixed.get(stem(word)) if word[:2] in starts else None
        if beginning and word not in found and lemmas.get(word, word) == word and base_word(word[len(beginning):]):
            found[word] = word[len(beginning):]
    for word, base in LISTED.get(analyser.language, {}).items():
        if base_word(base):
            found.setdefault(word, base)
    for word, base in list(found.items()):  # a base that is derived itself: to the last base
        seen = {word}
        while base in found and base not in seen:
            seen.add(base)
            base = found[base]
        found[word] = base
    forms_of: dict[str, list[str]] = {}
    for form, lemma in lemmas.items():
        if lemma in found and form != lemma:
            forms_of.setdefault(lemma, []).append(form)
    out: dict[str, str] = {}
    for word, base in found.items():
        for form in (word, *forms_of.get(word, ())):
            if form not in stop and stem(form) != stem(base):
                out[form] = base
    return out
