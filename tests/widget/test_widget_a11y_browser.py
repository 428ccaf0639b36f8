"""axe-core finds no violation in any state of the widget, in the light and the dark
palette, on the demo site and on the widget's own site (CSAT and CES styles too): each state
checked in the light palette, then on the same document switched to the dark one as with the
header's toggle (web_testkit.switch_palette), and back.
With $CAREBASE_SHOTS set, screenshots of every state are saved there (web_testkit.save_shot)."""

import os

import pytest

from web_testkit import AXE_JS, axe_options, inject_axe, material_started, page_factory, save_shot, switch_palette
from widget_testkit import wait_for

pytestmark = pytest.mark.browser

AXE = AXE_JS


@pytest.fixture
def scheme_context(chromium):
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run `npm ci --prefix tests` (bash tests/run does)")
    with page_factory(chromium) as make:
        yield make.context(color_scheme="light", reduced_motion="reduce", viewport={"width": 1000, "height": 900})


def check_one(page, box, name, scheme):
    """Run axe on this widget (a screenshot of it with $CAREBASE_SHOTS set); return the violations."""
    page.wait_for_timeout(100)
    box.scroll_into_view_if_needed()
    save_shot(box, f"{name}-{scheme}.png")
    inject_axe(page)
    selector = "#" + box.get_attribute("id")
    # every rule in light, the rules that depend on colours in dark (web_testkit.COLOUR_RULES:
    # the others gave the same result in both palettes)
    options = axe_options(colours_only=True) if scheme == "dark" else {"resultTypes": ["violations"]}
    result = page.evaluate("""([sel, options]) => axe.run({include: [sel]}, options)
        .then(r => r.violations.map(v => ({id: v.id, help: v.help,
              nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)})))""", [selector, options])
    return [(f"{name} ({scheme})", v["id"], v["help"], v["nodes"][:3]) for v in result]


def check(page, box, name):
    """This state of the widget in the light palette (every rule), then in the dark one (the colour
    rules), switched on the same document and back to light; the violations of both."""
    found = check_one(page, box, name, "light")
    switch_palette(page, "dark")
    found += check_one(page, box, name, "dark")
    switch_palette(page, "light")
    return found


def test_helpful_widget_states_on_the_demo_site(scheme_context, demo_site, service):
    page = scheme_context.new_page()
    page.goto(demo_site.url + "billing/refunds/")
    material_started(page)
    assert page.evaluate("getComputedStyle(document.body).getPropertyValue('--md-default-bg-color')").strip()
    box = page.locator(".cb-feedback").first
    # the idle widget (here and the FAQ's) is checked with its whole page in
    # tests/quality/test_quality_axe.py (article, FAQ with a question open, light and dark)
    found = []
    page.wait_for_function("() => document.querySelector('.cb-feedback[data-cb-ready]')")
    box.get_by_role("button", name="No").click()
    found += check(page, box, "demo-reasons")
    box.get_by_label("Out of date").check()
    box.get_by_role("button", name="Send").click()
    wait_for(lambda: box.get_attribute("data-cb-state") == "thanks")
    found += check(page, box, "demo-thanks-negative")
    box.get_by_role("button", name="Change your answer").click()
    box.get_by_role("button", name="Yes").click()
    wait_for(lambda: box.get_attribute("data-cb-state") == "thanks")
    found += check(page, box, "demo-thanks")

    # error: the service refuses the vote
    page.route("**/api/v1/events", lambda route: route.fulfill(status=400, body='{"error": "no"}'))
    box.get_by_role("button", name="Change your answer").click()
    box.get_by_role("button", name="Yes").click()
    wait_for(lambda: box.get_attribute("data-cb-state") == "error")
    assert "couldn't record" in box.locator("[role=status]").inner_text()
    found += check(page, box, "demo-error")

    # an FAQ question's widget, inside its disclosure
    page.goto(demo_site.url + "faq/billing/")
    material_started(page)
    page.locator("summary.cb-faq__q").first.click()
    faq = page.locator(".cb-faq .cb-feedback").first
    page.wait_for_function("() => document.querySelector('.cb-faq .cb-feedback[data-cb-ready]')")
    faq.get_by_role("button", name="No").click()
    found += check(page, faq, "demo-faq-reasons")
    assert found == []


def test_rating_styles_and_offline_state(scheme_context, widget_site, service):
    page = scheme_context.new_page()
    found = []
    for style in ("csat", "ces"):
        page.goto(widget_site.url + f"ratings/{style}/")
        box = page.locator(".cb-feedback").first
        found += check(page, box, f"{style}-idle")
        box.locator("input[name=value][value=\"2\"]").click()
        found += check(page, box, f"{style}-reasons")
        box.get_by_role("button", name="Send").click()
        wait_for(lambda: box.get_attribute("data-cb-state") == "thanks")
        found += check(page, box, f"{style}-thanks")
    page.goto(widget_site.url + "billing/refunds/")
    box = page.locator(".cb-feedback").first
    scheme_context.set_offline(True)
    box.get_by_role("button", name="Yes").click()
    wait_for(lambda: "offline" in box.locator("[role=status]").inner_text())
    found += check(page, box, "offline-queued")
    scheme_context.set_offline(False)
    assert found == []


def test_no_javascript_states(chromium, widget_site, service):
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run `npm ci --prefix tests` (bash tests/run does)")
    # the dark palette only for the screenshots: without script, nothing here depends on it
    for scheme in ("light", "dark") if os.environ.get("CAREBASE_SHOTS") else ("light",):
        with page_factory(chromium) as make:
            context = make.context(java_script_enabled=False, color_scheme=scheme)
            page = context.new_page()
            page.goto(widget_site.url + "billing/refunds/")
            box = page.locator(".cb-feedback").first
            save_shot(box, f"nojs-idle-{scheme}.png")
            with page.expect_navigation():
                box.get_by_role("button", name="Yes").click()
            assert page.url.endswith("#cb-thanks-article-billing-refunds")
            box = page.locator(".cb-feedback").first
            assert box.get_by_text("Thanks for your feedback!").is_visible()
            save_shot(box, f"nojs-thanks-{scheme}.png")
            # axe needs script: check the same markup with JS on, but without the widget's script
    with page_factory(chromium) as make:
        context = make.context()
        page = context.new_page()
        page.route("**/assets/carebase/feedback.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
        page.goto(widget_site.url + "billing/refunds/#cb-thanks-article-billing-refunds")
        page.evaluate("document.documentElement.classList.remove('cb-js')")  # as without JS
        box = page.locator(".cb-feedback").first
        assert box.get_by_text("Thanks for your feedback!").is_visible()
        assert check_one(page, box, "nojs-axe", "light") == []


def test_keyboard_focus_is_visible(scheme_context, demo_site):
    page = scheme_context.new_page()
    page.goto(demo_site.url + "billing/refunds/")
    material_started(page)
    box = page.locator(".cb-feedback").first
    box.get_by_role("button", name="No").focus()
    page.keyboard.press("Shift+Tab")
    for scheme in ("light", "dark"):  # the dark palette switched on with the focus where it is
        if scheme == "dark":
            switch_palette(page, "dark")
        assert page.evaluate("document.activeElement.textContent") == "Yes", scheme
        style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); "
                              "return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()")
        assert style[0] == "solid" and style[1] >= 2, (scheme, style)
        save_shot(box, f"demo-focus-{scheme}.png")
