"""The contact form's endpoints through a real ``carebase service`` process: a ticket stored
with its context and answered with its reference (JSON and no-JS form), the same Origin and
field rules as the events API, masking, one ticket per retried request, the export, and the
webhook: a local HTTP server that fails first receives the ticket after a retry, while the
customer's request never waits for it."""

from __future__ import annotations

import json
import re
import time

import pytest
from service_testkit import NO_LEARNING, SITE, TOKEN, new_id, post_events
from sqlalchemy import select

from carebase.store.engine import open_engine
from carebase.store.schema import contacts
from web_testkit import WebhookServer

MESSAGE = {"name": "Ada Lovelace", "email": "ada@example.com",
           "message": "My refund never came. Card 4111 1111 1111 1111, call me on +44 20 7946 0958."}


def tickets(service) -> list[dict]:
    engine = open_engine(service.db_url)
    with engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(select(contacts).order_by(contacts.c.received_ms))]
    engine.dispose()
    return rows


def post(service, body, **headers):
    return service.client.post("/api/v1/contact", content=json.dumps(body),
                               headers={"Content-Type": "text/plain", "Origin": SITE, **headers})


def test_a_message_becomes_a_ticket_with_its_context(service):
    body = {**MESSAGE, "id": "contact-test-0001", "page": "/billing/refunds/?q=x#top", "item": "article:old/refunds",
            "searches": ["refund late", "money back jane@example.com"], "suggested": ["article:billing/refunds"],
            "opened": "article:billing/refunds", "journey": "j-contact-1"}
    answer = post(service, body)
    assert answer.status_code == 201, answer.text
    ticket = answer.json()["ticket"]
    assert re.fullmatch(r"CB-[A-Z2-9]{4}-[A-Z2-9]{4}", ticket) and answer.json()["forwarded"] is False
    again = post(service, body)  # a retry (same id) is the same ticket
    assert again.json()["ticket"] == ticket
    row = next(r for r in tickets(service) if r["ticket"] == ticket)
    assert row["page"] == "/billing/refunds/" and row["item_id"] == "article:billing/refunds"  # alias resolved
    assert json.loads(row["searches"]) == ["refund late", "money back [email]"]
    assert row["opened"] == "article:billing/refunds" and row["journey"] == "j-contact-1"
    assert "[card]" in row["message"] and "+44 20 7946 0958" in row["message"]  # default mask: payment only
    assert row["email"] == "ada@example.com" and row["forward_state"] == "none"
    export = service.client.get("/api/v1/contacts", headers={"Authorization": f"Bearer {TOKEN}"})
    lines = [json.loads(line) for line in export.text.splitlines()]
    assert any(x["ticket"] == ticket and x["searches"] == ["refund late", "money back [email]"] for x in lines)
    assert service.client.get("/api/v1/contacts").status_code == 401


def test_a_ticket_carries_its_client_hash_with_the_salts_epoch_as_events_do(service):
    """The reader's finding 9 (session 41): a ticket's client hash proves a client only with the
    epoch of the salt it was made with. Fails on 5d35a91 (no epoch on tickets)."""
    event = {"id": new_id("v"), "type": "vote", "item": "video:setup-basics", "value": 1}
    assert post_events(service, [event], Origin=SITE).status_code == 200
    answer = post(service, {**MESSAGE, "id": "contact-epoch-0001"})
    row = next(r for r in tickets(service) if r["ticket"] == answer.json()["ticket"])
    vote = service.rows([event["id"]])[event["id"]]
    assert vote["client_epoch"] and (row["client"], row["client_epoch"]) == (vote["client"], vote["client_epoch"])


@pytest.mark.parametrize("body, field", [
    ({**MESSAGE, "email": "not-an-address"}, "email"),
    ({**MESSAGE, "message": "   "}, "message"),
    ({**MESSAGE, "name": "x" * 101}, "name"),
    ({**MESSAGE, "searches": [1, 2]}, "searches"),
    ({**MESSAGE, "id": "bad id!"}, "id"),
    ({**MESSAGE, "page": "https://evil.example/login"}, "page"),  # another site's address: never stored
    ({**MESSAGE, "page": "javascript:alert(1)"}, "page"),
])
def test_a_bad_field_is_a_400_naming_it_and_nothing_is_stored(service, body, field):
    before = len(tickets(service))
    answer = post(service, body)
    assert answer.status_code == 400 and answer.json()["field"] == field, answer.text
    assert len(tickets(service)) == before


@pytest.mark.parametrize("page", ["//billing/refunds/", "//evil.example/login", "/billing\\refunds/",
                                  "/billing/" + "r" * 2500])
