"""Privacy and speed in headless Chromium: every request each page type makes goes to the
site or the carebase service (no fonts, icons or players from third parties); the video
host is contacted only after play; no page downloads the search index before the customer
searches; and each page transfers less than 500 KB."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from quality_testkit import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUDGET = 500 * 1024
VIDEO_HOSTS = {"youtube": "www.youtube-nocookie.com", "vimeo": "player.vimeo.com"}


class Recorder:
    """Every request a page makes, and the bytes of every response (headers + body)."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.page = page
        page.on("request", lambda r: self.requests.append(r.url))

    def hosts(self, since: int = 0) -> set[str]:
        return {urlsplit(u).netloc for u in self.requests[since:] if urlsplit(u).scheme in ("http", "https")}

    def transferred(self) -> int:
        total = 0
        for entry in self.page.evaluate(
                "() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                ".map(e => [e.name, e.transferSize, e.encodedBodySize])"):
            total += max(entry[1], entry[2])
        return total


def visit(new_page, url: str):
    page = new_page(viewport={"width": 1280, "height": 900})
    rec = Recorder(page)
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    return page, rec


def own_hosts(stack) -> set[str]:
    return {urlsplit(stack.url).netloc, urlsplit(stack.service.url).netloc}


@pytest.mark.parametrize("kind", PAGES)
def test_page_requests_only_the_site_and_the_service(stack, new_page, kind):
    page, rec = visit(new_page, stack.url + PAGES[kind])
    assert rec.requests, "no request was recorded"
    foreign = rec.hosts() - own_hosts(stack)
    assert not foreign, f"{kind} page contacted {sorted(foreign)}: {[u for u in rec.requests if urlsplit(u).netloc in foreign]}"
    index = [u for u in rec.requests if "search_index.json" in u]
    assert not index, f"{kind} page downloaded the search index before any search: {index}"
    size = rec.transferred()
    assert 0 < size < BUDGET, f"{kind} page transferred {size / 1024:.0f} KB (budget {BUDGET // 1024} KB)"


def test_search_index_loads_once_the_customer_searches(stack, new_page):
    page, rec = visit(new_page, stack.url + PAGES["article"])
    assert not [u for u in rec.requests if "search_index.json" in u]
    with page.expect_response(lambda r: "search_index.json" in r.url, timeout=10000) as index:
        page.keyboard.press("/")  # Material's shortcut: focus the header search box
    assert index.value.ok
    page.keyboard.type("refund")
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    assert "refund" in page.locator(".md-search-result__item").first.inner_text().lower()


@pytest.mark.parametrize("provider,url", [("youtube", "videos/setup-basics/"), ("vimeo", None)])
def test_hosted_video_contacts_only_its_host_after_play(stack, new_page, provider, url):
    if url is None:
        url = next((meta["url"] for item, meta in stack.manifest["items"].items() if meta["kind"] == "video"
                    and 'data-provider="vimeo"' in (stack.site / meta["url"] / "index.html").read_text(encoding="utf-8")),
                   None)
        if url is None:
            pytest.skip("the demo has no Vimeo video")
    page, rec = visit(new_page, stack.url + url)
    assert not rec.hosts() - own_hosts(stack), "a video page contacted a third party before play"
    before = len(rec.requests)
    page.locator(".cb-player__facade").click()
    frame = page.locator("iframe.cb-player__frame")
    frame.wait_for()
    page.wait_for_timeout(1500)
    assert urlsplit(frame.get_attribute("src")).netloc == VIDEO_HOSTS[provider]
    foreign = rec.hosts(before) - own_hosts(stack)
    assert foreign == {VIDEO_HOSTS[provider]}, f"after play the page contacted {sorted(foreign)}"


def test_self_hosted_video_plays_from_the_site_only(stack, new_page):
    page, rec = visit(new_page, stack.url + PAGES["video-self-hosted"])
    page.locator("a[data-cb-seek]").nth(1).click()
    page.wait_for_function("() => document.querySelector('[data-cb-player] video').currentTime > 0", timeout=15000)
    foreign = rec.hosts() - own_hosts(stack)
    assert not foreign, f"the self-hosted video page contacted {sorted(foreign)}"
