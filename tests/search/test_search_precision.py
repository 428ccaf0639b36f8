"""Precision on the demo help centre: multi-word queries return what matches most of their
words first (strong matches), the rest as weaker matches after them; "did you mean" corrects
only towards the nearest help-centre word and leaves customers' own words alone."""

from __future__ import annotations

import re

import numpy as np
import pytest

from carebase.search.analysis import analyse, suggestion
from carebase.search.cutoff import credits, cut
from carebase.search.index import open_index
from carebase.search.fused_cut import FusedCut
from carebase.search.query import Hit, Searcher, SearchResults
from carebase.search.semantic import MIN_SIMILARITY, fuse
from carebase.search.spelling import SpellIndex


@pytest.fixture(scope="module")
def demo(demo_index):
    catalogue, folder = demo_index
    return Searcher(open_index(folder), catalogue)


def words_of(searcher, key: str) -> str:
    fields = searcher._searcher.stored_fields(searcher._searcher.document_number(key=key))
    return " ".join(fields.get(f, "") or "" for f in ("title", "body", "summary")).lower()


def test_thermostat_offline_shows_the_offline_article_first_and_few_strong_matches(demo):
    res = demo.search("thermostat offline", limit=50)
    assert res.hits[0].id == "article:troubleshooting/thermostat-offline"
    assert res.total > 90  # "thermostat" (and its synonym "Lumo") is in nearly every item …
    assert 1 <= res.strong <= 12  # … but only a few are about being offline
    flags = [h.strong for h in res.hits]
    assert flags == sorted(flags, reverse=True), "a weaker match was ranked above a strong one"
    assert sum(flags) == res.strong
    weaker = [h for h in res.hits if not h.strong]
    assert weaker and all("offline" not in words_of(demo, h.key) for h in weaker[:10])


@pytest.mark.parametrize("engine", ["fast", "whoosh"])
def test_a_word_matched_only_through_a_synonym_counts_less_than_the_word(demo_index, engine):
    """"thermostat offline": *Wiring guide* says "disconnect" (a synonym of "offline"), not
    "offline", and was a strong match (11 strong lexical matches on the demo); a clause matched
    only through a synonym now covers the synonym's weight (0.7, the share of the word's score
    it gets: cutoff.credits), so the strong matches are the items that say "offline" (fails on
    the old code: 11, *Wiring guide* and *What's in the box* among them). Both engines."""
    catalogue, folder = demo_index
    searcher = Searcher(open_index(folder), catalogue, engine=engine)
    res = searcher.search("thermostat offline", limit=60)
    strong = [h for h in res.hits if h.strong]
    assert strong[0].id == "article:troubleshooting/thermostat-offline"
    from carebase.search.records import catalogue_records
    from carebase.search.schema import SEARCH_FIELDS

    says = {rec.key for rec in catalogue_records(catalogue)
            if "offline" in " ".join(str(getattr(rec, f) or "") for f in SEARCH_FIELDS).lower()}
    assert {h.key for h in strong} <= says, [h.id for h in strong]
    assert "article:installation/wiring-guide" not in {h.id for h in strong}
    assert res.strong == len(strong) <= 10


def test_credits_are_the_best_alternatives_weight():
    word = np.array([True, False, False, False])
    synonym = np.array([True, True, False, False])
    fix = np.array([False, False, True, False])
    assert credits([(1.0, word), (0.7, synonym), (0.85, fix)]).tolist() == [1.0, 0.7, 0.85, 0.0]
    # a common word (8 of 10 items) and a rare one (2): an item with the common word and only a
    # synonym of the rare one covers (w_common + 0.7 w_rare) / (w_common + w_rare) = 0.74 of the
    # query, under three quarters of the best item's (both words): weaker; it was strong
    a = np.arange(10) < 8
    b_own, b_syn = np.arange(10) == 0, np.arange(10) == 1
    b = credits([(1.0, b_own), (0.7, b_syn)])
    scores = np.array([2.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1])
    assert cut([a, b], scores, a | (b > 0))[0].tolist() == [True] + [False] * 9
    assert cut([a, b_own | b_syn], scores, a | (b > 0))[0].tolist() == [True, True] + [False] * 8


