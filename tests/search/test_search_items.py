"""carebase.search.items on planted results: a video with its chapters is one result; past
WEAK_DEPTH video records the weaker matches are counted by record; an index without chapters
is never asked for its video list."""

from __future__ import annotations

from types import SimpleNamespace

from carebase.search.items import WEAK_DEPTH, count_items, item_of


def results(video_keys: list[str], strong_videos: int, *, articles: int = 2):
    asked = []

    def more(kind, n):
        asked.append((kind, n))
        return [(key, i < strong_videos) for i, key in enumerate(video_keys[:n])]
    res = SimpleNamespace(counts={"article": articles, "faq": 0, "video": len(video_keys)},
                          strong_counts={"article": articles, "faq": 0, "video": strong_videos}, more=more)
    return res, asked


class Index:
    def __init__(self, keys):
        self.keys = {k: "video" for k in keys}

    def kinds_of_keys(self):
        return self.keys


def test_a_chapter_key_belongs_to_its_video():
    assert item_of("video:wifi#t=95") == "video:wifi" and item_of("video:wifi") == "video:wifi"
    assert item_of("faq:billing#t=refund") == "faq:billing#t=refund"  # not a chapter's mark


def test_chapters_count_with_their_video_strong_and_weaker_apart():
    keys = ["video:a", "video:a#t=10", "video:b#t=5", "video:a#t=20", "video:b", "video:c#t=1"]
    res, asked = results(keys, strong_videos=3)
    counted = count_items(res, Index(keys), "wifi", None)
    assert counted.strong_counts == {"article": 2, "faq": 0, "video": 2}  # a and b
    assert counted.strong == 4 and counted.weak == 3  # weaker: a, b, c (a video in both lists is a row in each)
    assert count_items(res, Index(keys), "wifi", "video").strong == 2
    assert asked == [("video", 6), ("video", 6)]


def test_past_weak_depth_the_weaker_ones_are_counted_by_record():
    keys = [f"video:v{n // 5}" + (f"#t={n}" if n % 5 else "") for n in range(WEAK_DEPTH + 50)]
    res, asked = results(keys, strong_videos=10)
    counted = count_items(res, Index(keys), "q", None)
    assert counted.strong_counts["video"] == 2 and counted.weak == WEAK_DEPTH + 40
    assert asked == [("video", 10)]  # the strong records only


def test_an_index_without_chapters_is_not_asked():
    keys = ["video:a", "video:b", "video:c"]
    res, asked = results(keys, strong_videos=2)
    counted = count_items(res, Index(keys), "q", None)
    assert counted.strong_counts["video"] == 2 and counted.weak == 1 and asked == []


def test_the_weaker_count_is_what_the_list_reaches():
    """Reader 43, R3: "Show weaker matches (N)" counts the weaker matches the list reaches (its
    first MAX_DEPTH records, session 36's rule), not every match: 1,203 articles match, 3 of them
    strongly, so the list reaches 997 weaker ones (it said 1,200, and "Show more weaker matches"
    stopped at 997). Filtered to one kind, that kind's list."""
    from carebase.search.query import MAX_DEPTH

    res, asked = results([], strong_videos=0, articles=1203)
    res.strong_counts = {"article": 3, "faq": 0, "video": 0}
    assert count_items(res, Index([]), "thermostat zebra", None).weak == MAX_DEPTH - 3
    assert count_items(res, Index([]), "thermostat zebra", "article").weak == MAX_DEPTH - 3
    res.counts = {"article": 600, "faq": 700, "video": 0}
    res.strong_counts = {"article": 3, "faq": 0, "video": 0}
    assert count_items(res, Index([]), "q", None).weak == MAX_DEPTH - 3  # every kind's list: one list
    assert count_items(res, Index([]), "q", "faq").weak == 700  # the FAQ list alone: its 700 rows
    assert count_items(res, Index([]), "q", "article").weak == 597
