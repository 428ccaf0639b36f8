"""Generated inputs for the PII masker's two sides (fixed seeds: the same inputs every run).

- What must be masked: card numbers of every network in ``carebase.service.masking.CARD_NETWORKS``
  (a random start in one of its IIN ranges, one of its lengths, the Luhn digit right), written
  whole, in fours, as the network prints them, or cut anywhere, with any separator, in a
  sentence or glued to words.
- What must stay: hex ids, UUIDs, ticket and order references, long references (tracking and
  bank numbers), dates, amounts, versions, device ids and numbers in prose.

``benchmarks/masking_edges.py`` measures both sides' rates with these; the tests assert them.
"""

from __future__ import annotations

import random
import uuid

from carebase.service.masking import CARD_NETWORKS, luhn_ok

HEX = "0123456789abcdef"
DIGITS = "0123456789"
SEPARATORS = [" ", "  ", "-", ".", "/", "_", "\u00a0", ""]


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(HEX) for _ in range(n))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(DIGITS) for _ in range(n))


def _with_luhn(body: str) -> str:
    return next(body + d for d in DIGITS if luhn_ok(body + d))


def card(rng: random.Random, network: str) -> str:
    """A card number of ``network``: a start in one of its IIN ranges, one of its lengths, Luhn."""
    prefixes, lengths = CARD_NETWORKS[network]
    low, _, high = rng.choice(prefixes.split()).partition("-")
    start = str(rng.randint(int(low), int(high or low))).zfill(len(low))
    length = rng.choice(lengths)
    return _with_luhn(start + _digits(rng, length - len(start) - 1))


def _printed(digits: str) -> list[int]:
    """Group sizes as cards print them: Amex 4-6-5, Diners 4-6-4, else fours."""
    if len(digits) in (14, 15):
        return [4, 6, len(digits) - 10]
    return [4] * (len(digits) // 4) + ([len(digits) % 4] if len(digits) % 4 else [])


def _cut(digits: str, sizes: list[int]) -> list[str]:
    parts, at = [], 0
    for size in sizes:
        parts.append(digits[at:at + size])
        at += size
    return [p for p in parts if p]


GROUPINGS = ["whole", "fours", "printed", "odd", "odd, first group under 4", "fours, mixed separators"]
#: separators a customer mixes in one card number ("4111 1111 1111-1111"); not "." (two amounts
#: with cents are written "44163.69 9370.69")
MIXED = [" ", "  ", "-", "/", "_", "\u00a0"]


def written(rng: random.Random, digits: str, grouping: str, sep: str) -> str:
    """``digits`` as a customer types them: ``grouping`` (one of GROUPINGS) joined by ``sep``."""
    if grouping == "whole":
        return digits
    if grouping == "fours":
        return sep.join(_cut(digits, [4] * 5))
    if grouping == "fours, mixed separators":  # at least two different ones
        parts = _cut(digits, [4] * 5)
        seps = [rng.choice(MIXED) for _ in parts[1:]]
        while len(set(s.replace("\u00a0", " ") for s in seps)) < 2:
            seps = [rng.choice(MIXED) for _ in parts[1:]]
        return parts[0] + "".join(s + p for s, p in zip(seps, parts[1:]))
    if grouping == "printed":
        return sep.join(_cut(digits, _printed(digits)))
    first = rng.randint(4, 8) if grouping == "odd" else rng.randint(1, 3)
    sizes = [first]
    while sum(sizes) < len(digits):
        sizes.append(rng.randint(2, 8))
    return sep.join(_cut(digits, sizes))


#: how a card number sits in what a customer types
CARD_AROUND = ["{}", "my card is {} thanks", "card {} was charged twice", "visa {}", "Karte: {}.", "({})",
               "card{}", "ec{}", "{}visa", "card{}x", "nr.{}exp", "paid with {} and order 7f3a2c9e01",
               "cc {} cvv 123", "{}, exp 12/27", "Bitte die Karte {} sperren", "refund {} pls"]


def card_texts(seed: str, n: int, networks=None, groupings=None, separators=None):
    """``n`` (text, card digits, network, grouping, separator), cycling through networks."""
    rng = random.Random(seed)
    networks = list(networks or CARD_NETWORKS)
    for i in range(n):
        network = networks[i % len(networks)]
        digits = card(rng, network)
        grouping = rng.choice(groupings or GROUPINGS[:4])
        sep = rng.choice(separators or SEPARATORS)
        yield CARD_AROUND[i % len(CARD_AROUND)].format(written(rng, digits, grouping, sep)), digits, network, grouping, sep


def _amazon(rng):  # an order number written 3-7-7, its first three digits a marketplace's
    return f"{rng.choice(['111', '112', '113', '114', '171', '202', '203', '302', '303', '304', '305', '402', '403', '404', '405', '407', '408', '028', '026', '249', '250', '701', '702', '503'])}-{_digits(rng, 7)}-{_digits(rng, 7)}"


def _date(rng):
    y, m, d = rng.randint(1990, 2035), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{y}-{m:02d}-{d:02d}", f"{d:02d}.{m:02d}.{y}", f"{m}/{d}/{y}", f"{y}-{m:02d}-{d:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                       f"{d:02d}/{m:02d}/{y} - {d:02d}/{m:02d}/{y}", f"{y}{m:02d}{d:02d}"])