def test_an_faq_answer_or_a_chapter_matched_outside_its_words_shows_its_own_words(demo):
    """A question or chapter found by its title, keywords or meaning showed its group's or its
    video's summary, the same for every question or chapter of it (FAQs among "zigbee"'s weaker
    matches: "Common questions about Lumo hardware, compatibility, wiring and Wi-Fi."): fails on
    the old code. Now its own first words, as the client index shows it (a chapter with no
    transcript, and a whole article or video, still shows the summary)."""
    fields = lambda key: demo._searcher.stored_fields(demo._searcher.document_number(key=key))
    faq = demo.snippet(fields("faq:devices#which-wifi"), set())
    assert faq.startswith("2.4 GHz networks"), faq
    chapters = [demo.snippet(fields(f"video:reconnect-wifi#t={t}"), set()) for t in (6, 14, 22)]
    assert [c.split(":")[0] for c in chapters] == ["Step one", "Step two", "Step three"], chapters
    assert demo.snippet(fields("video:reconnect-wifi"), set()).startswith("New router or new Wi-Fi password?")
    assert "<mark>" in demo.search("wifi networks", limit=5).hits[0].snippet  # matched words still marked


def test_a_synonyms_word_forms_are_not_marked_for_the_query(demo):
    """"thermostat" has the synonym "controller" (content/synonyms.yml), whose stem is
    "control": the snippets marked "control" in "voice control" for "thermostat" (a synonym's
    word forms chained: fails on the old code). A synonym is marked in its own forms only; the
    query's own words in all theirs."""
    from carebase.search.snippets import matched_words

    res = demo.search("thermostat", limit=200)
    marked = [h.snippet for h in res.hits if re.search(r"<mark>control", h.snippet, re.I)]
    assert not marked, marked[:2]
    assert any("<mark>Lumo</mark>" in h.snippet for h in res.hits)  # the synonyms are still marked
    assert any("<mark>control</mark>" in h.snippet.lower() for h in demo.search("voice control", limit=20).hits)
    text = "The controller and its controllers; voice control."
    spans = matched_words(text, {"control=controller"})
    assert [text[a:b] for a, b in spans] == ["controller", "controllers"]
    assert [text[a:b] for a, b in matched_words(text, {"control", "control=controller"})] == \
        ["controller", "controllers", "control"]  # typed too: every form


def test_one_word_queries_have_only_strong_matches(demo):
    res = demo.search("refund", limit=50)
    assert res.total and res.strong == res.total and all(h.strong for h in res.hits)


def test_strong_counts_per_kind_follow_the_type_filter(demo):
    every = demo.search("wifi connection", limit=50)
    faq = demo.search("wifi connection", kind="faq", limit=50)
    assert faq.strong == every.strong_counts["faq"] and faq.total == every.counts["faq"]
    assert all(h.kind == "faq" for h in faq.hits)


def test_refnd_finds_refunds_with_did_you_mean_and_nothing_about_round_things(demo):
    res = demo.search("refnd", limit=10)
    assert res.suggestion == "refund"
    assert res.hits[0].id == "article:billing/refunds"
    assert not any("<mark>round" in h.snippet.lower() for h in res.hits)


def test_a_phrase_synonym_is_marked_as_a_phrase_not_word_by_word(demo):
    # "offline" has the synonyms "not connecting" and "no connection" (content/synonyms.yml):
    # their words are marked where the phrase stands, not alone ("<mark>No</mark>. Your …")
    res = demo.search("thermostat offline", limit=50)
    lone = [h.snippet for h in res.hits if re.search(r"<mark>(no|not)</mark>(?! <mark>connect)", h.snippet, re.I)]
    assert not lone, lone[:3]
    assert any("<mark>offline</mark>" in h.snippet.lower() for h in res.hits)


@pytest.mark.parametrize("query", ["trv", "trv radiator", "stat wifi", "money back"])
def test_customers_own_words_are_not_corrected(demo, query):
    assert demo.search(query).suggestion is None


def test_typos_are_corrected_everyday_words_the_help_centre_lacks_are_not(demo):
    """The did-you-mean (the same table as the client index's test, tests/shards_testkit.py):
    "deltee" → delete, but "wife" is not "wire" and "tried" not "trial": searched as typed."""
    from shards_testkit import DID_YOU_MEAN

    assert {q: demo.search(q).suggestion for q in DID_YOU_MEAN} == DID_YOU_MEAN
    assert demo.search("wife").total == 0 and demo.search("wire").total > 0


