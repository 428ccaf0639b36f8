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
import re
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


#: dates and times in every common way to write them (ISO, European, US, two-digit years, whole,
#: with a time, ranges, month names)
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _date_any(rng):
    y, m, d, d2 = rng.randint(1990, 2035), rng.randint(1, 12), rng.randint(1, 28), rng.randint(1, 28)
    h, mi, sec, yy = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 99)
    return rng.choice([
        f"{y}-{m:02d}-{d:02d}", f"{y}/{m:02d}/{d:02d}", f"{y}.{m:02d}.{d:02d}", f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}",
        f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y}", f"{d:02d}-{m:02d}-{y}", f"{d:02d}.{m:02d}.{yy:02d}", f"{m}/{d}/{yy:02d}",
        f"{y}{m:02d}{d:02d}", f"{d:02d}{m:02d}{y}", f"{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}", f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{sec:02d}Z",
        f"{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{sec:02d}", f"{d:02d}.{m:02d}.{y} {h:02d}:{mi:02d}", f"{m}/{d}/{y} {h % 12 + 1}:{mi:02d} PM",
        f"{d:02d}/{m:02d}/{y} - {d2:02d}/{m:02d}/{y}", f"{d:02d}.{m:02d}.{y} - {d2:02d}.{m:02d}.{y}", f"{d} {_MONTHS[m - 1]} {y}",
        f"{_MONTHS[m - 1]} {d}, {y}", f"{y}-{m:02d}", f"{d:02d}.{m:02d}.{y}, {h:02d}.{mi:02d} Uhr", f"{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d} {y}-{m:02d}-{d2:02d}"])


def _version_any(rng):  # version, build and release numbers as apps, firmware and systems print them
    a, b, c = rng.randint(0, 20), rng.randint(0, 30), rng.randint(0, 300)
    return rng.choice([
        f"v{a}.{b}.{c}", f"{a}.{b}.{c}", f"10.0.{rng.randint(19041, 26100)}", f"10.0.{rng.randint(19041, 26100)}.{rng.randint(1, 5000)}",
        f"{a}.{b}.{c}.{rng.randint(1000, 99999)}", f"build {rng.randint(10**9, 10**10 - 1)}", f"{a}.{b}.{c}-beta.{rng.randint(1, 9)}",
        f"{rng.randint(3, 6)}.{rng.randint(0, 19)}.0-{rng.randint(10, 40)}-amd64", f"{rng.randint(2018, 2026)}.{rng.randint(1, 12)}.{rng.randint(1, 9)}",
        f"firmware {a}.{b}.{c}", f"ver. {a}.{b}.{c}", f"iOS {rng.randint(12, 18)}.{rng.randint(0, 7)}.{rng.randint(0, 3)}",
        f"22H2 build {rng.randint(19041, 26100)}.{rng.randint(1000, 5000)}", f"build {rng.randint(2018, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(1, 99):02d}",
        f"{a}.{b}.{c} ({rng.randint(100000, 9999999)})", f"{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"])


#: numbers in what customers write: amounts, counts, model numbers, times, temperatures, lists
PROSE_NUMBERS = [
    "paid {amount} for {n} thermostats", "{n} rooms, {m} sensors and {k} radiators", "model RT-{model} and RT-{model2}",
    "my RT-{model} shows {m}", "at {h}:{mi} and again at {h2}:{mi}", "from {h}:{mi} to {h2}:{mi} every day",
    "it took {m} min {k} s", "set to {t} but shows {t2} degrees", "between {n} and {big}", "{n} {m} {k} {n}",
    "order of {m} units at {amount} each", "{k}x {m}W {n}V", "{k}% of {big} users", "{big} steps, {n} kWh in {m} days",
    "rooms {n} {big} {k} and {n}", "page {n} of {big}, step {k}", "SKU {model}-{m}-{k}", "{big}.{m} kWh then {big2}.{k} kWh",
]