def test_a_message_whose_page_is_not_a_help_centre_path_is_kept_without_it(service, page):
    """contact.js sends the earlier page's path (``location.pathname``): a 404 at ``//billing``, a
    backslash or a very long path is not a help-centre page. Fails on the old code: a 400 naming
    ``page``, which the form has no box for, so the customer could not send at all."""
    answer = post(service, {**MESSAGE, "message": f"Kept without its page {page[:20]!r}", "page": page})
    assert answer.status_code == 201, answer.text
    row = next(r for r in tickets(service) if r["ticket"] == answer.json()["ticket"])
    assert row["page"] is None and row["message"].startswith("Kept without its page")


def test_foreign_origin_and_unknown_item_are_refused(service):
    assert post(service, MESSAGE, Origin="https://evil.example").status_code == 403
    assert post(service, {**MESSAGE, "item": "article:nope"}).status_code == 422


def test_do_not_track_keeps_no_journey_searches_or_client(service):
    answer = post(service, {**MESSAGE, "id": "contact-dnt-0001", "searches": ["refund"], "journey": "j-dnt"}, DNT="1")
    row = next(r for r in tickets(service) if r["ticket"] == answer.json()["ticket"])
    assert (row["journey"], json.loads(row["searches"]), row["client"], row["client_epoch"]) == (None, [], None, None)


def test_the_form_without_javascript_answers_a_page_with_the_ticket(service):
    form = {"name": "Bob", "email": "bob@example.com", "message": "My screen is blank <b>help</b>",
            "page": "/contact/", "return_to": f"{SITE}/contact/", "searches": "blank screen\nno power"}
    answer = service.client.post("/contact", data=form, headers={"Origin": SITE})
    assert answer.status_code == 201 and answer.headers["content-type"].startswith("text/html")
    ticket = re.search(r'class="ticket">(CB-[A-Z0-9-]+)<', answer.text).group(1)
    assert f'href="{SITE}/contact/"' in answer.text and "Bob" in answer.text
    twice = service.client.post("/contact", data=form, headers={"Origin": SITE})  # a re-post: one ticket
    assert ticket in twice.text
    row = next(r for r in tickets(service) if r["ticket"] == ticket)
    assert row["message"] == "My screen is blank <b>help</b>" and json.loads(row["searches"]) == ["blank screen", "no power"]
    bad = service.client.post("/contact", data={**form, "email": ""}, headers={"Origin": SITE})
    assert bad.status_code == 400 and "email" in bad.text and "<b>" not in bad.text
    # every field to fix at once, in the customer's words (before: "name: required, found nothing" only)
    bad = service.client.post("/contact", data={**form, "name": " ", "email": "bob at example", "message": ""},
                              headers={"Origin": SITE})
    assert bad.status_code == 400 and f'href="{SITE}/contact/"' in bad.text
    assert [li for li in re.findall(r"<li>([^<]*)</li>", bad.text)] == [
        "Please tell us your name.", "Please give an email address we can answer, such as name@example.com.",
        "Please write your message."]
    assert service.client.post("/contact", data=form, headers={"Origin": "https://evil.example"}).status_code == 403
    trap = service.client.post("/contact", data={**form, "message": "spam", "website": "x"}, headers={"Origin": SITE})
    assert trap.status_code == 200 and not any(r["message"] == "spam" for r in tickets(service))


def test_the_webhook_receives_the_ticket_after_a_failure_without_holding_the_request(start_service):
    hook = WebhookServer(fail=1, hold=True)  # the webhook hangs until released
    service = start_service("--rate-limit", "0", *NO_LEARNING, "--contact-webhook", hook.url,
                            "--contact-webhook-secret", "hook-secret", "--contact-mask", "all")
    answer = post(service, {**MESSAGE, "id": "contact-hook-0001"})
    assert answer.status_code == 201 and answer.json()["forwarded"] is True
    assert hook.arrived.wait(60) and not hook.received  # answered while the webhook still hangs
    hook.release.set()
    received = hook.wait(2, timeout=60)  # the retry comes 2 s after the failure (RETRY_PAUSES_S)
    assert len(received) == 2, "the failed first delivery was not retried"
    headers, payload = received[-1]
    assert payload["ticket"] == answer.json()["ticket"] and payload["email"] == "ada@example.com"
    assert "[phone]" in payload["message"] and "[card]" in payload["message"]  # --contact-mask all
    assert headers["Content-Type"] == "application/json" and headers["X-Carebase-Signature"].startswith("sha256=")
    deadline = time.monotonic() + 60
    while (row := tickets(service)[-1])["forward_state"] != "sent" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (row["forward_state"], row["forward_attempts"]) == ("sent", 2)
    hook.close()