def test_a_word_joined_by_slashes_is_searchable_one_letter_words_alone_are_not(demo):
    """"o/b" (the heat pump's reversing-valve wire: a keyword and a heading of the demo) found
    nothing: its two one-letter words were dropped. A word joined by slashes whose parts are
    that short is now one word (carebase.text), on the service and in the client index
    (tests/sitesearch/test_sitesearch_shards.py); "a", "b", "i" alone still find nothing."""
    for query in ("o/b", "O/B", "o/b wire"):
        res = demo.search(query)
        assert res.hits and res.hits[0].id == "article:installation/heat-pumps", query
    assert "<mark>O/B</mark>" in demo.search("o/b").hits[0].snippet
    assert [demo.search(q).total for q in ("a", "b", "i", "o")] == [0, 0, 0, 0]


def test_a_contraction_without_its_apostrophe_is_understood_not_corrected(demo):
    res = demo.search("wont connect wifi")
    assert res.suggestion is None  # not "want connect wifi"
    assert res.hits[0].id == "article:troubleshooting/thermostat-offline"
    assert demo.search("dont get notifications").suggestion is None  # a stop word: dropped
    assert demo.search("schedule not followed").suggestion is None  # a form of "follow"


def test_corrections_keep_only_the_nearest_words():
    spell = SpellIndex({"refund": 3, "round": 9, "rend": 1, "want": 9, "won't": 2})
    assert spell.corrections("refnd") == ["refund", "rend"]  # one typo each; "round" is two away
    assert spell.corrections("trv") == []  # three letters: never corrected
    assert spell.contraction("wont") == "won't"
    clauses = analyse("wont refnd", spell, None)
    assert suggestion("wont refnd", clauses) == "wont refund"


def test_the_cut_off_weighs_words_by_rarity():
    n = 10
    common = np.ones(n, dtype=bool)  # a word every item has
    rare = np.zeros(n, dtype=bool)
    rare[:2] = True
    scores = np.linspace(1.0, 2.0, n)  # the common-word-only items even score higher
    strong = cut([common, rare], scores, common | rare)[0]
    assert strong.tolist() == [True, True] + [False] * 8
    assert cut([common, rare], scores, common | rare)[1].tolist() == strong.tolist()  # the common word: under a quarter
    # long queries: an item that scores at least half the best and covers a quarter stays strong
    items = np.arange(8)
    a = items < 4  # a common word
    b, c, d = (items == 0) | (items == 4), (items == 0) | (items == 5), (items == 0) | (items == 6)
    scores = np.array([1.0, 0.9, 0.2, 0.2, 0.6, 0.3, 0.2, 0.0])
    strong = cut([a, b, c, d], scores, a | b | c | d)[0]
    assert strong.tolist() == [True, False, False, False, True, False, False, False]


