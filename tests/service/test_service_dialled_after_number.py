"""A number dialled abroad with ``00`` right after another number ("2 0049 30 1234567": a
quantity, an order number, a ticket, an amount) through the real service: stored masked in a
search and in a comment (read back from the SQLite file). 4cd1955 stored all of these in clear:
the run of digits started with the lone number, so it was not read as dialled abroad. A card span
over a number and the phone number's first groups leaves none of it readable (19d8b91 stored the
phone number's tail in clear). A national number with its trunk 0 after another number is masked
(da86596 stored it in clear). A real card then a reference holding a card-shaped run of its own
leaves no card digit readable (31da265 stored 10-12 of them)."""

from __future__ import annotations

import pytest
from service_testkit import NO_LEARNING, SITE, Service, stored_as_query_and_comment

TYPED = ["2 0049 30 1234567", "order 12345678 0049 30 1234567", "qty 12 0044 20 7946 0958",
         "#4821 0033 1 28 12 31 44", "19.99 0041 79 123 45 67 thanks", "room 12 301 00491711234567"]
MASKED = ["2 [phone]", "order 12345678 [phone]", "qty 12 [phone]", "#4821 [phone]", "19.99 [phone] thanks",
          "room 12 301 [phone]"]
#: a list of numbers one of whose groups starts with 00 but is no country code and number: kept
KEPT = ["rooms 9325 0012 261", "2 0049", "order 12345678 00123"]
#: a number and the phone number's first groups whose digits read as a card number together: main
#: at 19d8b91 stored the rest of the phone number in clear ("order [card] 7226 362742")
CARD_CUT = ["order 420946178 0044 7226 362742", "986049328 169 4213 6959 thanks", "card 9860 4643 5701 6177 44 20 9008 6917"]
CARD_CUT_MASKED = ["order [card] [phone]", "[card] [phone] thanks", "card [card]"]
#: a national number with its trunk 0 after another number (da86596 stored the phone numbers in
#: clear: 21 digits that are no reference and start with no phone number; a word that says what the
#: first number is); one group alone after a number stays (an order or reference number)
TRUNK = ["2 42094617 07911 123456", "ref 123 06.12.34.56.78 thanks", "#50823907 02.67.36.95.03"]
TRUNK_MASKED = ["2 42094617 [phone]", "ref 123 [phone] thanks", "#50823907 [phone]"]
TRUNK_KEPT = ["order 12 0123456789", "rooms 9325 0812 261"]
#: a real card printed as its network prints it, then a reference joined by "-" or "/" in the same
#: run whose digits hold a card-shaped run of their own apart from the card: 31da265 masked only the
#: widest card-shaped run and what overlapped it, and stored the real card's first 10-12 digits
#: ("card 3095 8462 1187 8494 [card] thanks", "visa 1800 646200 [phone]/[card] thanks")
CARD_THEN_REFERENCE = ["card 3095 8462 1187 8494 630 6-55-329-0703-723-156-46 thanks",
                       "visa 3539 8057 2192 3619 47/4046/69280/74/0480/48 thanks",
                       "visa 1800 646200 02475 12/486/452/64/5985/3412 thanks"]
CARD_THEN_REFERENCE_MASKED = ["card [card] thanks", "visa [card] thanks", "visa [card] [phone]/[card] thanks"]


@pytest.mark.slow  # a service process
def test_a_number_dialled_with_00_after_another_is_stored_masked(tmp_path, site_data):
    service = Service(["--site-data", str(site_data), "--allowed-origin", SITE, "--rate-limit", "0", *NO_LEARNING],
                      f"sqlite:///{tmp_path / 'feedback.db'}")
    try:
        queries, comments = stored_as_query_and_comment(service, TYPED + KEPT + CARD_CUT + TRUNK + TRUNK_KEPT + CARD_THEN_REFERENCE)
        masked = MASKED + KEPT + CARD_CUT_MASKED + TRUNK_MASKED + TRUNK_KEPT + CARD_THEN_REFERENCE_MASKED
        assert queries == masked
        assert comments == masked
    finally:
        service.stop()
