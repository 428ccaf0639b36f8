"""Both sides of the PII masker on generated inputs: how many card numbers are masked (each
network, grouping and separator, in sentences and glued to words) and how many ids, references,
dates, amounts, versions and prose numbers keep every character, and how many phone numbers of 13
countries, national, international and with the country code but no ``+``, are masked; with the
site region (``masking_region``): ten regions' national numbers without a cue, masked with no
region, their own and another, serials after an abbreviation ("sn 34567890") and the ordinary
numbers each region masks beyond none; random
15- and 19-digit numbers read as a card. Relevance-like figures: they do not depend on the
machine's load.

    python benchmarks/masking_edges.py [--rev REV] [--n N] [--seed S] [--region-only | --lead-ins | --card-joined]

``--rev`` measures ``generator/service/masking*.py`` as they were at a git revision (the "before"),
beside the working tree's. The inputs are ``tests/hostile/masking_testkit.py``'s (fixed seeds).
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the seeds' prefix of the region families (``--seed``: a fresh one gives inputs nobody has seen)
SEED = "bench"
sys.path.insert(0, str(ROOT / "tests" / "hostile"))

import masking_testkit as kit  # noqa: E402

from carebase.service.masking import CARD_NETWORKS  # noqa: E402
from carebase.store.cleaning import clean_text  # noqa: E402


#: the masker's files, each after those it imports (masking.py alone before session 43's split)
PARTS = ("masking_region", "masking_cards", "masking_ids", "masking_phones", "masking")


def masker_at(rev: str | None):
    """``carebase.service.masking`` of the working tree, or as it was at ``rev`` (with that
    revision's ``masking_region`` where it has one: its plans are the "before" plans too, and its
    card and phone parts where it has them)."""
    if rev is None:
        import carebase.service.masking as module
        return module
    folder = Path(tempfile.mkdtemp())
    loaded = {}
    for part in PARTS:
        try:
            source = subprocess.run(["git", "show", f"{rev}:generator/service/{part}.py"], cwd=ROOT, check=True,
                                    capture_output=True, text=True).stdout
        except subprocess.CalledProcessError:
            continue  # a revision before the region setting, or before the split
        for name in loaded:
            source = source.replace(f"from carebase.service.{name} import", f"from {name}_old import")
        loaded[part] = _load(folder / f"{part}_old.py", source, f"{part}_old")
    module = loaded["masking"]
    if "masking_region" in loaded:
        module.region_plans = loaded["masking_region"].plans
    return module


def _load(path: Path, source: str, name: str):
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _plans(module, codes: tuple[str, ...]):
    """The compiled plans of ``codes`` as ``module``'s revision builds them."""
    if hasattr(module, "region_plans"):
        return module.region_plans(codes)
    from carebase.service.masking_region import plans

    return plans(codes)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f} %" if whole else "-"


def card_rates(module, n: int) -> dict[str, tuple[int, int]]:
    """Masked / all, per network, grouping, separator and way of sitting in a sentence."""
    masked, seen = Counter(), Counter()
    for i, (text, digits, network, grouping, sep) in enumerate(
            kit.card_texts("bench-cards", n, groupings=kit.GROUPINGS)):
        out = module.mask_pii(clean_text(text))
        ok = digits not in re.sub(r"\D", "", out)
        around = kit.CARD_AROUND[i % len(kit.CARD_AROUND)]
        glued = "glued" if re.search(r"\w\{\}|\{\}\w", around) else "apart"
        separator = "mixed (no .)" if grouping == "fours, mixed separators" else repr(sep)
        keys = ["all", f"network: {network}", f"grouping: {grouping}", f"separator: {separator}", f"in text: {glued}"]
        if not (grouping == "odd, first group under 4" and sep in "-/_" and sep):
            keys.append("all but those cut before the 4th digit and joined by - / _ (references)")
        for key in keys:
            seen[key] += 1
            masked[key] += ok
    return {key: (masked[key], seen[key]) for key in seen}


