"""Learned phrasings and the search page's kind filter agree, through the real service: the
votes are part of the query's one ranking, so the count on a filter (``strong_counts``) is the
number of strong rows its click lists (``type=…``), in the unfiltered list's order."""

from __future__ import annotations

QUERY = "battery"
TAUGHT = ("video:app-tour",)  # a weaker match of "battery" before
KINDS = ("article", "faq", "video")


def _search(service, **params) -> dict:
    r = service.http.get("/api/v1/search", params={"q": QUERY, "limit": 50, **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_filters_count_includes_what_learned_phrasings_made_strong(learning_service):
    before = _search(learning_service)
    assert not [h for h in before["hits"] if h["id"] in TAUGHT and h["strong"]]
    videos = [h["title"] for h in before["hits"] if h["kind"] == "video" and h["strong"]]
    assert before["strong_counts"]["video"] == len(videos), videos
    for item in TAUGHT:  # customers from three addresses searched "battery" and opened these
        for n in range(3):
            learning_service.journey(f"198.18.9.{n + 1}", QUERY, item)
    learning_service.relearned()

    every = _search(learning_service)
    strong_rows = [h for h in every["hits"] if h["strong"]]
    assert {h["id"] for h in strong_rows} >= set(TAUGHT)  # the votes promoted them
    assert every["strong_counts"]["video"] == len(videos) + len(TAUGHT), (videos, every["strong_counts"])
    for kind in KINDS:
        mine = [(h["id"], h["title"]) for h in strong_rows if h["kind"] == kind]
        # the button's count is the strong rows of the kind listed (before: Videos 0, 1 strong video)
        assert every["strong_counts"][kind] == len(mine), (kind, every["strong_counts"], mine)
        only = _search(learning_service, type=kind)
        # its click lists those rows as strong, in the same order (before: the votes were mixed
        # into the kind's own top results, scaled by its own best score)
        assert [(h["id"], h["title"]) for h in only["hits"] if h["strong"]] == mine, kind
        assert only["strong"] == every["strong_counts"][kind]
        assert only["strong_counts"] == every["strong_counts"]
    assert every["strong"] == sum(every["strong_counts"].values()) == len(strong_rows)