def _amount(rng):
    whole, cents = rng.randint(0, 99_999), rng.randint(0, 99)
    return rng.choice([f"{whole}.{cents:02d}", f"{whole:,},{cents:02d} €".replace(",", ".", whole >= 1000), f"${whole:,}.{cents:02d}",
                       f"{whole} EUR", f"{whole},{cents:02d} €", f"{whole}.{cents:02d} {rng.randint(1, 9999)}.{cents:02d}"])


def _version(rng):
    return rng.choice([f"{rng.randint(1, 20)}.{rng.randint(0, 9)}.{rng.randint(0, 99999)}",
                       f"{rng.randint(1, 20)}.{rng.randint(0, 9)}.{rng.randint(10000, 29999)}.{rng.randint(0, 9999)}",
                       f"v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 200)}", f"build {rng.randint(10**9, 10**10 - 1)}"])


def _imei(rng):  # a phone's IMEI: a type allocation code (35…, 86…, 01…), 6 digits, Luhn
    return _with_luhn(rng.choice(["35", "86", "01", "99"]) + _digits(rng, 12))


def _iccid(rng):  # a SIM card's number: 89 (telecom), country, issuer, 19 or 20 digits, Luhn
    return _with_luhn("89" + _digits(rng, rng.choice([16, 17])))


#: id and number families a help centre's customers quote that must keep every character:
#: (name, maker, masked by mask_pii too? — False where a phone-shaped number is masked as [phone])
KEPT = [
    ("20 hex", lambda rng: _hex(rng, 20)),
    ("20 HEX", lambda rng: _hex(rng, 20).upper()),
    ("ev- + 20 hex", lambda rng: "ev-" + _hex(rng, 20)),
    ("24 hex (ObjectId)", lambda rng: _hex(rng, 24)),
    ("32 hex", lambda rng: _hex(rng, 32)),
    ("UUID", lambda rng: str(uuid.UUID(int=rng.getrandbits(128), version=4))),
    ("ticket", lambda rng: "CB-" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))),
    ("order ORD-yyyy-HEX", lambda rng: f"ORD-{rng.randint(2020, 2030)}-{_hex(rng, 12).upper()}"),
    ("order 3-7-7", _amazon),
    ("order #digits (6-12)", lambda rng: "#" + _digits(rng, rng.randint(6, 12))),
    ("reference 20-22 digits", lambda rng: rng.choice(["94", "92", "93", "420", "1", "7", "0"]) + _digits(rng, rng.randint(18, 20))),
    ("reference 20-30 digits", lambda rng: _digits(rng, rng.randint(20, 30))),
    ("SIM ICCID (19-20, Luhn)", _iccid),
    ("date", _date),
    ("amount", _amount),
    ("version", _version),
]
#: a tracking number printed in fours: kept, but four of its groups in a row that make a card
#: number are masked as one (a card number and its expiry date read so too)
IN_FOURS = ("reference 20-22 digits in fours",
            lambda rng: " ".join(_cut(rng.choice(["9400", "9205", "9303", "4201"]) + _digits(rng, rng.randint(16, 18)), [4] * 6)))
#: numbers a help centre reads that are masked as [phone] by design (7-15 digits): kept by
#: mask_payment (contact messages), masked by mask_pii
PHONE_SHAPED = [("IMEI (15, Luhn)", _imei)]
def _phone(rng):  # a phone number as written in the US, the UK or Germany, or bare
    return rng.choice([f"{rng.randint(200, 999)}-{rng.randint(200, 999)}-{_digits(rng, 4)}", f"020-{_digits(rng, 4)}-{_digits(rng, 4)}",
                       f"({rng.randint(200, 999)}) {rng.randint(200, 999)}-{_digits(rng, 4)}", f"0171 {_digits(rng, 7)}",
                       f"+44 20 {_digits(rng, 4)} {_digits(rng, 4)}", f"{rng.randint(200, 999)}{_digits(rng, 7)}"])


def joined_phones(rng):
    """Two phone numbers joined by "/", "-", " / " or ", " (a customer's office and mobile): 20+
    digits in one run, which must not read as a reference kept whole; returns (text, the two)."""
    first, second = _phone(rng), _phone(rng)
    return f"{first}{rng.choice(['/', '-', ' / ', ', '])}{second}", (first, second)


#: how an id sits in what a customer types
AROUND = ["{}", "my order {} did not arrive", "ref: {}.", "({})", "Bestellung {}, bitte", "since {} it fails",
          "tracking {} shows nothing", "id={}"]

PROSE = ["I bought {a} thermostats for {b} on {d} and {c} more later", "error {a} after {b} tries, {c} left",
         "rooms {a} {b} {c} and {e}", "page {a} of {b}, step {c}", "{a} {b} {c} {e} {a}",
         "it took {a} minutes {b} seconds", "from {a} to {b} then {c}", "code {e}, then {a}.{b}.{c}"]


def prose(rng: random.Random) -> str:
    """A sentence with small numbers in it (counts, codes, years, times)."""
    return rng.choice(PROSE).format(a=rng.randint(0, 9999), b=rng.randint(0, 99999), c=rng.randint(0, 999),
                                    d=_date(rng), e=rng.randint(1000, 9999))


def kept_texts(seed: str, n: int, make):
    rng = random.Random(seed)
    for i in range(n):
        yield AROUND[i % len(AROUND)].format(make(rng))
