"""Strong and weaker matches: a coordination cut-off (minimum should match) on the ranking.

Search ORs the query's words, so "thermostat offline" matches every item that mentions a
thermostat. A result is a **strong match** when it covers most of what the query says:

- each query word (a *clause*: the word, its typo fix, its synonyms) weighs by how rare it
  is in the help centre (BM25's idf over the items that match the word itself or its typo
  fix; over those matching any of its synonyms when none does), so a word nearly
  every item matches ("thermostat" on a thermostat's help centre) counts for little and the
  rare word ("offline") for much; a word that matches nothing (an unknown word, "trv") does
  not count;
- *coverage* is the weight of the clauses a result matches over the weight of them all; a
  clause a result matches only through a synonym or a typo fix counts that alternative's
  weight (``credits``), the share of the word's BM25 score the match gets in the ranking
  (``analysis.SYNONYM_WEIGHT`` 0.7, ``FUZZY_WEIGHT`` 0.85): "lumo plus" is a synonym of
  "subscription", so an item that says "Lumo Plus" but not "subscription" covers 0.7 of that
  word, not all of it (until session 34 any alternative counted the word's full weight), and
  since session 35 a synonym's share shrinks by how telling the synonyms are compared with
  the word (``stand_ins``): "plan" and "Lumo Plus" are in 29 of the demo's items,
  "subscription" in 8, so they cover 0.36 of it (0.7 × 0.52);
- strong: coverage at least ``MIN_COVERAGE`` of the best result's coverage (three quarters,
  the usual minimum-should-match), or a score at least ``SCORE_SHARE`` of the best result's
  score while covering at least ``FLOOR_COVERAGE`` (long, conversational questions, where
  the right item rarely shares most of the words).

Strong matches come first, in score order, then the weaker ones (the site shows them behind
"Show weaker matches"). A single-word query has only strong matches. With hybrid search
(embeddings), the strong ones are the first results of the fused ranking while each is a
strong match, or scores ``SCORE_SHARE`` of the fused first's score and covers
``FLOOR_COVERAGE`` of the query's weight (``cut``'s second array) or is among its first
``MEANING_TOP`` at least ``semantic.MIN_SIMILARITY`` alike, at most as many as are strong
lexical matches or among those first few (``fused_cut.py``). The three shares were
chosen on half A of the relevance harness (benchmarks/search/relevance.py) and are
reported on half B and on the demo's own multi-word queries (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import numpy as np

from carebase.search.analysis import SYNONYM_WEIGHT

MIN_COVERAGE = 0.75
SCORE_SHARE = 0.5
FLOOR_COVERAGE = 0.25
#: Hybrid search: the first results of the fused ranking (lexical + embeddings) may be strong
#: too (when at least MIN_SIMILARITY alike and half the first's fused score: fused_cut.py), so
#: meaning can promote an answer that shares few of the query's words. Chosen on half A:
#: the fewest (of 1, 2, 3, 5) whose strong matches alone keep hit@5 within 0.01 of the whole
#: list's (a cosine threshold, absolute or relative to the best, could not: the demo's
#: cosines for "thermostat offline" crowd between 0.40 and 0.51, every item being about one
#: thermostat).
MEANING_TOP = 3
#: A credit at most this is a synonym's (``analysis.SYNONYM_WEIGHT``): the word itself, typed
#: or corrected, credits more (``FUZZY_WEIGHT`` 0.85, a second correction 0.765)
STAND_IN = SYNONYM_WEIGHT + 1e-9


def client_rule() -> dict[str, float]:
    """This rule's numbers for the client index (meta.json's "strong", read by search-index.js):
    one rule, written here, with the service down too."""
    from carebase.search.analysis import FUZZY_WEIGHT, SYNONYM_WEIGHT

    return {"min_coverage": MIN_COVERAGE, "score_share": SCORE_SHARE, "floor_coverage": FLOOR_COVERAGE,
            "synonym": SYNONYM_WEIGHT, "fuzzy": FUZZY_WEIGHT}


def clause_weights(doc_freqs, total: int) -> np.ndarray:
    """BM25's idf of each clause from the number of items it matches (0 for none)."""
    df = np.asarray(doc_freqs, dtype=np.float64)
    weights = np.log1p((total - df + 0.5) / (df + 0.5))
    return np.where(df > 0, weights, 0.0)


def credits(alternatives) -> np.ndarray:
    """A clause's credit per document: the largest weight of the clause's alternatives the
    document matches (the word as typed 1.0, a synonym ``SYNONYM_WEIGHT``, a typo fix
    ``FUZZY_WEIGHT``: ``analysis.Clause.alternatives``), 0 where it matches none.
    ``alternatives``: (weight, boolean array of the documents it matches) pairs."""
    out = None
    for weight, matches in alternatives:
        part = np.where(matches, float(weight), 0.0)
        out = part if out is None else np.maximum(out, part)
    return out


def _own(union, own) -> np.ndarray:
    """The items a clause's weight counts: those matching the word itself (typed or corrected),
    or, when none does, those matching any of its alternatives."""
    return np.where(own > 0, own, union)


def stand_ins(grid: np.ndarray) -> np.ndarray:
    """Each clause's credits with a synonym's bounded by how telling the synonyms are.

    A clause weighs by the rarity of the word itself (``_own``), not of the word or its
    synonyms: "plan" and "Lumo Plus" stand for "subscription" in the demo, but 29 of its items
    hold one of them and 8 the word. An item matching the word only through a synonym (a credit
    of at most ``STAND_IN``, ``analysis.SYNONYM_WEIGHT``) is credited as if it held a word as
    common as the word and its synonyms together: its credit times idf(word or synonyms) /
    idf(word). A synonym few items hold keeps nearly all of its 0.7; a common one stands for a
    rare word only as far as it is telling. A clause no item matches through the word itself
    keeps its synonyms' credit. The browser applies the same (search-index.js)."""
    total = grid.shape[1]
    union = (grid > 0).sum(axis=1)
    own = (grid > STAND_IN).sum(axis=1)
    scale = np.where(own > 0, clause_weights(union, total) / np.maximum(clause_weights(np.maximum(own, 1), total), 1e-12),
                     1.0)
    return np.where(grid > STAND_IN, grid, grid * np.minimum(scale, 1.0)[:, None])


def cut(clauses: list[np.ndarray], scores: np.ndarray, matched: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(which documents are strong matches, which cover at least ``FLOOR_COVERAGE`` of the
    best result's coverage: every match when there is one clause that counts). ``clauses``: one
    array per clause (the documents it matches: booleans, or each document's credit,
    ``credits``), ``scores`` and ``matched`` over the same documents."""
    if len(clauses) < 2 or not matched.any():
        return matched.copy(), matched.copy()
    grid = stand_ins(np.vstack(clauses).astype(np.float64))  # a clause's credit per document
    weights = clause_weights(_own((grid > 0).sum(axis=1), (grid > STAND_IN).sum(axis=1)), len(matched))
    if weights.sum() <= 0:
        return matched.copy(), matched.copy()
    coverage = (weights @ grid) / weights.sum()
    best_coverage = coverage[matched].max()
    best_score = scores[matched].max()
    eps = 1e-12
    quarter = (coverage >= FLOOR_COVERAGE * best_coverage - eps) & matched
    strong = coverage >= MIN_COVERAGE * best_coverage - eps
    strong |= (scores >= SCORE_SHARE * best_score - eps) & quarter
    return strong & matched, quarter
