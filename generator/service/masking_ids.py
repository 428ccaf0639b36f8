"""National identification numbers for the PII masker (``carebase.service.masking``, whose docstring
says what is masked and what stays): ``_national_ids`` gives a text's edits (start, end, ``[id]``).

Which numbers, and when (a number's digits alone seldom tell it from an order number, so a shape
only its own id has, or a word that names the id, decides):

A word names the number when it is among the three words before it, not counting the fillers
("no", "number", "is", "my", …), "security", "card" and "id" (``my social security number is``,
``Aadhaar card no.``), and not before a word that says what else a number is (``TIN 24999310570 |
order 536–22–1846``: "TIN" names the first number); ``SSN``, ``TIN`` and ``ITIN`` name it glued to
it too (``ssn536-22-1846``).

- a US Social Security number or ITIN (``us_ssn``): ``123-45-6789`` with its dashes, however it is
  introduced (no other number customers type is written 3-2-4 with dashes), unless the word just
  before says what else it is (``order 123-45-6789``, ``part no. 123-45-6789``) or a country code
  before it makes it a phone number's rest (``+1 536-22-1846``); after ``SSN``,
  ``social`` (security), ``ITIN``, ``TIN``, ``tax`` (id) also in spaces, dots, any other dash
  (``DASHES``: a phone's smart punctuation ``123‑45‑6789``, an en dash copied from a PDF) or typed
  whole (``ssn 123456789``).
- a UK National Insurance number (``gb_nino``): two prefix letters HMRC allocates, six digits and
  the suffix A-D, typed whole or in pairs (``JG 10 37 95 A``), in any case, without a word (not
  ``ab123456c`` in lower case, which may be a hex id: a short commit hash); also without its
  suffix, and as hex, after ``NI``, ``NINO``, ``national insurance``.
- a UK National Insurance number in dashes (``JG-10-37-95-A``) as in pairs.
- a German pension insurance number, the Rentenversicherungsnummer / Sozialversicherungsnummer
  (``de_rvnr``): the area's two digits, the birth date DDMMYY, the birth name's initial, two digits
  of serial and a check digit, typed whole or as printed (``12 150485 M 037``): after ``RVNR``,
  ``Rentenversicherungsnummer``, ``Sozialversicherungsnummer``, ``SV``/``RV``, ``Versicherungsnummer``
  when its birth date can be one; without a word when its check digit is right too, alone and not
  after a word that says what else it is (``model 12150485M037``).
- India's Aadhaar number: 12 digits, the first 2-9, in 4-4-4 (spaces or ``-``) or whole, only
  after ``Aadhaar`` (``aadhar``, ``UID``, ``आधार``): 4-4-4 is too common a grouping to read alone.
- a German tax id, the Steuer-ID / IdNr (``de_idnr``): 11 digits whose check digit (ISO 7064, MOD
  11,10) and digit counts are right, printed 2-3-3-3 (``24 999 310 570``) without a word, typed
  whole after ``Steuer-ID``, ``IdNr``, ``Identifikationsnummer``, ``TIN`` (11 digits; 9 are the US
  number's); and after
  ``Steuernummer`` / ``St.-Nr.`` a regional tax number (``21/815/08150``, ``181/815/08155``,
  ``93815/08152``, or 10-13 digits typed whole).

The id pattern (``_ID``) is read only around the text's runs of digit groups of 6 characters or
more (the runs the card reading reads: one reading of the text, linear in it; in a text holding a
dash other than ``-``, runs joined by those dashes too: one more reading), and each match is checked
once (``_read``).
"""

from __future__ import annotations

import re

from carebase.service.masking_cards import digit_runs, words_before

#: the dashes other than ``-`` a number may be typed with: Unicode's dash punctuation (Pd: the hyphens,
#: en and em dashes of smart punctuation and PDFs, the fullwidth and small hyphen-minus …) and the minus
#: sign; read as ``-`` only after a word that names the id
DASHES = ("\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d"
          "\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead\u2212")
_A_DASH = re.compile(f"[{DASHES}]")
#: runs of digit groups as ``digit_runs`` reads them, joined by those dashes too
_DASHED_RUNS = re.compile(rf"\d+(?:(?:[ \-./_]{{1,2}}|[{DASHES}])\d+)*")

