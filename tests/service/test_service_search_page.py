"""The search page without JavaScript, its parts: the build's template of the site's search page
(carebase.pages.search_template), the forms that go to the service, the results the service
draws (carebase.service.search_page). The whole page in a browser: tests/sitesearch/
test_sitesearch_nojs_browser.py."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from carebase.content.model import Catalogue
from carebase.pages.context import SiteContext
from carebase.pages.home import home_page, search_page
from carebase.pages.search_template import QUERY, RESULTS, SITE, nojs_action, template
from carebase.service.search_page import _respond, grouped, results_html
from carebase.strings import load_strings

PAGE = """<!doctype html><html><head><title>Search - Acme</title>
<link rel="stylesheet" href="../assets/stylesheets/main.css"><link rel="canonical" href="https://help.example.com/search/">
<script>document.documentElement.classList.add("cb-has-query")</script><script src="../assets/carebase/search.js" defer></script>
</head><body><a href="#main" class="skip">Skip</a><a href="../">Home</a><img src="../img/logo.png" srcset="../img/logo.png 1x, ../img/logo@2x.png 2x">
<form class="cb-search" action="http://svc.example/search/" data-cb-action="./"><input class="cb-search__input" id="cb-q" name="q" type="search" value="" required></form>
<div class="cb-search-results" data-cb-search-results aria-live="polite" hidden></div>
<noscript><p class="cb-search-noscript">Searching needs JavaScript</p></noscript><a href="../contact/">Contact</a>
<a href="mailto:help@example.com">Mail</a></body></html>"""


def test_the_template_keeps_the_sites_look_and_drops_every_script():
    made = template(PAGE, "search/")
    assert "<script" not in made and "<noscript" not in made  # nothing runs; no "needs JavaScript"
    assert f'href="{SITE}assets/stylesheets/main.css"' in made  # the site's style sheet, from the site
    assert f'href="{SITE}"' in made and f'href="{SITE}contact/"' in made
    assert f'src="{SITE}img/logo.png"' in made and f'srcset="{SITE}img/logo.png 1x, {SITE}img/logo@2x.png 2x"' in made
    assert 'href="#main"' in made and 'href="mailto:help@example.com"' in made  # fragments, other schemes as they were
    assert 'href="https://help.example.com/search/"' in made and 'action="http://svc.example/search/"' in made
    assert made.count(RESULTS) == 1 and f'value="{QUERY}"' in made
    # a German page one folder deeper resolves its links from there
    assert f'href="{SITE}de/contact/"' in template(PAGE.replace("../contact/", "../contact/"), "de/search/")


@pytest.fixture
def ctx() -> SiteContext:
    return SiteContext(catalogue=Catalogue(root="/nonexistent"), site_name="Acme help", site_url="https://help.example.com/")


def test_the_forms_go_to_the_service_without_javascript_and_to_the_site_with_it(ctx):
    with_service = SiteContext(catalogue=ctx.catalogue, site_name="Acme help", site_url=ctx.site_url,
                               service_url="https://feedback.example.com/")
    assert nojs_action(with_service.service_url, "de/search/") == "https://feedback.example.com/de/search/"
    page = search_page(with_service).body
    assert 'action="https://feedback.example.com/search/" data-cb-action="./"' in page
    assert "press Search: the help centre&#x27;s server finds the answers" in page
    assert 'action="https://feedback.example.com/search/" data-cb-action="search/"' in home_page(with_service).body
    # a static host without the service: the site's own page, which says plainly what to do
    static = search_page(ctx).body
    assert 'action="./"' in static and "data-cb-action" not in static
    assert "Searching needs JavaScript, which is turned off in this browser. Browse the topics below" in static


FOUND = {
    "query": "wifi <b>", "type": None, "total": 25, "strong": 2, "suggestion": None,
    "counts": {"article": 10, "faq": 5, "video": 10}, "strong_counts": {"article": 1, "faq": 0, "video": 1},
    "hits": [
        {"id": "article:net/offline", "kind": "article", "title": "Offline <again>", "url": "net/offline/",
         "snippet": "won&#x27;t connect to <mark>Wi-Fi</mark> <img src=x onerror=alert(1)>", "strong": True},
        {"id": "video:wifi", "kind": "video", "title": "Reconnect", "url": "videos/wifi/#t=6", "snippet": "", "strong": True},
        {"id": "faq:x#y", "kind": "faq", "title": "Weak one", "url": "javascript:alert(1)", "snippet": "", "strong": False},
        {"id": "faq:x#z", "kind": "faq", "title": "Weak two", "url": "faq/x/#z", "snippet": "", "strong": False},
    ],
}


def test_the_results_are_drawn_as_the_search_page_draws_them_with_links_for_buttons():
    t = load_strings(None, "en")[0]
    drawn = results_html(FOUND, "wifi <b>", None, "header", "https://help.example.com/", t)
    assert '<p class="cb-results__status" id="cb-results-status">2 results for “<bdi>wifi &lt;b&gt;</bdi>”</p>' in drawn
    # the filters: links to the same search of one kind; a kind without a strong match is plain text
    assert '<a class="cb-results__filter" aria-current="page" rel="nofollow" href="?q=wifi+%3Cb%3E&amp;from=header">' in drawn
    assert 'href="?q=wifi+%3Cb%3E&amp;kind=video&amp;from=header"><span>Videos</span><span class="cb-results__count"> 1</span>' in drawn
    # the links a crawler would follow into more logged searches (and "Show more", which logs none)
    assert drawn.count('rel="nofollow"') == 4
    assert '<span class="cb-results__filter cb-results__filter--none"><span>FAQ</span>' in drawn
    strong, weaker = drawn.split("<details", 1)
    assert 'href="https://help.example.com/net/offline/"' in strong and "Offline &lt;again&gt;" in strong
    assert "<mark>Wi-Fi</mark> &lt;img src=x onerror=alert(1)&gt;" in strong  # only <mark> is kept of a snippet
    assert 'href="https://help.example.com/videos/wifi/#t=6"' in strong and 'data-carebase-rank="2"' in strong
    assert "javascript:" not in drawn  # a result that is not a web page is left out
    # every weaker match the list reaches (25 - 2), not the one this page lists ("(1)" until session 36)
    assert "Show weaker matches (23)" in weaker and "Weak two" in weaker
    # the page's one count is its 2 results: every one is listed, so no "Showing the best …" line
    # (until session 41: "Showing the best 3 of 25 matches", the weaker ones counted in)
    assert "Showing the best" not in drawn


def _chapter(start: int, title: str, strong: bool = True, snippet: str = "") -> dict:
    return {"id": "video:wifi", "kind": "video", "title": f"Reconnect Lumo: {title}", "url": f"videos/wifi/#t={start}",
            "snippet": snippet, "strong": strong, "path": ["Troubleshooting", "Reconnect Lumo"],
            "path_urls": ["troubleshooting/", "videos/wifi/"],
            "chapter": {"title": title, "start": start, "video": {"id": "video:wifi", "title": "Reconnect Lumo",
                                                                  "url": "videos/wifi/"}}}


def test_a_videos_chapters_are_listed_under_it_and_each_result_says_where_it_sits():
    """Fails on the old code (issue 15): each chapter was a row of its own, its title repeating
    the video's, and no result said where it sits. Now the video has one row, at its first
    hit's place: its own link, then its chapters in the video's order, each to its time with
    its own words; a weaker chapter of a strong video is under the video's title among the
    weaker matches. Each hit still counts once: 4 strong links for "4 results"."""
    t = load_strings(None, "en")[0]
    hits = [_chapter(140, "Connect to Wi-Fi", snippet="choose your <mark>Wi-Fi</mark> network"),
            {"id": "faq:billing#refunds", "kind": "faq", "title": "How long do refunds take?", "url": "faq/billing/#refunds",
             "snippet": "", "strong": True, "path": ["Billing", "Refunds"], "path_urls": ["billing/", "faq/billing/"],
             "chapter": None},
            {"id": "video:wifi", "kind": "video", "title": "Reconnect Lumo", "url": "videos/wifi/", "snippet": "The video.",
             "strong": True, "path": ["Troubleshooting"], "chapter": None},
            _chapter(6, "Open Wi-Fi settings"),
            _chapter(200, "Still offline?", strong=False)]
    found = {**FOUND, "total": 5, "strong": 4, "counts": {"article": 0, "faq": 1, "video": 4},
             "strong_counts": {"article": 0, "faq": 1, "video": 3}, "hits": hits}
    drawn = results_html(found, "wifi", None, "search-page", "https://help.example.com/", t)
    strong, weaker = drawn.split("<details", 1)
    assert "4 results for" in strong and strong.count("data-carebase-rank=") == 4
    assert strong.count('class="cb-result cb-result--video"') == 1  # one row for the video
    row = strong[strong.index("cb-result--video"):strong.index("</ol></li>") + 10]
    # the video's row comes first (its first hit, a chapter, ranked first), its own link at its top
    assert strong.index("cb-result--video") < strong.index("How long do refunds take?")
    assert row.index('href="https://help.example.com/videos/wifi/"') < row.index("#t=6") < row.index("#t=140")
    assert 'aria-label="Chapters of “Reconnect Lumo”"' in row
    unnamed = re.sub(r' id="cb-rs\d+" aria-hidden="true"', "", row)  # the snippet: the link's description
    assert ('<span class="cb-result__time">2:20</span> <span class="cb-result__title">Connect to Wi-Fi</span>'
            '<span class="cb-result__text">choose your <mark>Wi-Fi</mark> network</span>') in unnamed
    assert 'id="cb-r1"' in row and 'data-carebase-rank="1"' in row  # a chapter keeps its rank (and anchor)
    # where each row sits, above its link, each step a link to its page (a step the API gives no
    # page is text); the separators are not read out
    sep = '<span class="cb-result__sep" aria-hidden="true"> › </span>'
    assert ('<li class="cb-result" id="cb-r2"><div class="cb-result__path">'
            '<a class="cb-result__step" href="https://help.example.com/billing/">Billing</a>' + sep +
            '<a class="cb-result__step" href="https://help.example.com/faq/billing/">Refunds</a></div>'
            '<a class="cb-result__link"') in strong
    assert ('<div class="cb-result__path"><span class="cb-result__step">Troubleshooting</span></div>'
            '<a class="cb-result__link" href="https://help.example.com/videos/wifi/"') in row  # the video's own hit: no path_urls
    assert row.count("cb-result__path") == 1  # the video's; not on each chapter
    # the weaker chapter: under the video's title (not a second link to the video)
    assert "Show weaker matches (1)" in weaker and weaker.count("data-carebase-rank=") == 1
    assert ('<div class="cb-result__path"><a class="cb-result__step" href="https://help.example.com/troubleshooting/">'
            'Troubleshooting</a></div><div class="cb-result__head"><span class="cb-result__kind cb-result__kind--video">Video'
            '</span><span class="cb-result__title">Reconnect Lumo</span></div>') in weaker  # its category only
    assert 'href="https://help.example.com/videos/wifi/#t=200"' in weaker


def test_a_videos_chapters_past_three_are_behind_n_more_chapters_its_best_ranked_shown():
    """Fails on the old code (session 37): a video's row listed every matching chapter ("c-wire":
    6, its row 1,415 px tall at 390 px). Now its 3 best-ranked chapters are shown, in the
    video's order, and the others behind "2 more chapters", a <details> (no script), the list's
    last item; the row's first hit (rank 1, its #cb-r1) is never behind it; every hit still
    counts and is listed once. A row of 3 chapters has no "more"."""
    t = load_strings(None, "en")[0]
    starts = {1: 6, 2: 22, 3: 28, 4: 0, 5: 14}  # rank: start (the video's first chapter ranked 4th)
    hits = [_chapter(starts[rank], f"C{rank}", snippet=f"words {rank}") for rank in range(1, 6)]
    found = {**FOUND, "total": 5, "strong": 5, "counts": {"article": 0, "faq": 0, "video": 5},
             "strong_counts": {"article": 0, "faq": 0, "video": 5}, "hits": hits}
    drawn = results_html(found, "wifi", None, "search-page", "https://help.example.com/", t)
    assert drawn.count("<details") == 1 and drawn.count("data-carebase-rank=") == 5
    shown, rest = drawn.split('<li class="cb-result cb-result--more-chapters"><details class="cb-result__more-chapters">')
    assert [int(x) for x in re.findall(r"#t=(\d+)", shown)] == [6, 22, 28]  # ranks 1-3, in the video's order
    assert 'id="cb-r1"' in shown
    assert rest.startswith('<summary class="cb-result__more-summary">2 more chapters</summary>'
                           '<ol class="cb-result__chapters cb-result__chapters--more" aria-label="Chapters of “Reconnect Lumo”">')
    assert [int(x) for x in re.findall(r"#t=(\d+)", rest)] == [0, 14] and "words 4" in rest
    assert rest.endswith("</ol></details></li></ol></li></ol></div>")  # the chapters' list's last item
    found = {**found, "total": 4, "strong": 4, "hits": hits[:3] + [hits[4]]}  # one more: "1 more chapter"
    drawn = results_html(found, "wifi", None, "search-page", "https://help.example.com/", t)
    assert ">1 more chapter</summary>" in drawn
    found = {**found, "total": 3, "strong": 3, "hits": hits[:3]}
    assert "<details" not in results_html(found, "wifi", None, "search-page", "https://help.example.com/", t)


def test_a_page_ending_at_the_last_strong_row_links_on_to_the_weaker_ones():
    """"thermostat" on the demo: 60 strong of 106; the page showing 60 rows (all strong) ended
    with "Showing the best 60 of 106" and no link, so without JavaScript the 46 weaker matches
    could not be reached (with JavaScript the button goes on). Any strong count that is a whole
    number of pages (20, 40, 60) did so."""
    t = load_strings(None, "en")[0]
    strong = [{"id": f"article:a{i}", "kind": "article", "title": f"A{i}", "url": f"a{i}/", "snippet": "", "strong": True}
              for i in range(1, 21)]
    found = {**FOUND, "total": 30, "strong": 20, "strong_counts": {"article": 20, "faq": 0, "video": 0}, "hits": strong}
    drawn = results_html(found, "thermostat", None, "search-page", "https://help.example.com/", t)
    assert ('<a class="cb-results__more-link md-button" rel="nofollow" '
            'href="?q=thermostat&amp;from=search-page&amp;shown=40#cb-r21">Show more results</a>') in drawn
    assert "<details" not in drawn  # no weaker row on this page yet: the link sits under the strong list
    assert drawn.index("cb-results__more-link") > drawn.index('id="cb-r20"')


def test_grouped_keeps_each_show_more_step_of_20_hits_in_rows_of_its_own():
    """Fails on the old code (session 36's audit): a video's chapter in a later step of "Show more
    results" joined the video's row from an earlier step, above what the customer had seen
    ("thermostat": 7 of step 1's 20 new rows out of view, step 2's first new row under the 2nd
    result). Now rows are grouped within each step of 20 hits: the later chapter starts a row of
    its own at the bottom (titled with its video), each hit still listed once."""
    video = {"id": "video:wifi", "kind": "video", "title": "Reconnect Lumo", "url": "videos/wifi/", "strong": True,
             "chapter": None}
    ranked = []
    for rank in range(1, 46):
        hit = (video if rank == 2 else _chapter(rank * 10, f"C{rank}") if rank in (5, 23, 30, 41)
               else {"id": f"article:a{rank}", "kind": "article", "title": f"A{rank}", "url": f"a{rank}/", "strong": True})
        ranked.append((rank, hit, hit["url"]))
    rows = grouped(ranked)
    ranks = [([r["head"][0]] if r["head"] else []) + [c[0] for c in r["chapters"]] for r in rows]
    assert sorted(x for row in ranks for x in row) == list(range(1, 46))  # each hit once
    assert ranks[1] == [2, 5]  # step 1: the video's own hit and its chapter, one row
    steps = [{(x - 1) // 20 for x in row} for row in ranks]
    assert all(len(s) == 1 for s in steps), ranks  # no row mixes two steps
    order = [min(s) for s in steps]
    assert order == sorted(order), ranks  # each step's rows below every earlier step's
    assert [23, 30] in ranks and [41] in ranks  # the later chapters: rows of their own, in their steps
    # the page without JavaScript (its third step, &shown=60): #cb-r41 (the chapter's row, headed by its video's
    # title) comes after every row of hits 1-40, #cb-r21 after every row of hits 1-20
    t = load_strings(None, "en")[0]
    hits = [h for _, h, _ in ranked]
    found = {**FOUND, "total": 45, "strong": 45, "strong_counts": {"article": 41, "faq": 0, "video": 4}, "hits": hits}
    drawn = results_html(found, "wifi", None, "search-page", "https://help.example.com/", t)
    at = {rank: drawn.index(f'id="cb-r{rank}"') for rank in range(1, 46)}
    assert all(at[41] > at[r] for r in range(1, 41)) and all(at[21] > at[r] for r in range(1, 21))
    row41 = drawn[drawn.rindex('<li class="cb-result cb-result--video"', 0, at[41]):at[41]]
    assert '<span class="cb-result__title">Reconnect Lumo</span>' in row41  # titled with its video
    assert 'id="cb-r' not in row41  # the chapter's row starts there, not the earlier video row
    assert drawn.count('class="cb-result cb-result--video"') == 3


def test_no_close_match_says_so_and_did_you_mean_is_a_link():
    t = load_strings(None, "en")[0]
    found = {**FOUND, "strong": 0, "strong_counts": {"article": 0, "faq": 0, "video": 0}, "suggestion": "refund",
             "hits": [dict(FOUND["hits"][3])]}
    drawn = results_html(found, "refnd", None, "search-page", "https://help.example.com/", t)
    assert "No close matches for “<bdi>refnd</bdi>”</p>" in drawn
    assert ('<p class="cb-results__suggest">Did you mean <a class="cb-results__suggestion" rel="nofollow" '
            'href="?q=refund&amp;from=search-page">refund</a>?</p>') in drawn
    assert "cb-results__filters" not in drawn and "Show weaker matches (25)" in drawn


def test_the_page_puts_each_part_in_once_and_reads_nothing_it_put_in():
    t = load_strings(None, "en")[0]
    shown = {"url": "search/", "html": template(PAGE, "search/")}
    q = f'"><script>alert(1)</script>{RESULTS}{SITE}'
    page = _respond(shown, "https://help.example.com/", q, "<div>RESULTS</div>", t, "en", status=200).body.decode()
    assert page.count("<div>RESULTS</div>") == 1 and "<script" not in page
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{carebase:results}}{{carebase:site}}"' in page
    assert re.search(r"<title>“&quot;&gt;&lt;script&gt;.*</title>", page)
    assert 'href="https://help.example.com/assets/stylesheets/main.css"' in page


def test_past_the_search_limit_the_page_says_so_in_words_not_json(tmp_path):
    """The search page without JavaScript counts against the search API's limit, and a customer
    past it reads a page (429, Retry-After), not the API's JSON error."""
    from starlette.testclient import TestClient

    from carebase.service.app import create_app
    from carebase.service.config import ServiceConfig

    app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp_path / 'feedback.db'}", search_rate_limit=1,
                                   search_rate_burst=1))
    with TestClient(app, base_url="http://service.test") as client:
        first = client.get("/search/?q=refund")  # no build output here: search is not available
        assert first.status_code == 503 and "Search is not available right now" in first.text
        limited = client.get("/search/?q=refund")
        assert limited.status_code == 429 and limited.headers["retry-after"]
        assert limited.headers["content-type"].startswith("text/html")
        assert "Too many searches from this address just now" in limited.text
        assert limited.headers["content-security-policy"].startswith("script-src 'none'")
        assert client.get("/api/v1/search?q=refund").status_code == 429  # the API's own limit, the same bucket

