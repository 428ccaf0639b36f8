"""The PII masker: ``mask_pii(text)`` replaces what identifies a person before it is stored.

It works on text already cleaned by ``carebase.store.cleaning.clean_text`` (NFKC: full-width
``＠`` and digits are plain ASCII, NBSP is a space) and is idempotent (masking twice changes
nothing more: it repeats until nothing changes). What it finds, in this order:

- ``[email]``: ``local@domain.tld`` with any letters (``jöhn@exämple.com``), spaces around the
  ``@``, and the spelled-out forms ``john at example dot com``, ``john(at)example(dot)com``,
  ``john [at] example [dot] com``.
- ``[iban]``: two letters, two check digits and 11–30 letters or digits, in groups of four or
  not, whose ISO 13616 mod-97 check passes (``DE89 3704 0044 0532 0130 00``).
- ``[card]``: 13–19 digits that pass the Luhn check, separated or not by spaces (one or more),
  NBSP, ``-``, ``.``, ``/`` or ``_`` and glued or not to letters (``card4111111111111111``).
  A longer run of digit groups is masked where whole groups inside it pass (``2 4111 1111
  1111 1111``). Luhn keeps order and tracking numbers that are not cards readable.
- ``[phone]``: 7–15 digits with those separators, parentheses and a leading ``+`` or ``00``
  (``+44 20 7946 0958``, ``(555) 123-4567``), not glued to letters; ISO dates
  (``2024-01-31``) and times are left alone.
"""

from __future__ import annotations

import re

_SEP = r"(?:[ \-./_]{1,2})"  # between digit groups: spaces (one or two), - . / _
_DIGITS = re.compile(r"\d+(?:" + _SEP + r"\d+)*")
_LOCAL = r"[\w.!#$%&'*+=?^`{|}~-]+"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_EMAIL = re.compile(_LOCAL + r"\s?@\s?" + _LABEL + r"(?:\s?[.。]\s?" + _LABEL + r")*\s?[.。]\s?[^\W\d_]{2,24}(?![\w])")
_AT = r"(?:\s+at\s+|\s*[(\[{<]\s*at\s*[)\]}>]\s*)"
_DOT = r"(?:\s+dot\s+|\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\.)"
_SPELLED = re.compile(r"(?<![\w.])" + r"[\w.+-]+" + _AT + _LABEL + r"(?:" + _DOT + _LABEL + r")*" + _DOT
                      + r"[^\W\d_]{2,24}(?![\w])", re.IGNORECASE)
_IBAN = re.compile(r"(?<![^\W\d_])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![^\W_])", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\s?\(?\d[\d ()./_-]{5,24}\d(?!\w)")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")
_NOT_DOMAINS = frozenset("the a an my your our their his her its this that these those it me us them home work "
                         "least most all first last once any some one".split())
MARKERS = ("[email]", "[iban]", "[card]", "[phone]")


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def iban_ok(text: str) -> bool:
    code = re.sub(r"\s", "", text).upper()
    if not 15 <= len(code) <= 34 or not code[:2].isalpha() or not code[2:4].isdigit():
        return False
    rotated = code[4:] + code[:4]
    try:
        return int("".join(str(int(c, 36)) for c in rotated)) % 97 == 1
    except ValueError:
        return False


def _iban(match: re.Match) -> str:
    """The longest start of the match that is an IBAN (the pattern may run into a next word)."""
    text = match.group(0)
    for end in range(len(text), 14, -1):
        if text[end - 1].isalnum() and (end == len(text) or not text[end].isalnum() or text[end - 1] == " "
                                        or text[end] == " ") and iban_ok(text[:end]):
            return "[iban]" + text[end:]
    return text


def _card_span(groups: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The widest run of whole digit groups holding 13–19 digits that passes Luhn."""
    for width in range(len(groups), 0, -1):
        for first in range(0, len(groups) - width + 1):
            chunk = groups[first:first + width]
            digits = "".join(g[2] for g in chunk)
            if 13 <= len(digits) <= 19 and luhn_ok(digits):
                return chunk[0][0], chunk[-1][1]
    return None


def _cards(text: str) -> str:
    out, last = [], 0
    for run in _DIGITS.finditer(text):
        groups = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\d+", run.group(0))]
        if sum(len(g[2]) for g in groups) < 13:
            continue
        span = _card_span(groups)
        if span is None:
            continue
        start, end = run.start() + span[0], run.start() + span[1]
        out.append(text[last:start] + "[card]")
        last = end
    return "".join(out) + text[last:] if out else text


def _phone(match: re.Match) -> str:
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    if not 7 <= len(digits) <= 15 or _DATE.fullmatch(text.strip()):
        return text
    if "." in text and any(not 2 <= len(g) <= 4 for g in re.findall(r"\d+", text)):
        return text  # a version or build number (10.0.19045), not 555.123.4567 or 01.23.45.67.89
    return "[phone]"


def _spelled(match: re.Match) -> str:
    """``john at example dot com``, but not ``look at the dot com bubble``."""
    words = [w for w in re.split(r"[^\w]+", match.group(0).lower()) if w]  # local, "at", domain, …
    if len(words) > 2 and (words[2] in _NOT_DOMAINS or words[0] in _NOT_DOMAINS):
        return match.group(0)
    return "[email]"


def _mask_once(text: str) -> str:
    if "@" in text:
        text = _EMAIL.sub("[email]", text)
    if " at " in text.lower() or "at)" in text.lower() or "at]" in text.lower() or "at}" in text.lower() \
            or "at>" in text.lower():
        text = _SPELLED.sub(_spelled, text)
    if not any(c.isdigit() for c in text):
        return text
    text = _IBAN.sub(_iban, text)
    text = _cards(text)
    return _PHONE.sub(_phone, text)


def mask_pii(text: str | None) -> str | None:
    """``text`` with e-mail addresses, IBANs, card and phone numbers replaced by markers."""
    if not text:
        return text
    for _ in range(8):  # until nothing changes (a marker never matches again)
        masked = _mask_once(text)
        if masked == text:
            break
        text = masked
    return text