def test_a_fused_result_is_strong_only_while_it_matches_enough_of_the_query():
    # BM25F and meaning fused (semantic.fuse): "answer" is a weak lexical match that means what
    # the query asks, so fusion puts it 4th; two strong lexical matches mean something else
    # (fused 5th and 6th). Per kind, the strong results are the fused ranking's first, at most
    # as many as the cut-off names, while each is meaning's first 3, a strong lexical match or
    # covers a quarter of the query's weight: nothing is moved above a result the fusion ranks higher
    keys = ["near1", "near2", "near3", "answer", "decoy1", "decoy2", "other", "meaning-only"]
    docnum = {k: i for i, k in enumerate(keys)}
    kinds = dict.fromkeys(keys, "article") | {"near2": "faq"}
    lexical = [("decoy1", 10.0), ("decoy2", 9.0), ("near1", 8.0), ("near2", 7.0), ("near3", 6.0),
               ("answer", 1.0), ("other", 0.5)]
    cosines = np.array([0.80, 0.78, 0.76, 0.75, 0.30, 0.28, 0.20, 0.10], np.float32)
    ranked = fuse(lexical, cosines, keys, docnum)
    assert [k for k, _ in ranked][:6] == ["near1", "near2", "near3", "answer", "decoy1", "decoy2"]
    strong = np.array([True, True, True, False, True, True, False, False])  # the lexical cut-off's
    matched = np.array([True] * 7 + [False])

    def strong_of(quarter):
        cut = FusedCut(strong, {"article": 4, "faq": 1, "video": 0}, matched, docnum, kinds, quarter=quarter)
        listed, meaning_only = cut(ranked, {k for k, _ in lexical})
        assert listed == ranked and meaning_only == {"article": 1, "faq": 0, "video": 0}
        hits = [Hit(k, kinds[k], k, "/" + k, "", s, key=k) for k, s in listed]
        res = cut.mark(SearchResults(hits, len(hits)), None)
        assert res.strong == sum(h.strong for h in res.hits)  # counted == listed
        return [h.id for h in res.hits if h.strong], res.strong_counts

    # the answer covers a quarter of the query's weight: strong, as many as the cut-off named
    covers = strong | (np.arange(len(keys)) == docnum["answer"])
    assert strong_of(covers) == (["near1", "near2", "near3", "answer", "decoy1"], {"article": 4, "faq": 1, "video": 0})
    # it shares only a word nearly every item has ("Delete your Lumo account" for "thermostat
    # offline", 7th of 11 strong on main 7dce18a): weaker, and the articles the fusion ranks
    # below it are not promoted above it
    assert strong_of(strong.copy()) == (["near1", "near2", "near3"], {"article": 2, "faq": 1, "video": 0})
    hits = [Hit(k, kinds[k], k, "/" + k, "", s, key=k) for k, s in ranked]
    nothing = FusedCut(None, dict.fromkeys(("article", "faq", "video"), 0), None, docnum, kinds)
    nothing(ranked, set())  # no word of the query matched an item ("trv"): meaning alone makes none strong
    assert nothing.mark(SearchResults(hits, len(hits)), None).strong == 0


def test_every_documents_fused_score_is_made_only_when_a_kind_ended_inside_the_ranking():
    # semantic.py passes FusedCut a function making every document's fused score (an array as
    # long as the help centre, on every hybrid search): it is read only for a kind whose strong
    # results ended inside the ranking. Fails on 416a8db (the function itself was kept and
    # compared: TypeError), which made the array on every search.
    from carebase.search.impact import KINDS

    keys = ["near1", "near2", "near3", "answer", "decoy1", "decoy2", "other", "meaning-only", "past"]
    docnum = {k: i for i, k in enumerate(keys)}
    kinds = dict.fromkeys(keys, "article") | {"near2": "faq"}
    lexical = [("decoy1", 10.0), ("decoy2", 9.0), ("near1", 8.0), ("near2", 7.0), ("near3", 6.0),
               ("answer", 1.0), ("other", 0.5)]
    ranked = fuse(lexical, np.array([0.80, 0.78, 0.76, 0.75, 0.30, 0.28, 0.20, 0.10, 0.0], np.float32),
                  keys, docnum)[:8]
    strong = np.array([True, True, True, False, True, True, False, False, True])  # "past": beyond the ranking
    matched = np.array([True] * 7 + [False, True])
    codes = np.array([KINDS.index(kinds[k]) for k in keys])
    every = np.array([s for _, s in ranked] + [10.0])  # "past" fused above everything

    def counted(quarter):
        made = []
        cut = FusedCut(strong, {"article": 5, "faq": 1, "video": 0}, matched, docnum, kinds,
                       quarter=quarter, kind_codes=codes)
        cut(ranked, {k for k, _ in lexical}, fused=lambda: made.append(1) or every)
        return len(made), cut.strong_counts["article"]

    # no kind ended ("answer" covers a quarter of the query): never made
    assert counted(strong | (np.arange(len(keys)) == docnum["answer"]))[0] == 0
    # "answer" ends the articles: made once, and "past" (fused above it) counts strong
    made, articles = counted(strong.copy())
    assert made == 1 and articles == 3



