"""The contact form keeps its context without JavaScript (issue 15), in headless Chromium with
JavaScript off against the demo build, the real service (SQLite) and a local webhook server.

Every "Contact us" link names the page it was followed from (``?from=/billing/refunds/``) and,
without JavaScript, opens the service's copy of the form (``carebase.service.contact_page``),
which says what the message is about and lists the searches the customer made on the service's
search page without JavaScript (the journey its links carry: ``&j=…``), each a ticked checkbox.
The ticket and the webhook carry the page, the item and the searches left ticked, as the
JavaScript form sends them. A ``from`` naming another site is refused with a note and never
stored; under Do-Not-Track no search is listed or sent.

Fails on the old code: the links had no ``from`` and led to the site's static form, whose
tickets carried the page /contact/, no item and no searches."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from web_testkit import describe, material_started, page_factory, run_axe, save_shot, switch_palette

from carebase.store.schema import contacts

pytestmark = pytest.mark.browser

ARTICLE = "troubleshooting/thermostat-offline/"


def stored(stack, ticket: str) -> dict:
    with stack.service.engine.connect() as connection:
        row = connection.execute(select(contacts).where(contacts.c.ticket == ticket)).first()
    return dict(row._mapping)


def forwarded(webhook, ticket: str) -> dict:
    end = time.monotonic() + 20  # the webhook is sent in the background: wait for this ticket
    while not [body for _, body in webhook.received if body["ticket"] == ticket] and time.monotonic() < end:
        time.sleep(0.05)
    [body] = [body for _, body in webhook.received if body["ticket"] == ticket]
    return body


def search_twice(stack, page, first: str, second: str) -> None:
    """The site's search page's box, then the service page's own box (no JavaScript: the site's
    box asks the service's search page)."""
    page.goto(stack.url + "search/", wait_until="load")
    page.locator("#cb-q").fill(first)
    page.locator("#cb-q").press("Enter")
    page.wait_for_url(stack.service.url + "/search/**")
    page.locator(".cb-result").first.wait_for()
    box = page.locator("#cb-q")
    box.fill(second)
    box.press("Enter")
    page.wait_for_url("**q=" + second.replace(" ", "+") + "*")
    page.locator(".cb-result").first.wait_for()


def past_suggestions(page, button: str = "Send message") -> None:
    """Past "Before you send" (the best matches for the message, when there are any)."""
    page.wait_for_load_state()
    if page.locator("ul.suggestions").count():
        page.get_by_role("button", name=button).click()
        page.wait_for_load_state()


def send(page, name: str, email: str, message: str) -> str:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your email address").fill(email)
    page.get_by_label("How can we help?").fill(message)
    page.get_by_role("button", name="Send message").click()
    past_suggestions(page)
    assert page.locator("h1").inner_text() == "Message sent"
    return page.locator(".ticket").inner_text()


def test_without_javascript_the_ticket_carries_the_page_and_the_journeys_searches(search_stack, search_browser,
                                                                                    webhook):
    stack = search_stack
    with page_factory(search_browser) as make:
        context = make.context(java_script_enabled=False, viewport={"width": 390, "height": 844})
        page = context.new_page()
        search_twice(stack, page, "offline wifi", "router changed")
        journey = parse_qs(urlsplit(page.url).query)["j"][0]
        # the header's and the footer's Contact us links carry the page and the journey too, to
        # the service's copy of the form (the service answered this page)
        assert page.locator("a.cb-header-link").get_attribute("href") == f"../contact/?from=/search/&j={journey}"
        assert page.locator("a.cb-footer__link", has_text="Contact us").get_attribute("href") == (
            f"../contact/?from=/search/&j={journey}")
        page.get_by_role("link", name="Send us a message").click()
        page.wait_for_url(lambda url: url.startswith(stack.service.url + "/contact/?"))
        asked = parse_qs(urlsplit(page.url).query)
        assert asked["from"] == ["/search/"] and asked["j"] == [journey]
        assert page.locator(".cb-contact-about").inner_text() == "About: Search"
        # the customer sees every search that will be sent, each ticked, and can untick any
        boxes = page.get_by_role("group", name="Your recent searches, sent with your message").get_by_role("checkbox")
        assert [boxes.nth(i).get_attribute("value") for i in range(boxes.count())] == ["offline wifi", "router changed"]
        assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
        save_shot(page, "contact-nojs-searches-390.png", full_page=True)
        ticket = send(page, "Bob", "bob@example.com", "My thermostat went offline after the router changed")
    row = stored(stack, ticket)
    assert row["page"] == "/search/" and row["journey"] == journey
    # the Contact link followed is a contact event, as events.js sends it (the report's evidence)
    contacts = [r for r in stack.rows("contact") if r["journey"] == journey]
    assert [(c["channel"], c["query"], c["page"]) for c in contacts] == [("form", "router changed", "/search/")]
    assert json.loads(row["searches"]) == ["offline wifi", "router changed"]
    body = forwarded(webhook, ticket)
    assert body["page"] == "/search/" and body["searches"] == ["offline wifi", "router changed"]