def prose_numbers(rng: random.Random) -> str:
    return rng.choice(PROSE_NUMBERS).format(
        amount=_amount(rng), n=rng.randint(0, 9999), m=rng.randint(0, 999), k=rng.randint(0, 99), big=rng.randint(0, 99999),
        big2=rng.randint(0, 99999), model=rng.randint(100, 9999), model2=rng.randint(100, 9999), h=rng.randint(0, 23),
        h2=rng.randint(0, 23), mi=f"{rng.randint(0, 59):02d}", t=rng.randint(5, 30), t2=rng.randint(5, 30))


def _d(rng, n):  # n digits, the first not 0
    return str(rng.randint(1, 9)) + _digits(rng, n - 1)


def _n(rng):  # a North American area code or exchange: 2-9 then two digits
    return str(rng.randint(2, 9)) + _digits(rng, 2)


#: phone numbers as they are written in each country (20 numbering plans and ten smaller ones),
#: nationally and with the country code; each was masked by the masker before session 39 (7-15
#: digits) and must stay masked
PHONES = {
    "US/Canada": [lambda r: f"({_n(r)}) {_n(r)}-{_digits(r, 4)}", lambda r: f"{_n(r)}-{_n(r)}-{_digits(r, 4)}",
                  lambda r: f"{_n(r)}.{_n(r)}.{_digits(r, 4)}", lambda r: f"{_n(r)} {_n(r)} {_digits(r, 4)}",
                  lambda r: f"1-{_n(r)}-{_n(r)}-{_digits(r, 4)}", lambda r: f"{_n(r)}{_n(r)}{_digits(r, 4)}",
                  lambda r: f"{_n(r)}-{_digits(r, 4)}", lambda r: f"555-{_digits(r, 3)}-{_digits(r, 4)}"],
    "UK": [lambda r: f"020 {_d(r, 4)} {_digits(r, 4)}", lambda r: f"07{_digits(r, 3)} {_digits(r, 6)}", lambda r: f"01{_digits(r, 3)} {_digits(r, 6)}",
           lambda r: f"07{_digits(r, 9)}", lambda r: f"0{r.randint(1, 9)}{_digits(r, 2)}-{_digits(r, 3)}-{_digits(r, 4)}"],
    "Germany": [lambda r: f"030 {_d(r, 8)}", lambda r: f"01{r.randint(50, 79)} {_d(r, 7)}", lambda r: f"01{r.randint(50, 79)}-{_d(r, 7)}",
                lambda r: f"01{r.randint(50, 79)}/{_d(r, 7)}", lambda r: f"089 {_d(r, 6)}", lambda r: f"01{r.randint(50, 79)}{_d(r, 7)}",
                lambda r: f"(0{r.randint(2, 9)}{_digits(r, 2)}) {_d(r, 6)}", lambda r: f"0{r.randint(2, 9)}{_digits(r, 2)} / {_d(r, 6)}"],
    "France": [lambda r: f"0{r.randint(1, 9)} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)}",
               lambda r: f"0{r.randint(1, 9)}.{_digits(r, 2)}.{_digits(r, 2)}.{_digits(r, 2)}.{_digits(r, 2)}", lambda r: f"0{r.randint(6, 7)}{_digits(r, 8)}"],
    "Spain": [lambda r: f"{r.randint(6, 9)}{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 3)}", lambda r: f"{r.randint(6, 9)}{_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)}",
              lambda r: f"{r.randint(6, 9)}{_digits(r, 8)}"],
    "Italy": [lambda r: f"02 {_digits(r, 4)} {_digits(r, 4)}", lambda r: f"06 {_d(r, 7)}", lambda r: f"3{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 4)}",
              lambda r: f"3{_digits(r, 9)}"],
    "Netherlands": [lambda r: f"06-{_d(r, 8)}", lambda r: f"06 {_d(r, 8)}", lambda r: f"020 {_d(r, 3)} {_digits(r, 4)}"],
    "India": [lambda r: f"{r.randint(6, 9)}{_digits(r, 4)} {_digits(r, 5)}", lambda r: f"{r.randint(6, 9)}{_digits(r, 9)}", lambda r: f"022 {_d(r, 4)} {_digits(r, 4)}"],
    "China": [lambda r: f"1{r.randint(3, 9)}{_digits(r, 1)} {_digits(r, 4)} {_digits(r, 4)}", lambda r: f"1{r.randint(3, 9)}{_digits(r, 9)}",
              lambda r: f"010-{_d(r, 8)}"],
    "Japan": [lambda r: f"03-{_digits(r, 4)}-{_digits(r, 4)}", lambda r: f"0{r.choice([7, 8, 9])}0-{_digits(r, 4)}-{_digits(r, 4)}", lambda r: f"0{r.choice([7, 8, 9])}0{_digits(r, 8)}"],
    "Australia": [lambda r: f"(0{r.choice([2, 3, 7, 8])}) {_d(r, 4)} {_digits(r, 4)}", lambda r: f"0{r.choice([2, 3, 7, 8])} {_d(r, 4)} {_digits(r, 4)}",
                  lambda r: f"04{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 3)}", lambda r: f"04{_digits(r, 8)}"],
    "Brazil": [lambda r: f"({r.randint(11, 99)}) 9{_digits(r, 4)}-{_digits(r, 4)}", lambda r: f"({r.randint(11, 99)}) {r.randint(2, 5)}{_digits(r, 3)}-{_digits(r, 4)}",
               lambda r: f"{r.randint(11, 99)} 9{_digits(r, 4)}-{_digits(r, 4)}"],
    "Mexico": [lambda r: f"55 {_digits(r, 4)} {_digits(r, 4)}", lambda r: f"{r.randint(2, 9)}{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 4)}"],
    "Russia": [lambda r: f"8 ({r.choice(['495', '499', '812', '916', '903'])}) {_digits(r, 3)}-{_digits(r, 2)}-{_digits(r, 2)}",
               lambda r: f"8 9{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 2)} {_digits(r, 2)}", lambda r: f"89{_digits(r, 9)}"],
    "Poland": [lambda r: f"{r.choice(['50', '51', '53', '60', '66', '69', '72', '78', '88'])}{_digits(r, 1)} {_digits(r, 3)} {_digits(r, 3)}",
               lambda r: f"{r.choice(['50', '51', '60', '69'])}{_digits(r, 1)}-{_digits(r, 3)}-{_digits(r, 3)}"],
    "Portugal/Czechia": [lambda r: f"9{r.choice('1236')}{_digits(r, 1)} {_digits(r, 3)} {_digits(r, 3)}", lambda r: f"2{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 3)}",
                         lambda r: f"{r.choice(['601', '602', '720', '777'])} {_digits(r, 3)} {_digits(r, 3)}"],
    "Sweden/Switzerland": [lambda r: f"07{r.choice('0236')}-{_digits(r, 3)} {_digits(r, 2)} {_digits(r, 2)}", lambda r: f"08-{_d(r, 3)} {_digits(r, 3)} {_digits(r, 2)}",
                           lambda r: f"07{r.choice('5689')} {_digits(r, 3)} {_digits(r, 2)} {_digits(r, 2)}", lambda r: f"044 {_d(r, 3)} {_digits(r, 2)} {_digits(r, 2)}"],
    "South Korea": [lambda r: f"010-{_digits(r, 4)}-{_digits(r, 4)}", lambda r: f"02-{_d(r, 3)}-{_digits(r, 4)}"],
    "smaller plans (DK, HK, SG, IS, EE, CY, LB, BW, HU, LT)": [
        lambda r: f"{r.randint(2, 9)}{_digits(r, 1)} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)}", lambda r: f"{r.choice('235689')}{_digits(r, 3)} {_digits(r, 4)}",
        lambda r: f"{r.randint(4, 8)}{_digits(r, 2)} {_digits(r, 4)}", lambda r: f"{r.randint(2, 9)}{_digits(r, 1)} {_digits(r, 6)}",
        lambda r: f"0{r.randint(1, 9)} {_digits(r, 3)} {_digits(r, 3)}", lambda r: f"7{r.randint(1, 7)} {_digits(r, 3)} {_digits(r, 3)}",
        lambda r: f"(06 1) {_digits(r, 3)} {_digits(r, 4)}", lambda r: f"(0-{r.choice(['312', '612', '5'])}) {_digits(r, 5)}"],
}
#: the same with the country code (+CC or 00CC), as each country writes it
PHONES_INTERNATIONAL = {
    "US/Canada": [lambda r: f"+1 {_n(r)} {_n(r)} {_digits(r, 4)}", lambda r: f"+1 ({_n(r)}) {_n(r)}-{_digits(r, 4)}", lambda r: f"+1-{_n(r)}-{_n(r)}-{_digits(r, 4)}", lambda r: f"+1{_n(r)}{_n(r)}{_digits(r, 4)}"],
    "UK": [lambda r: f"+44 20 {_d(r, 4)} {_digits(r, 4)}", lambda r: f"+44 7{_digits(r, 3)} {_digits(r, 6)}", lambda r: f"+44 (0)20 {_d(r, 4)} {_digits(r, 4)}", lambda r: f"0044 20 {_d(r, 4)} {_digits(r, 4)}"],
    "Germany": [lambda r: f"+49 30 {_d(r, 8)}", lambda r: f"+49 1{r.randint(50, 79)} {_d(r, 7)}", lambda r: f"0049 1{r.randint(50, 79)} {_d(r, 7)}", lambda r: f"+49 (0)30 {_d(r, 8)}"],
    "France": [lambda r: f"+33 {r.randint(1, 9)} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)} {_digits(r, 2)}", lambda r: f"+33{r.randint(6, 7)}{_digits(r, 8)}"],
    "Spain": [lambda r: f"+34 {r.randint(6, 9)}{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 3)}"],
    "Italy": [lambda r: f"+39 02 {_digits(r, 4)} {_digits(r, 4)}", lambda r: f"+39 3{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 4)}"],
    "Netherlands": [lambda r: f"+31 6 {_d(r, 8)}", lambda r: f"+31 20 {_d(r, 3)} {_digits(r, 4)}"],
    "India": [lambda r: f"+91 {r.randint(6, 9)}{_digits(r, 4)} {_digits(r, 5)}", lambda r: f"+91-{r.randint(6, 9)}{_digits(r, 9)}"],
    "China": [lambda r: f"+86 1{r.randint(3, 9)}{_digits(r, 1)} {_digits(r, 4)} {_digits(r, 4)}", lambda r: f"+86 10 {_d(r, 8)}"],
    "Japan": [lambda r: f"+81 3 {_digits(r, 4)} {_digits(r, 4)}", lambda r: f"+81 90 {_digits(r, 4)} {_digits(r, 4)}"],
    "Australia": [lambda r: f"+61 2 {_d(r, 4)} {_digits(r, 4)}", lambda r: f"+61 4{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 3)}"],
    "Brazil": [lambda r: f"+55 {r.randint(11, 99)} 9{_digits(r, 4)}-{_digits(r, 4)}"],
    "Mexico": [lambda r: f"+52 55 {_digits(r, 4)} {_digits(r, 4)}"],
    "Russia": [lambda r: f"+7 (495) {_digits(r, 3)}-{_digits(r, 2)}-{_digits(r, 2)}", lambda r: f"+7 9{_digits(r, 2)} {_digits(r, 3)} {_digits(r, 2)} {_digits(r, 2)}"],
    "Poland": [lambda r: f"+48 {r.choice(['50', '60', '69'])}{_digits(r, 1)} {_digits(r, 3)} {_digits(r, 3)}"],
    "Sweden/Switzerland": [lambda r: f"+46 70-{_digits(r, 3)} {_digits(r, 2)} {_digits(r, 2)}", lambda r: f"+41 79 {_digits(r, 3)} {_digits(r, 2)} {_digits(r, 2)}"],
    "South Korea": [lambda r: f"+82 10-{_digits(r, 4)}-{_digits(r, 4)}"],
    "Singapore/Hong Kong": [lambda r: f"+65 {r.choice([6, 8, 9])}{_digits(r, 3)} {_digits(r, 4)}", lambda r: f"+852 {r.randint(2, 9)}{_digits(r, 3)} {_digits(r, 4)}"],
}


