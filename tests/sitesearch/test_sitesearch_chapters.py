"""A video's chapters kept to a screen (issue 15, session 37), in headless Chromium against the
real demo build and service: a video's row on the search page shows its 3 best-ranked chapters
and "N more chapters" (a native ``<details>``: no script needed, keyboard and screen reader as
the browser gives them) for the others, with the service up (the API), down (the client
index) and on the service's page without JavaScript; the boxes' suggestions list at most 3
chapters of one video, the next hits taking the places left.

Every test here fails on the old code: "c-wire"'s video row listed its 6 matching chapters,
1,415 px tall at 390 px (1.7 screens of 844 px), with no "more chapters"; "schedule"'s
suggestions held 5 chapters of one video among 8 with the service up, 4 with it down."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sitesearch_testkit import open_search_page, type_for_suggestions
from web_testkit import describe, run_axe, save_shot, switch_palette

pytestmark = pytest.mark.browser

# Global Privacy Control: these searches are not logged (other tests count their own on the shared stack)
UNLOGGED = "Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})"
SHOWN = 3  # search.js CHAPTERS, search_page.CHAPTERS
SCREEN = 844

# the first video row of a list with chapters behind "N more chapters": its chapters shown and
# hidden (rank, start, whether on screen), the summary's text and the row's height
ROW = """(sel) => {
  const li = [...document.querySelectorAll(sel + ' > li.cb-result--video')].find(l => l.querySelector('details'));
  if (!li) return null;
  const chapter = (a) => ({rank: +a.dataset.carebaseRank, start: +a.getAttribute('href').match(/#t=(\\d+)$/)[1],
                           seen: a.checkVisibility()});
  const details = li.querySelector('details.cb-result__more-chapters');
  return {shown: [...li.querySelectorAll(':scope > ol.cb-result__chapters > li > a')].map(chapter),
          hidden: [...details.querySelectorAll('a')].map(chapter),
          summary: details.querySelector('summary').textContent, open: details.open,
          height: li.getBoundingClientRect().height};
}"""


def status_count(page) -> int:
    return int(re.match(r"(\d+) results? for", page.locator(".cb-results__status").inner_text()).group(1))


def check_row(row: dict | None) -> None:
    """3 chapters shown (the row's best-ranked, in the video's order), the others behind "N more
    chapters", closed, off screen; the row within a screen at 390 px."""
    assert row is not None, "no video row with more chapters"
    shown, hidden = row["shown"], row["hidden"]
    assert len(shown) == SHOWN and hidden and row["summary"] == f"{len(hidden)} more chapter{'s' * (len(hidden) > 1)}"
    assert max(c["rank"] for c in shown) < min(c["rank"] for c in hidden), row  # the best-ranked shown
    assert [c["start"] for c in shown] == sorted(c["start"] for c in shown), row  # in the video's order
    assert [c["start"] for c in hidden] == sorted(c["start"] for c in hidden), row
    assert all(c["seen"] for c in shown) and not any(c["seen"] for c in hidden) and not row["open"], row
    assert row["height"] < SCREEN, row  # the old code: 1,415 px (API), 6 chapters


@pytest.mark.parametrize("engine", ["api", "index"])
def test_a_videos_row_shows_three_chapters_and_the_others_behind_n_more_chapters(search_stack, search_page_factory,
                                                                               engine):
    site = search_stack.url if engine == "api" else search_stack.dead_site.url
    page = search_page_factory(viewport={"width": 390, "height": SCREEN}, init_script=UNLOGGED)
    open_search_page(page, site + "search/?q=c-wire", engine)
    row = page.evaluate(ROW, "#cb-results")
    check_row(row)
    # every hit still listed once: the first page's strong records (at most 20) are its links,
    # hidden chapters too; the count counts results, a video with its chapters one (session 43:
    # "c-wire" lists 20 records, 17 results)
    rows, items = page.evaluate("() => [window.carebaseSearch.page.strongRows, window.carebaseSearch.page.strongItems]")
    links = page.locator("#cb-results a.cb-result__link").count()
    assert links == rows <= 20 and items < rows and items <= status_count(page), (links, rows, items)
    save_shot(page, f"chapters-c-wire-{engine}-390.png", full_page=True)
    found = run_axe(page)
    assert not found, describe(found)
    # the keyboard: Tab from the last chapter shown reaches "N more chapters", Enter opens it, and
    # the arrow keys (the search page's own) go on to the chapters it opened
    video = page.locator("#cb-results > li.cb-result--video:has(details)").first
    video.locator(":scope > ol.cb-result__chapters > li > a").nth(SHOWN - 1).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('details.cb-result__more-chapters > summary')")
    page.keyboard.press("Enter")
    opened = page.evaluate(ROW, "#cb-results")
    assert opened["open"] and all(c["seen"] for c in opened["hidden"]), opened
    page.keyboard.press("ArrowDown")
    focus = page.evaluate("() => +document.activeElement.dataset.carebaseRank")
    assert focus == row["hidden"][0]["rank"]  # the first chapter it opened
    page.keyboard.press("ArrowUp")
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    found = run_axe(page)
    assert not found, describe(found)
    if engine == "api":
        for scheme in ("dark", "light"):
            switch_palette(page, scheme)
            save_shot(video, f"chapters-c-wire-open-{scheme}-390.png")
            found = run_axe(page, colours_only=True)
            assert not found, describe(found)


@pytest.mark.parametrize("engine", ["api", "index"])
def test_show_more_results_keeps_an_opened_n_more_chapters_open(search_stack, search_page_factory, engine):
    """"Show more results" draws the lists again: a video's "N more chapters" the customer had
    opened stays open (and its closed rows stay closed)."""
    site = search_stack.url if engine == "api" else search_stack.dead_site.url
    page = search_page_factory(viewport={"width": 1280, "height": 900}, init_script=UNLOGGED)
    open_search_page(page, site + "search/?q=schedule", engine)
    summary = page.locator("#cb-results details.cb-result__more-chapters > summary").first
    summary.click()
    before = page.evaluate(ROW, "#cb-results")
    assert before["open"], before
    seen = page.locator(".cb-search-results a.cb-result__link").count()
    page.locator(".cb-results__more-button").click()
    page.wait_for_function("(n) => document.querySelectorAll('.cb-search-results a.cb-result__link').length > n",
                           arg=seen)
    after = page.evaluate(ROW, "#cb-results")
    assert after["open"] and after["hidden"] == before["hidden"] and all(c["seen"] for c in after["hidden"]), after
    save_shot(page, f"chapters-schedule-more-{engine}-1280.png", full_page=True)


def test_without_javascript_the_services_page_puts_the_other_chapters_behind_n_more_chapters(search_stack,
                                                                                          search_page_factory):
    page = search_page_factory(viewport={"width": 390, "height": SCREEN}, bypass_csp=True)  # no script of its own runs
    page.goto(search_stack.service.url + "/search/?q=c-wire&from=search-page", wait_until="load")
    row = page.evaluate(ROW, "#cb-results")
    check_row(row)
    api = page.request.get(search_stack.service.url + "/api/v1/search?q=c-wire&limit=20").json()
    assert page.locator("#cb-results a.cb-result__link").count() == len([h for h in api["hits"] if h["strong"]])
    found = run_axe(page)
    assert not found, describe(found)
    page.locator("#cb-results details.cb-result__more-chapters > summary").first.click()  # the browser's own
    opened = page.evaluate(ROW, "#cb-results")
    assert opened["open"] and all(c["seen"] for c in opened["hidden"]), opened
    save_shot(page, "chapters-c-wire-nojs-390.png", full_page=True)
    found = run_axe(page)
    assert not found, describe(found)


SUGGESTED = """() => [...document.querySelectorAll('form[data-cb-combobox] [role=listbox] [role=option]')]
  .filter(o => !o.classList.contains('cb-suggest__all')).map(o => ({
    href: new URL(o.getAttribute('href'), location.href).pathname + new URL(o.getAttribute('href'), location.href).hash,
    chapter: o.classList.contains('cb-suggest__option--chapter'), rank: +o.dataset.carebaseRank}))"""


@pytest.mark.parametrize("service", ["up", "down"])
def test_suggestions_list_at_most_three_chapters_of_one_video(search_stack, search_page_factory, service):
    """"schedule": 5 chapters of the video "Schedules and Eco temperatures explained" among the
    first 8 strong hits with the service up (the old list: an article, the video, 5 of its
    chapters, one FAQ question), 4 with it down. Now 3, and the next hits of every kind take
    the places left: the list is the engine's strong hits in their order with a video's 4th
    chapter on left out. When those left fewer than 8 of the 12 rows fetched, the next rows are
    fetched until 8 (or the end): the old code listed 6 (up) or 7 (down) for "eco" below."""
    site = search_stack.url if service == "up" else search_stack.dead_site.url
    page = search_page_factory(viewport={"width": 390, "height": SCREEN}, init_script=UNLOGGED)
    type_for_suggestions(page, site, service, "schedule")  # the home page's box
    shown = page.evaluate(SUGGESTED)
    per_video: dict[str, int] = {}
    for option in shown:
        if option["chapter"]:
            video = option["href"].split("#")[0]
            per_video[video] = per_video.get(video, 0) + 1
    assert per_video and max(per_video.values()) == SHOWN, shown  # the old code: 5 (up) or 4 (down) of one video
    assert len(shown) == 8, shown  # the places left are taken
    if service == "up":
        api = page.request.get(search_stack.service.url + "/api/v1/search?q=schedule&limit=12").json()
        expected, count = [], {}
        for hit in (h for h in api["hits"] if h["strong"]):
            if hit.get("chapter"):
                count[hit["id"]] = count.get(hit["id"], 0) + 1
                if count[hit["id"]] > SHOWN:
                    continue
            expected.append(hit["url"])
        # in their order: the options' ranks (the list groups them by kind, chapters under their video)
        assert [o["href"].lstrip("/") for o in sorted(shown, key=lambda o: o["rank"])] == expected[:8], (shown, expected)
    save_shot(page, f"chapters-suggestions-{service}-390.png")
    found = run_axe(page)
    assert not found, describe(found)
    # more chapters among the first 12 rows than the cap leaves places for (the demo's videos have
    # 7 at most; the engine's answer to "eco" is made so): the next rows are fetched until 8
    listed = _chapters_first(page, search_stack, service, "eco")
    type_for_suggestions(page, site, service, "eco")
    shown = [o["href"].lstrip("/") for o in sorted(page.evaluate(SUGGESTED), key=lambda o: o["rank"])]
    expected, count = [], {}
    for url in listed:
        if "#t=" in url:  # a chapter
            video = url.split("#")[0]
            count[video] = count.get(video, 0) + 1
            if count[video] > SHOWN:
                continue
        expected.append(url)
    assert shown == expected[:8], (shown, listed)  # in their order; the old code: 6 (up) or 7 (down)
    if service == "up":
        _no_next_rows_after_a_newer_keystroke(page, search_stack)


def _no_next_rows_after_a_newer_keystroke(page, stack) -> None:
    """An answer of 30 chapters of one video needs three pages of 12 rows for 8 suggestions; the
    box cleared while the second is on its way, no third is fetched (the old code fetched on
    until 8: 862a16e's loop only stopped showing them)."""
    real = page.request.get(stack.service.url + "/api/v1/search?q=schedule&limit=50").json()
    items = [h for h in real["hits"] if h["strong"] and not h.get("chapter")]
    chapter = next(h for h in real["hits"] if h.get("chapter"))
    video_url = chapter["url"].split("#")[0]
    hits = [items[0], *({**chapter, "url": f"{video_url}#t={900 + n}"} for n in range(30)), *items[1:]]
    asked, held = [], []

    def answer(route):
        offset = int(dict(p.split("=", 1) for p in route.request.url.split("?", 1)[1].split("&")).get("offset", 0))
        asked.append(offset)
        held.append((route, offset)) if offset else fulfill(route, offset)

    def fulfill(route, offset):
        route.fulfill(json={**real, "query": "heat", "offset": offset, "total": len(hits), "strong": len(hits),
                            "hits": hits[offset:offset + 12]})
    page.route(re.compile(r"/api/v1/search\?q=heat&"), answer)
    box = page.locator("#cb-q")
    box.fill("")
    box.press_sequentially("heat", delay=40)
    for _ in range(100):  # the second page asked for
        if held:
            break
        page.wait_for_timeout(50)
    assert asked == [0, 12], asked
    box.fill("")  # a newer keystroke: nothing of "heat" will be shown
    fulfill(*held.pop())
    page.wait_for_timeout(500)
    assert asked == [0, 12], asked  # the old code: [0, 12, 24]


def _chapters_first(page, stack, service: str, q: str) -> list[str]:
    """Make the engine's strong hits for the one word ``q`` an item, then 9 chapters of one video
    (up: the API's answer, made from its answer to "schedule") or 7 + 6 of two (down: the client
    index's shard of ``q``, over the demo's own rows), then the other items; return their URLs
    in order."""
    import json

    if service == "up":
        real = page.request.get(stack.service.url + "/api/v1/search?q=schedule&limit=50").json()
        items = [h for h in real["hits"] if h["strong"] and not h.get("chapter")]
        chapter = next(h for h in real["hits"] if h.get("chapter"))
        video_url = chapter["url"].split("#")[0]
        chapters = [{**chapter, "url": f"{video_url}#t={900 + n}", "title": f"{chapter['chapter']['video']['title']}: Part {n}",
                     "chapter": {**chapter["chapter"], "title": f"Part {n}", "start": 900 + n}} for n in range(9)]
        hits = [items[0], *chapters, *items[1:12]]

        def answer(route):
            asked = dict(part.split("=", 1) for part in route.request.url.split("?", 1)[1].split("&"))
            offset, limit = int(asked.get("offset", 0)), int(asked["limit"])
            route.fulfill(json={**real, "query": q, "offset": offset, "total": len(hits), "strong": len(hits),
                                "hits": hits[offset:offset + limit]})
        page.route(re.compile(rf"/api/v1/search\?q={q}&"), answer)
        return [h["url"] for h in hits]
    from carebase.pages.search_shards import shard_key, stem

    folder = stack.site / "search" / "carebase"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    rows = [row for n in range(-(-meta["items"] // meta["chunk"]))
            for row in json.loads((folder / f"d-{n}.json").read_text(encoding="utf-8"))]
    by_video: dict[str, list[int]] = {}
    for n, row in enumerate(rows):
        if "#t=" in row[3]:
            by_video.setdefault(row[0], []).append(n)
    first, second = sorted(by_video.values(), key=len, reverse=True)[:2]
    items = [n for n, row in enumerate(rows) if row[1] != "video"][:12]
    order = [items[0], *first, *second, *items[1:]]
    assert len(first) + len(second) > 11, (first, second)  # 12 rows leave 7 places
    term = stem(q)
    key = shard_key(term, set(meta["split"]))

    def shard(route):
        data = route.fetch().json()
        data["t"][term] = [x for doc, w in sorted((doc, 200 - i) for i, doc in enumerate(order)) for x in (doc, w)]
        data["c"][term] = [200 - order.index(doc) for doc in sorted(order)]
        data.get("n", {}).pop(term, None)
        route.fulfill(json=data)
    page.route(f"**/search/carebase/t-{key}.json", shard)
    return [rows[n][3] for n in order]


#: the player as the customer sees it: the time it shows (the seek applied) and whether it is on
#: the screen (below the sticky header, above the bottom)
PLAYER = """() => { const box = document.querySelector('[data-cb-player]'); const v = box.querySelector('video');
  const r = box.getBoundingClientRect(); const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  return {time: v.currentTime, paused: v.paused, top: Math.round(r.top), bottom: Math.round(r.bottom),
          seen: r.top >= header - 1 && r.bottom <= innerHeight + 1}; }"""


@pytest.mark.parametrize("width, height", [(390, SCREEN), (1280, 900)])
def test_a_chapter_opened_from_the_results_shows_the_player_at_its_time(search_stack, search_page_factory, width,
                                                                         height):
    """A chapter of the search results opens its video's page with the player on the screen,
    showing the chapter's time (0:28), ready to play from there, as a YouTube ?t= link does.
    Fails on d8d132f: the page opened at the transcript's section of that id (#t=28, the
    player 1,221 px above the screen at 390 px) and the player said 0:00 (preload=none: the
    seek waited for a play)."""
    page = search_page_factory(viewport={"width": width, "height": height}, init_script=UNLOGGED)
    open_search_page(page, search_stack.url + "search/?q=wifi", "api")
    row = page.locator("#cb-results > li.cb-result--video:has(details)").first
    row.locator("details.cb-result__more-chapters > summary").click()
    chapter = row.locator("a.cb-result__link--chapter", has_text="Still offline?")
    assert chapter.get_attribute("href").endswith("videos/reconnect-wifi/#t=28")
    chapter.click()
    page.wait_for_url("**/videos/reconnect-wifi/#t=28")
    try:  # the metadata read and the browser's own scroll to the fragment, then the player's
        page.wait_for_function(f"() => {{ const p = ({PLAYER})(); return p.time === 28 && p.seen; }}", timeout=15000)
    except PlaywrightTimeout:
        pass
    player = page.evaluate(PLAYER)
    assert player["seen"] and player["time"] == 28, player
    assert player["paused"], player  # shown at its time, not started: the customer presses play
    save_shot(page, f"chapters-opened-at-28-{width}.png")
    page.locator("[data-cb-player] video").evaluate("v => v.play()")
    page.wait_for_function("() => document.querySelector('[data-cb-player] video').currentTime > 28.2", timeout=15000)


@pytest.mark.parametrize("width, height, link", [(1280, 900, ".cb-chapters a[data-cb-seek='14']"),
                                                 (390, SCREEN, ".cb-transcript a[data-cb-seek]")])
def test_a_time_clicked_on_the_video_page_brings_the_player_below_the_header(search_stack, search_page_factory, width,
                                                                            height, link):
    """A chapter or a transcript time clicked below the player scrolls the player back into view
    under the sticky header, all of it seen. Fails on main 0b571f84 (audit 47 A2): the player's
    top went to the window's top (0 px), its first 48 px under the header."""
    page = search_page_factory(viewport={"width": width, "height": height}, init_script=UNLOGGED)
    page.goto(search_stack.url + "videos/reconnect-wifi/", wait_until="load")
    target = page.locator(link).last
    target.scroll_into_view_if_needed()
    target.click()
    try:  # a smooth scroll (no reduced motion asked for)
        page.wait_for_function(f"() => ({PLAYER})().seen", timeout=10000)
    except PlaywrightTimeout:
        pass
    page.wait_for_timeout(300)
    player = page.evaluate(PLAYER)
    assert player["seen"], player
