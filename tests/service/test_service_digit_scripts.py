"""Digits of other scripts through the real service: a card, a phone number or an IBAN typed in
Arabic-Indic (U+0660-0669), Extended Arabic-Indic (U+06F0-06F9), Devanagari (U+0966-096F), Bengali
or Thai digits is stored masked, as in ASCII digits (read back from the SQLite file); the text
around the marker keeps its digits as typed. Session 40 stored such a card in clear (its IIN
ranges were compared with ASCII strings) while a phone number in the same digits was masked."""

from __future__ import annotations

import pytest
from service_testkit import stored_as_query_and_comment

from carebase.service.masking import mask_payment, mask_pii
from carebase.service.masking_region import plans

SCRIPTS = {
    "Arabic-Indic": "٠١٢٣٤٥٦٧٨٩",
    "Extended Arabic-Indic": "۰۱۲۳۴۵۶۷۸۹",
    "Devanagari": "०१२३४५६७८९",
    "Bengali": "০১২৩৪৫৬৭৮৯",
    "Thai": "๐๑๒๓๔๕๖๗๘๙",
}
#: typed in ASCII digits, then in each script; masked, in each script
TYPED = [
    ("card 4111 1111 1111 1111 for order 123", "card [card] for order 123"),
    ("my card 5500005555555559 was charged 2 times", "my card [card] was charged 2 times"),
    ("refund to DE89 3704 0044 0532 0130 00 please, 30 days", "refund to [iban] please, 30 days"),
    ("call me on 020 7946 0958 after 5", "call me on [phone] after 5"),
    ("my number is +44 7911 123456", "my number is [phone]"),
]


def _in(script: str, text: str) -> str:
    return text.translate(str.maketrans("0123456789", SCRIPTS[script]))


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_card_phone_or_iban_in_another_scripts_digits_is_stored_masked(service, script):
    queries, comments = stored_as_query_and_comment(service, [_in(script, text) for text, _ in TYPED])
    expected = [_in(script, masked) for _, masked in TYPED]
    assert queries == expected
    assert comments == expected


@pytest.mark.parametrize("script", SCRIPTS)
def test_contact_messages_mask_cards_and_ibans_in_any_digits_and_national_numbers_follow_the_region(script):
    """``mask_payment`` (contact messages, tickets) and the region's national numbers read the
    same digits; digits that mix scripts in one number are masked too."""
    card = _in(script, "card 4111 1111 1111 1111, call 020 7946 0958")
    assert mask_payment(card) == _in(script, "card [card], call 020 7946 0958")
    assert mask_payment(_in(script, "iban GB82WEST12345698765432")) == "iban [iban]"
    hong_kong = plans(("HK",))
    assert mask_pii(_in(script, "rooms 9123 4567 261"), hong_kong) == "rooms [phone]"
    assert mask_pii(_in(script, "rooms 9123 4567 261")) == _in(script, "rooms 9123 4567 261")
    mixed = "card 4111 " + _in(script, "1111") + " 1111 " + _in(script, "1111") + " ok"
    assert mask_pii(mixed) == "card [card] ok"
    once = mask_pii(_in(script, "card 4111111111111111 and 12 more"))
    assert once == _in(script, "card [card] and 12 more") and mask_pii(once) == once