def _without_plus(make, whole: bool):
    """``make``'s number with its country code but no ``+``/``00`` ("44 7911 123456"), or all its
    digits in one run ("447911123456")."""
    def made(rng):
        number = make(rng)
        number = number[1:] if number.startswith("+") else number[2:]
        return re.sub(r"\D", "", number) if whole else number
    return made


#: the same with the country code but no ``+`` or ``00``, as written and in one run
#: (``447911123456``, ``8613800138000``): masked by c7abe08 (7-15 digits), so they must stay masked
PHONES_WITHOUT_PLUS = {country: [_without_plus(make, whole) for make in makers for whole in (False, True)]
                       for country, makers in PHONES_INTERNATIONAL.items()}
#: how a phone number sits in what a customer types (with and without a word that says so)
PHONE_AROUND = ["{}", "call {}", "my number is {}", "reach me at {}", "Tel. {}", "({})", "new number {} please update",
                "{} is my mobile", "Rückruf unter {}", "please ring {} after 5", "contact: {}", "whatsapp {}",
                "change phone number to {}", "Handy: {}", "{}", "appelez-moi au {}"]


def phone_texts(seed: str, n: int, makers):
    """``n`` (text, the number) with ``makers``' numbers in PHONE_AROUND's sentences."""
    rng = random.Random(seed)
    for i in range(n):
        number = rng.choice(makers)(rng)
        yield PHONE_AROUND[i % len(PHONE_AROUND)].format(number), number


