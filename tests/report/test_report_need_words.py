"""The words the report suggests carry the customers' need (session 39's audit of the lead's
workspace, development store heldout-1): a new article's keyword phrases and its file name keep
negation ("top up work" was suggested for "my top up doesn't work": the opposite need) and drop
conversation ("tell change pin", "want top up card"); the keyword rows suggest no adverb of how or
how often ("frequently", "separately"); a row's "mentioned" names are no everyday words or typos
its customers wrote in lower case ("throwaway", "disallowed", "redeposied"). The wordings below
are new ones of the same kinds, not the store's. Each test fails on 765eac5."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebase.report.missing import mentioned
from carebase.report.need_words import is_adverb, need_words
from carebase.report.normalise import ANALYSER, Normaliser, words
from carebase.report.topic_actions import file_slug, keyword_phrases, short_title
from report_testkit import topic_of

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def normaliser():
    return Normaliser()


def test_a_new_articles_phrases_keep_negation(normaliser):
    phrases = keyword_phrases(topic_of(["my transfer didn't arrive", "the transfer has not arrived yet",
                                        "transfer never arrived", "why hasn't my transfer arrived"], normaliser),
                              normaliser)
    assert phrases, phrases
    for phrase in phrases:  # 765eac5: "transfer arrive", "transfer arrived" …: the opposite need
        assert any(w in phrase.split() for w in ("didn't", "not", "never", "hasn't")), phrases
    assert phrases[0] == "transfer didn't arrive", phrases
    # a long wording keeps its negation and the word it negates within the phrase's four words
    long = ["hello, i have been trying to exchange currency in the app all morning and it does not work at all"]
    phrase = keyword_phrases(topic_of(long, normaliser), normaliser)[0]
    assert len(phrase.split()) <= 4 and "not work" in phrase, phrase
    # a long wording's failure word is kept before the row's other words (477fd7f: "transfer keeps money friends")
    long = ["the transfer keeps failing - i tried to send some cash to friends this morning, it keeps getting rejected",
            "transfer to friends", "transfer money to friends", "transfer to my friends"]
    assert "failing" in keyword_phrases(topic_of(long, normaliser), normaliser)[0].split()
    # typed without an apostrophe, too
    assert "cant" in keyword_phrases(topic_of(["i cant verify my identity"], normaliser), normaliser)[0].split()


def test_a_new_articles_phrases_and_file_drop_conversation(normaliser):
    wordings = ["could you please tell me how to freeze my card", "i want to freeze my card",
                "can you explain how i freeze the card", "i need help, i would like to freeze my card"]
    phrases = keyword_phrases(topic_of(wordings, normaliser), normaliser)
    assert phrases == ["freeze card"], phrases  # 765eac5: "tell freeze card", "want freeze card", "explain …", "need help …"
    assert file_slug("I need help, my refund didn't arrive") == "refund-didnt-arrive"  # 765eac5: "help-refund-arrive"


def test_need_words_keeps_a_nots_auxiliary_and_the_need():
    keep = lambda w: w not in ANALYSER.stop_words  # noqa: E731
    assert need_words(words("please help, my card was not accepted at the shop"), keep) == [
        "card", "was", "not", "accepted", "shop"]
    assert need_words(words("I wanted to know why my payment is still pending"), keep) == ["payment", "pending"]
    # a negation of nothing kept is dropped: "close account don't" said nothing
    assert need_words(words("close my account, I don't like you"), keep) == ["close", "account"]
    assert need_words(words("my payment has not happened, I don't like it"), keep) == ["payment", "has", "not", "happened"]
    assert need_words(words("my refund is not what I wanted"), keep) == ["refund"]  # not "refund is"


def test_an_adverb_is_no_keyword_but_a_noun_made_adjective_is():
    for word in ("frequently", "separately", "immediately", "quickly", "usually", "recently"):
        assert is_adverb(word, ANALYSER), word
    for word in ("monthly", "weekly", "daily", "friendly", "early", "family", "supply", "italy", "apply"):
        assert not is_adverb(word, ANALYSER), word


def test_the_keyword_rows_suggest_no_adverb(tmp_path):
    from carebase.content.loader import load_catalogue
    from carebase.report.build import make_normaliser
    from carebase.report.findability import Suggester
    from carebase.report.links import SourceLinks

    catalogue = load_catalogue(CONTENT)
    s = Suggester(catalogue, make_normaliser(catalogue), SourceLinks(CONTENT, tmp_path))
    item = "faq:app-and-privacy#forgot-password"
    for n in range(4):  # four customers each: "how occasionally …", "grandma …" alone; both reached the item late
        s.add("occasionally", item, 1, how="later", client=f"c{n}")
        s.add("grandma", item, 1, how="later", client=f"c{n}")
    found = [w["word"] for row in s.suggestions() for w in row["words"]]
    assert found == ["grandma"], found  # 765eac5: ["grandma", "occasionally"]


def test_a_row_mentions_names_not_everyday_words_or_typos_written_in_lower_case(normaliser):
    queries = {"I paid a nonrefundable deposit with my card and it was refused": {"nonrefundable"},
               "Why was my card payment disapproved?": {"disapproved"},
               "I redepozited the cheque twice": {"redepozited"},
               "The cash machine in Wimbledon kept my card": {"wimbledon"},
               "my card got refused at costco": {"costco"}}
    topic = topic_of(list(queries), normaliser, queries)
    # 765eac5 listed all five: no everyday word (by the dictionary's count), no slip on a typed word
    assert mentioned(topic, normaliser.analyser) == ["costco", "wimbledon"]


def test_a_rows_title_names_what_most_of_its_searches_say_failed(normaliser):
    """Session 39's audit (heldout-1, rank 11): "Can I top up by card?" headed a row most of whose
    searches were failed card top-ups; on this session's development store 20261203 "Why should I
    have to prove my identity?" headed a row whose customers could not prove it. The failure is
    worded many ways ("didn't work", "declined", "unable", "won't"), so no one word of it was
    shared and the shortest question won."""
    from carebase.report.need_words import is_failure

    top_up = ["Can I top up by card?", "How do I top up with my card?",
              "i tried to top up with my card and it didn't work", "my card top up was declined",
              "top up by card keeps failing", "I am unable to top up using my card",
              "why won't my card top up go through"]
    identity = ["Why should I have to prove my identity?", "What do I need to prove my identity?",
                "I'm having trouble proving my identity", "I can't prove my identity",
                "I am unable to prove my identity", "It won't let me prove my identity"]
    for wordings in (top_up, identity):
        title = short_title(topic_of(wordings, normaliser), normaliser)
        assert any(is_failure(w) for w in words(title)), title  # 765eac5: the first wording of each
    # a row most of whose searches ask how: titled by how, not by its one failure
    how = ["Can I top up by card?", "How do I top up with my card?", "top up with a card", "how to top up by card",
           "my card top up failed"]
    title = short_title(topic_of(how, normaliser), normaliser)
    assert not any(is_failure(w) for w in words(title)), title


def test_a_rows_title_is_a_whole_phrase_never_cut_nor_masked(normaliser):
    """14 of 63 titles on heldout-1 were cut with "…" mid-phrase ("I went to pay at the store
    earlier, got declined…"); a long wording is shortened at a phrase's end instead, and a
    wording holding a masked value is no title while another holds the need."""
    long = ["My card was declined at a restaurant today and I am not sure why this happened to me again",
            "The payment with my card got declined at the restaurant this evening, which is embarrassing"]
    title = short_title(topic_of(long, normaliser), normaliser)
    assert title == "My card was declined at a restaurant today", title  # 765eac5: "… and I am not…"
    masked = ["my card [card] was declined", "my card was declined at the shop", "card declined at the shop"]
    title = short_title(topic_of(masked, normaliser), normaliser)
    assert "[card]" not in title, title
    from carebase.report.topic_actions import _clauses, fit

    assert "I'm on the app and trying to buy crypto" in _clauses("Hello - I'm on the app and trying to buy crypto")

    assert fit("I sent my landlord the rent a few days ago and") == ("I sent my landlord the rent a few days ago", False)
    # … also when a dash after the conjunction was the phrase's end (372653e kept "… ago and")
    assert fit("I sent my landlord the rent a few days ago and - now it is gone from my account for good") == (
        "I sent my landlord the rent a few days ago", False)
    assert fit("one two three four five six seven eight nine ten eleven twelve thirteen") == (
        "one two three four five six seven eight nine ten eleven…", True)  # no phrase's end: cut on a word


def test_a_long_title_is_not_shortened_inside_a_phrase_and_a_slug_keeps_its_verb():
    """On store 11 the first rule shortened "I've made a transfer, how long until …" at "until"
    and named a file "payment-made-card-is-not-up" ("showing" taken for conversation)."""
    from carebase.report.topic_actions import fit

    shown, cut = fit("I've made a transfer, how long until it reaches my friend's account in Spain?")
    assert not shown.endswith(("long", "until")), shown
    assert file_slug("The payment I made with my card is not showing up") == "payment-made-card-is-not-showing-up"
    # a word that opens a phrase of the same clause is no end of one (c48046d cut at "that", "if")
    for text in ("Why was I charged for that transaction on my card last week at the shop in town",
                 "Can you tell me if my card will arrive before my holiday in Spain next month please"):
        shown, cut = fit(text)
        assert cut and shown.endswith("…"), shown
    assert fit("My card was declined at a restaurant today and I am not sure why this happened to me") == (
        "My card was declined at a restaurant today", False)
