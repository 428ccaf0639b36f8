"""Small faults a customer sees, in headless Chromium against the demo build (issue 15): an
article's breadcrumb trail never starts a line with its "›" and keeps to one line on a phone;
the video gallery's videos without their own thumbnail each get a poster of their own."""

from __future__ import annotations

import hashlib
import time

import pytest

from web_testkit import material_started, save_shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: per visible crumb: its text, whether it starts a line of the trail, what its "::before" shows
CRUMBS = """() => {
  const ol = document.querySelector('.cb-breadcrumbs ol');
  const start = ol.getBoundingClientRect().left;
  const shown = [...ol.children].filter(li => li.getClientRects().length);
  const tops = new Set(shown.map(li => Math.round(li.getClientRects()[0].top)));
  return {lines: tops.size, heading: document.querySelector('article h1').textContent.replace('¶', '').trim(),
          crumbs: shown.map((li, i) => ({text: li.textContent.trim(), first: i === 0,
            startsLine: Math.abs(li.getClientRects()[0].left - start) < 2,
            before: getComputedStyle(li, '::before').content}))};
}"""

#: the demo's articles with the longest trails (category + title), and the one the audit saw
ARTICLES = ["installation/c-wire-and-power-adapter/", "comfort-and-schedules/temperature-units-and-offset/",
            "app-and-account/voice-assistants/", "de/installation/mounting-plate-and-trim/"]


@pytest.mark.parametrize("article", ARTICLES)
def test_the_breadcrumb_trail_never_starts_a_line_with_its_separator(stack, reading_page, article):
    """Fails on the old code: at 390 px "Home › Installation and wiring › C-wire and the Lumo
    Power Kit" wrapped with "›" leading its second line."""
    page = reading_page(viewport={"width": 1280, "height": 800})
    page.goto(stack.url + article, wait_until="load")
    material_started(page)
    wrong = {}
    for width in range(320, 1281, 32):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_function("(w) => innerWidth === w", arg=width)
        seen = page.evaluate(CRUMBS)
        leading = [c["text"] for c in seen["crumbs"] if c["startsLine"] and c["before"] not in ("none", "normal")]
        if leading:
            wrong[width] = leading
        if width <= 700:  # a phone: the trail up to the page's parent; the title is the heading
            # on one line from 352 px ("Startseite › Installation und Verkabelung" takes two at 320)
            assert seen["lines"] == 1 or width < 352, (width, seen)
            assert seen["heading"] not in [c["text"] for c in seen["crumbs"]], (width, seen)
            if width == 384:
                save_shot(page, f"breadcrumbs-{article.strip('/').replace('/', '-')}-384.png")
        elif width >= 1024:  # room for the whole trail: it ends with the page's own title
            assert seen["crumbs"][-1]["text"] == seen["heading"], (width, seen)
    assert not wrong, f"{article}: a line of the trail starts with its separator at (px: crumbs): {wrong}"


POSTERS = "a.cb-card__link:not(:has(img))"


@pytest.mark.parametrize("width,scheme", [(390, "light"), (1280, "dark")])
def test_videos_without_a_thumbnail_each_get_a_poster_of_their_own(stack, reading_page, width, scheme):
    """Fails on the old code: every video without a thumbnail showed the same blue rectangle
    with a play mark (5 of the demo's 6), so the gallery was a column of identical posters."""
    page = reading_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(stack.url + "videos/", wait_until="load")
    material_started(page)
    cards = page.locator(f".cb-cards--videos {POSTERS}")
    assert cards.count() >= 5
    shots, titles = set(), []
    for card in cards.all():
        poster = card.locator(".cb-card__poster")
        box = poster.bounding_box()
        assert box["width"] > 100 and abs(box["width"] / box["height"] - 16 / 9) < 0.05  # 16:9, as a thumbnail
        title = card.locator(".cb-card__title").inner_text()
        shown = poster.inner_text()
        # the poster names the video and its category (a title card), in white on its colour
        assert title.split()[0] in shown, (title, shown)
        titles.append(title)
        poster.scroll_into_view_if_needed()
        shots.add(hashlib.sha256(poster.screenshot()).hexdigest())
    assert len(shots) == len(titles), f"posters that look the same among {titles}"
    colours = page.locator(f".cb-cards--videos {POSTERS} .cb-card__poster").evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor)")
    assert len(set(colours)) == len(colours), colours  # the demo's 5 are of 5 categories: 5 colours
    save_shot(page, f"videos-posters-{width}-{scheme}.png", full_page=True)


#: a page's colours as a customer sees them: the page, the header, the heading, a text link, the
#: breadcrumb link, a card, the contact block, the footer
COLOURS = """() => {
  const pick = (sel, props) => { const e = document.querySelector(sel); if (!e) return null;
    const s = getComputedStyle(e); return props.map(p => s[p]).join(' | '); };
  return {page: pick('body', ['backgroundColor', 'color', 'colorScheme']),
          header: pick('.md-header', ['backgroundColor', 'color']),
          heading: pick('article h1, .cb-home h1', ['color']),
          link: pick('.md-typeset p > a:not([class]), .md-typeset li > a:not([class])', ['color']),
          crumb: pick('.cb-breadcrumbs a', ['color']),
          card: pick('.cb-card, .cb-contact', ['backgroundColor', 'borderTopColor']),
          footer: pick('.md-footer', ['backgroundColor', 'color'])};
}"""


def still(page, timeout: float = 30.0) -> None:
    """Return once no CSS transition or animation runs in ``page``, a page without JavaScript
    (``wait_for_function`` needs the page's own script; ``evaluate`` does not)."""
    end = time.monotonic() + timeout
    while not page.evaluate("() => document.getAnimations().every((a) => a.playState !== 'running')"):
        assert time.monotonic() < end, f"{page.url}: still moving after {timeout} s"
        time.sleep(0.05)


def test_the_sites_pages_without_javascript_follow_the_customers_colour_scheme(stack, new_page, browser):
    """Fails on the old code (dark): without JavaScript every page of the site was light whatever
    the customer's setting (Material's palette script picks the palette). Its colours are now
    those the page has with JavaScript, in both (assets/carebase/palette-nojs.css, linked in a
    <noscript>). Without JavaScript each page is loaded once, its palette a media query: the
    system's setting is changed on the open page."""
    from web_testkit import page_factory

    pages = ["", "troubleshooting/thermostat-offline/", "videos/", "faq/billing/", "no-such-page/"]
    schemes = ("light", "dark")
    with_js = new_page(viewport={"width": 1280, "height": 800})
    expected = {}
    for scheme in schemes:
        with_js.emulate_media(color_scheme=scheme)
        for url in pages:
            with_js.goto(stack.url + url, wait_until="load")
            material_started(with_js)
            expected[scheme, url] = with_js.evaluate(COLOURS)
    with page_factory(browser) as make:
        context = make.context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
        page = context.new_page()
        for url in pages:
            page.goto(stack.url + url, wait_until="load")
            for scheme in schemes:
                page.emulate_media(color_scheme=scheme)
                still(page)  # (the links' colour transition)
                seen = page.evaluate(COLOURS)
                assert seen == expected[scheme, url], (scheme, url)
                assert ("dark" in seen["page"]) == (scheme == "dark"), (scheme, url)
                if url == pages[-1]:
                    save_shot(page, f"nojs-404-{scheme}-1280.png", full_page=True)