#: what comes before a phone number in a run of digits with nothing but a space between (a
#: quantity, an order or ticket number, a date, a room): the number after it must still be masked
LEAD_INS = {
    "a lone number": lambda r: str(r.randint(1, 99)),
    "a quantity": lambda r: f"qty {r.randint(1, 20)}",
    "an order number": lambda r: f"order {_d(r, r.randint(6, 10))}",
    "a ticket number after #": lambda r: f"#{_d(r, r.randint(4, 8))}",
    "a date": lambda r: r.choice([f"{r.randint(2020, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                                  f"{r.randint(1, 28):02d}.{r.randint(1, 12):02d}.{r.randint(2020, 2026)}",
                                  f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(2020, 2026)}"]),
    "an amount": lambda r: f"{r.randint(1, 999)}.{r.randint(0, 99):02d}",
    "a room and floor": lambda r: f"room {r.randint(1, 40)} {r.randint(100, 999)}",
}
#: the sentences around a lead-in and the number ("2 0049 30 1234567")
LEAD_IN_AROUND = ["{} {}", "{} {} thanks", "my {} {} please", "({} {})", "re {} {}: no answer"]


def lead_in_texts(seed: str, n: int, lead: str, prefix: str):
    """``n`` (text, the number): ``LEAD_INS[lead]`` then an international number of
    ``PHONES_INTERNATIONAL`` written with ``prefix`` ("+" or "00") in ``LEAD_IN_AROUND``."""
    rng = random.Random(seed)
    makers = [make for makers in PHONES_INTERNATIONAL.values() for make in makers]
    for i in range(n):
        number = rng.choice(makers)(rng)
        bare = number[1:] if number.startswith("+") else number[2:]  # the makers write "+44" and "0044"
        number = prefix + bare
        yield LEAD_IN_AROUND[i % len(LEAD_IN_AROUND)].format(LEAD_INS[lead](rng), number), number


#: how the number before a phone number is written when their digits together read as a card
#: number (``card_joined_texts``), and a real card number before one (its digits must be masked too)
JOINED_LEADS = {"a number": "{}", "an order number": "order {}", "a ticket number after #": "#{}",
                "a card number": "card {}"}
#: the phone number after it: dialled with 00, with +, national, with its country code but no + or 00
JOINED_KINDS = ["00", "+", "national", "country code without +"]


def _joined_makers(kind: str):
    if kind == "national":
        return [make for makers in PHONES.values() for make in makers]
    if kind == "country code without +":
        return [make for makers in PHONES_WITHOUT_PLUS.values() for make in makers[::2]]  # grouped, not whole
    return [make for makers in PHONES_INTERNATIONAL.values() for make in makers]


def _card_head(rng: random.Random, head: str) -> str | None:
    """Digits that, written before ``head`` (the phone number's first digit groups), make a card
    number of a random network (its start, one of its lengths, the Luhn digit right), or None."""
    network = rng.choice(sorted(CARD_NETWORKS))
    prefixes, lengths = CARD_NETWORKS[network]
    low, _, high = rng.choice(prefixes.split()).partition("-")
    start = str(rng.randint(int(low), int(high or low))).zfill(len(low))
    size = rng.choice(lengths) - len(head)
    if size <= len(start):
        return None  # the card's start would run into the phone number's digits
    lead = start + _digits(rng, size - len(start))
    fitting = [lead[:-1] + d for d in DIGITS if luhn_ok(lead[:-1] + d + head)]
    return fitting[0] if fitting else None


def card_joined_texts(seed: str, n: int, lead: str, kind: str):
    """``n`` (text, the lead's digits, the phone number): a number (``JOINED_LEADS[lead]``) then a
    phone number of ``kind`` (``JOINED_KINDS``) in one run of digits, the number's digits and the
    phone number's first groups (not all of them) together a card number (``order 420946178 0044
    7226 362742``: 13 digits, Visa's start, Luhn). For "a card number" the lead is a real card number
    printed in fours, whatever its digits make with the phone number's. For ``+`` the digits after
    the ``+`` are used (a ``+`` ends a run of digits, so such a span never forms)."""
    rng = random.Random(seed)
    makers = _joined_makers(kind)
    made = 0
    while made < n:
        number = rng.choice(makers)(rng)
        if kind in ("00", "+"):
            bare = number[1:] if number.startswith("+") else number[2:]
            number = ("00" if kind == "00" else "+") + bare
        if lead == "a card number":
            digits = card(rng, rng.choice(sorted(CARD_NETWORKS)))
            written = " ".join(_cut(digits, _printed(digits)))
        else:
            groups = re.findall(r"\d+", number)
            head = "".join(groups[:rng.randint(1, len(groups) - 1)]) if len(groups) > 1 else ""
            digits = _card_head(rng, head) if head else None
            if digits is None:
                continue
            written = digits
        made += 1
        yield LEAD_IN_AROUND[made % len(LEAD_IN_AROUND)].format(JOINED_LEADS[lead].format(written), number), digits, number


#: ids that follow a real card number in one run of digits (``card_then_id_texts``)
IDS_AFTER_CARD = {
    "an order number (6-12 digits)": lambda r: _digits(r, r.randint(6, 12)),
    "an order number 3-7-7": lambda r: f"{_digits(r, 3)}-{_digits(r, 7)}-{_digits(r, 7)}",
    "a ticket #digits": lambda r: "#" + _digits(r, r.randint(4, 10)),
    "a reference of 20-22 digits": lambda r: _digits(r, r.randint(20, 22)),
    "a reference in fours (20 digits)": lambda r: " ".join(_cut(_digits(r, 20), [4] * 5)),
    "an id glued to hex letters": lambda r: f"{_digits(r, 4)}-{''.join(r.choice('0123456789abcdef') for _ in range(4))}",
    # a reference joined by one of - / _ whose first group is shorter than four (31da265 left 11 of
    # 20,000 cards before one readable: a card-shaped run of its own apart from the card, after "card")
    "a reference joined by - / _": lambda r: r.choice("-/_").join(
        [_digits(r, r.randint(1, 3))] + [_digits(r, r.randint(2, 5)) for _ in range(r.randint(3, 6))]),
}


def card_then_id_texts(seed: str, n: int, kind: str):
    """``n`` (text, the card's digits, the id): a real card number printed as its network prints
    it, then an id of ``kind`` (``IDS_AFTER_CARD``) in the same run of digits (``card 4111 1111
    1111 1111 12345678``, ``… 5140-9f2c``: reader 43's R0), in ``LEAD_IN_AROUND``'s sentences."""
    rng = random.Random(seed)
    for made in range(n):
        digits = card(rng, rng.choice(sorted(CARD_NETWORKS)))
        ident = IDS_AFTER_CARD[kind](rng)
        yield LEAD_IN_AROUND[made % len(LEAD_IN_AROUND)].format(" ".join(_cut(digits, _printed(digits))), ident), digits, ident


#: words that say what a number printed in groups is (``grouped_reference_texts``)
REFERENCE_WORDS = ["serial", "tracking", "invoice", "order", "ref", "ticket", "sn", "parcel", "account"]


def grouped_reference_texts(seed: str, n: int, zero: bool):
    """``n`` (text, the reference): one of ``REFERENCE_WORDS`` then one reference printed in 2-5
    groups of 1-6 digits, 10-15 digits in all (``serial 55 012 345 678``, ``tracking 1 0291 8837
    4412``); with ``zero`` a group after the first starts with 0 (what ``_trunk_inside`` reads as a
    national number's trunk prefix), else its digits are drawn as they come."""
    rng = random.Random(seed)
    made = 0
    while made < n:
        sizes = [rng.randint(1, 6) for _ in range(rng.randint(2, 5))]
        if not 10 <= sum(sizes) <= 15:
            continue
        groups = [_digits(rng, size) for size in sizes]
        if zero:
            at = rng.randrange(1, len(groups))
            groups[at] = "0" + str(rng.randint(1, 9)) + groups[at][2:] if len(groups[at]) > 1 else "0"
        reference = " ".join(groups)
        made += 1
        yield f"{rng.choice(REFERENCE_WORDS)} {reference}", reference


#: what a national number with its trunk 0 follows in one run (``trunk_after_texts``)
TRUNK_LEADS = {"a number": "{}", "two numbers": "{} {}", "an order number": "order {}", "a reference": "ref {}",
               "a ticket number after #": "#{}"}


def _trunk_makers() -> list:
    """``PHONES``' national numbers written with their trunk 0 in two groups or more (``07911 123456``,
    ``06.12.34.56.78``, ``020 7946 0958``), drawn once each to see their shape."""
    rng = random.Random("trunk-shapes")
    return [make for makers in PHONES.values() for make in makers
            if re.match(r"0[1-9]", (sample := make(rng))) and len(re.findall(r"\d+", sample)) >= 2]


def trunk_after_texts(seed: str, n: int, lead: str):
    """``n`` (text, the phone number): a number (``TRUNK_LEADS[lead]``: 1-9 digits; "two numbers" a
    digit and 8 more, so the run holds more than 15 digits: ``2 42094617 07911 123456``) then a
    national number of ``PHONES`` with its trunk 0, in groups, in one run of digits, in
    ``LEAD_IN_AROUND``'s sentences."""
    rng = random.Random(seed)
    makers = _trunk_makers()
    for made in range(n):
        number = rng.choice(makers)(rng)
        numbers = (str(rng.randint(1, 9)), _digits(rng, 8)) if lead == "two numbers" else (str(rng.randint(1, 10 ** rng.randint(1, 9))),)
        yield LEAD_IN_AROUND[made % len(LEAD_IN_AROUND)].format(TRUNK_LEADS[lead].format(*numbers), number), number


def card_with_code(rng):
    """A card number glued to its security code (3 digits; Amex's 4) or an Amex to its expiry
    date: 19 digits in one run (``4111111111111111123``)."""
    network = rng.choice([n for n, (_, lengths) in CARD_NETWORKS.items() if 16 in lengths] + ["American Express"] * 3)
    if network == "American Express":
        number = card(rng, network)
        return number + rng.choice([_digits(rng, 4), f"{rng.randint(1, 12):02d}{rng.randint(24, 35)}"])
    number = card(rng, network)
    while len(number) != 16:
        number = card(rng, network)
    return number + _digits(rng, 3)


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
    ("dates (every format)", _date_any),
    ("versions (every form)", _version_any),
    ("IMEI after the word IMEI", lambda rng: rng.choice(["IMEI ", "IMEI: ", "my IMEI is ", "imei "]) + _imei(rng)),
]
#: numbers that are no phone number but may hold a card number by chance (a list of numbers whose
#: groups read as a card cut anywhere; a 16-19 digit reference that is one, or one glued to its
#: code): never [phone] or [number], [card] at the card rules' rate
NUMBERS = [
    ("numbers in prose (amounts, counts, models, times)", prose_numbers),
    ("reference 16-19 digits", lambda rng: _d(rng, rng.randint(16, 19))),
]
#: a tracking number printed in fours: kept, but four of its groups in a row that make a card
#: number are masked as one (a card number and its expiry date read so too)
IN_FOURS = ("reference 20-22 digits in fours",
            lambda rng: " ".join(_cut(rng.choice(["9400", "9205", "9303", "4201"]) + _digits(rng, rng.randint(16, 18)), [4] * 6)))
