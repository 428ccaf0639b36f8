"""How long the PII masker takes per stored text (it runs on every search, comment and contact
message the service stores): ``mask_pii`` over a mix of what customers type, the working tree's
masker against the one at a git revision, in alternating rounds in one process.

    python benchmarks/masking_speed.py [--rev REV] [--rounds 7] [--region GB,IE]

The mix (fixed seed): 6,000 searches (70 % words only, 20 % with small numbers, codes or
dates, 10 % with a card number, IBAN, phone number, e-mail address or id) and 1,000 comments
of about 200 characters with numbers in them, and the same searches with their digits typed in
Arabic-Indic digits (read as ASCII ones since session 41; before, cards and IBANs in them were
not found). ``--region``: also both maskers with that site region (its countries' national
numbers read by their numbering plans, each revision's own; compiled before timing, as the
service does once per build output). Timing figures: record them from a quiet machine or mark
them loaded.
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


def per_call_us(mask, texts: list[str]) -> float:
    start = time.perf_counter()
    for text in texts:
        mask(text)
    return (time.perf_counter() - start) / len(texts) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", default="a6d1e44", help="the masker to compare with (git revision)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--region", default="", help="also time the working tree's masker with this site region (GB,IE)")
    args = parser.parse_args()
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