def test_without_javascript_a_contact_link_names_its_page_and_an_unticked_search_is_not_sent(search_stack,
                                                                                          search_browser, webhook):
    stack = search_stack
    with page_factory(search_browser) as make:
        context = make.context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(stack.url + ARTICLE, wait_until="load")
        link = page.get_by_role("link", name="Send us a message")
        assert link.get_attribute("href") == "../../contact/?from=/" + ARTICLE
        link.click()  # the site's own form (static: it opens with the service down too)
        page.wait_for_url(stack.url + "contact/?from=/" + ARTICLE)
        assert page.get_by_role("checkbox").count() == 0  # no search was made: none is listed
        ticket = send(page, "Cy", "cy@example.com", "The thermostat is still offline")
        # searched twice, the second unticked: only the first is sent
        search_twice(stack, page, "schedule", "heating schedule")
        page.get_by_role("link", name="Send us a message").click()
        page.wait_for_url(lambda url: url.startswith(stack.service.url + "/contact/?"))
        page.get_by_role("checkbox", name="heating schedule").uncheck()
        unticked = send(page, "Di", "di@example.com", "How do I copy a schedule to another day?")
    row = stored(stack, ticket)
    assert (row["page"], row["item_id"]) == ("/" + ARTICLE, "article:troubleshooting/thermostat-offline")
    assert json.loads(row["searches"]) == []
    assert any(c["channel"] == "form" and c["item_id"] == "article:troubleshooting/thermostat-offline"
               and c["page"] == "/" + ARTICLE for c in stack.rows("contact"))
    assert json.loads(stored(stack, unticked)["searches"]) == ["schedule"]
    body = forwarded(webhook, ticket)
    assert body["page"] == "/" + ARTICLE and body["item"] == "article:troubleshooting/thermostat-offline"


def test_without_javascript_and_with_the_service_down_contact_us_shows_the_other_ways(search_stack, search_browser):
    """Issue 15: a customer without JavaScript whose help centre's service is down follows
    "Contact us" (the "Still need help?" block's, the header's, the footer's) and reaches the
    site's contact page, which lists the other ways first (email, phone, chat from ``contact:``),
    each a working link, in the site's look, with no accessibility violation, light and dark at
    390 and 1,280 px. Fails on the old code: every Contact link pointed at the service's form, so
    the browser showed its own error page (net::ERR_CONNECTION_REFUSED).

    One page per width serves both palettes: the links are followed in the light one, then the
    same contact page (no script: its palette is the system's, a media query) is checked again in
    the dark one; axe checks every rule in the light palette and the palette's own rules
    (web_testkit.COLOUR_RULES) in the dark one, in the same document switched as the customer's
    toggle does."""
    down = search_stack.dead_site
    contact = down.url + "contact/?from=/" + ARTICLE
    with page_factory(search_browser) as make:
        page = make.context(java_script_enabled=False).new_page()
        checked = make()
        for width, height in ((390, 844), (1280, 900)):
            page.set_viewport_size({"width": width, "height": height})
            for name in ("Send us a message", "header", "footer"):
                page.goto(down.url + ARTICLE, wait_until="load")
                link = {"header": page.locator("a.cb-header-link"),
                        "footer": page.locator("a.cb-footer__link", has_text="Contact us")}.get(
                    name, page.get_by_role("link", name=name))
                if not link.is_visible():  # the header's link is in the drawer at 390 px
                    continue
                link.click()
                page.wait_for_load_state()
                assert page.url == contact, (name, width)
                other_ways_first(page)
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                assert ("dark" in page.evaluate("getComputedStyle(document.body).colorScheme")) == (scheme == "dark")
                other_ways_first(page)
                assert page.locator("article h1").inner_text() == "Contact us"
                assert page.locator("footer.cb-footer").is_visible()
                save_shot(page, f"contact-nojs-service-down-{scheme}-{width}.png", full_page=True)
            checked.set_viewport_size({"width": width, "height": height})
            checked.emulate_media(color_scheme="light")
            checked.goto(contact, wait_until="load")
            found = run_axe(checked)
            assert not found, describe(found)
            switch_palette(checked, "dark")
            found = run_axe(checked, colours_only=True)
            assert not found, describe(found)


def other_ways_first(page) -> None:
    """The contact page lists the other ways (email, phone, chat) as links, above the form."""
    ways = page.get_by_role("region", name="Other ways to reach us")
    assert [a.get_attribute("href") for a in ways.get_by_role("link").all()] == [
        "mailto:support@lumo.example", "tel:+442079460000", "https://lumo.example/chat"]
    # first: above the form
    assert ways.bounding_box()["y"] < page.get_by_label("Your name").bounding_box()["y"]


