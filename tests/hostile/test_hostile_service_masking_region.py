"""The masker's region (the help centre's countries): their national phone numbers are masked
without a cue, whatever their grouping; without a region the masker is what it was; the setting is
refused with its file, line and field when it names no country."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberType

from carebase.service.masking import mask_payment, mask_pii
from carebase.service.masking_region import NO_REGION, plans, read_region, site_region as served_region

#: what shapes alone cannot decide (kept readable without a region, as before), and the region
#: whose national number each is
UNDECIDED = [
    ("rooms 9123 4567 261", "HK", "rooms [phone]"),  # a Hong Kong mobile in a list
    ("21 23 4 56789", "CI", "[phone]"),  # an odd grouping (Côte d'Ivoire's fixed line)
    ("call back 8 66 123456", None, "call back [phone]"),  # said: masked anyway
    ("fw 0171 1234567", "DE", "fw [phone]"),  # an abbreviation before a German mobile
    ("sn 07400 123456", "GB", "sn [phone]"),  # 07911 123456 is no valid British number: libphonenumber's types
    ("kb 020 7946 0958", "GB", "kb [phone]"),
    ("ver 087 123 4567", "IE", "ver [phone]"),
]
#: ordinary numbers that stay readable with every region
ORDINARY = ["order id 51234567", "user id 020 7946 0958", "2024-01-31", "31.01.2024 10:30", "v2.3.1", "10.0.19045", "firmware 4.12.3", "paid 12.50 for 3",
            "54386.02 3808.02", "order 020 7946 0958", "invoice 91234567", "#12345678", "IMEI 356938035643809",
            "192.168.1.20", "302-4512345-6789012", "build 3162522052", "3 rooms, 12 sensors", "error 404",
            "ticket CB-7K2M9QXA", "model RT-2100 and RT-3300", "tracking 9400100000000000000000"]
REGIONS = [("GB",), ("IE",), ("GB", "IE"), ("DE",), ("US",), ("HK",), ("FR",), ("IN",), ("AU",)]


@pytest.mark.parametrize("text, region, masked", UNDECIDED)
def test_a_sites_own_national_numbers_are_phone_numbers_whatever_their_shape(text, region, masked):
    if region is not None:
        assert mask_pii(text) == text, "without a region the number stays as before (no cue, no phone shape)"
    assert mask_pii(text, plans((region,) if region else ())) == masked


@pytest.mark.parametrize("region", REGIONS)
def test_ordinary_numbers_stay_readable_with_a_region(region):
    for text in ORDINARY:
        assert mask_pii(text, plans(region)) == mask_pii(text), (region, text)
        assert mask_pii(text, plans(region)) == text or text.startswith("IMEI"), (region, text)


def test_other_countries_numbers_still_need_their_code_a_cue_or_a_phone_shape():
    gb = plans(("GB",))
    # a Hong Kong mobile in a list on a British site: as without a region (readable)
    assert mask_pii("rooms 9123 4567 261", gb) == "rooms 9123 4567 261"
    assert mask_pii("whatsapp 9123 4567 261", gb) == "whatsapp [phone]"
    assert mask_pii("+852 9123 4567", gb) == "[phone]"
    assert mask_pii("(555) 123-4567", gb) == "[phone]"  # a phone's shape, any region
    assert mask_pii("fw 0151 23456789", gb) == "fw 0151 23456789"  # a German mobile, not a British number
    assert mask_pii("fw 0151 23456789", plans(("DE",))) == "fw [phone]"


def test_no_region_is_the_masker_as_before():
    """The default (no region, and a service without one) masks exactly as the masker did:
    the undecided cases stay readable, and the context variable's default is no region."""
    assert served_region.get() is NO_REGION
    for text, _, _ in UNDECIDED[:1] + UNDECIDED[3:]:
        assert mask_pii(text) == text == mask_pii(text, NO_REGION)
    assert mask_pii("9123 4567") == "[phone]"  # whole and alone: a phone's shape, as before
    assert mask_pii("rooms 9123 4567 261") == "rooms 9123 4567 261"


def test_the_region_is_read_from_the_served_site_when_none_is_given():
    token = served_region.set(plans(("HK",)))
    try:
        assert mask_pii("rooms 9123 4567 261") == "rooms [phone]"
    finally:
        served_region.reset(token)
    assert mask_pii("rooms 9123 4567 261") == "rooms 9123 4567 261"


