"""The PII masker: ``mask_pii(text)`` replaces what identifies a person before it is stored.

It works on text already cleaned by ``carebase.store.cleaning.clean_text`` (NFKC: full-width
``＠`` and digits are plain ASCII, NBSP is a space) and is idempotent (masking twice changes
nothing more: it repeats until nothing changes). Decimal digits of every script (Arabic-Indic
``٤١١١``, Devanagari ``४१११``, …: NFKC keeps them) are read as their ASCII digits, one character for
one, and what is not masked keeps them as typed. What it finds, in this order:

- ``[email]``: ``local@domain.tld`` with any letters (``jöhn@exämple.com``), spaces around the
  ``@``, and the spelled-out forms ``john at example dot com``, ``john(at)example(dot)com``,
  ``john [at] example [dot] com``.
- ``[iban]``: a country code, two check digits and that country's account part as SWIFT's IBAN
  registry writes it (length, and digits or letters in each place: ``IBAN_BBAN``), in groups of
  four or not (separated by spaces, ``-`` or ``.``), starting a word or glued to one
  (``ibanDE89…``; not to a hex id's letters), whose ISO 13616 mod-97 check passes (``DE89 3704 0044 0532 0130 00``).
- ``[id]``: a national id number (``masking_ids``: a US SSN or ITIN, ``123-45-6789``; a UK National
  Insurance number, ``QQ 12 34 56 C``; a German Steuer-ID, ``12 345 678 903``, and after a word
  naming it a Steuernummer; a German pension insurance number, ``12 150485 M 037``; after its word
  India's Aadhaar number), by a shape only the id has or after a word that names it.
- ``[card]``: a payment card number (``card_number``): 13-19 digits starting as a card network's
  issuer numbers do at one of its lengths (``CARD_NETWORKS``, ISO/IEC 7812) whose Luhn check
  digit is right, however it is grouped (``4111-111111111111``, ``4111 1111 1111 1111``, Amex's
  4-6-5) and separated (spaces, NBSP, ``.``, ``-``, ``/``, ``_`` or nothing), and whatever word it is
  glued to (``card4111111111111111x``, ``ec4111…``, ``4111…exp1227``). Digit groups joined by ``-``,
  ``/`` or ``_`` are a reference unless the first holds four digits (every network prints its first
  four together), so ``302-4512345-6789012`` stays; its groups may be separated differently
  (``4111 1111 1111-1111``) unless one separator holds a ``.`` (``44163.69 9370.69`` is two amounts). A longer run of digit groups is masked where
  whole groups inside it are a card (``2 4111 1111 1111 1111``), and a run of digits longer than
  a card number where it starts with one glued to its expiry date (``41111111111111111227``), and a
  run of 19 that starts with a 16-digit card number and its 3-digit security code
  (``4111111111111111123``) or an Amex and its 4-digit one; not 15 digits after the word "IMEI"
  (a phone's device number, Luhn-checked too: "IMEI 8699…" is no Voyager card). The
  networks' starts and lengths keep most order and tracking numbers that pass Luhn readable
  (a random 16-digit number is a card number 1 time in 28, Luhn alone 1 in 10).

Ids stay whole: digits glued to hex letters and digits (a hex id such as
``ev-6065271660174c9198dd``) or to hex letters on both sides, or in a word joined by ``-`` or
``_`` one of whose parts is hex letters and digits (a UUID's ``…-3ff6-4262-8771-798a69893fde``),
are part of that id, not a card or phone number, and an IBAN never starts inside a word, so
order ids, ticket references and event ids keep every character (a support lead reads them back
to find the order). Only hex ids hold long runs of decimal digits by chance; a word of other
letters glued to a card number ("visa4111…") is a card.
- ``[phone]``: 7–15 digits with those separators and parentheses that are a phone number by
  what is written around them, not by their count: a country code (``+44 20 7946 0958``, ``0049 30
  1234567``, or without its ``+``: ``447911123456``, ``44 7911 123456``: ``_code_without_plus``), or a
  word saying so among the three before them ("call me on", "Tel.", "Handy", "text me", "contact",
  "my number is" but not "order number": ``_PHONE_WORDS``, ``_NUMBER_WORDS``), or a phone's shape (``_phone_shaped``: an area code in parentheses, a trunk
  prefix 0 starting a group and 9-12 digits in all, or Russia's 8, North America's 3-3-4, the
  9-digit plans' 3-3-3, Mexico's and Brazil's 2-4-4, India's and China's mobile groupings, or
  one of these written whole, or 7-9 digits written whole and alone: ``71234567``) unless the word just
  before says what else the number is ("build 3162522052", "order no.", "IMEI": ``_WHAT_WORDS``).
  Never digits alone after ``#`` (``#12345678``: an order number), a date (``2024-01-31``,
  ``20240131``, ``(09.09.2020)``, a date and its time), a version (``10.0.19045``), an IP address,
  amounts with cents (``54386.02 3808.02``) or a list of numbers with no phone's shape ("rooms
  9325 8271 261"); a number that starts like a date and reads on with more digits is a phone
  number (``1-12-1234-5678``, ``0171.12.34.567``). A phone number among other numbers in one run is
  masked where it stands (``code 3176, then 9930.69687.990 [phone]``, ``order 12 [phone]``:
  ``masking_phones._numbers_inside``). With the site's region
  (``masking_region``: ``mask_pii(text, plans(("HK",)))``, or the site being served), a valid
  national number of its countries is one too, without a cue, written whole, as the country
  groups it or after its trunk 0, in a list, or after an abbreviation ("fw", "sn", "kb") when
  written in groups (digits typed whole after one are a serial): ``_in_region``.
- ``[number]``: a run of more than 15 digits (longer than any phone number) that starts with a
  country code, follows a word saying it is a phone number, or starts and ends with a phone-shaped
  number (two phone numbers: ``555-123-4567/555-987-6543``).
  A reference of 20 digits or more written whole or printed in fours (an order, tracking or bank reference: ``9400100000000000000000``, ``9400 1000
  0000 0000 0000 00``) stays readable, as do 13-19 digits that are no card number.
"""

