"""The site-search tests' way to a page that uses the service (sitesearch_testkit
``open_search_page``): a search page's probe of the service gives up after 3.5 s and the page
answers from the client index; on a loaded machine the run's service (a thread of the worker)
can miss that, so the kit opens the page again. Three attempts were not enough at load ~50 (the
clean-clone CI of 54a663e failed ``test_sitesearch_path_once[api]`` with three fallbacks): the
kit now goes on until ``PATIENCE_S`` have passed, and still fails when the service never answers.

Headless Chromium and the run's demo stack; the probe's failures are made by refusing its
request (``route.abort``), so they cost no wait."""

from __future__ import annotations

import pytest
import sitesearch_testkit
from sitesearch_testkit import open_search_page

pytestmark = pytest.mark.browser

# Global Privacy Control: these searches are not logged (other tests count theirs on the shared stack)
UNLOGGED = "Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})"


def test_a_page_whose_probe_fell_back_more_often_than_the_attempts_is_opened_until_the_service_answers(
        search_stack, search_page_factory):
    page = search_page_factory(init_script=UNLOGGED)
    refused = []

    def probe(route):
        if len(refused) < 4:  # one more than the kit's default attempts
            refused.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.context.route("**/api/v1/search?**", probe)
    open_search_page(page, search_stack.url + "search/?q=refund+annual+plan", "api")
    assert len(refused) == 4
    assert page.evaluate("document.querySelector('.cb-search-results').dataset.cbEngine") == "api"


def test_a_service_that_never_answers_still_fails_naming_each_attempt(search_stack, search_page_factory, monkeypatch):
    monkeypatch.setattr(sitesearch_testkit, "PATIENCE_S", 1.0)
    page = search_page_factory(init_script=UNLOGGED)
    with pytest.raises(AssertionError, match=r"never used the service in \d+ attempts over [0-9.]+ s"
                                             r" \(its search modes: \['index at [0-9.]+ s', 'index at"):
        open_search_page(page, search_stack.dead_site.url + "search/?q=refund+annual+plan", "api")
