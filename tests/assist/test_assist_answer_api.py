"""GET /api/v1/answer over real HTTP (issue 17): cited passages from the search ranking, an
honest "no answer", and an ``ask`` event for every question (masked, with what it cited)."""

from __future__ import annotations

import json

import pytest

from assist_testkit import DEMO, SITE_URL, UNANSWERABLE


def test_a_typo_gets_the_refund_passage_cited_with_its_url_and_an_ask_event(assist_stack):
    r = assist_stack.client.get("/api/v1/answer", params={"q": "refnd for jane.doe@example.com"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["answered"] is True and body["confidence"] > 0.4
    first = body["citations"][0]
    assert first["id"] == "article:billing/refunds"
    assert first["url"].startswith(SITE_URL + "billing/refunds/")
    assert first["title"] == "Refunds for Lumo Plus and hardware"
    assert first["passage"] and first["passage"] in _demo_text("billing/refunds.md")  # extractive
    assert body["journey"].startswith("ask-")
    row = assist_stack.wait_row("ask", lambda r: r["journey"] == body["journey"])
    assert row["source"] == "api" and row["value"] == 1 and row["journey"] == body["journey"]
    assert "jane.doe" not in row["query"] and "[email]" in row["query"]  # masked like a query
    assert json.loads(row["cited"])[0] == "article:billing/refunds" and row["item_id"] == "article:billing/refunds"


def test_a_cited_table_comes_with_the_plain_paragraphs_the_ask_box_shows(assist_stack):
    """The Ask box showed a cited table's Markdown as its text ("| Setting | What to do | | --- |
    …", then "!!! note ..."): the answer gives each citation's paragraphs as plain text too."""
    body = assist_stack.client.get("/api/v1/answer", params={
        "q": "which router settings stop Lumo connecting, like 5 GHz only or a hidden network"}).json()
    first = body["citations"][0]
    assert first["url"].endswith("troubleshooting/thermostat-offline/#network-settings-that-stop-lumo-connecting")
    assert "| --- |" in first["passage"] and "!!! note" in first["passage"]  # as written
    shown = first["paragraphs"]
    assert "5 GHz-only network — Lumo needs 2.4 GHz. Enable 2.4 GHz, or create a separate 2.4 GHz network." in shown
    assert shown[-1].startswith("If Lumo sees your network but won't join, note the error code on the display and check error codes.")
    for citation in body["citations"]:
        assert citation["paragraphs"] and not any(("|" in p or "!!!" in p or "**" in p) for p in citation["paragraphs"])


def test_a_passage_s_paragraphs_are_plain_text_a_table_row_each():
    from carebase.assist.answer import paragraphs

    markdown = ("Before you call us:\n\n1. Check the **fuse**.\n2. Press [reset](reset.md).\n\n"
                "| Code | Meaning |\n|:--|--:|\n| E5 | No Wi-Fi |\n\n!!! tip \"Still stuck?\"\n    Book an engineer.\n")
    # the table's header row is not read as a sentence of the answer (session 41: "Code — Meaning." was)
    assert paragraphs(markdown) == ["Before you call us:", "Check the fuse. Press reset.",
                                    "E5 — No Wi-Fi.", "Book an engineer."]


def test_a_video_question_cites_the_chapter_at_its_time(assist_stack):
    body = assist_stack.client.get("/api/v1/answer", params={"q": "where do I find the setup code to add the thermostat"}).json()
    video = [c for c in body["citations"] + body["related"] if c["kind"] == "video"]
    assert video and "#t=" in video[0]["url"] and video[0]["end"] > video[0]["start"]


def test_an_unanswerable_question_is_no_answer_and_is_recorded(assist_stack):
    r = assist_stack.client.get("/api/v1/answer", params={"q": UNANSWERABLE, "journey": "bot-conv-1", "source": "widget"})
    body = r.json()
    assert body["answered"] is False and body["citations"] == []
    from carebase.assist.confidence import THRESHOLD

    assert body["confidence"] < THRESHOLD["embedding"] and "similarity" in body["why"]
    row = assist_stack.wait_row("ask", lambda r: r["journey"] == "bot-conv-1")
    assert (row["value"], row["cited"], row["item_id"], row["source"]) == (0, "[]", None, "widget")


def test_do_not_track_stores_nothing_and_bad_parameters_are_400(assist_stack):
    r = assist_stack.client.get("/api/v1/answer", params={"q": "refund dnt"}, headers={"DNT": "1"})
    assert r.status_code == 200 and "journey" not in r.json()
    for params, field in [({}, "q"), ({"q": "x" * 201}, "q"), ({"q": "a", "limit": "9"}, "limit"),
                          ({"q": "a", "source": "mcp"}, "source"), ({"q": "a", "journey": "no spaces"}, "journey"),
                          ({"q": "a", "type": "faq"}, "type")]:
        r = assist_stack.client.get("/api/v1/answer", params=params)
        assert r.status_code == 400 and r.json()["field"] == field, (params, r.text)
    assert assist_stack.wait_row("ask", lambda r: r["query"] in ("refund dnt", "a"), timeout=0.5) is None


def _demo_text(path: str) -> str:
    return (DEMO / path).read_text()


def test_over_the_threshold_an_item_that_holds_too_few_of_the_words_is_no_answer(demo_site_data):
    """The second signal (confidence.SECOND): over the threshold, the top item must also hold a
    share of the question's words or stand out in meaning; else "no answer", saying why, with the
    passage under ``related``. (Lexical search here: no model to load; the rule is the same.)"""
    from carebase.assist.answer import Answerer
    from carebase.output import open_output

    out = open_output(demo_site_data)
    searcher, catalogue = out.searcher(semantic=False), out.catalogue
    question = "does the thermostat support the matter zigbee protocol"
    plain = Answerer(searcher, catalogue, threshold=0.0, second={"coverage": 0.0, "margin": 0.0}).answer(question)
    assert plain.answered and 0 < plain.sure.coverage < 1
    strict = Answerer(searcher, catalogue, threshold=0.0, second={"coverage": 1.0, "margin": 9.0}).answer(question)
    assert not strict.answered and strict.citations == []
    assert strict.related[0].id == plain.citations[0].id and strict.why.endswith(", but no item stands out")
    enough = Answerer(searcher, catalogue, threshold=0.0,
                      second={"coverage": plain.sure.coverage, "margin": 9.0}).answer(question)
    assert enough.answered  # holding that share of the words is enough


def test_another_sites_page_cannot_make_its_visitors_ask(assist_stack):
    """An ``<img src=…/api/v1/answer?q=…>`` on another site, a frame of it, or that site's script
    fetching it without a referrer would make every visitor's browser ask: each a distinct client,
    a made-up need in the report's assistant questions as large as the page's audience (recorded
    until session 40). They get the answer; nothing is kept. The site's Ask box, a bot and an
    address opened in a tab are recorded."""
    client = assist_stack.client
    embedded = [{"Sec-Fetch-Dest": "image", "Sec-Fetch-Site": "cross-site", "Referer": "https://evil.example/"},
                {"Sec-Fetch-Dest": "iframe", "Sec-Fetch-Site": "cross-site"},
                {"Sec-Fetch-Dest": "empty", "Sec-Fetch-Site": "cross-site"},  # fetch, no-cors, no-referrer
                {"Sec-Fetch-Dest": "empty", "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
                {"Referer": "https://evil.example/page"}]  # a browser without Sec-Fetch-* headers
    for n, headers in enumerate(embedded):
        r = client.get("/api/v1/answer", params={"q": f"free pizza voucher embedded {n}"}, headers=headers)
        assert r.status_code == 200 and "citations" in r.json() and "journey" not in r.json(), (headers, r.text)
    kept = [{"Sec-Fetch-Dest": "empty", "Sec-Fetch-Site": "same-site", "Origin": SITE_URL.rstrip("/")},  # the Ask box
            {},  # a bot
            {"Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "none"}]  # the address opened in a tab
    for n, headers in enumerate(kept):
        r = client.get("/api/v1/answer", params={"q": f"free pizza voucher kept {n}"}, headers=headers)
        assert r.json()["journey"], (headers, r.text)
        assert assist_stack.wait_row("ask", lambda row, n=n: row["query"] == f"free pizza voucher kept {n}")
    assert assist_stack.wait_row("ask", lambda row: "embedded" in (row["query"] or ""), timeout=0.5) is None


def test_by_words_a_top_item_the_next_one_scores_alike_with_is_no_answer(demo_site_data):
    """By words a card needs its item to lead search's next one (confidence.LEAD, session 44):
    "charged twice this month" matches *Refunds* and *I was charged twice* alike (the old rule
    answered it with *Refunds*, the wrong item); the passage stays under ``related`` and the
    reason says why. A question one item clearly leads on keeps its answer."""
    from carebase.assist.answer import Answerer
    from carebase.output import open_output

    out = open_output(demo_site_data)
    answerer = Answerer(out.searcher(semantic=False), out.catalogue)
    near = answerer.answer("charged twice this month")
    assert not near.answered and near.citations == [] and near.sure.kind == "lexical"
    assert near.sure.value >= 0.3  # the coverage alone would have answered it
    assert {c.id for c in near.related[:2]} <= {"article:billing/refunds", "faq:billing#charged-twice"}
    assert "the next item matches almost as well" in near.why
    clear = answerer.answer("remove old thermostat")
    assert clear.answered and clear.citations[0].id == "article:installation/remove-old-thermostat"


@pytest.mark.parametrize("lang, question, item", [
    ("en", "I was charged twice. What should I do?", "faq:billing#charged-twice"),
    ("en", "Can I get a refund for my annual plan?", "faq:billing#refund-annual"),
    ("de", "Brauche ich Lumo Plus, um mein Thermostat zu nutzen?", None)])
def test_by_words_an_faq_asked_by_its_own_question_is_answered_with_it(demo_site_data, lang, question, item):
    """By words the lead rule steps aside when the item's head (its title, FAQ question, keywords,
    tags) holds all of the question's information (confidence.HEAD_HOLDS, reader 44's A1): an FAQ
    asked word for word is answered with that FAQ although the article it links to, or a sibling
    FAQ, shares its words (with the lead rule alone, 12 of the demo's 33 English FAQ questions
    asked word for word by words got their card)."""
    from carebase.assist.answer import Answerer
    from carebase.output import open_output

    out = open_output(demo_site_data)
    catalogue = out.catalogue if lang == "en" else out.catalogue_of(lang)
    wanted = item or next(q.id for g in catalogue.faqs for q in g.questions if q.question == question)
    answer = Answerer(out.searcher(semantic=False, lang=None if lang == "en" else lang), catalogue).answer(question)
    assert answer.answered and answer.citations[0].id == wanted, answer.why


def test_by_meaning_a_word_the_question_hinges_on_that_the_item_lacks_is_no_answer(assist_stack):
    """By meaning "does lumo work with zigbee" lands near the Matter FAQ (0.51, over the threshold)
    and got a card saying "Yes. Lumo supports Matter …" although Zigbee is nowhere in the help
    centre (session 45, item 1): a question word the item does not hold that carries much of the
    question's information (confidence.HINGE) means no card, and the reason names the word. A
    question the item holds ("homekit" is the FAQ's keyword) keeps its answer."""
    client = assist_stack.client
    body = client.get("/api/v1/answer", params={"q": "does lumo work with zigbee"}).json()
    assert body["answered"] is False and body["citations"] == [], body
    assert body["why"].startswith("similarity in meaning") and '"zigbee", which the question hinges on' in body["why"]
    assert "faq:app-and-privacy#does-lumo-work-with-apple-home-or-matter" in [c["id"] for c in body["related"]]
    row = assist_stack.wait_row("ask", lambda r: r["journey"] == body["journey"])
    assert row["value"] == 0 and row["item_id"] is None
    held = client.get("/api/v1/answer", params={"q": "does it work with apple homekit"}).json()
    assert held["answered"] and held["citations"][0]["id"] == "faq:app-and-privacy#does-lumo-work-with-apple-home-or-matter"


def test_by_meaning_a_word_the_item_answers_in_other_words_is_no_hinge(assist_stack):
    """Everyday words the help centre never uses weighed as hinges: "get rid of my account" (*rid*)
    and "do you sell my information" (*information*) got no card by meaning although *Delete your
    Lumo account* and *Do you sell my data?* answer them (reader R10 of session 45; session 46's
    everyday questions). A word the question is much closer in meaning to the item with than
    without is answered by the item in other words (confidence.ANSWERED_IN_MEANING): the card is
    shown. "does lumo work with zigbee" is no closer to the Matter FAQ with *zigbee*: still none."""
    client = assist_stack.client
    for question, wanted in (("get rid of my account", "article:app-and-account/delete-your-account"),
                             ("do you sell my information", "faq:app-and-privacy#sell-data")):
        body = client.get("/api/v1/answer", params={"q": question}).json()
        assert body["answered"] and body["citations"][0]["id"] == wanted, body["why"]
        assert "hinges on" not in body["why"], body["why"]
    zigbee = client.get("/api/v1/answer", params={"q": "does lumo work with zigbee"}).json()
    assert zigbee["answered"] is False and '"zigbee", which the question hinges on' in zigbee["why"], zigbee["why"]


def test_a_german_separated_verb_s_prefix_alone_does_not_make_an_answer(assist_stack):
    """"wie setze ich das thermostat zurück" is *zurücksetzen*; word by word its *zurück* matched
    "Geld zurück" and the German box answered with the refund FAQ (session 45, item 4; the audits
    of sessions 43 and 44). The box reads a separated prefix as part of its verb
    (carebase.assist.separable: *setz* | *zurucksetz*, the prefix no word of its own): no card. A
    question whose item holds the verb ("wann bekomme ich mein geld zurück": "Bekomme ich … Geld
    zurück?") keeps its answer."""
    client = assist_stack.client
    body = client.get("/api/v1/answer", params={"q": "wie setze ich das thermostat zurück", "lang": "de"}).json()
    assert body["answered"] is False and body["citations"] == [], body
    assert body["related"][0]["id"] == "article:troubleshooting/factory-reset"  # search reads the verb joined (session 47)
    row = assist_stack.wait_row("ask", lambda r: r["journey"] == body["journey"])
    assert row["value"] == 0 and row["item_id"] is None and row["lang"] == "de"
    kept = client.get("/api/v1/answer", params={"q": "wann bekomme ich mein geld zurück", "lang": "de"}).json()
    assert kept["answered"] and kept["citations"][0]["id"] == "faq:billing#refund-annual"
