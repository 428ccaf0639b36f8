"""Words and short phrases of a customer's wording, as search analyses them.

A wording becomes tokens (word as typed, lower case and accent-folded; its stem), without
stop words, numbers, or the placeholders PII masking left (``[email]``, ``[card]``, ``[phone]``, ``[id]``, …);
PII masking runs again first, so a better masker also cleans what was stored before it, and
so does the ingest's cleaning (``carebase.store.cleaning``: a format character inside a word is
gone, as the embedding model drops it). A word that mixes Latin letters with Cyrillic or Greek
ones that look the same (``rеfund`` with a Cyrillic ``е``) is read as the Latin word it
imitates: a block of ``refund`` holds against it, as search's embedding model finds it near
``refund`` (cosine 0.40 with all-MiniLM-L6-v2, over the neighbours' floor of 0.30). A pasted
link's percent-escapes are decoded first, so ``john.smith%40example.com`` is masked as an address
(the ingest's masker stores it as typed).
Phrases are every token and every pair of neighbouring tokens: ``phrase_key`` is the stems
joined by a space (what ties and blocks match on), ``phrase_text`` the words as typed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote

from carebase.search.analysis import stems, words
from carebase.service.masking import MARKERS
from carebase.service.privacy import mask_pii
from carebase.store.cleaning import clean_text

MAX_PHRASE_WORDS = 2
_PLACEHOLDER = re.compile("|".join(map(re.escape, MARKERS)))  # every marker the masker writes
_TOO_MANY_DIGITS = re.compile(r"\d{5,}")  # an account or order number, not a word customers share
#: Cyrillic and Greek letters drawn like Latin ones (Unicode's confusables), for words that mix them
LOOKALIKES = str.maketrans(
    "аеорсуххіјѕԁһӏԛԝғвмнкт" "АВЕКМНОРСТХЅІЈԜ" "αενορτυικχ" "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxxijsdhlqwfbmhkt" "ABEKMHOPCTXSIJW" "aevoptuikx" "ABEZHIKMNOPTYX")
_MIXED = re.compile(r"[^\W_]*[a-zA-Z][^\W_]*")


#: pyspellchecker's word list of the language each look-alike script is written in (Greek: none)
_SCRIPT_DICTIONARY = {"CYRILLIC": "ru"}


def lookalike_latin(word: str) -> str | None:
    """The Latin word a word written wholly in Cyrillic or Greek letters that look Latin imitates
    (``рау`` → ``pay``, ``тах`` → ``tax``), or None: a word with any other letter, an ASCII word, or a
    word of its script's language (Russian ``карта``, ``море``: pyspellchecker's Russian list). Only
    the blocks read a word so (``blocks._holds``): learning keeps every Cyrillic and Greek word as typed."""
    if word.isascii():
        return None
    latin = word.translate(LOOKALIKES)
    if not latin.isascii() or not latin.isalpha():
        return None
    script = unicodedata.name(next(c for c in word if not c.isascii()), "").split(" ")[0]
    name = _SCRIPT_DICTIONARY.get(script)
    return None if name and word in _script_words(name) else latin


@lru_cache(maxsize=None)
def _script_words(name: str) -> frozenset:
    from carebase.text import analyser_for
    from carebase.text.dictionary import words_of

    fold = analyser_for(name).fold  # as the words of a wording are folded ("ё" → "е")
    return frozenset(fold(w) for w in words_of(name))


def _latin(match: re.Match) -> str:
    word = match.group(0)
    return word if word.isascii() else word.translate(LOOKALIKES)


def clean(wording: str) -> str:
    """The wording cleaned as at ingest, PII masked again, the mask placeholders removed and
    Latin look-alikes in Latin words made Latin."""
    if "%" in wording:  # a pasted link's escapes: "john.smith%40example.com" is an address to mask
        wording = unquote(wording)
    text = _PLACEHOLDER.sub(" ", mask_pii(clean_text(wording)) or "")
    return text if text.isascii() else _MIXED.sub(_latin, text)


@lru_cache(maxsize=100_000)  # once per distinct wording, not per journey (1 M searches: seconds)
def normalise(wording: str) -> str:
    """The key two wordings are "the same" by: masked, lower case, single spaces."""
    return " ".join(clean(wording).lower().split())


@lru_cache(maxsize=100_000)
def tokens(wording: str) -> tuple[tuple[str, str], ...]:
    """(word, stem) of each meaningful word, in order."""
    out = []
    for word in words(clean(wording)):
        if word.isdigit() or _TOO_MANY_DIGITS.search(word):
            continue  # amounts and numbers: not words customers share (and maybe an identifier)
        root = stems(word)
        if len(root) == 1:
            out.append((word, root[0]))
    return tuple(out)


def phrases(wording: str, max_words: int = MAX_PHRASE_WORDS) -> dict[str, str]:
    """phrase key (stems) → phrase text (words) for every 1..max_words-token phrase."""
    toks = tokens(wording)
    out: dict[str, str] = {}
    for n in range(1, max_words + 1):
        for i in range(len(toks) - n + 1):
            part = toks[i:i + n]
            out.setdefault(" ".join(s for _, s in part), " ".join(w for w, _ in part))
    return out


def surface(typed: str, key: str) -> str:
    """The words of ``typed`` (a wording as a customer typed it) that phrase ``key`` was learned
    from, as typed: from the word holding its first stem to the word holding its last, the stop
    words between kept ("turn on two-step" for "turn two" in "How do I turn on two-step
    verification?"); "" when the wording does not hold it."""
    spans = [(m.start(), m.end(), [s for _, s in tokens(m.group())]) for m in re.finditer(r"\S+", typed)]
    flat = [(i, s) for i, (_, _, found) in enumerate(spans) for s in found]
    target = key.split()
    for j in range(len(flat) - len(target) + 1):
        if [s for _, s in flat[j:j + len(target)]] == target:
            first, last = flat[j][0], flat[j + len(target) - 1][0]
            return typed[spans[first][0]:spans[last][1]].strip(" .,;:!?\"'()[]")
    return ""


def key_of(text: str) -> str:
    """The phrase key of a phrase a lead typed (``Money back`` → ``money back``)."""
    return " ".join(s for _, s in tokens(text))


def contains(key: str, part: str) -> bool:
    """Whether phrase ``key`` holds the phrase ``part`` as whole neighbouring words."""
    return f" {part} " in f" {key} "
