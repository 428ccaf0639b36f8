"""Phone numbers for the PII masker (``carebase.service.masking``, whose docstring says what is
masked and what stays): ``_phones`` gives a text's phone edits (start, end, ``[phone]`` or
``[number]``), read run by run (``_run_edits``: the run whole, else a number dialled with 00 or in
parentheses after another one); ``_with_phones_around`` adds the rest of a phone number that a
card edit cuts; ``_said`` reads what the words before a number say it is."""

from __future__ import annotations

import re
from bisect import bisect_left
from contextvars import ContextVar

from carebase.service.masking_cards import _in_an_id, words_before
from carebase.service.masking_region import NO_REGION, Plans

# a run of phone characters, found left to right without overlap (linear in the text);
# _phones then trims it to digits at both ends and checks what is around it
_PHONE_RUN = re.compile(r"(?:\+|00)?\s?\(?\d[\d ()./_-]*")
#: 20+ digits as references are written: whole or printed in fours (a tracking number 9400 1000
#: 0000 0000 0000 00); not joined by - / _, as two phone numbers are ("555-123-4567/555-987-6543")
_REFERENCE = re.compile(r"\(?(?:\d+|\d{4}(?: \d{4})+(?: \d{1,3})?)")
_AMOUNTS = re.compile(r"\d+\.\d\d(?:\s+\d+\.\d\d)*")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}")


#: words that say the number after them is a phone number (English, German, French, Spanish,
#: Italian, Dutch); the nearest of these or of ``_WHAT_WORDS`` among the three words before a number decides
_PHONE_WORDS = frozenset("""call calls called calling callback phone ph tel telephone mobile mob cell cellphone fax ring
    dial whatsapp sms landline hotline reach telefon telefonnummer handy handynummer mobil mobilnummer rufnummer
    anrufen anruf rückruf festnetz téléphone tél portable appeler appelez joindre teléfono telefono móvil movil
    llamar llámame llamame celular cellulare chiamare chiamami bellen mobiel telefoonnummer text texts texting
    contact kontakt""".split())
