"""Issue 13 item 4 as properties of the masker the service runs at ingest (clean, then mask):
it is idempotent, and every listed format is caught wherever it sits in random text."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import masking_testkit as kit
from carebase.service import masking
from carebase.service.masking import MARKERS, mask_pii
from carebase.service.masking_region import NO_REGION
from carebase.service.validation import customer_text
from carebase.store.cleaning import clean_text

PROPERTY = settings(max_examples=250, deadline=None)
# (how a customer typed it, what must not survive of it)
LISTED = [
    ("4111.1111.1111.1111", "4111111111111111"), ("4111  1111  1111  1111", "4111111111111111"),
    ("4111/1111/1111/1111", "4111111111111111"), ("4111_1111_1111_1111", "4111111111111111"),
    ("4111-1111-1111-1111", "4111111111111111"), ("4111\u00a01111\u00a01111\u00a01111", "4111111111111111"),
    ("card4111111111111111", "4111111111111111"), ("\uff14\uff11\uff11\uff11 1111 1111 1111", "4111111111111111"),
    ("5500 0000 0000 0004", "5500000000000004"), ("3782 822463 10005", "378282246310005"),
    ("jöhn@exämple.com", "exämple"), ("john\uff20example.com", "example"), ("John.Doe+tag@Mail.Example.co.uk", "Doe"),
    ("john @ example.com", "example"), ("john at example dot com", "example"), ("john(at)example(dot)com", "example"),
    ("john [at] example [dot] com", "example"), ("j.doe AT example DOT org", "example"),
    ("+44 20 7946 0958", "7946"), ("(555) 123-4567", "4567"), ("555.123.4567", "4567"), ("0049 30 1234567", "1234567"),
    ("01.23.45.67.89", "67"), ("+1-202-555-0173", "0173"),
    ("DE89 3704 0044 0532 0130 00", "3704"), ("GB82WEST12345698765432", "WEST"), ("fr76 3000 6000 0112 3456 7890 189", "3000"),
]
noise = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
# text around the sample, ending (starting) with a word or a sign, not another number: a phone
# number glued to more digits reads as an order number (16-19 digits failing Luhn stay)
before_noise = noise.filter(lambda s: not re.search(r"[\d ()./_+\-]\s*$", s))
after_noise = noise.filter(lambda s: not re.match(r"\s*[\d ()./_\-]", s))
gap = st.sampled_from([" ", "  ", "\n", ": ", ", ", " (", ") ", "\t", " — "])


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@pytest.mark.slow
@PROPERTY
@given(text=st.text(max_size=120) | st.builds(lambda a, s, b: a + s + b, noise,
                                               st.sampled_from([x for x, _ in LISTED]), noise))
@example(text="4111 1111 1111 1111 4111 1111 1111 1111")
@example(text="a@b.c@d.com at e dot com [email]@x.org")
@example(text="0@0.A\u00c0\U000e0000")  # a tag character kept between two letters, then beside "[email]" (drawn in session 49)
def test_masking_is_idempotent(text):
    once = customer_text(text)
    assert customer_text(once) == once
    assert mask_pii(mask_pii(text)) == mask_pii(text)


@pytest.mark.slow
@PROPERTY
@given(before=before_noise, sample=st.sampled_from(LISTED), after=after_noise, left=gap, right=gap)
@example(before="V", sample=("(555) 123-4567", "4567"), after="", left=" ", right=" ")  # readable on a6a0ce9
@example(before="V", sample=("555.123.4567", "4567"), after="", left=" ", right=" ")  # readable on a6a0ce9
# an escape sequence left open (ESC ]) removed the rest of the text at ingest, the number with it (no
# marker left): drawn by a run of session 43; clean_text now removes ESC ] alone
@example(before="\x1b]", sample=("+44 20 7946 0958", "7946"), after="", left=" ", right=" ")
# a bracket closed after the number, then a count: stored as typed on 31da265 and 76bcd93 (drawn on
# ca06a58's snapshot by session 45's `verify`; other code states drew other texts)
@example(before="", sample=("555.123.4567", "4567"), after="\u00bc", left=" ", right=") ")
def test_every_listed_format_is_caught_in_random_text(before, sample, after, left, right):
    typed, secret = sample
    # Random text, not text that says the number is something else: after "error", "order",
    # "build", "sn", … (the masker's _WHAT_WORDS) a number is kept by design (REFERENCE: "unless
    # the nearest of those words says the number is something else"). The official CI of
    # 4679f3e drew before="ERROR" and failed on that documented rule, the same on 2d81b97.
    cleaned = clean_text(before + left) or ""
    assume(masking._said(cleaned, len(cleaned)) is not False)
    masked = customer_text(before + left + typed + right + after) or ""
    assert any(marker in masked for marker in MARKERS), masked
    noise_digits = _digits(customer_text(before) or "") + _digits(customer_text(after) or "")
    if secret.isdigit():
        assert secret not in _digits(masked) or secret in noise_digits, masked
    elif secret.lower() not in (before + after).lower():
        assert secret.lower() not in masked.lower(), masked


def test_common_help_centre_text_is_left_alone():
    for text in ["error E-1234 after update 10.0.19045", "on 2024-01-31 at 10:30", "reset code 123456",
                 "look at the dot com bubble", "paid 49.99 for 2 thermostats", "model T1000 v2.3.1",
                 "order #12345", "iPhone 15 Pro", "it costs 1,299 euros"]:
        assert mask_pii(customer_text(text)) == customer_text(text), text
    assert not re.search(r"\[(email|card|phone|iban|number)\]", mask_pii("Thermostat shows E42 since 3 days"))


def test_the_listed_formats_are_caught_one_by_one():
    for typed, secret in LISTED:
        masked = customer_text(f"my details: {typed}, thanks") or ""
        assert any(marker in masked for marker in MARKERS) and secret.lower() not in masked.lower(), (typed, masked)
        assert customer_text(masked) == masked


def _with_check_digits(country: str, body: str) -> str:
    """``country`` + the two ISO 13616 check digits that make ``body`` pass mod 97 + ``body``."""
    number = int("".join(str(int(c, 36)) for c in body + country + "00"))
    return f"{country}{98 - number % 97:02d}{body}"


def test_ids_that_pass_mod_97_are_no_iban_unless_a_country_has_that_length():
    """Random ids pass the check digits one time in 97 (and a run tried at every length far
    more often): the service's own hex event ids were masked as [iban] now and then."""
    not_a_country = _with_check_digits("CF", "3d20a1b9e4c7f0a2b8")  # 22 long, like a German IBAN
    wrong_length = _with_check_digits("DE", "3704004405320130001")  # 23 long; Germany's are 22
    for text in (f"ev-{not_a_country.lower()}", f"ref {wrong_length}"):
        assert mask_pii(text) == text, text
    german = _with_check_digits("DE", "370400440532013000")
    assert german == "DE89370400440532013000" and mask_pii(f"iban {german}") == "iban [iban]"


