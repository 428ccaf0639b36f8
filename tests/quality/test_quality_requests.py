"""Privacy and speed in headless Chromium: every request each page type makes goes to the
site or the carebase service (no fonts, icons or players from third parties) and none fails
or logs an error in the console; the video host is contacted only after play; no page
downloads the search index before the customer searches; each page transfers less than 500 KB;
and nothing on it moves once drawn, even when its scripts run after the first paint (the
layout shifts no input caused, Lighthouse's CLS, under 0.005: a bar shown by script above the
FAQ's questions cost 0.02 here, 0.038 on a phone; the search page's results box hidden by
script and Material's palette toggle shown by its deferred bundle cost up to 0.0086 when the
scripts came after the first paint, which failed CI at stop 23; they measure 0 now. The budget
stays 0.005, not 0: at load 25 with six workers, Chromium painting a half-parsed header cost
0.00105 once). One load of each page type serves every check of it: the article's is then
searched, the videos' played."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import pytest

from quality_testkit import PAGES
from web_testkit import RequestWatch, layout_shifts, material_started

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUDGET = 500 * 1024
VIDEO_HOSTS = {"youtube": "www.youtube-nocookie.com", "vimeo": "player.vimeo.com"}


class Recorder(RequestWatch):
    """Every request a page makes (``RequestWatch``), and the bytes of every response (headers + body)."""

    def __init__(self, page):
        self.failed: list[str] = []  # responses of 400 and above, and console errors (Lighthouse's errors-in-console)
        super().__init__(page)
        page.on("console", lambda m: m.type == "error" and self.failed.append(f"console: {m.text}"))

    def _answered(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")
        super()._answered(response)

    def hosts(self, since: int = 0) -> set[str]:
        return {urlsplit(u).netloc for u in self.requests[since:] if urlsplit(u).scheme in ("http", "https")}

    def transferred(self) -> int:
        total = 0
        for entry in self.page.evaluate(
                "() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                ".map(e => [e.name, e.transferSize, e.encodedBodySize])"):
            total += max(entry[1], entry[2])
        return total


def visit(new_page, url: str, *, late_scripts: bool = False):
    """Open ``url`` in a fresh 1,280 × 900 page and wait for it to settle. ``late_scripts``
    holds the page's scripts back for 0.8 s, so the first paint comes before any of them runs
    (as on a slow phone or a loaded machine: the way stop 23's CI met a layout shift that a
    quiet run never showed). A script that then moves what was drawn is a layout shift."""
    page = new_page(viewport={"width": 1280, "height": 900})
    rec = Recorder(page)
    if late_scripts:
        held = []

        def hold(route):
            # route handlers run one at a time: the first one's pause holds every script back
            if not held:
                held.append(route.request.url)
                time.sleep(0.8)
            route.continue_()

        page.route("**/*.js", hold)
    page.goto(url, wait_until="load")
    material_started(page)
    # a <video preload=metadata> (one without a poster) keeps its range request open, answered
    rec.settle()
    return page, rec


# what carebase's chrome.js did in place of Material's bundle (theme/assets/carebase/chrome.js):
# started, <html> marked "js" for Material's style sheet, every table of the content in
# Material's scrolling box; whether the bundle was requested, whether it ran (document$)
_CHROME = """() => ({started: window.__carebaseMaterial, js: document.documentElement.classList.contains("js"),
  tables: [...document.querySelectorAll("[data-md-component=content] table")]
    .map((t) => t.parentElement.matches(".md-typeset__table") && t.parentElement.parentElement.matches(".md-typeset__scrollwrap")),
  bundle: performance.getEntriesByType("resource").some((e) => /\\/assets\\/javascripts\\/bundle\\.[^/]*\\.js$/.test(e.name)),
  material: !!window.document$})"""


def own_hosts(stack) -> set[str]:
    return {urlsplit(stack.url).netloc, urlsplit(stack.service.url).netloc}


@pytest.mark.parametrize("kind", PAGES)
def test_page_requests_only_the_site_and_the_service(stack, new_page, kind):
    page, rec = visit(new_page, stack.url + PAGES[kind], late_scripts=True)
    assert rec.requests, "no request was recorded"
    foreign = rec.hosts() - own_hosts(stack)
    assert not foreign, f"{kind} page contacted {sorted(foreign)}: {[u for u in rec.requests if urlsplit(u).netloc in foreign]}"
    media = [u for u in rec.requests if urlsplit(u).path.endswith((".webm", ".mp4"))]
    assert not media, f"{kind} page fetched a video before play: {media}"  # it has a poster
    index = [u for u in rec.requests if "search_index.json" in u or "/search/carebase/" in u]
    assert not index, f"{kind} page downloaded a search index before any search: {index}"
    # the site's own files and the console; the service's liveness probe (a no-cors GET of the
    # events endpoint from a worker, answered 405 by design) is not a failure
    failed = [f for f in rec.failed if f.startswith("console:") or f.split(" ", 1)[1].startswith(stack.url)]
    if kind == "404":  # the page's own status is the 404
        failed = [f for f in failed if f != f"404 {stack.url + PAGES[kind]}" and "status of 404" not in f]
    assert not failed, f"{kind} page: {failed}"
    shifts = layout_shifts(page)
    assert sum(v for v, _ in shifts) < 0.005, f"{kind} page moved after it was drawn: {shifts}"
    # no page of the demo needs Material's bundle (no code block, no content tabs: one long
    # task, Lighthouse's blocking time): carebase's chrome.js does what they use of it
    chrome = page.evaluate(_CHROME)
    assert chrome["started"] == "started" and chrome["js"] and all(chrome["tables"]), f"{kind} page: {chrome}"
    assert not chrome["bundle"] and not chrome["material"], f"{kind} page loaded Material's bundle: {chrome}"
    if kind == "article":
        assert chrome["tables"], f"the article ({PAGES[kind]}) has no table to check"
    size = rec.transferred()
    assert 0 < size < BUDGET, f"{kind} page transferred {size / 1024:.0f} KB (budget {BUDGET // 1024} KB)"
    # then, on the same page: what the customer's next step fetches
    if kind == "article":
        search_fetches_small_index_files_once_the_customer_searches(stack, page, rec)
    elif kind == "video-hosted":
        hosted_video_contacts_only_its_host_after_play(stack, page, rec, "youtube")
    elif kind == "video-self-hosted":
        self_hosted_video_plays_from_the_site_only(stack, page, rec)


def search_fetches_small_index_files_once_the_customer_searches(stack, page, rec):
    with page.expect_response(lambda r: r.url.endswith("/search/carebase/meta.json"), timeout=10000) as meta:
        page.keyboard.press("/")  # focuses the header search box
    assert meta.value.ok and page.evaluate("document.activeElement.id") == "cb-header-q"
    page.keyboard.type("refund")
    option = page.locator("[role=option][data-carebase-item]").first
    option.wait_for(timeout=15000)
    assert "refund" in option.inner_text().lower()
    # as the word starts, the shards its next letters can reach are requested (search-index.js, warm)
    meta = json.loads((stack.site / "search" / "carebase" / "meta.json").read_text(encoding="utf-8"))
    warm = sorted(f"/search/carebase/t-{k}.json" for k in meta["shards"] if k.startswith("r"))
    assert 1 < len(warm) <= 16, warm
    page.wait_for_function("names => names.every(n => performance.getEntriesByType('resource')"
                           ".some(e => e.name.endsWith(n)))", arg=warm, timeout=10000)
    assert not [u for u in rec.requests if "search_index.json" in u], "Material's lunr index was requested"
    assert not (stack.site / "search" / "search_index.json").exists(), "Material's lunr index was built"


def test_vimeo_video_contacts_only_its_host_after_play(stack, new_page):
    """(The YouTube video page: test_page_requests_only_the_site_and_the_service[video-hosted].)"""
    url = next((meta["url"] for item, meta in stack.manifest["items"].items() if meta["kind"] == "video"
                and 'data-provider="vimeo"' in (stack.site / meta["url"] / "index.html").read_text(encoding="utf-8")),
               None)
    if url is None:
        pytest.skip("the demo has no Vimeo video")
    page, rec = visit(new_page, stack.url + url)
    hosted_video_contacts_only_its_host_after_play(stack, page, rec, "vimeo")


def hosted_video_contacts_only_its_host_after_play(stack, page, rec, provider):
    assert not rec.hosts() - own_hosts(stack), "a video page contacted a third party before play"
    before = len(rec.requests)
    page.locator(".cb-player__facade").click()
    frame = page.locator("iframe.cb-player__frame")
    frame.wait_for()
    page.wait_for_timeout(1500)
    assert urlsplit(frame.get_attribute("src")).netloc == VIDEO_HOSTS[provider]
    foreign = rec.hosts(before) - own_hosts(stack)
    assert foreign == {VIDEO_HOSTS[provider]}, f"after play the page contacted {sorted(foreign)}"


def self_hosted_video_plays_from_the_site_only(stack, page, rec):
    page.locator("a[data-cb-seek]").nth(1).click()
    page.wait_for_function("() => document.querySelector('[data-cb-player] video').currentTime > 0", timeout=15000)
    foreign = rec.hosts() - own_hosts(stack)
    assert not foreign, f"the self-hosted video page contacted {sorted(foreign)}"
