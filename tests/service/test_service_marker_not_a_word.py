"""What a customer reported next to a phone number, through the real service: stored as typed in a
search and in a comment (read back from the SQLite file), the phone number masked. 98ca74a read the
masker's own ``[phone]`` marker as the cue word "phone" in its next pass, so a date, an ISBN, a code
or an amount after a phone number was masked too (reader 46, R11); a list of phone numbers after a
real cue stays masked, however long. A word that says what a number is names that number, not a
later one: 98ca74a stored "order 12: 555-123-4567" readable (reader 46, R3). A number dialled
abroad ends where a number ends, not inside the next one ("0044 20 1946 6456 06-27104484": 98ca74a
left "27104484" readable). A trunk 0 and 7 digits in Lebanon's 2-3-3 after other numbers, and a
phone number written with dots after a cue word ("call 555.1234567", "ph:555.1234567.9"), are
masked (98ca74a stored them readable)."""

from __future__ import annotations

import pytest
from service_testkit import NO_LEARNING, SITE, Service, stored_as_query_and_comment

#: (typed, stored): what follows a phone number is no phone number because the marker is no word
AFTER_A_PHONE = [
    ("555-123-4567, 2024 12 31", "[phone], 2024 12 31"),
    ("555-123-4567 then ISBN 978 3 16 148410 0", "[phone] then ISBN 978 3 16 148410 0"),
    ("qty 251 266 1150 5989.26476.192 7823.39578.308 and", "qty [phone] 5989.26476.192 7823.39578.308 and"),
]
#: a list after a real cue: every number masked, also those more than 40 characters after the cue
LISTS = [
    ("call 555 1234, 2345 6789, 3456 7890", "call [phone], [phone], [phone]"),
    ("call 555 12 345, 666 23 456, 777 34 567, 888 45 678, 999 56 789",
     "call [phone], [phone], [phone], [phone], [phone]"),
    ("ring me on 555 12 345 or 666 23 456 or 777 34 567 or 888 45 678 or 999 56 789",
     "ring me on [phone] or [phone] or [phone] or [phone] or [phone]"),
]
#: a word that says what a number is, then another number written as phone numbers are
NAMED_BEFORE = [
    ("order 12: 555-123-4567", "order 12: [phone]"),
    ("ref 12; 555-123-4567", "ref 12; [phone]"),
    ("ticket 12, 0171 1234567", "ticket 12, [phone]"),
    ("Order 48213: 0171 1234567, please call", "Order 48213: [phone], please call"),
    ("my order 12345, 555-123-4567 is my number", "my order 12345, [phone] is my number"),
    ("order 12: 555 123 4567", "order 12: [phone]"),
    ("ticket 12, 555 123 4567 and 555 765 4321", "ticket 12, [phone] and [phone]"),
    ("version 2.1, 555 123 4567", "version 2.1, [phone]"),
    ("ticket # 45426; 08020873566", "ticket # 45426; [phone]"),
    # grouped unlike the number the word names (a list's numbers are written alike): verify 47, V2
    ("order 12: 5551234567", "order 12: [phone]"),
    ("order 12, 5551234567", "order 12, [phone]"),
]
#: the other readings
OTHERS = [
    ("charged offline (830 0044 20 1946 6456 06-27104484 thanks", "charged offline (830 [phone] [phone] thanks"),
    ("page 8597 of 11813, step 769 01 762 238", "page 8597 of 11813, step [phone]"),
    ("call 555.1234567", "call [phone]"),
    ("ph:555.1234567.9", "ph:[phone]"),
    ("call me 555-123-4567 isbn 978-3-16-148410-0", "call me [phone] isbn 978-3-16-148410-0"),
]
#: kept as typed: a list after a word that says what its numbers are (typed whole, in spaces, or
#: not in a phone's shape), a build's numbers, a version after a cue word, digits typed one by one
#: without a cue word (ratings, steps: the digits alone do not say a phone number)
KEPT = ["invoice 2024-001, 2024-002", "order 12345678, 23456789", "order 12, 1711234567", "invoice 2024 001, 2024 002",
        "order 1234567890, 2345678901", "order 1234567, 12345678", "build 1.2.3, 4567 8901", "order 12, 45.20 55.30", "call 10.0.19045",
        "5 5 5 1 2 3 4 5 6 7", "ratings 5 5 4 3 5 5 4 5 3 5", "pH 7.4 and 6.5",
        # the word the 40 characters before the code cut ("ring" of "pairing") is no phone word
        "battery subscription pairing 5891885 00415 (640 code 2464, then 7881.43359.795"]
#: digits typed one by one after a cue word: a phone number
ONE_BY_ONE = [("call me on 5 5 5 1 2 3 4 5 6 7", "call me on [phone]")]


@pytest.mark.slow  # a service process
def test_what_follows_a_phone_number_is_stored_as_typed_and_what_a_word_names_is_its_own(tmp_path, site_data):
    service = Service(["--site-data", str(site_data), "--allowed-origin", SITE, "--rate-limit", "0", *NO_LEARNING],
                      f"sqlite:///{tmp_path / 'feedback.db'}")
    pairs = AFTER_A_PHONE + LISTS + NAMED_BEFORE + OTHERS + ONE_BY_ONE
    try:
        queries, comments = stored_as_query_and_comment(service, [typed for typed, _ in pairs] + KEPT)
        stored = [masked for _, masked in pairs] + KEPT
        assert queries == stored
        assert comments == stored
    finally:
        service.stop()
