"""The PII masker: ``mask_pii(text)`` replaces what identifies a person before it is stored.

It works on text already cleaned by ``carebase.store.cleaning.clean_text`` (NFKC: full-width
``＠`` and digits are plain ASCII, NBSP is a space) and is idempotent (masking twice changes
nothing more: it repeats until nothing changes). What it finds, in this order:

- ``[email]``: ``local@domain.tld`` with any letters (``jöhn@exämple.com``), spaces around the
  ``@``, and the spelled-out forms ``john at example dot com``, ``john(at)example(dot)com``,
  ``john [at] example [dot] com``.
- ``[iban]``: a country code, two check digits and letters or digits to that country's IBAN
  length (digits where its account part has them: ``DIGITS_ONLY``, ``LEADING_DIGITS``), in
  groups of four or not, starting a word, whose ISO 13616 mod-97 check passes
  (``DE89 3704 0044 0532 0130 00``).
- ``[card]``: 13–19 digits that pass the Luhn check, separated or not by spaces (one or more),
  NBSP, ``.``, or by ``-``, ``/`` or ``_`` between groups printed as cards are (fours, Amex's
  4-6-5), and glued or not to a word (``card4111111111111111``).
  A longer run of digit groups is masked where whole groups inside it pass (``2 4111 1111
  1111 1111``). Luhn keeps order and tracking numbers that are not cards readable.

Ids stay whole: digits glued to letters and digits that hold a digit (a hex id such as
``ev-6065271660174c9198dd``, ``ORD-7Q4111111111111111``), or in a word joined by ``-`` or ``_``
one of whose parts mixes letters and digits (a UUID's ``…-3ff6-4262-8771-798a69893fde``), are
part of that id, not a card or phone number, and an IBAN never starts inside a word, so order ids, ticket references and event ids keep every
character (a support lead reads them back to find the order); 0.12 % of random 20-character
hex ids lost digits to ``[card]`` or ``[iban]`` before (session 36). An id made of a word of
letters glued to a run of digits that passes Luhn whole cannot be told from "visa" or "ec"
glued to a card number, and is masked; so is an id of 20 digits or more (``[number]``).
- ``[phone]``: 7–15 digits with those separators, parentheses and a leading ``+`` or ``00``
  (``+44 20 7946 0958``, ``(555) 123-4567``), not glued to letters; ISO dates
  (``2024-01-31``), times and version numbers (``10.0.19045``) are left alone.
- ``[number]``: a run of more than 19 such digits (longer than any card or phone number: a
  dump of numbers, or a phone number written next to other digits). 16–19 digits that fail
  Luhn stay readable, as order and tracking numbers.
"""

from __future__ import annotations

import re

_SEP = r"(?:[ \-./_]{1,2})"  # between digit groups: spaces (one or two), - . / _
_DIGITS = re.compile(r"\d+(?:" + _SEP + r"\d+)*")
_LOCAL = r"[\w.!#$%&'*+=?^`{|}~-]+"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_EMAIL = re.compile(r"(?<![\w.!#$%&'*+=?^`{|}~-])" + _LOCAL + r"\s?@\s?" + _LABEL + r"(?:\s?[.。]\s?" + _LABEL + r")*\s?[.。]\s?[^\W\d_]{2,24}(?![\w])")
_AT = r"(?:\s+at\s+|\s*[(\[{<]\s*at\s*[)\]}>]\s*)"
_DOT = r"(?:\s+dot\s+|\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\.)"
_SPELLED = re.compile(r"(?<![\w.])" + r"[\w.+-]+" + _AT + _LABEL + r"(?:" + _DOT + _LABEL + r")*" + _DOT
                      + r"[^\W\d_]{2,24}(?![\w])", re.IGNORECASE)
# an IBAN starts a word: no letter or digit glued before it (inside a hex id, "…0ee04…" is none)
_IBAN = re.compile(r"(?<![^\W_])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![^\W_])", re.IGNORECASE)
# a run of phone characters, found left to right without overlap (linear in the text);
# _phones then trims it to digits at both ends and checks what is around it
_PHONE_RUN = re.compile(r"(?:\+|00)?\s?\(?\d[\d ()./_-]*")
MAX_GROUPS = 40  # digit groups in one run beyond which it is masked whole, unread
ID_CHARS = 64  # how far around a number ``_in_an_id`` reads the word it sits in
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")
_NOT_DOMAINS = frozenset("the a an my your our their his her its this that these those it me us them home work "
                         "least most all first last once any some one".split())
