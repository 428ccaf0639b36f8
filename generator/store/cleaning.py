"""Customer text made plain before it is stored or shown: ``clean_text(text, multiline=False)``.

- Unicode NFKC: full-width and other compatibility forms become their plain letters, digits
  and signs (``＝`` → ``=``, ``＠`` → ``@``, ``４`` → ``4``, NBSP → space), so the PII masker
  and the report's formula guard see what a reader sees.
- Removed: ANSI escape sequences (``ESC [ … m`` and the like, only with their final byte; an OSC,
  ``ESC ] … BEL``, only with its terminator: one left open is ``ESC`` alone, so the text after it is
  kept), C0 and C1 control characters,
  DEL, bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, the
  "Trojan Source" characters), zero-width spaces, word joiners, byte-order marks and soft
  hyphens, and every other invisible character (Unicode category Cf and the Default_Ignorable_Code_Point
  property: ZWJ, ZWNJ, the left-to-right / right-to-left marks, tag characters, the combining
  grapheme joiner, variation selectors, Hangul fillers, Khmer's inherent vowels …, and the Braille
  blank, which becomes a space) that touches an ASCII character, a digit or a line break, and
  combining marks after a digit (``4\u0301111``): ``4111<ZWJ>1111<ZWJ>1111<ZWJ>1111`` or
  ``jo<CGJ>hn@example.com`` would otherwise keep a card number or an address from the PII masker
  (it reads them as other text), and a word split by one would be two words to search and the
  learned phrasings' blocks but one to the embedding model, which drops them. Kept between other
  characters: ZWJ and ZWNJ in emoji sequences and in Persian or Indic spelling, a variation
  selector after the emoji it presents (``❤️ thanks``), and a subdivision flag's tags (``🏴<tags>``
  wherever it stands). Cleaning twice changes nothing.
- Line breaks: in multi-line text (comments) CR LF, CR, U+2028 and U+2029 become ``\\n``; in
  one-line text (queries, reasons, pages) every line break or tab becomes a space. Runs of
  spaces are kept (the masker must see ``4111  1111``) but the ends are stripped.

The service applies it at ingest; the report applies it again when rendering, for events
stored before it existed or loaded from an export.
"""

from __future__ import annotations

import re
import unicodedata

# ESC followed by a CSI (ESC [ params final) with its final byte, an OSC (ESC ] … BEL or ESC \) with
# its terminator, or one more byte: a sequence never finished is ESC alone (a terminal would swallow
# what follows; the store must not: "ESC ] call +44 …" kept nothing, "ESC [4111 1111 1111 1111" kept
# the card's last 12 digits where the masker could no longer see a card; kept whole, both are masked).
# A CSI's numbers have at most 3 digits (colours 0-255, positions: ESC[38;5;196m, ESC[2 q), 4 after
# "?" (private modes: ESC[?25h, ESC[?1049h, ESC[?2004h): a card's first group is never taken as one,
# even with a letter after it that could end the sequence (reader 44, P8: "ESC [4111 A1111 1111
# 1111" kept 12 digits, none masked)
_ANSI = re.compile(r"\x1b(?:\[(?:\?\d{0,4}(?:[;:]\d{0,4})*|[<=>]?\d{0,3}(?:[;:]\d{0,3})*)[ -/]*[@-~]"
                   r"|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_]?)")
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
_INVISIBLE = "\u200b\u2060\ufeff\u180e\u2061\u2062\u2063\u2064\u00ad"
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
_DROP = {ord(c): None for c in _INVISIBLE + _BIDI}
_DROP.update({c: None for c in range(0x00, 0x20) if c not in (0x09, 0x0A)})
_DROP.update({c: None for c in range(0x7F, 0xA0)})
#: Every format character (Unicode category Cf, as of Unicode 15.1; a test checks the running
#: Python's table against it)
FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
          "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
          "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
#: The other Default_Ignorable_Code_Points (Unicode 15.1, DerivedCoreProperties.txt): the combining
#: grapheme joiner, Hangul fillers, Khmer's inherent vowels, Mongolian and other variation
#: selectors, the unassigned reserved ones; none is seen
IGNORABLE = "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\ufff0-\ufff8\U000e0000-\U000e0fff"
_VARIATION = "".join(chr(c) for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])
_BRAILLE_BLANK = "\u2800"
# a subdivision flag (a black flag, tag letters, a cancel tag), kept whole; or a run of invisible
# characters (the Braille blank among them), judged by what stands on each side (``_unseen``)
_INVISIBLE_RUN = re.compile(f"(\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f)|[{FORMAT}{IGNORABLE}{_BRAILLE_BLANK}]+")
#: combining marks (Unicode category M, as this Python knows them) straight after a digit: nothing
#: to compose with, they only keep digits apart from the PII masker ("4\u0301111 1111 …")
_MARKS_AFTER_A_DIGIT = re.compile("(?<=\\d)[{}]+".format("".join(
    re.escape(chr(c)) for c in [*range(0x300, 0x20000), *range(0xE0100, 0xE01F0)] if unicodedata.category(chr(c)).startswith("M"))))


def _touching(char: str) -> bool:
    """An ASCII character, a digit of any script or a line break: what a hidden character may split."""
    return "\x20" <= char <= "\x7e" or char in "\t\n" or char.isdecimal()


def _unseen(match: re.Match) -> str:
    """A run of invisible characters, removed where it touches an ASCII character, a digit or a
    line break (the Braille blank there becomes a space) and kept elsewhere; a flag's tags, and a
    variation selector after the visible character it presents ("❤\ufe0f thanks"), kept."""
    if match.group(1):
        return match.group(1)
    run, text, start, end = match.group(0), match.string, match.start(), match.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before and _touching(before):
        kept = ""
    elif after and _touching(after):
        kept = run[:len(run) - len(run.lstrip(_VARIATION))] if before else ""
    else:
        return run
    return kept + " " * run[len(kept):].count(_BRAILLE_BLANK)


def clean_text(text: str | None, *, multiline: bool = False) -> str | None:
    """``text`` without escapes, controls, bidi overrides or invisible spaces, NFKC-normalised."""
    if text is None:
        return None
    if text.isascii() and text.isprintable():
        return text.strip()  # the common case: nothing to do
    while True:  # until nothing changes: a removal can bring characters together (cleaning twice changes nothing)
        cleaned = _clean_once(text, multiline)
        if cleaned == text or (cleaned.isascii() and cleaned.isprintable()):
            return cleaned
        text = cleaned


def _clean_once(text: str, multiline: bool) -> str:
    text = _ANSI.sub("", text)  # (a C1 control, 8-bit CSI included, goes alone below)
    text = unicodedata.normalize("NFKC", text)
    normalised = len(text)
    text = _LINE_BREAKS.sub("\n", text).translate(_DROP)
    text = _MARKS_AFTER_A_DIGIT.sub("", _INVISIBLE_RUN.sub(_unseen, text))
    if len(text) != normalised:  # "a", a soft hyphen, an accent: "á" once it is gone
        text = unicodedata.normalize("NFKC", text)
    if multiline:
        text = text.replace("\t", " ")
    else:
        text = text.replace("\n", " ").replace("\t", " ")
    return text.strip()