def test_the_form_without_javascript_names_the_page_and_lists_this_journeys_searches_only(service):
    """The service's copy of the form (GET /contact/, issue 15): "About" the page the Contact link
    named, and the searches of the journey the search page without JavaScript gave its links
    (``j``), of this client only, masked as stored, each a ticked checkbox; posted, the ticked ones
    are the ticket's. Fails on the old code: there was no such page (404) and no journey."""
    from sqlalchemy import insert

    from carebase.store.schema import events

    navigate = {"Sec-Fetch-Dest": "document", "Referer": SITE + "/"}
    first = service.client.get("/search/", params={"q": "refund", "from": "header"}, headers=navigate)
    assert first.status_code == 303 and "&j=" in first.headers["location"]  # the journey, in the address
    journey = re.search(r"[?&]j=([A-Za-z0-9_-]+)", first.headers["location"]).group(1)
    assert service.client.get(first.headers["location"], headers=navigate).status_code == 200
    again = service.client.get("/search/", params={"q": "money back jane@example.com", "from": "search-page", "j": journey},
                               headers={**navigate, "Referer": service.url + "/search/"})
    assert again.status_code == 200 and f'name="j" value="{journey}"' in again.text  # its box carries the journey on
    # a search of the same journey id from another client is not this customer's
    engine = open_engine(service.db_url)
    with engine.begin() as connection:
        connection.execute(insert(events).values(event_id="other-client-1", type="search", query="someone else",
                                                 received_ms=int(time.time() * 1000), journey=journey,
                                                 client="0" * 16))
    engine.dispose()
    form = service.client.get("/contact/", params={"from": "/billing/refunds/", "j": journey})
    assert form.status_code == 200 and form.headers["content-security-policy"].startswith("script-src 'none'")
    boxes = re.findall(r'<input type="checkbox" name="searches" value="([^"]*)" checked>', form.text)
    assert boxes == ["refund", "money back [email]"] and "someone else" not in form.text
    assert '<input type="hidden" name="page" value="/billing/refunds/">' in form.text
    assert '<input type="hidden" name="item" value="article:billing/refunds">' in form.text
    assert "About: " in form.text
    # a made-up journey, and Do-Not-Track: nothing listed
    assert "checkbox" not in service.client.get("/contact/", params={"j": "x" * 22}).text
    dnt = service.client.get("/contact/", params={"j": journey}, headers={"DNT": "1"}).text
    assert "checkbox" not in dnt and "no searches are sent" in dnt
    # another site's address, or one that only looks like a path: refused, said, never echoed
    for outside in ("https://evil.example/login", "//evil.example/login", "/%2Fevil.example", "javascript:alert(1)"):
        refused = service.client.get("/contact/", params={"from": outside}).text
        assert "outside this help centre" in refused and "evil.example" not in refused and "alert" not in refused
    # posted with one search unticked: the ticked one is the ticket's
    sent = service.client.post("/contact", headers={"Origin": service.url}, data={
        "name": "Bob", "email": "bob@example.com", "message": "Where is my refund?", "page": "/billing/refunds/",
        "item": "article:billing/refunds", "journey": journey, "searches": ["refund"]})
    assert sent.status_code == 201, sent.text
    ticket = re.search(r'class="ticket">(CB-[A-Z0-9-]+)<', sent.text).group(1)
    row = next(r for r in tickets(service) if r["ticket"] == ticket)
    assert (row["page"], row["item_id"], row["journey"]) == ("/billing/refunds/", "article:billing/refunds", journey)
    assert json.loads(row["searches"]) == ["refund"]
    bad = service.client.post("/contact", headers={"Origin": service.url}, data={
        "name": "Bob", "email": "bob@example.com", "message": "Where is my refund?", "page": "https://evil.example/"})
    assert bad.status_code == 400 and "page: expected a page of this help centre" in bad.text


