"""The Ask box by meaning (the default English install) gives no card when a word the question
hinges on is nowhere in the item (session 45, item 1): "does lumo work with zigbee" showed the
Matter FAQ's "Yes. Lumo supports Matter …" although Zigbee is nowhere in the demo. Headless
Chromium on the run's demo build and the real service (carebase.assist.confidence.HINGE). And on
de/, where the box answers by words, a separated verb's prefix alone makes no card
(carebase.assist.separable)."""

from __future__ import annotations

import httpx
import pytest

from sitesearch_testkit import ASK_STATE, asked_without_card, open_search_page
from web_testkit import describe, material_started, run_axe, save_shot

pytestmark = pytest.mark.browser

@pytest.mark.parametrize("width", [390, 1280])
def test_a_question_on_a_word_no_item_holds_gets_no_card_but_its_results(search_stack, search_page_factory, width):
    question = "does lumo work with zigbee"
    page = search_page_factory(viewport={"width": width, "height": 900})
    asked_without_card(page, search_stack, "search/", question)
    assert page.locator(".cb-ask").get_by_text("Lumo supports Matter").count() == 0
    assert describe(run_axe(page, context="main")) == ""
    said = httpx.get(search_stack.service.url + "/api/v1/answer", params={"q": question},
                     headers={"DNT": "1"}, timeout=30).json()
    assert said["why"].startswith("similarity in meaning") and '"zigbee"' in said["why"], said["why"]
    save_shot(page, f"ask-hinge-zigbee-{width}.png")


def test_a_question_the_item_holds_keeps_its_card(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    open_search_page(page, search_stack.url + "search/?q=does+it+work+with+apple+homekit", engine="api")
    page.wait_for_function(f"() => ({ASK_STATE})() === 'shown'")
    card = page.locator(".cb-ask")
    assert card.get_by_role("link", name="Does Lumo work with Apple Home or Matter?").count() == 1
    assert "Lumo supports Matter" in card.locator(".cb-ask__passage").inner_text()
    save_shot(page, "ask-hinge-homekit-1280.png")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_german_separated_verb_gets_no_refund_card(search_stack, search_page_factory, width):
    """"wie setze ich das thermostat zurück" (*zurücksetzen*) showed the refund FAQ's card on de/search
    (its *zurück* matched "Geld zurück"); the box now reads the prefix with its verb: no card, and
    the results are listed as before (the factory reset article among them)."""
    question = "wie setze ich das thermostat zurück"
    page = search_page_factory(viewport={"width": width, "height": 900})
    asked_without_card(page, search_stack, "de/search/", question)
    assert page.locator(".cb-ask").get_by_text("Jahresabo").count() == 0
    assert page.locator("#cb-results").get_by_role("link", name="Lumo auf Werkseinstellungen zurücksetzen").count() == 1
    assert describe(run_axe(page, context="main")) == ""
    save_shot(page, f"ask-separable-de-{width}.png")


def test_an_everyday_word_the_item_answers_in_other_words_keeps_the_card(search_stack, search_page_factory):
    """"get rid of my account": *rid* is nowhere in the demo, so by session 45's rule it was the word
    the question hinged on and no card was shown, although *Delete your Lumo account* answers it
    (confidence.ANSWERED_IN_MEANING). The home page's box at 1,280 px (light) and the search page
    at 390 px (dark) show that card."""
    question = "get rid of my account"
    home = search_page_factory(viewport={"width": 1280, "height": 900})
    home.goto(search_stack.url, wait_until="load")
    material_started(home)
    home.locator("#cb-q").click()
    home.keyboard.type(question, delay=30)
    home.wait_for_function("() => document.querySelector('form[data-carebase-search=home]').dataset.cbAskState"
                           " === 'shown'")
    card = home.locator(".cb-ask")
    assert card.get_attribute("data-carebase-item") == "article:app-and-account/delete-your-account"
    assert card.get_by_role("link", name="Delete your Lumo account").count() == 1
    home.keyboard.press("Tab")  # to Search: the suggestions close, the answer stays
    assert home.locator("#cb-q").get_attribute("aria-expanded") == "false"
    assert describe(run_axe(home, context=".cb-hero")) == ""
    save_shot(home, "ask-everyday-home-1280.png")
    page = search_page_factory(viewport={"width": 390, "height": 844}, color_scheme="dark")
    open_search_page(page, search_stack.url + "search/?q=" + question.replace(" ", "+"), engine="api")
    page.wait_for_function(f"() => ({ASK_STATE})() === 'shown'")
    card = page.locator(".cb-ask")
    assert card.get_attribute("data-carebase-item") == "article:app-and-account/delete-your-account"
    assert card.locator(".cb-ask__passage").inner_text().strip() != ""
    assert describe(run_axe(page, context="main")) == ""
    save_shot(page, "ask-everyday-search-390-dark.png")
