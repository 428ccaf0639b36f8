"""feedback_form: a real no-JS form, accessible, escaped, with page-unique ids."""

import re

from bs4 import BeautifulSoup

from carebase.widget.ids import anchor_safe, thanks_anchor, widget_id
from carebase.widget.markup import feedback_form
from carebase.widget.settings import Contact, FeedbackSettings, check_feedback_settings


def soup(html):
    return BeautifulSoup(html, "html.parser")


def test_helpful_form_posts_the_contract_fields_to_the_service():
    settings = FeedbackSettings(service_url="https://fb.example.com")
    page = soup(feedback_form("article:billing/refunds", "abc123", "Refunds", settings,
                              return_to="https://help.example.com/billing/refunds/"))
    form = page.find("form")
    assert form["method"] == "post" and form["action"] == "https://fb.example.com/feedback"
    hidden = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert hidden == {"item": "article:billing/refunds", "revision": "abc123", "scale": "helpful",
                      "return_to": "https://help.example.com/billing/refunds/", "lang": "en",
                      "ask": "reason comment"}  # what the service's reasons page asks after a "No" without JavaScript
    votes = [(b.get_text(), b["value"]) for b in form.find_all("button", attrs={"name": "value"})]
    assert votes == [("Yes", "1"), ("No", "0"), ("Send", "0")]
    assert form.find("legend").get_text() == "Was this helpful? (Refunds)"
    reasons = [r["value"] for r in form.find_all("input", attrs={"name": "reason"})]
    assert reasons[0] == "Didn't answer my question" and len(reasons) == 5
    assert form.find("textarea", attrs={"name": "comment"})["maxlength"] == "2000"
    # the thank-you target the service redirects to (#cb-thanks-<item>)
    assert page.find(id="cb-thanks-article-billing-refunds") is not None


def test_honeypot_is_hidden_from_people_and_assistive_tech():
    page = soup(feedback_form("article:a", "r", "A", FeedbackSettings()))
    trap = page.find("input", attrs={"name": "website"})
    wrapper = trap.find_parent(class_="cb-hp")
    assert wrapper["aria-hidden"] == "true"
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off" and trap["value"] == ""


def test_every_control_has_a_label_and_groups_have_legends():
    html = feedback_form("faq:billing#refund", "r", "Refund?", check_feedback_settings({
        "style": "csat", "contact": {"email": "help@example.com"}})[0])
    page = soup(html)
    for control in page.find_all(["input", "textarea"]):
        if control.get("type") == "hidden":
            continue
        assert page.find("label", attrs={"for": control["id"]}) is not None, control
    for fieldset in page.find_all("fieldset"):
        assert fieldset.find("legend").get_text().strip()
    labels = [l.get_text() for l in page.select(".cb-scale label")]
    assert labels == ["1 – Very dissatisfied", "2 – Dissatisfied", "3 – Neutral", "4 – Satisfied",
                      "5 – Very satisfied"]
    assert page.find(attrs={"role": "status"})["aria-live"] == "polite"


def test_rating_styles_use_required_radios_and_one_send_button():
    for style, n in (("csat", 5), ("ces", 7)):
        form = soup(feedback_form("video:setup", "r", "Setup", FeedbackSettings(style=style))).find("form")
        radios = form.find_all("input", attrs={"name": "value", "type": "radio"})
        assert [r["value"] for r in radios] == [str(v) for v in range(1, n + 1)]
        assert all(r.has_attr("required") for r in radios)
        assert form.find("input", attrs={"name": "scale"})["value"] == style
        sends = form.find_all("button", type="submit")
        assert len(sends) == 1 and not sends[0].has_attr("name")


def test_everything_is_escaped():
    nasty = '"><script>alert(1)</script>'
    settings, problems = check_feedback_settings({
        "question": nasty, "reasons": [nasty],
        "contact": {"email": "a@b.co", "hours": nasty, "chat_url": 'https://x.example/?"'},
    })
    html = feedback_form(nasty, nasty, nasty, settings, heading=None, return_to=nasty)
    assert "<script>" not in html
    page = soup(html)
    assert page.find("script") is None
    assert page.find("input", attrs={"name": "item"})["value"] == nasty
    assert page.find("input", attrs={"name": "reason"})["value"] == nasty
    assert page.find("legend").get_text().startswith(nasty)
    root = page.find(class_="cb-feedback")
    assert root["data-cb-item"] == nasty
    assert re.fullmatch(r"[A-Za-z0-9_-]+", root["id"])
    assert problems and "chat_url" in str(problems[0])  # the query string URL is refused


def test_ids_are_unique_across_many_widgets_on_one_page():
    settings = FeedbackSettings(contact=Contact(email="help@example.com"))
    items = ["faq:billing#refund", "faq:billing#invoice", "faq:billing#refund-2", "article:billing/refund"]
    page = soup("".join(feedback_form(i, "r", i, settings) for i in items))
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    for tag in page.find_all(attrs={"for": True}):
        assert page.find(id=tag["for"]) is not None
    # radio groups are per form, so each widget's reasons are independent
    assert len(page.find_all("form")) == 4


def test_heading_overrides_the_question_and_anchor_is_safe():
    page = soup(feedback_form("faq:billing#can-i", "r", "Can I?", FeedbackSettings(),
                              heading="Was this answer helpful?"))
    assert page.find("legend").get_text() == "Was this answer helpful? (Can I?)"
    assert anchor_safe("faq:billing#can-i-get-a-refund") == "faq-billing-can-i-get-a-refund"
    assert thanks_anchor("article:billing/refunds") == "cb-thanks-article-billing-refunds"
    assert widget_id("faq:a#b") != widget_id("faq:a/b")  # the widget's own ids never clash


def test_contact_links_and_none_when_not_configured():
    settings = FeedbackSettings(contact=Contact(email="help@example.com", phone="+1 (555) 0100",
                                                chat_url="https://chat.example.com", hours="24/7"))
    page = soup(feedback_form("article:a", "r", "A", settings))
    links = [(a["href"], a["data-cb-contact"]) for a in page.select(".cb-feedback__contact a")]
    assert links == [("mailto:help@example.com", "email"), ("tel:+15550100", "phone"),
                     ("https://chat.example.com", "chat")]
    assert "24/7" in page.select_one(".cb-feedback__contact").get_text()
    assert soup(feedback_form("article:a", "r", "A", FeedbackSettings())).select(".cb-feedback__contact") == []


def test_no_reasons_and_no_comment_leaves_only_the_vote():
    page = soup(feedback_form("article:a", "r", "A", FeedbackSettings(reasons=(), comment=False)))
    assert page.find("textarea") is None and page.find("input", attrs={"name": "reason"}) is None
    assert [b.get_text() for b in page.find_all("button", type="submit")] == ["Yes", "No", "Send"]


def test_material_search_indexes_none_of_the_widget_text():
    from material.plugins.search.plugin import Parser

    settings = FeedbackSettings(contact=Contact(email="help@example.com"))
    parser = Parser()
    parser.feed('<h2 id="q">Can I get a refund?</h2><p>Yes, within 30 days.</p>'
                + feedback_form("faq:billing#q", "r", "Can I get a refund?", settings)
                + "<p>More text.</p>")
    parser.close()
    text = " ".join("".join(section.title) + " " + "".join(section.text) for section in parser.data)
    assert "Yes, within 30 days." in text and "More text." in text
    for label in ("helpful", "went wrong", "Out of date", "improve", "help@example.com", "Leave this field"):
        assert label not in text
