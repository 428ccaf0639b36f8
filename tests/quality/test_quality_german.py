"""The demo's German pages read carebase's own texts in German (carebase.strings: the widget,
the search boxes, suggestions and results, the home page) and axe-core finds no violation on
them, light and dark (each page checked in the light palette, then switched on the same
document to the dark one as with the header's toggle: web_testkit.switch_palette)."""

from __future__ import annotations

import pytest

from quality_testkit import describe, run_axe
from web_testkit import material_started, switch_palette

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCHEMES = {"light": ("light", "default"), "dark": ("dark", "slate")}


def open_page(page, url: str):
    page.goto(url, wait_until="load")
    material_started(page)
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES["light"][1]
    return page


def assert_clean(page, what: str) -> None:
    """Every rule in the light palette; then the same document switched to the dark one, the
    rules that depend on colours (web_testkit.COLOUR_RULES: the others gave the same result in
    both palettes); then back to light."""
    violations = run_axe(page)
    assert not violations, f"{what} (light): axe-core found {len(violations)} violation(s):\n{describe(violations)}"
    assert switch_palette(page, "dark") == SCHEMES["dark"][1]
    violations = run_axe(page, colours_only=True)
    assert not violations, f"{what} (dark): axe-core found {len(violations)} violation(s):\n{describe(violations)}"
    switch_palette(page, "light")


def test_german_pages_speak_german_and_are_axe_clean(stack, new_page, axe_js):
    page = new_page(viewport={"width": 1280, "height": 900})
    home = open_page(page, stack.url + "de/")
    assert home.locator("#cb-hero-title").inner_text() == "Wie können wir helfen?"
    assert home.locator("#cb-q").get_attribute("placeholder") == "Beschreiben Sie Ihr Problem"
    assert home.locator(".cb-search__button").inner_text() == "Suchen"
    assert home.locator("#cb-topics").inner_text() == "Themen"
    assert_clean(home, "German home")

    article = open_page(page, stack.url + "de/billing/refunds/")
    widget = article.locator(".cb-feedback").first
    article.wait_for_function("() => document.querySelector('.cb-feedback[data-cb-ready]')")
    assert widget.locator("legend.cb-feedback__question").inner_text().startswith("War das hilfreich?")
    widget.get_by_role("button", name="Nein", exact=True).click()
    assert widget.get_attribute("data-cb-state") == "reasons"
    assert widget.locator(".cb-feedback__reasons legend").inner_text() == "Was war das Problem?"
    assert "Das tut uns leid." in widget.locator(".cb-feedback__status").inner_text()  # the script's text
    # the header box's suggestions: German group names, German "see all"
    article.locator("#cb-header-q").click()
    article.keyboard.type("rückerstattung", delay=30)
    article.locator("[role=option][data-carebase-item]").first.wait_for(timeout=15000)
    assert article.locator(".cb-suggest__group").first.text_content() in ("Artikel", "Fragen", "Videos")
    assert article.locator(".cb-suggest__all").inner_text().endswith("„rückerstattung“ ansehen")
    article.keyboard.press("ArrowDown")
    assert_clean(article, "German article, reasons open, suggestions open")

    search = open_page(page, stack.url + "de/search/?q=rückerstattung")
    status = search.locator(".cb-results__status, [data-cb-search-results] [role=status]").first
    search.wait_for_function("() => /für „rückerstattung“/.test(document.querySelector("
                             "'[data-cb-search-results]').textContent)", timeout=15000)
    assert "Ergebnis" in status.inner_text() or "Ergebnisse" in status.inner_text()
    filters = search.locator(".cb-results__filter").evaluate_all("els => els.map(e => e.firstChild.textContent)")
    assert filters == ["Alle", "Artikel", "FAQ", "Videos"]
    assert_clean(search, "German search results")


def test_the_demos_build_leaves_the_german_word_forms_kept_for_the_runs_german_searches(stack):
    """tests/conftest.py's ``demo_word_forms``: with the demo's build (``stack`` holds it) the run's
    cache keeps the German word forms a German search reads for separated verbs, so no test's first
    German search makes them (~4.3 s of CPU: the German contact form waited 25.7 s for them, loaded,
    and timed out a CI)."""
    from carebase.text import forms
    from carebase.text.analyser import analyser_for

    kept = forms._kept_path(analyser_for("de"), "de", forms._simplemma_file("de"))
    assert kept is not None and kept.is_file(), kept
