"""What a customer counts as results: items, not search records.

A video's chapters are search records of their own (each found, ranked and linked at its
time), but a results list draws a video and its chapters as one row (search.js ``rowsOf``,
search_page.grouped). The counts a search page says — its heading, the kind filters, "Showing
the best N of M results", "Show weaker matches (N)" — count that video once: "wifi" on the demo
found 2 videos through 9 records and said "Videos 9" (sessions 41 and 42's audits). Every other
record is an item of its own (an article, one FAQ question). The client index counts the same
way (search-index.js, from meta.json's ``same``: search_shards.same_items)."""

from __future__ import annotations

from dataclasses import dataclass

from carebase.search.query import KINDS, MAX_DEPTH


def item_of(key: str) -> str:
    """The item a record key belongs to: a chapter's (``video:x#t=95``) is its video's."""
    head, mark, rest = (key or "").partition("#t=")
    return head if mark and rest.isdigit() else key


@dataclass(frozen=True, slots=True)
class Items:
    strong: int  # the strong items of the requested kind (or of every kind)
    strong_counts: dict[str, int]  # the strong items per kind
    weak: int  # the weaker items of the requested kind (or of every kind): by record past WEAK_DEPTH video records;
    # at most the weaker records in the list's first MAX_DEPTH (what "Show weaker matches" reaches)


def count_items(results, searcher, q: str, kind: str | None) -> Items:
    """The items of a search's ``results`` (``Searcher.search`` or ``learned.ranking.search``).
    Only videos (chapters) can differ from their record counts: a kind's list holds its strong
    records first, so its first ``strong_counts[video]`` records are the strong ones and the rest
    the weaker, read from the search's own evaluation (``results.more``) when it has one, else
    asked of ``searcher``. An index with no chapters is never asked."""
    records = dict(results.counts or {})
    strong = dict(results.strong_counts or records)
    weak = {k: max(0, records.get(k, 0) - strong.get(k, 0)) for k in KINDS}
    # the list reaches its first MAX_DEPTH records, strong ones first: what it can show of the weaker
    # ("Show weaker matches (N)", session 36's rule), for the kind asked or every kind's one list
    in_list = records.get(kind, 0) if kind else sum(records.values())
    reached = max(0, min(in_list, MAX_DEPTH) - (strong.get(kind, 0) if kind else sum(strong.values())))
    all_videos, strong_videos = records.get("video", 0), strong.get("video", 0)
    if all_videos > 1 and _has_chapters(searcher):
        # the weaker ones too while the kind's list is short; past WEAK_DEPTH its weaker matches
        # are counted by record (reading 600 records' keys cost ~1.3 ms of CPU a search at 10,000
        # items, the strong ones alone ~0.15 ms: RESULTS "Session 43 (`siteui`)")
        depth = min(all_videos if all_videos <= WEAK_DEPTH else strong_videos, MAX_DEPTH)
        keys = _video_keys(results, searcher, q, depth) if depth > 1 else []
        listed = min(strong_videos, len(keys))
        if depth > 1:
            strong["video"] = len({item_of(k) for k in keys[:listed]}) + max(0, strong_videos - listed)
        if all_videos <= WEAK_DEPTH:
            weak["video"] = len({item_of(k) for k in keys[listed:]})
    counts = {k: int(strong.get(k, 0)) for k in KINDS}
    total = counts.get(kind, 0) if kind else sum(counts.values())
    weaker = weak.get(kind, 0) if kind else sum(weak.values())
    return Items(total, counts, min(weaker, reached))


#: The longest list of a kind's records whose weaker matches are counted as items.
WEAK_DEPTH = 200


def _video_keys(results, searcher, q: str, depth: int) -> list[str]:
    if getattr(results, "more", None) is not None:
        return [key for key, _ in results.more("video", depth)[:depth]]
    return [h.key or h.id for h in searcher.search(q, kind="video", limit=depth, snippets=False).hits[:depth]]


def _has_chapters(searcher) -> bool:
    keys = getattr(searcher, "kinds_of_keys", None)
    if keys is None:
        return True
    mapping = keys()
    held = _CHAPTERS.get(id(mapping))
    if held is None or held[0] is not mapping:
        held = _CHAPTERS[id(mapping)] = (mapping, any(item_of(k) != k for k, kind in mapping.items() if kind == "video"))
        if len(_CHAPTERS) > 16:  # old indexes' entries (a rebuilt output's searcher replaces them)
            _CHAPTERS.pop(next(iter(_CHAPTERS)))
    return held[1]


#: id of a searcher's key → kind mapping → (the mapping, whether it holds a chapter)
_CHAPTERS: dict[int, tuple] = {}