# The service's page in process (its SQLite file read back): what it logs, and from where.

def _app(tmp_path, site_data, **config):
    from carebase.service.app import create_app
    from carebase.service.config import ServiceConfig

    return create_app(ServiceConfig(database_url=f"sqlite:///{tmp_path / 'feedback.db'}", site_data=str(site_data),
                                    rate_limit=0, search_rate_limit=0, learn_every=0, report_every=0, **config))


def _logged(app, query: str) -> list:
    from sqlalchemy import select

    from carebase.store.schema import events

    with app.state.carebase.engine.connect() as conn:
        return conn.execute(select(events.c.client).where(events.c.type == "search", events.c.query == query)).scalars().all()


@pytest.mark.slow  # the service app in process: its search index and store
def test_the_page_logs_a_search_from_the_sites_own_pages_only(tmp_path, site_data):
    """Fails on the old code: every GET logged a search, whoever sent it: another site's
    ``<img src=…/search/?q=…>`` logged one per visitor, each under its own client hash (a made-up
    need with many "distinct customers" in the gap report)."""
    from service_testkit import SITE
    from starlette.testclient import TestClient

    app = _app(tmp_path, site_data, allowed_origins=("https://other.example", "*"), site_url=SITE + "/")
    navigate = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}
    with TestClient(app, base_url="http://service.test") as client:
        reached = []

        def search(q: str, **headers) -> str:
            answer = client.get("/search/", params={"q": q, "from": "header"}, headers=headers)
            assert answer.status_code == 200 and "Refunds" in answer.text  # the results, either way
            reached.append(str(answer.url))
            return answer.headers["referrer-policy"]

        # another site's image, frame or link; a crawler's GET without a Referer; a typed address
        search("refund foreign", **{**navigate, "Referer": "https://evil.example/page"})
        search("refund foreign", **{"Sec-Fetch-Dest": "image", "Referer": SITE + "/"})
        search("refund foreign", **{"Sec-Fetch-Dest": "iframe", "Referer": SITE + "/billing/"})
        search("refund foreign", **{"Sec-Fetch-Dest": "image", "Referer": "https://evil.example/"})
        search("refund foreign", **navigate)
        search("refund foreign")
        assert _logged(app, "refund foreign") == []
        # the site's own form (cross-origin: the browser sends the site's origin), redirected to its
        # address with its journey (&j=…); that address again (a reload, Back): once
        assert search("refund", **{**navigate, "Referer": SITE + "/"}) == "strict-origin"
        assert "j=" in reached[-1]
        assert client.get(reached[-1], headers={**navigate, "Referer": SITE + "/"}).status_code == 200
        assert len(_logged(app, "refund")) == 1
        # a browser that sends no Sec-Fetch headers, from an origin --allowed-origin names
        search("refunds", Referer="https://other.example/billing/refunds/")
        # the page's own box, filters and "Did you mean" (its Referrer-Policy sends this origin)
        search("a refund", **{**navigate, "Referer": "http://service.test/"})
        assert len(_logged(app, "refunds")) == 1 == len(_logged(app, "a refund"))


