"""Whether the masker of the working tree and the one at a git revision give the same output on
20,000 texts (a change meant to keep the output, such as a speed-up or a split): the speed
corpus's searches and comments, international numbers after lead-ins, phone numbers after a
number whose digits and theirs read as a card number, random runs of numbers, parentheses and
``00`` groups, prose with phone numbers; each with no region, GB,IE and HK. Prints the first
texts that differ and the count.

    python benchmarks/masking_same.py --rev REV [--n 20000]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import masking_speed as speed  # noqa: E402
import masking_testkit as kit  # noqa: E402
from masking_edges import _plans, masker_at  # noqa: E402

from carebase.store.cleaning import clean_text  # noqa: E402


def texts(n: int, seed: str = "same-s43") -> list[str]:
    searches, comments = speed.corpus(seed)
    rng = random.Random(f"{seed}-privacy")
    out = rng.sample(searches, min(6000, n)) + comments[:max(0, n - 6000)]
    makers = [m for ms in kit.PHONES.values() for m in ms] + [m for ms in kit.PHONES_INTERNATIONAL.values() for m in ms]
    while len(out) < n:
        roll = rng.random()
        words = " ".join(rng.choice(speed.WORDS) for _ in range(rng.randint(0, 3)))
        if roll < 0.3:
            text = next(kit.lead_in_texts(f"s{len(out)}", 1, rng.choice(list(kit.LEAD_INS)), rng.choice(["00", "+"])))[0]
        elif roll < 0.5:
            text = next(kit.card_joined_texts(f"s{len(out)}", 1, rng.choice(list(kit.JOINED_LEADS)), rng.choice(kit.JOINED_KINDS)))[0]
        elif roll < 0.7:
            text = " ".join(rng.choice([str(rng.randint(0, 10 ** rng.randint(1, 9))), "(" + str(rng.randint(0, 999)),
                                        "00" + str(rng.randint(1, 999)), rng.choice(makers)(rng), kit.prose(rng)])
                            for _ in range(rng.randint(2, 6)))
        else:
            text = kit.prose(rng) + " " + rng.choice(makers)(rng)
        out.append(clean_text(f"{words} {text}".strip()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", required=True, help="the masker to compare with (git revision)")
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    old, new = masker_at(args.rev), masker_at(None)
    batch = texts(args.n)
    differ = 0
    for codes in ((), ("GB", "IE"), ("HK",)):
        before = _plans(old, codes) if codes else old.NO_REGION
        after = _plans(new, codes) if codes else new.NO_REGION
        for text in batch:
            a, b = old.mask_pii(text, before), new.mask_pii(text, after)
            if a != b:
                differ += 1
                if differ <= 10:
                    print(f"{','.join(codes) or 'no region'}: {text!r}: {args.rev} {a!r}, now {b!r}")
    print(f"{len(batch):,} texts x 3 regions (none, GB,IE, HK): {differ:,} differ from {args.rev}")


if __name__ == "__main__":
    main()