def kept_rates(module, n: int) -> dict[str, tuple[int, int, int]]:
    """Changed by mask_payment (contact messages) / by mask_pii (searches, comments) / all."""
    rows = {}
    for name, make in kit.KEPT + [kit.IN_FOURS] + kit.PHONE_SHAPED + kit.NUMBERS:
        pay = pii = 0
        for text in kit.kept_texts(f"bench-{name}", n, make):
            cleaned = clean_text(text)
            pay += module.mask_payment(cleaned) != cleaned
            pii += module.mask_pii(cleaned) != cleaned
        rows[name] = (pay, pii, n)
    import random
    rng = random.Random("bench-prose")
    texts = [kit.prose(rng) for _ in range(n)]
    rows["numbers in prose"] = (sum(module.mask_payment(t) != t for t in texts), sum(module.mask_pii(t) != t for t in texts), n)
    return rows


def joined_phone_rates(module, n: int) -> tuple[int, int]:
    """Two phone numbers joined ("555-123-4567/555-987-6543"): mask_pii leaves neither readable / all."""
    import random
    rng = random.Random("bench-joined-phones")
    masked = 0
    for _ in range(n):
        text, phones = kit.joined_phones(rng)
        left = re.sub(r"\D", "", module.mask_pii(clean_text(f"call me at {text} please")))
        masked += not any(re.sub(r"\D", "", phone)[-7:] in left for phone in phones)
    return masked, n


def phone_rates(module, n: int) -> dict[str, tuple[int, int]]:
    """Phone numbers of each country, national and with the country code, in 16 sentences (with
    and without a word that says so): mask_pii leaves the last 7 digits unreadable / all."""
    rates = {}
    for table, how in ((kit.PHONES, "national"), (kit.PHONES_INTERNATIONAL, "international"),
                       (kit.PHONES_WITHOUT_PLUS, "country code without +")):
        for country, makers in table.items():
            masked = 0
            for text, number in kit.phone_texts(f"bench-phones-{how}-{country}", n, makers):
                masked += re.sub(r"\D", "", number)[-7:] not in re.sub(r"\D", "", module.mask_pii(clean_text(text)))
            rates[f"{country}, {how}"] = (masked, n)
    return rates


def lead_in_rates(module, n: int) -> dict[str, tuple[int, int]]:
    """An international number after a lead-in in one run of digits ("2 0049 30 1234567", "order
    12345678 +49 …": ``masking_testkit.LEAD_INS``), with ``+`` and with ``00``: mask_pii leaves the
    last 7 digits unreadable / all."""
    rates = {}
    for prefix in ("00", "+"):
        for lead in kit.LEAD_INS:
            masked = 0
            for text, number in kit.lead_in_texts(f"{SEED}-lead-in-{lead}-{prefix}", n, lead, prefix):
                masked += re.sub(r"\D", "", number)[-7:] not in re.sub(r"\D", "", module.mask_pii(clean_text(text)))
            rates[f"{prefix} after {lead}"] = (masked, n)
    return rates


def card_joined_rates(module, n: int) -> dict[str, tuple[int, int]]:
    """A number then a phone number in one run of digits, their digits together a card number
    (``masking_testkit.card_joined_texts``: ``order 420946178 0044 7226 362742``), and a real card
    number then a phone number: mask_pii leaves no digit of the phone number (nor of the real
    card) readable / all. A lead that is no card number may stay readable."""
    rates = {}
    for kind in kit.JOINED_KINDS:
        for lead in kit.JOINED_LEADS:
            masked = 0
            for text, digits, _number in kit.card_joined_texts(f"{SEED}-card-joined-{lead}-{kind}", n, lead, kind):
                left = re.sub(r"\D", "", module.mask_pii(clean_text(text)))
                masked += left == "" or (lead != "a card number" and left == digits)
            rates[f"{kind}: after {lead}"] = (masked, n)
    return rates


def card_then_id_rates(module, n: int) -> dict[str, tuple[int, int, int]]:
    """A real card number then an id in one run of digits (``masking_testkit.card_then_id_texts``):
    mask_pii leaves no 8 digits of the card readable / keeps the id as typed / all."""
    rates = {}
    for kind in kit.IDS_AFTER_CARD:
        masked = kept = 0
        for text, digits, ident in kit.card_then_id_texts(f"{SEED}-card-then-id-{kind}", n, kind):
            out = module.mask_pii(clean_text(text), module.NO_REGION)
            masked += digits[-8:] not in re.sub(r"\D", "", out.replace(ident, " "))
            kept += ident in out
        rates[f"card then {kind}"] = (masked, kept, n)
    return rates