@pytest.mark.slow  # the service app in process: its search index and store
def test_an_allowed_origin_of_star_does_not_lend_the_page_its_look(tmp_path, site_data):
    """Fails on the old code: with ``--allowed-origin '*'`` and no site address, any Referer gave
    the page its style sheets and links."""
    from starlette.testclient import TestClient

    from carebase.pages.search_template import FILE, FORMAT, SITE as MARK

    site_data = Path(shutil.copytree(site_data, tmp_path / "site-data"))  # the shared one stays as it is
    (site_data / FILE).write_text(json.dumps({"format": FORMAT, "pages": {"en": {"url": "search/", "html": f'<link rel="stylesheet" '
                                              f'href="{MARK}assets/main.css"><p>{RESULTS}</p>'}}}), encoding="utf-8")
    for allowed, expected in ((("*",), "/assets/main.css"), (("*", "https://help.example.com"),
                                                              "https://help.example.com/assets/main.css")):
        folder = tmp_path / str(len(allowed))
        folder.mkdir()
        app = _app(folder, site_data, allowed_origins=allowed)
        with TestClient(app, base_url="http://service.test") as client:
            for referer in ("https://evil.example/", "https://help.example.com/faq/"):
                page = client.get("/search/", params={"q": "refund"}, headers={"Referer": referer}).text
                want = expected if referer.startswith("https://help.") else "/assets/main.css"
                assert f'href="{want}"' in page, (allowed, referer)


