"""The help centre's region: the countries whose national phone numbers the masker knows by their
numbering plans (the carebase plugin's ``region: [GB, IE]`` in mkdocs.yml).

Shapes alone cannot tell some numbers: ``9123 4567`` is a Hong Kong mobile or two numbers in a
list, ``21 23 4 56789`` a German number or a list. A site that names its countries settles it
for their numbers: a number that is a valid national number of one of them, written as that
country writes it at home (with its trunk prefix where the country dials one: ``020 7946 0958``
in the UK, ``9123 4567`` in Hong Kong), is a phone number whatever its grouping, in a list, or
after an abbreviation such as ``fw``, ``sn`` or ``kb`` when written in groups (``sn 91234567``,
typed whole, is a serial). Other countries' numbers are read by the shape rules as without a
region (``carebase.service.masking``): the setting only adds.

The numbering plans are libphonenumber's (Google's; the ``phonenumberslite`` package, its
metadata without the geocoder): each region's valid national numbers as ``is_valid_number``
tells them (its number types' patterns and lengths: fixed line, mobile, toll-free, …; the general
description alone also holds numbers of no type), those of every region sharing its calling code
included (a Guernsey mobile is a national number in the UK, a Toronto one in the US), compiled
once per set of regions into one regular expression, so a number costs one match, not a parse.

``site_region`` holds the region of the site being served (the service sets it per request to
the plans it holds: compiled at start and, off the event loop, when a rebuilt output names another
region; the learned-phrasing refresh sets it too: ``masking_in``); ``mask_pii(text)`` reads it
when no region is given.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

#: what people write that is not a region code, and the code they mean
_NOT_CODES = {"UK": "GB", "EN": "GB", "EL": "GR", "USA": "US", "GER": "DE", "SP": "ES", "SW": "SE"}


@dataclass(frozen=True)
class Plans:
    """The national numbers of the site's regions: a digits-only number matches ``national``
    (trunk prefix included where the region dials one); ``formats``: per region, its trunk
    prefix and its formats (leading digits, the number's pattern in groups), which say how the
    region groups a number when it writes it."""

    codes: tuple[str, ...]
    national: re.Pattern | None
    formats: tuple = ()

    def __bool__(self) -> bool:
        return self.national is not None

    def is_national(self, digits: str) -> bool:
        return self.national is not None and self.national.fullmatch(digits) is not None

    def written_at_home(self, digits: str, sizes: list[int]) -> bool:
        """Whether digit groups of ``sizes`` are how one of the regions writes the national
        number ``digits`` (``9123 4567`` in Hong Kong, ``020 7946 0958`` in the UK; the format
        libphonenumber picks: the first whose leading digits and pattern match)."""
        for prefix, formats in self.formats:
            for cut in ((prefix,) if prefix and digits.startswith(prefix) else ()) + ("",):
                number = digits[len(cut):]
                for leading, pattern in formats:
                    if leading is not None and not leading.match(number):
                        continue
                    found = pattern.fullmatch(number)
                    if found is None:
                        continue
                    groups = [len(g) for g in found.groups() if g]
                    if groups == sizes or (cut and groups and ([len(cut) + groups[0], *groups[1:]] == sizes
                                                                or [len(cut), *groups] == sizes)):
                        return True  # the prefix with the first group (020 7946 0958) or apart (0 800 12 345)
                    break
        return False


NO_REGION = Plans((), None)
#: the region of the site being served: set per request by the service (``carebase.service.app``)
site_region: ContextVar[Plans] = ContextVar("site_region", default=NO_REGION)


@lru_cache(maxsize=1)
def known_regions() -> frozenset[str]:
    import phonenumbers

    return frozenset(phonenumbers.SUPPORTED_REGIONS)


def read_region(raw) -> tuple[tuple[str, ...], list[str]]:
    """The region codes of the setting (``GB``, ``[GB, IE]``, ``"gb, ie"``), and what is wrong
    with it (each: ``region: …``, for the caller to prefix with the file, line and option)."""
    if raw is None or raw == "" or raw == []:
        return (), []
    if isinstance(raw, str):
        items = [part for part in re.split(r"[\s,]+", raw) if part]
    elif isinstance(raw, (list, tuple)):
        items = list(raw)
    else:
        return (), [f"region: expected a country code or a list of them (region: [GB, IE]), found {raw!r}"]
    known, codes, complaints = known_regions(), [], []
    for index, item in enumerate(items):
        where = "region" if isinstance(raw, str) else f"region[{index}]"
        if not isinstance(item, str):
            complaints.append(f"{where}: expected a two-letter country code such as GB, found {item!r}")
            continue
        code = item.strip().upper()
        if code in known:
            if code not in codes:
                codes.append(code)
            continue
        meant = _NOT_CODES.get(code)
        hint = f": did you mean {meant}?" if meant else " (an ISO 3166-1 alpha-2 code with a telephone numbering plan, e.g. GB, IE, US, DE, HK)"
        complaints.append(f"{where}: {item!r} is not a country code{hint}")
    return tuple(codes), complaints


def _national_pattern(code: str) -> str | None:
    """One region's valid national numbers as written at home: the national significant number
    (libphonenumber's pattern of the region's valid numbers) after the trunk prefix where the
    region's format for such a number dials it (``020 7946 0958``; optional where the format says
    so, or where the prefix is not a 0: North America's 1, Russia's 8), each format's leading
    digits deciding; None for a region without a plan."""
    from phonenumbers import PhoneMetadata

    meta = PhoneMetadata.metadata_for_region(code)
    valid = _valid_pattern(meta)
    if valid is None:
        return None
    valid = f"(?=(?:{valid})\\Z)"
    prefix = meta.national_prefix
    if not prefix:
        return valid + r"\d+"
    optional = f"(?:{re.escape(prefix)})?"
    if prefix != "0":
        return optional + valid + r"\d+"
    # with the prefix, any valid number (every format, and a number no format covers, may be
    # dialled with it); without it, only where no format dials it, or by a format that does not
    without, dialled = [], False
    for form in meta.number_format or ():
        rule = (form.national_prefix_formatting_rule or "").replace("\\1", "")  # "0\\1", "(0\\1)"
        if prefix in rule and not form.national_prefix_optional_when_formatting:
            dialled = True
            continue
        leading = f"(?={form.leading_digits_pattern[-1]})" if form.leading_digits_pattern else ""
        without.append(leading + f"(?:{form.pattern})\\Z")
    if not dialled:
        return optional + valid + r"\d+"
    return "(?:0" + valid + r"\d+" + (f"|{valid}(?:" + "|".join(without) + ")" if without else "") + ")"


#: the number types libphonenumber tells a valid number by (``_number_type_helper``)
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
          "fixed_line", "mobile")


def _lengths(lengths) -> str:
    return "(?=" + "|".join(f"\\d{{{n}}}\\Z" for n in sorted(set(lengths))) + ")" if lengths else ""


def _valid_pattern(meta) -> str | None:
    """The valid national significant numbers of a region's calling code, as libphonenumber's
    ``is_valid_number`` tells them: every region that shares the code is tried in its order
    (``COUNTRY_CODE_TO_REGION_CODE``: +44 GB, GG, IM, JE; +1 the US, Canada and the other North
    American regions), one with leading digits (the Isle of Man's ``7624``) taking every number
    that starts so, one without them each number of its types. A Guernsey mobile is a national
    number on a British site, a Toronto number on an American one: dialled there without ``+``;
    None for a region without a plan."""
    if meta is None:
        return None
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

    sharing = [code for code in COUNTRY_CODE_TO_REGION_CODE.get(meta.country_code, ()) if code != "001"]
    if len(sharing) < 2:
        return _region_pattern(meta)
    alternatives, taken = [], ""  # taken: the leading digits of the regions tried before
    for code in sharing:
        region = PhoneMetadata.metadata_for_region(code)
        valid = _region_pattern(region) if region is not None else None
        leading = region.leading_digits if region is not None else None
        if valid is not None:
            alternatives.append(taken + (f"(?=(?:{leading}))" if leading else "") + valid)
        if leading:
            taken += f"(?!(?:{leading}))"
    return "(?:" + "|".join(f"(?:{alternative})" for alternative in alternatives) + ")" if alternatives else None


def _region_pattern(meta) -> str | None:
    """One region's valid national significant numbers, as ``is_valid_number_for_region`` tells
    them: the general description's lengths and pattern, and one of the number types' (fixed
    line, mobile, toll-free, …: each its lengths, else the general ones, and pattern). The general
    pattern alone also holds numbers of no type (``3\\d{6}`` in the US: "sn 3456789" is no
    American phone number); None for a region without a plan."""
    general = meta.general_desc if meta is not None else None
    if general is None or not general.national_number_pattern:
        return None
    types = []
    for name in _TYPES:
        desc = getattr(meta, name, None)
        if desc is not None and desc.national_number_pattern:
            types.append(_lengths(desc.possible_length or general.possible_length) + f"(?:{desc.national_number_pattern})\\Z")
    if not types:
        return None
    return (_lengths(general.possible_length) + f"(?=(?:{general.national_number_pattern})\\Z)"
            + "(?:" + "|".join(types) + ")")


@lru_cache(maxsize=64)
def plans(codes: tuple[str, ...]) -> Plans:
    """The compiled plans of ``codes`` (already read by ``read_region``)."""
    from phonenumbers import PhoneMetadata, region_code_for_country_code

    patterns = [p for p in (_national_pattern(code) for code in codes) if p]
    formats = []
    for code in codes:
        meta = PhoneMetadata.metadata_for_region(code)
        if meta is None:
            continue
        # a region without formats of its own writes its numbers as its calling code's main
        # region does (Cocos Islands and Christmas Island as Australia)
        shown = meta if meta.number_format else PhoneMetadata.metadata_for_region(region_code_for_country_code(meta.country_code))
        formats.append((meta.national_prefix or "", tuple(
            (re.compile(form.leading_digits_pattern[-1]) if form.leading_digits_pattern else None, re.compile(form.pattern))
            for form in (shown.number_format if shown is not None else ()))))
    return Plans(tuple(codes), re.compile("|".join(patterns)) if patterns else None, tuple(formats))


def plans_for(raw) -> Plans:
    """Plans for a setting as written; ValueError naming what is wrong."""
    codes, complaints = read_region(raw)
    if complaints:
        raise ValueError("; ".join(complaints))
    return plans(codes) if codes else NO_REGION


@contextmanager
def masking_in(codes: tuple[str, ...]):
    """Within it, ``mask_pii(text)`` masks with the plans of ``codes`` (region codes already read
    by ``read_region``; compiled once per set of codes, then kept): for work outside a request,
    such as the learned-phrasing refresh, which masks stored wordings again."""
    token = site_region.set(plans(tuple(codes)) if codes else NO_REGION)
    try:
        yield
    finally:
        site_region.reset(token)


class SiteRegion:
    """ASGI middleware: each request's texts are masked with the site's region (``region()``: the
    plans the service holds, which follow a rebuilt output's region without a restart)."""

    def __init__(self, app, region) -> None:
        self.app, self.region = app, region

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = site_region.set(self.region())
        try:
            await self.app(scope, receive, send)
        finally:
            site_region.reset(token)
