"""Phone numbers the PII masker leaves readable in ``masking_same.py``'s corpus, counted per family,
with each text's phone numbers recorded from the test kit's makers while the corpus is made (the
texts are ``masking_same.py``'s, character for character, for the same seed): international numbers
after a lead-in, phone numbers after a number whose digits and theirs read as a card number, random
runs of numbers with a phone number among them, and prose with small numbers then a phone number
(``code 7463, then 7328.78522.733 01519651436``: the prose's last numbers and the phone number one
run). A text leaks when a digit group of 3 digits or more of one of its phone numbers is a whole run
of digits in the masked text. Each text with no region, GB,IE and HK; the working tree's masker and,
with ``--rev``, the one at a git revision. Counts on fixed inputs: they do not depend on the load.

    python benchmarks/masking_leaks.py [--rev REV] [--n 20000] [--seed same-s43] [--show 10]

``--seed``: the corpus's seed (``same-s43``, the development one, is ``masking_same.py``'s; another
gives texts nobody has looked at).

A fifth family, not in ``masking_same.py`` (its texts come after the others, from a random generator
of their own, so the first four families' texts are unchanged): a phone number after a word that
says what the number before it is, and a colon, comma or semicolon (``order 12: 555-123-4567``,
``ticket 4821, 0171 1234567``: reader 46, R3), ``--named`` texts (2,000).

A sixth, after it (``--ids`` texts, 2,000, a generator of its own): a national id number, with a
word that names it or none, in the forms customers type it: a US SSN or ITIN (``536-22-1846``,
``536 22 1846``, ``536221846``), a UK National Insurance number (``JG103795A``, ``JG 10 37 95 A``, in
either case), a German Steuer-ID (``24 999 310 570``, ``24999310570``); the numbers are valid by
python-stdnum's checks (made independently of the masker's own). An id leaks when it is left as
typed or a group of 3+ of its digits is a whole run; "marked [id]" counts the texts where it
became ``[id]`` (not ``[phone]``).

A seventh, after it (``--more-ids`` texts, 2,000, a generator of its own): more forms of national
ids: a UK NINO in dashes (``JG-10-37-95-A``), a US SSN glued to its word (``ssn536-22-1846``) or named
four words back (``my social security number is 536 22 1846``), India's Aadhaar number after its word
(valid by python-stdnum; 4-4-4 or whole), a German pension insurance number (``12 150485 M 037``) with
its word or none. "marked [id]" counts both id families.

The price, last: lists of numbers after a word that names them (``order 48213, 5551234567``: the
documented keep), ``--lists`` texts (4,000) of two numbers of 6-12 digits parted by a comma, colon
or semicolon, of one length or of lengths drawn apart (the worst case for the reading of a number
grouped unlike the one before it): the texts the masker changes.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import masking_speed as speed  # noqa: E402
import masking_testkit as kit  # noqa: E402
from masking_edges import _plans, masker_at  # noqa: E402

from carebase.store.cleaning import clean_text  # noqa: E402

#: the families of texts with a phone number (``corpus``), in the order the tables print them
FAMILIES = ("after a lead-in", "card-joined", "a random run of numbers", "prose, then a phone number",
            "after a word's own number", "a national id number", "more id forms")
#: the words that say what the number after them is (``masking_phones._WHAT_WORDS``), as customers write them
NAMING = ("order", "Order", "ref", "ticket", "invoice", "order no.", "ticket #", "Bestellung", "commande", "tracking")
REGIONS = ((), ("GB", "IE"), ("HK",))
DEVELOPMENT_SEED = "same-s43"


def named(n: int, seed: str = DEVELOPMENT_SEED) -> list[tuple[str, tuple[str, ...], str | None]]:
    """``n`` texts of the fifth family: words, a word that says what its number is, the number, a
    colon, comma or semicolon, perhaps a few words, a phone number of the test kit's makers."""
    rng = random.Random(f"{seed}-named")
    makers = [m for ms in kit.PHONES.values() for m in ms] + [m for ms in kit.PHONES_INTERNATIONAL.values() for m in ms]
    out = []
    for _ in range(n):
        words = " ".join(rng.choice(speed.WORDS) for _ in range(rng.randint(0, 2)))
        own = str(rng.randint(1, 10 ** rng.randint(1, 8)))
        between = rng.choice(["", "", "thanks,", "and", "my number"])
        phone = rng.choice(makers)(rng)
        text = f"{words} {rng.choice(NAMING)} {own}{rng.choice([':', ',', ';'])} {between} {phone}"
        out.append((clean_text(" ".join(text.split())), (phone,), FAMILIES[4]))
    return out