# The page without script follows the customer's light or dark setting (issue 15).

PALETTE = """<!doctype html><html><head><title>Search</title>
<link rel="stylesheet" href="../assets/palette.css"><link rel="stylesheet" href="../assets/site.css">
<style>[data-md-color-scheme=slate] .inline{color:red}</style></head>
<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="indigo">
<form data-md-component="palette">
<input class="md-option" data-md-color-media="(prefers-color-scheme: light)" data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="indigo" type="radio" name="__palette" id="__palette_0">
<input class="md-option" data-md-color-media="(prefers-color-scheme: dark)" data-md-color-scheme="slate" data-md-color-primary="indigo" data-md-color-accent="light-blue" type="radio" name="__palette" id="__palette_1">
</form>
<form class="cb-search"><input class="cb-search__input" id="cb-q" name="q" type="search" value="" required></form>
<div class="cb-search-results" data-cb-search-results aria-live="polite" hidden></div></body></html>"""

SHEETS = {
    "assets/palette.css": (
        "[data-md-color-scheme=default]{color-scheme:light}"
        "[data-md-color-scheme=slate]{color-scheme:dark;--bg:#1e2129}"
        "[data-md-color-primary=indigo]{--primary:#4051b5}[data-md-color-primary=pink]{--primary:#e92063}"
        "[data-md-color-accent=indigo]{--accent:#526cfe}[data-md-color-accent=light-blue]{--accent:#0091eb}"
        "[data-md-color-primary=indigo]:not([data-md-color-scheme=slate]){--link:#303fa1}"
        "@media screen{[data-md-color-scheme=slate] .x,.y{--deep:1}}/* a comment { } */"
        "@font-face{font-family:a;src:url(a.woff)}"),
    "assets/site.css": ".plain{color:blue}[data-md-color-scheme=\"slate\"] .cb-kind{background:url(img/dot.svg)}",
}