def test_meaning_picks_and_a_quarter_need_half_the_first_fused_score_and_some_likeness():
    # the fused ranking of a short query: "unknown1/2" found by meaning alone, barely alike
    # (cosines under semantic.MIN_SIMILARITY: "o/b" and the account articles); "quarter" shares
    # one of two words at 0.46 of the first's fused score ("reset password" and the Wi-Fi video);
    # "answer" is a strong lexical match the fusion ranks 5th
    keys = ["first", "unknown1", "unknown2", "quarter", "answer", "rest"]
    docnum = {k: i for i, k in enumerate(keys)}
    kinds = dict.fromkeys(keys, "article")
    ranked = [("first", 1.0), ("unknown1", 0.97), ("unknown2", 0.78), ("quarter", 0.46), ("answer", 0.4),
              ("rest", 0.3)]
    cosines = {"first": 0.74, "unknown1": 0.12, "unknown2": 0.10, "quarter": 0.39, "answer": 0.2, "rest": 0.3}
    strong = np.array([True, False, False, False, True, False])
    matched = np.array([True, False, False, True, True, True])
    quarter = np.array([True, False, False, True, True, False])
    lexical = {"first", "quarter", "answer", "rest"}

    def strong_of(cosine):
        alike = None if cosine is None else {k: c >= MIN_SIMILARITY for k, c in cosine.items()}
        cut = FusedCut(strong, {"article": 2, "faq": 0, "video": 0}, matched, docnum, kinds, quarter=quarter)
        listed, _ = cut(ranked, lexical, alike)
        hits = [Hit(k, kinds[k], k, "/" + k, "", s, key=k) for k, s in listed]
        return [h.id for h in cut.mark(SearchResults(hits, len(hits)), None).hits if h.strong]

    # the cosines known (the service): the barely-alike ones are no evidence either way, the
    # quarter at under half the first's score ends the articles' strong results
    assert strong_of(cosines) == ["first"]
    ranked_without_quarter = [row for row in ranked if row[0] != "quarter"]
    cut = FusedCut(strong, {"article": 2, "faq": 0, "video": 0}, matched, docnum, kinds, quarter=quarter)
    listed, _ = cut(ranked_without_quarter, lexical, {k: c >= MIN_SIMILARITY for k, c in cosines.items()})
    assert [k for k, _ in listed][:2] == ["first", "answer"] and cut.strong == 2  # past the unknown ones
    # without the cosines (a caller that has none) the fused first 3 are meaning's picks, as they
    # all were on main 5ba41cb, whatever they matched
    assert strong_of(None) == ["first", "unknown1", "unknown2"]

@pytest.mark.slow
def test_most_of_the_words_is_strong_only_with_a_quarter_of_the_best_score():
    """Two words both held by many items of one topic: covering them is not enough when the item
    scores under a quarter of the best (they are in its text in passing); a quarter is enough,
    and one word that counts leaves every match strong (fails on the old code: every item holding
    both words was strong, whatever it scored)."""
    items = np.arange(10)
    both, one = items < 4, items == 4  # items 5 to 9 hold neither word
    scores = np.array([4.0, 3.0, 1.1, 0.9, 1.5, 0, 0, 0, 0, 0])
    strong, quarter = cut([both, both | one], scores, both | one)
    # 0.9 < 4 / 4: weaker; the fifth covers 0.44 of the weight, under half the best score
    assert strong.tolist() == [True, True, True, False, False] + [False] * 5
    assert quarter.tolist() == [True] * 5 + [False] * 5
    nothing = np.zeros(10, dtype=bool)  # a second word that matches no item does not count
    assert cut([both, nothing], scores, both)[0].tolist() == [True] * 4 + [False] * 6


@pytest.mark.parametrize("engine", ["fast", "whoosh"])
def test_cancel_subscription_lists_as_strong_the_items_about_cancelling(demo_index, engine):
    """"cancel subscription" listed 8 strong results, 2 of them relevant (demo_queries.yml):
    *Delete your account* and "I was charged twice" say "cancel" and "subscription" once each
    in their text, at 0.14 and 0.18 of the best score. A result covering most of the query now
    needs a quarter of the best score too (cutoff.FLOOR_SCORE): 5 strong, the two about
    cancelling first, the other two weaker (fails on the old code: 8 strong, both among them).
    Both engines."""
    catalogue, folder = demo_index
    searcher = Searcher(open_index(folder), catalogue, engine=engine)
    res = searcher.search("cancel subscription", limit=40)
    strong = [h.id for h in res.hits if h.strong]
    assert strong[:2] == ["article:billing/cancel-lumo-plus", "faq:billing#cancel-anytime"], strong
    weaker = [h.id for h in res.hits if not h.strong]
    assert {"article:app-and-account/delete-your-account", "faq:billing#charged-twice"} <= set(weaker), strong
    assert res.strong == len(strong) <= 5
    assert res.total == len(res.hits)  # nothing dropped: every match still listed, after the strong


