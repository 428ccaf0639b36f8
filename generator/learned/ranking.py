"""Search ranked with what was learned: the base ranking fused with nearest-wording votes.

For a query, the base search (``Searcher.search``: BM25F, fused with meaning when it is
on) gives its top ``MAX_LIMIT`` hits of every kind; the learned snapshot gives each item its vote
share from the nearest logged wordings (``nearest.py``, 0..1, summing to 1). The fused score
of an item is ``base score / best base score + weight × vote share``; an item with votes that
the base search did not return joins with its vote alone. An item customers reached with
wordings like this one is a strong match (strong matches come first, as in the base
search). Without votes (nothing learned near the query) the base ranking is returned
unchanged, and so it is on the pages of a language the embedding model does not know when the
neighbours are found by embeddings (``heard_in``).

The votes are mixed into the query's one ranking, of every kind and as deep whatever the
page asks (``MAX_LIMIT``, the search API's largest page), before the strong matches are counted per kind and before a kind
filter narrows it (session 33): so the count on the search page's Videos filter includes the
videos the votes made strong, and ``type=video`` lists the strong videos of the unfiltered
list, in its order. Before, the votes were mixed into the filtered request's own top results
(scaled by that kind's best score) and the counts per kind left out the items they promoted.
"""

from __future__ import annotations

from dataclasses import replace

from carebase.learned.model import Learned
from carebase.search.query import MAX_LIMIT, _snippet_stems


def heard_in(learned: Learned | None, searcher) -> bool:
    """Whether the learned phrasings' neighbours can be found for a query on this searcher's
    pages: always with the TF-IDF fallback; with embeddings, only in a language the model knows
    (``meaning.knows``). all-MiniLM-L6-v2's cosines between German wordings written for different
    articles average 0.338, two thirds over the neighbours' floor (0.30), and a German wording's
    nearest is one for the same article 15 % of the time (English: 70 %): the votes of such
    neighbours would make unrelated items strong (RESULTS.md, "Meaning per language")."""
    if learned is None:
        return False
    from carebase.learned.nearest import EmbeddedVectors

    if not isinstance(getattr(getattr(learned, "nearest", None), "vectors", None), EmbeddedVectors):
        return True
    from carebase.search import meaning

    return meaning.knows(getattr(searcher, "language", "") or "")


def search(searcher, learned: Learned | None, q: str, *, kind: str | None = None, limit: int = 10,
           snippets: bool = True, offset: int = 0):
    """``limit`` hits after the first ``offset`` of the query's list (the search API's page).
    The votes are mixed into the base list's first ``MAX_LIMIT`` whatever the page, so every
    page is a slice of one list: the base rows past them follow in the base's order."""
    if not heard_in(learned, searcher):
        return searcher.search(q, kind=kind, limit=limit, offset=offset, snippets=snippets)
    votes = learned.votes(q)
    if not votes:
        return searcher.search(q, kind=kind, limit=limit, offset=offset, snippets=snippets)
    depth = offset + limit
    # the one ranking: every kind, as deep whatever the request (snippets made for the page only)
    results = searcher.search(q, limit=max(depth, MAX_LIMIT), snippets=False)
    results.votes = votes  # the answer API's confidence reads them
    weight = learned.settings.weight
    best = max((h.score for h in results.hits), default=0.0) or 1.0
    # keyed by record, as the base lists them (a video's chapters are rows of their own, as
    # the counts per kind count them); a vote goes to the item's best record
    fused: dict[str, float] = {}
    hits = {}
    first: dict[str, str] = {}  # item id → its best record's key
    for h in results.hits[:MAX_LIMIT]:
        key = h.key or h.id
        if key not in hits:
            hits[key] = h
            fused[key] = h.score / best
            first.setdefault(h.id, key)
    was_strong = {key: h.strong for key, h in hits.items()}
    kinds = searcher.kinds_of_keys()
    missing = [(item, 0.0) for item in votes if item not in first and item in kinds]
    counted = results.counted or (lambda key: False)
    for h in searcher.hits_for_keys(missing, snippets=False):
        key = h.key or h.id
        hits[key] = h
        fused[key] = 0.0
        first[h.id] = key
        # past the mixed depth: a strong match the base counts already is not "made strong"
        # again (a help centre with more strong matches than the depth: counted twice before)
        was_strong[key] = counted(key)
    voted = {first[item]: share for item, share in votes.items() if item in first}
    for key, share in voted.items():
        fused[key] += weight * share
    strong = {key: bool(getattr(h, "strong", True)) or key in voted for key, h in hits.items()}
    order = sorted(fused, key=lambda key: (not strong[key], -fused[key]))
    # the records the votes made strong count on their kind's filter
    base_strong = results.strong_counts or results.counts
    promoted = dict.fromkeys(base_strong, 0)
    for key in order:
        if strong[key] and not was_strong.get(key, False):
            promoted[hits[key].kind] = promoted.get(hits[key].kind, 0) + 1
    strong_counts = {k: base_strong.get(k, 0) + n for k, n in promoted.items()}
    counts = {k: max(n, strong_counts.get(k, 0)) for k, n in results.counts.items()}
    ranked = [(key, fused[key], strong[key]) for key in order]
    # the base rows past the mixed depth, in the base's order (a page past the first MAX_LIMIT)
    for h in results.hits[MAX_LIMIT:]:
        key = h.key or h.id
        if key not in hits:
            hits[key] = h
            ranked.append((key, h.score / best, bool(h.strong)))
    if kind is not None:
        ranked = [row for row in ranked if kinds.get(row[0]) == kind]
        listed_strong = sum(s for _, _, s in ranked)
        if len(ranked) < depth or listed_strong < strong_counts.get(kind, 0):
            # the kind's matches past the one ranking's depth: its strong ones after the
            # ranking's strong rows, its weaker ones last (as the base filter continues)
            # (from the one base search's own evaluation: until session 34 a second, filtered
            # search, +1.3-1.6 ms of CPU)
            more = results.more(kind, depth) if results.more is not None else \
                [(h.key, h.strong) for h in searcher.search(q, kind=kind, limit=depth, snippets=False).hits]
            present = set(hits)
            beyond = [(key, 0.0, strong) for key, strong in more if key not in present]
            ranked = ([row for row in ranked if row[2]] + [row for row in beyond if row[2]]
                      + [row for row in ranked if not row[2]] + [row for row in beyond if not row[2]])
        results.total = counts.get(kind, 0)
        results.strong = strong_counts.get(kind, 0)
    else:
        results.total = sum(counts.values())
        results.strong = sum(strong_counts.values())
    ranked = ranked[offset:depth]
    query = searcher.build_query(q)[0] if snippets else None
    stems = _snippet_stems(query) if query is not None else None
    made = searcher.hits_for_keys([(key, score) for key, score, _ in ranked], stems, snippets=snippets)
    results.hits = [replace(h, strong=s) for h, (_, _, s) in zip(made, ranked)]
    results.total = max(results.total, offset + len(results.hits)) if results.hits else results.total
    results.counts, results.strong_counts = counts, strong_counts
    return results