# a number that may be an id, not inside a word or another number (digits, letters, or ``-`` ``/``
# ``.`` joined to it: a reference's group, a version's part), nor after a ``+`` (a country code); or
# glued to a word that names the US number (``ssn536-22-1846``, ``ITIN912701234``)
_ID = re.compile(
    r"(?:(?<![\w./+-])|(?<=[Nn])(?:(?<=(?<![^\W\d_])[Ss][Ss][Nn])|(?<=(?<![^\W\d_])[Tt][Ii][Nn])"
    r"|(?<=(?<![^\W\d_])[Ii][Tt][Ii][Nn])))(?:"
    r"(?P<us>\d{3}(?P<us_sep>[- .]?)\d{2}(?P=us_sep)\d{4})"
    rf"|(?P<us_dashed>\d{{3}}[-{DASHES}]\d{{2}}[-{DASHES}]\d{{4}})"
    r"|(?P<ni>[A-Za-z]{2} ?\d\d ?\d\d ?\d\d(?: ?[A-Da-d])?|[A-Za-z]{2}-\d\d-\d\d-\d\d(?:-[A-Da-d])?)"
    r"|(?P<de>[1-9]\d(?P<de_sep> ?)\d{3}(?P=de_sep)\d{3}(?P=de_sep)\d{3})"
    r"|(?P<rv>\d{2} ?\d{6} ?[A-Za-z] ?\d{3})"
    r"|(?P<aa>[2-9]\d{3}(?P<aa_sep>[- ]?)\d{4}(?P=aa_sep)\d{4})"
    r"|(?P<st>\d{2,3}/\d{3,4}/\d{4,5}|\d{5}/\d{5}|\d{10,13})"
    r")(?![\w-]|[./]\d)")

#: words that name the US number ("my SSN is", "social security number", "ITIN", "TIN")
US_WORDS = frozenset("ssn ssns social itin tin tax taxpayer".split())
#: words that name the UK number ("NI number", "NINO", "national insurance")
NI_WORDS = frozenset("ni nino nin insurance".split())
#: words that name a German tax number ("Steuer-ID", "IdNr", "Steuernummer", "St.-Nr.", "TIN")
DE_WORDS = frozenset("""steuer steuerid idnr identifikationsnummer steueridentifikationsnummer steuernummer stnr
    steuernr tin""".split())
#: words that name the German pension insurance number ("Rentenversicherungsnummer", "RVNR",
#: "Sozialversicherungsnummer", "SV-Nummer", "Versicherungsnummer")
RV_WORDS = frozenset("""rentenversicherungsnummer rvnr rentenversicherung rv sozialversicherungsnummer svnr sozialversicherung
    sv versicherungsnummer vsnr""".split())
#: words that name India's Aadhaar number ("Aadhaar", "UID"; in Hindi ``AADHAAR_HINDI``, which the
#: masker's words do not read whole: its vowel sign is no letter to them)
AADHAAR_WORDS = frozenset("aadhaar aadhar adhaar adhar uid uidai".split())
AADHAAR_HINDI = "आधार"
#: words that say what else a number is (the word just before it, or before "no"/"number"/"is")
WHAT_WORDS = frozenset("""order orders invoice ticket ref reference tracking parcel shipment serial sn model part
    sku item article product isbn issn ean upc gtin build builds version ver firmware fw release rev revision patch
    kb case claim booking confirmation error errors imei meid esn
    bestellung bestellnummer rechnung auftrag sendung artikel seriennummer fehler commande facture colis pedido
    factura ordine fattura bestelling factuur""".split())
_FILLERS = frozenset("no nr number nummer num is was my your his her the a of".split())

#: the UK prefixes HMRC never allocates (its first letter never D F I Q U V, its second never D F I
#: O Q U V; these pairs not at all)
_NI_FIRST = frozenset("ABCEGHJKLMNOPRSTWXYZ")
_NI_SECOND = frozenset("ABCEGHJKLMNPRSTWXYZ")
_NI_NEVER = frozenset("BG GB KN NK NT TN ZZ".split())
#: an ITIN's middle group (IRS: 50-65, 70-88, 90-92, 94-99)
_ITIN_GROUPS = frozenset([*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100)])


