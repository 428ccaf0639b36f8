"""Sitemaps per language and robots.txt (sitemaps.org protocol 0.9).

A help centre in several languages writes, beside the theme's ``sitemap.xml`` (every page of
every language, which Material's own scripts read):

* ``sitemap-<lang>.xml`` per language: that language's pages, each with its versions in the
  other languages (``xhtml:link rel="alternate" hreflang``, ``x-default``: the default
  language's page), as Google documents for multilingual sitemaps;
* ``sitemap-index.xml``: a sitemap index listing those files, each with the newest
  ``lastmod`` of its pages.

They sit at the site's root, so they may list every page of the site (sitemaps.org: a
sitemap lists URLs under its own folder only), and they are written only when ``site_url`` is
set: the protocol wants full URLs, and without ``site_url`` a page has none (the theme's
sitemap lists no page then, as it always has).

``robots.txt`` is written when the site has none of its own and ``site_url`` is the root of
its host (crawlers read robots.txt at a host's root only): it allows everything and names the
sitemap index (or ``sitemap.xml`` for one language).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
#: sitemaps.org: at most 50,000 URLs (and 50 MB) per sitemap file.
MAX_URLS = 50_000
INDEX = "sitemap-index.xml"


@dataclass(frozen=True)
class SitemapPage:
    loc: str  # the page's full URL
    lang: str
    lastmod: str | None = None  # W3C date (YYYY-MM-DD)
    alternates: list[dict] = field(default_factory=list)  # {"lang", "link"}: hreflang entries


def sitemap_name(lang: str, part: int = 0) -> str:
    """``sitemap-de.xml`` (``sitemap-de-2.xml`` … past 50,000 pages)."""
    return f"sitemap-{lang}.xml" if part == 0 else f"sitemap-{lang}-{part + 1}.xml"


def urlset(pages: list[SitemapPage]) -> str:
    """One sitemap file of ``pages`` (at most ``MAX_URLS``)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{NS}" xmlns:xhtml="{XHTML}">']
    for page in pages:
        lines.append(f"  <url>\n    <loc>{escape(page.loc)}</loc>")
        if page.lastmod:
            lines.append(f"    <lastmod>{escape(page.lastmod)}</lastmod>")
        for alt in page.alternates:
            lines.append(f'    <xhtml:link rel="alternate" hreflang={quoteattr(alt["lang"])} href={quoteattr(alt["link"])}/>')
        lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)


def sitemap_index(entries: list[tuple[str, str | None]]) -> str:
    """A sitemap index of (full URL of a sitemap file, its lastmod)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{NS}">']
    for loc, lastmod in entries:
        lines.append(f"  <sitemap>\n    <loc>{escape(loc)}</loc>")
        if lastmod:
            lines.append(f"    <lastmod>{escape(lastmod)}</lastmod>")
        lines.append("  </sitemap>")
    lines.append("</sitemapindex>\n")
    return "\n".join(lines)


def language_sitemaps(pages: list[SitemapPage], languages: tuple[str, ...], site_url: str) -> dict[str, str]:
    """file name → text: one sitemap per language (split past ``MAX_URLS``) and the index;
    {} without ``site_url`` or for one language."""
    if not site_url or len(languages) < 2:
        return {}
    base = site_url if site_url.endswith("/") else site_url + "/"
    files: dict[str, str] = {}
    entries: list[tuple[str, str | None]] = []
    for lang in languages:
        mine = [p for p in pages if p.lang == lang]
        if not mine:
            continue  # a sitemap holds at least one URL
        for part, start in enumerate(range(0, len(mine), MAX_URLS)):
            chunk = mine[start:start + MAX_URLS]
            name = sitemap_name(lang, part)
            files[name] = urlset(chunk)
            entries.append((base + name, max((p.lastmod for p in chunk if p.lastmod), default=None)))
    if entries:
        files[INDEX] = sitemap_index(entries)
    return files


def robots_txt(site_url: str, languages: tuple[str, ...]) -> str | None:
    """robots.txt naming the sitemap, or None when ``site_url`` is not a host's root (a
    crawler would never read it there) or not set."""
    if not site_url:
        return None
    parts = urlsplit(site_url)
    if not parts.scheme or not parts.netloc or parts.path not in ("", "/"):
        return None
    base = f"{parts.scheme}://{parts.netloc}/"
    sitemap = INDEX if len(languages) > 1 else "sitemap.xml"
    return f"User-agent: *\nAllow: /\n\nSitemap: {base}{sitemap}\n"
