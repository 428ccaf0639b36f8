"""MkDocs glue for a site in several languages (``languages: [en, de]``): the translations'
pages under ``/<lang>/``, which language each page is in, and what the theme needs to show
it (``<html lang>``, Material's strings and writing direction, the language switcher and
``hreflang`` alternates). The content and the alternates come from the core
(``carebase.content.translations``, ``carebase.pages.alternates``)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from carebase.content.languages import direction
from carebase.content.translations import translation_path
from carebase.pages.alternates import PageLanguages, alternate_links


def place_translations(files, catalogues: dict, default: str) -> set[str]:
    """Give every published translated article's file its language's URL
    (``billing/refunds.de.md`` → ``de/billing/refunds/``); the paths kept."""
    kept = set()
    for lang, catalogue in catalogues.items():
        if lang == default:
            continue
        for article in catalogue.articles:
            file = files.get_file_from_path(article.path)
            if file is None or article.draft:
                continue
            file.dest_uri = article.url + "index.html" if file.use_directory_urls else article.url.rstrip("/") + ".html"
            for cached in ("url", "abs_dest_path"):
                file.__dict__.pop(cached, None)
            kept.add(article.path)
    return kept


def material_strings(theme, code: str, fallback: str) -> str:
    """The Material language file for ``code`` (its strings: search box, "back to top"…):
    the code's own when Material ships it, else its base language's ('pt' for 'pt-PT'),
    else the theme's language."""
    for candidate in (code, code.split("-")[0]):
        if any((Path(d) / "partials" / "languages" / f"{candidate}.html").exists() for d in theme.dirs):
            return candidate
    return fallback


class _Switcher:
    """``config.extra.alternate`` on a page with versions in other languages: true, so
    Material's header includes the (carebase) switcher partial, and not iterable, so Material
    writes no ``<link rel="alternate">`` from it: Material's script fetches ``sitemap.xml``
    beside every such link (a 404 and a console error per version of the page); hreflang
    alternates are in sitemap.xml instead (theme sitemap.xml)."""

    def __bool__(self) -> bool:
        return True


SWITCHER = _Switcher()


class PageLanguageContext:
    """Per page: its language and its alternates, for the template context."""

    def __init__(self, languages, theme, site_url: str):
        self.languages = languages
        self.pages = PageLanguages(languages)
        self.site_url = site_url.rstrip("/")
        fallback = theme.get("language") or "en"
        self.strings = {code: material_strings(theme, code, fallback) for code in languages.codes}
        self.lang_of: dict[str, str] = {}  # src_uri → language

    def add(self, src_uri: str, url: str, lang: str) -> None:
        lang = lang or self.languages.default
        self.lang_of[src_uri] = lang
        self.pages.add(lang, url)

    def alternates_of_url(self, url: str) -> list[dict]:
        """hreflang entries of a page known by its URL (for sitemap.xml); [] for a single version."""
        first = url.split("/", 1)[0]
        lang = first if first in self.languages.others else self.languages.default
        absolute = (lambda u: f"{self.site_url}/{u}") if self.site_url else (lambda u: f"/{u}")
        return alternate_links(self.pages.alternates(lang, url), lang, absolute)

    def context(self, page) -> tuple[dict, list[dict]]:
        """(template variables, the switcher's entries) for one page."""
        lang = self.lang_of.get(page.file.src_uri, self.languages.default)
        url = page.url if page.url not in (".", "./") else ""
        absolute = (lambda u: f"{self.site_url}/{u}") if self.site_url else (lambda u: u or ".")
        alternates = alternate_links(self.pages.alternates(lang, url), lang, absolute)
        variables = {
            "carebase_lang": lang,
            "carebase_strings": self.strings[lang],
            "carebase_dir": direction(lang),
            "carebase_prefix": self.languages.prefix(lang),
        }
        return variables, alternates


_MD_LINK = re.compile(r"(\]\(\s*<?)([^)\s#>]+\.md)(#[^)\s>]*)?")


def link_translations(markdown: str, src_uri: str, lang: str, translated: set[str]) -> str:
    """In a translation, a link to another article goes to that article's translation in the
    same language when there is one (``refunds.md`` → ``refunds.de.md``); otherwise it stays
    on the source (the page in the default language)."""
    folder = posixpath.dirname(src_uri)

    def swap(match):
        target = match.group(2)
        if "://" in target or target.startswith("/"):
            return match.group(0)
        resolved = posixpath.normpath(posixpath.join(folder, target))
        if translation_path(resolved, lang) not in translated:
            return match.group(0)
        stem = target[: -len(".md")]
        return f"{match.group(1)}{stem}.{lang}.md{match.group(3) or ''}"

    return _MD_LINK.sub(swap, markdown)


def navigation(entries: list[dict], files, config):
    """Another language's navigation (its home, categories, FAQ and videos pages under
    ``/<lang>/``, with its titles), made by MkDocs from a copy of the config after the site's
    own: the pages are the same objects, so a page in that language finds itself in it; its
    home page is the language's (Material's logo links there)."""
    import copy

    from mkdocs.structure.nav import get_navigation

    for entry in entries:  # MkDocs keeps an existing page's own title: give it the entry's,
        for title, path in entry.items():  # as the site's navigation does ("Startseite")
            file = files.get_file_from_path(path)
            if file is not None and file.page is not None:
                file.page.title = title
    local = copy.copy(config)
    local["nav"] = entries
    nav = get_navigation(files, local)
    home = entries[0] if entries else None
    if home:
        first = files.get_file_from_path(next(iter(home.values())))
        nav.homepage = first.page if first is not None else nav.homepage
    return nav
