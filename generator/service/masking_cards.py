"""Card numbers and IBANs for the PII masker (``carebase.service.masking``, whose docstring says
what is masked and what stays): ``_ibans`` and ``_cards`` give a text's edits (start, end, marker);
``card_number``, ``luhn_ok`` and ``iban_ok`` tell one number; ``_in_an_id`` tells digits that are
part of a hex id or a UUID (read by the phone part too)."""

from __future__ import annotations

import re

_SEP = r"(?:[ \-./_]{1,2})"  # between digit groups: spaces (one or two), - . / _
_DIGITS = re.compile(r"\d+(?:" + _SEP + r"\d+)*")
# an IBAN's letters and digits; _iban then checks that it starts a word or follows the letters
# of one ("ibanDE89…"), never inside a hex id
_IBAN = re.compile(r"[A-Za-z]{2}\d{2}(?:[ .-]{0,2}[A-Za-z0-9]){11,30}(?![^\W_])")  # no IGNORECASE: 1.3x faster
MAX_GROUPS = 40  # digit groups in one run beyond which it is masked whole, unread
ID_CHARS = 64  # how far around a number ``_in_an_id`` reads the word it sits in


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
    # the Luhn check first: it costs two thirds of the starts' look-up and passes 1 number in 10
    return luhn_ok(digits) and any(low <= digits[:len(low)] <= high for low, high in _IIN.get(len(digits), ()))


_WORD = re.compile(r"[^\W\d_]+")
#: what the masker writes for what it hides (``masking.MARKERS``)
MARKERS = ("[email]", "[iban]", "[card]", "[phone]", "[number]", "[id]")
#: a word, or one of the masker's markers (read whole, then left out: ``words_before``)
_WORD_OR_MARKER = re.compile("|".join(map(re.escape, MARKERS)) + r"|[^\W\d_]+")


def words_before(text: str, start: int, reach: int, spans: bool = False) -> list:
    """The words of ``text`` in the ``reach`` characters before ``start``, in order, without the
    masker's own markers: ``[phone]`` is no cue word "phone" (a number masked in an earlier pass is
    no word at all, as its digits were none), so a date, a code or an ISBN after a phone number is
    read as what the customer wrote (reader 46, R11: "[phone], 2024 12 31" was "[phone], [phone]");
    nor the end of a word the window cuts ("ring" of "pairing": the word is not "ring").
    With ``spans``, each as (word, where it ends)."""
    low = max(0, start - reach)
    while 0 < low < start and text[low - 1].isalpha():
        low += 1  # a word the window cuts is no word ("ring" of "pairing")
    if low and text[low - 1] == "[":
        low -= 1  # a marker the window cuts ("phone]") is read whole, as a marker
    if not spans:
        if text.find("]", low, start) < 0:
            return _WORD.findall(text, low, start)  # no marker (most texts): the words as they are
        return [word for word in _WORD_OR_MARKER.findall(text, low, start) if word[0] != "["]
    return [(m.group(0), m.end()) for m in _WORD_OR_MARKER.finditer(text, low, start) if m.group(0)[0] != "["]


_GROUP_DIGITS = re.compile(r"\d+")
_JOINED = re.compile(r"[-_/]")  # how references join their groups
#: the word around digits, and its parts (``_in_an_id``)
_ID_WORD_BEFORE = re.compile(r"[\w-]*$")
_ID_WORD = re.compile(r"[\w-]*")
_ID_PARTS = re.compile(r"[-_]")
#: words that say the number after them is a card's (the nearest word before it)
_CARD_WORDS = frozenset("""card cards cc visa mastercard amex maestro debit credit creditcard kreditkarte karte
    kartennummer ec carte cb tarjeta carta kaart pan""".split())


