"""Strong and weaker matches of hybrid search: the cut-off says how many, the fused ranking which.

The coordination cut-off (``cutoff.py``) reads the lexical side only: a result is strong when
it covers most of the query's weight in words. With meaning on, the ranking is the fusion of
BM25F and the embeddings (``semantic.fuse``), and that ranking is the better judge of which
item answers (relevance harness, hybrid hit@5 0.919 against 0.81 lexical). So, per kind
(article, FAQ question, video: the search page's filters count each):

- **how many** results of the kind are strong is the cut-off's count: its strong lexical
  matches of that kind, plus those of the first ``MEANING_TOP`` of the fused ranking that are
  of that kind (meaning may promote an answer that shares few of the query's words) when some
  word of the query matched an item ("trv", no word of the help centre: none);
- **which**: that many first results of the kind in the fused ranking.

Strong results come first, each side in the fused order. A filtered search (``type=video``)
narrows this one ranking to the kind — it never fuses the kind apart: a fusion of the videos
alone normalised their scores among themselves and promoted its own first three, so "refund"
listed 3 strong videos under a tab that said 0 (session 33) — and continues it, when it holds
fewer than the page asks for, with the kind's lexical matches past the fused candidates (strong
ones first: ``narrowed``). So the count on a filter is what the filtered search lists before
"Show weaker matches", in the order the unfiltered list shows them.

Why not the members the cut-off names (session 31, 339d6d5: strong lexical matches and the
fused top 3, listed first): an answer the fusion ranked 4th or 5th but that shares few of the
query's rarer words was pushed down by strong lexical matches the fusion ranked 6th to 50th
(127 of 10,003 harness queries lost the answer from the top 5: hit@5 0.919 -> 0.913).
"""

from __future__ import annotations

from dataclasses import replace

from carebase.search.cutoff import MEANING_TOP
from carebase.search.impact import KINDS


class FusedCut:
    """``SemanticIndex.search``'s ``arrange`` for one query, then ``mark`` on its results.

    ``strong_docs``: every document's strong lexical flag (None: no word of the query matched
    an item), ``strong_counts``: the strong lexical matches per kind, ``matched``: every
    document's lexical match flag (None: not known, then the lexical candidates tell),
    ``docnums``: record key → document number, ``kinds``: record key → kind."""

    def __init__(self, strong_docs, strong_counts: dict[str, int], matched, docnums: dict, kinds: dict):
        self.strong_docs, self.lexical_counts, self.matched = strong_docs, strong_counts, matched
        self.docnums, self.kinds = docnums, kinds
        self.strong = 0  # strong results in the ranking ``__call__`` returns (its first ``strong``)
        self.strong_counts = dict.fromkeys(KINDS, 0)
        self.named = dict.fromkeys(KINDS, 0)  # strong per kind in that ranking (its first of the kind)

    def _lexically_strong(self, key) -> bool:
        docnum = self.docnums.get(key)
        return self.strong_docs is not None and docnum is not None and bool(self.strong_docs[docnum])

    def __call__(self, ranked, lexical_keys):
        """(the fused ranking with, per kind, its first as many as the cut-off names strong
        before the rest, each side in the fused order; the matches per kind found by meaning
        alone: no lexical match, by ``matched`` or else outside ``lexical_keys``)."""
        extra = dict.fromkeys(KINDS, 0)
        named = dict.fromkeys(KINDS, 0)  # strong per kind: strong lexical matches, and meaning's first few
        lexical_in_ranking = dict.fromkeys(KINDS, 0)
        for rank, (key, _score) in enumerate(ranked):
            docnum = self.docnums.get(key)
            kind = self.kinds.get(key)
            if kind not in named:
                continue
            if key not in lexical_keys and (self.matched is None or docnum is None or not self.matched[docnum]):
                extra[kind] += 1
            lexical = self._lexically_strong(key)
            lexical_in_ranking[kind] += lexical
            if lexical or (rank < MEANING_TOP and self.strong_docs is not None):
                named[kind] += 1
        first, after, taken = [], [], dict.fromkeys(KINDS, 0)
        for key, score in ranked:
            kind = self.kinds.get(key)
            if kind in taken and taken[kind] < named[kind]:
                taken[kind] += 1
                first.append((key, score))
            else:
                after.append((key, score))
        self.strong = len(first)
        self.named = named
        # strong lexical matches beyond the fused ranking (only when more than its lexical
        # candidates are strong) count too, as they did before meaning
        self.strong_counts = {k: named[k] + max(0, self.lexical_counts.get(k, 0) - lexical_in_ranking[k])
                              for k in KINDS}
        return first + after, extra

    def narrowed(self, rows, kind, more):
        """The kind's rows of the ranking ``__call__`` returned (``rows``, in its order: its first
        ``named[kind]`` strong), continued by ``more`` (the kind's lexical ranking, strong matches
        first): its strong matches the ranking lacks after the strong rows, its weaker ones last.
        Sets ``strong`` to the strong rows of that list, which ``mark`` flags."""
        present = {key for key, _ in rows}
        beyond = [(key, 0.0) for key, _ in more if key not in present]  # past the fusion: no fused score
        strong_beyond = [row for row in beyond if self._lexically_strong(row[0])]
        weak_beyond = [row for row in beyond if not self._lexically_strong(row[0])]
        named = self.named.get(kind, 0)
        self.strong = named + len(strong_beyond)
        return rows[:named] + strong_beyond + rows[named:] + weak_beyond

    def mark(self, res, kind):
        """``res`` (the first hits of the ranking ``__call__`` returned) with its first ``strong``
        hits marked strong, and the strong counts (of ``kind``, and per kind)."""
        res.hits = [replace(hit, strong=rank < self.strong) for rank, hit in enumerate(res.hits)]
        res.strong_counts = dict(self.strong_counts)
        res.strong = self.strong_counts.get(kind, 0) if kind else sum(self.strong_counts.values())
        return res
