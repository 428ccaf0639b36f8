"""The same page in the site's other languages: ``hreflang`` alternates and the switcher.

A page and its translations share their path after the language's folder
(``billing/refunds/`` and ``de/billing/refunds/``; a category page ``billing/`` and
``de/billing/``), so the alternates of a page are the pages of the other languages at the same
path. Only pages that exist are named, so the alternates are symmetric (when the German page
names the English one, the English page names the German one) and a language without this
page is left out rather than sent to an unrelated page.
"""

from __future__ import annotations

from carebase.content.languages import Languages, native_name


class PageLanguages:
    """Every page's URL by language; the alternates of a page from them."""

    def __init__(self, languages: Languages):
        self.languages = languages
        self._urls: dict[str, set[str]] = {code: set() for code in languages.codes}

    def add(self, lang: str, url: str) -> None:
        self._urls.setdefault(lang or self.languages.default, set()).add(url)

    def path_of(self, lang: str, url: str) -> str:
        """The page's path without its language's folder."""
        prefix = self.languages.prefix(lang)
        return url[len(prefix):] if prefix and url.startswith(prefix) else url

    def in_language(self, lang: str, url: str) -> str:
        """A default-language page's URL (``contact/``) as ``lang``'s version of it
        (``de/contact/``) when that language has the page, else the URL as given."""
        translated = self.languages.prefix(lang) + url
        return translated if translated in self._urls.get(lang, ()) else url

    def alternates(self, lang: str, url: str) -> list[tuple[str, str]]:
        """(language, URL) of this page in every language that has it, the site's order,
        this page included; ``[]`` for a page only one language has."""
        path = self.path_of(lang, url)
        found = [(code, self.languages.prefix(code) + path) for code in self.languages.codes
                 if self.languages.prefix(code) + path in self._urls.get(code, ())]
        return found if len(found) > 1 else []


def alternate_links(alternates: list[tuple[str, str]], current: str, absolute) -> list[dict]:
    """Entries for the theme's language switcher and ``<link rel="alternate" hreflang>``:
    ``name`` (the language's own name), ``link`` (``absolute(url)``), ``lang``, ``current``;
    plus ``x-default`` (the default language's page) for search engines, never shown."""
    out = [{"name": native_name(code), "link": absolute(url), "lang": code, "current": code == current}
           for code, url in alternates]
    if out:
        out.append({"name": "", "link": out[0]["link"], "lang": "x-default", "current": False})
    return out