def test_an_outside_from_is_refused_and_do_not_track_sends_no_search(search_stack, search_browser):
    stack = search_stack
    with page_factory(search_browser) as make:
        context = make.context(java_script_enabled=False, viewport={"width": 390, "height": 844},
                               extra_http_headers={"DNT": "1"})
        page = context.new_page()
        page.goto(stack.service.url + "/contact/?from=https://evil.example/login", wait_until="load")
        assert page.locator(".cb-contact-about").inner_text() == (
            "The link that opened this form named a page outside this help centre, so no page is sent with "
            "your message.")
        assert "evil.example" not in page.content()
        search_twice(stack, page, "refund", "cancel subscription")
        assert "j=" not in page.url  # no journey under Do-Not-Track
        page.get_by_role("link", name="Send us a message").click()
        page.wait_for_url(lambda url: url.startswith(stack.service.url + "/contact/?"))
        assert page.get_by_role("checkbox").count() == 0
        assert page.locator(".cb-contact-searches--off").inner_text() == (
            "Your browser asks sites not to track it: no searches are sent with your message.")
        ticket = send(page, "Eve", "eve@example.com", "Please cancel my plan")
    row = stored(stack, ticket)
    assert json.loads(row["searches"]) == [] and row["journey"] is None and row["client"] is None
    assert not [c for c in stack.rows("contact") if c["query"] in ("refund", "cancel subscription")]  # none under DNT
    assert row["page"] == "/search/"


def test_the_contact_form_without_javascript_has_no_accessibility_violations(search_stack, search_browser):
    """The service's form listing two searches, light and dark at 390 and 1,280 px: no axe
    violation (every rule in the light palette, the palette's own in the dark one:
    web_testkit.COLOUR_RULES). The searches are made once; each size and palette opens the form
    they lead to."""
    stack = search_stack
    with page_factory(search_browser) as make:
        context = make.context(java_script_enabled=False, viewport={"width": 390, "height": 844})
        page = context.new_page()
        search_twice(stack, page, "offline wifi", "router changed")
        page.get_by_role("link", name="Send us a message").click()
        page.wait_for_url(lambda url: url.startswith(stack.service.url + "/contact/?"))
        url = page.url
        checked = make(bypass_csp=True)
        for width, height in ((390, 844), (1280, 900)):
            page.set_viewport_size({"width": width, "height": height})
            checked.set_viewport_size({"width": width, "height": height})
            page.goto(url, wait_until="load")
            assert page.get_by_role("checkbox").count() == 2
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                assert ("dark" in page.evaluate("getComputedStyle(document.body).colorScheme")) == (scheme == "dark")
                save_shot(page, f"contact-nojs-{scheme}-{width}.png", full_page=True)
                checked.emulate_media(color_scheme=scheme)
                checked.goto(url, wait_until="load")  # (the same page, with the scripts axe needs)
                found = run_axe(checked, colours_only=scheme == "dark")
                assert not found, (width, scheme, describe(found))


def test_with_javascript_the_contact_link_opens_the_sites_form_and_names_the_page(search_stack, search_page_factory):
    page = search_page_factory(viewport={"width": 1280, "height": 900})
    page.goto(search_stack.url + ARTICLE, wait_until="load")
    material_started(page)
    assert page.locator("a.cb-header-link").get_attribute("href") == "../../contact/?from=/" + ARTICLE
    assert page.locator("a.cb-footer__link", has_text="Contact us").get_attribute("href") == (
        "../../contact/?from=/" + ARTICLE)
    link = page.get_by_role("link", name="Send us a message")
    assert link.get_attribute("href") == "../../contact/?from=/" + ARTICLE
    link.click()
    page.wait_for_url(search_stack.url + "contact/?from=/" + ARTICLE)