def test_payment_masking_ignores_the_region():
    """Tickets and webhooks mask payment data only: a Hong Kong site's national number, which
    mask_pii reads as [phone] there, stays as typed (this test compared mask_payment with itself,
    no region set, until the code reader's finding 8)."""
    token = served_region.set(plans(("HK",)))
    try:
        for typed, masked in (("rooms 9123 4567 261", "rooms [phone]"), ("call 9123 4567 today", "call [phone] today")):
            assert mask_pii(typed) == masked
            assert mask_payment(typed) == typed
        assert mask_payment("card 4111 1111 1111 1111") == "card [card]"
    finally:
        served_region.reset(token)


def test_every_regions_example_numbers_are_masked_with_its_region():
    """libphonenumber's example numbers of each of its regions (every number type with 7+
    digits), written as the region writes them at home, are masked with that region set and no
    cue (mask_pii alone; before this setting 7 of them are left readable even whole)."""
    seen, missed = 0, []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE, PhoneNumberType.VOIP,
                     PhoneNumberType.PERSONAL_NUMBER, PhoneNumberType.UAN, PhoneNumberType.SHARED_COST):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            written = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
            if len(re.sub(r"\D", "", written)) < 7:
                continue
            seen += 1
            if re.sub(r"\D", "", mask_pii(f"rooms {written} please", plans((region,)))):
                missed.append((region, written))
    assert seen > 850
    assert len(missed) <= 0.01 * seen, missed


def test_region_settings_are_read_and_bad_ones_named():
    assert read_region(["gb", "IE", "GB"]) == (("GB", "IE"), [])
    assert read_region("GB, IE") == (("GB", "IE"), [])
    assert read_region([]) == ((), [])
    assert read_region(["UK"])[1] == ["region[0]: 'UK' is not a country code: did you mean GB?"]
    assert "not a country code" in read_region("XX")[1][0]
    assert read_region({"GB": 1})[1][0].startswith("region: expected a country code or a list")
    from carebase.service.config import ServiceConfig

    assert ServiceConfig(region="gb, ie").region == ServiceConfig(region=("GB", "IE")).region == ("GB", "IE")
    with pytest.raises(ValueError, match="'UK' is not a country code: did you mean GB"):
        ServiceConfig(region=("UK",))


def test_the_plugin_refuses_a_region_naming_no_country_with_its_file_line_and_field(tmp_path, monkeypatch, caplog):
    """Through the plugin's own reading of its options (read_options, which on_config and
    `carebase check` both run), placed at mkdocs.yml's line."""
    import logging

    from mkdocs.config import load_config

    from carebase.plugins.site.options import OptionsError, read_options

    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Help\nplugins:\n  - search\n  - carebase:\n      region:\n        - GB\n        - UK\n"
                      "theme: carebase\n",
                      encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    loaded = load_config("mkdocs.yml")
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(OptionsError):
        loaded.plugins.on_config(loaded)
    assert [r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.carebase"] == [
        "carebase: mkdocs.yml:7: plugins.carebase.region[1]: 'UK' is not a country code: did you mean GB?"]
    config.write_text(config.read_text("utf-8").replace("UK", "ie").replace("GB", "gb"), encoding="utf-8")
    loaded = load_config("mkdocs.yml")
    options, problems = read_options(loaded.plugins["carebase"].config, loaded)
    assert options.region == ("GB", "IE") and problems == []


def test_national_numbers_of_ten_regions_are_masked_with_their_region_alone_in_lists_and_after_abbreviations():
    """masking_testkit's national numbers (valid by libphonenumber's plans) of its ten regions,
    as each region writes them and as digits whole, in sentences with no word saying they are
    phone numbers: every one masked with the site's region set to theirs, but digits typed whole
    after an abbreviation ("sn 91234567": a serial as often), which stay as without a region."""
    import masking_testkit as kit

    for region in kit.REGIONS:
        own = plans((region,))
        for form in kit.NATIONAL_FORMS[:2]:
            for text, digits in kit.national_texts(f"test-national-{region}-{form}", 80, region, form):
                if form == "digits whole" and re.match(r"(fw|sn|kb) \d+$", text):
                    assert mask_pii(text, own) == mask_pii(text), (region, text)
                    continue
                assert digits[-6:] not in re.sub(r"\D", "", mask_pii(text, own)), (region, text, mask_pii(text, own))


