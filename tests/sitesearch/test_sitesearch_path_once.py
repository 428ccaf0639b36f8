"""Where a result sits, said once (issue 15, session 37 audit): the demo's billing FAQ page is
titled as its category ("Billing and Lumo Plus"), so every billing question's path read
"Billing and Lumo Plus › Billing and Lumo Plus" in the results (service up and down, without
JavaScript) and in the boxes' suggestions. An FAQ page named as its category is now left out of
the path; an FAQ page with its own name still shows ("Installation and wiring › Thermostat and
installation").

Fails on the old code (headless Chromium, the demo build and service): every path below said the
category twice."""

from __future__ import annotations

import pytest
from sitesearch_testkit import focus_box_with_service, open_search_page
from web_testkit import material_started

pytestmark = pytest.mark.browser

# Global Privacy Control: these searches are not logged (other tests count theirs on the shared stack)
UNLOGGED = "Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})"
BILLING_FAQ = "faq:billing#refund-annual"  # "Can I get a refund for my annual plan?"
PATHS = """(sel) => Object.fromEntries([...document.querySelectorAll(sel)].map(a =>
  [a.dataset.carebaseItem, (a.closest('li').querySelector(':scope > .cb-result__path') || {}).textContent || '']))"""


@pytest.mark.parametrize("engine", ["api", "index"])
def test_a_billing_questions_path_names_its_category_once(search_stack, search_page_factory, engine):
    site = search_stack.url if engine == "api" else search_stack.dead_site.url
    page = search_page_factory(viewport={"width": 1280, "height": 900}, init_script=UNLOGGED)
    open_search_page(page, site + "search/?q=refund+annual+plan", engine)
    paths = page.evaluate(PATHS, "#cb-results a.cb-result__link")
    assert paths.get(BILLING_FAQ) == "Billing and Lumo Plus", paths
    # an FAQ page with a name of its own is still said
    open_search_page(page, site + "search/?q=wifi", engine)
    paths = page.evaluate(PATHS, "#cb-results a.cb-result__link")
    assert paths.get("faq:devices#which-wifi") == "Installation and wiring › Thermostat and installation", paths


def test_without_javascript_a_billing_questions_path_names_its_category_once(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 1280, "height": 900}, java_script_enabled=False,
                               extra_http_headers={"Sec-GPC": "1"})  # not logged
    page.goto(search_stack.service.url + "/search/?q=refund+annual+plan&from=search-page", wait_until="load")
    paths = page.evaluate(PATHS, "#cb-results a.cb-result__link")
    assert paths.get(BILLING_FAQ) == "Billing and Lumo Plus", paths


@pytest.mark.parametrize("service", ["up", "down"])
def test_suggestions_name_a_billing_questions_category_once(search_stack, search_page_factory, service):
    site = search_stack.url if service == "up" else search_stack.dead_site.url
    page = search_page_factory(viewport={"width": 1280, "height": 900}, init_script=UNLOGGED)
    if service == "up":
        focus_box_with_service(page, site)
    else:
        page.goto(site, wait_until="load")
        material_started(page)
        page.locator("#cb-q").click()
    page.locator("#cb-q").press_sequentially("refund", delay=40)
    page.wait_for_function("(e) => { const l = document.querySelector('form[data-cb-combobox] [role=listbox]');"
                           " return l && l.dataset.cbEngine === e && !l.hasAttribute('data-carebase-pending')"
                           " && l.dataset.carebaseQuery === 'refund'; }", arg="api" if service == "up" else "index")
    meta = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
      'form[data-cb-combobox] [role=listbox] [role=option][data-carebase-item]')].map(o =>
      [o.dataset.carebaseItem, (o.querySelector('.cb-suggest__meta') || {}).textContent || '']))""")
    assert meta.get(BILLING_FAQ) == "Billing and Lumo Plus", meta
