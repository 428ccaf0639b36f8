"""Learned votes in a help centre with more strong matches than the learned ranking mixes
(``learned.ranking`` mixes the votes into the base ranking's first ``MAX_LIMIT``): a voted item
the base search already counts as strong, ranked past that depth, is counted once, and a
filtered search is one base search.

Every one of the ``ARTICLES`` articles mentions "thermostat", so the one-word query "thermostat"
has that many strong matches (a one-word query's matches are all strong, lexically and in the
fused ranking). Before (session 33's code reader): the voted item past the depth was counted
again as "made strong by the votes", so the Articles filter said 81 of 80 articles."""

from __future__ import annotations

import pytest

from carebase.content.model import Article, Catalogue
from carebase.learned import ranking
from carebase.learned.model import Settings
from carebase.search.index import build_index, open_index
from carebase.search.query import MAX_LIMIT, Searcher

ARTICLES = 80  # more strong matches than the mixed depth (MAX_LIMIT, 50)
OTHERS = 3  # articles without the query's word: votes past the depth make one strong
QUERY = "thermostat"
WORDS = ("boiler", "schedule", "battery", "wiring", "display", "sensor", "valve", "radiator", "holiday", "pairing")


def catalogue() -> Catalogue:
    articles = tuple(
        Article(id=f"article:t/a{i}", path=f"t/a{i}.md", title=f"{WORDS[i % 10].title()} {WORDS[(i // 10) % 10]} {i}",
                body=f"The thermostat and the {WORDS[i % 10]}. " + " ".join(WORDS[(i + j) % 10] for j in range(i % 7 + 3)),
                body_line=3, category="t")
        for i in range(ARTICLES))
    others = tuple(Article(id=f"article:t/b{i}", path=f"t/b{i}.md", title=f"Holiday {WORDS[i]} {i}",
                           body=f"The {WORDS[i]} and the holiday mode.", body_line=3, category="t")
                   for i in range(OTHERS))
    return Catalogue(root="planted", articles=articles + others)


class Votes:
    """A learned snapshot's interface as ``ranking.search`` reads it: one query's vote shares."""

    def __init__(self, shares: dict[str, float]):
        self.shares, self.settings = shares, Settings()

    def votes(self, q: str) -> dict[str, float]:
        return dict(self.shares)


def _check(searcher) -> int:
    """The strong articles the base search counts, checked with votes past the mixed depth."""
    base = searcher.search(QUERY, limit=MAX_LIMIT, snippets=False)
    strong = base.strong_counts["article"]
    assert MAX_LIMIT < strong <= ARTICLES
    mixed = {h.id for h in base.hits}
    past = [a.id for a in searcher.catalogue.articles if a.id not in mixed]
    counted = [item for item in past if base.counted(item)]
    learned = Votes({counted[-1]: 1.0})  # customers who searched "thermostat" reached a strong article ranked past 50
    every = ranking.search(searcher, learned, QUERY, limit=10)
    assert every.hits[0].id == counted[-1] and every.hits[0].strong  # the votes put it first
    # the count on the Articles filter: each strong article once (before: one more, 81 of 80 articles)
    assert every.strong_counts["article"] == strong, (every.strong_counts, strong)
    assert every.strong == strong
    filtered = searcher.search(QUERY, kind="article", limit=MAX_LIMIT, snippets=False)  # without votes
    calls = []
    search = searcher.search
    searcher.search = lambda *a, **kw: calls.append(kw.get("kind")) or search(*a, **kw)
    only = ranking.search(searcher, learned, QUERY, kind="article", limit=MAX_LIMIT)
    del searcher.search
    assert calls == [None]  # one base search (before: a second one, filtered to the kind, for the rows past the mix)
    assert only.strong == only.strong_counts["article"] == strong
    assert only.hits[0].id == counted[-1] and len({h.id for h in only.hits}) == len(only.hits) == MAX_LIMIT
    # the rest in the order the filtered search without votes lists them
    assert [h.id for h in only.hits[1:]] == [h.id for h in filtered.hits if h.id != counted[-1]][:MAX_LIMIT - 1]
    assert all(h.strong for h in only.hits)
    # a voted article past the depth that the base did not count as strong is made strong: one more
    (item,) = [item for item in past if not base.counted(item)][:1]
    assert ranking.search(searcher, Votes({item: 1.0}), QUERY).strong_counts["article"] == strong + 1
    return strong


def test_a_voted_strong_match_past_the_mixed_depth_counts_once_lexical(tmp_path):
    cat = catalogue()
    build_index(cat, tmp_path / "ix")
    assert _check(Searcher(open_index(tmp_path / "ix"), cat)) == ARTICLES  # a one-word query: every match is strong


@pytest.mark.slow  # embeds the 80 articles
def test_a_voted_strong_match_past_the_mixed_depth_counts_once_hybrid(tmp_path):
    from carebase.search import semantic

    if not semantic.available():
        pytest.skip("carebase's meaning model is not installed")
    cat = catalogue()
    build_index(cat, tmp_path / "ix")
    semantic.SemanticIndex.build(cat, tmp_path / "ix")
    _check(Searcher(open_index(tmp_path / "ix"), cat, semantic=semantic.SemanticIndex.open(tmp_path / "ix")))


@pytest.mark.slow  # builds the index again (1.9 s of CPU)
def test_pages_of_a_voted_list_are_slices_of_one_list(tmp_path):
    # "Show more results" pages through the learned list with offset: the votes are mixed into
    # the base list's first MAX_LIMIT whatever the page, so the pages join into the list a deep
    # request answers, each article once (before session 35 there was no offset)
    cat = catalogue()
    build_index(cat, tmp_path / "ix")
    searcher = Searcher(open_index(tmp_path / "ix"), cat)
    base = searcher.search(QUERY, limit=MAX_LIMIT, snippets=False)
    past = [a.id for a in cat.articles[:ARTICLES] if a.id not in {h.id for h in base.hits}]
    learned = Votes({past[-1]: 0.6, "article:t/b1": 0.4})  # a strong match past the depth, one without the word
    deep = ranking.search(searcher, learned, QUERY, limit=200, snippets=False)
    rows = [(h.id, h.strong) for h in deep.hits]
    assert len(rows) == len({i for i, _ in rows}) == deep.total == ARTICLES + 1
    assert [s for _, s in rows].count(True) == deep.strong == ARTICLES + 1  # the voted one without the word too
    assert rows[0][0] == past[-1]
    for kind in (None, "article"):
        paged = []
        for offset in range(0, 100, 20):
            page = ranking.search(searcher, learned, QUERY, kind=kind, limit=20, offset=offset, snippets=False)
            assert (page.total, page.strong) == (deep.total, deep.strong)
            paged += [(h.id, h.strong) for h in page.hits]
        assert paged == rows, kind
