"""A phone number after an order or ticket number whose digits and the phone number's first group
read as a card number, through the real service (stored in a search and a comment, read back from
the SQLite file). bb272890 masked the "card" and left the phone number's last group readable
(``#5079384883304300 860 0526`` → ``#[card] 0526``): the rest of the run was read as digits after
others, and 7-8 digits in groups are a phone number only written alone. After a number of 11 or
more digits typed whole (no card network prints a card so: an order or tracking number) it is read
as written alone; what follows a card number printed in groups stays as typed."""

from __future__ import annotations

import pytest
from service_testkit import NO_LEARNING, SITE, Service, stored_as_query_and_comment

#: (typed, stored): masking_leaks.py's card-joined family, development texts
TAILS = [
    ("refund #5079384883304300 860 0526 thanks", "refund #[card] [phone] thanks"),
    ("#501987034276 2840 7012 thanks", "#[card] [phone] thanks"),
    ("378743332681 427 0750 thanks", "[card] [phone] thanks"),
]
#: after a card printed in fours, or typed whole and followed by years: as typed after the card
KEPT_AFTER_A_CARD = [("card 4111 1111 1111 1111 2 3", "card [card] 2 3"),
                     ("4111111111111111 2024 2025", "[card] 2024 2025")]


@pytest.mark.slow  # a service process
def test_a_phone_number_whose_first_group_a_card_reading_took_is_stored_masked(tmp_path, site_data):
    service = Service(["--site-data", str(site_data), "--allowed-origin", SITE, "--rate-limit", "0", *NO_LEARNING],
                      f"sqlite:///{tmp_path / 'feedback.db'}")
    pairs = TAILS + KEPT_AFTER_A_CARD
    try:
        queries, comments = stored_as_query_and_comment(service, [typed for typed, _ in pairs])
        assert queries == [stored for _, stored in pairs]
        assert comments == [stored for _, stored in pairs]
    finally:
        service.stop()