def test_the_form_without_javascript_suggests_items_first_and_the_ticket_says_which_was_opened(service):
    """"Before you send" without JavaScript (``step=check``): the best items for the message, each
    opened through ``GET /contact/open`` (a contact-form click, then the item's page from the
    manifest: never an address from the request); ``step=send`` stores the suggestions and the one
    opened. Fails on the old code: the form was stored at once, with no suggestion."""
    form = {"name": "Ann", "email": "ann@example.com", "message": "How do I get a refund?", "lang": "en",
            "page": "/billing/refunds/", "step": "check"}
    check = service.client.post("/contact", data=form, headers={"Origin": service.url})
    assert check.status_code == 200 and "no-store" not in check.headers["cache-control"]
    links = re.findall(r'<a href="contact/open\?([^"]+)">', check.text)
    assert 1 <= len(links) <= 3, check.text
    fields = dict(re.findall(r'<input type="hidden" name="(draft|step)" value="([^"]*)">', check.text))
    assert fields["step"] == "send" and re.fullmatch(r"[A-Za-z0-9_-]{22}", fields["draft"])
    suggested = re.findall(r'<input type="hidden" name="suggested" value="([^"]*)">', check.text)
    assert len(suggested) == len(links) and not any(t["message"] == "How do I get a refund?" for t in tickets(service))
    first = links[0].replace("&amp;", "&")
    opened = service.client.get("/contact/open?" + first,
                                headers={"Referer": service.url + "/contact", "Sec-Fetch-Dest": "document"})
    assert opened.status_code == 303
    assert opened.headers["location"].split("#")[0].endswith("/")  # the item's page (its manifest URL)
    assert service.client.get("/contact/open", params={"d": fields["draft"], "item": "https://evil.example/"}).status_code == 404
    sent = service.client.post("/contact", headers={"Origin": service.url}, data={
        **form, "step": "send", "draft": fields["draft"], "suggested": suggested})
    assert sent.status_code == 201, sent.text
    ticket = re.search(r'class="ticket">(CB-[A-Z0-9-]+)<', sent.text).group(1)
    row = next(r for r in tickets(service) if r["ticket"] == ticket)
    assert json.loads(row["suggested"]) == suggested and row["opened"] == suggested[0]


def test_a_message_shorter_than_the_forms_minimum_is_sent_without_before_you_send(service):
    """contact.js suggests nothing for a message under 12 characters (MIN); the form without
    JavaScript follows the same rule. Fails on the old code: "Refund?" got "Before you send"."""
    form = {"name": "Cy", "email": "cy@example.com", "message": "Refund?", "lang": "en",
            "page": "/billing/refunds/", "step": "check"}
    sent = service.client.post("/contact", data=form, headers={"Origin": service.url})
    assert sent.status_code == 201 and "contact/open" not in sent.text, sent.text
    assert any(t["message"] == "Refund?" for t in tickets(service))
    longer = service.client.post("/contact", data={**form, "message": "Refund please?"}, headers={"Origin": service.url})
    assert longer.status_code == 200 and "contact/open" in longer.text


def test_the_sites_form_is_told_the_searches_as_the_ticket_will_store_them(service):
    """``POST /api/v1/contact/searches`` (contact.js lists the journey's searches before sending):
    the last 5, masked as ``POST /api/v1/contact`` stores them; nothing stored; none under DNT;
    another site's page refused. Fails on the old code: no such endpoint (404)."""
    searches = ["a", "b", "refund", "money back ann@example.com", "card 4111 1111 1111 1111", "heating\nschedule"]
    before = len(tickets(service))
    answer = service.client.post("/api/v1/contact/searches", content=json.dumps({"searches": searches}),
                                 headers={"Content-Type": "text/plain", "Origin": SITE})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"searches": ["refund", "money back [email]", "card [card]", "heating", "schedule"]}
    sent = post(service, {**MESSAGE, "searches": searches})
    row = next(r for r in tickets(service) if r["ticket"] == sent.json()["ticket"])
    assert json.loads(row["searches"]) == answer.json()["searches"]  # what the form showed is what is stored
    assert len(tickets(service)) == before + 1
    dnt = service.client.post("/api/v1/contact/searches", content=json.dumps({"searches": searches}),
                              headers={"Content-Type": "text/plain", "Origin": SITE, "DNT": "1"})
    assert dnt.json() == {"searches": []}
    foreign = service.client.post("/api/v1/contact/searches", content=json.dumps({"searches": searches}),
                                  headers={"Content-Type": "text/plain", "Origin": "https://evil.example"})
    assert foreign.status_code == 403
    bad = service.client.post("/api/v1/contact/searches", content=json.dumps({"searches": [1, 2]}),
                              headers={"Content-Type": "text/plain", "Origin": SITE})
    assert bad.status_code == 400 and bad.json()["field"] == "searches"