def test_without_javascript_the_form_suggests_items_before_sending_and_the_ticket_says_which_was_opened(
        search_stack, search_browser, webhook):
    """The last-chance deflection without JavaScript: the service answers the form first with the
    three best items for the message ("Before you send"), each opened through the service (a
    ``click`` of source ``contact-form``, as contact.js logs it) to the item's page; back, "Send
    message" sends the message unchanged, with the suggestions shown and the one opened. Fails on
    the old code: the form was sent at once, with no suggestion and nothing opened."""
    stack = search_stack
    with page_factory(search_browser) as make:
        context = make.context(java_script_enabled=False, viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(stack.url + ARTICLE, wait_until="load")
        page.get_by_role("link", name="Send us a message").click()
        page.wait_for_url(stack.url + "contact/?from=/" + ARTICLE)  # the site's form; it posts to the service
        page.get_by_label("Your name").fill("Fay")
        page.get_by_label("Your email address").fill("fay@example.com")
        page.get_by_label("How can we help?").fill("My thermostat is offline since the router changed")
        page.get_by_role("button", name="Send message").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Before you send: these may answer your question"
        links = page.locator("ul.suggestions a")
        assert 1 <= links.count() <= 3
        titles = links.all_inner_texts()
        assert len(set(titles)) == len(titles)  # an item once
        save_shot(page, "contact-nojs-before-you-send-390.png", full_page=True)
        chosen = links.nth(links.count() - 1)
        name = chosen.inner_text()
        chosen.click()
        page.wait_for_url(lambda url: url.startswith(stack.url))  # the item's page, on the site
        assert name.startswith(page.locator("article h1").inner_text())  # (a video's chapter: "Video: chapter")
        page.go_back()
        page.get_by_role("button", name="Send message").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Message sent"
        ticket = page.locator(".ticket").inner_text()
    row = stored(stack, ticket)
    suggested = json.loads(row["suggested"])
    assert len(suggested) == len(titles) and row["opened"] == suggested[-1]  # the one clicked: the last
    assert row["message"] == "My thermostat is offline since the router changed"
    assert (row["page"], row["item_id"]) == ("/" + ARTICLE, "article:troubleshooting/thermostat-offline")
    clicks = [r for r in stack.rows("click") if r["source"] == "contact-form" and r["item_id"] == row["opened"]]
    assert clicks and clicks[-1]["rank"] == len(titles)
    body = forwarded(webhook, ticket)
    assert body["opened"] == row["opened"] and body["suggested"] == suggested


def in_the_sites_look(page, heading: str) -> None:
    """The page has the help centre's header (its name, its search box) and footer around
    ``heading``, and it is not the plain page (issue 15: "Before you send" and "Message sent"
    without JavaScript had no site header, footer or search box)."""
    assert page.locator("article h1").inner_text() == heading
    assert page.locator("header.md-header").is_visible()
    assert page.locator(".md-header__topic").first.inner_text().strip() == "Lumo Help Centre"
    assert page.locator("footer.cb-footer").is_visible()
    assert page.locator("form[role=search] input[name=q]").count() >= 1  # the header's search box
    assert page.locator("a.cb-footer__link", has_text="Contact us").count() == 1
    assert page.title() == heading + " - Lumo Help Centre"


@pytest.mark.parametrize("width,height", [(390, 844), (1280, 900)])
def test_before_you_send_and_message_sent_without_javascript_are_in_the_sites_look(search_stack, search_browser,
                                                                                   width, height):
    """Without JavaScript, "Before you send" and "Message sent" are the help centre's pages (its
    header with the search box, breadcrumbs, footer; light or dark as the system is), with no
    accessibility violation at 390 and 1,280 px (every rule in the light palette, the palette's
    own in the dark one: web_testkit.COLOUR_RULES). Both palettes are checked on the same page
    (no script: the palette is a media query). Fails on the old code: both were plain pages with
    no header, footer or search box."""
    stack = search_stack
    with page_factory(search_browser) as make:
        context = make.context(java_script_enabled=False, viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(stack.service.url + "/contact/?from=/" + ARTICLE, wait_until="load")
        page.get_by_label("Your name").fill("Gil")
        page.get_by_label("Your email address").fill("gil@example.com")
        page.get_by_label("How can we help?").fill(f"How do I get a refund for my subscription? ({width})")
        page.get_by_role("button", name="Send message").click()
        page.wait_for_load_state()
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            in_the_sites_look(page, "Before you send: these may answer your question")
            assert page.locator("ul.suggestions a").count() >= 1
            assert ("dark" in page.evaluate("getComputedStyle(document.body).colorScheme")) == (scheme == "dark")
            save_shot(page, f"contact-nojs-before-you-send-{scheme}-{width}.png", full_page=True)
        html_before = page.content()
        page.get_by_role("button", name="Send message").click()
        page.wait_for_load_state()
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            in_the_sites_look(page, "Message sent")
            assert ("dark" in page.evaluate("getComputedStyle(document.body).colorScheme")) == (scheme == "dark")
            save_shot(page, f"contact-nojs-sent-{scheme}-{width}.png", full_page=True)
        assert page.locator(".ticket").inner_text().startswith("CB-")
        html_sent = page.content()
        # axe needs its script: the same pages (no script of their own) in a page that runs it
        checked = make(viewport={"width": width, "height": height}, bypass_csp=True)
        checked.goto(stack.service.url + "/healthz")
        for scheme in ("light", "dark"):
            checked.emulate_media(color_scheme=scheme)
            for html_text in (html_before, html_sent):
                checked.set_content(html_text, wait_until="load")
                found = run_axe(checked, colours_only=scheme == "dark")
                assert not found, (scheme, describe(found))