def grouped_reference_rates(module, n: int) -> dict[str, tuple[int, int]]:
    """A word that says what a number is, then one reference printed in groups
    (``masking_testkit.grouped_reference_texts``): mask_pii keeps it as typed / all. The cost of
    ``_trunk_inside`` in kept numbers: a later group starting with 0 reads as a trunk prefix."""
    rates = {}
    for zero in (True, False):
        kept = sum(reference in module.mask_pii(clean_text(text), module.NO_REGION)
                   for text, reference in kit.grouped_reference_texts(f"{SEED}-grouped-reference-{zero}", n, zero))
        rates["a later group starts with 0" if zero else "digits as drawn"] = (kept, n)
    return rates


def trunk_after_rates(module, n: int) -> dict[str, tuple[int, int]]:
    """A national number with its trunk 0, in groups, after a number in one run of digits
    (``masking_testkit.trunk_after_texts``: ``2 42094617 07911 123456``, ``ref 123 06.12.34.56.78``):
    mask_pii leaves no group of the phone number of 3 digits or more readable / all."""
    rates = {}
    for lead in kit.TRUNK_LEADS:
        masked = 0
        for text, number in kit.trunk_after_texts(f"{SEED}-trunk-after-{lead}", n, lead):
            left = set(re.findall(r"\d+", module.mask_pii(clean_text(text), module.NO_REGION)))
            masked += not any(len(g) >= 3 and g in left for g in re.findall(r"\d+", number))
        rates[f"after {lead}"] = (masked, n)
    return rates


def glued_code_rates(module, n: int) -> dict[str, tuple[int, int]]:
    """A card number glued to its security code or an Amex to its expiry date (19 digits in one
    run, ``4111111111111111123``): card digits unreadable / all, mask_payment and mask_pii."""
    import random
    rng = random.Random("bench-card-code")
    pay = pii = 0
    for i in range(n):
        run = kit.card_with_code(rng)
        text = kit.CARD_AROUND[i % len(kit.CARD_AROUND)].format(run)
        card = run[:15] if run[:2] in ("34", "37") else run[:16]
        pay += card not in re.sub(r"\D", "", module.mask_payment(clean_text(text)))
        pii += card not in re.sub(r"\D", "", module.mask_pii(clean_text(text)))
    return {"mask_payment": (pay, n), "mask_pii": (pii, n)}


def national_rates(module, n: int) -> dict[str, tuple[int, ...]]:
    """Each region's national numbers (``masking_testkit.REGIONS``, valid by libphonenumber's
    plans) in each written form, in 8 sentences without a word saying they are phone numbers
    (alone, in a list, after "fw"/"sn"/"kb", ...): masked without a region / with the site's
    region set to theirs / with another region (GB; US for the UK's and Ireland's) — the last 6
    digits unreadable — then with their own region split: the 3 sentences after an abbreviation
    and the 5 others (masked, total; masked, total)."""
    rates = {}
    abbreviated = {i for i, around in enumerate(kit.NATIONAL_AROUND) if re.match(r"(fw|sn|kb) ", around)}
    for region in kit.REGIONS:
        other = _plans(module, ("US",) if region in ("GB", "IE") else ("GB",))
        for form in kit.NATIONAL_FORMS:
            bare = own = foreign = 0
            split = [0, 0, 0, 0]  # after an abbreviation: masked, seen; the other sentences: masked, seen
            for i, (text, digits) in enumerate(kit.national_texts(f"{SEED}-national-{region}-{form}", n, region, form)):
                text = clean_text(text)
                bare += digits[-6:] not in re.sub(r"\D", "", module.mask_pii(text))
                if hasattr(module, "site_region"):  # a masker with the region setting
                    hidden = digits[-6:] not in re.sub(r"\D", "", module.mask_pii(text, _plans(module, (region,))))
                    own += hidden
                    at = 0 if i % len(kit.NATIONAL_AROUND) in abbreviated else 2
                    split[at] += hidden
                    split[at + 1] += 1
                    foreign += digits[-6:] not in re.sub(r"\D", "", module.mask_pii(text, other))
            rates[f"{region}, {form}"] = (bare, own, foreign, n, *split)
    return rates


