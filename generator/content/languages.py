"""Languages of a help centre, and how a translation's file is named.

A translation is a sibling of its source with the language code before the extension::

    billing/refunds.md        the source (the default language)
    billing/refunds.de.md     its German translation: the same item, article:billing/refunds
    faq/billing.de.yml        the German questions of faq/billing.yml (same anchors)
    videos/tour.de.yml        the German title, chapters and captions of videos/tour.yml
    categories.de.yml         German category titles and descriptions (ids as in categories.yml)
    synonyms.de.yml           German synonym groups (search in German)

Siblings rather than ``content/<lang>/`` folders: a translator copies the file beside its
source, so every relative link, image, transcript and category folder in it keeps working
unchanged; a missing translation shows in the folder listing; and the content folder tells
translations apart by itself (``name.<code>.md`` beside ``name.md``), so every reader of the
content (check, build, service, report) agrees without configuration.

``languages:`` in the plugin settings lists the languages the site publishes; the first is
the default (the language of the sources, served at the site root; the others under
``/<code>/``). Without it, the site has one language: the theme's ``language`` or English.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

DEFAULT = "en"
#: A language code as a file suffix and a URL folder: "de", "pt-BR", "zh-Hant", "gsw".
CODE = re.compile(r"^[a-z]{2,3}(?:-(?:[A-Z]{2}|[A-Z][a-z]{3}|[0-9]{3}))?$")
_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]{2,4})?)(?P<ext>\.md|\.ya?ml)$")


@functools.lru_cache(maxsize=256)
def known(code: str) -> bool:
    """Whether ``code`` names a language (Babel's CLDR data): 'de' yes, 'v2' or 'xx' no."""
    if not CODE.match(code):
        return False
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


@functools.lru_cache(maxsize=256)
def _locale(code: str):
    from babel import Locale

    return Locale.parse(code, sep="-")


def native_name(code: str) -> str:
    """The language's name in itself ('Deutsch', 'English', 'العربية'); the code when unknown."""
    if not known(code):
        return code
    name = _locale(code).get_display_name(_locale(code)) or code
    return name[:1].upper() + name[1:]


def english_name(code: str) -> str:
    """The language's name in English ('German'), for messages; the code when unknown."""
    return _locale(code).get_display_name("en") if known(code) else code


def direction(code: str) -> str:
    """'rtl' for Arabic, Hebrew, Persian, Urdu…; 'ltr' otherwise."""
    return "rtl" if known(code) and _locale(code).text_direction == "rtl" else "ltr"


def split_name(rel: str) -> tuple[str, str]:
    """(the source's path, language) for a file named like a translation
    (``billing/refunds.de.md`` → ``('billing/refunds.md', 'de')``); ``(rel, '')`` otherwise.
    Whether it *is* a translation also depends on its source existing (``translation_of``)."""
    match = _SUFFIX.match(rel)
    if match is None or not known(match.group("lang")):
        return rel, ""
    return match.group("stem") + match.group("ext"), match.group("lang")


def translation_of(rel: str, files, configured=()) -> tuple[str, str]:
    """(source path, language) when ``rel`` is a translation: named ``<stem>.<lang>.<ext>``
    with a language code, beside an existing source ``<stem>.<ext>`` or in a configured
    language (then a missing source is the writer's mistake, reported by the loader)."""
    source, lang = split_name(rel)
    if lang and (source in files or lang in configured):
        return source, lang
    return rel, ""


@dataclass(frozen=True)
class Languages:
    """The languages a site publishes; ``codes[0]`` is the default (the sources' language)."""

    codes: tuple[str, ...] = (DEFAULT,)

    @property
    def default(self) -> str:
        return self.codes[0]

    @property
    def others(self) -> tuple[str, ...]:
        return self.codes[1:]

    def prefix(self, lang: str) -> str:
        """The URL folder of a language's pages: '' for the default, 'de/' for German."""
        return "" if not lang or lang == self.default else f"{lang}/"

    def __contains__(self, code: str) -> bool:
        return code in self.codes


def read_languages(value, fallback: str = DEFAULT) -> tuple[Languages, list[str]]:
    """``languages:`` from the plugin settings (a list of codes, the default first; or a
    single code) → (Languages, complaints ``"languages[1]: expected …, found …"``).
    Absent or empty: the one language ``fallback`` (the theme's language)."""
    if value is None or value == [] or value == "":
        fallback = fallback.replace("_", "-") if isinstance(fallback, str) else DEFAULT
        return Languages((fallback if known(fallback) else DEFAULT,)), []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return Languages((DEFAULT,)), [f"languages: expected a list of language codes (the default first, "
                                       f"e.g. [en, de]), found {type(value).__name__}"]
    codes: list[str] = []
    complaints = []
    for i, code in enumerate(value):
        if not isinstance(code, str) or not known(code):
            hint = ""
            if isinstance(code, str) and known(code.replace("_", "-")):
                hint = f" (write {code.replace('_', '-')!r})"
            complaints.append(f"languages[{i}]: expected a language code such as 'en', 'de' or 'pt-BR'{hint}, "
                              f"found {code!r}")
        elif code in codes:
            complaints.append(f"languages[{i}]: expected each language once, found {code!r} again")
        else:
            codes.append(code)
    return Languages(tuple(codes) or (DEFAULT,)), complaints


def languages_from_config(path) -> tuple[Languages, list[str]]:
    """The carebase plugin's ``languages`` in a mkdocs.yml (the theme's language, else English,
    when the file or the setting is absent)."""
    from carebase.content.limits import plugin_settings

    settings, config, complaints = plugin_settings(path)
    theme = config.get("theme") if isinstance(config, dict) else None
    fallback = theme.get("language", DEFAULT) if isinstance(theme, dict) else DEFAULT
    languages, more = read_languages(settings.get("languages"), fallback if isinstance(fallback, str) else DEFAULT)
    return languages, complaints + more
