"""The page "No" opens without JavaScript, on the run's demo stack (the service reads the build
output: the help centre's templates), is in the help centre's look: its header, its footer, the
page's language (test_widget_nojs_no_browser.py checks the flow and what is stored)."""

from __future__ import annotations

import pytest

from web_testkit import page_factory, save_shot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path, title, send", [("troubleshooting/thermostat-offline/", "Sorry this didn't help", "Send"),
                                               ("de/billing/refunds/", "Schade, dass das nicht geholfen hat", "Senden")])
def test_the_reasons_page_is_in_the_help_centres_look_and_language(search_stack, search_browser, path, title, send):
    with page_factory(search_browser) as make:
        page = make.context(java_script_enabled=False, viewport={"width": 390, "height": 844}).new_page()
        page.goto(search_stack.url + path, wait_until="load")
        with page.expect_navigation():
            page.locator(".cb-feedback").first.locator("button[data-cb-vote='0']").click()
        assert page.locator("h1").inner_text() == title
        assert page.locator(".md-header").count() == 1 and page.locator("footer").count() >= 1
        assert page.get_by_role("button", name=send).is_visible()
        save_shot(page, f"nojs-why-look-{path.split('/')[0]}-390.png", full_page=True)
