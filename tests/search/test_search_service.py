"""The search API as the feedback service mounts it, over the demo help centre (content/)."""

from pathlib import Path

import pytest

from carebase.search.index import open_index
from carebase.search.query import Searcher
from carebase.service.app import create_app
from carebase.service.config import ServiceConfig
from tiers_testkit import real_build
from web_testkit import serve_asgi

DEMO = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
@real_build
def service(tmp_path_factory):
    from carebase.content import load_catalogue
    from carebase.output import open_output

    tmp = tmp_path_factory.mktemp("service")
    open_output(tmp / "site-data", load_catalogue(DEMO))  # what `carebase build` writes beside the site
    app = create_app(ServiceConfig(database_url=f"sqlite:///{tmp}/feedback.db", site_data=str(tmp / "site-data")))
    with serve_asgi(app, lifespan="on") as client:
        yield client


def test_typo_reaches_the_refund_article_through_the_service(service):
    body = service.get("/api/v1/search", params={"q": "refnd"}).json()
    assert body["suggestion"] == "refund"
    assert body["hits"][0]["id"] == "article:billing/refunds"


def test_synonym_from_the_demo_synonyms_file(service):
    # "unsubscribe" is grouped with "cancel" in content/synonyms.yml
    body = service.get("/api/v1/search", params={"q": "unsubscribe"}).json()
    assert body["hits"][0]["id"] == "article:billing/cancel-lumo-plus"


def test_video_filter_returns_chapters_with_timestamps(service):
    body = service.get("/api/v1/search", params={"q": "wifi", "type": "video"}).json()
    assert body["hits"] and all(h["kind"] == "video" for h in body["hits"])
    assert any("#t=" in h["url"] for h in body["hits"])


def test_bad_type_is_400_through_the_service(service):
    r = service.get("/api/v1/search", params={"q": "wifi", "type": "pdf"})
    assert r.status_code == 400 and r.json()["field"] == "type"


def test_an_output_written_with_meaning_off_is_searched_lexically(tmp_path, monkeypatch):
    from carebase.output import open_output
    from carebase.search import meaning
    from search_testkit import help_centre

    monkeypatch.setenv("CAREBASE_SEMANTIC", "0")
    meaning.reset()
    try:
        output = open_output(tmp_path / "site-data", help_centre())  # no vectors written
    finally:
        monkeypatch.delenv("CAREBASE_SEMANTIC")
        meaning.reset()
    assert output.stamp["vectors"] is None
    searcher = open_output(tmp_path / "site-data").searcher()
    assert output.vectors() is None and searcher.semantic is None
    assert searcher.search("refnd").hits[0].id == "article:billing/refunds"


# -- meaning by default ------------------------------------------------------------------
@pytest.mark.parametrize("query, expected", [
    # no word of these (after stop words, stems and the demo's synonyms) leads lexical search
    # there: plain BM25F ranks video:reconnect-wifi, voice-assistants and error-codes first
    ("what comes with it when I open the package", "article:getting-started/whats-in-the-box"),
    ("can my partner control it too", "article:app-and-account/share-access-with-family"),
    ("I forgot my login code", "faq:app-and-privacy#forgot-password"),
])
def test_default_install_finds_a_paraphrase_by_meaning(service, query, expected):
    from carebase.search import meaning

    assert meaning.available(), meaning.status()  # a dependency of the default install
    body = service.get("/api/v1/search", params={"q": query}).json()
    assert body["hits"][0]["id"] == expected


def test_strong_matches_come_before_weaker_ones_and_the_counts_add_up(service):
    # hybrid (meaning) results kept the fused order: "thermostat offline" had strong hits at
    # 21st, 29th, 32nd and 47th, so the search page (20) said 12 results and listed 7; "trv"
    # (no word of the help centre) said total 10 with counts all 0
    for q in ("thermostat offline", "refnd", "trv"):
        body = service.get("/api/v1/search", params={"q": q, "limit": 20}).json()
        flags = [h["strong"] for h in body["hits"]]
        assert flags == sorted(flags, reverse=True), (q, flags)  # strong first
        assert flags.count(True) == min(body["strong"], 20) == min(sum(body["strong_counts"].values()), 20), q
        assert body["total"] == sum(body["counts"].values()) >= len(flags), (q, body["total"], body["counts"])
        assert all(body["strong_counts"][k] <= body["counts"][k] for k in body["counts"]), q
    assert body["strong"] == 0 and body["hits"]  # "trv": meaning's hits, none strong