@pytest.mark.parametrize("text, masked", [
    ("2 0049 30 1234567", "2 [phone]"),
    ("#1820 0065 9395 5647 thanks", "#1820 [phone] thanks"),  # a ticket, then a number: no reference
    ("order 9400 0045 7575 3737", "order 9400 0045 7575 3737"),  # 16 digits in fours: a reference, kept
    ("order 9400 0045 7575 3737 0752", "order 9400 0045 7575 3737 0752"),
    ("order 12345678 (0044) 20 7946 0958", "order 12345678 [phone]"),  # the parentheses with it
    ("order 12345678 (0044 20 7946 0958)", "order 12345678 [phone]"),  # both of them ("[phone])" before)
    ("room 5 (0049 30 1234567) thanks", "room 5 [phone] thanks"),
    ("2 0049 30 1234567) thanks", "2 [phone]) thanks"),  # a parenthesis it did not open stays
    ("rooms 9325 0012 261", "rooms 9325 0012 261"),  # 00 and no country code and number: a list
    ("tracking 250-0020859-7774396", "tracking 250-0020859-7774396"),  # joined by -: an order 3-7-7
    ("1\u20444 (555.123.4567", "1\u20444 ([phone]"),  # a lone number, then "(" and the number (Hypothesis: "¼ (")
    ("qty 4 (555.123.4567 thanks", "qty 4 ([phone] thanks"),
    ("rooms 12 (09.09.2020)", "rooms 12 (09.09.2020)"),  # a date in parentheses stays
])
def test_a_number_dialled_with_00_or_in_parentheses_after_another_number(text, masked):
    assert mask_pii(text, NO_REGION) == masked


@pytest.mark.parametrize(("text", "masked"), [
    ("555.123.4567) 1 more", "[phone]) 1 more"),  # the number, the bracket the sentence closes, a count
    ("555.123.4567) 12 times", "[phone]) 12 times"),
    ("my number (555.123.4567) 1 more", "my number [phone] more"),  # a lead-in: read whole, as before
    ("(555.123.4567) 1", "([phone]) 1"),
    ("version 1.2.3) 4", "version 1.2.3) 4"),  # no phone number before the bracket: kept
    ("see (1.2) 3", "see (1.2) 3"),
])
def test_a_phone_number_then_a_closing_bracket_and_a_count_is_masked(text, masked):
    # what the service stores (clean, then mask); each phone case was stored as typed before
    assert customer_text(text) == masked