MARKERS = ("[email]", "[iban]", "[card]", "[phone]", "[number]")


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_ok(digits: str) -> bool:
    values = [int(c) for c in digits]
    return (sum(values[-1::-2]) + sum(_DOUBLED[v] for v in values[-2::-2])) % 10 == 0


# IBAN length per country (SWIFT's IBAN registry): a run is an IBAN only at its country's
# length, so random ids (hex, tokens) are not masked by the 1-in-97 chance of the check digits
IBAN_LENGTHS = dict(
    AD=24, AE=23, AL=28, AT=20, AZ=28, BA=20, BE=16, BG=22, BH=22, BI=27, BR=29, BY=28, CH=21, CR=22,
    CY=28, CZ=24, DE=22, DJ=27, DK=18, DO=28, EE=20, EG=29, ES=24, FI=18, FK=18, FO=18, FR=27, GB=22,
    GE=22, GI=23, GL=18, GR=27, GT=28, HN=28, HR=21, HU=28, IE=22, IL=23, IQ=23, IS=26, IT=27, JO=30,
    KW=30, KZ=20, LB=28, LC=32, LI=21, LT=20, LU=20, LV=21, LY=25, MC=27, MD=24, ME=22, MK=19, MN=20,
    MR=27, MT=31, MU=30, NI=28, NL=18, NO=15, OM=23, PK=24, PL=28, PS=29, PT=25, QA=29, RO=24, RS=22,
    RU=33, SA=24, SC=31, SD=18, SE=24, SI=19, SK=24, SM=27, SO=23, ST=25, SV=28, TL=23, TN=24, TR=26,
    UA=29, VA=22, VG=24, XK=20, YE=30)


# the countries whose account part (BBAN) is digits only (SWIFT's IBAN registry): an id with a
# letter there ("ee13356661aff1671631", 20 long as Estonia's) is no IBAN of theirs
DIGITS_ONLY = frozenset("AE AT BA BE CZ DE DK EE ES FI FO GL HR HU IL LT ME NO PL PT RS SE SI SK TN XK".split())
#: the countries whose account part starts with digits (their bank and branch codes), and how many
LEADING_DIGITS = dict(AD=8, AL=8, CH=5, CY=8, FR=10, GR=7, KZ=3, LB=4, LI=5, LU=3, MC=10, MK=3, SA=2, TR=6, UA=6)


def iban_ok(text: str) -> bool:
    code = re.sub(r"\s", "", text).upper()
    if len(code) != IBAN_LENGTHS.get(code[:2], 0) or not code[2:4].isdigit():
        return False
    digits = len(code) - 4 if code[:2] in DIGITS_ONLY else LEADING_DIGITS.get(code[:2], 0)
    if digits and not code[4:4 + digits].isdigit():
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
    """The widest run of whole digit groups holding 13–19 digits that passes Luhn
    (linear in the groups: a window never holds more than 19 digits)."""
    best = None
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += groups[last][2]
            if len(digits) > 19:
                break
            if len(digits) >= 13 and luhn_ok(digits) and (best is None or last - first > best[1] - best[0]):
                best = (first, last)
    return None if best is None else (groups[best[0]][0], groups[best[1]][1])


def _card_groups(written: str) -> bool:
    """Whether the digit groups of ``written`` are grouped as card numbers are printed: in fours
    (the last one shorter or not) or Amex's and Diners' 4-6-5 and 4-6-4. Digits joined by ``-``,
    ``_`` or ``/`` otherwise are an order or reference number (``ORD-2024-762973447827``)."""
    sizes = [len(g) for g in re.findall(r"\d+", written)]
    return sizes in ([4, 6, 5], [4, 6, 4]) or (all(n == 4 for n in sizes[:-1]) and 1 <= sizes[-1] <= 4)


