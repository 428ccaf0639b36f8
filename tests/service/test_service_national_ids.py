"""National id numbers a customer types, through the real service: masked as ``[id]`` in a search and
in a comment (read back from the SQLite file) and in a contact message under the default
``--contact-mask payment`` (nobody needs an SSN to answer a ticket). 4a859847 had no such rule:
``my ssn is 536-22-1846``, ``JG103795A``, ``Steuer-ID 24 999 310 570`` were stored as typed
(``ssn 536221846`` only as ``[phone]``, and not at all in a contact message). A number a word says
is something else, and a code that is no id, stay as typed."""

from __future__ import annotations

import json
import random

import pytest
import stdnum.de.idnr
import stdnum.us.itin
import stdnum.us.ssn
from service_testkit import NO_LEARNING, SITE, Service, stored_as_query_and_comment
from sqlalchemy import select

from carebase.service.masking_ids import de_idnr, us_ssn
from carebase.store.engine import open_engine
from carebase.store.schema import contacts

#: (typed, stored): a US SSN or ITIN, a UK National Insurance number, a German Steuer-ID or Steuernummer
MASKED = [
    ("my ssn is 536-22-1846", "my ssn is [id]"),
    ("536-22-1846 was rejected", "[id] was rejected"),
    ("order 12: 536-22-1846", "order 12: [id]"),  # "order" names 12, not the SSN
    ("SSN 536 22 1846", "SSN [id]"),
    ("social security number 536221846", "social security number [id]"),
    ("ITIN 912-78-1234 for my return", "ITIN [id] for my return"),
    ("NI number JG 10 37 95 A", "NI number [id]"),
    ("my nino is jg103795a", "my nino is [id]"),
    ("JG103795A on my payslip", "[id] on my payslip"),
    ("payslip says jg103795a", "payslip says [id]"),
    ("Steuer-ID 24 999 310 570", "Steuer-ID [id]"),
    ("meine IdNr 24999310570", "meine IdNr [id]"),
    ("24 999 310 570 steht auf dem Brief", "[id] steht auf dem Brief"),
    ("Steuernummer 181/815/08155 falsch", "Steuernummer [id] falsch"),
]
#: kept as typed: after a word that says what the number is, a code in lower case all of hex
#: letters and digits (a short commit hash), an SSN's shape with an area no SSN has
KEPT = ["order 536-22-1846", "part no. 536-22-1846", "error 404-22-1846", "model JG103795A", "commit ab123456c",
        "666-22-1846 error",
        "version 2.1.0-beta"]


def contact_message(service: Service, text: str) -> str:
    body = {"name": "Ada", "email": "ada@example.com", "message": text, "id": "contact-ids-0001"}
    answer = service.client.post("/api/v1/contact", content=json.dumps(body),
                                 headers={"Content-Type": "text/plain", "Origin": SITE})
    assert answer.status_code == 201, answer.text
    engine = open_engine(service.db_url)
    with engine.connect() as connection:
        row = connection.execute(select(contacts.c.message).where(contacts.c.ticket == answer.json()["ticket"])).one()
    engine.dispose()
    return row.message


@pytest.mark.slow  # a service process
def test_national_id_numbers_are_stored_masked_in_searches_comments_and_contact_messages(tmp_path, site_data):
    service = Service(["--site-data", str(site_data), "--allowed-origin", SITE, "--rate-limit", "0", *NO_LEARNING],
                      f"sqlite:///{tmp_path / 'feedback.db'}")
    try:
        queries, comments = stored_as_query_and_comment(service, [typed for typed, _ in MASKED] + KEPT)
        stored = [masked for _, masked in MASKED] + KEPT
        assert queries == stored
        assert comments == stored
        # the contact message keeps the phone number and address to reach the customer at, not the id
        message = contact_message(service, " | ".join([typed for typed, _ in MASKED] + KEPT + ["call +44 20 7946 0958"]))
        assert message.split(" | ") == stored + ["call +44 20 7946 0958"]
    finally:
        service.stop()