def test_the_template_follows_the_customers_colour_scheme_without_script():
    """Fails on the old code: the body kept the first palette option (light) whatever the
    customer's setting: Material's palette script, which picks it, does not run on the page."""
    made = template(PALETTE, "search/", SHEETS.get)
    body = re.search(r"<body[^>]*>", made).group(0)
    assert 'data-md-color-scheme="auto" data-md-color-primary="auto" data-md-color-accent="auto"' in body
    styles = re.findall(r"<style data-cb-palette>(.*?)</style>", made)
    palette, site, inline = styles
    # each sheet's rules right after it (the cascade between the sheets is the site's), per option
    assert made.index("palette.css") < made.index(palette) < made.index("site.css") < made.index(site)
    light, dark = palette.split("@media (prefers-color-scheme: dark)")
    assert light.startswith("@media (prefers-color-scheme: light){")
    assert "[data-md-color-scheme=auto]{color-scheme:light}" in light and "--bg" not in light
    assert "[data-md-color-accent=auto]{--accent:#526cfe}" in light and "#0091eb" not in light
    # the dark option's values, its accent among them; another primary's rule is left out
    assert "[data-md-color-scheme=auto]{color-scheme:dark;--bg:#1e2129}" in dark
    assert "[data-md-color-primary=auto]{--primary:#4051b5}" in dark and "[data-md-color-accent=auto]{--accent:#0091eb}" in dark
    assert "pink" not in palette and "#e92063" not in palette and "font-face" not in palette
    # "indigo unless slate": in light the test holds (kept at its weight), in dark the rule fails
    assert "[data-md-color-primary=auto][data-md-color-scheme]{--link:#303fa1}" in light and "--link" not in dark
    # nesting kept; of a selector list only the keyed selectors
    assert "@media screen{[data-md-color-scheme=auto] .x{--deep:1}}" in dark
    assert f'url("{SITE}assets/img/dot.svg")' in site  # a sheet's relative url() from the site
    assert inline == "@media (prefers-color-scheme: dark){[data-md-color-scheme=auto] .inline{color:red}}"
    # without the sheets (or a page with one palette) the body keeps its palette
    assert 'data-md-color-scheme="default"' in template(PALETTE.replace("<style>[data-md-color-scheme=slate] .inline{color:red}</style>", ""), "search/")
    assert template(PAGE, "search/", SHEETS.get) == template(PAGE, "search/")