#: words that say a number is a phone number unless the word before them says what else it is
#: ("my number is 2345678"; "order number 12345678" is an order's)
_NUMBER_WORDS = frozenset("number nummer numéro numero".split())
#: words that say what else a number is (a build, an order, a device): never a phone number's
_WHAT_WORDS = frozenset("""build builds version ver firmware fw release rev revision patch kb order orders invoice
    ticket ref reference tracking parcel shipment serial sn model error errors id imei meid esn sku isbn issn ean upc gtin
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
_FIRST_GROUP = re.compile(r"\D*\d+")
_READS_ON = re.compile(r"[-.]?\d")  # after a date: another number ("1-12-1234-5678")
_DOTTED = re.compile(r"\d+(?:\.\d+)+")
_TWO_GROUPS = re.compile(r"\(\d+\D+\d")  # a parenthesis, then two digit groups
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
    1234567" is still a phone number), None nothing; the nearest decides. The masker's markers are
    no words (``words_before``); a number of a list of numbers whose first one follows a phone word
    is one (``call 555 12 345, [phone], … 999 56 789``)."""
    try:  # for callers outside a text's reading (the masker reads ``_reading``): nothing of it kept
        return _reading(text, start)[0]
    finally:
        _forget_shapes()


#: what a list of numbers holds: a phone number masked in an earlier pass, or a run of phone
#: characters (as ``_PHONE_RUN`` finds them: left to right, without overlap, linear in the text)
_ITEM = re.compile(r"\[(?:phone|number)\]|(?:\+|00)?\(?\d[\d ()./_-]*")
#: what parts the numbers of a list: ",", ";", "/", "&", "or", "and" (and their German, French,
#: Spanish, Italian, Dutch words) or spaces
_PARTED = re.compile(r"\s*[,;/&]\s*|\s+(?:or|and|oder|und|ou|et|o|y|e|of|en)\s+|\s+", re.IGNORECASE)


def _lists(text: str) -> tuple[list[int], list[int]]:
    """The starts and ends of the lists of numbers of ``text`` (two numbers or more, ``_ITEM`` parted
    by ``_PARTED``; one glued to a word ends a list), in one reading of its numbers left to right
    (a regular expression for the whole list read a long run again from each of its numbers: 2,000
    characters of "12 (345) " cost 35x 98ca74a's masking; verify 47, V3)."""
    starts, ends = [], []
    first = last = None
    count = 0
    for item in _ITEM.finditer(text):
        at, end = item.start(), item.end()
        while text[end - 1].isspace():
            end -= 1
        if at and (text[at - 1].isalnum() or text[at - 1] in "_+"):
            at = None  # glued to a word (a code, a model name): no number of a list
        elif last is not None and _PARTED.fullmatch(text, last, at):
            last, count = end, count + 1
            continue
        if count > 1:
            starts.append(first)
            ends.append(last)
        first, last, count = (at, end, 1) if at is not None else (None, None, 0)
    if count > 1:
        starts.append(first)
        ends.append(last)
    return starts, ends


#: what is before a later number of a list: a number (or its marker) and what parts the list
_CONTINUES = re.compile(r"(?:\d\)?|\[(?:phone|number)\])(?:\s*[,;/&]\s*|\s+(?:or|and|oder|und|ou|et|o|y|e|of|en)\s+|\s+)\Z",
                        re.IGNORECASE)


def _list_start(text: str, start: int) -> int:
    """Where the list of numbers that holds ``text[start]`` starts (``start`` if in none): the
    text's lists found once while it is read (kept with the phone shapes, ``_SHAPES``)."""
    try:
        memo = _SHAPES.get()
    except LookupError:
        memo = {}
        _SHAPES.set(memo)
    key = ("lists", text)
    lists = memo.get(key)
    if lists is None:
        lists = memo[key] = _lists(text)
    starts, ends = lists
    at = bisect_left(starts, start + 1) - 1  # the last list that starts at or before ``start``
    return starts[at] if at >= 0 and ends[at] > start else start


#: a number, or the masker's marker of one, between a word and the number it is read for
_A_NUMBER = re.compile(r"\d|\[(?:card|iban|phone|number|id)\]")
#: a national number typed whole with its trunk prefix 0, 10-12 digits ("08020873566": a list of
#: order numbers seldom starts with a 0)
_TRUNK_WHOLE = re.compile(r"0[1-9]\d{8,10}")
#: a national number's trunk prefix 0 and area code, then a group: "0171 1234567", "(020) 7946 0958"
_TRUNK_GROUPED = re.compile(r"\(?0[1-9]\d{0,4}\)?[\s./-]+\d")


def _reading(text: str, start: int, carried: bool = False) -> tuple[bool | None, bool]:
    """(``_said``, whether the word that says what else the number is names another number before
    it: ``order 12: 555-123-4567``: "order" says what 12 is, not what the phone number is; reader
    46, R3). A number no word before it says anything of, in a list whose first number follows a
    phone word (``call 555 12 345, … 999 56 789``; its marker: ``call [phone], … 999 56 789``), is a
    phone number too, however far from the word (``_list_start``; ``carried``: the list's first
    number's own reading)."""
    words = [word.lower() for word in words_before(text, start, 40)[-3:]]
    found = [word.lower() for word in words_before(text, start, 60)[-4:]]
    for distance, word in enumerate(reversed(words)):
        if word in _PHONE_WORDS:
            return True, False
        before = found[-distance - 2] if distance + 2 <= len(found) else ""
        if word in _NUMBER_WORDS and before not in _WHAT_WORDS:
            return True, False  # "my number is 2345678", not "order number 12345678"
        if word in _WHAT_WORDS and all(after in _FILLERS for after in words[len(words) - distance:]):
            end = words_before(text, start, 40, spans=True)[-distance - 1][1]  # where the word ends
            return False, _A_NUMBER.search(text, end, start) is not None
    if not carried and _CONTINUES.search(text, max(0, start - 16), start) is not None \
            and (first := _list_start(text, start)) < start and _reading(text, first, True)[0] is True:
        return True, False  # a later number of a list after a phone word ("call 555 12 345, … 999 56 789")
    return None, False


#: the readings of ``_phone_shaped`` made while a text is read (the same windows of a run are read
#: again from each group a card edit holds, and a comment repeats its numbers): one dict for each
#: context (thread, task), made at its first reading and emptied when the reading of a text ends
#: (``_phones`` and ``_with_phones_around`` return: ``_forget_shapes``). The windows are the
#: customer's unmasked digits, so none is kept once the text is read (reader 44, P1: a process-wide
#: cache kept up to 4,096 of them); emptying an empty dict is all a text without a number pays
#: (making and dropping a memo for every pass cost ordinary texts 3-8 %: RESULTS, session 45)
_SHAPES: ContextVar[dict] = ContextVar("carebase_phone_shapes")


def _phone_shaped(number: str, whole: bool = True) -> bool:
    """``_shaped(number, whole)``, kept while this text is read (``_SHAPES``)."""
    try:
        memo = _SHAPES.get()
    except LookupError:  # this context's first reading
        memo = {}
        _SHAPES.set(memo)
    key = (number, whole)
    found = memo.get(key)  # get, not "in" then []: another thread's reading may empty a shared one
    if found is None:
        found = memo[key] = _shaped(number, whole)
    return found


def _forget_shapes() -> None:
    """Empties this context's readings of ``_phone_shaped`` (a text's reading has ended)."""
    memo = _SHAPES.get(None)
    if memo:
        memo.clear()


def _shaped(number: str, whole: bool = True) -> bool:
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
    if sizes == [2, 3, 3] and digits[0] == "0" and digits[1] != "0":
        return True  # a trunk 0 and 7 digits (Lebanon's 01 234 567), also after others: a list seldom starts with a 0
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
        digits = 0
        for last in range(first, min(first + 5, len(groups))):
            # a group's digits (digits and perhaps a parenthesis at each end: every digit of ``number``
            # is in one), summed per window, not counted character by character, and only for the
            # windows read (with at_both_ends, 10 of a run's groups however long it is)
            a, b = groups[last]
            digits += b - a - (number[a] == "(") - (number[b - 1] == ")")
            if digits > 15:
                break
            if digits < 7:
                continue
            part = number[groups[first][0]:groups[last][1]]
            whole = alone and first == 0 and last == len(groups) - 1
            if _phone_shaped(part, whole):
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
    words = [word.lower() for word in words_before(text, start, 40)[-3:]]
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
    digits = len(_NON_DIGITS.sub("", number))  # a run of phone characters: its other characters are no digits
    if digits < 7:
        return None
    # digits after others (``alone`` False: read from inside a card edit, ``_with_phones_around``):
    # the words before say what the run's first number is, not this one ("order [card] 777 079 873")
    said, named = _reading(text, start) if alone else (None, False)
    if named and not _AREA_CODE.match(number) and (_OWN_SEPARATOR.search(number) or _TRUNK_GROUPED.match(number)
                                                    or (" " in number.strip() and _phone_shaped(number.strip("() "), False))
                                                    or _TRUNK_WHOLE.fullmatch(number) or _unlike_a_list(text, start, number)):
        # the word says what a number before this one is ("order 12: 555-123-4567", "ticket 12,
        # 0171 1234567"): this one, written as phone numbers are, is read as if no word were before
        # it, as a later number of the word's own run is (``_numbers_inside``, ``_trunk_inside``), and
        # so is one in spaces in a phone's shape as digits after others ("order 12: 555 123 4567") or
        # one typed whole with a trunk 0 ("ticket 4542; 08020873566"), or one in a phone's shape
        # written alone that is grouped unlike the number before it ("order 12, 5551234567", "ref
        # 58101: 7596236882", "order 253, 6638 6137": a list's numbers are written alike; typed
        # whole, only as the plans with 9-11 digits write them, not 7-8 digits: "order 1234567,
        # 12345678"); grouped as the number before it, a list's ("order 12345678, 23456789",
        # "invoice 2024 001, 2024 002"); an area code in parentheses is a phone number's whatever
        # the word (below)
        said = None
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
    if _DOTTED.fullmatch(bare) and any(not 2 <= len(g) <= 4 for g in bare.split(".")) \
            and not (said and len(bare.split(".", 1)[0]) >= 3):
        # a version or build number (10.0.19045), not 555.123.4567 or 01.23.45.67.89; after a word
        # saying it is a phone number, one whose first group is no version's (``call 555.1234567``)
        return None
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


#: the number just before another one and the comma, colon or semicolon that parts them, read in
#: the 40 characters before it (``_unlike_a_list``)
_NUMBER_BEFORE = re.compile(r"(\d(?:[\d./-]|\s(?=\d))*)\s*[,;:]\s*\Z")


def _unlike_a_list(text: str, start: int, number: str) -> bool:
    """Whether ``number`` (at ``start``, after a number a word names) is in a phone's shape written
    alone and grouped unlike the number just before it, a comma, colon or semicolon between them
    (their digit groups' sizes differ: ``12``
    then ``5551234567``, ``253`` then ``6638 6137``): a list's numbers (order numbers, invoices) are
    written alike, a phone number after one is not. Typed whole, only as the plans of 9-11 digits
    write them (``_BARE_PHONE``), not 7-8 digits (``order 1234567, 12345678``). False when there
    is no number just before (a marker, a word), or it is written with dots (a version, an
    amount: ``build 1.2.3, 4567 8901``)."""
    before = _NUMBER_BEFORE.search(text, max(0, start - 40), start)
    if before is None or "." in before.group(1) or [len(g) for g in _RUN_OF_DIGITS.findall(before.group(1))] == \
            [len(g) for g in _RUN_OF_DIGITS.findall(number)]:
        return False
    return bool(_BARE_PHONE.fullmatch(number)) if number.isdigit() else _phone_shaped(number.strip("() "))


def _phones(text: str, plans: Plans = NO_REGION) -> list[tuple[int, int, str]]:
    """The phone edits of ``text`` (the phone shapes read for it forgotten once they are found)."""
    try:
        return _read_phones(text, plans)
    finally:
        _forget_shapes()


def _read_phones(text: str, plans: Plans = NO_REGION, near: list[tuple[int, int, str]] | None = None) -> list[tuple[int, int, str]]:
    """``_phones``; with ``near`` (edits, sorted), only the edits of the runs that overlap one of
    them (the runs are found as without it: the others are not read)."""
    edits, pos = [], 0
    starts = None if near is None else [edit[0] for edit in near]
    while (run := _PHONE_RUN.search(text, pos)) is not None:
        start, end = run.start(), run.end()
        if text[start].isspace():
            start += 1  # the optional space of "+ 44": what came before it is a word apart
        if start and (text[start - 1].isalnum() or text[start - 1] in "_+"):
            # glued to a word (a code, a model name): the number may start after its first group
            pos = _FIRST_GROUP.match(text, start).end()
            continue
        date = _DATE.match(text, start + (text[start] == "("))
        if date and not _READS_ON.match(text, date.end(), date.end() + 2):
            # a date, then a time or another number ("2024-05-01 10:30"): read on after it; not a
            # phone number that starts like one and reads on ("1-12-1234-5678", "0171.12.34.567")
            pos = date.end()
            continue
        pos = end
        end = _run_end(text, start, end)
        if end > start and (near is None or _overlaps(near, starts, start, end)):
            # near card edits, not the numbers among others (``_numbers_inside``): they are read once
            # the cards are masked ("card 4111 … 0857 44 7139 266444": "0857 44 7139" is no number)
            edits.extend(_run_edits(text, start, end, plans, among=near is None))
    return edits


def _overlaps(edits: list[tuple[int, int, str]], starts: list[int], start: int, end: int) -> bool:
    """Whether one of ``edits`` (sorted, apart; ``starts`` their starts) overlaps ``text[start:end]``."""
    at = bisect_left(starts, end) - 1  # the last edit that starts before ``end``
    return at >= 0 and edits[at][1] > start


def _run_end(text: str, start: int, end: int) -> int:
    """The end of the run of phone characters ``text[start:end]`` as a number: without the
    separators after its last digit, nor its last group if a word is glued to it."""
    while end > start and not text[end - 1].isdigit():
        end -= 1  # separators after the last digit are not part of the number
    if end < len(text) and (text[end].isalnum() or text[end] == "_"):
        kept = re.match(r"(.*\d)\D+\d+$", text[start:end])  # glued to a word at its end:
        end = start + len(kept.group(1)) if kept else start  # leave out the last group
    return end


def _run_edits(text: str, start: int, end: int, plans: Plans, alone: bool = True, seen: dict | None = None,
               among: bool = True) -> list[tuple[int, int, str]]:
    """The phone edits of the run ``text[start:end]`` (digits at both ends): the run read whole,
    else the numbers in it after another number ("2 0049 30 1234567", "qty 4 (555.123.4567").
    ``seen``: the readings of ``_run_edit`` already made in this text (``_with_phones_around``
    reads one run from several of its groups: the parts after them are read once)."""
    edit = _run_edit(text, start, end, plans, alone, seen)
    if edit is not None:
        return [edit]
    if _READ_INSIDE.search(text, start, end) is not None:
        found = _dialled_inside(text, start, end, plans, seen) or _bracketed_inside(text, start, end, plans, seen)
        if found:
            return found
    if _TRUNK_INSIDE.search(text, start + 1, end) is not None:
        found = _trunk_inside(text, start, end, plans, seen)
        if found:
            return found
    found = _closed_inside(text, start, end, plans, seen, among)
    # the numbers among others: only for a run of 7 characters or more (7+ digits), read as it stands
    return found or (_numbers_inside(text, start, end, alone) if among and alone and end - start > 6 else [])


def _closed_inside(text: str, start: int, end: int, plans: Plans, seen: dict | None = None,
                   among: bool = True) -> list[tuple[int, int, str]]:
    """The edits of a run no other reading finds a phone number in that a parenthesis closes after
    two digit groups or more, with none opened before it but at the run's start
    (``555.123.4567) 1 more``, ``(555.123.4567) 1``: the number, then the bracket the customer's
    sentence closes, then a count): the part before it read as a run of its own, the part after it
    read once as one number (not again at its own brackets: a run of "1) 2) 3) …" is read in linear
    time and depth), and only when no reading above found one (what was found stays)."""
    if text.find(")", start, end) < 0:
        return []  # most runs (amounts, counts, order numbers): no bracket closed, nothing more to read
    groups = _RUN_OF_DIGITS.finditer(text, start, end)
    second = next(groups, None) and next(groups, None)
    if second is None:
        return []
    closing = text.find(")", second.end(), end)  # "(555) 123…": an area code's bracket is not the end
    if closing < 0 or "(" in text[start + 1:closing]:
        return []
    edits = []
    before = _trimmed(text, start, closing)
    if before is not None:  # no bracket after its second group: read without coming back here
        edits.extend(_run_edits(text, *before, plans, True, seen, among))
    after = _trimmed(text, closing + 1, end)
    if after is not None and (edit := _run_edit(text, *after, plans, True, seen)) is not None:
        edits.append(edit)
    return edits


#: a number of a run: its digits joined without a space (``555-275-2819``, ``7121.25103.544``, ``(555)``, ``42``)
_UNIT = re.compile(r"[^\s]+")
#: a separator a number is written with inside it (not the space that parts it from the next)
_OWN_SEPARATOR = re.compile(r"\d[-./]\d|\(\d[\d -]{0,5}\)")
#: phone shapes that a list of counts, years and codes takes as often, in spaces (``1214 98946 38
#: 4448 1214``: Mexico's 2-4-4; ``168 2343 9851``: China's mobiles): read in a long run only written
#: with their own separators, or alone after a number written with its own (``_numbers_inside``)
_LIST_SHAPES = ([2, 4, 4], [3, 4, 4])
#: the most numbers of a run one phone number may span (``49 90155-2807``, ``8 915 193 16 58``)
NUMBERS_READ = 5


def _numbers_inside(text: str, start: int, end: int, alone: bool = True) -> list[tuple[int, int, str]]:
    """The edits of a run no other reading finds a phone number in that holds one among other
    numbers. The run's numbers are its parts between spaces (``026-5067291-7828652``, an order
    number, is one number: never read in part); a phone number is one of them or up to
    ``NUMBERS_READ`` together, the shortest from each number on (those that overlap joined: which of
    them the customer meant, the digits cannot tell):

    - in a run of more than 15 digits (not read whole: ``code 3176, then 9930.69687.990
      555-275-2819``, ``rooms 4521 123 45 555 123 4567 61``), phone-shaped as digits after others
      (``_phone_shaped(part, False)``: an area code in parentheses, a trunk 0, North America's
      3-3-4, the 9-digit plans' 3-3-3, a national number written whole as ``5551234567``, …), or
      ending the run with its country code but no ``+`` (``44 7139 266444``), as a run of 15 digits
      or fewer is read whole, but not in the shapes a list takes as often (the smaller plans'
      groupings; in spaces and without a trunk 0, Mexico's 2-4-4 and China's 1xx 4 4:
      ``_LIST_SHAPES``); never in a reference of 16+ digits written whole or in fours (``9400 1000
      0000 0000 0212 34``);
    - after a word that says what the first number is (``order``, ``ref``), not the first number,
      and only written with its own separators (``order 12 555-123-4567``; ``order 12 0123456789``
      and ``serial 55 345 678 901`` stay);
    - the numbers in spaces that end a run after a number written with its own separators (a code,
      a version, an amount: ``then 6144.33006.231 532 0305``), two or more, read as a number
      written alone (the smaller plans' groupings too).

    Not read from inside a card edit (``alone`` False) nor for the runs near one before the cards are
    masked (``_run_edits``' ``among``): a reference after a card keeps its digits as before. Linear
    in the run: each number starts at most ``NUMBERS_READ`` windows of at most 15 digits."""
    if not alone:
        return []
    total = len(_NON_DIGITS.sub("", text[start:end]))
    if total < 7 or (total <= 15 and _OWN_SEPARATOR.search(text, start, end) is None):
        return []  # most runs (counts, amounts, order numbers): read whole already, nothing written apart
    units = [(m.start(), m.end(), len(_NON_DIGITS.sub("", m.group(0)))) for m in _UNIT.finditer(text, start, end)]
    # the numbers in spaces after the last one written with its own separators, ending the run
    tail = next((i + 1 for i in range(len(units) - 2, -1, -1) if _OWN_SEPARATOR.search(text, units[i][0], units[i][1])), None)
    if len(units) < 2:
        return []  # one number: read whole already
    if total <= 15 and (tail is None or tail > len(units) - 2) and text.find("(", units[1][0], end) < 0 \
            and not any(_OWN_SEPARATOR.search(text, a, b) and (digits >= 7 or "." not in text[a:b]) for a, b, digits in units[1:]):
        # no tail, and after the first number no parenthesis nor a number written with its own
        # separators that a phone number may hold (a "." never joins numbers in spaces into one:
        # "rooms 12 301 45.20"), whatever the words before say: nothing to read (nor the words)
        return []
    said, named = _reading(text, start)
    if said is True:
        return []  # read whole already
    if tail is not None and (tail > len(units) - 2 or said is False):
        tail = None  # one number after it (a build after a version: "3.26.283 (7014525)"), or after "order"
    if said is None and total <= 15:
        first = tail  # read whole already (its windows: ``_holds_a_phone``): only the tail is left
        if first is None:
            return []
    elif total > 15 and _REFERENCE.fullmatch(text, start, end):
        return []
    else:
        # "#12345678": a ticket's; after "order" its first number is the order's, unless the word
        # names a number before the run ("order 12: 5551234567 555-123-4567")
        first = 1 if (said is False and not named) or (start and text[start - 1] == "#") else 0
    edits = []
    at = first
    while at < len(units):
        found, digits = None, 0
        for last in range(at, min(at + NUMBERS_READ, len(units))):
            digits += units[last][2]
            if digits > 15:
                break
            if digits < 7:
                continue
            whole = at == tail and last == len(units) - 1
            if said is None and total <= 15 and not whole:
                continue
            part = _trimmed(text, units[at][0], units[last][1])
            if part is None:
                continue
            number = text[part[0]:part[1]]
            if ("(" in number or ")" in number) and not _AREA_CODE.match(number):
                continue  # a parenthesis not around an area code ("34 (12 34 (12 34"): read by the readings above
            if _OWN_SEPARATOR.search(number) is None and (said is False or (not whole and number.lstrip("(")[0] != "0"
                                                                           and [len(g) for g in _RUN_OF_DIGITS.findall(number)] in _LIST_SHAPES)):
                continue  # in spaces only: after "order", "ref", the order's; in a list's shape (no trunk 0), the list's
            if (_phone_shaped(number, whole) or (said is None and last == len(units) - 1 and _code_without_plus(number))) \
                    and not _in_an_id(text, *part):
                found = (part, last)
                break  # the shortest: a phone number's digits end where its plan says (not "(555) 123-4567 3 4567")
        if found is not None:
            edits.append((*found[0], "[phone]"))
        at += 1
    return _apart(edits)  # overlapping readings joined ("517 781 570 641": 3-3-3 from 517 and from 781)


#: a group after a space that starts as a national number with its trunk prefix 0 does (``_trunk_inside``)
_TRUNK_INSIDE = re.compile(r"(?<=\s)0[1-9]")


def _trunk_inside(text: str, start: int, end: int, plans: Plans, seen: dict | None = None) -> list[tuple[int, int, str]]:
    """The edit of a run no other reading finds a phone number in whose last groups, from one after
    a space that starts with a trunk 0, are a national number written in groups (``2 42094617
    07911 123456``: 21 digits, no reference and no phone number at its start; ``ref 123
    06.12.34.56.78``: the word before says what the first number is, not the second): 9-12 digits
    in two groups or more, phone-shaped as digits after others (a trunk 0 and an area code, then
    the subscriber's number). Only the part that ends the run (a list seldom ends so), and never
    one group alone (``order 12 0123456789``: an order or reference number), nor inside a
    reference of 16 digits or more printed in fours (``9400 1000 0000 0000 0212 34``: kept whole,
    as ``_phone_text`` keeps it). What is before it stays as it was read."""
    if _REFERENCE.fullmatch(text, start, end) and len(_NON_DIGITS.sub("", text[start:end])) > 15:
        return []
    for found in _TRUNK_INSIDE.finditer(text, start + 1, end):
        at = found.start()
        part = text[at:end]
        groups = _RUN_OF_DIGITS.findall(part)
        digits = sum(len(g) for g in groups)
        if digits > 12:
            continue  # the rest of the run is longer than such a number: a later group may start one
        if len(groups) < 2 or digits < 9:
            return []
        if _phone_shaped(part, False) and not _in_an_id(text, at, end) and _phone_separators(part):
            return [(at, end, "[phone]")]
        return []
    return []


#: what ``_dialled_inside`` (``_DIALLED``) and ``_bracketed_inside`` (``_BRACKETED``) start from in a
#: run: a run without it (most numbers in a comment: amounts, counts, order numbers) is not read again
_READ_INSIDE = re.compile(r"\s\(?00[1-9]|\s\(\d")


#: how many parentheses of one run ``_bracketed_inside`` reads from (each to the run's end)
BRACKETS_READ = 8
#: a group inside a run that opens a parenthesis after a space: "4 (555.123.4567"
_BRACKETED = re.compile(r"(?<=\s)\((?=\d)")


def _bracketed_inside(text: str, start: int, end: int, plans: Plans, seen: dict | None = None) -> list[tuple[int, int, str]]:
    """The edits of a run no phone number reads whole whose part from an opening parenthesis
    after a space, in two digit groups or more, is one (``qty 4 (555.123.4567``: a lone number,
    then the number as it would be read alone, its parenthesis left out); what is before it is
    read as a run of its own. One group in parentheses is not read so (a build number after a
    version: ``3.26.283 (7014525)``). Linear in the run: the first ``BRACKETS_READ`` parentheses
    with two groups after them are read, each to the run's end (every one was, quadratic in
    "1 (1 (1 (1 …")."""
    read = 0
    for found in _BRACKETED.finditer(text, start + 1, end):
        if _TWO_GROUPS.match(text, found.start(), end) is None:
            continue  # one group in parentheses: a build number after a version ("3.26.283 (7014525)")
        read += 1
        if read > BRACKETS_READ:
            break
        edit = _run_edit(text, found.start(), end, plans, True, seen)
        if edit is not None:
            before = _trimmed(text, start, found.start())
            first = _run_edit(text, *before, plans, True, seen) if before is not None else None
            return [first, edit] if first is not None else [edit]
    return []


def _run_edit(text: str, start: int, end: int, plans: Plans, alone: bool = True, seen: dict | None = None) -> tuple[int, int, str] | None:
    """The edit of the run of phone characters ``text[start:end]`` read as one number, or None
    (kept in ``seen``, when given, for the next reading of the same part of the same text)."""
    if seen is None:
        return _read_run(text, start, end, plans, alone)
    key = (start, end, alone)
    if key not in seen:
        seen[key] = _read_run(text, start, end, plans, alone)
    return seen[key]


def _read_run(text: str, start: int, end: int, plans: Plans, alone: bool) -> tuple[int, int, str] | None:
    if start and text[start - 1] == "#" and text[start:end].isdigit():
        return None  # "#12345678": an order or ticket number (a phone number is never numbered so)
    edit = _phone_text(text, start, end, plans, alone)
    return None if edit is None or _in_an_id(text, start, end) else edit


#: a group inside a run that starts as a number dialled abroad does (``0049``), after a space (not
#: joined by ``-``, ``/``, ``.`` or ``_``, as a reference's groups are: ``028-0095249-5017249``)
_DIALLED = re.compile(r"(?<=\s)\(?00[1-9]")


def _dialled_inside(text: str, start: int, end: int, plans: Plans, seen: dict | None = None) -> list[tuple[int, int, str]]:
    """The edits of a run no phone number reads whole whose later groups are a number with its
    international prefix 00 (``2 0049 30 1234567``: a quantity, an order number or a date, then
    the number; the run starts with the lone number, so it is not read as dialled abroad). The
    groups from ``00`` are one when what follows ``00`` is a country code and a number
    (``_code_without_plus``: "rooms 9325 0012 261" stays a list), the longest such within 7
    groups; what is between such numbers is read as runs of its own (linear in the run). Never
    inside a reference of 16 digits or more printed in fours (``order 9400 0045 7575 3737``: kept
    whole, as ``_phone_text`` keeps it), unless the run follows a ``#``: its first group is then
    a ticket number of its own (``#1820 0065 9395 5647``: the Singapore number after it is masked)."""
    digits = len(_NON_DIGITS.sub("", text[start:end]))
    if _REFERENCE.fullmatch(text, start, end) and (digits >= 20 or (digits > 15 and not (start and text[start - 1] == "#"))):
        return []
    edits: list[tuple[int, int, str]] = []
    read = start  # what is before it is read
    while (dialled := _next_dialled(text, read + 1 if read == start else read, end)) is not None:
        at, stop = dialled
        before = _trimmed(text, read, at)
        if before is not None and (edit := _run_edit(text, *before, plans, True, seen)) is not None:
            edits.append(edit)
        edits.append((at, stop, "[phone]"))
        read = stop
    if edits:
        after = _trimmed(text, read, end)
        if after is not None and (edit := _run_edit(text, *after, plans, True, seen)) is not None:
            edits.append(edit)
    return edits


def _next_dialled(text: str, pos: int, end: int) -> tuple[int, int] | None:
    """The span of the first number dialled with 00 in ``text[pos:end]`` (``_dialled_inside``)."""
    for found in _DIALLED.finditer(text, pos, end):
        at = found.start()  # with its opening parenthesis: "(0044) 20 7946 0958" is all [phone]
        zeros = at + (text[at] == "(")
        groups = [m.end() for m in _RUN_OF_DIGITS.finditer(text, zeros, end)][:7]
        cut = None  # the longest number that ends inside one of the run's numbers
        for stop in reversed(groups):
            bare = text[zeros + 2:stop].strip("()").strip()
            digits = _NON_DIGITS.sub("", bare)
            if len(digits) <= 15 and (_code_without_plus(bare) or (_CODE_AND_PHONE.fullmatch(digits) and _phone_separators(bare))):
                if zeros > at and ")" not in text[at:stop] and text[stop:stop + 1] == ")":
                    stop += 1  # "(0044 20 7946 0958)": its closing parenthesis too, as its opening one
                if stop < end and not text[stop].isspace():
                    cut = cut or (at, stop)
                    continue  # "0044 20 1946 6456 06-27104484": "06" starts the next number, not this one's end
                return at, stop
        if cut is not None:
            return cut  # no shorter one ends between numbers ("0044 20 7946 0958-123": its extension)
    return None


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]`` without what is not a digit at its ends (a parenthesis kept at its
    start), or None when it holds no digit."""
    while start < end and not (text[start].isdigit() or (text[start] == "(" and start + 1 < end and text[start + 1].isdigit())):
        start += 1
    while end > start and not text[end - 1].isdigit():
        end -= 1
    return (start, end) if end > start else None


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
    try:
        return _phones_around(text, cards, cut, plans)
    finally:
        _forget_shapes()


def _phones_around(text: str, cards: list[tuple[int, int, str]], cut: list[tuple[int, int]], plans: Plans) -> list[tuple[int, int, str]]:
    """``_with_phones_around`` for the card edits ``cut`` (those with digits next to them)."""
    phones = _read_phones(text, plans, near=cards)  # a run that overlaps no card edit gives nothing below
    for start, end in cut:
        if not _DIGIT_AFTER.match(text, end):
            continue
        run_end = _run_end(text, start, _PHONE_RUN.match(text, start).end())
        # a reading from a group gives edits inside it and the run's end: once an edit reaches the
        # run's end from before a group, what is read from that group on is inside it (joined, it
        # changes nothing), so it is not read
        covered = min((a for a, b, _ in phones if b >= run_end), default=run_end)
        seen: dict = {}  # the parts after each group read once (a parenthesis, a 00, the run's end)
        for group in _RUN_OF_DIGITS.finditer(text, start + 1, end):
            if group.start() >= covered:
                break
            if not text[group.start() - 1].isdigit():
                # after a number of 11+ digits typed whole that starts the card edit (no network prints a
                # card so: an order or tracking number, "#5079384883304300 860 0526"), read as written alone
                # (when that finds no phone number across the card edit's end, as digits after others)
                alone = text[group.start() - 1] == " " and _LONG_WHOLE.fullmatch(text, start, group.start() - 1) is not None
                read = [edit for edit in _run_edits(text, group.start(), run_end, plans, True, seen)
                        if edit[0] < end < edit[1]] if alone else []
                for edit in read or _run_edits(text, group.start(), run_end, plans, False, seen):
                    if edit[0] < end < edit[1]:
                        phones.append(edit)
                        if edit[1] >= run_end:
                            covered = min(covered, edit[0])
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


_LONG_WHOLE = re.compile(r"\d{11,}")


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
