"""SEO and sharing on the built demo (site_url set): every page has a meta description (an
item's summary where it has one), a canonical URL, Open Graph tags, and the sitemap lists
the generated pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from quality_testkit import REPO


def html_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("index.html")) + [site / "404.html"]
    assert len(pages) > 50, "the demo build produced too few pages"
    return pages


def url_of(site: Path, base: str, path: Path) -> str:
    rel = path.relative_to(site).as_posix()
    return base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def head(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_page_has_description_canonical_and_open_graph(stack):
    problems = []
    for path in html_pages(stack.site):
        doc, url = head(path), url_of(stack.site, stack.url, path)
        description = doc.find("meta", attrs={"name": "description"})
        if not description or len(description.get("content", "").strip()) < 20:
            problems.append(f"{url}: no meta description")
        if path.name != "404.html":
            canonical = doc.find("link", rel="canonical")
            if not canonical or canonical.get("href") != url:
                problems.append(f"{url}: canonical is {canonical and canonical.get('href')!r}")
            og_url = doc.find("meta", property="og:url")
            if not og_url or og_url.get("content") != url:
                problems.append(f"{url}: og:url is {og_url and og_url.get('content')!r}")
        for prop in ("og:title", "og:description", "og:type", "og:site_name"):
            tag = doc.find("meta", property=prop)
            if not tag or not tag.get("content", "").strip():
                problems.append(f"{url}: no {prop}")
        og_desc = doc.find("meta", property="og:description")
        if description and og_desc and og_desc.get("content") != description.get("content"):
            problems.append(f"{url}: og:description differs from the meta description")
    assert not problems, "\n".join(problems[:40])


def test_descriptions_come_from_item_summaries(stack):
    from carebase.content import load_catalogue

    catalogue = load_catalogue(REPO / "content")
    checked = 0
    for item in list(catalogue.articles) + list(catalogue.faqs) + list(catalogue.videos):
        if not item.summary or getattr(item, "draft", False):
            continue
        path = stack.site / item.url / "index.html"
        doc = head(path)
        assert doc.find("meta", attrs={"name": "description"})["content"] == item.summary, item.id
        assert doc.find("meta", property="og:title")["content"] == item.title, item.id
        checked += 1
    assert checked >= 40


def test_sitemap_lists_generated_pages(stack):
    tree = ET.parse(stack.site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in tree.findall(".//s:loc", ns)}
    manifest_urls = {stack.url + meta["url"].split("#")[0] for meta in stack.manifest["items"].values()}
    missing = sorted(manifest_urls - locs)
    assert not missing, f"sitemap.xml lacks {len(missing)} item pages, e.g. {missing[:5]}"
    for generated in ("", "billing/", "faq/", "faq/billing/", "videos/", "videos/reconnect-wifi/", "search/"):
        assert stack.url + generated in locs, f"sitemap.xml lacks {stack.url + generated}"


def test_sitemap_dates_each_page_by_its_own_last_change(stack):
    """sitemap.xml's lastmod is the day each page last changed (plugins/site/page_dates.py), not
    the build's day on every page (MkDocs' default; the suite builds on SUITE_DAY): an item's
    page the day its own "Last updated" line prints (its file's last change), a category, the
    FAQ index, the gallery and the home page the newest day of what they list, the search and
    contact pages none (they list nothing)."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = {u.findtext("s:loc", namespaces=ns).removeprefix(stack.url): u.findtext("s:lastmod", namespaces=ns)
               for u in ET.parse(stack.site / "sitemap.xml").getroot()}

    def printed(url: str) -> str | None:
        time = head(stack.site / url / "index.html").select_one(".cb-updated time")
        return time["datetime"] if time is not None else None

    newest: dict[str, str] = {}
    for meta in stack.manifest["items"].values():
        url = meta["url"].split("#")[0]
        day = printed(url)
        assert day, f"{url}: no 'Last updated' line"
        assert lastmod[url] == day, f"sitemap.xml: {url} lastmod {lastmod[url]}, its page says {day}"
        for listing in ("", meta["category"] + "/", {"faq": "faq/", "video": "videos/"}.get(meta["kind"])):
            if listing is not None:
                newest[listing] = max(newest.get(listing, ""), day)
    assert {"", "billing/", "faq/", "videos/"} <= set(newest)
    for listing, day in newest.items():
        assert lastmod[listing] == day, f"sitemap.xml: {listing or 'home'} lastmod {lastmod[listing]}, newest item {day}"
    assert lastmod["search/"] is None and lastmod["contact/"] is None
    german = [url for url in lastmod if url.startswith("de/") and printed(url)]
    assert "de/billing/refunds/" in german
    assert all(lastmod[url] == printed(url) for url in german), {url: (lastmod[url], printed(url)) for url in german}


@pytest.mark.parametrize("kind,url", [("faq", "faq/billing/"), ("video", "videos/setup-basics/")])
def test_item_pages_carry_json_ld(stack, kind, url):
    import json

    doc = head(stack.site / url / "index.html")
    types = set()
    for script in doc.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        for node in data if isinstance(data, list) else data.get("@graph", [data]):
            types.add(node.get("@type"))
    assert {"faq": "FAQPage", "video": "VideoObject"}[kind] in types, (url, types)
    assert "BreadcrumbList" in types, (url, types)
