"""Reflow and motion in headless Chromium: at 320 CSS px (a small phone, WCAG 1.4.10) and
at 200% zoom of a 1280 px window no page type scrolls sideways (and at 320 px the site name in
the header is whole); with
prefers-reduced-motion no element animates or transitions."""

from __future__ import annotations

import pytest

from quality_testkit import PAGES
from web_testkit import material_started, wait_until_still

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# a small phone, 320 CSS px wide at 2 device px each; then, on the same document, 200% zoom of
# a 1280×800 window: the page lays out in 640×400 CSS px at 2 device px each (as a customer's zoom
# resizes the page they have open; every page type is loaded at 320 px, the phone's case)
VIEWS = {"320px": {"width": 320, "height": 640}, "zoom-200": {"width": 640, "height": 400}}
DEVICE_SCALE = 2

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1 && getComputedStyle(el).position !== 'fixed'
      && !el.closest('.md-sidebar, .md-search, [hidden], .md-typeset__scrollwrap, .md-typeset__table, pre, .highlight');
  }).slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' right=' + Math.round(el.getBoundingClientRect().right));
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""

SITE_NAME = """() => { const n = document.querySelector('.md-header__title .md-header__topic .md-ellipsis');
  return {text: n.textContent.trim(), needs: n.scrollWidth, room: n.clientWidth}; }"""


@pytest.mark.parametrize("kind", PAGES)
def test_no_horizontal_scroll(stack, reading_page, kind):
    # one page for the module: the test only reads the layout
    page = reading_page(viewport=VIEWS["320px"], device_scale_factor=DEVICE_SCALE)
    page.goto(stack.url + PAGES[kind], wait_until="load")
    material_started(page)
    if kind == "faq":
        page.locator("details.cb-faq summary.cb-faq__q").first.click()
    if kind in ("article", "faq"):
        page.locator(".cb-feedback").first.get_by_role("button", name="No").click()  # reasons open
    for view, size in VIEWS.items():
        if page.viewport_size != size:
            page.set_viewport_size(size)
            page.wait_for_function("([w, h]) => innerWidth === w && innerHeight === h", arg=[size["width"], size["height"]])
        wait_until_still(page)  # the layout measured once the clicks' transitions have ended
        result = page.evaluate(OVERFLOW)
        if result["scroll"] > result["width"] or result["wide"]:
            page.screenshot(path=f"/tmp/quality-overflow-{kind}-{view}.png", full_page=True)
        assert result["scroll"] <= result["width"], f"{kind} at {view} scrolls sideways: {result}"
        assert not result["wide"], f"{kind} at {view}: content wider than the viewport: {result}"
        if view == "320px":  # the site name whole beside the menu, search, palette and language buttons
            name = page.evaluate(SITE_NAME)
            assert name["needs"] <= name["room"], f"{kind} at 320 px: the site name is cut: {name}"


MOTION = """() => {
  const secs = v => Math.max(...v.split(',').map(s => parseFloat(s) * (s.trim().endsWith('ms') ? 0.001 : 1)));
  const moving = [];
  for (const el of document.querySelectorAll('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const cs = getComputedStyle(el, pseudo);
      const t = secs(cs.transitionDuration), a = cs.animationName !== 'none' ? secs(cs.animationDuration) : 0;
      if (t > 0.01 || a > 0.01) moving.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + (pseudo || ''));
    }
  }
  return {moving: moving.slice(0, 8), count: moving.length,
          smooth: getComputedStyle(document.documentElement).scrollBehavior};
}"""


@pytest.mark.parametrize("kind", ["home", "article", "faq", "video-hosted", "search"])
def test_reduced_motion_is_respected(stack, reading_page, kind):
    page = reading_page(reduced_motion="reduce")  # the preference from the start, as a customer's
    page.goto(stack.url + PAGES[kind], wait_until="load")
    material_started(page)
    result = page.evaluate(MOTION)
    assert result["count"] == 0, f"{kind}: {result['count']} elements still animate with reduced motion: {result['moving']}"
    assert result["smooth"] != "smooth"
    # the same document without the preference (its media queries apply at once): the check
    # finds what moves, so its 0 above proves something (reading_page sets it back for the next)
    page.emulate_media(reduced_motion="no-preference")
    assert page.evaluate(MOTION)["count"] > 0, "nothing moves even without the preference: the check proves nothing"


PLACEHOLDER_FITS = """() => {
  const input = document.querySelector('#cb-q'), cs = getComputedStyle(input);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = cs.font;
  const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  return {text: input.placeholder, needs: Math.ceil(ctx.measureText(input.placeholder).width), room: Math.floor(room)};
}"""


@pytest.mark.parametrize("home", ["", "de/"])
def test_home_search_placeholder_is_not_cut(stack, reading_page, home):
    page = reading_page(viewport={"width": 390, "height": 800})  # it only reads
    page.goto(stack.url + home, wait_until="load")
    material_started(page)
    for width in (390, 320):  # the same document narrowed (the box's width is the stylesheet's)
        if width != 390:
            page.set_viewport_size({"width": width, "height": 800})
            page.wait_for_function("(w) => innerWidth === w", arg=width)
        fit = page.evaluate(PLACEHOLDER_FITS)
        if fit["needs"] > fit["room"]:
            page.screenshot(path=f"/tmp/quality-placeholder-{home.strip('/') or 'en'}-{width}.png")
        assert fit["needs"] <= fit["room"], f"{stack.url + home} at {width} px: the placeholder is cut: {fit}"
    button = page.locator(".cb-search__button")
    assert button.get_attribute("type") == "submit" and button.evaluate("b => b.textContent.trim()")  # named


#: the article's title: how far its box reaches below the last line of its words (a line with
#: nothing visible on it leaves a gap between the title and the summary under it)
TITLE_GAP = """() => {
  const h = document.querySelector('article h1');
  const text = document.createRange();
  text.setStart(h.firstChild, 0);
  text.setEnd(h.firstChild, h.firstChild.length);
  const bottom = Math.max(...[...text.getClientRects()].map(r => r.bottom));
  return {gap: Math.round(h.getBoundingClientRect().bottom - bottom), line: parseFloat(getComputedStyle(h).lineHeight)};
}"""


@pytest.mark.parametrize("article", ["billing/refunds/", "de/billing/refunds/"])
def test_an_article_title_has_no_empty_line_under_it(stack, reading_page, article):
    # Before: Markdown's hidden permalink "¶" after the title's last word wrapped onto a line of
    # its own whenever the title filled its last line, so a blank line (38 px at 390 px wide)
    # stood between the title and its summary ("Refunds for Lumo Plus and hardware" at 390 px,
    # "Rückerstattungen für Lumo Plus und Geräte" at 1,280 px). The same document at every
    # width from 320 to 1,280 px in steps of 16.
    page = reading_page(viewport={"width": 1280, "height": 800})
    page.goto(stack.url + article, wait_until="load")
    material_started(page)
    gaps = {}
    for width in range(320, 1281, 16):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_function("(w) => innerWidth === w", arg=width)
        result = page.evaluate(TITLE_GAP)
        if result["gap"] > result["line"] / 2:
            gaps[width] = result["gap"]
    assert not gaps, f"{article}: an empty line under the title at these widths (px: gap): {gaps}"
