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
  number (``1-12-1234-5678``, ``0171.12.34.567``). With the site's region
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
from itertools import islice

from carebase.service.masking_region import NO_REGION, Plans, site_region

_SEP = r"(?:[ \-./_]{1,2})"  # between digit groups: spaces (one or two), - . / _
_DIGITS = re.compile(r"\d+(?:" + _SEP + r"\d+)*")
_LOCAL = r"[\w.!#$%&'*+=?^`{|}~-]+"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_EMAIL = re.compile(r"(?<![\w.!#$%&'*+=?^`{|}~-])" + _LOCAL + r"\s?@\s?" + _LABEL + r"(?:\s?[.。]\s?" + _LABEL + r")*\s?[.。]\s?[^\W\d_]{2,24}(?![\w])")
_AT = r"(?:\s+at\s+|\s*[(\[{<]\s*at\s*[)\]}>]\s*)"
_DOT = r"(?:\s+dot\s+|\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\.)"
_SPELLED = re.compile(r"(?<![\w.])" + r"[\w.+-]+" + _AT + _LABEL + r"(?:" + _DOT + _LABEL + r")*" + _DOT
                      + r"[^\W\d_]{2,24}(?![\w])", re.IGNORECASE)
# an IBAN's letters and digits; _iban then checks that it starts a word or follows the letters
# of one ("ibanDE89…"), never inside a hex id
_IBAN = re.compile(r"[A-Za-z]{2}\d{2}(?:[ .-]{0,2}[A-Za-z0-9]){11,30}(?![^\W_])")  # no IGNORECASE: 1.3x faster
# a run of phone characters, found left to right without overlap (linear in the text);
# _phones then trims it to digits at both ends and checks what is around it
_PHONE_RUN = re.compile(r"(?:\+|00)?\s?\(?\d[\d ()./_-]*")
MAX_GROUPS = 40  # digit groups in one run beyond which it is masked whole, unread
ID_CHARS = 64  # how far around a number ``_in_an_id`` reads the word it sits in
_A_DIGIT = re.compile(r"\d")
#: 20+ digits as references are written: whole or printed in fours (a tracking number 9400 1000
#: 0000 0000 0000 00); not joined by - / _, as two phone numbers are ("555-123-4567/555-987-6543")
_REFERENCE = re.compile(r"\(?(?:\d+|\d{4}(?: \d{4})+(?: \d{1,3})?)")
_AMOUNTS = re.compile(r"\d+\.\d\d(?:\s+\d+\.\d\d)*")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")
_NOT_DOMAINS = frozenset("the a an my your our their his her its this that these those it me us them home work "
                         "least most all first last once any some one".split())
MARKERS = ("[email]", "[iban]", "[card]", "[phone]", "[number]")


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_ok(digits: str) -> bool:
    values = [int(c) for c in digits]
    return (sum(values[-1::-2]) + sum(_DOUBLED[v] for v in values[-2::-2])) % 10 == 0


#: every country's account part (BBAN) as SWIFT's IBAN registry (ISO 13616, release 101, 89
#: countries) writes it: ``n`` digits, ``a`` capital letters, ``c`` either; the IBAN is the
#: country code, two check digits and this. Checked against python-stdnum's copy of the registry
#: (tests/hostile/test_hostile_service_masking_ids.py). A run is an IBAN only at its country's
#: length with letters only where the registry allows them, so random ids (hex, tokens) are not
#: masked by the 1-in-97 chance of the check digits ("ee13356661aff1671631", 20 long as
#: Estonia's, has letters where Estonia's IBANs have digits).
IBAN_BBAN = dict(
    AD="8n12c", AE="19n", AL="8n16c", AT="16n", AZ="4a20c", BA="16n", BE="12n", BG="4a6n8c", BH="4a14c",
    BI="23n", BR="23n1a1c", BY="4c4n16c", CH="5n12c", CR="18n", CY="8n16c", CZ="20n", DE="18n", DJ="23n",
    DK="14n", DO="4c20n", EE="16n", EG="25n", ES="20n", FI="14n", FK="2a12n", FO="14n", FR="10n11c2n",
    GB="4a14n", GE="2a16n", GI="4a15c", GL="14n", GR="7n16c", GT="4c20c", HN="4a20n", HR="17n", HU="24n",
    IE="4a14n", IL="19n", IQ="4a15n", IS="22n", IT="1a10n12c", JO="4a4n18c", KW="4a22c", KZ="3n13c",
    LB="4n20c", LC="4a24c", LI="5n12c", LT="16n", LU="3n13c", LV="4a13c", LY="21n", MC="10n11c2n",
    MD="20c", ME="18n", MK="3n10c2n", MN="16n", MR="23n", MT="4a5n18c", MU="4a19n3a", NI="4a20n", NL="4a10n",
    NO="11n", OM="3n16c", PK="4a16c", PL="24n", PS="4a21c", PT="21n", QA="4a21c", RO="4a16c", RS="18n",
    RU="14n15c", SA="2n18c", SC="4a20n3a", SD="14n", SE="20n", SI="15n", SK="20n", SM="1a10n12c", SO="19n",
    ST="21n", SV="4a20n", TL="19n", TN="20n", TR="6n16c", UA="6n19c", VA="18n", VG="4a16n", XK="16n",
    YE="4a4n18c")
_KINDS = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Z0-9]"}
_BBAN = {country: re.compile("".join(f"{_KINDS[kind]}{{{count}}}" for count, kind in re.findall(r"(\d+)([nac])", spec)))
         for country, spec in IBAN_BBAN.items()}
#: IBAN length per country: 4 + the account part's
IBAN_LENGTHS = {country: 4 + sum(int(n) for n in re.findall(r"\d+", spec)) for country, spec in IBAN_BBAN.items()}