def _card_spans(text: str, groups: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The runs of whole digit groups that are card numbers (``card_number``), those that overlap
    joined (``card 9860 4643 5701 6177 44 20 9008 6917``: a card, then a number whose first group
    and the card's last read as another: both are masked, not the widest alone, which left the
    card's first 12 digits readable), each as offsets into ``text``, in order (linear in the
    groups: a window never holds more than 19 digits). Every one, not only the widest and what
    overlaps it: a real card, then a reference that holds a wider card-shaped run of its own apart
    from it (``visa 1800 646200 02475 12/486/452/64/5985/3412``), was stored with the card's first
    10 digits readable (session 45). Groups joined
    by ``-``, ``/`` or ``_`` (how references are joined: ``302-4512345-6789012``) make a card
    only if the first holds 4 digits or more (every network prints its first four together) and
    is not joined so to digits before it (``171-3002261-7851629``'s last two groups), or if the
    word just before says it is a card ("visa 3_883_27939_96218", "card353/23/331330/21/259").
    Separators may differ, except with a ``.``: ``44163.69 9370.69`` is two amounts."""
    words = words_before(text, groups[0][0], 24)
    carded = bool(words) and words[-1].lower() in _CARD_WORDS
    found = []
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += groups[last][2]
            if len(digits) > 19:
                break
            if len(digits) >= 13 and card_number(digits) \
                    and (carded or len(groups[first][2]) >= 4 or not _JOINED.search(text, groups[first][0], groups[last][1])) \
                    and (carded or not (first and _JOINED.search(text, groups[first - 1][1], groups[first][0]))) \
                    and _one_kind_of_separator({text[groups[i][1]:groups[i + 1][0]] for i in range(first, last)}):
                found.append((first, last))
    # each judged alone before they join (``_in_an_id``, ``_an_imei``): a run that reaches a group glued
    # to an id ("… 4242 5140-9f2c") is no card, but the card before it is (joined, the whole was read
    # as part of the id and the card kept readable); the cards left are masked together
    found = [(lo, hi) for lo, hi in found
             if not _in_an_id(text, groups[lo][0], groups[hi][1]) and not _an_imei(text, (groups[lo][0], groups[hi][1]))]
    spans: list[list[int]] = []
    for low, high in found:  # in order of their first group: one that overlaps the last joins it
        if spans and low <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], high)
        else:
            spans.append([low, high])
    return [(groups[first][0], groups[last][1]) for first, last in spans]


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
    left = _ID_PARTS.split(_ID_WORD_BEFORE.search(text, max(0, start - ID_CHARS), start).group(0))
    right = _ID_PARTS.split(_ID_WORD.match(text, end, end + ID_CHARS).group(0))
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


def digit_runs(text: str) -> list[re.Match]:
    """The runs of digit groups of ``text`` (``_DIGITS``), read once a pass for the id and the card
    readings (``masking._mask_once``)."""
    return list(_DIGITS.finditer(text))


def _cards(text: str, runs: list[re.Match] | None = None) -> list[tuple[int, int, str]]:
    """The card numbers of ``text`` (and dumps of more than ``MAX_GROUPS`` digit groups) as
    edits: (start, end, marker); ``runs``: its ``digit_runs``, when read already."""
    edits = []
    for run in (_DIGITS.finditer(text) if runs is None else runs):
        if run.end() - run.start() < 13:
            continue  # fewer than 13 characters: fewer than 13 digits
        groups = [(m.start(), m.end(), m.group(0)) for m in _GROUP_DIGITS.finditer(text, run.start(), run.end())]
        if sum(len(g[2]) for g in groups) < 13:
            continue
        if len(groups) > MAX_GROUPS:  # not prose: a dump of numbers, masked whole
            edits.append((run.start(), run.end(), "[number]"))
            continue
        spans = _card_spans(text, groups)  # its card numbers each judged no part of an id nor an IMEI
        if not spans:  # a card number glued to its expiry date or its code: the whole group
            span = next(((g[0], g[1]) for g in groups if len(g[2]) > 16 and _glued_card(g[2])), None)
            if span is None or _in_an_id(text, *span) or _an_imei(text, span):
                continue
            spans = [span]
        edits.extend((start, end, "[card]") for start, end in spans)
    return edits