def test_the_sites_form_without_javascript_is_sent_with_the_page_its_address_names(service):
    """Every Contact link opens the site's own form (``contact/?from=/billing/refunds/``, static:
    it opens with the service down too); without JavaScript its form posts ``page=/contact/`` and
    the page's address arrives as the ``Referer``: the ticket gets that page and its item, and the
    contact is logged as following a Contact link to the service's form logs it. Another site's
    Referer, or a ``from`` outside the help centre, changes nothing. Fails on the old code: the
    ticket's page was /contact/, with no item."""
    from carebase.store.schema import events

    form = {"name": "Ida", "email": "ida@example.com", "message": "Where is my refund?", "page": "/contact/",
            "item": "", "lang": "en"}

    def sent(referer: str) -> dict:
        answer = service.client.post("/contact", data={**form, "message": f"Where is my refund? {referer}"},
                                     headers={"Origin": SITE, "Referer": referer})
        assert answer.status_code == 201, answer.text
        ticket = re.search(r'class="ticket">(CB-[A-Z0-9-]+)<', answer.text).group(1)
        return next(r for r in tickets(service) if r["ticket"] == ticket)

    row = sent(SITE + "/contact/?from=/billing/refunds/")
    assert (row["page"], row["item_id"]) == ("/billing/refunds/", "article:billing/refunds")
    engine = open_engine(service.db_url)
    with engine.connect() as connection:
        logged = [dict(r._mapping) for r in connection.execute(select(events).where(events.c.type == "contact"))]
    engine.dispose()
    assert [(e["channel"], e["page"], e["item_id"]) for e in logged if e["page"] == "/billing/refunds/"] == [
        ("form", "/billing/refunds/", "article:billing/refunds")]
    for referer in ("https://evil.example/contact/?from=/billing/refunds/", SITE + "/contact/?from=//evil.example/x",
                    SITE + "/billing/refunds/?from=/billing/refunds/"):
        row = sent(referer)
        assert (row["page"], row["item_id"]) == ("/contact/", None), referer


#: (what a customer typed, what is stored of it in a search, in a contact message: the service's
#: default --contact-mask payment keeps the e-mail address and phone number asked to be reached at)
MASKER_EDGES = [
    ("card 4111-111111111111 declined", "card [card] declined", "card [card] declined"),
    ("refund card4111111111111111x", "refund card[card]x", "refund card[card]x"),
    ("amex 3782.822463.10005 twice", "amex [card] twice", "amex [card] twice"),
    ("card 41111111111111111227 cvv", "card [card] cvv", "card [card] cvv"),
    ("iban NO93 8601 1117 947 pls", "iban [iban] pls", "iban [iban] pls"),
    ("iban: mt84malt011000012345mtlcast001s", "iban: [iban]", "iban: [iban]"),
    ("iban DE89-3704-0044-0532-0130-00 ok", "iban [iban] ok", "iban [iban] ok"),
    ("parcel 9400100000000000000000 lost", "parcel 9400100000000000000000 lost", "parcel 9400100000000000000000 lost"),
    ("parcel 9400 1000 0000 0000 0000 00", "parcel 9400 1000 0000 0000 0000 00", "parcel 9400 1000 0000 0000 0000 00"),
    ("order 302-4512345-6789012 late", "order 302-4512345-6789012 late", "order 302-4512345-6789012 late"),
    ("sim 8944122334455667789 blocked", "sim 8944122334455667789 blocked", "sim 8944122334455667789 blocked"),
    ("event ev-6065271660174c9198dd", "event ev-6065271660174c9198dd", "event ev-6065271660174c9198dd"),
    ("call +44 20 7946 0958", "call [phone]", "call +44 20 7946 0958"),
    ("mail jane@example.com", "mail [email]", "mail jane@example.com"),
]


def test_what_the_masker_stores_of_cards_ibans_references_phones_and_emails(service):
    """Each case as a search and in a contact message, read back from the SQLite store. Fails on
    the old masker (a6d1e44): a card grouped 4-12 or glued between letters and an IBAN in fours
    joined by "-" were stored readable in both, a card glued to its expiry date readable in the message; a search's 22-digit tracking
    number (whole or in fours) became ``[number]`` and a SIM card's number (19 digits, Luhn-valid: no card network
    starts with 89) ``[card]``."""
    searches = [{"id": new_id("edge"), "type": "search", "query": typed, "results": 0} for typed, _, _ in MASKER_EDGES]
    assert post_events(service, searches).status_code == 200
    rows = service.rows([s["id"] for s in searches])
    assert [rows[s["id"]]["query"] for s in searches] == [search for _, search, _ in MASKER_EDGES]
    body = {**MESSAGE, "id": "contact-edges-0001", "message": " | ".join(typed for typed, _, _ in MASKER_EDGES)}
    answer = post(service, body)
    assert answer.status_code == 201, answer.text
    row = next(r for r in tickets(service) if r["ticket"] == answer.json()["ticket"])
    assert row["message"].split(" | ") == [contact for _, _, contact in MASKER_EDGES]
