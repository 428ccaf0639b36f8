"""German compounds read as their parts, for the gap report's grouping: "Kartenzahlung" and
"Zahlung mit Karte" are one need; German writes it as one word or as several.

A word is split when the language's dictionary (``Analyser.is_word``: pyspellchecker's German list,
340,000 words) does not hold it whole and it is a head of at least ``MIN_HEAD`` letters that is
a word, after a modifier of at least ``MIN_MODIFIER`` letters that is a word — as written or less
a linking element (``LINKS``: *Karte-n-zahlung*, *Abwesenheit-s-modus*) — or is such a compound
itself. Of several such splits, one whose modifier needs no linking element, then the one whose
shorter part is longest (*Papier|rechnung*, not *Papi|errechnung*), then the longest head. Neither part is a stop word. A compound the dictionary holds whole stays one word
(*Verbraucher* is not *Verb* + *Raucher*, *Geldautomat* stays), so only the long tail of compounds
is read as parts, and both ways of writing a need end in the same stems.

Chosen over a library by measurement (RESULTS "Session 49 (`lang`)"): CharSplit
(``compound-split``, the statistical splitter most cited for German; last release 2020) is
GPL-3.0 and splits dictionary words as well (*Verbraucher* → *Verb* + *Raucher*); this rule uses
the dictionary carebase already ships.
"""

from __future__ import annotations

#: Linking elements between a German compound's parts (*Fugenelemente*), longest first.
LINKS = ("ens", "es", "en", "er", "ns", "s", "n", "e")
MIN_HEAD = 4
MIN_MODIFIER = 3
#: A longer word is read whole: no need is written in one word of more letters (*Kraftfahrzeug-
#: haftpflichtversicherung* is 36), and a pasted text or an id is no compound.
LONGEST = 40


def parts(word: str, analyser) -> list[str]:
    """The parts of a folded German word (``[word]`` when it is no compound by the rule above):
    ``kartenzahlung`` → ``["karten", "zahlung"]``, ``abwesenheitsmodus`` → ``["abwesenheit",
    "modus"]``."""
    if not MIN_MODIFIER + MIN_HEAD <= len(word) <= LONGEST or not word.isalpha() or analyser.is_word(word):
        return [word]
    return _split(word, analyser, {}) or [word]


def _split(word: str, analyser, known: dict) -> list[str] | None:
    """The best split of ``word`` into a modifier and a head, or None: of the heads that are words
    (with a modifier that is a word, less a linking element or not, or a compound itself), one
    whose modifier is a word as written (*sprach|steuerung*, not *sprach-s|teuerung*), then the one
    whose shorter part is longest (*papier|rechnung*, not *papi|errechnung*), then the longest head.
    ``known``: the splits of the word's beginnings already tried in this call (each once: the cost is
    quadratic in the word's length, not exponential)."""
    if word in known:
        return known[word]
    best, best_rank = None, None
    for cut in range(MIN_MODIFIER, len(word) - MIN_HEAD + 1):
        head = word[cut:]
        if not _part(head, analyser):
            continue
        modifier = word[:cut]
        found = next(([shown] for shown in (modifier, *(modifier[:-len(link)] for link in LINKS
                                                        if modifier.endswith(link)))
                      if len(shown) >= MIN_MODIFIER and _part(shown, analyser)), None)
        if found is None and len(modifier) >= MIN_MODIFIER + MIN_HEAD:
            found = _split(modifier, analyser, known)
        if found is None:
            continue
        rank = (found == [modifier], min(len(modifier), len(head)), len(head))
        if best_rank is None or rank > best_rank:
            best, best_rank = [*found, head], rank
    known[word] = best
    return best


def _part(word: str, analyser) -> bool:
    return word not in analyser.stop_words and analyser.is_word(word)
