"""The bilingual demo (English + German, issue 18) as built by the session's real
``mkdocs build --strict`` (search_stack): German pages under /de/, hreflang alternates that
name each other, the switcher staying on the same item, Material's strings and <html lang> in
the page's language, and German search for a German word typed with a typo and without its
umlaut finding the German article — in headless Chromium, axe clean."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitesearch_testkit import focus_box_with_service, wait_rows
from web_testkit import describe, material_started, run_axe, save_shot

URL = re.compile(r"<url>(.*?)</url>", re.S)
LOC = re.compile(r"<loc>([^<]+)</loc>")
XHTML = re.compile(r'<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"/>')


def sitemap_alternates(site: Path, base: str) -> dict[str, dict[str, str]]:
    """page URL (site-relative) → {hreflang: href} from sitemap.xml."""
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    return {LOC.search(u).group(1).removeprefix(base): dict(XHTML.findall(u)) for u in URL.findall(text)}


def test_sitemap_names_each_page_in_the_other_language_and_back(search_stack):
    site, base = search_stack.site, search_stack.url
    alternates = sitemap_alternates(site, base)
    german = {url for url in alternates if url.startswith("de/")}
    # every translated article, the German FAQ page, home, categories and search have a German page
    for url in ("de/", "de/billing/refunds/", "de/billing/", "de/faq/billing/", "de/search/",
                "de/comfort-and-schedules/hot-water-control/"):
        assert url in german, url
    assert "de/billing/lumo-plus-plans/" not in german  # not translated: no German page
    assert "de/getting-started/" not in german  # no German item in that category: no empty page
    paired = 0
    for url, alts in alternates.items():
        if not alts:
            continue
        assert alts.get("x-default") == alts.get("en"), url
        own = "de" if url.startswith("de/") else "en"
        assert alts[own] == base + url, (url, alts)
        for lang, href in alts.items():
            other = href.removeprefix(base)
            assert alternates[other].get(own) == base + url, f"{url} names {other} ({lang}), which does not name it back"
        paired += 1
    assert paired >= 2 * 10, paired  # the translated articles and generated pages, both ways
    # a page only one language has names no alternate (never an unrelated page)
    assert alternates["billing/lumo-plus-plans/"] == {}
    # no <link rel="alternate" hreflang> in the pages: Material's script would fetch a
    # sitemap.xml beside each (404s and console errors); the sitemap carries them
    assert "hreflang" not in (site / "de/billing/refunds/index.html").read_text(encoding="utf-8").split("</head>")[0]


def test_sitemap_index_lists_one_sitemap_per_language_named_in_robots_txt(search_stack):
    """Over HTTP from the demo's server: robots.txt names the sitemap index; the index lists
    one sitemap per language; each holds its language's pages with their hreflang alternates,
    and follows sitemaps.org (namespace, full URLs under the site's root, W3C dates, at most
    50,000 URLs, one loc per entry); together they list exactly the pages of sitemap.xml."""
    import xml.etree.ElementTree as ET

    import httpx

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    base = search_stack.url
    date = re.compile(r"\d{4}-\d{2}-\d{2}")

    def get(url):
        answer = httpx.get(url, timeout=30)
        assert answer.status_code == 200, url
        assert len(answer.content) <= 50 * 1024 * 1024
        return answer

    robots = get(base + "robots.txt").text
    [index_url] = re.findall(r"(?m)^Sitemap: (\S+)$", robots)
    assert index_url == base + "sitemap-index.xml" and "User-agent: *" in robots
    index = ET.fromstring(get(index_url).content)
    assert index.tag == "{%s}sitemapindex" % ns["s"]
    entries = {e.findtext("s:loc", namespaces=ns): e.findtext("s:lastmod", namespaces=ns)
               for e in index.findall("s:sitemap", ns)}
    assert list(entries) == [base + "sitemap-en.xml", base + "sitemap-de.xml"]
    every = sitemap_alternates(search_stack.site, base)
    listed = {}
    for lang, (url, lastmod) in zip(("en", "de"), entries.items()):
        urlset = ET.fromstring(get(url).content)
        assert urlset.tag == "{%s}urlset" % ns["s"]
        urls = urlset.findall("s:url", ns)
        assert 0 < len(urls) <= 50_000
        dates = set()
        for entry in urls:
            assert [child.tag for child in entry][:1] == ["{%s}loc" % ns["s"]]
            assert len(entry.findall("s:loc", ns)) == 1
            loc = entry.findtext("s:loc", namespaces=ns)
            assert loc.startswith(base) and len(loc) < 2048, loc
            page = loc.removeprefix(base)
            assert page.startswith("de/") == (lang == "de"), (lang, page)  # its own language's pages only
            modified = entry.findtext("s:lastmod", namespaces=ns)
            assert modified is None or date.fullmatch(modified), modified
            dates.add(modified)
            alternates = {a.get("hreflang"): a.get("href") for a in entry.findall("x:link", ns)}
            assert all(a.get("rel") == "alternate" for a in entry.findall("x:link", ns))
            assert alternates == every[page], page  # the same pairs as sitemap.xml (named both ways: above)
            assert page not in listed, page
            listed[page] = lang
        assert lastmod == max(d for d in dates if d)
    assert set(listed) == set(every)
    assert listed["de/billing/refunds/"] == "de" and listed["billing/refunds/"] == "en"


def test_german_page_language_strings_links_and_search_data(search_stack):
    site = search_stack.site
    html = (site / "de/billing/cancel-lumo-plus/index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in html
    assert 'placeholder="Suche"' in html  # Material's own strings, in German
    assert 'href="../refunds/#lumo-plus"' in html  # a link to a translated article stays in German
    english = (site / "billing/cancel-lumo-plus/index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and 'placeholder="Search"' in english
    # every page outside /de/ is an English page: the German pass once wrote its own contact
    # form over the English contact/ (German search box, German suggestions for English text)
    for page in site.rglob("*.html"):
        rel = page.relative_to(site).as_posix()
        if not rel.startswith("de/"):
            assert '<html lang="de"' not in page.read_text(encoding="utf-8"), rel
    # the search page's opening script (?q=: its requests, the answer's card) is on each
    # language's search page, not on the German home page (it shows no results: an answer
    # asked there was logged as an ask nobody saw)
    for rel, opening in (("search/index.html", True), ("de/search/index.html", True),
                         ("index.html", False), ("de/index.html", False)):
        assert ("window.__carebaseQuery={q:q" in (site / rel).read_text(encoding="utf-8")) == opening, rel
    faq = (site / "de/faq/billing/index.html").read_text(encoding="utf-8")
    assert 'id="refund-annual"' in faq  # FAQ anchors are the same in every language
    assert '"inLanguage":"de"' in faq
    config = json.loads(re.search(r'id="carebase-config">([^<]+)<', html).group(1))
    assert config["lang"] == "de" and config["index"] == "de/search/carebase/"  # the API is asked with lang=de
    meta = json.loads((site / "de/search/carebase/meta.json").read_text(encoding="utf-8"))
    assert "de" in json.dumps(meta.get("analyser", {}))
    english_docs = [d for f in sorted((site / "search/carebase").glob("d-*.json"))
                    for d in json.loads(f.read_text(encoding="utf-8"))]
    assert english_docs and not [d for d in english_docs if d[3].startswith("de/")]  # never mixed into English
    assert not (site / "search/search_index.json").exists()  # Material's lunr index: only when a site opts in


def _visible_text(html: str) -> str:
    """A page's text as a reader meets it: the words, the <title>, attributes read aloud."""
    import html as entities

    html = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", html, flags=re.S)
    spoken = " ".join(re.findall(r'(?:aria-label|title|placeholder|content)="([^"]*)"', html))
    return entities.unescape(re.sub(r"<[^>]+>", " ", html) + " " + spoken)