def test_meaning_adds_records_half_as_alike_as_its_best_and_one_chapter_of_a_video(service, demo_index):
    """Fails on the old code: under the default fusion meaning's 50 most alike records joined the
    answer whatever their cosine. "hot water boost" listed 50 records, 44 of them matching no word
    of the query (chapters of the Wi-Fi and app videos, account articles: cosines 0.02-0.24, where
    the hot-water article is 0.69), behind "Show weaker matches (49)"; "schedule" listed several
    chapters of one video that no word matched. A record no word matched is now listed when it is
    at least half as alike as the query's most alike record (semantic.relative_floor), and at most
    one chapter of a video among those (semantic.one_chapter_per_video); the API and the page
    without JavaScript say the same count. Session 38's floor also asked 0.25 of each record and
    lost short questions' answers on the third set (benchmarks/RESULTS.md)."""
    catalogue, folder = demo_index
    lexical = Searcher(open_index(folder), catalogue)
    words = {q: {h.url for h in lexical.search(q, limit=200).hits} for q in ("hot water boost", "schedule")}
    lexical.close()
    body = service.get("/api/v1/search", params={"q": "hot water boost", "limit": 50}).json()
    assert body["hits"][0]["id"] == "article:comfort-and-schedules/hot-water-control"
    assert [h["url"] for h in body["hits"] if h["url"] not in words["hot water boost"]] == []
    assert body["total"] == len(body["hits"]) == len(words["hot water boost"]) and body["strong"] == 1
    page = service.get("/search/", params={"q": "hot water boost"}).text
    assert f"Show weaker matches ({body['weak_items']})" in page  # 5 (49 before), counted as items (session 43)
    body = service.get("/api/v1/search", params={"q": "schedule", "limit": 50}).json()
    meaning_only = [h["url"] for h in body["hits"] if h["url"] not in words["schedule"]]
    chapters = [url.split("#")[0] for url in meaning_only if "#t=" in url]
    assert meaning_only and len(chapters) == len(set(chapters)), meaning_only
    assert body["total"] == len(body["hits"])  # every row listed is counted, none past them


def test_a_query_with_no_known_word_and_nothing_alike_lists_only_meanings_first_few(service, monkeypatch):
    """Fails on the old code: "trv" (no word of the demo, its most alike record 0.12 alike) listed
    13 records behind "Show weaker matches (13)", where the browser's index, with no meaning, says
    no results. With no word of the query matching a record and nothing at least
    semantic.MIN_SIMILARITY alike, at most cutoff.MEANING_TOP (3) are listed, the most alike (the
    first of the old list), none strong (session 40, benchmarks/RESULTS.md); a query no word of
    which is known but that meaning finds alike keeps its rows."""
    from carebase.search import semantic
    from carebase.search.cutoff import MEANING_TOP

    def rows(q, **params):
        body = service.get("/api/v1/search", params={"q": q, "limit": 50, **params}).json()
        return body, [h["url"] for h in body["hits"]]

    body, urls = rows("trv")
    assert body["strong"] == 0 and body["total"] == sum(body["counts"].values()) == len(urls) == MEANING_TOP
    for kind in ("article", "faq", "video"):  # a kind's filter lists its own of those, none more
        narrowed, _ = rows("trv", type=kind)
        assert narrowed["total"] == body["counts"][kind] == len(narrowed["hits"]), kind
    page = service.get("/search/", params={"q": "trv"}).text
    assert "No close matches for" in page and f"Show weaker matches ({MEANING_TOP})" in page
    _, chilly = rows("chilly")  # no word of the demo either, but meaning finds records 0.32 alike
    monkeypatch.setattr(semantic, "UNKNOWN_WORDS_ROWS", None)  # the old rule, in the same service
    old, old_urls = rows("trv", offset=0)
    assert old["total"] == 13 and old_urls[:MEANING_TOP] == urls  # the most alike, in their order
    assert rows("chilly", offset=0)[1] == chilly and len(chilly) > MEANING_TOP  # the same, under either rule


