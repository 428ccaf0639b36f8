"""National id numbers (``masking_ids``) and the reading of a number grouped unlike the one a word
names (``masking_phones._unlike_a_list``) against hostile input: an id anywhere in random text is
masked, and both readings grow with the text, not with its square."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carebase.service import masking_ids, masking_phones
from carebase.service.masking import mask_pii
from carebase.service.masking_region import NO_REGION

noise = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
before_noise = noise.filter(lambda s: not re.search(r"[\w()./_+\-]\s*$", s))
after_noise = noise.filter(lambda s: not re.match(r"\s*[\w()./_\-]", s))
gap = st.sampled_from([" ", "  ", "\n", ": ", ", ", " (", ") ", "\t", " — "])
#: (typed, what must not survive of it): valid by python-stdnum (an SSN, an ITIN, a Steuer-ID), a NINO
#: in dashes, a German pension insurance number with its check digit right
IDS = [("536-22-1846", "1846"), ("912-78-1234", "1234"), ("JG103795A", "103795"), ("JG 10 37 95 A", "37 95"),
       ("24 999 310 570", "310"), ("JG-10-37-95-A", "37-95"), ("15 070649 C 103", "070649")]


@settings(max_examples=200, deadline=None)
@given(before_noise, gap, st.sampled_from(IDS), gap, after_noise)
def test_a_national_id_is_masked_wherever_it_sits(before, left, sample, right, after):
    typed, secret = sample
    out = mask_pii(f"{before}{left}{typed}{right}{after}", NO_REGION)
    assert secret not in out and "[id]" in out
    assert mask_pii(out, NO_REGION) == out  # idempotent


#: hostile shapes: each a unit repeated to the length asked
SHAPES = ["536-22-1846 ", "JG 10 37 95 A ", "Steuer-ID 24 999 310 570 ", "ssn 12 345 678 901 ", "ni 12 34 56 78 ",
          "order 12, 5551234567, 12, ", "ref 1: 2345678901; ",
          # session 49's readings: glued to its word, in dashes, Aadhaar's word, a pension number, the
          # fillers not counted back to a word, a what-word after a naming word
          "ssn536-22-1846 ", "jg-10-37-95-a ", "aadhaar 2345 6789 0123 ", "12 150485 M 034 ", "RVNR 12150485M034 ",
          "is my no the number of 536 22 1846 ", "ssn | order 536 22 1846 | "]


@pytest.mark.parametrize("unit", SHAPES)
def test_the_id_and_list_readings_are_linear_in_the_text(monkeypatch, unit):
    """The characters the id pattern and the list reading look at, and the words read before the
    numbers, for 2,000 characters against 500: at most 4.5 times as many (linear: 4; a reading
    from each number back to the text's start would be 16). Counted, not timed."""
    looked = [0]

    class Counted:  # a pattern, the characters it is given counted
        def __init__(self, pattern):
            self.pattern = pattern

        def finditer(self, text, pos=0, endpos=None):
            looked[0] += (len(text) if endpos is None else endpos) - pos
            return self.pattern.finditer(text, pos, len(text) if endpos is None else endpos)

        def search(self, text, pos=0, endpos=None):
            looked[0] += (len(text) if endpos is None else endpos) - pos
            return self.pattern.search(text, pos, len(text) if endpos is None else endpos)

    words = masking_ids.words_before

    def counted_words(text, start, reach, spans=False):
        looked[0] += reach
        return words(text, start, reach, spans)

    monkeypatch.setattr(masking_ids, "_ID", Counted(masking_ids._ID))
    monkeypatch.setattr(masking_ids, "words_before", counted_words)
    monkeypatch.setattr(masking_phones, "_NUMBER_BEFORE", Counted(masking_phones._NUMBER_BEFORE))
    work = {}
    for n in (500, 2000):
        looked[0] = 0
        text = (unit * (n // len(unit) + 1))[:n]
        mask_pii(text, NO_REGION)
        assert looked[0] > 0, unit  # the readings ran (the spies are in place)
        work[n] = looked[0]
    assert work[2000] <= 4.5 * work[500], (unit, work)