@pytest.mark.slow  # the service app in process: its search index and store
def test_a_shared_link_opened_without_javascript_gets_its_results_at_their_own_address(tmp_path, site_data):
    """Fails on the old code: the site's search page opened without JavaScript from a shared
    ``search/?q=…`` link went on to the service's page (its <noscript> refresh), which showed an
    empty box: the question was in the Referer only."""
    from service_testkit import SITE as SITE_URL
    from starlette.testclient import TestClient

    app = _app(tmp_path, site_data, site_url=SITE_URL + "/")
    navigate = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"}
    with TestClient(app, base_url="http://service.test", follow_redirects=False) as client:
        shared = client.get("/search/", headers={**navigate, "Referer": SITE_URL + "/search/?q=refund&kind=faq&from=home"})
        assert shared.status_code == 303 and shared.headers["location"] == "/search/?q=refund&kind=faq&from=home"
        assert shared.headers["content-security-policy"].startswith("script-src 'none'")
        journey = client.get(shared.headers["location"], headers={**navigate, "Referer": SITE_URL + "/"})
        assert journey.status_code == 303 and journey.headers["location"].startswith(shared.headers["location"] + "&j=")
        answer = client.get(journey.headers["location"], headers={**navigate, "Referer": SITE_URL + "/"})
        assert answer.status_code == 200 and 'value="refund"' in answer.text
        assert len(_logged(app, "refund")) == 1  # the customer's search, logged once, as the site's page would
        # a shared link that "Show more results" had grown keeps its rows (not another search)
        grown = client.get("/search/", headers={**navigate, "Referer": SITE_URL + "/search/?q=refund&shown=40"})
        assert grown.headers["location"] == "/search/?q=refund&from=search-page&shown=40"
        # not a question from anywhere else, nor from another page of the site, nor another language's page
        for referer in ("https://evil.example/search/?q=refund+evil", SITE_URL + "/billing/?q=refund+evil",
                        SITE_URL + "/de/search/?q=refund+evil", SITE_URL + "/search/?q=", SITE_URL + "/search/"):
            page = client.get("/search/", headers={**navigate, "Referer": referer})
            assert page.status_code == 200 and 'value=""' in page.text, referer
        assert _logged(app, "refund evil") == []