def test_the_id_checks_agree_with_python_stdnum():
    """The masker's own checks (no runtime dependency) against python-stdnum's, on 20,000 random
    numbers each and on the valid ones among them made to order."""
    rng = random.Random(48)
    for _ in range(20_000):
        digits = f"{rng.randrange(10 ** 9):09d}"
        expected = stdnum.us.ssn.is_valid(digits) or stdnum.us.itin.is_valid(digits)
        # where the two differ, by design: stdnum refuses three numbers printed in advertisements
        # (a customer who types one is masked all the same), and knows no ITIN with a middle
        # group 50-65 (the IRS issues them: "50 to 65, 70 to 88, 90 to 92 and 94 to 99")
        if digits in ("078051120", "457555462", "219099999") or (digits[0] == "9" and 50 <= int(digits[3:5]) <= 65):
            expected = True
        assert us_ssn(digits) == expected, digits
        idnr = str(rng.randrange(10 ** 10, 10 ** 11))
        assert de_idnr(idnr) == stdnum.de.idnr.is_valid(idnr), idnr
    valid = 0
    while valid < 200:  # stdnum's valid Steuer-IDs are rare among random ones: made to order
        digits = rng.sample("0123456789", 9)
        first10 = digits + [rng.choice(digits)]
        rng.shuffle(first10)
        if first10[0] == "0":
            continue
        number = "".join(first10) + "0"
        for check in "0123456789":
            if stdnum.de.idnr.is_valid(number[:10] + check):
                assert de_idnr(number[:10] + check)
                valid += 1
            else:
                assert not de_idnr(number[:10] + check)


#: (typed, stored): after a word that names it, the US number typed with another dash than "-" (a
#: phone's smart punctuation gives U+2011 or U+2013, a PDF copy an en dash, a spreadsheet a minus sign)
#: or typed whole after "TIN"; 1730b51a stored all but the last (a German TIN) as typed, in a contact
#: message too ("my TIN is 912781234" was "[phone]" in a search, readable in a contact message)
DASHED = [
    ("my ssn is 536\u201122\u20111846", "my ssn is [id]"),
    ("my ssn is 536\u201322\u20131846", "my ssn is [id]"),
    ("SSN: 536\u201422\u20141846 please", "SSN: [id] please"),
    ("social security 536\u221222\u22121846", "social security [id]"),
    ("ITIN 912\u201078\u20101234", "ITIN [id]"),
    ("my ssn is 536\u201322-1846", "my ssn is [id]"),  # a dash and a hyphen: both read as "-"
    ("my ssn is 536\uff0d22\uff0d1846", "my ssn is [id]"),  # fullwidth hyphen-minus
    ("my TIN is 912781234", "my TIN is [id]"),
    ("TIN 912-78-1234", "TIN [id]"),
    ("TIN 24999310570", "TIN [id]"),  # 11 digits: the German TIN, as before
]
#: kept as typed: a word that says what else the number is; an area no SSN has
DASHED_KEPT = ["order 536\u201322\u20131846", "ssn 666\u201322\u20131846"]


@pytest.mark.slow  # a service process
def test_an_id_typed_with_another_dash_or_after_tin_is_stored_masked(tmp_path, site_data):
    service = Service(["--site-data", str(site_data), "--allowed-origin", SITE, "--rate-limit", "0", *NO_LEARNING],
                      f"sqlite:///{tmp_path / 'feedback.db'}")
    try:
        queries, comments = stored_as_query_and_comment(service, [typed for typed, _ in DASHED] + DASHED_KEPT)
        stored = [masked for _, masked in DASHED] + DASHED_KEPT
        assert queries == stored
        assert comments == stored
        # the kept first: a word that names the id among the three before a number names it ("TIN … order 5…")
        message = contact_message(service, " | ".join(DASHED_KEPT + [typed for typed, _ in DASHED]))
        assert message.split(" | ") == DASHED_KEPT + [masked for _, masked in DASHED]
    finally:
        service.stop()


