"""The site's colour palettes without script: a page that runs no script follows the customer's
light or dark setting (``prefers-color-scheme``) in the site's own colours.

Material keys its palettes on the body's attributes (``data-md-color-scheme="slate"``,
``data-md-color-primary``, ``data-md-color-accent``), which its palette script sets from the
palette option whose ``media`` matches (``(prefers-color-scheme: dark)``) or from the
customer's stored choice. Without script the body keeps the first option's attributes: always
light. A page served without script (the service's search page: ``search_template``) instead
gets ``auto`` in those attributes, and after each style sheet the rules of that sheet keyed to
a palette option's values, rewritten to ``auto`` and placed under the option's ``media``:

    [data-md-color-scheme=slate][data-md-color-primary=indigo] { … }
    → @media (prefers-color-scheme: dark) { [data-md-color-scheme=auto][data-md-color-primary=auto] { … } }

Each attribute test is replaced by one, so every rule keeps its weight (specificity), and the
rewritten rules follow their own sheet, so the cascade between the sheets is the site's. A rule
keyed to values of no option cannot match and is left out; ``:not([…=slate])`` beside a keyed
test holds or fails as it would on the option's body. Options without ``media`` (a toggle only)
and Material's "automatic" option (``(prefers-color-scheme)``) are not states of their own.

The sheets are read with tinycss2 (CSS Syntax Level 3's tokenizer and rule parser), each text
once (``_sheet``): a hand-written reader did it until session 36 and misread a ``/*`` inside a
string, a ``)`` inside a selector's string, an escaped brace and a comment left open.
"""

from __future__ import annotations

import html as htmllib
import re
from functools import lru_cache
from typing import Callable, NamedTuple

import tinycss2

ATTRS = ("scheme", "primary", "accent")
AUTO = "auto"
_OPTION = re.compile(r'<input\b[^>]*\bclass="md-option"[^>]*>', re.I)
_ATTR = re.compile(r'\s(data-md-color-(?:media|scheme|primary|accent))="([^"]*)"', re.I)
_TEST = re.compile(r"""\[\s*data-md-color-(scheme|primary|accent)\s*=\s*(["']?)([^"'\]\s]+)\2\s*\]""", re.I)
_NOT = re.compile(r""":not\(\s*\[\s*data-md-color-(scheme|primary|accent)\s*=\s*(["']?)([^"'\]\s]+)\2\s*\]\s*\)""", re.I)
_BODY = re.compile(r"<body\b[^>]*>", re.I)
_LINK = re.compile(r"<link\b[^>]*>", re.I)
_STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.S | re.I)
_HREF = re.compile(r"""\shref=(["'])(.*?)\1""", re.S | re.I)
#: at-rules whose blocks hold rules (kept around the rewritten ones); others' blocks are passed by
_NESTING = ("@media", "@supports", "@layer", "@container", "@document")


def palette_options(page: str) -> list[dict[str, str]]:
    """The palette options of a page rendered by Material (its palette toggle's radio inputs),
    those that are a state of their own: with a ``media`` other than Material's "automatic"."""
    found = []
    for tag in _OPTION.findall(page):
        values = {k.lower()[len("data-md-color-"):]: htmllib.unescape(v) for k, v in _ATTR.findall(tag)}
        media = values.get("media", "").strip()
        if media and media.replace(" ", "") != "(prefers-color-scheme)" and values.get("scheme"):
            found.append({k: values.get(k, "") for k in ("media", *ATTRS)})
    return found


class _Rule(NamedTuple):
    """A style rule keyed to a palette attribute: its selectors that test one (the others can
    never be rewritten) and its declarations as written."""
    selectors: tuple[str, ...]
    body: str


class _Nesting(NamedTuple):
    """An at-rule whose block holds rules (``_NESTING``), with its keyed rules inside."""
    prelude: str
    rules: tuple


def _text(tokens) -> str:
    return tinycss2.serialize(t for t in tokens if t.type != "comment").strip()