def test_an_answer_only_meaning_finds_is_still_listed(service):
    # no word of "my spouse wants in" is in the help centre: meaning alone finds *Share access
    # with family*, 0.38 alike, the most alike record. A floor at the answer API's calibrated
    # "no answer" line (0.4277, tried on the first set in session 38, not kept) dropped it
    body = service.get("/api/v1/search", params={"q": "my spouse wants in"}).json()
    assert body["hits"][0]["id"] == "article:app-and-account/share-access-with-family"


def test_strong_matches_of_thermostat_offline_are_about_being_offline(service):
    # what the search page lists before "Show weaker matches" (the API, meaning on): on main
    # 7dce18a 11 strong, among them "Delete your Lumo account", "Factory reset" and "Create a
    # schedule", which share only "thermostat" (or its synonym "Lumo", in nearly every item):
    # the fused ranking's first 7 articles, as many as the cut-off counted strong lexical ones
    from carebase.content import load_catalogue
    from carebase.search.records import catalogue_records

    text: dict[str, str] = {}
    for record in catalogue_records(load_catalogue(DEMO)):
        text[record.id] = text.get(record.id, "") + " " + record.text().lower()
    body = service.get("/api/v1/search", params={"q": "thermostat offline", "limit": 50}).json()
    strong = [h["id"] for h in body["hits"] if h["strong"]]
    assert strong[0] == "article:troubleshooting/thermostat-offline" and 1 <= body["strong"] <= 10
    offline = ("offline", "disconnect", "not connect", "no connection", "unavailable")  # content/synonyms.yml
    assert [i for i in strong if not any(w in text[i] for w in offline)] == []
    assert "article:app-and-account/delete-your-account" not in strong



def test_meaning_does_not_make_a_result_it_barely_knows_strong(service):
    # "o/b" (a heat pump's reversing-valve wire, kept one word since session 33) means nothing
    # to the embedding model (cosines 0.09-0.12): on main 5ba41cb the fused ranking's first 3
    # were strong whatever they matched, so "Share access with family" and "Create a Lumo
    # account", found by meaning alone, were 2 of its 3 strong matches and ended the articles'
    # strong ones: the heat-pump article was 8th, among the weaker
    body = service.get("/api/v1/search", params={"q": "o/b", "limit": 20}).json()
    strong = [h["id"] for h in body["hits"] if h["strong"]]
    assert not [i for i in strong if i.startswith("article:app-and-account/")], strong
    assert strong[:2] == ["faq:devices#heat-pump-cold-air", "article:installation/heat-pumps"], strong
    assert "article:installation/wiring-guide" in strong


def test_a_result_sharing_one_of_two_words_far_below_the_first_is_not_strong(service):
    # "reset password": the Wi-Fi video shares only "password" (its Wi-Fi password) and the
    # fusion gives it 0.46 of the first's score; on main 5ba41cb it was strong, 3rd (the fused
    # first 3 were strong, and so was a quarter of the query's weight whatever it scored)
    body = service.get("/api/v1/search", params={"q": "reset password", "limit": 20}).json()
    strong = [h["id"] for h in body["hits"] if h["strong"]]
    assert strong[0] == "faq:app-and-privacy#forgot-password"
    assert "video:reconnect-wifi" not in strong and body["strong_counts"]["video"] == 0, strong
    assert body["strong"] == len(strong)

@pytest.mark.slow
def test_without_a_loadable_model_search_is_lexical_with_a_one_line_notice(tmp_path, monkeypatch, caplog):
    from carebase.content import load_catalogue
    from carebase.output import open_output
    from carebase.search import embedders, meaning, semantic

    def missing():
        raise ImportError("No module named 'onnxruntime'", name="onnxruntime")

    monkeypatch.setattr(embedders, "BACKENDS", {"minilm-onnx": missing})
    monkeypatch.setattr(semantic, "_noticed", False)
    meaning.reset()

    try:
        with caplog.at_level("WARNING", logger="carebase.search"):
            searcher = open_output(tmp_path / "site-data", load_catalogue(DEMO)).searcher()
    finally:
        meaning.reset()
    assert searcher.semantic is None
    assert searcher.search("refnd").hits[0].id == "article:billing/refunds"
    notices = [r for r in caplog.records if r.name == "carebase.search"]
    assert len(notices) == 1 and notices[0].exc_info is None
    line = notices[0].getMessage()
    assert "\n" not in line and "onnxruntime" in line and "lexical" in line


