"""Sitemaps per language and robots.txt (carebase.pages.sitemaps), the rules the demo's build
does not reach: a language past 50,000 pages is split, URLs are escaped, nothing is written
without site_url or for one language, robots.txt only at a host's root."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from carebase.pages.sitemaps import MAX_URLS, SitemapPage, language_sitemaps, robots_txt

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_a_language_past_50000_pages_is_split_and_urls_are_escaped(monkeypatch):
    import carebase.pages.sitemaps as sitemaps

    assert MAX_URLS == 50_000  # sitemaps.org's limit; the split is shown at 5 (same code, less CPU)
    monkeypatch.setattr(sitemaps, "MAX_URLS", 5)
    site = "https://help.example.com/"
    pages = [SitemapPage(loc=f"{site}de/a-{i}/?x=1&y=2", lang="de", lastmod=f"2026-12-{1 + i % 3:02d}")
             for i in range(5 + 2)] + [SitemapPage(loc=site, lang="en")]
    files = language_sitemaps(pages, ("en", "de", "fr"), site)
    assert sorted(files) == ["sitemap-de-2.xml", "sitemap-de.xml", "sitemap-en.xml", "sitemap-index.xml"]  # fr: no page
    index = ET.fromstring(files["sitemap-index.xml"])
    assert [(e.findtext(f"{NS}loc"), e.findtext(f"{NS}lastmod")) for e in index] == [
        (site + "sitemap-en.xml", None), (site + "sitemap-de.xml", "2026-12-03"), (site + "sitemap-de-2.xml", "2026-12-03")]
    first, second = ET.fromstring(files["sitemap-de.xml"]), ET.fromstring(files["sitemap-de-2.xml"])
    assert (len(first), len(second)) == (5, 2)
    assert first[0].findtext(f"{NS}loc") == f"{site}de/a-0/?x=1&y=2"  # & written as &amp; and read back
    assert language_sitemaps(pages, ("en", "de"), "") == {} and language_sitemaps(pages, ("en",), site) == {}


def test_robots_txt_names_the_sitemap_at_a_hosts_root_only():
    assert robots_txt("https://help.example.com", ("en", "de")) == (
        "User-agent: *\nAllow: /\n\nSitemap: https://help.example.com/sitemap-index.xml\n")
    assert robots_txt("https://help.example.com/", ("en",)).endswith("Sitemap: https://help.example.com/sitemap.xml\n")
    assert robots_txt("https://example.com/help/", ("en",)) is None
    assert robots_txt("", ("en",)) is None