@pytest.mark.parametrize("lead", sorted(kit.LEAD_INS))
@pytest.mark.parametrize("prefix", ["00", "+"])
def test_an_international_number_after_any_lead_in_is_masked(lead, prefix):
    """``masking_testkit.LEAD_INS`` (benchmarks/masking_edges.py --lead-ins): the number's last 7
    digits unreadable, also where a card number spans the lead-in and the number's first groups
    (``test_a_phone_number_a_card_span_cuts_is_masked_whole``)."""
    for text, number in kit.lead_in_texts(f"test-lead-in-{lead}-{prefix}", 40, lead, prefix):
        out = mask_pii(clean_text(text), NO_REGION)
        assert re.sub(r"\D", "", number)[-7:] not in re.sub(r"\D", "", out), (text, out)


@pytest.mark.parametrize("text, masked", [
    ("order 420946178 0044 7226 362742", "order [card] [phone]"),  # 13 digits: Visa's start, Luhn right
    ("#220259 0044 20 6821 2434", "#[card] [phone]"),
    ("my 6396222 0046 70-641 46 23 please", "my [card] [phone] please"),
    ("986049328 169 4213 6959 thanks", "[card] [phone] thanks"),  # a national number
    ("card 9860 4643 5701 6177 44 20 9008 6917", "card [card]"),  # a card, its last group and the number's first: a card too
    ("card 4111 1111 1111 1111 0044 20 7946 0958", "card [card] [phone]"),
    ("order 42094617 0044 7226 362742", "order 42094617 [phone]"),  # no card: the order number stays
])
def test_a_phone_number_a_card_span_cuts_is_masked_whole(text, masked):
    """A number and a phone number's first groups whose digits read as a card number together:
    the card span is masked, and the rest of the phone number too (it stayed readable: ``order
    [card] 7226 362742``); a card number a second card span overlaps is masked whole."""
    assert mask_pii(text, NO_REGION) == masked


@pytest.mark.parametrize("text, masked", [
    ("app boiler 00317 2229 47155 775 3989 2229", "app boiler [phone] [card]"),
    ("wifi refund 0074 41754580 0165 2026429 (253 (25) 3179-2806", "wifi refund [phone] [card] [phone]"),
])
def test_a_phone_number_before_a_card_edit_is_read_from_the_whole_run(text, masked):
    """The phone pass before a card edit reads the whole run the edit overlaps (R8 restricts it to
    those runs, 6f56231), not only the groups inside the edit: a dialled number that ends where the
    card span starts is masked too. With that pass reading no run, every other masking test passed
    while these kept ``00317`` / ``0074`` in clear (54 of 60,000 texts; RESULTS "Issue 12's
    acceptance re-measured on session 44's main (verify)")."""
    assert mask_pii(text, NO_REGION) == masked


@pytest.mark.parametrize(("text", "masked"), [
    ("my card 4242 4242 4242 4242 5140-9f2c thanks", "my card [card] 5140-9f2c thanks"),
    ("my card 5555 5555 5555 4444 2651-9f2c thanks", "my card [card] 2651-9f2c thanks"),
    ("ref 4087 3452 8746 5014 261abc1 thanks", "ref [card] 261abc1 thanks"),
    ("my card 6041 3675 4603 1872 51 77-9f2c thanks", "my card [card] 77-9f2c thanks"),  # Maestro, 18 digits
    ("ab9860 4643 5701 6177 44 20 9008 6917cd", "ab[card]cd"),  # two cards, an id's letters only around both
])
def test_a_card_next_to_an_id_is_masked(text, masked):
    """Reader 43, R0: a card span that reaches a digit group glued to an id ("5140-9f2c") is no
    card, but the card before it is: joined to it, the whole was read as part of the id and the
    real card was stored readable (main 19d8b91 masked it). Each card span is judged alone."""
    assert mask_pii(text, NO_REGION) == masked
    assert customer_text(text) == masked  # the stored path