#: what customers write before a national id number, per kind ("" for nothing)
ID_WORDS = {
    "us": ("", "", "my ssn is", "SSN:", "social security number", "my social is", "ITIN", "ssn #", "tax id"),
    "gb": ("", "", "NI number", "my national insurance number is", "NINO:", "ni no", "payslip shows"),
    "de": ("", "", "Steuer-ID", "meine Steuer-ID ist", "IdNr.", "Identifikationsnummer:", "steuer id", "TIN"),
}
_NI_FIRST, _NI_SECOND, _NI_NEVER = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ", ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")


def _an_id(rng: random.Random, kind: str) -> str:
    """A valid national id number of ``kind`` (python-stdnum's checks), in one of its typed forms."""
    import stdnum.de.idnr
    import stdnum.us.itin
    import stdnum.us.ssn
    if kind == "us":
        while True:
            digits = f"{rng.randrange(1, 1000):03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"
            if stdnum.us.ssn.is_valid(digits) or stdnum.us.itin.is_valid(digits):
                break
        sep = rng.choice(["-", "-", " ", ""])
        return sep.join((digits[:3], digits[3:5], digits[5:]))
    if kind == "gb":
        while (prefix := rng.choice(_NI_FIRST) + rng.choice(_NI_SECOND)) in _NI_NEVER:
            pass
        digits = f"{rng.randrange(10 ** 6):06d}"
        text = rng.choice([f"{prefix}{digits}{rng.choice('ABCD')}",
                           f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {rng.choice('ABCD')}"])
        return text.lower() if rng.random() < 0.25 else text
    while not stdnum.de.idnr.is_valid(digits := str(rng.randrange(10 ** 10, 10 ** 11))):
        pass
    return rng.choice([stdnum.de.idnr.format(digits), stdnum.de.idnr.format(digits), digits])


def national_ids(n: int, seed: str = DEVELOPMENT_SEED) -> list[tuple[str, tuple[str, ...], str | None]]:
    """``n`` texts of the sixth family: words, perhaps a word that names the id, the id, perhaps words."""
    rng = random.Random(f"{seed}-ids")
    out = []
    for _ in range(n):
        kind = rng.choice(list(ID_WORDS))
        number = _an_id(rng, kind)
        words = " ".join(rng.choice(speed.WORDS) for _ in range(rng.randint(0, 2)))
        after = rng.choice(["", "", "thanks", "is wrong", "please update"])
        text = f"{words} {rng.choice(ID_WORDS[kind])} {number} {after}"
        out.append((clean_text(" ".join(text.split())), (number,), FAMILIES[5]))
    return out


#: what customers write before the seventh family's ids ("" for nothing; India's number always has its word)
MORE_WORDS = {
    "gb dashed": ("", "", "NI number", "my national insurance number is", "NINO:", "national insurance:"),
    "us glued": ("",),
    "us far word": ("my social security number is", "social security no.", "my social security card number is"),
    "in": ("aadhaar", "my aadhaar number is", "Aadhaar card no.", "UID:", "aadhar", "आधार"),
    "de pension": ("", "", "Rentenversicherungsnummer", "meine Sozialversicherungsnummer ist", "RVNR:", "SV-Nummer",
                   "Versicherungsnummer"),
}


def _rvnr(rng: random.Random) -> str:
    """A German pension insurance number with a birth date that can be and its check digit (Deutsche
    Rentenversicherung's rule, written here apart from the masker's: python-stdnum has none), printed or whole."""
    area, letter, serial = rng.randrange(2, 90), rng.choice("ABCDEFGHIJKLMNOPRSTUVWZ"), rng.randrange(100)
    body = f"{area:02d}{rng.randrange(1, 29):02d}{rng.randrange(1, 13):02d}{rng.randrange(100):02d}"
    digits = body + f"{ord(letter) - ord('A') + 1:02d}" + f"{serial:02d}"
    weights = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)
    check = sum(int(c) for d, w in zip(digits, weights) for c in str(int(d) * w)) % 10
    if rng.random() < 0.5:
        return f"{body[:2]} {body[2:]} {letter} {serial:02d}{check}"
    return f"{body}{letter}{serial:02d}{check}"


def _more_id(rng: random.Random, kind: str) -> tuple[str, str]:
    """(the words before it, a valid id of ``kind`` in one of its typed forms)."""
    import stdnum.in_.aadhaar
    words = rng.choice(MORE_WORDS[kind])
    if kind == "gb dashed":
        text = _an_id(rng, "gb").replace(" ", "")
        text = "-".join((text[:2], text[2:4], text[4:6], text[6:8], text[8:]))
        return words, text
    if kind in ("us glued", "us far word"):
        number = _an_id(rng, "us")
        if kind == "us glued":
            return "", rng.choice(["ssn", "SSN", "Ssn", "itin", "ITIN", "tin"]) + number
        return words, number
    if kind == "in":
        while not stdnum.in_.aadhaar.is_valid(digits := str(rng.randrange(2 * 10 ** 11, 10 ** 12))):
            pass
        sep = rng.choice([" ", " ", "-", ""])
        return words, sep.join((digits[:4], digits[4:8], digits[8:]))
    return words, _rvnr(rng)


def more_ids(n: int, seed: str = DEVELOPMENT_SEED) -> list[tuple[str, tuple[str, ...], str | None]]:
    """``n`` texts of the seventh family (a generator of its own, after the sixth's: those texts stay as
    they were): a UK NINO in dashes, a US number glued to its word or named four words back, India's
    Aadhaar number after its word, a German pension insurance number with its word or none."""
    rng = random.Random(f"{seed}-more-ids")
    out = []
    for _ in range(n):
        words, number = _more_id(rng, rng.choice(list(MORE_WORDS)))
        lead = " ".join(rng.choice(speed.WORDS) for _ in range(rng.randint(0, 2)))
        after = rng.choice(["", "", "thanks", "is wrong", "please update"])
        text = f"{lead} {words} {number} {after}"
        out.append((clean_text(" ".join(text.split())), (number,), FAMILIES[6]))
    return out


def named_lists(n: int, seed: str = DEVELOPMENT_SEED) -> list[tuple[str, str]]:
    """``n`` (text, "one length" or "lengths apart"): a word that names numbers, then two of them."""
    rng = random.Random(f"{seed}-lists")
    out = []
    for i in range(n):
        first = rng.randint(6, 12)
        second = first if i % 2 == 0 else rng.randint(6, 12)
        numbers = [str(rng.randint(10 ** (d - 1), 10 ** d - 1)) for d in (first, second)]
        words = ("order", "orders", "invoice", "ticket", "ref", "Bestellung", "tracking")
        out.append((f"{rng.choice(words)} {numbers[0]}{rng.choice([',', ':', ';'])} {numbers[1]}",
                    "one length" if i % 2 == 0 else "lengths apart"))
    return out


def corpus(n: int, seed: str = DEVELOPMENT_SEED) -> list[tuple[str, tuple[str, ...], str | None]]:
    """``n`` (text, its phone numbers as the makers wrote them, its family or None): the speed
    corpus's searches and comments (no phone number recorded: None), then texts of the families."""
    searches, comments = speed.corpus(seed)
    rng = random.Random(f"{seed}-privacy")
    out: list[tuple[str, tuple[str, ...], str | None]] = [
        (text, (), None) for text in rng.sample(searches, min(6000, n)) + comments[:max(0, n - 6000)]]
    makers = [m for ms in kit.PHONES.values() for m in ms] + [m for ms in kit.PHONES_INTERNATIONAL.values() for m in ms]
    while len(out) < n:
        roll = rng.random()
        words = " ".join(rng.choice(speed.WORDS) for _ in range(rng.randint(0, 3)))
        if roll < 0.3:
            text, number = next(kit.lead_in_texts(f"s{len(out)}", 1, rng.choice(list(kit.LEAD_INS)), rng.choice(["00", "+"])))
            phones, family = (number,), FAMILIES[0]
        elif roll < 0.5:
            text, _digits, number = next(kit.card_joined_texts(f"s{len(out)}", 1, rng.choice(list(kit.JOINED_LEADS)),
                                                               rng.choice(kit.JOINED_KINDS)))
            phones, family = (number,), FAMILIES[1]
        elif roll < 0.7:
            parts, found = [], []
            for _ in range(rng.randint(2, 6)):
                # every choice is made (and draws from rng) before one is taken, as masking_same.py always did
                choices = [str(rng.randint(0, 10 ** rng.randint(1, 9))), "(" + str(rng.randint(0, 999)),
                           "00" + str(rng.randint(1, 999)), rng.choice(makers)(rng), kit.prose(rng)]
                taken = rng.choice(choices)
                parts.append(taken)
                if taken is choices[3]:
                    found.append(taken)
            text, phones, family = " ".join(parts), tuple(found), FAMILIES[2] if found else None
        else:
            lead = kit.prose(rng)
            number = rng.choice(makers)(rng)
            text, phones, family = lead + " " + number, (number,), FAMILIES[3]
        out.append((clean_text(f"{words} {text}".strip()), phones, family))
    return out


def leaked(masked: str, phones: tuple[str, ...], family: str | None = None) -> bool:
    """Whether a digit group of 3+ digits of one of ``phones`` is a whole run of digits in ``masked``
    (for an id, also: the id left as typed, ``JG 10 37 95 A``)."""
    left = set(re.findall(r"\d+", masked))
    if family in FAMILIES[5:] and any(number in masked for number in phones):
        return True
    return any(len(group) >= 3 and group in left for phone in phones for group in re.findall(r"\d+", phone))


def leaks(module, batch, show: int = 0, name: str = "") -> tuple[Counter, Counter, list[str]]:
    """(leaks per family, texts per family, the first ``show`` leaking texts) of ``module``'s masker;
    the leaks' Counter also counts the sixth family's texts marked ``[id]`` (key "marked [id]")."""
    leaking, seen, shown = Counter(), Counter(), []
    for codes in REGIONS:
        plans = _plans(module, codes) if codes else module.NO_REGION
        for text, phones, family in batch:
            if family is None:
                continue
            seen[family] += 1
            masked = module.mask_pii(text, plans)
            if family in FAMILIES[5:] and "[id]" in masked:
                leaking["marked [id]"] += 1
            if leaked(masked, phones, family):
                leaking[family] += 1
                if len(shown) < show:
                    shown.append(f"{name}, {','.join(codes) or 'no region'}: {text!r} -> {masked!r} (phone {phones!r})")
    return leaking, seen, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", help="also count the masker at this git revision")
    parser.add_argument("--n", type=int, default=20_000, help="texts, as masking_same.py's (the first 7,000 have no phone number)")
    parser.add_argument("--seed", default=DEVELOPMENT_SEED, help="the corpus's seed (another gives fresh texts)")
    parser.add_argument("--show", type=int, default=0, help="print the first SHOW leaking texts of each masker")
    parser.add_argument("--named", type=int, default=2_000, help="texts of the fifth family (after a word's own number)")
    parser.add_argument("--ids", type=int, default=2_000, help="texts of the sixth family (a national id number)")
    parser.add_argument("--more-ids", type=int, default=2_000,
                        help="texts of the seventh family (more id forms: a NINO in dashes, an SSN glued to its word, Aadhaar, "
                             "a German pension number)")
    parser.add_argument("--lists", type=int, default=4_000, help="lists of numbers after a word that names them (the price)")
    args = parser.parse_args()
    batch = corpus(args.n, args.seed) + named(args.named, args.seed) + national_ids(args.ids, args.seed) + more_ids(args.more_ids, args.seed)
    modules = ([(args.rev, masker_at(args.rev))] if args.rev else []) + [("now", masker_at(None))]
    counts = {}
    for name, module in modules:
        leaking, seen, shown = leaks(module, batch, args.show, name)
        counts[name] = leaking
        for line in shown:
            print(line)
    print(f"\n{len(batch):,} texts (seed {args.seed!r}) x 3 regions (none, GB,IE, HK): texts whose phone number is "
          "left readable (a group of 3+ digits) / texts with a phone number\n")
    names = [name for name, _ in modules]
    print("| family | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    four = FAMILIES[:4]  # masking_same.py's texts: "all" is theirs, as before the fifth family
    for family in (*four, "all", *FAMILIES[4:], "marked [id]"):
        total = (sum(seen[f] for f in four) if family == "all"
                 else seen[FAMILIES[5]] + seen[FAMILIES[6]] if family == "marked [id]" else seen[family])
        cells = [f"{sum(counts[name][f] for f in four) if family == 'all' else counts[name][family]:,} / {total:,}" for name in names]
        print(f"| {family} | " + " | ".join(cells) + " |")
    lists = named_lists(args.lists, args.seed)
    print("\nThe price: lists of numbers after a word that names them, texts the masker changes\n")
    print("| two numbers of 6-12 digits | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for kind in ("one length", "lengths apart"):
        batch_of = [text for text, of in lists if of == kind]
        cells = [f"{sum(module.mask_pii(text, module.NO_REGION) != text for text in batch_of):,} / {len(batch_of):,}"
                 for _, module in modules]
        print(f"| {kind} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