def test_german_pages_and_the_services_no_js_answer_show_the_sites_texts_in_german(search_stack):
    """The help centre's own texts of mkdocs.yml (its name and description, the contact hours,
    the footer's text and links) are English; strings.de.yml translates them (site.*). Over
    HTTP: the German contact page and article show none of the English ones (and the German
    navigation), the English pages all of them; the contact form posted without JavaScript from the German page gets
    the service's answer in German with the site's own German strings (its name, its wording
    of the way back), from the build output's manifest."""
    import httpx

    from carebase.strings.site import site_texts_from_config

    english = site_texts_from_config(Path(__file__).resolve().parents[2] / "mkdocs.yml")
    assert {"site.name", "site.contact.hours", "site.footer.text", "site.footer.links"} <= set(english)
    texts = [v for value in english.values() for v in (value if isinstance(value, tuple) else (value,))]
    with httpx.Client(timeout=30) as http:
        for url in ("de/contact/", "de/billing/refunds/"):
            german = _visible_text(http.get(search_stack.url + url).text)
            assert not [t for t in texts if t in german], url
            assert "Montag bis Freitag, 8:00–20:00 Uhr britischer Zeit" in german and "Lumo Hilfe-Center" in german
        page = http.get(search_stack.url + "de/contact/").text
        # the German contact page (the site's own, naming this page: blocks.contact_form_link)
        assert re.search(r'class="cb-footer__link" href="\./\?from=/de/contact/">Kontakt<', page)
        assert "Andere Wege zu uns" in _visible_text(page)  # the other ways first (pages.contact)
        # the navigation is the German site's: its pages, its titles (categories.de.yml), its home
        nav = _visible_text(page.split('class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0])
        assert "Startseite" in nav and "Abrechnung und Lumo Plus" in nav, nav
        assert "Billing and Lumo Plus" not in nav and "Getting started" not in nav, nav
        assert re.search(r'href="\.\./billing/" class="md-nav__link', page)  # de/billing/, not the English one
        for url in ("contact/", "billing/refunds/"):
            shown = _visible_text(http.get(search_stack.url + url).text)
            assert not [t for t in texts if t not in shown and t != english.get("site.description")], url
            assert "Hilfe-Center" not in shown and "Montag" not in shown
        form = {"name": "Jana", "email": "jana@example.com", "message": "Das Display bleibt dunkel", "lang": "de",
                "page": "/de/contact/", "return_to": search_stack.url + "de/contact/"}
        origin = {"Origin": search_stack.url.rstrip("/")}
        answer = http.post(search_stack.service.url + "/contact", data=form, headers=origin)
        assert answer.status_code == 201, answer.text
        shown = _visible_text(answer.text)
        # the German contact page's look (contact_page.answer_page): its title as the site's pages have it
        assert '<html lang="de"' in answer.text and "<title>Nachricht gesendet - Lumo Hilfe-Center</title>" in answer.text
        assert "Zurück zum Lumo Hilfe-Center" in shown  # the site's own wording (strings.de.yml)
        assert not [t for t in texts if t in shown] and "Back to" not in shown
        answer = http.post(search_stack.service.url + "/contact", headers=origin,
                           data={**form, "lang": "en", "name": "Jane", "page": "/contact/",
                                 "return_to": search_stack.url + "contact/"})
        assert answer.status_code == 201 and "<title>Message sent - Lumo Help Centre</title>" in answer.text
        assert "Back to the help centre" in answer.text  # carebase's own English: the site overrides German only


@pytest.mark.browser
def test_switcher_keeps_the_item_and_german_search_finds_the_german_article(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    page.goto(search_stack.url + "de/billing/refunds/", wait_until="load")
    material_started(page)
    assert page.locator("html").get_attribute("lang") == "de"
    switcher = page.locator(".md-header .md-select")
    switcher.hover()
    links = switcher.locator("a[data-cb-language]")
    assert links.evaluate_all("els => els.map(e => e.textContent.trim())") == ["English", "Deutsch"]
    assert switcher.locator('a[aria-current="true"]').get_attribute("hreflang") == "de"
    switcher.locator('a[hreflang="en"]').click()
    page.wait_for_url(search_stack.url + "billing/refunds/")
    assert page.locator("h1").first.inner_text().startswith("Refunds for Lumo Plus and hardware")
    page.locator(".md-header .md-select").hover()
    page.locator('.md-header .md-select a[hreflang="de"]').click()
    page.wait_for_url(search_stack.url + "de/billing/refunds/")
    assert page.locator("h1").first.inner_text().startswith("Rückerstattungen für Lumo Plus und Geräte")
    violations = run_axe(page)
    assert not violations, describe(violations)

    # the widget on a German page (in German): the vote reaches the service with the page's language
    page.locator(".cb-feedback").first.get_by_role("button", name="Ja", exact=True).click()
    votes = wait_rows(search_stack, "vote", lambda r: r["item_id"] == "article:billing/refunds" and r["lang"] == "de")
    assert votes and votes[0]["page"] == "/de/billing/refunds/"

    # German search: "ruckerstatung" (no umlaut, one t missing) on the German search page
    focus_box_with_service(page, search_stack.url + "de/search/")
    page.keyboard.type("ruckerstatung", delay=40)
    page.wait_for_function("() => { const r = document.querySelector('[data-carebase-results]');"
                           " return r && r.dataset.carebaseQuery === 'ruckerstatung'"
                           " && document.querySelector('.cb-search-results').dataset.cbEngine === 'api'; }")
    # the service's search API answers German pages from the German index (lang=de)
    first = page.locator(".cb-result__link").first
    assert first.get_attribute("href").endswith("/de/billing/refunds/")
    hrefs = page.locator(".cb-result__link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert all("/de/" in h for h in hrefs), hrefs  # never an English page in German results
    save_shot(page, "sitesearch-german.png", full_page=True)
    violations = run_axe(page)
    assert not violations, describe(violations)

    # a search from a German page is logged with the page's language
    page.goto(search_stack.url + "de/search/?q=Jahresabo+erstatten", wait_until="load")
    material_started(page)
    assert wait_rows(search_stack, "search", lambda r: r["query"] == "Jahresabo erstatten" and r["lang"] == "de")


def test_search_and_answer_apis_answer_in_the_language_asked(search_stack):
    """One build output holds every language: the service searches (and answers from) the
    index of the language asked with ``lang=``, the default without it, and refuses a
    language the help centre does not publish, naming the field."""
    import httpx

    with httpx.Client(base_url=search_stack.service.url, timeout=30) as api:
        german = api.get("/api/v1/search", params={"q": "Rückerstattung", "lang": "de"}).json()
        assert german["lang"] == "de" and german["hits"][0]["url"] == "de/billing/refunds/"
        assert all(h["url"].startswith("de/") for h in german["hits"])
        for params in ({"q": "refund"}, {"q": "refund", "lang": "en"}):
            english = api.get("/api/v1/search", params=params).json()
            assert english["lang"] == "en" and english["hits"][0]["url"] == "billing/refunds/"
            assert not [h for h in english["hits"] if h["url"].startswith("de/")]
        question = "Wie bekomme ich eine Rückerstattung für mein Jahresabo?"
        answer = api.get("/api/v1/answer", params={"q": question, "lang": "de"}).json()
        assert all(c["url"].startswith("de/") for c in answer["citations"] + answer["related"])
        assert answer["citations"] or answer["related"]
        assert wait_rows(search_stack, "ask", lambda r: r["query"] == question and r["lang"] == "de")
        for path in ("/api/v1/search", "/api/v1/answer"):
            refused = api.get(path, params={"q": "refund", "lang": "fr"})
            assert refused.status_code == 400 and refused.json()["field"] == "lang"
            assert "en, de" in refused.json()["error"]


def test_no_query_in_one_language_finds_a_page_of_the_other(search_stack):
    """Every item's own title and summary, searched in the other language's index and in its
    own: a German page never lists an English page and an English page never a German one
    (the contact form's deflection and the search boxes ask the API with the page's language).
    The search API's routes over the demo's build output, served on their own (the shared
    service's rate limit is for customers, not for 80 queries in a row)."""
    from starlette.applications import Starlette

    from carebase.output.live import LiveOutput
    from carebase.service.routes_search import routes
    from web_testkit import serve_asgi

    live = LiveOutput(search_stack.site_data)
    output = live.current()
    queries = {lang: [t for i in output.catalogue_of(lang).items() for t in (i.title, getattr(i, "summary", ""))
                      if t][:20] for lang in ("en", "de")}
    app = Starlette(routes=routes(live.searcher, catalogue=live.index_catalogue, languages=live.languages)[:1])
    with serve_asgi(app) as api:
        for page_lang in ("en", "de"):
            for q in queries["en"] + queries["de"]:
                response = api.get("/api/v1/search", params={"q": q[:200], "lang": page_lang, "limit": 10})
                assert response.status_code == 200, (q, response.text)
                urls = [h["url"] for h in response.json()["hits"]]
                if page_lang == "de":
                    assert all(u.startswith("de/") for u in urls), (q, urls)
                else:
                    assert not [u for u in urls if u.startswith("de/")], (q, urls)


@pytest.mark.browser
def test_contact_form_suggests_only_pages_of_its_language(search_stack, search_page_factory):
    """The contact form (one, in the default language) asks for its suggestions in its page's
    language: English pages only, never a German one (a CI run once showed German pages on the
    English form: the German pass had written its form over contact/). Nothing is clicked
    (other tests count the contact form's clicks)."""
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    page.goto(search_stack.url + "contact/", wait_until="load")
    material_started(page)
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("#cb-contact-message").fill("How do I get a refund for Lumo Plus and my invoice (Rechnung)?")
    page.wait_for_function("() => document.querySelectorAll('.cb-deflect a').length > 0")
    hrefs = page.locator(".cb-deflect a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    urls = [h.removeprefix(search_stack.url) for h in hrefs]
    assert urls and not [u for u in urls if u.startswith("de/")], urls


def test_german_pages_are_searched_by_their_words_where_the_model_knows_no_german(search_stack):
    """The default embedding model knows English only. Through the demo's real service, German
    "Werkseinstellungen" made 3 billing FAQs strong by meaning alone and put the factory-reset
    article, whose title holds the word, 5th. Meaning now votes only on the pages of the
    languages its model declares (``Embedder.languages``): the German pages are searched by
    their words, as the client index does, so the article is first and no billing FAQ is
    strong; English pages still fuse meaning. The answer API says why it answered by words
    only. A German page is also found by its English source's words ("wipe": no German page
    says it, no German synonym names it)."""
    import httpx

    with httpx.Client(base_url=search_stack.service.url, timeout=30) as api:
        found = api.get("/api/v1/search", params={"q": "Werkseinstellungen", "lang": "de"}).json()
        strong = [h["id"] for h in found["hits"] if h["strong"]]
        assert strong[:1] == ["article:troubleshooting/factory-reset"], strong
        assert not [i for i in strong if i.startswith("faq:billing")], strong
        assert found["hits"][0]["url"] == "de/troubleshooting/factory-reset/"
        wipe = api.get("/api/v1/search", params={"q": "wipe", "lang": "de"}).json()
        assert [h["url"] for h in wipe["hits"] if h["strong"]][:1] == ["de/troubleshooting/factory-reset/"], wipe
        answer = api.get("/api/v1/answer", params={"q": "Werkseinstellungen", "lang": "de"}).json()
        assert "by words only: the embedding model does not know German" in answer["why"], answer["why"]
        english = api.get("/api/v1/answer", params={"q": "money back for my plan"}).json()
        assert "by words only" not in english["why"], english["why"]


HEADER_FORM = re.compile(r'<form class="cb-search cb-search--header"[^>]*>')


def test_every_german_pages_header_search_leads_to_the_german_search_page(search_stack):
    """The header's box and its magnifier (phones) on each German page of the real build lead
    to the German search page, with JavaScript (data-cb-action, the link) as without it (the
    service's de/search/): they once led every German page but the home page to the English
    search page, whose English index found nothing for a German word."""
    from urllib.parse import urljoin

    site, base = search_stack.site, search_stack.url
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "de").rglob("index.html"))
    checked = []
    for rel in pages:
        html = (site / rel).read_text(encoding="utf-8")
        form = HEADER_FORM.search(html)
        if form is None:  # the home and search pages have their own big box instead
            continue
        here = base + rel.removesuffix("index.html")
        action = re.search(r'data-cb-action="([^"]*)"', form.group(0)).group(1)
        assert urljoin(here, action) == base + "de/search/", (rel, action)
        assert re.search(r'action="[^"]*/de/search/"', form.group(0)), rel
        magnifier = re.search(r'class="md-header__button md-icon cb-header-search__toggle" href="([^"]*)"', html)
        assert urljoin(here, magnifier.group(1)) == base + "de/search/", (rel, magnifier.group(1))
        checked.append(rel)
    assert "de/billing/refunds/index.html" in checked and "de/faq/billing/index.html" in checked
    assert len(checked) >= 10, checked
    english = (site / "billing/refunds/index.html").read_text(encoding="utf-8")
    action = re.search(r'data-cb-action="([^"]*)"', HEADER_FORM.search(english).group(0)).group(1)
    assert urljoin(base + "billing/refunds/", action) == base + "search/"


@pytest.mark.browser
def test_enter_in_the_header_box_of_a_german_article_shows_german_results(search_stack, search_page_factory):
    """A customer on a German article types a German word in the header box and presses Enter:
    the German search page opens with the German article first (not the English page's
    "No close matches")."""
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    page.goto(search_stack.url + "de/billing/refunds/", wait_until="load")
    material_started(page)
    page.locator("#cb-header-q").click()
    page.keyboard.type("Rückerstattung", delay=20)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(search_stack.url) + r"de/search/\?q=R"))
    page.wait_for_function("() => document.querySelector('.cb-result__link')")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator(".cb-result__link").first.get_attribute("href").endswith("/de/billing/refunds/")


@pytest.mark.browser
def test_another_language_from_the_search_page_keeps_the_search(search_stack, search_page_factory):
    """audit 47 A6: "Deutsch" from search/?q=refund opened de/search/ with an empty box (the
    switcher's link is the page without its query); the query the customer typed after the page
    opened goes along too (the search page writes the box into the address)."""
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    page.goto(search_stack.url + "search/?q=refund", wait_until="load")
    material_started(page)
    page.locator(".md-header .md-select").hover()
    page.locator('.md-header .md-select a[hreflang="de"]').click()
    page.wait_for_url(search_stack.url + "de/search/?q=refund")
    assert page.locator("#cb-q").input_value() == "refund"
    box = page.locator("#cb-q")
    box.fill("Rechnung")
    page.wait_for_url(re.compile(r".*/de/search/\?q=Rechnung.*"))
    page.locator(".md-header .md-select").hover()
    page.locator('.md-header .md-select a[hreflang="en"]').click()
    page.wait_for_url(re.compile(r".*/search/\?q=Rechnung.*"))
    assert "/de/" not in page.url and page.locator("#cb-q").input_value() == "Rechnung"