def test_hybrid_search_lists_strong_matches_first(demo_index):
    from carebase.search import semantic

    if not semantic.available():
        pytest.skip("no embedding model could be loaded: hybrid search is off")
    catalogue, folder = demo_index
    hybrid = Searcher(open_index(folder), catalogue, semantic=semantic.SemanticIndex.build(catalogue, folder))
    res = hybrid.search("thermostat offline", limit=50)
    assert res.hits[0].id == "article:troubleshooting/thermostat-offline"
    assert 1 <= res.strong <= 10 and sum(h.strong for h in res.hits) == res.strong  # 11 on main 7dce18a
    for kind in ("article", "faq", "video"):  # each kind in the fused ranking's order (fused_cut.py)
        scores = [h.score for h in res.hits if h.kind == kind]
        assert scores == sorted(scores, reverse=True), (kind, scores)
    assert all(h.strong for h in res.hits[:3])  # meaning may promote the first few
    page = hybrid.search("thermostat offline", limit=20)  # the search page's first request
    assert [h.strong for h in page.hits] == [True] * res.strong + [False] * (20 - res.strong)
    nothing = hybrid.search("trv")  # no word of the help centre: meaning alone promotes nothing
    assert nothing.suggestion is None and nothing.strong == 0
    # "cancel subscription": 6 strong (the relevant 2 first, then "charged twice", *Delete your
    # account*, *Refunds*, *Plans and prices*) on the old code; the two about cancelling now
    cancel = hybrid.search("cancel subscription", limit=20)
    assert [h.id for h in cancel.hits if h.strong] == ["article:billing/cancel-lumo-plus", "faq:billing#cancel-anytime"]


@pytest.mark.slow
def test_a_kind_filter_narrows_the_one_ranking_it_never_ranks_the_kind_apart(demo_index):
    """A filtered search (the search page's Articles / FAQ / Videos) lists the kind's rows of the
    unfiltered answer, in its order, and as many strong ones as the unfiltered answer counted for
    the kind (the count on the filter). Before, the kind was fused apart: "refund" listed 3
    strong videos under a Videos filter that said 0, "thermostat offline" 9 strong articles
    under one that said 7."""
    from carebase.search import semantic

    if not semantic.available():
        pytest.skip("no embedding model could be loaded: hybrid search is off")
    catalogue, folder = demo_index
    hybrid = Searcher(open_index(folder), catalogue, semantic=semantic.SemanticIndex.build(catalogue, folder))
    for query in ("refund", "thermostat offline", "wifi", "wont connect wifi", "battery"):
        every = hybrid.search(query, limit=500)  # the whole ranking
        for kind in ("article", "faq", "video"):
            only = hybrid.search(query, kind=kind, limit=20)
            mine = [(h.key, h.strong) for h in every.hits if h.kind == kind][:20]
            assert [(h.key, h.strong) for h in only.hits][:len(mine)] == mine, (query, kind)
            assert only.strong == every.strong_counts[kind] == sum(h.strong for h in only.hits), (query, kind)
            assert only.strong_counts == every.strong_counts and only.total == every.counts[kind]