def test_the_sites_own_pages_get_the_other_options_rules_for_their_static_body():
    """The <noscript> style of the site's pages (scheme_css.static_page_css): Material's body keeps
    the first option without script, so the dark option's rules are written for its attributes."""
    from carebase.pages.scheme_css import palette_options, static_page_css

    options = palette_options(PALETTE)
    css = static_page_css([SHEETS["assets/palette.css"], SHEETS["assets/site.css"]], options)
    assert css.startswith("@media (prefers-color-scheme: dark){")
    assert "[data-md-color-scheme=default]{color-scheme:dark;--bg:#1e2129}" in css
    assert "[data-md-color-accent=indigo]{--accent:#0091eb}" in css  # the dark accent, on the light body's attribute
    assert "--link" not in css and "#526cfe" not in css and "pink" not in css
    assert css.index("--accent:#0091eb") < css.index(".cb-kind")  # the sheets' order kept
    assert static_page_css([SHEETS["assets/palette.css"]], options[:1]) == ""


@pytest.mark.slow  # the service app in process: its search index and store
def test_a_search_without_javascript_that_showed_results_is_not_a_failed_search_in_the_report(tmp_path, site_data):
    """Fails on the old code: the page's search was stored with its journey but its result clicks
    never are, so the gap report counted every such search with results as "not clicked" (failed)."""
    import time

    from service_testkit import SITE
    from starlette.testclient import TestClient

    from carebase.report.journeys import search_outcomes
    from carebase.report.period import DAY_MS, Period, Periods

    app = _app(tmp_path, site_data, site_url=SITE + "/")
    navigate = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate", "Referer": SITE + "/"}
    with TestClient(app, base_url="http://service.test") as client:
        answer = client.get("/search/", params={"q": "refund", "from": "header"}, headers=navigate)
        assert answer.status_code == 200 and "Refunds" in answer.text and "j=" in str(answer.url)
        now = int(time.time() * 1000)
        periods = Periods(Period(now - DAY_MS, now + DAY_MS), Period(now - 3 * DAY_MS, now - DAY_MS))
        with app.state.carebase.engine.connect() as conn:
            rows = {row.query: row for row in search_outcomes(conn, periods)}
    assert rows["refund"].searches == 1 and rows["refund"].zero == 0
    assert rows["refund"].abandoned == 0 and rows["refund"].failed == 0


@pytest.mark.slow  # the service app in process: its search index and store
def test_a_search_from_the_site_costs_one_token_of_the_search_limit(tmp_path, site_data):
    """A search from the site's box is first redirected to its journey's address, which searches
    nothing. Fails on the old code: the redirect took a token too, so a customer allowed two
    searches at once was refused the second (429)."""
    from service_testkit import SITE
    from starlette.testclient import TestClient

    from carebase.service.app import create_app
    from carebase.service.config import ServiceConfig

    app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp_path / 'feedback.db'}", site_data=str(site_data),
                                   site_url=SITE + "/", rate_limit=0, search_rate_limit=1, search_rate_burst=2,
                                   learn_every=0, report_every=0))
    navigate = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate", "Referer": SITE + "/"}
    with TestClient(app, base_url="http://service.test") as client:
        for q in ("refund", "a refund"):
            answer = client.get("/search/", params={"q": q, "from": "header"}, headers=navigate)
            assert answer.status_code == 200 and "j=" in str(answer.url) and "Refunds" in answer.text
        third = client.get("/search/", params={"q": "refunds", "from": "header"}, headers=navigate)
        assert third.status_code == 429 and "Too many searches from this address just now" in third.text