def test_a_serial_after_an_abbreviation_is_never_a_phone_number_under_any_region():
    """sn, kb, rev, ver, fw, id + 7-12 digits typed whole (masking_testkit's serial family, a
    leading 0 or not): masked under none of the ten regions beyond what no region masks (session
    40 masked 435-453 of 500 such 8-digit numbers in Denmark, 429-450 in Hong Kong, 437-453 10-digit
    ones in the US); the same digits in groups as the region writes them are still a phone number."""
    import masking_testkit as kit

    for region in kit.REGIONS:
        own = plans((region,))
        for leading_zero in (False, True):
            texts = [t for t, _ in kit.serial_texts(f"test-serials-{region}-{leading_zero}", 200, leading_zero)]
            assert [t for t in texts if mask_pii(t, own) != mask_pii(t)] == [], region
    assert mask_pii("sn 91234567", plans(("HK",))) == "sn 91234567"
    assert mask_pii("fw 9123 4567", plans(("HK",))) == "fw [phone]"
    assert mask_pii("rev 5551234567", plans(("US",))) == "rev 5551234567"
    assert mask_pii("kb 02079460958", plans(("GB",))) == "kb 02079460958"
    assert mask_pii("kb 020 7946 0958", plans(("GB",))) == "kb [phone]"


def test_the_plans_hold_only_numbers_libphonenumber_calls_valid():
    """A region's plan is its number types' (fixed line, mobile, toll-free, …), not the general
    description's, which also holds numbers of no type: "sn 3456789" on a US site (3\\d{6} in the
    general pattern) stay as typed. The compiled pattern agrees with ``is_valid_number`` (the
    regions sharing the calling code included: a Guernsey number is valid under +44) on random
    numbers and numbers near each region's examples."""
    import random

    from phonenumbers import PhoneMetadata

    from carebase.service.masking_region import _valid_pattern

    us = plans(("US",))
    assert mask_pii("sn 3456789", us) == "sn 3456789" and not us.is_national("3456789")
    rng = random.Random("test-valid-plans")
    for region in ["GB", "IE", "DE", "FR", "HK", "US", "AU", "IN", "SG", "DK", "CI", "IT", "BR", "JP",
                   "GG", "IM", "CA", "JM", "RU", "KZ", "FI", "AX", "NO", "SJ", "CC", "VA", "MA", "EH"]:
        meta = PhoneMetadata.metadata_for_region(region)
        valid = re.compile(_valid_pattern(meta))
        numbers = []
        for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE):
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                national = phonenumbers.national_significant_number(example)
                for _ in range(100):
                    keep = rng.randint(0, len(national) - 1)
                    numbers.append(national[:keep] + "".join(rng.choice("0123456789") for _ in range(len(national) - keep)))
        numbers += [str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 11))) for _ in range(300)]
        for digits in numbers:
            if digits[0] == "0":
                continue  # a national significant number with a leading 0 is not an int's
            number = phonenumbers.PhoneNumber(country_code=meta.country_code, national_number=int(digits))
            assert bool(valid.fullmatch(digits)) == phonenumbers.is_valid_number(number), (region, digits)


#: the regions that share a calling code with another (+44 GB, GG, IM, JE; +1 the North American
#: plan; +7, +39, +47, +61, +358, …), each with the others
SHARING = sorted((region, code) for code, regions in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.items()
                 if len(regions) > 1 for region in regions if region != "001")


@pytest.mark.parametrize("region, code", SHARING)
def test_a_number_of_a_region_sharing_the_sites_calling_code_is_a_national_number(region, code):
    """A site's national numbers are its calling code's, as ``is_valid_number`` tells them: a
    Guernsey or Isle of Man mobile on a British site, a Toronto number on an American one, are
    dialled there as national numbers and masked as the site's own (after "fw", in groups as
    written at home). Session 41's plans took only the site's own region's number types: a US
    site stored all 48 example numbers of the other North American regions in clear, a British
    one 5 of the 6 of Guernsey, Jersey and the Isle of Man."""
    site = plans((region,))
    for other in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code]:
        for kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE):
            example = phonenumbers.example_number_for_type(other, kind)
            if example is None:
                continue
            written = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
            digits = re.sub(r"\D", "", written)
            assert site.is_national(digits), (region, other, written)
            if len(digits) < 7 or not re.search(r"\d\D+\d", written):
                continue  # Saint Helena's 5 digits: the masker's phone numbers have 7-15; typed whole: a serial
            assert digits[-4:] not in re.sub(r"\D", "", mask_pii(f"fw {written} tomorrow", site)), (region, other, written)


