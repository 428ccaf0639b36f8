"""Search without JavaScript, what the customer sees of it in headless Chromium against the demo
build and the real service (issue 15): the service's search page is light or dark as the
customer's system is, in the site's colours; a shared ``search/?q=…`` link opened without
JavaScript shows its results."""

from __future__ import annotations

import time

import pytest
from sitesearch_testkit import open_search_page, wait_rows
from web_testkit import describe, page_factory, run_axe, save_shot

pytestmark = pytest.mark.browser

RESULTS = "#cb-results .cb-result__link"

#: what a customer sees of the page's colours: the page, the header, the box, the breadcrumb
#: link, the heading, a result's title and its kind badge, the filters, the footer
LOOK = """() => {
  const pick = (sel, props) => { const e = document.querySelector(sel); if (!e) return null;
    const s = getComputedStyle(e); return props.map(p => s[p]).join(' | '); };
  return {
    page: pick('body', ['backgroundColor', 'color', 'colorScheme']),
    header: pick('.md-header', ['backgroundColor', 'color']),
    box: pick('#cb-q', ['backgroundColor', 'color', 'borderTopColor']),
    crumb: pick('.cb-breadcrumbs a', ['color']),
    heading: pick('article h1', ['color']),
    result: pick('#cb-results .cb-result__title', ['color']),
    kind: pick('#cb-results .cb-result__kind', ['color', 'borderTopColor']),
    filter: pick('.cb-results__filter:is([aria-current=page], [aria-pressed=true])', ['backgroundColor', 'color']),
    footer: pick('.md-footer', ['backgroundColor', 'color']),
  };
}"""


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_services_page_without_javascript_follows_the_customers_colour_scheme(search_stack, search_browser, scheme):
    """Fails on the old code (dark): the page was light whatever the customer's setting (white
    page, dark text), since Material's palette script, which picks the palette, does not run on
    it. Its colours are now those of the site's own search page with JavaScript, in both."""
    stack = search_stack
    query = "thermostat offline"
    with page_factory(search_browser) as make:
        site = make(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        open_search_page(site, stack.url + "search/?q=" + query.replace(" ", "+"))
        site.locator(".cb-results__filter[aria-pressed=true]").wait_for()
        site.evaluate("() => document.activeElement && document.activeElement.blur()")  # (the box is focused there)
        expected = site.evaluate(LOOK)
        context = make.context(java_script_enabled=False, color_scheme=scheme, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(stack.service.url + "/search/?q=" + query.replace(" ", "+") + "&from=header", wait_until="load")
        assert page.locator(RESULTS).count() > 0
        seen = page.evaluate(LOOK)
        assert all(expected.values()), expected
        assert seen == expected
        dark = scheme == "dark"
        assert ("dark" in seen["page"]) == dark
        save_shot(page, f"nojs-search-{scheme}-1280.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        save_shot(page, f"nojs-search-{scheme}-390.png", full_page=True)


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 720)])
def test_the_services_search_page_in_dark_has_no_accessibility_violations(search_stack, search_page_factory, width, height):
    page = search_page_factory(viewport={"width": width, "height": height}, bypass_csp=True, color_scheme="dark")
    page.goto(search_stack.service.url + "/search/?q=refnd&from=search-page", wait_until="load")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "auto"
    assert "dark" in page.evaluate("getComputedStyle(document.body).colorScheme")
    page.locator("summary.cb-results__weaker").click()
    found = run_axe(page)
    assert not found, describe(found)


def test_a_shared_search_link_opened_without_javascript_shows_its_results(search_stack, search_browser):
    """Fails on the old code: a ``search/?q=…`` link (copied from the address bar, sent by mail)
    opened without JavaScript showed the site's search page with an empty box: a static page
    cannot read the question. The page links to the service's, which answers it: one click.
    Fails on 416a8db too (fixnav, session 35): a <noscript> refresh went on to the service unasked
    (with the service down, the browser's "can't reach" page instead of the site's browse links)
    and a page-wide <meta name="referrer"> sent the customer's question to every other host the
    page asks (fonts, a CDN): now the link alone carries its referrer policy."""
    stack = search_stack
    query = "reset password"
    with page_factory(search_browser) as make:
        context = make.context(java_script_enabled=False, viewport={"width": 390, "height": 844})
        page = context.new_page()
        wanted = stack.service.url + "/search/?q=reset+password&kind=faq&from=search-page"
        shared = stack.url + "search/?q=reset+password&kind=faq"
        page.goto(shared, wait_until="load")
        page.wait_for_timeout(300)  # (a refresh would have left by now)
        assert page.url == shared
        assert page.locator("meta[name=referrer]").count() == 0
        assert page.locator("meta[http-equiv=refresh]").count() == 0
        link = page.locator("a.cb-search-shared__link")
        assert link.is_visible() and link.inner_text() == "Opened a link with a question? See its results"
        assert link.get_attribute("href") == stack.service.url + "/search/"
        assert link.get_attribute("referrerpolicy") == "no-referrer-when-downgrade"
        with page.expect_navigation(url=lambda url: url.startswith(wanted + "&j=")):  # its journey (contact_page)
            link.click()
        assert page.locator("#cb-q").input_value() == query
        assert page.locator(RESULTS).count() > 0
        kinds = page.locator(f"{RESULTS} .cb-result__kind").evaluate_all("els => els.map(e => e.className)")
        assert all(k.endswith("--faq") for k in kinds), kinds  # the link's filter kept
        assert page.locator("a.cb-results__filter[aria-current=page]").inner_text().startswith("FAQ")
        save_shot(page, "nojs-shared-link-390.png", full_page=True)
        # Back returns to the site's page
        page.go_back(wait_until="load")
        assert page.url == shared
        # the service down: the site's page stays, with its browse links
        page.goto(stack.dead_site.url + "search/?q=reset+password", wait_until="load")
        page.wait_for_timeout(300)
        assert page.url == stack.dead_site.url + "search/?q=reset+password"
        browse = page.locator(".cb-search-browse a")
        assert browse.count() == 3 and browse.first.is_visible()
        assert page.locator("a.cb-search-shared__link").is_visible()
    rows = wait_rows(stack, "search", lambda r: r["query"] == query and r["event_id"].startswith("search-"))
    time.sleep(0.5)
    logged = [r for r in stack.rows("search") if r["query"] == query and r["event_id"].startswith("search-")]
    assert len(logged) == 1 == len(rows) and logged[0]["source"] == "search-page", logged