def _keyed(rules) -> tuple:
    """The keyed rules of a list of tinycss2 rules (nesting at-rules kept around theirs)."""
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors, current = [], []
            for token in (*rule.prelude, None):  # split at the top level's commas only
                if token is None or (token.type == "literal" and token.value == ","):
                    selector = _text(current)
                    if _TEST.search(_NOT.sub("", selector)):
                        selectors.append(selector)
                    current = []
                else:
                    current.append(token)
            if selectors:
                out.append(_Rule(tuple(selectors), _text(rule.content)))
        elif rule.type == "at-rule" and rule.content is not None and f"@{rule.at_keyword}".lower().startswith(_NESTING):
            inner = _keyed(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
            if inner:
                out.append(_Nesting(f"@{rule.at_keyword} {_text(rule.prelude)}".rstrip(), inner))
    return tuple(out)


@lru_cache(maxsize=64)
def _sheet(css: str) -> tuple:
    """The keyed rules of style sheet ``css``, read once per text (a build reads each sheet for
    every page template and the pages' ``<noscript>`` style; a rebuild of ``carebase serve``
    reads the same sheets again), by tinycss2: comments, strings, escapes, ``url()``s and
    nested blocks as CSS reads them."""
    return _keyed(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def _selector_for(selector: str, option: dict[str, str], target: dict[str, str] | None = None) -> str | None:
    """``selector`` as it matches on a body given ``option``'s values, written for a body whose
    attributes are ``target``'s (``auto`` each by default); None when it has no test of the
    option's values (the site's own rule serves) or cannot match."""
    if not _TEST.search(_NOT.sub("", selector)):
        return None
    verdict = {"match": True}

    def negated(m: re.Match) -> str:
        attr, value = m.group(1).lower(), m.group(3)
        if option.get(attr) == value:
            verdict["match"] = False
        return f"[data-md-color-{attr}]"  # holds on the body, as the :not did (the same weight)

    def tested(m: re.Match) -> str:
        attr, value = m.group(1).lower(), m.group(3)
        if option.get(attr) != value:
            verdict["match"] = False
        value = (target or {}).get(attr) or AUTO
        return f"[data-md-color-{attr}={value}]" if re.fullmatch(r"[a-z][a-z0-9-]*", value) else f'[data-md-color-{attr}="{value}"]'

    # a :not() beside a keyed test is of the same element (Material's "primary X unless slate")
    out = _TEST.sub(tested, _NOT.sub(negated, selector))
    return out if verdict["match"] else None


def _rules_for(css: str, option: dict[str, str], target: dict[str, str] | None = None) -> str:
    return _written(_sheet(css), option, target)


def _written(rules: tuple, option: dict[str, str], target: dict[str, str] | None) -> str:
    out = []
    for rule in rules:
        if isinstance(rule, _Nesting):
            inner = _written(rule.rules, option, target)
            if inner:
                out.append(f"{rule.prelude}{{{inner}}}")
            continue
        selectors = [s for s in (_selector_for(s, option, target) for s in rule.selectors) if s]
        if selectors:
            out.append(f"{','.join(selectors)}{{{rule.body}}}")
    return "".join(out)


def auto_css(css: str, options: list[dict[str, str]]) -> str:
    """The rules of style sheet ``css`` keyed to the palette ``options``' values, each option's
    rewritten to ``auto`` under its ``media``; "" when none is."""
    out = []
    for option in options:
        rules = _rules_for(css, option)
        if rules:
            out.append(f"@media {option['media']}{{{rules}}}")
    return "".join(out)


_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)""", re.I)


def _urls_from(css: str, sheet: str, locate: Callable[[str], str]) -> str:
    """``css`` from the sheet at ``sheet`` (from the site's root) with its relative ``url()``s
    as ``locate(path from the site's root)``: the rules move into the page, which may be served
    from elsewhere."""
    from urllib.parse import urljoin, urlsplit

    def one(m: re.Match) -> str:
        value = m.group(2).strip()
        if not value or value.startswith(("#", "//", "/")) or urlsplit(value).scheme:
            return m.group(0)
        path = urlsplit(urljoin("https://site.invalid/" + sheet, value)).path.lstrip("/")
        return f'url("{locate(path)}")'

    return _URL.sub(one, css)


def static_page_css(sheets: list[str], options: list[dict[str, str]]) -> str:
    """For the site's own pages opened without script (a ``<noscript>`` style after their style
    sheets): their body keeps the first palette option's attributes, as Material renders it, so
    every other option's rules (of the style sheets ``sheets``, in the pages' order) are written
    for those attributes under that option's ``media``: a dark system setting gets the dark
    palette. Rules keyed to the first option alone still hold under the others (Material's
    light variables, which the dark ones override, as ``:root``'s on a dark page with script).
    "" with fewer than two options. (A relative ``url()`` in such a rule would be read from the
    page; the sheets of carebase and Material have none.)"""
    if len(options) < 2:
        return ""
    first = {attr: options[0][attr] for attr in ATTRS}
    out = []
    for option in options[1:]:
        rules = "".join(_rules_for(css, option, first) for css in sheets)
        if rules:
            out.append(f"@media {option['media']}{{{rules}}}")
    return "".join(out)


def follow_the_system(page: str, page_url: str, read: Callable[[str], str | None],
                      locate: Callable[[str], str] = lambda path: "/" + path) -> str:
    """``page`` (served at ``page_url``, relative to the site's root) made to follow the
    customer's colour scheme without script: the body's palette attributes ``auto``, and after
    each of its style sheets (``read(path from the site's root)`` → its text, or None) and inline
    ``<style>``s the rewritten rules (``auto_css``; their relative ``url()``s given by
    ``locate(path from the site's root)``). The page as it is when it has fewer than two
    palette options with a ``media``, or no rule keyed to them could be read."""
    from urllib.parse import urljoin, urlsplit

    options = palette_options(page)
    if len(options) < 2:
        return page

    made = []

    def after_link(m: re.Match) -> str:
        tag = m.group(0)
        if not re.search(r"""\brel=(["']?)stylesheet\1""", tag, re.I):
            return tag
        href = _HREF.search(tag)
        if not href:
            return tag
        target = urlsplit(urljoin("https://site.invalid/" + page_url.lstrip("/"), htmllib.unescape(href.group(2))))
        if target.netloc != "site.invalid":
            return tag
        sheet = target.path.lstrip("/")
        css = read(sheet)
        rules = _urls_from(auto_css(css, options), sheet, locate) if css else ""
        made.append(rules)
        return tag + (f"<style data-cb-palette>{rules}</style>" if rules else "")

    def after_style(m: re.Match) -> str:
        rules = _urls_from(auto_css(m.group(2), options), page_url.lstrip("/"), locate)
        made.append(rules)
        return m.group(0) + (f"<style data-cb-palette>{rules}</style>" if rules else "")

    def body(m: re.Match) -> str:
        tag = m.group(0)
        for attr in ATTRS:
            tag = re.sub(rf'(\sdata-md-color-{attr}=")[^"]*(")', rf"\g<1>{AUTO}\g<2>", tag)
        return tag

    head, sep, rest = page.partition("<body")
    head = _LINK.sub(after_link, _STYLE.sub(after_style, head))
    if not sep or not any(made):  # no rule to follow the system with: the body keeps its palette
        return page
    return head + _BODY.sub(body, sep + rest, count=1)