@pytest.mark.parametrize("kind", kit.JOINED_KINDS)
@pytest.mark.parametrize("lead", sorted(kit.JOINED_LEADS))
def test_no_digit_of_a_phone_number_after_a_card_shaped_number_is_left(lead, kind):
    """``masking_testkit.card_joined_texts`` (benchmarks/masking_edges.py --card-joined), 40 each:
    a number whose digits and the phone number's first groups read as a card number, or a real
    card number, then a phone number dialled with 00, with +, national or with its country code
    but no +: no digit of the phone number (nor of the real card) left (00, +, a real card); for
    national numbers and country codes without +, the subscriber's last group is masked wherever the
    phone pass reads the number after another ("99999 …", after "order" too: the word says what the
    run's first number is, not the phone number's; a Russian trunk 8 or a country code before a
    parenthesis stays beside ``[phone]``: 1-2 digits)."""
    for text, digits, number in kit.card_joined_texts(f"test-card-joined-{lead}-{kind}", 40, lead, kind):
        out = mask_pii(clean_text(text), NO_REGION)
        left = re.sub(r"\D", "", out)
        if lead == "a card number" or kind in ("00", "+"):
            assert left == "" or (lead != "a card number" and left == digits), (text, out)
        elif "[card]" in out:
            tail = re.findall(r"\d+", number)[-1]
            if tail in re.sub(r"\D", " ", mask_pii(clean_text(f"99999 {number}"), NO_REGION)).split():
                continue  # not read after another number either (no card starts 99): "99999 6525 0023" is a list
            assert tail not in re.sub(r"\D", " ", out).split(), (text, out)  # the subscriber's last group


@pytest.mark.parametrize("unit", ["(1 ", "(12 34 ", "2 (555 12", "1 1) ", "12 34) ",  # these two: brackets closed (854f7bc read each part again)
                                  "#5079384883304300 860 0526 x "])  # a card's rest read as written alone (session 49)
def test_a_run_of_many_parentheses_is_read_in_linear_time(monkeypatch, unit):
    """A comment of 2,000 characters of "(1 (1 (1 …" (a0c5ae8: every parenthesis read the run to
    its end, ~100 ms a comment): the characters the phone reading looks at grow with the text,
    not with its square. Counted, not timed."""
    from carebase.service import masking_phones

    seen = [0]
    read = masking_phones._run_edit

    def counted(text, start, end, plans, *rest):
        seen[0] += end - start
        return read(text, start, end, plans, *rest)

    monkeypatch.setattr(masking_phones, "_run_edit", counted)
    for n in (100, 400):
        seen[0] = 0
        text = "1 " + unit * n
        mask_pii(text, NO_REGION)
        assert 0 < seen[0] <= 12 * len(text), (n, seen[0], len(text))  # read (the spy is in place), linearly


