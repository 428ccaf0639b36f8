"""Hypothesis's utf-8 alphabet (the default of ``st.text()``, and ``st.characters(codec="utf-8")``)
is written into its cache before a run's first test when missing (hypothesis_testkit
``prime_utf8_alphabet``), computed from one encoding of every code point instead of Hypothesis's
loop over them, and it is the alphabet Hypothesis computes: every code point but the surrogates."""

from __future__ import annotations

import gzip
import sys

from hypothesis.internal import charmap
from hypothesis.internal.intervalsets import IntervalSet

from hypothesis_testkit import codec_alphabet, prime_utf8_alphabet


def _one_by_one(point: int) -> tuple[bool, bool]:
    """(encodable, decodes back to itself) in utf-8, as Hypothesis's loop asks of each code point."""
    try:
        encoded = chr(point).encode("utf-8")
    except UnicodeEncodeError:
        return False, False
    return True, encoded.decode("utf-8") == chr(point)


def test_the_utf8_alphabet_is_every_code_point_but_the_surrogates():
    encodable, lossy = codec_alphabet("utf-8")
    assert lossy == []
    surrogates = charmap.charmap()["Cs"]  # Hypothesis's own table of Unicode categories
    everything = IntervalSet([(0, sys.maxunicode)])
    assert IntervalSet([tuple(i) for i in encodable]) == everything.difference(IntervalSet(surrogates))
    inside = lambda p: any(a <= p <= b for a, b in encodable)  # noqa: E731
    points = [*range(0, sys.maxunicode + 1, 997), 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, sys.maxunicode]
    assert [(inside(p), inside(p)) for p in points] == [_one_by_one(p) for p in points]


def test_hypothesis_reads_the_primed_alphabet_instead_of_computing_it(tmp_path, monkeypatch):
    target = tmp_path / "unicode_data" / "codec-v2-utf-8.json.gz"
    monkeypatch.setattr(charmap, "charmap_file", lambda name: tmp_path / "unicode_data" / f"{name}.json.gz")
    prime_utf8_alphabet()
    written = gzip.decompress(target.read_bytes())
    assert written == b"[[[0, 55295], [57344, 1114111]], []]"  # Hypothesis's JSON of its intervals

    def no_loop(point):
        raise AssertionError("Hypothesis computed the alphabet itself")

    monkeypatch.setattr(charmap, "chr", no_loop, raising=False)  # the loop's chr(i), never called
    encodable, lossy = charmap.intervals_from_codec.__wrapped__("utf-8")
    assert (encodable, lossy) == (IntervalSet([(0, 0xD7FF), (0xE000, sys.maxunicode)]), IntervalSet([]))
    assert gzip.decompress(target.read_bytes()) == written  # what Hypothesis writes back after reading it
    before = target.read_bytes()
    prime_utf8_alphabet()  # present: left as it is
    assert target.read_bytes() == before
