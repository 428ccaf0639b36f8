"""How long the PII masker takes per stored text (it runs on every search, comment and contact
message the service stores): ``mask_pii`` over a mix of what customers type, the working tree's
masker against the one at a git revision, in alternating rounds in one process.

    python benchmarks/masking_speed.py [--rev REV] [--rounds 7] [--region GB,IE]
    python benchmarks/masking_speed.py --hostile [--rev REV] [--rounds 7]
    (either with ``--clock cpu``: this process's CPU time instead of wall time)

The mix (fixed seed): 6,000 searches (70 % words only, 20 % with small numbers, codes or
dates, 10 % with a card number, IBAN, phone number, e-mail address or id) and 1,000 comments
of about 200 characters with numbers in them, and the same searches with their digits typed in
Arabic-Indic digits (read as ASCII ones since session 41; before, cards and IBANs in them were
not found). ``--region``: also both maskers with that site region (its countries' national
numbers read by their numbering plans, each revision's own; compiled before timing, as the
service does once per build output). Timing figures: record them from a quiet machine or mark
them loaded.

``--hostile``: instead, the longest texts a client can post (a comment's 2,000 characters, each a
unit repeated and cut at 2,000) in the
shapes that cost the masker most: card numbers with digits after them in their run (each card
then read for the phone numbers it cuts: reader 43's R8), against three shapes without a card;
milliseconds per text, no region, the same alternating rounds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import masking_testkit as kit  # noqa: E402
from masking_edges import _plans, masker_at  # noqa: E402

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
WORDS = ("thermostat offline wifi reset refund charged twice install schedule battery app login password "
         "boiler heating pairing zigbee hub firmware update delivery invoice cancel subscription account").split()


def corpus(seed: str = "speed") -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    cards = [text for text, *_ in kit.card_texts("speed-cards", 300)]
    ids = [text for name, make in kit.KEPT for text in kit.kept_texts(f"speed-{name}", 20, make)]
    extra = ["iban DE89 3704 0044 0532 0130 00", "call +44 20 7946 0958", "mail jane.doe@example.com", "GB29NWBK60161331926819"]
    searches = []
    for _ in range(6000):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5)))
        roll = rng.random()
        if roll < 0.7:
            searches.append(words)
        elif roll < 0.9:
            searches.append(f"{words} {rng.choice(['error 404', 'E42', 'model T1000', 'v2.3.1', '2024-05-01', '3 days', 'order 12345'])}")
        else:
            searches.append(f"{words} {rng.choice(cards + ids + extra)}")
    comments = [" ".join(rng.choice(WORDS + [str(rng.randint(0, 99999)), kit.prose(rng)]) for _ in range(25))[:200]
                for _ in range(1000)]
    return searches, comments


#: (name, text): comments of exactly 2,000 characters (the most a comment may hold: longer ones are
#: refused before the masker), a unit repeated and cut there: card numbers with digits after them,
#: and shapes without one
HOSTILE = tuple((name, (unit * (2000 // len(unit) + 1))[:2000]) for name, unit in (
    ("card then `(1 (1 (1`", "card 4111 1111 1111 1111 (1 (1 (1 x "),
    ("card then `2 3`", "card 4111 1111 1111 1111 2 3 x "),
    ("card then a phone number's first groups", "card 4111 1111 1111 1111 20 7946 x "),
    ("a number joined to a card-shaped order number", "order 420946178 0044 7226 362742 x "),
    ("no card: `2 0049 30 1234567`", "2 0049 30 1234567 x "),
    ("no card: `1 (22 33`", "1 (22 33 "),
    ("no card: `rooms 12 301 45.20`", "rooms 12 301 45.20 x "),
)) + tuple((name, (lead + unit * (2000 // len(unit) + 1))[:2000]) for name, lead, unit in (
    # one list of numbers: each read with the word before its first one (``masking_phones._list_start``)
    ("a list after `call`: `555 12 345, `", "call ", "555 12 345, "),
    ("a list after `[phone]`: `2024 12 31, `", "[phone], ", "2024 12 31, "),
    # each number read against the one before it (``masking_phones._unlike_a_list``)
    ("a list after `order 12, `: `5551234567, 12, `", "order 12, ", "5551234567, 12, "),
)) + tuple((name, (unit * (2000 // len(unit) + 1))[:2000]) for name, unit in (
    # national id numbers (``masking_ids``): each read with the words before it
    ("SSNs: `536-22-1846 `", "536-22-1846 "),
    ("NI numbers: `JG 10 37 95 A `", "JG 10 37 95 A "),
    ("Steuer-IDs after their word: `Steuer-ID 24 999 310 570 `", "Steuer-ID 24 999 310 570 "),
    ("id-like lists: `ssn 12 345 678 901 `", "ssn 12 345 678 901 "),
    # session 49's readings: glued to the word, in dashes, Aadhaar's word, German pension numbers, the
    # words read back past the fillers
    ("SSNs glued to their word: `ssn536-22-1846 `", "ssn536-22-1846 "),
    ("NI numbers in dashes: `jg-10-37-95-a `", "jg-10-37-95-a "),
    ("Aadhaar numbers: `aadhaar 2345 6789 0123 `", "aadhaar 2345 6789 0123 "),
    ("pension numbers: `12 150485 M 034 `", "12 150485 M 034 "),
    ("fillers before a number: `is my no the number of 536 22 1846 `", "is my no the number of 536 22 1846 "),
))


def hostile(rev: str, rounds: int) -> None:
    """The ``HOSTILE`` texts, the working tree's masker against ``rev``'s, alternating rounds."""
    now, old = masker_at(None), masker_at(rev)
    maskers = {rev: lambda text: old.mask_pii(text, old.NO_REGION), "now": lambda text: now.mask_pii(text, now.NO_REGION)}
    times = {(name, shape): [] for name in maskers for shape, _ in HOSTILE}
    for _ in range(rounds):
        for shape, text in HOSTILE:
            for name, mask in maskers.items():
                times[name, shape].append(per_call_us(mask, [text]) / 1000)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}; median of {rounds} rounds, ms per text, no region\n")
    print(f"| text (characters) | {rev} | now | ratio |\n| --- | ---: | ---: | ---: |")
    for shape, text in HOSTILE:
        before, after = statistics.median(times[rev, shape]), statistics.median(times["now", shape])
        print(f"| {shape} ({len(text):,}) | {before:.2f} | {after:.2f} | {after / before:.2f} |")


#: the clock ``per_call_us`` reads: wall time (``perf_counter``), or with ``--clock cpu`` this
#: process's CPU time (``process_time``: on a loaded machine it moves less than wall time, as
#: other processes' turns are not counted; the method session 46 used for its loaded figures)
CLOCK = [time.perf_counter]


def per_call_us(mask, texts: list[str]) -> float:
    clock = CLOCK[0]
    start = clock()
    for text in texts:
        mask(text)
    return (clock() - start) / len(texts) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default="a6d1e44", help="the masker to compare with (git revision)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--region", default="", help="also time the working tree's masker with this site region (GB,IE)")
    parser.add_argument("--hostile", action="store_true", help="time the hostile 2,000-character shapes instead (ms per text)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall time, or this process's CPU time (steadier on a loaded machine)")
    args = parser.parse_args()
    if args.clock == "cpu":
        CLOCK[0] = time.process_time
    print(f"clock: {args.clock} time")
    if args.hostile:
        hostile(args.rev, args.rounds)
        return
    searches, comments = corpus()
    texts = {"searches": searches, "comments": comments,
             "searches, Arabic-Indic digits": [t.translate(ARABIC_INDIC) for t in searches]}
    now, old = masker_at(None), masker_at(args.rev)
    maskers = {"now": now.mask_pii, args.rev: old.mask_pii}
    if args.region:
        from carebase.service.masking_region import read_region

        codes = read_region(args.region)[0]
        for name, module in (("now", now), (args.rev, old)):
            region = _plans(module, codes)
            region.is_national("0")  # compiled before timing
            maskers[f"{name}, region {args.region}"] = lambda text, module=module, region=region: module.mask_pii(text, region)
    times = {(name, kind): [] for name in maskers for kind in texts}
    for _ in range(args.rounds):
        for name, mask in maskers.items():
            for kind, batch in texts.items():
                times[name, kind].append(per_call_us(mask, batch))
    print(f"load average at the end: {os.getloadavg()[0]:.1f}; median of {args.rounds} rounds, µs per text\n")
    pairs = [(args.rev, "now")] + ([(f"{args.rev}, region {args.region}", f"now, region {args.region}")] if args.region else [])
    print("| texts | " + " | ".join(f"{before} | {after} | ratio" for before, after in pairs) + " |\n| --- |"
          + " ---: | ---: | ---: |" * len(pairs))
    for kind, batch in texts.items():
        cells = []
        for before, after in pairs:
            old_us, new_us = statistics.median(times[before, kind]), statistics.median(times[after, kind])
            cells.append(f"{old_us:.1f} | {new_us:.1f} | {new_us / old_us:.2f}")
        print(f"| {kind} ({len(batch):,}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