from __future__ import annotations

import re
import unicodedata

# the card and IBAN part, the phone part (and the names other modules and tests import from here)
from carebase.service.masking_cards import (CARD_NETWORKS, IBAN_BBAN, IBAN_LENGTHS, ID_CHARS, MARKERS, MAX_GROUPS,  # noqa: F401
                                            _cards, _glued_card, _ibans, card_number, digit_runs, iban_ok, luhn_ok)
from carebase.service.masking_ids import _national_ids
from carebase.service.masking_phones import _phones, _said, _with_phones_around  # noqa: F401
from carebase.service.masking_region import NO_REGION, Plans, site_region

_LOCAL = r"[\w.!#$%&'*+=?^`{|}~-]+"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_EMAIL = re.compile(r"(?<![\w.!#$%&'*+=?^`{|}~-])" + _LOCAL + r"\s?@\s?" + _LABEL + r"(?:\s?[.。]\s?" + _LABEL + r")*\s?[.。]\s?[^\W\d_]{2,24}(?![\w])")
_AT = r"(?:\s+at\s+|\s*[(\[{<]\s*at\s*[)\]}>]\s*)"
_DOT = r"(?:\s+dot\s+|\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\.)"
_SPELLED = re.compile(r"(?<![\w.])" + r"[\w.+-]+" + _AT + _LABEL + r"(?:" + _DOT + _LABEL + r")*" + _DOT
                      + r"[^\W\d_]{2,24}(?![\w])", re.IGNORECASE)
_A_DIGIT = re.compile(r"\d")
_NOT_DOMAINS = frozenset("the a an my your our their his her its this that these those it me us them home work "
                         "least most all first last once any some one".split())