@pytest.mark.slow  # the service app in process: its store
def test_a_suggestion_opened_past_the_rate_limit_is_not_logged_but_still_opens(tmp_path, site_data):
    """``GET /contact/open`` logs a click (its Referer can be made up): past the events' rate limit
    it logs nothing and still opens the item's page. Fails on the old code: every request was
    stored, however many."""
    from sqlalchemy import select
    from starlette.testclient import TestClient

    from carebase.service.app import create_app
    from carebase.service.config import ServiceConfig
    from carebase.store.schema import events

    app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp_path / 'feedback.db'}", site_data=str(site_data),
                                   rate_limit=1, rate_burst=1, search_rate_limit=0, learn_every=0, report_every=0))
    with TestClient(app, base_url="http://service.test") as client:
        for draft in ("d" * 22, "e" * 22, "f" * 22):
            opened = client.get("/contact/open", params={"d": draft, "item": "article:billing/refunds", "rank": "1"},
                                headers={"Referer": "http://service.test/contact", "Sec-Fetch-Dest": "document"},
                                follow_redirects=False)
            assert opened.status_code == 303 and opened.headers["location"].rstrip("/").endswith("billing/refunds")
        with app.state.carebase.engine.connect() as conn:
            clicks = conn.execute(select(events.c.event_id).where(events.c.type == "click")).scalars().all()
    assert len(clicks) == 1


@pytest.mark.slow  # the service app in process: its search index and store
def test_following_contact_past_the_rate_limit_logs_no_contact_but_shows_the_form(tmp_path, site_data):
    """``GET /contact/`` followed from the site logs a ``contact`` event (the Referer can be made
    up): past the events' rate limit it logs nothing and still shows the form. Fails on the old
    code: every request was stored, however many."""
    from sqlalchemy import select
    from starlette.testclient import TestClient

    from carebase.service.app import create_app
    from carebase.service.config import ServiceConfig
    from carebase.service.search_page import new_journey
    from carebase.store.schema import events
    from service_testkit import SITE

    app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp_path / 'feedback.db'}", site_data=str(site_data),
                                   site_url=SITE + "/", rate_limit=1, rate_burst=1, search_rate_limit=0,
                                   learn_every=0, report_every=0))
    with TestClient(app, base_url="http://service.test") as client:
        for _ in range(3):
            form = client.get("/contact/", params={"from": "/billing/refunds/", "j": new_journey()},
                              headers={"Referer": SITE + "/billing/refunds/", "Sec-Fetch-Dest": "document"})
            assert form.status_code == 200 and "Refunds" in form.text
        with app.state.carebase.engine.connect() as conn:
            contacts = conn.execute(select(events.c.event_id).where(events.c.type == "contact")).scalars().all()
    assert len(contacts) == 1


def test_the_contact_answer_pages_title_ends_with_the_whole_site_name(tmp_path):
    """The contact form's answers without JavaScript ("Message sent"…) are titled as the site's
    pages: "<title> - <site name>", the build's name of the language (search-page.json's
    "site_name"). Fails on the old code: the name was the form's title after its last " - ", so
    "Acme - Help" was cut to "Help"."""
    from types import SimpleNamespace

    from carebase.pages.search_template import CONTEXT, FILE, FORMAT
    from carebase.service.contact_page import answer_page

    form = (f'<!doctype html><html><head><title>Contact us - Acme - Help</title></head><body><a href="{SITE}">Home</a>'
            f'<h1>Contact us</h1><form data-cb-contact-form>{CONTEXT}</form></body></html>')
    (tmp_path / FILE).write_text(json.dumps({"format": FORMAT, "site_url": "https://help.example/", "pages": {}, "contact": {
        "en": {"url": "contact/", "html": form, "site_name": "Acme - Help"},
        "de": {"url": "de/contact/", "html": form.replace("Contact us - ", "Kontakt - ")}}}), encoding="utf-8")
    state = SimpleNamespace(config=SimpleNamespace(site_url=None, site_data=str(tmp_path)))
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(carebase=state)), headers={})
    page = answer_page(request, "en", "Message sent", "<p>Thank you.</p>")
    assert re.search(r"<title>([^<]*)</title>", page).group(1) == "Message sent - Acme - Help"
    assert "<h1>Message sent</h1><p>Thank you.</p>" in page
    # a template written before the build stored the name: its form's title's last part, as before
    older = answer_page(request, "de", "Nachricht gesendet", "<p>Danke.</p>")
    assert re.search(r"<title>([^<]*)</title>", older).group(1) == "Nachricht gesendet - Help"