#: a bare IMEI (15 digits, Luhn): masked as [phone] by mask_pii until session 39 (7-15 digits);
#: now kept but where it reads as a Voyager card (8699…) without the word IMEI before it
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


#: the regions whose national numbers are generated for the region setting (declared before it
#: was measured): the UK and Ireland, Germany, France, Hong Kong, the US, Australia, India,
#: Singapore, Denmark
REGIONS = ["GB", "IE", "DE", "FR", "HK", "US", "AU", "IN", "SG", "DK"]
#: how a national number sits in what a customer types, without a word saying it is a phone
#: number: alone, in a list, after an abbreviation, in a sentence
NATIONAL_AROUND = ["{}", "rooms {} 261", "fw {}", "sn {}", "kb {}", "it says {} on the box", "({})", "{} thanks"]
NATIONAL_FORMS = ["as the region writes it", "digits whole", "odd grouping"]


def national_number(rng: random.Random, region: str) -> tuple[str, str]:
    """A valid national number of ``region`` (fixed line or mobile, libphonenumber's plan: its
    example number's first digits, the last six random), as the region writes it at home, and
    its digits."""
    import phonenumbers
    from phonenumbers import PhoneNumberType

    kind = rng.choice([PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE])
    example = phonenumbers.example_number_for_type(region, kind)
    national = phonenumbers.national_significant_number(example)
    keep = max(1, len(national) - 6)
    while True:
        number = phonenumbers.parse(f"+{example.country_code}{national[:keep]}{_digits(rng, len(national) - keep)}")
        if phonenumbers.is_valid_number_for_region(number, region):
            written = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
            return written, re.sub(r"\D", "", written)


