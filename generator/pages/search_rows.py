"""The result rows a client index shard carries (``"r"`` in ``t-<key>.json``), so that the
header and home boxes' suggestions for one word need no item chunk (``d-<n>.json``).

A keystroke's suggestions need their items' titles, kinds, URLs and categories. Those live in
the item chunks, 100 items each, and the best items of a short prefix ("th", "mo") are spread
over the corpus: at 10,000 items such a keystroke fetched 8-12 chunks (17 KB each) after its
shard and showed its list 110-145 ms after the key (benchmarks/RESULTS.md, "Search
suggestions"). So each shard also holds the rows ``[id, kind, title, url, category, parent]`` (the
chunk's row without its text) of every item that search-index.js ranks among the first
``SUGGEST_ROWS`` for one word answered by that shard: each prefix of its terms (the word
being typed) and each of its terms typed whole (the word closed by a space, or a
did-you-mean towards it). The ranking here is search-index.js's for one word
(``Index.prototype.match``); the browser still ranks every query itself and only reads a row
here instead of the chunk, fetching the chunks of rows a shard does not hold (a query of
several words), so a ranking that differed would cost requests, never results.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from math import log

SUGGEST_ROWS = 12  # search.js asks the index for SUGGESTIONS + 4 items per keystroke


def shard_rows(postings: dict[str, dict[int, int]], terms: list[str], key: str, split: set[str], key_of,
               docs: list[list], limit: int = SUGGEST_ROWS) -> dict[str, list]:
    """``{doc: [id, kind, title, url, category, parent]}`` for the shard ``key`` holding ``terms``
    (``split``: the two-letter keys split to three letters; ``key_of(word)``: its shard)."""
    ordered = sorted(terms)
    need: set[int] = set()
    for s in sorted({t[:n] for t in ordered for n in range(1, len(t) + 1)}):
        if key_of(s) != key:
            continue
        # a split key's two letters alone match only the term of those two letters
        expand = not (s[:2] in split and len(s) < 3)
        need.update(_best(_found(postings, ordered, s, prefix=expand, items=len(docs)), limit))
        if s in postings:
            need.update(_best(_found(postings, ordered, s, prefix=False, items=len(docs)), limit))
    return {str(n): [docs[n][0], docs[n][1], docs[n][2], docs[n][3], docs[n][5], *docs[n][6:7]] for n in sorted(need)}


def _found(postings, ordered: list[str], s: str, prefix: bool, items: int) -> dict[int, float]:
    """search-index.js's ``match(word, prefix)`` for the stemmed word ``s``: each item's weight
    (times the term's idf over ``items``)."""
    found: dict[int, float] = {}

    def add(term: str, factor: float) -> None:
        idf = log(items / (sum(w > 0 for w in postings[term].values()) + 1)) + 1  # own, not synonyms'
        for doc, w in postings[term].items():
            v = abs(w) * factor * idf
            if not found.get(doc, -1.0) >= v:
                found[doc] = v

    if s in postings:
        add(s, 1)
    elif "'" not in s:  # a contraction typed without its apostrophe ("wont")
        for term in ordered:
            if term.find("'") > 0 and term.replace("'", "") == s:
                add(term, 1)
    if prefix:
        for term in ordered[bisect_left(ordered, s):]:
            if not term.startswith(s):
                break
            if term != s:
                add(term, 0.6 + 0.3 * len(s) / len(term))
    return found


def _best(found: dict[int, float], limit: int) -> list[int]:
    """The first ``limit`` items as search-index.js orders one word's matches (all strong)."""
    return [doc for doc, _ in heapq.nsmallest(limit, found.items(), key=lambda dw: (-dw[1], dw[0]))]