def test_a_crown_dependency_or_canadian_number_after_an_abbreviation_is_masked_and_a_serial_still_is_not():
    gb, us = plans(("GB",)), plans(("US",))
    assert mask_pii("fw 07781 123456", gb) == "fw [phone]"  # Guernsey
    assert mask_pii("ver 07624 123456", gb) == "ver [phone]"  # Isle of Man
    assert mask_pii("fw 07797 712345", gb) == "fw [phone]"  # Jersey
    assert mask_pii("fw 416 967 1111", us) == "fw [phone]"  # Toronto
    assert mask_pii("rooms 416 967 1111", us) == "rooms [phone]"
    assert mask_pii("fw 416 967 1111", plans(("CA",))) == "fw [phone]"
    assert mask_pii("sn 3456789", us) == "sn 3456789"  # no number of any North American region
    assert mask_pii("sn 4169671111", us) == "sn 4169671111"  # typed whole after an abbreviation: a serial
    assert mask_pii("kb 07781123456", gb) == "kb 07781123456"


def test_a_national_number_typed_whole_after_an_abbreviation_stays_even_with_its_trunk_0():
    """Re-checked in session 41 (the reader's finding 7): a valid national number typed whole
    with its trunk 0 after fw/sn/kb stays a serial: 1-73 % of serials that start with a 0 are such
    a number where the trunk prefix is 0 (masking_testkit's leading-0 serial family, two seeds:
    72-73 % in Germany, 1-4 % in the UK); in groups it is a phone number."""
    de, gb = plans(("DE",)), plans(("GB",))
    assert mask_pii("fw 01711234567", de) == "fw 01711234567"
    assert mask_pii("fw 07912345678", gb) == "fw 07912345678"
    assert mask_pii("fw 0171 1234567", de) == "fw [phone]"
    assert mask_pii("fw 07912 345678", gb) == "fw [phone]"


@pytest.mark.slow  # 50,000 maskings: 1.6 s of CPU
def test_ordinary_numbers_of_every_kind_are_masked_no_more_with_any_region():
    """Ids, orders, references, dates, versions, amounts and IMEIs (masking_testkit's kept
    families, 120 each in 8 sentences) change with none of the ten regions beyond what the
    masker does without one; prose lists of numbers (800) at most 2 % more, and only under a
    region without a trunk prefix whose numbers read as two or three of them (Hong Kong's and
    Singapore's 4-4, India's 4-3-3, North America's 10 digits)."""
    import random

    import masking_testkit as kit
    from carebase.store.cleaning import clean_text

    for name, make in kit.KEPT + kit.PHONE_SHAPED + kit.NUMBERS[1:]:
        texts = [clean_text(t) for t in kit.kept_texts(f"test-region-{name}", 120, make)]
        for region in kit.REGIONS:
            own = plans((region,))
            assert [t for t in texts if mask_pii(t, own) != mask_pii(t)] == [], (name, region)
    rng = random.Random("test-region-prose")
    texts = [kit.prose(rng) for _ in range(400)] + [kit.prose_numbers(rng) for _ in range(400)]
    for region in kit.REGIONS:
        more = [t for t in texts if mask_pii(t, plans((region,))) != mask_pii(t)]
        assert len(more) <= (16 if region in ("HK", "SG", "IN", "US") else 0), (region, more)


DIGITY = st.text(st.sampled_from("0123456789  -./()+#:xfwsnkbroomsrderIME"), max_size=80)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(text=DIGITY | st.text(max_size=80), region=st.sampled_from(REGIONS))
@example(text="rooms 9123 4567 261 and 0791 112 3456", region=("HK",))
@example(text="(0 20 7946 0958) 2024-01-31 9123.4567", region=("GB", "IE"))
def test_a_region_only_adds_masking_and_masking_with_it_is_idempotent(text, region):
    """Random digit-heavy text under a region: masked again it stays the same, and it never
    shows a digit that masking without a region hides (a region only adds)."""
    own = plans(region)
    once = mask_pii(text, own)
    assert mask_pii(once, own) == once
    assert sum(c.isdigit() for c in once) <= sum(c.isdigit() for c in mask_pii(text))


def test_the_services_region_is_compiled_when_the_app_is_made_not_at_its_first_request(tmp_path):
    """Compiling a region's plans takes ~0.3 s for 30 codes: it happened on the event loop at
    the first request (the code reader's finding 10); now when the app is made."""
    from carebase.service.app import create_app
    from carebase.service.config import ServiceConfig

    codes = ("SG", "NZ", "IE")
    plans.cache_clear()
    create_app(ServiceConfig(database_url=f"sqlite:///{tmp_path / 'feedback.db'}", region=codes))
    assert plans.cache_info().currsize == 1 and plans(codes) is plans(codes)
    assert plans.cache_info().misses == 1