def iban_ok(text: str) -> bool:
    code = re.sub(r"[\s.-]", "", text).upper()
    if len(code) != IBAN_LENGTHS.get(code[:2], 0) or not code[2:4].isdigit() or not _BBAN[code[:2]].fullmatch(code, 4):
        return False
    rotated = code[4:] + code[:4]
    return int("".join(str(int(c, 36)) for c in rotated)) % 97 == 1


def _iban(match: re.Match) -> tuple[int, int, str] | None:
    """The longest start of the match that is an IBAN (the pattern may run into a next word),
    after the letters of a word glued to it ("iban", "konto"), not of a hex id ("ab", "fe"): its
    edit (start, end, ``[iban]``), or None."""
    text, start = match.group(0), match.start()
    glued = re.search(r"[^\W\d_]*$", match.string[max(0, start - ID_CHARS):start]).group(0)
    inside = start > len(glued) and re.match(r"[^\W_]", match.string[start - len(glued) - 1])
    if inside or (glued and all(c in _HEX for c in glued)):
        return None  # inside a word holding digits ("…0ee04…" in a hex id), or after a hex id's letters
    for end in range(len(text), 14, -1):
        if text[end - 1].isalnum() and (end == len(text) or not text[end].isalnum() or text[end - 1] == " "
                                        or text[end] == " ") and iban_ok(text[:end]):
            return start, start + end, "[iban]"
    return None


def _ibans(text: str) -> list[tuple[int, int, str]]:
    return [edit for match in _IBAN.finditer(text) if (edit := _iban(match)) is not None]


#: Payment card networks' issuer identification number (IIN) ranges and card number lengths, after
#: the ISO/IEC 7812 table of Wikipedia's "Payment card number" article (networks active or not:
#: an old card is still a card; JCB's older 15-digit 1800/2131 and Voyager's 8699, from the table's
#: earlier editions): (prefixes, lengths), a prefix "lo-hi" a range of equal-length starts.
CARD_NETWORKS = {
    "American Express": ("34 37", (15,)),
    "China T-Union": ("31", (19,)),
    "China UnionPay": ("62", (16, 17, 18, 19)),
    "Diners Club International": ("300-305 3095 36 38-39", (14, 15, 16, 17, 18, 19)),
    "Discover": ("6011 644-649 65 622126-622925", (16, 17, 18, 19)),
    "UkrCard": ("60400100-60420099", (16, 17, 18, 19)),
    "RuPay": ("60 65 81 82 508 353 356", (16,)),
    "InterPayment": ("636", (16, 17, 18, 19)),
    "InstaPayment": ("637-639", (16,)),
    "JCB": ("3528-3589", (16, 17, 18, 19)),
    "JCB (15 digits, older)": ("1800 2131", (15,)),
    "Voyager": ("8699", (15,)),
    "Laser": ("6304 6706 6709 6771", (16, 17, 18, 19)),
    "Maestro": ("5018 5020 5038 5893 6304 6759 6761-6763 676770 676774", (13, 14, 15, 16, 17, 18, 19)),
    "Dankort": ("5019", (16,)),
    "Mir": ("2200-2204", (16, 17, 18, 19)),
    "BORICA": ("2205", (16,)),
    "NPS Pridnestrovie": ("6054740-6054744", (16,)),
    "Mastercard": ("2221-2720 51-55", (16,)),
    "Troy": ("65 9792", (16,)),
    "Visa": ("4", (13, 16, 19)),
    "Verve": ("506099-506198 650002-650027 507865-507964", (16, 18, 19)),
    "UATP": ("1", (15,)),
    "LankaPay": ("357111", (16,)),
    "Humo": ("9860", (16,)),
    "Uzcard": ("8600 5614", (16,)),
    "GPN": ("1946 50 56 58 60-63", (16, 18, 19)),
    "Cardguard EAD BG ILS": ("5392", (16,)),
}
#: card number length -> the (low, high) starts a number of that length may have
_IIN: dict[int, list[tuple[str, str]]] = {}
for _prefixes, _lengths in CARD_NETWORKS.values():
    for _prefix in _prefixes.split():
        _low, _, _high = _prefix.partition("-")
        for _length in _lengths:
            _IIN.setdefault(_length, []).append((_low, _high or _low))


def card_number(digits: str) -> bool:
    """Whether ``digits`` can be a payment card number (PAN): a network's IIN start at one of its
    lengths, and the Luhn check digit right. A random 16-digit number passes about 1 time in 28
    (3.59 % of 100,000; Luhn alone: 1 in 10)."""
    return any(low <= digits[:len(low)] <= high for low, high in _IIN.get(len(digits), ())) and luhn_ok(digits)


_WORD = re.compile(r"[^\W\d_]+")
#: words that say the number after them is a card's (the nearest word before it)
_CARD_WORDS = frozenset("""card cards cc visa mastercard amex maestro debit credit creditcard kreditkarte karte
    kartennummer ec carte cb tarjeta carta kaart pan""".split())


