"""The Ask box answers only on strong evidence, in headless Chromium on the run's demo build and
the real service (session 41's audit: on de/, where answers go by words, 4 of 5 questions got
the wrong item on one shared word: "thermostat einbauen" → *Gilt ein Abo für mehrere
Thermostate?*). By words, a word weighs by how few items hold it, and the item must be about a
word of the question (its title, keywords or tags): carebase.assist.confidence, for every
language."""

from __future__ import annotations

import pytest

from sitesearch_testkit import ASK_STATE, asked_without_card, open_search_page, wait_rows
from web_testkit import describe, run_axe, save_shot

pytestmark = pytest.mark.browser

SHOWN = ASK_STATE


@pytest.mark.parametrize("question", ["thermostat einbauen", "thermostat wechseln", "heizung geht nicht"])
def test_a_german_question_sharing_one_common_word_with_an_item_gets_no_answer(search_stack, search_page_factory,
                                                                              question):
    """Fails on 4cd1955: a card with *Gilt ein Abo für mehrere Thermostate?*, *Warum bläst meine
    Wärmepumpe kalte Luft …* and *Warnung „Akku schwach“*."""
    page = search_page_factory(viewport={"width": 390, "height": 844})
    open_search_page(page, search_stack.url + "de/search/?q=" + question.replace(" ", "+"), engine="api")
    page.wait_for_function(f"() => ({SHOWN})() === 'none'")
    rows = wait_rows(search_stack, "ask", lambda r: r["query"] == question)
    assert rows and all(r["value"] == 0 and r["item_id"] is None for r in rows), rows
    assert page.locator(".cb-ask .cb-ask__passage").count() == 0
    save_shot(page, f"ask-evidence-{question.replace(' ', '-')}-390.png")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_german_question_an_item_is_about_still_gets_its_answer(search_stack, search_page_factory, width):
    page = search_page_factory(viewport={"width": width, "height": 900})
    open_search_page(page, search_stack.url + "de/search/?q=thermostat+installieren", engine="api")
    page.wait_for_function(f"() => ({SHOWN})() === 'shown'")
    assert page.locator(".cb-ask").get_by_role("link", name="Kann ich Lumo selbst installieren?").count() == 1
    save_shot(page, f"ask-evidence-installieren-{width}.png")


@pytest.mark.parametrize("question, near_miss, why", [
    ("thermostat zeigt nichts an", "Warum hält sich Lumo nicht an meinen Zeitplan?", "almost as well"),
    # a weaker match (listed after the one strong one) scores more by words
    ("thermostat ist offline", "Funktioniert Lumo ohne Internet?", "as well or better"),
])
@pytest.mark.parametrize("width", [390, 1280])
def test_a_german_question_two_items_match_alike_gets_no_answer(search_stack, search_page_factory, question,
                                                                near_miss, why, width):
    """By words a card needs its item to lead search's next one (confidence.LEAD): nothing on the
    demo's German pages answers these questions, and the item the old rule put in a card scores
    alike with others (fails on aa9de12: a card with the ``near_miss`` FAQ). The results are still
    listed."""
    page = search_page_factory(viewport={"width": width, "height": 900})
    asked_without_card(page, search_stack, "de/search/", question)
    assert page.locator(".cb-ask").get_by_role("link", name=near_miss).count() == 0
    assert describe(run_axe(page, context="main")) == ""
    import httpx

    said = httpx.get(search_stack.service.url + "/api/v1/answer", params={"q": question, "lang": "de"},
                     headers={"DNT": "1"}, timeout=30).json()
    assert not said["answered"] and f"but the next item matches {why} (its score " in said["why"], said["why"]
    save_shot(page, f"ask-lead-{question.replace(' ', '-')}-{width}.png")