def _spelled(match: re.Match) -> str:
    """``john at example dot com``, but not ``look at the dot com bubble``."""
    words = [w for w in re.split(r"[^\w]+", match.group(0).lower()) if w]  # local, "at", domain, …
    if len(words) > 2 and (words[2] in _NOT_DOMAINS or words[0] in _NOT_DOMAINS):
        return match.group(0)
    return "[email]"


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each (start, end, marker) of ``edits`` (in order, apart) replaced."""
    out, last = [], 0
    for start, end, marker in edits:
        out.append(text[last:start])
        out.append(marker)
        last = end
    out.append(text[last:])
    return "".join(out)


def _step(found: list[tuple[int, int, str]], text: str, typed: str | None) -> tuple[str, str | None]:
    """``text`` (and ``typed``, the same text in the digits as typed) with ``found`` masked."""
    if not found:
        return text, typed
    return _apply(text, found), (None if typed is None else _apply(typed, found))


#: a decimal digit of another script than ASCII's (Arabic-Indic ``٤``, Extended Arabic-Indic ``۴``,
#: Devanagari ``४``, Bengali, Thai, …: Unicode's Nd, which NFKC keeps as typed)
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digits(text: str) -> str:
    """``text`` with every decimal digit written as its ASCII digit (one character for one: the
    offsets stay, so what the masker finds in it is masked in ``text`` as typed)."""
    return _OTHER_DIGIT.sub(lambda m: chr(48 + unicodedata.decimal(m.group(0))), text)


def _mask_once(text: str, plans: Plans = NO_REGION, typed: str | None = None) -> tuple[str, str | None]:
    if "@" in text:
        text, typed = _step([(m.start(), m.end(), "[email]") for m in _EMAIL.finditer(text)], text, typed)
    lower = text.lower()
    if " at " in lower or "at)" in lower or "at]" in lower or "at}" in lower or "at>" in lower:
        text, typed = _step([(m.start(), m.end(), "[email]") for m in _SPELLED.finditer(text) if _spelled(m) == "[email]"],
                            text, typed)
    if not _A_DIGIT.search(text):  # the regular expression: 5-10x faster than testing each character
        return text, typed
    text, typed = _step(_ibans(text), text, typed)
    runs = digit_runs(text)  # read once for both readings below, unless an id is masked between them
    ids = _national_ids(text, runs)
    text, typed = _step(ids, text, typed)
    text, typed = _step(_with_phones_around(text, _cards(text, None if ids else runs), plans), text, typed)
    return _step(_phones(text, plans), text, typed)


def _payment_once(text: str, _plans: Plans = NO_REGION, typed: str | None = None) -> tuple[str, str | None]:
    text, typed = _step(_ibans(text), text, typed)
    runs = digit_runs(text)
    ids = _national_ids(text, runs)
    text, typed = _step(ids, text, typed)
    return _step(_cards(text, None if ids else runs), text, typed)


def _masked(text: str, once, plans: Plans = NO_REGION) -> str:
    """``once`` applied until nothing changes (a marker never matches again). Digits of other
    scripts are read as ASCII digits, and what is not masked keeps the digits as typed."""
    typed = None
    if not text.isascii() and _OTHER_DIGIT.search(text):
        typed, text = text, _ascii_digits(text)
    for _ in range(8):
        masked, typed_masked = once(text, plans, typed)
        if masked == text:
            break
        text, typed = masked, typed_masked
    return text if typed is None else typed


def mask_pii(text: str | None, region: Plans | None = None) -> str | None:
    """``text`` with e-mail addresses, IBANs, card and phone numbers replaced by markers;
    ``region``: the site's countries (``masking_region.plans``), whose national numbers are
    phone numbers without a cue; default: the site being served (``masking_region.site_region``).
    Digits of every script count (``card ٤١١١…``, ``call ०२० ७९४६ ०९५८``); the text around a
    marker keeps its digits as typed."""
    if not text:
        return text
    return _masked(text, _mask_once, site_region.get() if region is None else region)


def mask_payment(text: str | None) -> str | None:
    """Only card numbers, IBANs and national id numbers masked (a contact message keeps the e-mail
    address or phone number a customer asks to be reached at; nobody needs an SSN to answer), in
    digits of any script as ``mask_pii``."""
    if not text or not _A_DIGIT.search(text):
        return text
    return _masked(text, _payment_once)