def serial_rates(module, n: int) -> dict[str, tuple[int, int, int]]:
    """An abbreviation and a serial, KB, revision, firmware or id number (``masking_testkit.
    serial_texts``: 7-12 digits whole) under each region: texts mask_pii masks beyond what it
    masks without a region, the first digit not 0 / 0 (masked, masked, total)."""
    if not hasattr(module, "site_region"):
        return {}
    rows = {}
    for region in kit.REGIONS:
        counts = []
        for leading_zero in (False, True):
            texts = [clean_text(t) for t, _ in kit.serial_texts(f"{SEED}-serials-{region}-{leading_zero}", n, leading_zero)]
            counts.append(sum(module.mask_pii(t, _plans(module, (region,))) != module.mask_pii(t) for t in texts))
        rows[region] = (*counts, n)
    return rows


def kept_with_region(module, n: int) -> dict[str, tuple[int, str, int]]:
    """Ordinary numbers with each region set: the most texts mask_pii masks more than without a
    region, under one region (changed, that region, total) — dates, versions, amounts, orders
    and prose must stay as readable as without one."""
    def worst(texts):
        plain = [module.mask_pii(t) for t in texts]
        return max(((sum(module.mask_pii(t, _plans(module, (region,))) != p for t, p in zip(texts, plain)), region)
                    for region in kit.REGIONS), key=lambda found: found[0])

    rows = {}
    for name, make in kit.KEPT + [kit.IN_FOURS] + kit.PHONE_SHAPED + kit.NUMBERS:
        rows[name] = (*worst([clean_text(t) for t in kit.kept_texts(f"{SEED}-{name}", n, make)]), n)
    import random
    rng = random.Random(f"{SEED}-prose")
    rows["numbers in prose"] = (*worst([kit.prose(rng) for _ in range(n)]), n)
    return rows


def random_runs(module, n: int) -> dict[str, tuple[int, int, int]]:
    """Random numbers of 15 and 19 digits (``random.Random(1)``, as session 39 measured them),
    bare and after "order"/"tracking"/"ref": mask_payment reads them as a card (masked, total)."""
    import random
    rng = random.Random(1)
    rows = {}
    for length in (15, 19):
        numbers = [str(rng.randint(10 ** (length - 1), 10 ** length - 1)) for _ in range(n)]
        bare = sum("[card]" in module.mask_payment(x) for x in numbers)
        said = sum("[card]" in module.mask_payment(f"{('order', 'tracking', 'ref:')[i % 3]} {x}") for i, x in enumerate(numbers))
        rows[f"{length} digits"] = (bare, said, n)
    return rows


IBAN_FORMS = {
    "plain": lambda iban: iban, "lower case": str.lower,
    "in fours, spaces": lambda iban: " ".join(_fours(iban)), "in fours, two spaces": lambda iban: "  ".join(_fours(iban)),
    "in fours, -": lambda iban: "-".join(_fours(iban)), "in fours, .": lambda iban: ".".join(_fours(iban)),
    "glued after a word (iban…)": lambda iban: "iban" + iban,
}


def _fours(iban: str) -> list[str]:
    return [iban[i:i + 4] for i in range(0, len(iban), 4)]


def iban_rates(module) -> dict[str, tuple[int, int]]:
    """The registry's example IBAN of each country, each form, in six sentences: masked / all."""
    sys.path.insert(0, str(ROOT / "tests" / "hostile"))
    from test_hostile_service_masking_ids import IBAN_AROUND, REGISTRY_EXAMPLES
    rates = {}
    for form, write in IBAN_FORMS.items():
        masked = seen = 0
        for iban in REGISTRY_EXAMPLES:
            for around in IBAN_AROUND[:6]:
                out = module.mask_pii(clean_text(around.format(write(iban))))
                seen += 1
                masked += iban[4:].lower() not in re.sub(r"\W", "", out).lower()
        rates[form] = (masked, seen)
    return rates