def _in_an_id(text: str, start: int, end: int) -> bool:
    """Whether the digits ``text[start:end]`` are part of an id rather than a card number: glued
    (no separator) to letters and digits that hold a digit themselves ("33ae2fa" before
    "1651313965476", "c9198dd" after "6065271660174": a hex id) or to letters on both sides, or in a word joined by ``-`` or
    ``_`` one of whose parts mixes letters and digits (a UUID, ``ORD-7Q2-4111…``). A card number
    glued to a word ("card4111…", "4111…visa", "ec4111…") or joined to words and numbers
    ("card-4111-1111-1111-1111") is still a card."""
    # the word around them, up to ID_CHARS on each side (bounded: linear in the text however long)
    left = re.split(r"[-_]", re.search(r"[\w-]*$", text[max(0, start - ID_CHARS):start]).group(0))
    right = re.split(r"[-_]", re.match(r"[\w-]*", text[end:end + ID_CHARS]).group(0))
    if any(c.isdigit() for c in left[-1] + right[0]) or (left[-1] and right[0]):
        return True  # glued to a part holding digits, or to letters on both sides ("f4568…cfc")
    return any(re.search(r"\d", part) and re.search(r"[^\W\d_]", part) for part in left[:-1] + right[1:])


def _cards(text: str) -> str:
    out, last = [], 0
    for run in _DIGITS.finditer(text):
        groups = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\d+", run.group(0))]
        if sum(len(g[2]) for g in groups) < 13:
            continue
        if len(groups) > MAX_GROUPS:  # not prose: a dump of numbers, masked whole
            out.append(text[last:run.start()] + "[number]")
            last = run.end()
            continue
        span = _card_span(groups)
        if span is None:
            continue
        start, end = run.start() + span[0], run.start() + span[1]
        if _in_an_id(text, start, end) or (re.search(r"[-_/]", text[start:end]) and not _card_groups(text[start:end])):
            continue
        out.append(text[last:start] + "[card]")
        last = end
    return "".join(out) + text[last:] if out else text


def _phone_text(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if len(digits) > 19:
        return "[number]"
    if not 7 <= len(digits) <= 15 or _DATE.fullmatch(text.strip()):
        return text  # 16-19 digits that fail Luhn: an order or tracking number, kept readable
    if re.fullmatch(r"\d+(?:\.\d+)+", text.strip()) and any(not 2 <= len(g) <= 4 for g in text.strip().split(".")):
        return text  # a version or build number (10.0.19045), not 555.123.4567 or 01.23.45.67.89
    return "[phone]"


def _phones(text: str) -> str:
    out, last, pos = [], 0, 0
    while (run := _PHONE_RUN.search(text, pos)) is not None:
        start, end = run.start(), run.end()
        if text[start].isspace():
            start += 1  # the optional space of "+ 44": what came before it is a word apart
        if start and (text[start - 1].isalnum() or text[start - 1] in "_+"):
            # glued to a word (a code, a model name): the number may start after its first group
            pos = start + len(re.match(r"\D*\d+", text[start:]).group(0))
            continue
        pos = end
        while end > start and not text[end - 1].isdigit():
            end -= 1  # separators after the last digit are not part of the number
        if end < len(text) and (text[end].isalnum() or text[end] == "_"):
            kept = re.match(r"(.*\d)\D+\d+$", text[start:end])  # glued to a word at its end:
            end = start + len(kept.group(1)) if kept else start  # leave out the last group
        masked = _phone_text(text[start:end]) if end > start and not _in_an_id(text, start, end) else ""
        if masked and masked != text[start:end]:
            out.append(text[last:start] + masked)
            last = end
    return "".join(out) + text[last:] if out else text


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
    return _phones(text)


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


def mask_payment(text: str | None) -> str | None:
    """Only card numbers and IBANs masked (a contact message keeps the e-mail address or phone
    number a customer asks to be reached at)."""
    if not text or not any(c.isdigit() for c in text):
        return text
    for _ in range(8):
        masked = _cards(_IBAN.sub(_iban, text))
        if masked == text:
            break
        text = masked
    return text