def us_ssn(digits: str) -> bool:
    """Whether nine digits are a Social Security number (area 001-899 but 666, group 01-99,
    serial 0001-9999) or an ITIN (9xx, a middle group the IRS gives ITINs)."""
    area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    if area >= 900:
        return group in _ITIN_GROUPS
    return area not in (0, 666) and group != 0 and serial != 0


def gb_nino(letters: str, suffix: str) -> bool:
    """Whether a UK National Insurance number's prefix (two letters, upper case) is one HMRC
    allocates (and the suffix, if any, A-D)."""
    return (letters[0] in _NI_FIRST and letters[1] in _NI_SECOND and letters not in _NI_NEVER
            and suffix in ("", "A", "B", "C", "D"))


def de_idnr(digits: str) -> bool:
    """Whether 11 digits are a German Steuer-ID: no leading 0, in the first ten one digit twice or
    three times and the others at most once, the check digit ISO 7064's MOD 11,10."""
    if len(digits) != 11 or digits[0] == "0":
        return False
    counts = [digits[:10].count(d) for d in set(digits[:10])]
    if sorted(c for c in counts if c > 1) not in ([2], [3]):
        return False
    product = 10
    for d in digits[:10]:
        total = (int(d) + product) % 10 or 10
        product = (total * 2) % 11
    return (11 - product) % 10 == int(digits[10])


def de_rvnr(number: str) -> tuple[bool, bool]:
    """(whether ``number``, a German pension insurance number written without spaces (two digits of
    the area, the birth date DDMMYY, the birth name's initial, a serial of two digits and a check
    digit: ``12150485M037``), has a birth date that can be, whether its check digit is right too
    (Deutsche Rentenversicherung: the letter as its two-digit place in the alphabet, the twelve
    digits weighted 2 1 2 5 7 1 2 1 2 1 2 1, the sum of the products' digit sums modulo 10))."""
    day, month = int(number[2:4]), int(number[4:6])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False, False
    digits = number[:8] + f"{ord(number[8].upper()) - 64:02d}" + number[9:11]
    total = sum(sum(divmod(int(d) * w, 10)) for d, w in zip(digits, (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)))
    return True, total % 10 == int(number[11])


def _words(text: str, start: int) -> list[tuple[str, int]]:
    """The words before ``start`` that may name the number (lower case, each with where it ends):
    the three before it, not counting the fillers ("no", "number", "is", "my", …) nor "security",
    "card" and "id" (``my social security number is``, ``Aadhaar card no.``), and none before a word
    that says what else a number is (``TIN 24999310570 | order 536–22–1846``: "TIN" names the first)."""
    spans = [(word.lower(), end) for word, end in words_before(text, start, 48, spans=True)]
    counted = 0
    for at in range(len(spans) - 1, -1, -1):
        if spans[at][0] in WHAT_WORDS:
            return spans[at:]  # the words before it name its number, or another ("TIN … | order 536-22-1846")
        if spans[at][0] not in _NOT_COUNTED:
            counted += 1
            if counted == 3:
                return spans[at:]
    return spans


def _named_else(words: list[tuple[str, int]], text: str, start: int) -> bool:
    """Whether the word just before the number (or before "no", "number", "is") says what else it
    is (``order 123-45-6789``): then it is that, as a phone number after it is; not when another
    number stands between them (``order 12: 536-22-1846``: the word names 12)."""
    for word, end in reversed(words):
        if word in WHAT_WORDS:
            return _A_DIGIT.search(text, end, start) is None
        if word not in _FILLERS:
            return False
    return False


_A_DIGIT = re.compile(r"\d|\[(?:card|iban|phone|number|id)\]")
_NOT_COUNTED = _FILLERS | {"security", "card", "id"}


def _hex(word: str) -> bool:
    """Whether a word typed in lower case could be a hex id (``ab123456c``: a short commit hash);
    in capitals, as HMRC prints it, it is a National Insurance number."""
    return word.islower() and all(c in "0123456789abcdef" for c in word)


