"""axe-core (WCAG 2.0/2.1/2.2 A and AA, plus best practices) in headless Chromium on every
page type of the demo and on the feedback widget with the service down (its other states:
tests/widget/test_widget_a11y_browser.py), in the light and the dark palette: zero violations.
Every state is checked with every rule in the light palette, then switched to the dark one on
the same document (Material's toggle: web_testkit.switch_palette) and checked with the rules that
depend on colours (web_testkit.COLOUR_RULES: the others gave the same result in both)."""

from __future__ import annotations

import pytest

from quality_testkit import PAGES, describe, run_axe
from web_testkit import material_started, switch_palette

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCHEMES = {"light": ("light", "default"), "dark": ("dark", "slate")}
#: the header box's suggestions for a query, final: from the service, or from the client index
#: once the page has found the service down (search.js: its form's data-cb-search-mode)
FINAL_SUGGESTIONS = """(q) => { const box = document.querySelector('#cb-header-q');
  const list = document.getElementById(box.getAttribute('aria-controls'));
  return list.dataset.carebaseQuery === q && (list.dataset.cbEngine === 'api'
    || box.form.getAttribute('data-cb-search-mode') === 'index'); }"""


def open_page(new_page, url: str, scheme: str = "light"):
    media, material = SCHEMES[scheme]
    page = new_page(color_scheme=media, viewport={"width": 1280, "height": 900})
    page.goto(url, wait_until="load")
    material_started(page)
    assert page.locator("body").get_attribute("data-md-color-scheme") == material, \
        f"{url}: the {scheme} palette was not applied"
    return page


def assert_clean(page, what: str, scheme: str, context: str | None = None) -> None:
    violations = run_axe(page, context=context, colours_only=scheme == "dark")
    assert not violations, f"{what}: axe-core found {len(violations)} violation(s):\n{describe(violations)}"


def assert_clean_in_both_palettes(page, what: str, context: str | None = None, unchanged=lambda: None) -> None:
    """Every rule in the light palette the page opened in; then the same document switched to
    the dark palette (as with the header's toggle; ``unchanged`` asserts the state checked is
    still shown), the colour rules; then back to light: Material stores the palette chosen, and
    the module's next test opens its page in the same tab (reading_page)."""
    assert_clean(page, f"{what} (light)", "light", context)
    assert switch_palette(page, "dark") == SCHEMES["dark"][1]
    try:
        unchanged()
        assert_clean(page, f"{what} (dark)", "dark", context)
    finally:
        switch_palette(page, "light")


@pytest.mark.parametrize("kind", PAGES)
def test_page_type_has_no_axe_violations(stack, reading_page, axe_js, kind):
    page = open_page(reading_page, stack.url + PAGES[kind])  # one page: it only reads
    if kind == "faq":
        question = page.locator("details.cb-faq").first
        question.locator("summary.cb-faq__q").click()
        assert question.evaluate("d => d.open")
    if kind == "404":
        assert "404" in page.title() or page.locator("h1").count()
    if kind == "article":
        # the header box's suggestions, open, with an active option, over the whole article page
        # (idle widget included; the search page and the home box: tests/sitesearch): one load
        # and one check for both states, the page being the same with the list closed
        page.locator("#cb-header-q").click()
        page.keyboard.type("wifi offline", delay=30)
        page.locator("[role=option][data-carebase-item]").first.wait_for(timeout=15000)
        # the list as it stays: the service's answer (the client index's comes first and is
        # replaced, the active option with it), or the index's once the page found the service down
        page.wait_for_function(FINAL_SUGGESTIONS, arg="wifi offline")
        page.keyboard.press("ArrowDown")
        assert page.locator("#cb-header-q").get_attribute("aria-expanded") == "true"
        assert page.locator("#cb-header-q").get_attribute("aria-activedescendant")
    def unchanged():  # by the switch to the dark palette
        if kind == "article":  # the suggestions still open, an option active
            assert page.locator("#cb-header-q").get_attribute("aria-expanded") == "true"
            assert page.locator("#cb-header-q").get_attribute("aria-activedescendant")
        if kind == "faq":
            assert page.locator("details.cb-faq").first.evaluate("d => d.open")

    assert_clean_in_both_palettes(page, f"{kind} page{' with header suggestions' if kind == 'article' else ''}",
                                  unchanged=unchanged)


def test_self_hosted_video_playing_has_no_axe_violations(stack, new_page, axe_js):
    page = open_page(new_page, stack.url + PAGES["video-self-hosted"])
    page.locator("a[data-cb-seek]").nth(1).click()
    page.wait_for_function("() => { const v = document.querySelector('[data-cb-player] video'); "
                           "return v && v.currentTime > 0; }", timeout=15000)
    assert_clean_in_both_palettes(page, "self-hosted video after play")


def widget(page):
    return page.locator(".cb-feedback").first


# The widget's idle, reasons, thanks (after Yes and after No), refused and FAQ states on the demo
# are axe-checked light and dark in tests/widget/test_widget_a11y_browser.py (its region, as
# here), the rating styles and the browser-offline state there too: here the one state none of
# those reaches, the service down (the vote kept to send later).
def test_feedback_widget_with_the_service_down_has_no_axe_violations(stack, new_page, axe_js):
    page = open_page(new_page, stack.dead_site.url + PAGES["article"])
    w = widget(page)
    w.wait_for()
    page.wait_for_function("() => document.querySelector('.cb-feedback[data-cb-ready]')")
    w.get_by_role("button", name="No").click()
    w.locator("input[name=reason]").first.check()
    w.get_by_role("button", name="Send").click()
    status = w.locator(".cb-feedback__status")
    page.wait_for_function("() => /offline/.test(document.querySelector('.cb-feedback__status').textContent)")
    assert "saved" in status.inner_text()
    # the widget's region only: the article page around it (with the idle widget) is checked whole by
    # test_page_type_has_no_axe_violations[article-*]; a state changes nothing outside the widget,
    # and axe's page-wide checks (duplicate ids) still look at the whole document
    assert page.locator(".cb-feedback").count() == 1
    assert_clean_in_both_palettes(page, "feedback widget, service down", context=".cb-feedback")
