"""Hybrid search's strong set read over the whole help centre (``FusedCut.whole``) without sorting
it: the same flags as the rule read in the order of every document's fused score (session 36's
sort, kept here as the rule's statement), whatever the ties, kinds, caps and document order; and
the strong rows past the ranking in the same order when only a page of them is put in order."""

from __future__ import annotations

import numpy as np
import pytest

from carebase.search.cutoff import MEANING_TOP, SCORE_SHARE
from carebase.search.fused_cut import FusedCut, _first
from carebase.search.impact import KINDS


def sorted_rule(cut: FusedCut, fused, cosines, min_similarity: float) -> np.ndarray:
    """The rule read in order: every listed document sorted by fused score (ties: document
    number); per kind, strong while enough, ended by the first that ends it, at most the cap."""
    fused = np.asarray(fused, dtype=np.float64)
    matched, lexical = np.asarray(cut.matched, bool), np.asarray(cut.strong_docs, bool)
    quarter = np.asarray(cut.quarter, bool) if cut.quarter is not None else lexical
    listed = np.flatnonzero(matched | (fused > 0))
    out = np.zeros(len(fused), dtype=bool)
    if not len(listed):
        return out
    order = listed[np.lexsort((listed, -fused[listed]))]
    top = order[:MEANING_TOP]
    picks = np.zeros(len(fused), dtype=bool)
    picks[top[np.asarray(cosines)[top] >= min_similarity]] = True
    enough = lexical | ((fused >= SCORE_SHARE * fused[order[0]] - 1e-12) & (quarter | picks))
    ends = matched & ~enough
    if not np.array_equal(lexical, matched):
        ends |= ~matched & (np.asarray(cosines) >= min_similarity) & ~enough & (fused > 0)
    codes = np.asarray(cut.kind_codes)
    named = lexical.copy()
    named[top] = True
    for i in range(len(KINDS)):
        mine = order[codes[order] == i]
        stop = np.flatnonzero(ends[mine])
        run = mine[: stop[0] if len(stop) else len(mine)]
        out[run[enough[run]][:int(np.count_nonzero(named & (codes == i)))]] = True
    return out


def case(rnd, n: int, grouped: bool, one_word: bool):
    """A query's flags over ``n`` documents: scores on a coarse grid (many ties), kinds grouped
    (as an index is written) or mixed (an index updated in place), some of no kind."""
    codes = rnd.integers(-1, len(KINDS), n).astype(np.int8)
    if grouped:
        codes = np.sort(codes)
    matched = rnd.random(n) < rnd.uniform(0.1, 0.95)
    lexical = matched.copy() if one_word else matched & (rnd.random(n) < rnd.uniform(0.05, 0.9))
    quarter = matched & (lexical | (rnd.random(n) < 0.5))
    bm25 = np.where(matched, rnd.integers(1, 6, n) / 5.0, 0.0)
    cosines = rnd.integers(0, 8, n) / 10.0
    fused = 0.3 * bm25 + 0.7 * np.maximum(0.0, cosines - 0.3)
    cut = FusedCut(lexical, {}, matched, {}, {}, quarter=None if rnd.random() < 0.1 else quarter,
                   kind_codes=codes)
    return cut, fused, cosines


@pytest.mark.parametrize("grouped", [True, False], ids=["kinds-together", "kinds-mixed"])
def test_the_strong_set_is_the_rule_read_in_fused_order(grouped):
    rnd = np.random.default_rng(38)
    strong = 0
    for trial in range(150):
        cut, fused, cosines = case(rnd, int(rnd.integers(1, 120)), grouped, one_word=trial % 4 == 0)
        expected = sorted_rule(cut, fused, cosines, 0.25)
        assert np.array_equal(cut.whole(fused, cosines, 0.25), expected), trial
        strong += int(expected.sum())
    assert strong > 500  # the cases hold strong results, not only empty sets


def test_the_first_of_many_are_a_stable_sorts_first():
    rnd = np.random.default_rng(381)
    for trial in range(200):
        n = int(rnd.integers(0, 80))
        scores = rnd.integers(0, 5, n) / 4.0  # ties everywhere
        docs = np.flatnonzero(rnd.random(n) < 0.6)
        ordered = docs[np.lexsort((docs, -scores[docs]))]
        for k in (0, 1, 3, len(docs) // 2, len(docs), len(docs) + 2):
            assert _first(docs, scores, k).tolist() == ordered[:k].tolist(), (trial, k)
