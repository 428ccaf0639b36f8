"""A right-to-left language: the site fixture published in English and Hebrew (two billing
articles translated, a few of carebase's strings in the site's strings.he.yml, the rest in
English with a build warning naming the file). The Hebrew pages are `dir="rtl"`, carebase's
own components mirrored (the "In this category" list on the right, breadcrumbs from the right,
the header's search box on the left), and axe-core finds no violation."""

from __future__ import annotations

import re
import shutil

import pytest
from site_testkit import FIXTURES, mkdocs_build
from tiers_testkit import real_build
from web_testkit import AXE_JS, StaticServer, describe, material_started, page_factory, run_axe, save_shot

HEBREW = {
    "billing/refunds.he.md": "---\ntitle: החזרים\nsource_revision: {rev}\nsummary: איך ומתי אנחנו מחזירים תשלום.\n---\n\n"
                             "# החזרים\n\nאנחנו מחזירים תשלומים בתוך 14 יום מהרכישה.\n\n## איך מבקשים החזר\n\n"
                             "פתחו את **הגדרות ← חיוב** ובחרו *בקשת החזר*.\n",
    "billing/invoices.he.md": "---\ntitle: הורדת חשבוניות\nsource_revision: {rev}\nsummary: איפה מוצאים ומורידים "
                              "חשבוניות וקבלות.\n---\n\n# הורדת חשבוניות\n\nכל החשבוניות נמצאות ב**הגדרות ← חיוב ← "
                              "חשבוניות**.\n",
}
# a site's own strings for a language carebase ships no catalogue for: the rest stays English
STRINGS_HE = """\
widget.question.helpful: האם זה עזר לך?
widget.yes: כן
widget.no: לא
search.label: חיפוש במרכז העזרה
search.placeholder: תארו את הבעיה
search.button: חיפוש
page.home: דף הבית
page.in_category: "בקטגוריה הזו:"
"""


@pytest.fixture(scope="module")
@real_build
def rtl_site(tmp_path_factory):
    from carebase.content import load_catalogue

    work = tmp_path_factory.mktemp("rtl")
    project = work / "project"
    shutil.copytree(FIXTURES, project)
    content = project / "help"
    revisions = {a.path: a.revision for a in load_catalogue(content).articles}
    for rel, text in HEBREW.items():
        (content / rel).write_text(text.replace("{rev}", revisions[rel.replace(".he.md", ".md")]), encoding="utf-8")
    (content / "strings.he.yml").write_text(STRINGS_HE, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text().replace("  - material/search\n", "")  # carebase's own search box in the header
    config.write_text(text.replace("  - carebase:\n", "  - carebase:\n      languages: [en, he]\n"))
    built = mkdocs_build(config, work / "site", strict=False)  # strings.he.yml's warning: see below
    assert built.returncode == 0, built.stderr
    server = StaticServer(work / "site")
    yield server.url.rstrip("/"), work / "site", built.stderr
    server.close()


def test_a_language_without_carebase_strings_warns_and_falls_back_to_english(rtl_site):
    _, site, log = rtl_site
    assert re.search(r"strings\.he\.yml:9\b.*expected carebase's \d+ strings in 'he', found 8: \d+ are shown in "
                     r"English", log), log
    html = (site / "he" / "billing" / "refunds" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="he"[^>]* dir="rtl">', html)
    assert "האם זה עזר לך?" in html and ">כן</button>" in html  # the site's Hebrew strings
    assert "Still need help?" in html  # not given in Hebrew: English
    english = (site / "billing" / "refunds" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="en"[^>]* dir="ltr">', english) and "Was this helpful?" in english


@pytest.mark.browser
def test_hebrew_article_is_mirrored_and_axe_clean(rtl_site, shared_chromium):
    """At 1,280 px, then the same document at 390 px (a phone; the layout is the stylesheet's):
    mirrored, and axe-clean at both widths with the widget's reasons open."""
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS} is missing: run `npm ci --prefix tests` (bash tests/run does)")
    url, _, _ = rtl_site
    with page_factory(shared_chromium) as new_page:
        page = new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "/he/billing/refunds/", wait_until="load")
        material_started(page)
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        page.locator(".cb-feedback").first.get_by_role("button", name="לא", exact=True).click()
        page.locator(".cb-feedback__reasons").first.wait_for()
        for width in (1280, 390):
            if width != 1280:
                page.set_viewport_size({"width": width, "height": 900})
                page.wait_for_function("(w) => innerWidth === w", arg=width)
            crumbs = page.locator(".cb-breadcrumbs li:visible")  # (on a phone the trail ends at the parent)
            first, last = crumbs.first.bounding_box(), crumbs.last.bounding_box()
            assert first["x"] > last["x"], width  # the trail reads from the right
            assert page.locator(".cb-breadcrumbs a").first.inner_text() == "דף הבית"
            article = page.locator("article.md-content__inner").bounding_box()
            aside = page.locator(".cb-aside").bounding_box()
            if width >= 1200:  # "In this category" beside the article, on its right; the header box on the left
                assert aside["x"] >= article["x"] + article["width"] - 1
                box = page.locator("#cb-header-q").bounding_box()
                assert box["x"] + box["width"] < width / 2
            else:  # after the article on small screens; nothing runs off the side
                assert aside["y"] >= article["y"] + article["height"] - 1
                assert page.evaluate("document.documentElement.scrollWidth") <= width
            save_shot(page, f"he-article-{width}.png", full_page=True)
            violations = run_axe(page)
            assert not violations, f"at {width} px: {describe(violations)}"