def test_the_strong_set_does_not_move_with_how_many_candidates_meaning_brings():
    # a one-word query: every word match is strong ("thermostat": 102 in the demo, lexical search
    # and the browser's index). "alike" is found by meaning alone, alike enough to be ranked, not
    # enough to be strong: until session 36 it ended its kind's strong results wherever the fusion
    # ranked it, so the count depended on whether the candidates reached it (and on the cosine
    # scale they set): "thermostat" 102 / 60 / 68 / 69 strong with 20 / 50 / 100 / 400 of them.
    from carebase.search import semantic
    from carebase.search.impact import KINDS

    n = 80
    keys = [f"d{i}" for i in range(n)]
    docnum = {k: i for i, k in enumerate(keys)}
    kinds = dict.fromkeys(keys, "faq")
    codes = np.full(n, KINDS.index("faq"))
    matched = np.arange(n) < 60  # d0..d59 say the word
    bm25 = np.where(matched, 10.0 - np.arange(n) * 0.1, 0.0)
    rnd = np.random.default_rng(36)
    cos = np.where(matched, rnd.uniform(0.30, 0.45, n), rnd.uniform(0.10, 0.40, n))
    cos[70] = 0.60  # "alike": no word of the query, the most alike record but one
    cos[0] = 0.70
    strong = matched.copy()  # one word: every match is strong (cutoff.cut)
    sets = {}
    for depth in (5, 20, 50, 100):
        old = semantic.CANDIDATES
        semantic.CANDIDATES = depth
        try:
            lexical = [(keys[i], float(bm25[i])) for i in range(min(depth, n)) if matched[i]]
            scorer = {}
            ranked = fuse(lexical, cos.astype(np.float32), keys, docnum, scorer=scorer)
        finally:
            semantic.CANDIDATES = old
        alike = {k: bool(cos[docnum[k]] >= MIN_SIMILARITY) for k, _ in ranked}
        cut = FusedCut(strong, {"article": 0, "faq": 60, "video": 0}, matched, docnum, kinds,
                       quarter=strong, kind_codes=codes, scores=bm25, keys=keys)
        listed, _ = cut(ranked, {k for k, _ in lexical}, alike,
                        every=lambda: (scorer["score"](bm25, cos), cos, MIN_SIMILARITY))
        rows = cut.narrowed(listed, None, [(k, 0.0) for k, _ in lexical], 200)
        hits = [Hit(k, kinds[k], k, "/" + k, "", 0.0, key=k) for k, _ in rows]
        res = cut.mark(SearchResults(hits, len(hits)), None)
        assert res.strong == sum(h.strong for h in res.hits), depth  # the count is the strong rows listed
        sets[depth] = {h.id for h in res.hits if h.strong}
    # every word match, and "alike" (2nd by meaning, half the first's fused score: one of meaning's
    # picks) at every depth: the words' 60 and what meaning adds
    assert all(s == sets[50] for s in sets.values()), {d: len(s) for d, s in sets.items()}
    assert {f"d{i}" for i in range(60)} <= sets[50]


@pytest.mark.slow
@pytest.mark.parametrize("q", ["thermostat", "thermostat offline", "heat pump", "wifi", "heating not turning on",
                               "remove old thermostat", "money back annual plan", "energy report lumo plus"])
def test_a_querys_strong_set_is_the_same_at_every_candidate_depth(demo_index, monkeypatch, q):
    # the demo through hybrid search: with the fusion's candidates at 20 / 50 / 100 / 400, the
    # strong set and the count did not agree on 17 of the 37 demo queries on main 42bd685
    # ("thermostat" 102 / 60 / 68 / 69; "heat pump" 3 / 3 / 6 / 8)
    from carebase.search import semantic

    if not semantic.available():
        pytest.skip("no embedding model could be loaded: hybrid search is off")
    catalogue, folder = demo_index
    hybrid = Searcher(open_index(folder), catalogue, semantic=_demo_vectors(catalogue, folder))
    lexical = Searcher(open_index(folder), catalogue).search(q, limit=1)
    seen = {}
    for depth in (20, 50, 100, 400):
        monkeypatch.setattr(semantic, "CANDIDATES", depth)
        res = hybrid.search(q, limit=1000)
        seen[depth] = (res.strong, frozenset((h.id, h.url) for h in res.hits if h.strong))
        assert res.strong == len(seen[depth][1]), (q, depth)
    assert len(set(seen.values())) == 1, (q, {d: s for d, (s, _) in seen.items()})
    if len(lexical.clauses) == 1:  # one word: every word match is strong, as the browser's index says
        assert seen[50][0] >= lexical.strong == lexical.total


_VECTORS = {}


def _demo_vectors(catalogue, folder):
    from carebase.search import semantic

    if str(folder) not in _VECTORS:
        _VECTORS[str(folder)] = semantic.SemanticIndex.build(catalogue, folder)
    return _VECTORS[str(folder)]