def kept_region_section(module, n: int) -> None:
    with_region = kept_with_region(module, n // 20)
    print(f"\n## Ordinary numbers with a region set ({n // 20:,} each): masked by mask_pii beyond what it masks "
          f"without one, under the worst of the {len(kit.REGIONS)} regions\n\n| kept | more changed | worst region |\n| --- | ---: | --- |")
    for key, (changed, region, total) in with_region.items():
        print(f"| {key} | {_pct(changed, total)} | {region if changed else '-'} |")


def region_sections(modules, names, n: int) -> None:
    """The site region's tables: national numbers without a cue, serials after an abbreviation."""
    national = {name: national_rates(module, n // 40) for name, module in modules}
    print(f"\n## National numbers of {len(kit.REGIONS)} regions, no cue ({n // 40:,} each, in {len(kit.NATIONAL_AROUND)} sentences): "
          "masked by mask_pii without a region / with theirs / with another; with theirs after fw/sn/kb and in the other sentences\n")
    print("| numbers | " + " | ".join(f"{name}: none / own / other | {name}: own after fw/sn/kb / own, others" for name in names)
          + " |\n| --- |" + " ---: | ---: |" * len(names))
    for key in national["now"]:
        cells = []
        for name in names:
            bare, own, foreign, total, after, seen_after, others, seen_others = national[name][key]
            cells.append(f"{_pct(bare, total)} / {_pct(own, total)} / {_pct(foreign, total)} | {_pct(after, seen_after)} / {_pct(others, seen_others)}")
        print(f"| {key} | " + " | ".join(cells) + " |")
    serials = {name: serial_rates(module, n // 20) for name, module in modules}
    print(f"\n## A serial after an abbreviation ({n // 20:,} each: {', '.join(kit.SERIAL_WORDS)} + 7-12 digits whole): masked by "
          "mask_pii beyond what it masks without a region, first digit 1-9 / 0\n")
    print("| region | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for region in kit.REGIONS:
        print(f"| {region} | " + " | ".join(f"{_pct(serials[name][region][0], serials[name][region][2])} / "
                                           f"{_pct(serials[name][region][1], serials[name][region][2])}" if serials[name] else "-"
                                           for name in names) + " |")


def _rates_table(first: str, rates: dict, names: list[str], cell=None) -> None:
    """One Markdown table: a row per key of ``rates["now"]``, a column per revision in ``names``
    (each cell ``cell(rates[name][key])``, by default ``_pct(*…)``)."""
    cell = cell or (lambda r: _pct(*r))
    print(f"| {first} | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for key in rates["now"]:
        print(f"| {key} | " + " | ".join(cell(rates[name][key]) for name in names) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", help="also measure the masker at this git revision")
    parser.add_argument("--n", type=int, default=20_000, help="card texts (and texts per kept family / 4)")
    parser.add_argument("--seed", default="bench", help="the seeds' prefix of the region families (national numbers, "
                        "ordinary numbers under a region); another gives fresh inputs")
    parser.add_argument("--lead-ins", action="store_true", help="only the table of international numbers after a lead-in")
    parser.add_argument("--card-joined", action="store_true", help="only the table of phone numbers after a number "
                        "whose digits and theirs read as a card number")
    parser.add_argument("--card-then-id", action="store_true", help="only the table of ids after a real card number "
                        "in one run of digits (the card masked / the id kept)")
    parser.add_argument("--trunk-after", action="store_true", help="only the table of national numbers with their "
                        "trunk 0 after a number in one run of digits")
    parser.add_argument("--region-only", action="store_true", help="only the site region's tables (national numbers, "
                        "serials after an abbreviation, ordinary numbers under a region)")
    args = parser.parse_args()
    global SEED
    SEED = args.seed
    modules = [("now", masker_at(None))] + ([(args.rev, masker_at(args.rev))] if args.rev else [])
    names = [name for name, _ in modules][::-1]
    if args.lead_ins:
        _rates_table("lead-in", {name: lead_in_rates(module, args.n // 10) for name, module in modules}, names)
        return
    if args.card_joined:
        _rates_table(f"phone number, after (digits together a card number; {args.n // 10:,} each)",
                     {name: card_joined_rates(module, args.n // 10) for name, module in modules}, names)
        return
    if args.card_then_id:
        _rates_table(f"a real card, then ({args.n // 10:,} each): card masked / id kept",
                     {name: card_then_id_rates(module, args.n // 10) for name, module in modules}, names,
                     lambda r: f"{_pct(r[0], r[2])} / {_pct(r[1], r[2])}")
        return
    if args.trunk_after:
        _rates_table(f"a word, then one reference in groups ({args.n // 4:,} each): kept as typed",
                     {name: grouped_reference_rates(module, args.n // 4) for name, module in modules}, names)
        print()
        _rates_table(f"national number with its trunk 0 ({args.n // 10:,} each)",
                     {name: trunk_after_rates(module, args.n // 10) for name, module in modules}, names)
        return
    if args.region_only:
        region_sections(modules, names, args.n)
        kept_region_section(modules[0][1], args.n)
        return
    cards = {name: card_rates(module, args.n) for name, module in modules}
    print(f"## Card numbers masked ({args.n:,} generated, {len(CARD_NETWORKS)} networks)\n")
    print("| cards | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for key in sorted(cards["now"], key=lambda k: (k != "all", not k.startswith("all"), k)):
        cells = [f"{_pct(*cards[name][key])} ({cards[name][key][1]:,})" if name == "now" else _pct(*cards[name][key]) for name in names]
        print(f"| {key} | " + " | ".join(cells) + " |")
    joined = {name: joined_phone_rates(module, args.n // 4) for name, module in modules}
    print("\n| two phone numbers joined (mask_pii: neither readable) | " + " | ".join(_pct(*joined[name]) for name in names) + " |")
    glued = {name: glued_code_rates(module, args.n // 4) for name, module in modules}
    for key in ("mask_payment", "mask_pii"):
        print(f"| a card glued to its code, an Amex to its code or expiry (19 digits; {key}) | " + " | ".join(_pct(*glued[name][key]) for name in names) + " |")
    phones = {name: phone_rates(module, args.n // 10) for name, module in modules}
    print(f"\n## Phone numbers masked by mask_pii ({args.n // 10:,} each, in {len(kit.PHONE_AROUND)} sentences)\n")
    print("| phones | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for key in phones["now"]:
        print(f"| {key} | " + " | ".join(_pct(*phones[name][key]) for name in names) + " |")
    leads = {name: lead_in_rates(module, args.n // 10) for name, module in modules}
    print(f"\n## An international number after a lead-in, in one run of digits ({args.n // 10:,} each)\n")
    print("| lead-in | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for key in leads["now"]:
        print(f"| {key} | " + " | ".join(_pct(*leads[name][key]) for name in names) + " |")
    joined = {name: card_joined_rates(module, args.n // 10) for name, module in modules}
    print(f"\n## A phone number after a number, their digits together a card number, in one run of digits ({args.n // 10:,} each): "
          "no digit of the phone number (nor of a real card before it) left\n")
    print("| phone number, after | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for key in joined["now"]:
        print(f"| {key} | " + " | ".join(_pct(*joined[name][key]) for name in names) + " |")
    region_sections(modules, names, args.n)
    kept_region_section(modules[0][1], args.n)
    runs = {name: random_runs(module, args.n) for name, module in modules}
    print(f"\n## Random numbers read as a card by mask_payment ({args.n:,} each, random.Random(1)): bare / after order, tracking, ref\n")
    print("| numbers | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for key in runs["now"]:
        print(f"| {key} | " + " | ".join(f"{_pct(runs[name][key][0], runs[name][key][2])} / {_pct(runs[name][key][1], runs[name][key][2])}"
                                          for name in names) + " |")
    ibans = {name: iban_rates(module) for name, module in modules}
    print("\n## The IBAN registry's 89 example IBANs masked (each form, in 6 sentences)\n")
    print("| IBANs | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for key in ibans["now"]:
        print(f"| {key} | " + " | ".join(_pct(*ibans[name][key]) for name in names) + " |")
    kept = {name: kept_rates(module, args.n // 4) for name, module in modules}
    print(f"\n## Changed by the masker ({args.n // 4:,} each): mask_payment / mask_pii\n")
    print("| kept | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for key in kept["now"]:
        print(f"| {key} | " + " | ".join(f"{_pct(kept[name][key][0], kept[name][key][2])} / {_pct(kept[name][key][1], kept[name][key][2])}"
                                          for name in names) + " |")


if __name__ == "__main__":
    main()