def national_texts(seed: str, n: int, region: str, form: str):
    """``n`` (text, the number's digits): ``region``'s national numbers written in ``form``
    (``NATIONAL_FORMS``) in NATIONAL_AROUND's sentences."""
    rng = random.Random(seed)
    for i in range(n):
        written, digits = national_number(rng, region)
        if form == "digits whole":
            written = digits
        elif form == "odd grouping":
            cuts = sorted(rng.sample(range(1, len(digits)), rng.randint(2, min(4, len(digits) - 1))))
            written = " ".join(digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)]))
        yield NATIONAL_AROUND[i % len(NATIONAL_AROUND)].format(written), digits


#: words that say a number is a serial, a KB article, a revision, a firmware or an id (the
#: masker's what-words that are abbreviations, and "id"), as customers type them
SERIAL_WORDS = ["sn", "SN:", "S/N", "kb", "KB", "rev", "ver", "fw", "id", "ID:"]
#: how such a number sits in a sentence
SERIAL_AROUND = ["{}", "my thermostat {} keeps rebooting", "updated to {} today", "({})", "see {} please"]


def serial_texts(seed: str, n: int, leading_zero: bool = False):
    """``n`` (text, digits): an abbreviation of ``SERIAL_WORDS`` and 7-12 random digits (the first
    not 0, as session 40's reader counted them; ``leading_zero``: the first 0) whole after it, in
    ``SERIAL_AROUND``'s sentences. No word says they are a phone number: a serial, never [phone]."""
    rng = random.Random(seed)
    for i in range(n):
        length = rng.randint(7, 12)
        digits = ("0" if leading_zero else str(rng.randint(1, 9))) + _digits(rng, length - 1)
        word = SERIAL_WORDS[i % len(SERIAL_WORDS)]
        yield SERIAL_AROUND[(i // len(SERIAL_WORDS)) % len(SERIAL_AROUND)].format(f"{word} {digits}"), digits
