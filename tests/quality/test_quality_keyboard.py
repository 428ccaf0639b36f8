"""A customer who uses only the keyboard: search from the home page's box, open a result,
vote No with a reason and send it (the vote lands in the service's SQLite file), open FAQ
answers with Enter and Space, play a video chapter, open and close the phone's menu. Every
focused control shows a visible focus indicator. With $CAREBASE_SHOTS set, screenshots of each step are saved there."""

from __future__ import annotations

import pytest

from web_testkit import describe, material_started, run_axe, save_shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = "quality-keyboard-{}.png"

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const visible = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none'
    || cs.textDecorationLine.includes('underline');
  return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 80),
          href: el.getAttribute('href'), cls: el.className, visible};
}"""


def tab_to(page, selector: str, limit: int = 80) -> dict:
    """Press Tab until the focused element matches ``selector``; returns what is focused."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            focused = page.evaluate(FOCUS)
            assert focused["visible"], f"no visible focus indicator on {focused}"
            return focused
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def test_keyboard_only_search_vote_faq_and_video(stack, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    item = "article:billing/refunds"
    service = stack.service.since()  # the votes stored from now on (other tests vote on it too)

    # 1. search from the home page's own box
    page.goto(stack.url, wait_until="load")
    material_started(page)
    tab_to(page, "input#cb-q")
    page.keyboard.type("refund")
    save_shot(page, SHOTS.format("1-home-search"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=refund*")
    page.locator(".cb-result__link").first.wait_for(timeout=15000)
    material_started(page)
    save_shot(page, SHOTS.format("2-results"))

    # 2. open a result: arrow keys move from the box through the results, Enter opens one
    for _ in range(15):
        page.keyboard.press("ArrowDown")
        href = page.evaluate("() => document.activeElement && document.activeElement.getAttribute('href')")
        if href and "billing/refunds/" in href:
            break
    else:
        raise AssertionError("the refunds article was not among the results reachable by arrow keys")
    page.keyboard.press("Enter")
    page.wait_for_url("**/billing/refunds/**")
    page.wait_for_function("() => document.querySelector('.cb-feedback[data-cb-ready]')")
    material_started(page)

    # 3. vote No, choose a reason, send — keyboard only
    tab_to(page, ".cb-feedback button[data-cb-vote='0']")
    page.keyboard.press("Enter")
    widget = page.locator(".cb-feedback").first
    assert widget.get_attribute("data-cb-state") == "reasons"
    assert page.evaluate("() => document.activeElement.name") == "reason", "focus did not move to the reasons"
    page.keyboard.press("ArrowDown")  # the second reason, checked by the arrow key
    reason = page.evaluate("() => document.activeElement.checked && document.activeElement.value")
    assert reason, "the arrow key did not check a reason"
    save_shot(page, SHOTS.format("3-reasons"))
    tab_to(page, ".cb-feedback button.cb-feedback__send")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.cb-feedback').dataset.cbState === 'thanks'")
    assert "Change your answer" in page.evaluate("() => document.activeElement.innerText")
    save_shot(page, SHOTS.format("4-thanks"))
    rows = service.votes(item)
    assert len(rows) == 1, f"one vote stored, not {len(rows)}"
    assert rows[-1]["value"] == 0 and rows[-1]["reason"] == reason, rows[-1]

    # 4. FAQ answers open with Enter and with Space
    page.goto(stack.url + "faq/billing/", wait_until="load")
    material_started(page)
    first = tab_to(page, "summary.cb-faq__q")
    page.keyboard.press("Enter")
    opened = page.evaluate("() => [...document.querySelectorAll('details.cb-faq')].filter(d => d.open).length")
    assert opened == 1, f"Enter on {first['text']!r} opened {opened} answers"
    tab_to(page, "details.cb-faq:not([open]) > summary.cb-faq__q")
    page.keyboard.press("Space")
    opened = page.evaluate("() => [...document.querySelectorAll('details.cb-faq')].filter(d => d.open).length")
    assert opened == 2, "Space did not open the second answer"
    save_shot(page, SHOTS.format("5-faq"))

    # 5. a video chapter plays from its start
    page.goto(stack.url + "videos/reconnect-wifi/", wait_until="load")
    material_started(page)
    chapter = tab_to(page, "a[data-cb-seek]:not([data-cb-seek='0'])")
    start = int(page.evaluate("() => document.activeElement.dataset.cbSeek"))
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => {{ const v = document.querySelector('[data-cb-player] video'); "
                           f"return v && !v.paused && v.currentTime >= {start}; }}", timeout=15000)
    save_shot(page, SHOTS.format("6-video"))
    assert page.url.endswith(f"#t={start}"), f"chapter {chapter['text']!r} did not set the deep link"


#: the focused element when it is one of Material's header buttons (the palette toggle: its label):
#: [its markup, whether it shows an outline]; "target" on the video's facade
HEADER_RING = """() => { const el = document.activeElement;
  if (el.matches('.cb-player__facade')) return 'target';
  const ring = el.matches('input.md-option') ? el.nextElementSibling : el.matches('.md-header__button') ? el : null;
  return ring && [el.outerHTML.slice(0, 90), getComputedStyle(ring).outlineStyle !== 'none']; }"""

#: the scheme on <body>, the stored palette's index, which of the toggle's two labels show
PALETTE = """() => [document.body.dataset.mdColorScheme, __md_get('__palette')?.index,
  ...[...document.querySelectorAll('form[data-md-component=palette] label')].map((l) => !l.hidden)]"""


def test_hosted_video_starts_from_the_keyboard(stack, new_page):
    """Also with Material's bundle never loaded (the demo's pages load none: carebase's chrome.js
    instead; a page that needs it starts it once the content is on screen, a slow phone may
    not have it yet; the route aborts it here all the same): no script error, Material's header buttons (logo,
    palette toggle; the language menu where there is one) still show a focus ring — Material hides it until its bundle's
    focus-visible polyfill marks them, site.css gives the browser's own instead — and the
    player starts; a switch of the palette toggle is kept."""
    page = new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", lambda route: route.abort() if "127.0.0.1" not in route.request.url
               or "/assets/javascripts/bundle." in route.request.url else route.continue_())
    page.goto(stack.url + "videos/setup-basics/", wait_until="load")
    material_started(page)  # settled: its bundle failed
    header = []
    for _ in range(80):
        page.keyboard.press("Tab")
        state = page.evaluate(HEADER_RING)
        if state == "target":
            break
        if state:
            header.append(state)
    else:
        raise AssertionError("80 presses of Tab never reached the video's facade")
    assert len(header) >= 2 and all(ringed for _, ringed in header), f"header buttons without a focus ring: {header}"
    assert page.evaluate(FOCUS)["visible"], "no visible focus indicator on the facade"
    assert not page.evaluate("() => !!window.document$"), "Material's bundle ran"
    page.keyboard.press("Enter")
    frame = page.locator("iframe.cb-player__frame")
    frame.wait_for()
    assert "youtube-nocookie.com/embed/" in frame.get_attribute("src")
    assert page.evaluate("() => document.activeElement.tagName") == "IFRAME", "focus did not move into the player"
    # the palette toggle switched before Material runs: applied, and stored where Material reads
    # it when it starts (it started from the stored choice: the switch was lost)
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    assert page.evaluate(PALETTE) == ["slate", 1, False, True], page.evaluate(PALETTE)
    assert errors == [], errors


#: the focused element: its markup's start, whether it is on the screen (a link of a drawer slid
#: off it has its box left of 0), and whether it is inside the menu drawer
WHERE = """() => { const el = document.activeElement; const r = el.getBoundingClientRect();
  return {html: el.outerHTML.slice(0, 90), shown: r.right > 0 && r.left < innerWidth && r.bottom > 0 && r.top < innerHeight
          && getComputedStyle(el).visibility === 'visible',
          drawer: !!el.closest('.md-sidebar--primary'), button: el.matches('button.cb-menu-button')}; }"""


def test_the_phone_menu_opens_from_the_keyboard_and_hides_its_links_while_closed(stack, new_page):
    """A keyboard on a phone-sized page (390 px; a desktop zoomed to 400 % is the same page): the
    menu button is a tab stop that says whether the menu is open, Enter and Space open the
    menu and move the focus into it, Escape closes it and gives the focus back; the closed
    menu's links are never tab stops. Fails on d8d132f: the button (Material's <label>) was
    never focused, and the 9 links of the closed drawer, off the screen at x = -242, were."""
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto(stack.url + "troubleshooting/thermostat-offline/", wait_until="load")
    material_started(page)
    # one menu button, a real one (axe: a <label> may not take role=button)
    assert page.locator("header .md-header__button[for=__drawer]:not([hidden]), header .cb-menu-button").count() == 1
    stops = []
    for _ in range(8):  # the skip link, the header, then the page's own links
        page.keyboard.press("Tab")
        stops.append(page.evaluate(WHERE))
    hidden = [s["html"] for s in stops if s["drawer"] or not s["shown"] and "md-option" not in s["html"]]
    assert not hidden, f"tab stops nobody can see: {hidden}"
    assert any(s["button"] for s in stops), [s["html"] for s in stops]

    button = page.locator("button.md-header__button.cb-menu-button")
    button.focus()
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate(FOCUS)["visible"], "no focus ring on the menu button"
    from playwright.sync_api import expect

    expect(button).to_have_accessible_name("Navigation")
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate(WHERE)["drawer"], page.evaluate(WHERE)
    page.wait_for_function(f"() => ({WHERE})().shown", timeout=5000)  # slid in (Material's 0.25 s)
    found = run_axe(page)  # the button and the opened menu (the closed one: test_quality_axe, 390 px)
    assert not found, describe(found)
    save_shot(page, SHOTS.format("7-menu-open-390"))
    page.keyboard.press("Tab")
    assert page.evaluate(WHERE)["drawer"], "Tab left the opened menu at once"
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate(WHERE)["button"], "Escape did not give the focus back to the menu button"
    page.keyboard.press(" ")
    assert page.evaluate("() => document.getElementById('__drawer').checked"), "Space did not open the menu"
    page.keyboard.press("Escape")
    # closed again: the next stop after the button is not in the drawer (it slid out and is hidden)
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'hidden'")
    page.keyboard.press("Tab")
    after = page.evaluate(WHERE)
    assert not after["drawer"] and after["shown"], after