def _alone(text: str, start: int, end: int) -> bool:
    """Whether the number is not one of a list of numbers in spaces (``5 12 345 678 903 4``): an id
    read by its shape alone is written apart."""
    return not (_NUMBER_BEFORE.search(text, max(0, start - 3), start) or _NUMBER_AFTER.match(text, end))


_NUMBER_BEFORE = re.compile(r"\d[ ]\Z")
#: a country code before the number (``+``, ``+61``, ``0049``): it is a phone number's rest
_DIALLED = re.compile(r"(?:\+|(?<!\d)00\d{1,3})\s?(?:\d{1,3}[ -])?\Z")
_NUMBER_AFTER = re.compile(r" \d")


def _national_ids(text: str, runs: list[re.Match] | None = None) -> list[tuple[int, int, str]]:
    """The national id numbers of ``text`` (the module's docstring says which) as edits; ``runs``:
    its ``digit_runs``, when read already (the card reading reads the same: an id is looked for
    only around a run of 6 characters or more)."""
    edits = []
    if not text.isascii() and _A_DASH.search(text):
        runs = list(_DASHED_RUNS.finditer(text))  # "123‑45‑6789": groups joined by another dash
    for run in (digit_runs(text) if runs is None else runs):
        if run.end() - run.start() >= 6:
            # from the two letters and the space before it, to the suffix after it (a pension number's
            # " M 034") and the character after that
            edits.extend(_read(text, match) for match in _ID.finditer(text, max(0, run.start() - 3), run.end() + 7))
    found, last = [], -1
    for edit in edits:  # two runs' windows may reach the same number: each edit once, apart
        if edit is not None and edit[0] >= last:
            found.append(edit)
            last = edit[1]
    return found


def _read(text: str, match: re.Match) -> tuple[int, int, str] | None:
    """The edit of one match of ``_ID``, or None (the module's docstring says when)."""
    start, end = match.start(), match.end()
    if _DIALLED.search(text, max(0, start - 6), start):
        return None  # "+61 476 328 691", "+ 24 999 310 570": a phone number's, read by the phone part
    spans = _words(text, start)
    words = [word for word, _ in spans]
    german = bool(DE_WORDS.intersection(words)) or ("st" in words and "nr" in words)
    if (us := match.group("us")) is not None:
        sep = match.group("us_sep")
        if us_ssn(us.replace(sep, "") if sep else us) and (US_WORDS.intersection(words)
                                                           or (sep == "-" and not _named_else(spans, text, start))):
            return start, end, "[id]"
    elif (us := match.group("us_dashed")) is not None:  # another dash than "-": only after a word that names it
        if US_WORDS.intersection(words) and us_ssn(us[:3] + us[4:6] + us[7:]):
            return start, end, "[id]"
    elif (ni := match.group("ni")) is not None:
        compact = ni.replace(" ", "").replace("-", "")
        letters, suffix = compact[:2].upper(), compact[8:].upper()
        if NI_WORDS.intersection(words):
            return (start, end, "[id]") if gb_nino(letters, suffix) else None
        if suffix and gb_nino(letters, suffix) and (len(ni) > 9 or not _hex(compact)) and _alone(text, start, end) \
                and not _named_else(spans, text, start):
            return start, end, "[id]"
    elif (de := match.group("de")) is not None:
        if german or (match.group("de_sep") and de_idnr(de.replace(" ", "")) and _alone(text, start, end)
                      and not _named_else(spans, text, start)):
            return start, end, "[id]"
    elif (rv := match.group("rv")) is not None:
        dated, checked = de_rvnr(rv.replace(" ", ""))
        if dated and (RV_WORDS.intersection(words) or (checked and _alone(text, start, end)
                                                       and not _named_else(spans, text, start))):
            return start, end, "[id]"
    elif match.group("aa") is not None:
        if AADHAAR_WORDS.intersection(words) or AADHAAR_HINDI in text[max(0, start - 24):start]:
            return start, end, "[id]"  # the word says what it is: its check digit is not asked
        if german and not match.group("aa_sep"):
            return start, end, "[id]"  # 12 digits after "Steuernummer"
    elif german:
        return start, end, "[id]"  # a Steuernummer: only after a word that names it
    return None