def _pages(service, q, kind=None, limit=20):
    """Every page of ``q``'s list through ``offset``, until ``total``: (the hits, the answers)."""
    hits, answers, offset = [], [], 0
    while True:
        params = {"q": q, "limit": limit, "offset": offset, **({"type": kind} if kind else {})}
        body = service.get("/api/v1/search", params=params).json()
        answers.append(body)
        hits += body["hits"]
        offset += limit
        if offset >= body["total"]:
            return hits, answers


@pytest.mark.parametrize("q", ["schedule", "thermostat", "thermostat offline"])
def test_offset_pages_through_every_match_once_strong_first_with_the_same_counts(service, q):
    # the search page listed 20 of "schedule"'s 30 strong results with no way to the rest, and
    # the API refused offset (400: unknown parameter)
    for kind in (None, "video"):
        hits, answers = _pages(service, q, kind)
        first = answers[0]
        assert all((a["total"], a["strong"], a["counts"], a["strong_counts"]) ==
                   (first["total"], first["strong"], first["counts"], first["strong_counts"]) for a in answers), q
        rows = [(h["id"], h["url"]) for h in hits]
        assert len(rows) == len(set(rows)) == first["total"], (q, kind)  # every match, each once
        flags = [h["strong"] for h in hits]
        assert flags == sorted(flags, reverse=True) and flags.count(True) == first["strong"], (q, kind)
        # a page is the slice of the one list a larger page holds
        assert [(h["id"], h["url"]) for h in service.get("/api/v1/search", params={
            "q": q, "limit": 50, **({"type": kind} if kind else {})}).json()["hits"]] == rows[:50], (q, kind)


def test_the_strong_count_does_not_stop_at_the_fused_candidates(service):
    # every one of the demo's 30 FAQ questions matching "thermostat" (one word: every match is
    # strong) is listed as strong; the count stopped at the 50 lexical candidates fusion looked at
    # (19 FAQ, 49 strong in all, lexical search 102) until session 35
    body = service.get("/api/v1/search", params={"q": "thermostat", "limit": 1}).json()
    assert body["strong_counts"]["faq"] == body["counts"]["faq"] == 30, body
    hits, _ = _pages(service, "thermostat", "faq")
    assert [h["strong"] for h in hits].count(True) == 30


@pytest.mark.parametrize("offset, limit", [("-1", "20"), ("x", "20"), ("981", "20"), ("1000", "1")])
def test_a_bad_offset_is_a_400_naming_it(service, offset, limit):
    r = service.get("/api/v1/search", params={"q": "wifi", "offset": offset, "limit": limit})
    assert r.status_code == 400 and r.json()["field"] == "offset", r.json()
    assert service.get("/api/v1/search", params={"q": "wifi", "offset": "980", "limit": "20"}).status_code == 200


@pytest.mark.parametrize("q", ["wifi", "schedule"])
def test_the_api_counts_a_video_with_its_chapters_as_one_result(service, q):
    """``items`` / ``item_counts`` / ``weak_items`` count what a results page lists: a video with
    its matching chapters once (carebase.search.items). Fails on the old code (no such fields;
    "wifi" said 9 videos through ``strong_counts`` for 2). Every page of the list says the same."""
    every = service.get("/api/v1/search", params={"q": q, "limit": 50}).json()
    assert every["strong"] <= 50, every["strong"]  # one page holds every strong record
    strong = [h for h in every["hits"] if h["strong"]]
    for kind in ("article", "faq", "video"):
        assert every["item_counts"][kind] == len({h["id"] for h in strong if h["kind"] == kind}), kind
    assert every["items"] == sum(every["item_counts"].values()) == len({(h["kind"], h["id"]) for h in strong})
    assert every["item_counts"]["video"] < every["strong_counts"]["video"]  # chapters matched: fewer results
    videos = service.get("/api/v1/search", params={"q": q, "type": "video", "limit": 50}).json()
    assert videos["items"] == every["item_counts"]["video"] == len({h["id"] for h in videos["hits"] if h["strong"]})
    weak = {h["id"] for h in videos["hits"] if not h["strong"]}
    assert videos["weak_items"] == len(weak) or videos["total"] > 50
    later = service.get("/api/v1/search", params={"q": q, "limit": 10, "offset": 10}).json()
    assert (later["items"], later["item_counts"], later["weak_items"]) == (every["items"], every["item_counts"], every["weak_items"])
