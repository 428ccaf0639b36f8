"""Highlighted snippets: the densest window of matched words, HTML-escaped, with <mark>.

Whoosh's highlighter re-analyses the whole text per hit (≈2 ms). Here only the words
that could match are stemmed: those starting with the first two letters of a query stem
(Porter stemming only changes endings), found with ``str.find``; text with accents
(which fold before stemming) has every word stemmed. Words and stems are carebase.text's.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from carebase.search.schema import LANGUAGE
from carebase.text import analyser_for

_ANALYSER = analyser_for(LANGUAGE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SLASHED = re.compile(r"[^\W_]+(?:/[^\W_]+)+")  # a word joined by slashes ("O/B": carebase.text)


@lru_cache(maxsize=100_000)
def word_stem(word: str, language: str = LANGUAGE) -> str:
    analyser = _ANALYSER if language == LANGUAGE else analyser_for(language)
    return analyser.stem(analyser.fold(word))


def _is_word_char(ch: str) -> bool:  # what ``[^\W_]`` matches
    return ch.isalnum()


#: An entry "stem=word" of a snippet's stems: a synonym's word (carebase.search.query), marked only
#: in its own forms, the words of that stem that start with it as written ("controller",
#: "controllers"; "reimburse", "reimbursing"): "thermostat" has the synonym "controller", whose
#: stem "control" is also the stem of "control", which says nothing of a thermostat ("voice
#: control" was marked for "thermostat" until session 34).
WRITTEN = "="


def _own_form(word: str, written: set[str], language: str) -> bool:
    """Whether ``word`` starts as one of ``written`` does (a final "e" may go: "reimbursing")."""
    analyser = _ANALYSER if language == LANGUAGE else analyser_for(language)
    folded = analyser.fold(word)
    return any(folded.startswith(w) or (w.endswith("e") and len(w) > 2 and folded.startswith(w[:-1])
                                        and len(folded) > len(w)) for w in written)


def matched_words(text: str, stems: set[str], language: str = LANGUAGE) -> list[tuple[int, int]]:
    """Spans of the words of ``text`` whose stems (in ``language``) are in ``stems``; an entry
    with spaces is a phrase's stems, whose words are marked only where they follow each other;
    an entry "stem=word" (``WRITTEN``) marks only the forms of that word."""
    if any(WRITTEN in s for s in stems):
        plain = {s for s in stems if WRITTEN not in s}
        written: dict[str, set[str]] = {}
        for entry in stems - plain:
            stem, word = entry.split(WRITTEN, 1)
            if stem not in plain:
                written.setdefault(stem, set()).add(word)
        spans = matched_words(text, plain | set(written), language)
        return [(a, b) for a, b in spans
                if word_stem(text[a:b], language) not in written
                or _own_form(text[a:b], written[word_stem(text[a:b], language)], language)]
    slashed = {s for s in stems if "/" in s}
    if slashed and "/" in text:
        joined = {m.span() for m in _SLASHED.finditer(text) if word_stem(m.group(), language) in slashed}
        return sorted(joined | set(matched_words(text, stems - slashed, language)))
    phrases = [tuple(s.split(" ")) for s in stems if " " in s]
    if not phrases:
        return sorted(_stemmed(text, stems, language))
    singles = {s for s in stems if " " not in s}
    firsts = {p[0] for p in phrases}
    found = set()
    for (a, b), stem in _stemmed(text, singles | firsts, language).items():
        if stem in singles:
            found.add((a, b))
        if stem in firsts:
            for phrase in phrases:
                if phrase[0] == stem:
                    found.update(_phrase_at(text, b, phrase, language, [(a, b)]))
    return sorted(found)


def _phrase_at(text: str, pos: int, phrase: tuple[str, ...], language: str, run: list) -> list:
    """``run`` and the spans of ``phrase[1:]`` if its words follow ``pos`` (spaces or dashes
    between), else nothing."""
    for stem in phrase[1:]:
        m = _WORD.search(text, pos)
        if not m or text[pos:m.start()].strip(" -–—") or word_stem(m.group(), language) != stem:
            return []
        run.append(m.span())
        pos = m.end()
    return run


def _stemmed(text: str, stems: set[str], language: str) -> dict[tuple[int, int], str]:
    """{span: stem} of the words of ``text`` whose stems are in ``stems``."""
    if not text.isascii() or language != LANGUAGE:  # accents to fold, other stemmers: stem every word
        return {m.span(): st for m in _WORD.finditer(text) if (st := word_stem(m.group(), language)) in stems}
    low = text.lower()
    found = {}
    for prefix in {s[:2] for s in stems if s}:
        i = low.find(prefix)
        while i != -1:
            # a word starts here unless a word (or a word and an apostrophe: "don't") precedes
            if not (i and (_is_word_char(low[i - 1]) or (low[i - 1] == "'" and i > 1 and _is_word_char(low[i - 2])))):
                m = _WORD.match(text, i)
                st = word_stem(m.group())
                if st in stems:
                    found[m.span()] = st
            i = low.find(prefix, i + 1)
    return found


def snippet(text: str, stems: set[str], maxchars: int = 220, language: str = LANGUAGE) -> str:
    """HTML snippet of ``text`` around the words whose stems are in ``stems``."""
    text = " ".join(text.split())
    hits = matched_words(text, stems, language)
    if not hits:
        return _clip(text, 0, maxchars, [])
    best, best_n = 0, 0
    for i, (a, _b) in enumerate(hits):
        end = a + maxchars
        n = 0
        for _a2, b2 in hits[i:]:
            if b2 > end:
                break
            n += 1
        if n > best_n:
            best, best_n = i, n
    return _clip(text, _three_words_before(text, hits[best][0]), maxchars, hits)


def _three_words_before(text: str, pos: int) -> int:
    """Where the third word before ``pos`` starts (the first word's start if fewer)."""
    lo = max(0, pos - 120)
    while True:
        starts = [m.start() for m in _WORD.finditer(text, lo, pos)]
        if len(starts) >= 4 or lo == 0:  # the first may be a cut word: never use it alone
            break
        lo = max(0, lo - 480)
    if lo == 0:
        starts = starts or [pos]
        return starts[max(0, len(starts) - 3)]
    return starts[-3]


def _clip(text: str, start: int, maxchars: int, marked: list[tuple[int, int]]) -> str:
    end = min(len(text), start + maxchars)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    out = ["… "] if start > 0 else []
    pos = start
    for a, b in marked:
        if a < start or b > end:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append(" …")
    return "".join(out)