def _card_span(text: str, groups: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The widest run of whole digit groups that is a card number (``card_number``), with every
    other such run that overlaps it (``card 9860 4643 5701 6177 44 20 9008 6917``: a card, then a
    number whose first group and the card's last read as another: both are masked, not the widest
    alone, which left the card's first 12 digits readable), as offsets into ``text`` (linear in the
    groups: a window never holds more than 19 digits). Groups joined
    by ``-``, ``/`` or ``_`` (how references are joined: ``302-4512345-6789012``) make a card
    only if the first holds 4 digits or more (every network prints its first four together) and
    is not joined so to digits before it (``171-3002261-7851629``'s last two groups), or if the
    word just before says it is a card ("visa 3_883_27939_96218", "card353/23/331330/21/259").
    Separators may differ, except with a ``.``: ``44163.69 9370.69`` is two amounts."""
    words = _WORD.findall(text, max(0, groups[0][0] - 24), groups[0][0])
    carded = bool(words) and words[-1].lower() in _CARD_WORDS
    found = []
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += groups[last][2]
            if len(digits) > 19:
                break
            if len(digits) >= 13 and card_number(digits) \
                    and (carded or len(groups[first][2]) >= 4 or not re.search(r"[-_/]", text[groups[first][0]:groups[last][1]])) \
                    and (carded or not (first and re.search(r"[-_/]", text[groups[first - 1][1]:groups[first][0]]))) \
                    and _one_kind_of_separator({text[groups[i][1]:groups[i + 1][0]] for i in range(first, last)}):
                found.append((first, last))
    if not found:
        return None
    first, last = max(found, key=lambda span: span[1] - span[0])  # the widest, the first of those
    for low, high in found:  # found in order of their first group: each overlapping one joins it
        if low <= last and high >= first:
            first, last = min(first, low), max(last, high)
    return groups[first][0], groups[last][1]


def _one_kind_of_separator(separators: set[str]) -> bool:
    """Whether digit groups so separated can be one card number: any separators ("4111 1111
    1111-1111"), unless one holds a "." and they differ ("44163.69 9370.69" is two amounts)."""
    return len({re.sub(r"\s+", " ", sep) for sep in separators}) <= 1 or not any("." in sep for sep in separators)


_HEX = frozenset("0123456789abcdefABCDEF")
#: what may follow a card number glued to it in one run of digits: its expiry date (MMYY) and
#: perhaps its security code (3 or 4 digits)
_EXPIRY = re.compile(r"(?:0[1-9]|1[0-2])\d\d(?:\d{3,4})?")


def _glued_card(digits: str) -> bool:
    """Whether a run of digits longer than a card number read whole is one glued to its expiry
    date (and code), a 16-digit one to its 3-digit security code, or an Amex (15) to its 4-digit
    one (``4111111111111111123``: 19 digits; each window that starts the run is checked, IIN and
    Luhn), whatever word comes before: a readable card is a breach, an order reference read as
    ``[card]`` (1 in 28 of 19-digit ones) the documented cost."""
    if any(_EXPIRY.fullmatch(digits, length) and card_number(digits[:length]) for length in range(13, min(20, len(digits) - 3))):
        return True
    return len(digits) == 19 and (card_number(digits[:16]) or (digits[:2] in ("34", "37") and card_number(digits[:15])))


def _hex_id_part(part: str) -> bool:
    """A part of an id: letters and digits, both, its letters hex digits (``c9198dd``, ``3ff6``)."""
    return any(c.isdigit() for c in part) and not part.isdigit() and all(c in _HEX for c in part)


def _in_an_id(text: str, start: int, end: int) -> bool:
    """Whether the digits ``text[start:end]`` are part of an id rather than a card number: glued
    (no separator) to hex letters and digits ("33ae2fa" before "1651313965476", "c9198dd" after
    "6065271660174": a hex id) or to hex letters on both sides ("f4568…cfc"), or in a word joined by
    ``-`` or ``_`` one of whose parts is hex letters and digits (a UUID's ``3ff6``). Only hex ids
    hold long runs of decimal digits by chance (a 20-hex id holds 13 in a row 1 time in 60; a
    base-36 one 1 in 10 million), so a card number glued to words ("card4111…x", "4111…visa",
    "ec4111…", "4111…exp1227") or joined to words and numbers ("card-4111-1111-1111-1111") is
    still a card."""
    # the word around them, up to ID_CHARS on each side (bounded: linear in the text however long)
    left = re.split(r"[-_]", re.search(r"[\w-]*$", text[max(0, start - ID_CHARS):start]).group(0))
    right = re.split(r"[-_]", re.match(r"[\w-]*", text[end:end + ID_CHARS]).group(0))
    if _hex_id_part(left[-1]) or _hex_id_part(right[0]):
        return True  # glued to hex letters and digits
    if left[-1] and right[0] and all(c in _HEX for c in left[-1] + right[0]):
        return True  # hex letters on both sides
    return any(_hex_id_part(part) for part in left[:-1] + right[1:])


_IMEI_WORD = re.compile(r"\b(?:imei|meid)\b[\W_]{0,3}(?:(?:no|nr|number|is)\b[\W_]{0,3})?$", re.IGNORECASE)


def _an_imei(text: str, span: tuple[int, int]) -> bool:
    """15 digits after the word "IMEI" are a phone's device number, whose check digit is Luhn's
    too: "IMEI 869912345678901" is no Voyager card (8699…, 15 digits). Without the word they
    stay a card: an IMEI's check digit is the same Luhn digit a Voyager card's is, so the digits
    cannot tell the two apart, and a card read as a device number would be stored readable."""
    return sum(c.isdigit() for c in text[span[0]:span[1]]) == 15 and _IMEI_WORD.search(text, max(0, span[0] - 24), span[0]) is not None


def _cards(text: str) -> list[tuple[int, int, str]]:
    """The card numbers of ``text`` (and dumps of more than ``MAX_GROUPS`` digit groups) as
    edits: (start, end, marker)."""
    edits = []
    for run in _DIGITS.finditer(text):
        groups = [(run.start() + m.start(), run.start() + m.end(), m.group(0)) for m in re.finditer(r"\d+", run.group(0))]
        if sum(len(g[2]) for g in groups) < 13:
            continue
        if len(groups) > MAX_GROUPS:  # not prose: a dump of numbers, masked whole
            edits.append((run.start(), run.end(), "[number]"))
            continue
        span = _card_span(text, groups)
        if span is None:  # a card number glued to its expiry date or its code: the whole group
            span = next(((g[0], g[1]) for g in groups if len(g[2]) > 16 and _glued_card(g[2])), None)
        if span is None or _in_an_id(text, *span) or _an_imei(text, span):
            continue
        edits.append((span[0], span[1], "[card]"))
    return edits


#: words that say the number after them is a phone number (English, German, French, Spanish,
#: Italian, Dutch); the nearest of these or of ``_WHAT_WORDS`` among the three words before a number decides
_PHONE_WORDS = frozenset("""call calls called calling callback phone tel telephone mobile mob cell cellphone fax ring
    dial whatsapp sms landline hotline reach telefon telefonnummer handy handynummer mobil mobilnummer rufnummer
    anrufen anruf rückruf festnetz téléphone tél portable appeler appelez joindre teléfono telefono móvil movil
    llamar llámame llamame celular cellulare chiamare chiamami bellen mobiel telefoonnummer text texts texting
    contact kontakt""".split())
#: words that say a number is a phone number unless the word before them says what else it is
#: ("my number is 2345678"; "order number 12345678" is an order's)
_NUMBER_WORDS = frozenset("number nummer numéro numero".split())
#: words that say what else a number is (a build, an order, a device): never a phone number's
_WHAT_WORDS = frozenset("""build builds version ver firmware fw release rev revision patch kb order orders invoice
    ticket ref reference tracking parcel shipment serial sn model error errors id imei meid esn sku
    bestellung bestellnummer rechnung auftrag sendung fehler seriennummer commande facture colis pedido
    factura ordine fattura bestelling factuur""".split())
_FILLERS = frozenset("no nr number nummer num is was".split())
#: what-words that are abbreviations and may stand for something else: with a region, the site's
#: own national numbers after them are phone numbers ("fw 0171 1234567": forwarded to)
_ABBREVIATIONS = frozenset("fw sn kb ver rev".split())  # not "id": "order id 51234567" is an id
#: one number as numbering plans group them, without a country code (``_phone_shaped``)
_BARE_PHONE = re.compile(r"[2-9]\d{9}|1[2-9]\d{9}|0[1-9]\d{7,10}|[6-9]\d{8}|8[3489]\d{9}")
#: a number with its country code but no ``+``/``00``, in one run of 11-14 digits (``447911123456``,
#: ``8613800138000``, ``390212345678``): North America's 1 or Russia's 7 and 10 digits, or another
#: of ITU-T E.164's country codes and 8-12 digits (15 digits, a bare IMEI's count, are left alone)
_CODES = (r"2[07]|3[0-469]|4[013-9]|5[1-8]|6[0-6]|8[1246]|9[0-58]"
          r"|21[1-8]|2[2-69]\d|35\d|3[78]\d|42[0-3]|50\d|59\d|6[7-9]\d|85[0-6]|88[0-6]|96\d|97[0-7]|99[2-8]")
_CODE_AND_PHONE = re.compile(r"1[2-9]\d\d[2-9]\d{6}|7\d{10}|(?:" + _CODES + r")\d{8,12}")
#: the same written in groups, the country code first (``44 7911 123456``, ``33 1 28 12 31 44``)
_CODE = re.compile(r"[17]|" + _CODES)
_RUN_OF_DIGITS = re.compile(r"\d+")
_NON_DIGITS = re.compile(r"\D+")
_GROUP = re.compile(r"\(?\d+\)?")
_TRUNK = re.compile(r"0[1-9]\d{0,4}")
_COUNTRY_CODE = re.compile(r"\+\s?\(?[1-9]|00[1-9]")
_YEAR = re.compile(r"(?:19|20)\d\d")
#: a date written without separators: 20240131, 31012024, 01312024
_COMPACT_DATE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d"
                           r"|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:19|20)\d\d")
_AREA_CODE = re.compile(r"\(\d[\d -]{0,5}\)[ -]?\d")  # (555) 123…, (06 1) 234…, (0-312) 34…
_IP = re.compile(r"(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)")


def _said(text: str, start: int) -> bool | None:
    """What the words before a number say it is: True a phone number ("call me on", "Tel.",
    "Handy"; among the three words before it), False something else (the word just before it,
    or before "no", "number", "is": "build", "order no.", "IMEI is", "order number is"; "order shipped, 0171
    1234567" is still a phone number), None nothing; the nearest decides."""
    words = [word.lower() for word in _WORD.findall(text, max(0, start - 40), start)[-3:]]
    found = [word.lower() for word in _WORD.findall(text, max(0, start - 60), start)[-4:]]
    for distance, word in enumerate(reversed(words)):
        if word in _PHONE_WORDS:
            return True
        before = found[-distance - 2] if distance + 2 <= len(found) else ""
        if word in _NUMBER_WORDS and before not in _WHAT_WORDS:
            return True  # "my number is 2345678", not "order number 12345678"
        if word in _WHAT_WORDS and all(after in _FILLERS for after in words[len(words) - distance:]):
            return False
    return None


def _phone_shaped(number: str, whole: bool = True) -> bool:
    """Whether digits grouped so (no ``+``/``00``: the caller checks it) are written as phone
    numbers are: an area code in parentheses (``(555) 123-4567``, ``(02) 9876 5432``); a national
    trunk prefix 0 starting a group of 2-6 digits, 9-12 digits in all (``020 7946 0958``, ``0171
    1234567``, ``01 23 45 67 89``, ``06-12345678``, ``03-1234-5678``, ``070-123 45 67``), or 8 and
    10 digits (Russia's ``8 (495) 123-45-67``); the groupings of numbering plans that have none:
    the groupings of the smaller plans, written whole (not as part of a longer run): 2-4 digit
    groups ending in four (``410 1234``, ``2123 4567``), pairs at the end (``32 12 34 56``, ``221
    12 34``), two threes after a short group (``71 123 456``), a short area code and 5-7 digits
    (``22 345678``), 7-10 digits in all, never all years or a date written with spaces;
    North America's 3-3-4 (and 1-3-3-4, and 3-4 with ``-``), the 9-digit plans' 3-3-3 (Spain,
    Portugal, Poland, Czechia) and Spain's 3-2-2-2, Mexico's and Brazil's 2-4-4 (Brazil's mobiles
    2-9xxxx-4), India's
    mobiles 5-5, China's mobiles 1xx 4 4; or one of these written whole (``5551234567``,
    ``07700900123``, ``612345678``, ``89161234567``). One kind of separator, or spaces with ``-`` or ``/``
    (``11 91234-5678``); parentheses count as spaces; no date inside. A date, a version, a time,
    an amount or a list of numbers has none of these shapes."""
    if _AREA_CODE.match(number):
        return True
    if _DATE.search(number):
        return False  # "04 2035-04-14": the minutes of a time, then a date
    groups = _RUN_OF_DIGITS.findall(number)
    separators = {" " if sep.isspace() or "(" in sep or ")" in sep else sep.strip() or " " for sep in _NON_DIGITS.findall(number)}
    if len(separators - {" "}) > 1 or not separators <= {" ", "-", ".", "/"} or (len(separators) > 1 and "." in separators):
        return False
    digits = "".join(groups)
    if len(groups) == 1:
        # the smaller plans' 7-9 digits written whole and alone ("71234567"), not a date (20240131)
        return bool(_BARE_PHONE.fullmatch(digits)) or (whole and 7 <= len(digits) <= 9 and not _COMPACT_DATE.fullmatch(digits))
    sizes = [len(g) for g in groups]
    if _TRUNK.fullmatch(groups[0]) and 9 <= len(digits) <= 12 and min(sizes[1:]) >= 2:
        return True  # a trunk prefix and an area code, then the subscriber's number
    if groups[0] == "8" and len(digits) == 11 and min(sizes[1:]) >= 2:
        return True  # Russia's, Kazakhstan's, Belarus's trunk prefix 8
    if all(_YEAR.fullmatch(g) for g in groups) or (len(groups) == 3 and _YEAR.fullmatch(groups[2]) and sizes[0] <= 2
                                                    and sizes[1] <= 2 and int(groups[0]) <= 31 and int(groups[1]) <= 31):
        return False  # years ("2023 2024") or a date written with spaces ("01 05 2024")
    if whole and len(digits) <= 10 and ((sizes[-1] == 4 and len(groups) <= 3 and max(sizes[:-1]) <= 4)
                              or (len(groups) >= 3 and sizes[-1] == sizes[-2] == 2 and max(sizes[:-2]) <= 3)
                              or (len(groups) == 3 and sizes[-1] == sizes[-2] == 3 and sizes[0] <= 2)
                              or (len(groups) == 2 and sizes[0] <= 3 and 5 <= sizes[1] <= 7)):
        return True  # the smaller plans' groupings: 410 1234, 2123 4567, 32 12 34 56, 221 12 34, 71 123 456, 22 345678
    return (sizes == [3, 3, 4] or (sizes == [1, 3, 3, 4] and groups[0] == "1") or (sizes == [3, 4] and separators == {"-"})
            or (sizes == [3, 3, 3] and digits[0] != "1") or (sizes == [3, 2, 2, 2] and digits[0] in "6789")
            or (sizes == [2, 4, 4] and digits[0] != "0") or (sizes == [2, 5, 4] and groups[1][0] == "9")
            or (sizes == [5, 5] and digits[0] in "6789")
            or (sizes == [3, 4, 4] and digits[1] in "3456789" and digits[0] == "1"))


def _holds_a_phone(number: str, at_both_ends: bool = False, alone: bool = True) -> bool:
    """Whether ``number`` or a run of its digit groups is phone-shaped (``2 020 7946 0958``); with
    ``at_both_ends``, whether it starts with one and ends with one (two phone numbers joined:
    ``555-123-4567/555-987-6543``; not an order number ``026-5067291-7828652``)."""
    groups = [m.span() for m in _GROUP.finditer(number)]
    found = set()
    # with at_both_ends only windows that start or end the run (bounded however long it is)
    starts = sorted({*range(min(5, len(groups))), *range(max(0, len(groups) - 5), len(groups))}) if at_both_ends else range(len(groups))
    for first in starts:
        for last in range(first, min(first + 5, len(groups))):
            part = number[groups[first][0]:groups[last][1]]
            whole = alone and first == 0 and last == len(groups) - 1
            if 7 <= sum(c.isdigit() for c in part) <= 15 and _phone_shaped(part, whole):
                if not at_both_ends:
                    return True
                found.add((first, last))
    return any(first == 0 for first, _ in found) and any(last == len(groups) - 1 for _, last in found)


def _code_without_plus(bare: str) -> bool:
    """Whether ``bare`` (no ``+``/``00``, no parentheses at its ends) is a phone number with its
    country code: 11-14 digits in one run (``_CODE_AND_PHONE``), or groups whose first is a
    country code and the rest 8-12 digits (North America's and Russia's 10; 5-12 after a 3-digit
    code), none of one digit after the second, ending in pairs, four digits or more, or three
    after groups of at most four (``44 7911 123456``, ``33 1 28 12 31 44``, ``852 9486 7020``,
    ``355 22 345 678``, ``682 21 234``; not ``rooms 98 14588 966``)."""
    if bare.isdigit():
        return _CODE_AND_PHONE.fullmatch(bare) is not None
    groups = _RUN_OF_DIGITS.findall(bare)
    sizes = [len(g) for g in groups]
    if len(groups) < 2 or not _CODE.fullmatch(groups[0]) or min(sizes[2:] or [2]) < 2:
        return False
    if sizes[-2:] != [2, 2] and (sizes[-1] < 3 or (sizes[-1] == 3 and max(sizes[1:]) > 4)):
        return False  # a subscriber's number ends in 3-4+ digits or in pairs ("rooms 98 14588 966": no)
    rest = sum(sizes[1:])
    if _DATE.search(bare) or _AMOUNTS.fullmatch(bare) or not _phone_separators(bare):
        return False
    if groups[0] in ("1", "7"):
        return rest == 10
    return 8 <= rest <= 12 or (len(groups[0]) == 3 and rest >= 5)  # the smaller plans: 682 21 234


def _phone_separators(number: str) -> bool:
    """One kind of separator, or spaces with ``-`` or ``/`` (``46 70-205 54 03``)."""
    separators = {" " if sep.isspace() or "(" in sep or ")" in sep else sep.strip() or " " for sep in _NON_DIGITS.findall(number)}
    return not (len(separators - {" "}) > 1 or not separators <= {" ", "-", ".", "/"} or (len(separators) > 1 and "." in separators))


def _in_region(number: str, plans: Plans, grouped: bool = False) -> bool:
    """Whether ``number`` (no ``+``/``00``), or a run of its digit groups, is a valid national
    number of the site's regions (``masking_region``) written whole, or as the region groups its
    numbers (``21 23 4 56789`` in Côte d'Ivoire, ``9123 4567`` in Hong Kong even in a list:
    "rooms 9123 4567 261"), or after a trunk prefix 0 in any grouping (``0791 112 3456``, ``0 79
    11 123 456``: a list of numbers seldom starts with a 0); not "rooms 57531 519" in Hong Kong
    (a list whose two numbers make 8 digits). A run with a ``.`` (a version, an amount) only
    whole and grouped as at home (``01.23.45.67.89`` in France). Never with a date in it, a date written whole (``20240131``) or 15 digits in
    one group (a bare IMEI's count). ``grouped``: only in two groups or more (after an
    abbreviation, digits typed whole are a serial: ``sn 91234567``)."""
    if _DATE.search(number):
        return False
    dotted = "." in number  # "then 6317.8832.671", "11.12.163 (9505275)": not in Hong Kong either
    spans = [m.span() for m in _GROUP.finditer(number)]
    groups = [_NON_DIGITS.sub("", number[a:b]) for a, b in spans]
    for first in range(len(groups)):
        digits = ""
        for last in range(first, min(first + 6, len(groups))):
            digits += groups[last]
            if len(digits) > 15:
                break
            if len(digits) < 7 or (first == last and (grouped or len(digits) == 15 or _COMPACT_DATE.fullmatch(digits))):
                continue
            part = number[spans[first][0]:spans[last][1]]
            if first < last and not _phone_separators(part):
                continue
            if not plans.is_national(digits):
                continue
            sizes = [len(g) for g in groups[first:last + 1]]
            if dotted:  # versions and amounts: only a whole run grouped as at home ("01.23.45.67.89")
                if first == 0 and last == len(groups) - 1 and plans.written_at_home(digits, sizes):
                    return True
            elif first == last or digits[0] == "0" or plans.written_at_home(digits, sizes):
                return True
    return False


def _abbreviated(text: str, start: int) -> bool:
    """Whether the word that says what the number is (``_said`` False) is an abbreviation that
    may stand for something else ("fw", "sn", "kb", "ver", "rev"): a valid national number
    of the site's regions after it, in groups as the region writes it or after its trunk 0
    (``fw 0171 1234567``, ``fw 9123 4567`` in Hong Kong), is a phone number; digits typed whole
    after it are a serial, a KB article or a firmware (``sn 91234567``)."""
    words = [word.lower() for word in _WORD.findall(text, max(0, start - 40), start)[-3:]]
    while words and words[-1] in _FILLERS:
        words.pop()
    return bool(words) and words[-1] in _ABBREVIATIONS


def _phone_text(text: str, start: int, end: int, plans: Plans = NO_REGION, alone: bool = True) -> tuple[int, int, str] | None:
    """``text[start:end]`` (digits at both ends, perhaps a ``+``/``00`` and parentheses) masked if
    it is a phone number: written with a country code (``+44 20 7946 0958``, ``0049 30
    1234567``), said to be one ("call", "Tel.", "Handy": ``_said``), or phone-shaped
    (``_phone_shaped``) and not said to be something else ("build", "order", "IMEI"). 7-15 digits
    (E.164's most), else 20+ as a reference or ``[number]``. The edit (start, end, marker), or
    None: "(0171 1234567)" gives the span of "0171 1234567" and ``[phone]``."""
    number = text[start:end]
    digits = sum(c.isdigit() for c in number)
    if digits < 7:
        return None
    said = _said(text, start)
    # a number in parentheses ("(0171 1234567)") is read without its opening one
    inner = number[1:] if number.startswith("(") and ")" not in number else number
    international = _COUNTRY_CODE.match(inner) is not None
    if digits > 15:
        # 16-19 digits that are no card number, or 20+ written whole or in fours: a reference
        # (order, tracking, bank), kept; spaced otherwise, it may hold a phone number
        if _REFERENCE.fullmatch(number) or not (international or said or _holds_a_phone(inner, at_both_ends=True, alone=alone)):
            return None
        return end - len(inner), end, "[number]"
    bare = number.strip().strip("()").strip()  # "(2028-01-26)", "(4.4.13352.7563)"
    if _DATE.fullmatch(bare) or _IP.fullmatch(bare) or _AMOUNTS.fullmatch(bare):
        return None  # a date, an IP address, amounts with cents ("54386.02 3808.02")
    if re.fullmatch(r"\d+(?:\.\d+)+", bare) and any(not 2 <= len(g) <= 4 for g in bare.split(".")):
        return None  # a version or build number (10.0.19045), not 555.123.4567 or 01.23.45.67.89
    if plans and alone and not international and (said is not False or _abbreviated(text, start)) \
            and _in_region(inner.strip("()"), plans, grouped=said is False):
        return end - len(inner), end, "[phone]"  # the site's own country's number (``region``)
    if said is not False and digits <= 14 and _code_without_plus(bare):
        at = start + number.index(bare)
        return at, at + len(bare), "[phone]"  # a country code without its "+": 447911123456, (8613800138000)
    if international or said or (said is None and _holds_a_phone(inner, alone=alone)) or (said is False and _AREA_CODE.match(inner)):
        # an area code in parentheses is a phone's whatever the word before ("ref (555) 123-4567")
        return end - len(inner), end, "[phone]"  # "(0171 1234567)" -> "([phone])"
    return None


def _phones(text: str, plans: Plans = NO_REGION) -> list[tuple[int, int, str]]:
    edits, pos = [], 0
    while (run := _PHONE_RUN.search(text, pos)) is not None:
        start, end = run.start(), run.end()
        if text[start].isspace():
            start += 1  # the optional space of "+ 44": what came before it is a word apart
        if start and (text[start - 1].isalnum() or text[start - 1] in "_+"):
            # glued to a word (a code, a model name): the number may start after its first group
            pos = start + len(re.match(r"\D*\d+", text[start:]).group(0))
            continue
        date = _DATE.match(text, start + (text[start] == "("))
        if date and not re.match(r"[-.]?\d", text[date.end():date.end() + 2]):
            # a date, then a time or another number ("2024-05-01 10:30"): read on after it; not a
            # phone number that starts like one and reads on ("1-12-1234-5678", "0171.12.34.567")
            pos = date.end()
            continue
        pos = end
        end = _run_end(text, start, end)
        if end > start:
            edits.extend(_run_edits(text, start, end, plans))
    return edits


def _run_end(text: str, start: int, end: int) -> int:
    """The end of the run of phone characters ``text[start:end]`` as a number: without the
    separators after its last digit, nor its last group if a word is glued to it."""
    while end > start and not text[end - 1].isdigit():
        end -= 1  # separators after the last digit are not part of the number
    if end < len(text) and (text[end].isalnum() or text[end] == "_"):
        kept = re.match(r"(.*\d)\D+\d+$", text[start:end])  # glued to a word at its end:
        end = start + len(kept.group(1)) if kept else start  # leave out the last group
    return end


def _run_edits(text: str, start: int, end: int, plans: Plans, alone: bool = True) -> list[tuple[int, int, str]]:
    """The phone edits of the run ``text[start:end]`` (digits at both ends): the run read whole,
    else the numbers in it after another number ("2 0049 30 1234567", "qty 4 (555.123.4567")."""
    edit = _run_edit(text, start, end, plans, alone)
    if edit is not None:
        return [edit]
    if _READ_INSIDE.search(text, start, end) is None:
        return []  # no group dialled with 00 nor a parenthesis after a space: neither reading finds one
    return _dialled_inside(text, start, end, plans) or _bracketed_inside(text, start, end, plans)


#: what ``_dialled_inside`` (``_DIALLED``) and ``_bracketed_inside`` (``_BRACKETED``) start from in a
#: run: a run without it (most numbers in a comment: amounts, counts, order numbers) is not read again
_READ_INSIDE = re.compile(r"\s\(?00[1-9]|\s\(\d")


#: how many parentheses of one run ``_bracketed_inside`` reads from (each to the run's end)
BRACKETS_READ = 8
#: a group inside a run that opens a parenthesis after a space: "4 (555.123.4567"
_BRACKETED = re.compile(r"(?<=\s)\((?=\d)")


def _bracketed_inside(text: str, start: int, end: int, plans: Plans) -> list[tuple[int, int, str]]:
    """The edits of a run no phone number reads whole whose part from an opening parenthesis
    after a space, in two digit groups or more, is one (``qty 4 (555.123.4567``: a lone number,
    then the number as it would be read alone, its parenthesis left out); what is before it is
    read as a run of its own. One group in parentheses is not read so (a build number after a
    version: ``3.26.283 (7014525)``). Linear in the run: the first ``BRACKETS_READ`` parentheses
    with two groups after them are read, each to the run's end (every one was, quadratic in
    "1 (1 (1 (1 …")."""
    read = 0
    for found in _BRACKETED.finditer(text, start + 1, end):
        if next(islice(_RUN_OF_DIGITS.finditer(text, found.start(), end), 1, None), None) is None:
            continue  # one group in parentheses: a build number after a version ("3.26.283 (7014525)")
        read += 1
        if read > BRACKETS_READ:
            break
        edit = _run_edit(text, found.start(), end, plans)
        if edit is not None:
            before = _trimmed(text, start, found.start())
            first = _run_edit(text, *before, plans) if before is not None else None
            return [first, edit] if first is not None else [edit]
    return []


def _run_edit(text: str, start: int, end: int, plans: Plans, alone: bool = True) -> tuple[int, int, str] | None:
    """The edit of the run of phone characters ``text[start:end]`` read as one number, or None."""
    if start and text[start - 1] == "#" and text[start:end].isdigit():
        return None  # "#12345678": an order or ticket number (a phone number is never numbered so)
    edit = _phone_text(text, start, end, plans, alone)
    return None if edit is None or _in_an_id(text, start, end) else edit


#: a group inside a run that starts as a number dialled abroad does (``0049``), after a space (not
#: joined by ``-``, ``/``, ``.`` or ``_``, as a reference's groups are: ``028-0095249-5017249``)
_DIALLED = re.compile(r"(?<=\s)\(?00[1-9]")


def _dialled_inside(text: str, start: int, end: int, plans: Plans) -> list[tuple[int, int, str]]:
    """The edits of a run no phone number reads whole whose later groups are a number with its
    international prefix 00 (``2 0049 30 1234567``: a quantity, an order number or a date, then
    the number; the run starts with the lone number, so it is not read as dialled abroad). The
    groups from ``00`` are one when what follows ``00`` is a country code and a number
    (``_code_without_plus``: "rooms 9325 0012 261" stays a list), the longest such within 7
    groups; what is between such numbers is read as runs of its own (linear in the run). Never
    inside a reference of 16 digits or more printed in fours (``order 9400 0045 7575 3737``: kept
    whole, as ``_phone_text`` keeps it), unless the run follows a ``#``: its first group is then
    a ticket number of its own (``#1820 0065 9395 5647``: the Singapore number after it is masked)."""
    digits = sum(c.isdigit() for c in text[start:end])
    if _REFERENCE.fullmatch(text, start, end) and (digits >= 20 or (digits > 15 and not (start and text[start - 1] == "#"))):
        return []
    edits: list[tuple[int, int, str]] = []
    read = start  # what is before it is read
    while (dialled := _next_dialled(text, read + 1 if read == start else read, end)) is not None:
        at, stop = dialled
        before = _trimmed(text, read, at)
        if before is not None and (edit := _run_edit(text, *before, plans)) is not None:
            edits.append(edit)
        edits.append((at, stop, "[phone]"))
        read = stop
    if edits:
        after = _trimmed(text, read, end)
        if after is not None and (edit := _run_edit(text, *after, plans)) is not None:
            edits.append(edit)
    return edits


def _next_dialled(text: str, pos: int, end: int) -> tuple[int, int] | None:
    """The span of the first number dialled with 00 in ``text[pos:end]`` (``_dialled_inside``)."""
    for found in _DIALLED.finditer(text, pos, end):
        at = found.start()  # with its opening parenthesis: "(0044) 20 7946 0958" is all [phone]
        zeros = at + (text[at] == "(")
        groups = [m.end() for m in _RUN_OF_DIGITS.finditer(text, zeros, end)][:7]
        for stop in reversed(groups):
            bare = text[zeros + 2:stop].strip("()").strip()
            digits = _NON_DIGITS.sub("", bare)
            if len(digits) <= 15 and (_code_without_plus(bare) or (_CODE_AND_PHONE.fullmatch(digits) and _phone_separators(bare))):
                if zeros > at and ")" not in text[at:stop] and text[stop:stop + 1] == ")":
                    stop += 1  # "(0044 20 7946 0958)": its closing parenthesis too, as its opening one
                return at, stop
    return None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]`` without what is not a digit at its ends (a parenthesis kept at its
    start), or None when it holds no digit."""
    while start < end and not (text[start].isdigit() or (text[start] == "(" and start + 1 < end and text[start + 1].isdigit())):
        start += 1
    while end > start and not text[end - 1].isdigit():
        end -= 1
    return (start, end) if end > start else None


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
    text, typed = _step(_with_phones_around(text, _cards(text), plans), text, typed)
    return _step(_phones(text, plans), text, typed)


def _with_phones_around(text: str, cards: list[tuple[int, int, str]], plans: Plans) -> list[tuple[int, int, str]]:
    """``cards`` (the card edits of ``text``), and the part outside them of each phone number that
    one of them cuts. The digits of a number and of a phone number next to it may read as a card
    number together (``order 420946178 0044 7226 362742``: 13 digits, Visa's start, Luhn right), or
    a card number's last groups and a phone number's first (``card 3199 3864 2738 1646 666 760
    3525``); masked as ``[card]`` alone, the rest of the phone number (``7226 362742``) was no phone
    number any more and stayed readable. Read only for a card edit with digits next to it in its
    run: the phone numbers of ``text`` as the phone pass reads them, and the rest of the run read
    from each digit group inside the card edit as the phone pass reads a run, but as digits after
    others (not written alone: "7571 2490" after "2490 13193 633" is no Hong Kong number; bounded: a
    card edit holds at most 19 groups); what of the phone numbers so read (joined where they
    overlap) lies outside the card edits is ``[phone]``: ``order [card] [phone]``."""
    cut = [(start, end) for start, end, _ in cards
           if _DIGIT_BEFORE.search(text, max(0, start - 4), start) or _DIGIT_AFTER.match(text, end)]
    if not cut:
        return cards
    phones = _phones(text, plans)
    for start, end in cut:
        if not _DIGIT_AFTER.match(text, end):
            continue
        run_end = _run_end(text, start, _PHONE_RUN.match(text, start).end())
        for group in _RUN_OF_DIGITS.finditer(text, start + 1, end):
            if not text[group.start() - 1].isdigit():
                phones.extend(edit for edit in _run_edits(text, group.start(), run_end, plans, alone=False) if edit[0] < end < edit[1])
    edits = list(cards)
    for start, end, _marker in _apart(sorted(phones)):
        inside = [(a, b) for a, b, _ in cards if a < end and b > start]
        if not inside or all(start >= a and end <= b for a, b in inside):
            continue  # no card edit in it, or it is inside one (masked whole already)
        at = start
        for a, b in sorted(inside):
            if (part := _trimmed(text, at, a)) is not None:
                edits.append((*part, "[phone]"))
            at = max(at, b)
        if (part := _trimmed(text, at, end)) is not None:
            edits.append((*part, "[phone]"))
    return _apart(sorted(edits))


def _apart(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``edits`` (sorted) with those that overlap one before them joined to it."""
    kept: list[tuple[int, int, str]] = []
    for start, end, marker in edits:
        if kept and start < kept[-1][1]:
            kept[-1] = (kept[-1][0], max(end, kept[-1][1]), kept[-1][2])
        else:
            kept.append((start, end, marker))
    return kept


#: a digit group just before a card edit, or just after it, in the same run of digits
_DIGIT_BEFORE = re.compile(r"\d[ \-./_()]{1,3}$")
_DIGIT_AFTER = re.compile(r"[ \-./_()]{1,3}\d")


def _payment_once(text: str, _plans: Plans = NO_REGION, typed: str | None = None) -> tuple[str, str | None]:
    text, typed = _step(_ibans(text), text, typed)
    return _step(_cards(text), text, typed)


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
    """Only card numbers and IBANs masked (a contact message keeps the e-mail address or phone
    number a customer asks to be reached at), in digits of any script as ``mask_pii``."""
    if not text or not _A_DIGIT.search(text):
        return text
    return _masked(text, _payment_once)
