"""Strong and weaker matches: a coordination cut-off (minimum should match) on the ranking.

Search ORs the query's words, so "thermostat offline" matches every item that mentions a
thermostat. A result is a **strong match** when it covers most of what the query says:

- each query word (a *clause*: the word, its typo fix, its synonyms) weighs by how rare it
  is in the help centre (BM25's idf over the items that match the clause), so a word nearly
  every item matches ("thermostat" on a thermostat's help centre) counts for little and the
  rare word ("offline") for much; a word that matches nothing (an unknown word, "trv") does
  not count;
- *coverage* is the weight of the clauses a result matches over the weight of them all; a
  clause a result matches only through a synonym or a typo fix counts that alternative's
  weight (``credits``), the share of the word's BM25 score the match gets in the ranking
  (``analysis.SYNONYM_WEIGHT`` 0.7, ``FUZZY_WEIGHT`` 0.85): "lumo plus" is a synonym of
  "subscription", so an item that says "Lumo Plus" but not "subscription" covers 0.7 of that
  word, not all of it (until session 34 any alternative counted the word's full weight);
- strong: coverage at least ``MIN_COVERAGE`` of the best result's coverage (three quarters,
  the usual minimum-should-match) while scoring at least ``FLOOR_SCORE`` of the best result's
  score (a quarter), or a score at least ``SCORE_SHARE`` of the best result's score while
  covering at least ``FLOOR_COVERAGE`` (long, conversational questions, where the right item
  rarely shares most of the words). Each way, a result strong on one measure must not be
  negligible on the other. Until session 36 most of the weight was enough whatever the score:
  a short query's words are both in many items of one topic, and "cancel subscription" listed
  8 strong, among them *Delete your account* at 0.14 of the best score and "I was charged
  twice" at 0.18, which say "cancel" and "subscription" in passing, once each in their text
  (the best, *Cancel Lumo Plus*, has them in its title). The score floor applies when two or
  more of the query's words count: with one, every match is strong, as for a one-word query.

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

MIN_COVERAGE = 0.75
SCORE_SHARE = 0.5
FLOOR_COVERAGE = 0.25
#: The same quarter, of the best result's score: the least a result covering most of the query's
#: weight must score to be strong (session 36: no new number, the rule's own floor on its other
#: measure; checked with the paired judge on half A, benchmarks/RESULTS.md).
FLOOR_SCORE = FLOOR_COVERAGE
#: Hybrid search: the first results of the fused ranking (lexical + embeddings) may be strong
#: too (when at least MIN_SIMILARITY alike and half the first's fused score: fused_cut.py), so
#: meaning can promote an answer that shares few of the query's words. Chosen on half A:
#: the fewest (of 1, 2, 3, 5) whose strong matches alone keep hit@5 within 0.01 of the whole
#: list's (a cosine threshold, absolute or relative to the best, could not: the demo's
#: cosines for "thermostat offline" crowd between 0.40 and 0.51, every item being about one
#: thermostat).
MEANING_TOP = 3


def client_rule() -> dict[str, float]:
    """This rule's numbers for the client index (meta.json's "strong", read by search-index.js):
    one rule, written here, with the service down too."""
    from carebase.search.analysis import FUZZY_WEIGHT, SYNONYM_WEIGHT

    return {"min_coverage": MIN_COVERAGE, "score_share": SCORE_SHARE, "floor_coverage": FLOOR_COVERAGE,
            "floor_score": FLOOR_SCORE, "synonym": SYNONYM_WEIGHT, "fuzzy": FUZZY_WEIGHT}


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


def cut(clauses: list[np.ndarray], scores: np.ndarray, matched: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(which documents are strong matches, which cover at least ``FLOOR_COVERAGE`` of the
    best result's coverage: every match when there is one clause that counts). ``clauses``: one
    array per clause (the documents it matches: booleans, or each document's credit,
    ``credits``), ``scores`` and ``matched`` over the same documents."""
    if len(clauses) < 2 or not matched.any():
        return matched.copy(), matched.copy()
    grid = np.vstack(clauses).astype(np.float64)  # a clause's credit per document (booleans: 1 or 0)
    weights = clause_weights((grid > 0).sum(axis=1), len(matched))
    if weights.sum() <= 0:
        return matched.copy(), matched.copy()
    coverage = (weights @ grid) / weights.sum()
    best_coverage = coverage[matched].max()
    best_score = scores[matched].max()
    eps = 1e-12
    quarter = (coverage >= FLOOR_COVERAGE * best_coverage - eps) & matched
    strong = coverage >= MIN_COVERAGE * best_coverage - eps
    if np.count_nonzero(weights > 0) >= 2:  # one word that counts: every match is strong
        strong &= scores >= FLOOR_SCORE * best_score - eps
    strong |= (scores >= SCORE_SHARE * best_score - eps) & quarter
    return strong & matched, quarter
