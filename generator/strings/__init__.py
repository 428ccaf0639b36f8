"""carebase's own strings (the widget, the search boxes and results, the contact form, the
home and 404 pages, the blocks around every page) in the page's language.

A small YAML catalogue per language ships here (``en.yml``, the source; ``de.yml``); a site
overrides any string in its content folder — ``strings.yml`` for the default language,
``strings.<lang>.yml`` for another — with the same keys. YAML rather than gettext .po/.mo:
the strings are looked up by a stable key (the English text can change without orphaning a
translation), a site writes its overrides in the same format as the rest of its content,
every value keeps its file and line for ``carebase check`` (the content's YAML reader), and
there is no compile step or Babel runtime in the build; plural forms are chosen with CLDR's
rules (Babel, already installed) where a string has them.

The site's own texts of mkdocs.yml (its name, the contact hours, the footer) are the default
language's; another language's strings file translates them under ``site.*`` keys
(``carebase.strings.site``).

A string missing in a language falls back to English; :func:`check_strings` names each file
whose language lacks strings (``path:line``) so ``carebase check`` and the build warn.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from carebase.content.problems import Problem, error, warning
from carebase.content.yamlnodes import Source, as_text, compose, describe, mapping_pairs

HERE = Path(__file__).resolve().parent
FALLBACK = "en"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
Value = Union[str, tuple, dict]


@dataclass(frozen=True)
class Located:
    """A value with the file and line it was read from."""

    value: Value
    path: str
    line: int


def _read(text: str, path: str, problems: list[Problem]) -> dict[str, Located]:
    """key → value of one catalogue file; its problems (with lines) into ``problems``."""
    node, found = compose(text, Source(path))
    problems.extend(found)
    if node is None or (isinstance(node, ScalarNode) and node.value == ""):
        return {}
    if not isinstance(node, MappingNode):
        problems.append(error(path, node.start_mark.line + 1, "", f"expected a mapping of string keys to texts, "
                                                                  f"found {describe(node)}"))
        return {}
    out: dict[str, Located] = {}
    for key, key_node, value in mapping_pairs(node):
        line = key_node.start_mark.line + 1
        parsed = _value(value)
        if parsed is None:
            problems.append(error(path, line, key, f"expected a text, a list of texts or a mapping of plural forms "
                                                   f"({', '.join(PLURAL_FORMS)}), found {describe(value)}"))
            continue
        out[key] = Located(parsed, path, line)
    return out


def _value(node) -> Value | None:
    text = as_text(node)
    if text is not None:
        return text
    if isinstance(node, SequenceNode):
        items = [as_text(n) for n in node.value]
        return tuple(items) if all(i is not None for i in items) else None
    if isinstance(node, MappingNode):
        forms = {k: as_text(v) for k, _, v in mapping_pairs(node)}
        if forms and "other" in forms and set(forms) <= set(PLURAL_FORMS) and all(v is not None for v in forms.values()):
            return forms
    return None


@functools.lru_cache(maxsize=1)
def shipped() -> frozenset[str]:
    """The languages carebase ships a string catalogue of (``carebase/strings/<lang>.yml``)."""
    return frozenset(p.stem for p in HERE.glob("*.yml"))


def builtin(lang: str) -> dict[str, Located]:
    """carebase's own catalogue of ``lang`` ({} when it ships none). ``lang`` is checked before
    it comes near a path: a malformed code ("../en", "de/x", "") is a ValueError, and only the
    catalogues that ship (:func:`shipped`, the folder's own file names) are ever opened or
    cached, so no argument names another file and made-up codes fill no cache."""
    from carebase.content.languages import CODE

    if not isinstance(lang, str) or not CODE.match(lang):
        raise ValueError(f"carebase.strings.builtin: expected a language code such as 'de' or 'pt-BR', found {lang!r}")
    if lang not in shipped():
        return {}
    return _shipped_catalogue(lang)


@functools.lru_cache(maxsize=None)
def _shipped_catalogue(lang: str) -> dict[str, Located]:
    path = HERE / f"{lang}.yml"
    problems: list[Problem] = []
    found = _read(path.read_text(encoding="utf-8"), f"carebase/strings/{lang}.yml", problems)
    if problems:  # a shipped catalogue is checked by the tests; never half-read silently
        raise ValueError(f"carebase's string catalogue {lang}.yml: {problems[0]}")
    return found


def site_file(lang: str, default: str) -> str:
    """The name of a site's overrides for ``lang`` in its content folder."""
    return "strings.yml" if lang == default else f"strings.{lang}.yml"


@dataclass
class Strings:
    """The strings of one language: ``t(key, **values)``; ``n(key, count, **values)`` for the
    strings with plural forms; ``items(key)`` for lists (the widget's reasons)."""

    lang: str = FALLBACK
    table: dict[str, Value] = field(default_factory=dict)
    missing: tuple[str, ...] = ()  # keys shown in English
    default: bool = True  # the site's default language (mkdocs.yml's own texts apply to it)
    overridden: frozenset = frozenset()  # keys the site's strings file sets

    def raw(self, key: str) -> Value:
        if key in self.table:
            return self.table[key]
        if key.startswith("site."):  # a site text the site does not set
            return ""
        return builtin(FALLBACK)[key].value  # a KeyError here is a typo in carebase's code

    def t(self, key: str, **values) -> str:
        value = self.raw(key)
        text = value if isinstance(value, str) else value.get("other", "") if isinstance(value, dict) else ""
        return _fill(text, values)

    def n(self, key: str, count: int, **values) -> str:
        value = self.raw(key)
        if isinstance(value, dict):
            text = value.get(plural_form(self.lang, count)) or value.get("other", "")
        else:
            text = str(value)
        return _fill(text, {"count": _number(count, self.lang), **values})

    def site_text(self, key: str, given):
        """A site text (``site.*``, carebase.strings.site) in this language: the strings file's
        translation when it has one, else ``given`` (mkdocs.yml's)."""
        return self.table[key] if key in self.overridden else given

    def published(self) -> dict:
        """The site's own strings of this language (its strings file's overrides and the
        site's name), for the build output's manifest: the service's pages read them."""
        keys = sorted(self.overridden | ({"site.name"} if self.table.get("site.name") else set()))
        return {k: list(v) if isinstance(v, tuple) else v for k in keys for v in (self.table[k],)}

    def with_published(self, found) -> "Strings":
        """These strings with a manifest's ``published()`` ones over them (unknown keys and
        values of the wrong shape are ignored: the build checked them)."""
        from carebase.strings.site import SITE_TEXTS

        table, overridden = dict(self.table), set(self.overridden)
        english = builtin(FALLBACK)
        for key, value in (found.items() if isinstance(found, dict) else ()):
            value = tuple(value) if isinstance(value, list) else value
            if key in english:
                fits = type(value) is type(english[key].value)
            else:
                fits = key in SITE_TEXTS and isinstance(value, SITE_TEXTS[key].kind)
            if not fits:
                continue
            table[key] = value
            overridden.add(key)
        return Strings(self.lang, table, self.missing, default=self.default, overridden=frozenset(overridden))

    def items(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        return value if isinstance(value, tuple) else (str(value),)

    def for_script(self, prefixes: tuple[str, ...]) -> dict[str, Value]:
        """The strings whose keys start with one of ``prefixes``, for the page's scripts."""
        keys = {k for k in builtin(FALLBACK) if k.startswith(prefixes)}
        return {k: (self.raw(k) if not isinstance(self.raw(k), tuple) else list(self.raw(k))) for k in sorted(keys)}


def _fill(text: str, values: dict) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def _number(count: int, lang: str) -> str:
    from babel.numbers import format_decimal

    try:
        return format_decimal(count, locale=lang.replace("-", "_"))
    except Exception:  # an unknown locale: plain digits
        return str(count)


@functools.lru_cache(maxsize=64)
def _plural_rule(lang: str):
    from babel import Locale

    try:
        return Locale.parse(lang, sep="-").plural_form
    except Exception:  # not a CLDR language: English's rule
        return Locale("en").plural_form


def plural_form(lang: str, count: int) -> str:
    """CLDR's plural category of ``count`` in ``lang`` (one, other, few, …)."""
    return _plural_rule(lang)(count)


def load_strings(content_root: Path | str | None, lang: str, default: str = FALLBACK,
                 site: dict | None = None) -> tuple[Strings, list[Problem]]:
    """The strings of ``lang``: carebase's catalogue of that language (of its base language,
    'pt' for 'pt-BR'), the site's overrides over it, English for anything still missing.
    ``site``: the site's own texts of mkdocs.yml (``carebase.strings.site``, the default
    language's), which another language's strings file translates under ``site.*`` keys.
    Problems: the site file's errors and unknown keys, one warning naming the strings
    shown in English, one naming the site's texts left untranslated."""
    from carebase.strings.site import SITE_TEXTS

    site_given = dict(site or {})
    problems: list[Problem] = []
    english = builtin(FALLBACK)
    table: dict[str, Value] = {}
    base = lang.split("-")[0]
    for code in dict.fromkeys((base, lang)):
        table.update({k: v.value for k, v in builtin(code).items() if k in english})
    name = site_file(lang, default)
    path = Path(content_root) / name if content_root else None
    site: dict[str, Located] = {}
    if path is not None and path.is_file():
        site = _read(path.read_text(encoding="utf-8", errors="replace"), name, problems)
    for key, found in site.items():
        if key in SITE_TEXTS:
            if _site_text(found, key, lang == default, site_given, problems):
                table[key] = found.value
            continue
        if key not in english:
            problems.append(warning(found.path, found.line, key, f"expected one of carebase's string keys "
                                                                 f"(carebase/strings/en.yml), found {key!r}; "
                                                                 "it is not used"))
            continue
        if type(found.value) is not type(english[key].value):
            kind = {str: "a text", tuple: "a list of texts", dict: "a mapping of plural forms"}
            problems.append(error(found.path, found.line, key, f"expected {kind[type(english[key].value)]} "
                                                               f"as in English, found {kind[type(found.value)]}"))
            continue
        if isinstance(found.value, tuple) and key != "widget.reasons" and len(found.value) != len(english[key].value):
            problems.append(error(found.path, found.line, key, f"expected {len(english[key].value)} texts "
                                                               f"(one per English entry, in order), found "
                                                               f"{len(found.value)}"))
            continue
        table[key] = found.value
    missing = tuple(k for k in english if k not in table) if base != FALLBACK else ()
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        line = max((f.line for f in site.values()), default=0) + 1 if site else 0
        problems.append(warning(name, line, "", f"expected carebase's {len(english)} strings in {lang!r}, found "
                                                f"{len(english) - len(missing)}: {len(missing)} are shown in English "
                                                f"({shown}); add them to {name} in the content folder (keys as in "
                                                "carebase/strings/en.yml)"))
    if lang != default:
        untranslated = [k for k, v in site_given.items() if v and SITE_TEXTS[k].warn and k not in table]
        if untranslated:
            line = max((f.line for f in site.values()), default=0) + 1 if site else 0
            problems.append(warning(name, line, "", f"expected the site's own texts of mkdocs.yml in {lang!r} too, "
                                                    f"found none for {', '.join(untranslated)}: the {lang!r} pages "
                                                    f"show them as mkdocs.yml writes them; add them to {name} in "
                                                    "the content folder"))
    overridden = frozenset(k for k in site if k in table and table[k] is site[k].value)
    for key, value in site_given.items():
        table.setdefault(key, value)
    return Strings(lang, table, missing, default=lang == default, overridden=overridden), problems


def _site_text(found: Located, key: str, is_default: bool, given: dict, problems: list[Problem]) -> bool:
    """Whether a ``site.*`` key of a strings file is used (else its problem is added)."""
    from carebase.strings.site import SITE_TEXTS

    text = SITE_TEXTS[key]
    if is_default:
        problems.append(warning(found.path, found.line, key, f"expected {key} in another language's strings "
                                                             f"file only, found it in the default language's: "
                                                             f"mkdocs.yml's {text.setting} is that language's "
                                                             "text; it is not used"))
        return False
    kind = {str: "a text", tuple: "a list of texts"}
    if not isinstance(found.value, text.kind):
        problems.append(error(found.path, found.line, key, f"expected {kind[text.kind]} (as mkdocs.yml's "
                                                           f"{text.setting}), found {kind.get(type(found.value), 'a mapping')}"))
        return False
    wanted = given.get(key)
    if text.kind is tuple and wanted is not None and len(found.value) != len(wanted):
        problems.append(error(found.path, found.line, key, f"expected {len(wanted)} texts (one per entry of "
                                                           f"mkdocs.yml's {text.setting}, in order), found "
                                                           f"{len(found.value)}"))
        return False
    return True


def check_strings(content_root: Path | str, codes: tuple[str, ...], default: str,
                  site: dict | None = None) -> list[Problem]:
    """The string problems of every language of a site (for ``carebase check``); ``site``:
    the site's texts of mkdocs.yml (``carebase.strings.site.site_texts_from_config``)."""
    problems: list[Problem] = []
    for code in codes:
        problems.extend(load_strings(content_root, code, default, site)[1])
    return problems