def test_every_dash_of_unicode_is_read_as_one():
    import unicodedata

    from carebase.service.masking_ids import DASHES
    pd = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Pd"} - {"-"}
    assert pd <= set(DASHES) and "\u2212" in DASHES


#: (typed, stored): the id forms bb272890 stored as typed (verify 48's V1): a NINO in dashes, an SSN
#: glued to its word or named four words back ("social security number is": the fillers and
#: "security" are not counted), India's Aadhaar number after its word, a German pension insurance
#: number (its birth date's place, the birth name's letter, the serial: bb272890 masked only the
#: first eight digits as a phone number, or nothing)
MORE = [
    ("national insurance: jg-10-37-95-a", "national insurance: [id]"),
    ("JG-10-37-95-A on my payslip", "[id] on my payslip"),
    ("ssn536-22-1846", "ssn[id]"),
    ("my SSN536221846 please", "my SSN[id] please"),
    ("itin912781234", "itin[id]"),
    ("my social security number is 536 22 1846", "my social security number is [id]"),
    ("aadhaar 2345 6789 0123", "aadhaar [id]"),
    ("my Aadhaar card no. is 2345-6789-0124", "my Aadhaar card no. is [id]"),
    ("aadhar 234567890123 wrong", "aadhar [id] wrong"),
    ("Rentenversicherungsnummer 12 150485 M 034", "Rentenversicherungsnummer [id]"),
    ("meine SV-Nummer 12150485M034", "meine SV-Nummer [id]"),
    ("15 070649 C 103 steht auf dem Ausweis", "[id] steht auf dem Ausweis"),  # its check digit right: no word needed
]
#: kept as typed: a word that says what else it is (after a word naming an id in an earlier part of
#: the message: "ssn … | order 536 22 1846" names the order's number), 12 digits in fours without
#: "Aadhaar" (a list of years, a reference), a pension number's shape whose check digit is wrong and
#: no word names it, a slug with a letter prefix and dashes after "order"
MORE_KEPT = ["order 536 22 1846", "order 536\u201322\u20131846", "2019 2020 2021 tickets", "2345 6789 0123 ref",
             "12150485M034 ok", "model 15070649C103", "order JG-10-37-95-A"]


@pytest.mark.slow  # a service process
def test_the_id_forms_left_in_session_48_are_stored_masked(tmp_path, site_data):
    service = Service(["--site-data", str(site_data), "--allowed-origin", SITE, "--rate-limit", "0", *NO_LEARNING],
                      f"sqlite:///{tmp_path / 'feedback.db'}")
    try:
        queries, comments = stored_as_query_and_comment(service, [typed for typed, _ in MORE] + MORE_KEPT)
        stored = [masked for _, masked in MORE] + MORE_KEPT
        assert queries == stored
        assert comments == stored
        # the kept last: a word naming an id in an earlier part ("ssn … | order …") does not name the order's number
        message = contact_message(service, " | ".join([typed for typed, _ in MORE] + MORE_KEPT))
        assert message.split(" | ") == stored
    finally:
        service.stop()


def test_the_pension_number_check_digit():
    """Deutsche Rentenversicherung's example numbers (its check digit right) and the same with every
    other check digit; a birth date no day has is no pension number."""
    from carebase.service.masking_ids import de_rvnr
    for number in ("15070649C103", "65170839J003", "12150485M037"):
        assert de_rvnr(number) == (True, True), number
        for wrong in set("0123456789") - {number[-1]}:
            assert de_rvnr(number[:-1] + wrong) == (True, False), number[:-1] + wrong
    assert de_rvnr("12320485M037")[0] is False and de_rvnr("12151385M037")[0] is False