def _long_runs(unit: str, n: int) -> str:
    """About ``n`` characters of runs of 16+ digits that no phone number starts (each ``unit`` 8
    times after a code), or, for a unit of parentheses, one run of 40 of them that grow with ``n``
    (a run of more than ``MAX_GROUPS`` digit groups is masked whole, unread)."""
    if unit.startswith("(("):
        return "code 9930.69687.990 " + ("(" * (n // 45) + "12 ") * 40
    block = "code 9930.69687.990 " + unit * 8 + "x "
    return (block * (n // len(block) + 1))[:n]


@pytest.mark.parametrize("unit", ["555 123 4567 ", "12 34 ", "1.2 34 56 ", "12-34 5 ", "(1) 23 ", "020 8300 1692 77 ", "((12 "])
def test_the_numbers_of_a_long_run_are_read_in_linear_time(monkeypatch, unit):
    """``_numbers_inside`` (a phone number among other numbers in a run of 16+ digits, or after a
    word that says what the run's first number is) reads from each number of a run at most
    ``NUMBERS_READ`` numbers: the characters its phone-shape readings look at grow with the text,
    not with its square (2,000 characters against 500), however many numbers or characters a run
    holds. Counted, not timed."""
    from carebase.service import masking_phones

    seen, inside = [0], [0]
    shaped, numbers = masking_phones._phone_shaped, masking_phones._numbers_inside

    def counted(number, whole=True):
        seen[0] += len(number)
        return shaped(number, whole)

    def reading(*args, **kwargs):
        inside[0] += 1
        return numbers(*args, **kwargs)

    monkeypatch.setattr(masking_phones, "_phone_shaped", counted)
    monkeypatch.setattr(masking_phones, "_numbers_inside", reading)
    read = {}
    for n in (2000, 500):
        seen[0] = inside[0] = 0
        text = _long_runs(unit, n)
        mask_pii(text, NO_REGION)
        assert inside[0] > 0 and seen[0] > 0, unit  # the reading ran (the spies are in place)
        read[n] = seen[0]
        assert seen[0] <= 60 * len(text), (n, seen[0], len(text))
    assert read[2000] <= 5 * read[500], read  # 4x the text: about 4x the characters read, not 16x


@pytest.mark.parametrize("shape", ["call {} thanks", "[phone], {}", "call 1, 2, {}", "ring me on {} or 5",
                                   "12 (345) {}", "1 (22 33 {}"])  # the last two: one run of numbers and parentheses
def test_a_long_list_after_a_phone_word_is_read_in_linear_time(monkeypatch, shape):
    """A number of a list whose first number follows a phone word is one however far from the word
    (``masking_phones._list_start``): the text's lists are found once per reading, not from each
    number back to the list's start. The characters the list reading looks at and the readings of
    the words before a number grow with the text, not with its square (2,000 characters against
    500). Counted, not timed."""
    from carebase.service import masking_phones

    class Counted:  # the list pattern, its characters read counted
        def __init__(self, pattern):
            self.pattern = pattern

        def finditer(self, text, *args):
            looked[0] += len(text)
            return self.pattern.finditer(text, *args)

    looked, readings = [0], [0]
    reading = masking_phones._reading

    def counted(*args, **kwargs):
        readings[0] += 1
        return reading(*args, **kwargs)

    monkeypatch.setattr(masking_phones, "_ITEM", Counted(masking_phones._ITEM))
    monkeypatch.setattr(masking_phones, "_reading", counted)
    for n in (2000, 500):
        looked[0] = readings[0] = 0
        items = ", ".join(f"{100 + i % 900} 12 345" for i in range(n // 12))
        text = shape.format(items)[:n]
        out = mask_pii(text, NO_REGION)
        assert readings[0] > 0 and looked[0] > 0, shape  # the readings ran (the spies are in place)
        if shape.startswith(("call {}", "ring")):
            assert "12 345" not in out[:-20], out[:200]  # every number of the list masked (the last may be cut)
        # the text read for lists at most twice a pass (the card pass and the phone pass), at most 8
        # passes; from each number back to its list's start it would be about (n / 12)² / 2 numbers
        assert looked[0] <= 16 * len(text), (n, looked[0], len(text))
        assert readings[0] <= 32 * (n // 12), (n, readings[0])  # a few readings a number a pass


def test_no_customer_number_is_kept_in_the_process_after_masking():
    """Reader 44, P1: the phone reading kept the windows of the unmasked text it had read in a
    process-wide cache (up to 4,096 of them: whole phone numbers, parts of card numbers), after the
    request and across customers, where deleting the store's events cannot reach them. Whatever the
    masker remembers lives for one text: once ``mask_pii`` returns, nothing the service's modules
    reach (their functions, caches, constants, followed reference by reference) nor the thread's
    context (its context variables' values: the masker's memo of phone shapes is one) holds a part
    of the customer's number."""
    import contextvars
    import gc
    import random
    import sys
    import types

    def held(needle: str) -> list[str]:
        found, seen = [], set()
        stack = [module for name, module in list(sys.modules.items()) if name.split(".")[0] == "carebase"]
        stack += list(contextvars.copy_context().values())
        while stack:
            obj = stack.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if isinstance(obj, str):
                if needle in obj:
                    found.append(obj)
            elif not isinstance(obj, types.ModuleType) or obj.__name__.split(".")[0] == "carebase":
                stack.extend(gc.get_referents(obj))  # tracked or not (a tuple of strings is untracked)
        return found

    # digits made here, as the number's two groups write them, that nothing reached holds before
    draw = random.Random()
    while held(needle := f"{draw.randrange(100, 1000)} {draw.randrange(100, 1000)}"):
        pass
    text = f"card 4111 1111 1111 1111 20 7{needle}8 please call back"
    assert mask_pii(text, NO_REGION) == "card [card] [phone] please call back"
    assert held(needle) == []


@pytest.mark.parametrize("kind", list(kit.IDS_AFTER_CARD))
def test_a_real_card_then_an_id_in_one_run_is_masked(kind):
    """Reader 43's R0 as a family: a real card number printed as its network prints it, then an
    order number, a ticket, a reference or an id glued to hex letters in the same run of digits.
    The card is never left readable (19d8b91 left 5 of 800 cards before an id glued to hex
    letters readable, 2 of this test's 800: benchmarks/masking_edges.py --card-then-id); the id may be
    masked with it (what share is kept: the same benchmark)."""
    for text, digits, ident in kit.card_then_id_texts(f"test-card-then-id-{kind}", 800, kind):
        out = mask_pii(clean_text(text), NO_REGION)
        assert digits[-8:] not in re.sub(r"\D", "", out.replace(ident, " ")), (text, out)
