"""A phone number among other numbers in one run of digits, through the real service: stored masked
in a search and in a comment (read back from the SQLite file). d8d132f stored each of these
readable: a run of more than 15 digits was read whole only (a ``[number]`` when a phone number
started and ended it), and a run after a word that says what its first number is ("order",
"ticket") was not read past that number: the prose's last numbers (a code, a list, an amount) and
the customer's phone number made one run. The numbers the masker's rules keep stay as typed."""

from __future__ import annotations

import pytest
from service_testkit import NO_LEARNING, SITE, Service, stored_as_query_and_comment

#: (typed, stored): a phone number written with its own separators, an area code in parentheses, a
#: national number written whole, or in spaces after a number written with its own separators
AMONG = [
    ("code 3176, then 9930.69687.990 555-275-2819", "code 3176, then 9930.69687.990 [phone]"),
    ("code 7463, then 7328.78522.733 01519651436", "code 7463, then 7328.78522.733 [phone]"),
    ("6123 010-2576-7832 7 (365", "6123 [phone] 7 (365"),
    ("rooms 4521 123 45 555 123 4567 61", "rooms 4521 123 45 [phone] 61"),
    ("qty 12 4567 (555) 123-4567 123 456", "qty 12 4567 [phone] 123 456"),
    ("then 6144.33006.231 532 0305 please", "then 6144.33006.231 [phone] please"),
    ("order 12 555-123-4567", "order 12 [phone]"),
    ("order 341317403 933.464.5456 thanks", "order 341317403 [phone] thanks"),
    ("ticket #1234 555-123-4567", "ticket #1234 [phone]"),
]
#: what the rules keep, in the same shapes: a list of numbers (also one of 16+ digits whose last
#: numbers are grouped as Mexico's 2-4-4), a build after a version, an order number joined by "-",
#: a tracking number in fours, an order number then one group of a national number's length, a
#: build's numbers after its version, amounts, dates and times
KEPT = ["rooms 9325 8271 261", "1214 98946 38 4448 1214", "3.26.283 (7014525)", "026-5067291-7828652",
        "9400 1000 0000 0000 0212 34", "order 12 0123456789", "build 1.2.3 4567 8901", "54386.02 3808.02 1234.56",
        "2024-01-31 10:30 2024-02-01 11:45", "order 12 345 678 901 23"]


@pytest.mark.slow  # a service process
def test_a_phone_number_among_other_numbers_is_stored_masked(tmp_path, site_data):
    service = Service(["--site-data", str(site_data), "--allowed-origin", SITE, "--rate-limit", "0", *NO_LEARNING],
                      f"sqlite:///{tmp_path / 'feedback.db'}")
    try:
        queries, comments = stored_as_query_and_comment(service, [typed for typed, _ in AMONG] + KEPT)
        stored = [masked for _, masked in AMONG] + KEPT
        assert queries == stored
        assert comments == stored
    finally:
        service.stop()
