"""Strong and weaker matches of hybrid search: the fused ranking's first results, while they
match enough of the query.

The coordination cut-off (``cutoff.py``) reads the lexical side only: a result is strong when
it covers most of the query's weight in words. With meaning on, the ranking is the fusion of
BM25F and the embeddings (``semantic.fuse``), and that ranking is the better judge of which
item answers (relevance harness, hybrid hit@5 0.92 against 0.81 lexical). So, per kind
(article, FAQ question, video: the search page's filters count each), the strong results are
the kind's first results in the fused ranking, in its order,

- **while** each is a strong lexical match, or scores at least half the fused first's score
  (``cutoff.SCORE_SHARE``) and either covers at least a quarter of the query's weight
  (``cutoff.cut``) or is one of meaning's picks: among the first ``MEANING_TOP`` of the fused
  ranking and at least ``semantic.MIN_SIMILARITY`` alike (meaning may promote an answer that
  shares few of the query's words). This is the lexical cut-off's own rule — most of the
  weight, or half the best score and a quarter of the weight — with the fused score as the
  score. The first result of the kind that is none of these ends the kind's strong results:
  "Delete your Lumo account", which shares only "thermostat" (a word nearly every item has) with
  "thermostat offline", is not strong though the fusion ranks it 7th, and neither is anything
  the fusion ranks below it. A result no word of the query matched that meaning finds less
  alike than ``MIN_SIMILARITY`` (the least a record found by meaning alone must be) is no
  evidence either way: it is not strong and it does not end its kind's strong results;
- **at most** as many as the cut-off names: its strong lexical matches of the kind, plus those
  of the first ``MEANING_TOP`` that are of the kind;
- none when no word of the query matched an item ("trv", no word of the help centre).

**Which records meaning adds** (session 39, ``semantic.meaning_floor``). The fusion reads
meaning's ``semantic.CANDIDATES`` most alike records; a record no word of the query matched is
listed when it is at least half as alike as the query's most alike record
(``semantic.relative_floor``: ``cutoff.SCORE_SHARE`` of the best cosine), and at most one chapter
of a video among those (``semantic.one_chapter_per_video``). Until session 39 each joined the
list whatever its cosine (demo, 42 queries: "Show weaker matches (N)" summed 2,325, now 1,306;
"hot water boost" 49, now 5). Session 38's floor also asked ``MIN_SIMILARITY`` of each record and
lost answers on the third set's short questions; this one kept hit@1 and hit@5 on every set
(benchmarks/RESULTS.md, "A floor for meaning-only rows, relative to the query's best"). When no
word of the query matches a record and nothing is ``MIN_SIMILARITY`` alike, at most
``semantic.UNKNOWN_WORDS_ROWS`` (``MEANING_TOP``) are listed (session 40: "trv" listed 13, now 3).

Strong results come first, each side in the fused order; within a kind nothing moves above a
result the fusion ranks higher. A filtered search (``type=video``)
narrows this one ranking to the kind — it never fuses the kind apart: a fusion of the videos
alone normalised their scores among themselves and promoted its own first three, so "refund"
listed 3 strong videos under a tab that said 0 (session 33) — and continues it, when it holds
fewer than the page asks for, with the kind's lexical matches past the fused candidates (strong
ones first: ``narrowed``). So the count on a filter is what the filtered search lists before
"Show weaker matches", in the order the unfiltered list shows them.

Past the fused ranking (meaning's ``CANDIDATES`` and the lexical ones), the list goes on with the
further lexical matches, in the lexical order: a kind's strong lexical matches there are strong
while the kind's strong results did not end inside the ranking, and come after the ranking's
strong rows; the rest come last (``narrowed``, the search API's pages). The counts count exactly
those rows, whatever the page: until session 35 a kind's strong matches past the ranking counted
only as many as the ranking's own unused places, almost always none ("thermostat": 49 strong,
19 of its 30 FAQ questions, all of which say "thermostat"; lexical search 102).

**One strong set, however many candidates** (session 36, ``whole``). With the fast engine every
document's fused score is known (``semantic.SemanticIndex._every_fused``, the cosine scaled by the
``semantic.SCALE``-th most alike record's, not by the candidates'), so the rule above is read over
the whole help centre in that order, not over the candidates the fusion happened to look at:
the strong set and the count do not depend on ``semantic.CANDIDATES``. Until then a result meaning
brought ended its kind's strong results where it ranked, only when the candidates reached it, and
the candidates set the cosine scale: "thermostat" counted 102 / 60 / 68 / 69 strong with 20 / 50 /
100 / 400 candidates, and 17 of the demo's 37 test queries changed strong set between depths
(now none). When the words make every match strong (one word that counts: "thermostat",
"schedule"), a record no word matched does not end a kind's strong results: every item holding
the word is strong, as the browser's index (no meaning) says, and meaning adds only its picks
(its first ``MEANING_TOP``, alike and half the first's score). So "thermostat" says 102 whichever
engine answers (60 through the service until session 36), "schedule" 33. With two or more words
the fusion still ends a kind's strong results at a result that matches too little, which the
browser cannot: there the counts part by design (demo and first-set figures in RESULTS.md).

Why not meaning's first 3 always (session 33, 2dbe67b, until session 34): the fused ranking's
first 3 were strong whatever they matched, and a quarter of the weight was enough whatever the
result scored. "o/b" (one word the model does not know: cosines 0.09-0.12) made two account
articles strong, found by meaning alone, and they ended the articles' strong results before
the heat-pump article (8th); "reset password" made the Wi-Fi video strong, 3rd, for sharing
"password" (a quarter) at 0.46 of the first's fused score.

Why not the members the cut-off names (session 31, 339d6d5: strong lexical matches and the
fused top 3, listed first): an answer the fusion ranked 4th or 5th but that shares few of the
query's rarer words was pushed down by strong lexical matches the fusion ranked 6th to 50th
(127 of 10,003 harness queries lost the answer from the top 5: hit@5 0.919 -> 0.913). Why not
the cut-off's count of the fused ranking's first (session 32, b9b18bc, until session 33): the
count came from the words and the members from the fusion, so a result that shares one common
word became strong in the place of a strong lexical match the fusion ranked lower ("thermostat
offline": 11 strong, 5 of its 10 items without "offline" or its synonyms in their text).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from carebase.search.cutoff import MEANING_TOP, SCORE_SHARE
from carebase.search.impact import KINDS


def _first(docs, scores, k: int) -> np.ndarray:
    """The first ``k`` of ``docs`` (document numbers, ascending) by ``scores`` (by document
    number) high to low, ties by document number: a stable sort's first ``k``, sorting only those
    scoring at least the ``k``-th highest score."""
    docs = np.asarray(docs)
    if k <= 0:
        return docs[:0]
    mine = np.asarray(scores)[docs]
    if len(docs) > k:
        keep = mine >= np.partition(mine, len(mine) - k)[len(mine) - k]
        docs, mine = docs[keep], mine[keep]
    return docs[np.lexsort((docs, -mine))][:k]


_held_spans: tuple = (None, [])  # the last kind codes read, and their spans


def _spans(codes) -> list:
    """Per kind (``KINDS``), the (start, stop) of its documents when each kind's are numbered
    together, as the index is written, else None (a mask is needed): read once per codes array
    (the fast engine's, one per index)."""
    global _held_spans
    held = _held_spans
    if held[0] is codes:
        return held[1]
    spans = [None] * len(KINDS)
    if len(codes) and bool(np.all(codes[:-1] <= codes[1:])):
        kinds = np.arange(len(KINDS))
        spans = [(int(a), int(b)) for a, b in zip(np.searchsorted(codes, kinds, side="left"),
                                                  np.searchsorted(codes, kinds, side="right"))]
    _held_spans = (codes, spans)
    return spans


def _first_listed(scores, listed, k: int) -> np.ndarray:
    """The first ``k`` listed documents (``listed``: flags by document number) by ``scores`` high
    to low, ties by document number (``np.argmax`` gives the lowest-numbered of the highest)."""
    left = np.where(listed, scores, -np.inf)
    out = []
    for _ in range(min(k, int(np.count_nonzero(listed)))):
        best = int(np.argmax(left))
        out.append(best)
        left[best] = -np.inf
    return np.asarray(out, dtype=np.intp)


class FusedCut:
    """``SemanticIndex.search``'s ``arrange`` for one query, then ``mark`` on its results.

    ``strong_docs``: every document's strong lexical flag (None: no word of the query matched
    an item), ``strong_counts``: the strong lexical matches per kind, ``matched``: every
    document's lexical match flag (None: not known, then the lexical candidates tell),
    ``docnums``: record key → document number, ``kinds``: record key → kind, ``quarter``: every
    document's flag "covers a quarter of the query's weight" (``cutoff.cut``; None: not known,
    then only strong lexical matches and meaning's first few are strong)."""

    def __init__(self, strong_docs, strong_counts: dict[str, int], matched, docnums: dict, kinds: dict,
                 quarter=None, kind_codes=None, scores=None, keys=None):
        self.strong_docs, self.lexical_counts, self.matched = strong_docs, strong_counts, matched
        self.docnums, self.kinds, self.quarter = docnums, kinds, quarter
        self.kind_codes = kind_codes  # every document's kind, an index into KINDS (-1: none); None: not known
        self.fused = None  # every document's fused score (``__call__``'s ``fused``)
        self.scores, self.keys = scores, keys  # every document's BM25F score and record key (None: not known)
        self.past = None  # every document's flag "strong, past the ranking" (``__call__``; None: not known)
        self.end = {}  # kind -> the fused score of the result that ended its strong results
        self.strong = 0  # strong results in the ranking ``__call__`` returns (its first ``strong``)
        self.strong_counts = dict.fromkeys(KINDS, 0)
        self.named = dict.fromkeys(KINDS, 0)  # strong per kind in that ranking (its first of the kind)
        self.room = dict.fromkeys(KINDS, 0)  # strong lexical matches past that ranking that count as strong
        self.alike: dict = {}  # record key -> at least semantic.MIN_SIMILARITY alike (``__call__``)
        self.best = 0.0  # the fused first's score
        self.picks: set = set()  # the fused first MEANING_TOP at least MIN_SIMILARITY alike (meaning's picks)
        self.first_keys, self.ranked_keys = set(), set()  # that ranking's strong results, and all of it

    def _flag(self, flags, key) -> bool:
        docnum = self.docnums.get(key)
        return flags is not None and docnum is not None and bool(flags[docnum])

    def _lexically_strong(self, key) -> bool:
        return self._flag(self.strong_docs, key)

    def _enough(self, key, score: float) -> bool:
        """Whether this result (fused ``score``) matches enough of the query to be strong: a
        strong lexical match, or at least half the fused first's score (``SCORE_SHARE``) while
        covering a quarter of the query's weight or being one of meaning's picks (``picks``)."""
        if self.strong_docs is None:
            return False
        if self._lexically_strong(key):
            return True
        return score >= SCORE_SHARE * self.best - 1e-12 and (self._flag(self.quarter, key) or key in self.picks)

    def _unmatched_and_unlike(self, key, lexical_keys) -> bool:
        """No word of the query matched it and meaning finds it less similar than a result found
        by meaning alone must be (``semantic.MIN_SIMILARITY``): no evidence either way."""
        docnum = self.docnums.get(key)
        unmatched = key not in lexical_keys and (self.matched is None or docnum is None or not self.matched[docnum])
        return unmatched and self.alike.get(key) is False

    def whole(self, fused, cosines, min_similarity: float):
        """Every document's strong flag by this module's rule read over the whole help centre, in
        the order of every document's fused score (``fused``, by document number; ``cosines``:
        every document's cosine to the query), not only over the ranking the fusion returned: so
        the strong set does not depend on how many candidates meaning and the words brought
        (``semantic.CANDIDATES``). Per kind, in that order: strong while each result is enough
        (``_enough``), at most the kind's strong lexical matches plus its members among the first
        ``MEANING_TOP`` (counted once); the first result a word of the query matched that is not
        enough ends them, and so does one found by meaning alone that is at least
        ``min_similarity`` alike, unless the words make every match strong (one word that counts:
        then every item holding it is strong, as the browser's index says, and meaning only adds
        its picks). None when the flags are not all known."""
        if self.strong_docs is None or self.matched is None or self.kind_codes is None or fused is None:
            return None
        # Read without sorting the help centre (session 38: with every listed document sorted by
        # its fused score this took 2.4 M instructions a query at 10,000 items, 0.7 M now): a
        # kind's strong results are its enough ones that come, in that order, before its first
        # result that ends them, so only that first end (a maximum) and, when more are enough
        # than the cap allows, the enough ones before it are put in order. The same flags as the
        # sort (tests/search/test_search_fused_whole.py holds them to it).
        fused = np.asarray(fused, dtype=np.float64)
        matched = np.asarray(self.matched, dtype=bool)
        lexical = np.asarray(self.strong_docs, dtype=bool)
        quarter = np.asarray(self.quarter, dtype=bool) if self.quarter is not None else lexical
        positive = fused > 0
        listed = matched | positive
        out = np.zeros(len(fused), dtype=bool)
        if not listed.any():
            return out
        top = _first_listed(fused, listed, MEANING_TOP)  # the fused first MEANING_TOP, in order
        cosines = np.asarray(cosines, dtype=np.float64)
        picks = np.zeros(len(fused), dtype=bool)
        picks[top[cosines[top] >= min_similarity]] = True
        enough = lexical | ((fused >= SCORE_SHARE * fused[top[0]] - 1e-12) & (quarter | picks))
        ends = matched & ~enough
        if not np.array_equal(lexical, matched):
            # a record no word matched, alike but not enough, ends its kind's strong results too,
            # unless the words make every match strong (one word that counts: "thermostat")
            ends |= ~matched & (cosines >= min_similarity) & ~enough & positive
        codes = np.asarray(self.kind_codes)
        named = lexical.copy()  # at most as many per kind as strong lexical matches or among the first few
        named[top] = True
        candidates = listed & enough
        for i, span in enumerate(_spans(codes)):
            # the kind's documents: a slice when the index holds each kind's together (as it is
            # written), else a mask
            mine = codes == i if span is None else slice(*span)
            run = candidates & mine if span is None else candidates[mine]
            stops = ends & mine if span is None else ends[mine]
            of_kind = fused if span is None else fused[mine]
            if stops.any():  # the kind's first result that ends its strong results: the highest, lowest numbered
                first_end = int(np.argmax(np.where(stops, of_kind, -np.inf)))
                last = of_kind[first_end]
                tied = of_kind == last  # tied with it: before it when numbered below it
                tied[first_end:] = False
                run &= (of_kind > last) | tied
            cap = int(np.count_nonzero(named & mine if span is None else named[mine]))
            docs = np.flatnonzero(run) + (0 if span is None else span[0])
            out[docs if len(docs) <= cap else _first(docs, fused, cap)] = True
        return out

    def __call__(self, ranked, lexical_keys, alike=None, fused=None, every=None):
        """(the fused ranking with, per kind, its strong results (module docstring) before the
        rest, each side in the fused order; the matches per kind found by meaning alone: no
        lexical match, by ``matched`` or else outside ``lexical_keys``). ``alike``: record key →
        whether the query's cosine is at least ``semantic.MIN_SIMILARITY``, for the ranking's
        records (None: not known, then the fused first ``MEANING_TOP`` are meaning's picks
        whatever their cosine, and every result that is not enough ends its kind's strong
        results). ``fused``: every document's fused score by document number, or a function
        returning it, called only when a kind's strong results ended inside the ranking (None:
        not known, then no strong lexical match past the ranking counts in a kind that ended
        inside it). ``every``: a function returning (every document's fused score, its cosine,
        ``semantic.MIN_SIMILARITY``); given (the fast engine), the strong results are read over
        the whole help centre (``whole``), whatever the ranking holds."""
        if every is not None:
            made = self._every(ranked, lexical_keys, alike, every)
            if made is not None:
                return made
        self.alike, self.end = dict(alike or {}), {}
        self.best = ranked[0][1] if ranked else 0.0
        self.picks = {key for key, _ in ranked[:MEANING_TOP] if alike is None or self.alike.get(key, False)}
        extra = dict.fromkeys(KINDS, 0)
        most = dict.fromkeys(KINDS, 0)  # at most this many strong per kind: strong lexical matches, meaning's first few
        lexical_in_ranking = dict.fromkeys(KINDS, 0)
        for rank, (key, _score) in enumerate(ranked):
            docnum = self.docnums.get(key)
            kind = self.kinds.get(key)
            if kind not in most:
                continue
            if key not in lexical_keys and (self.matched is None or docnum is None or not self.matched[docnum]):
                extra[kind] += 1
            lexical = self._lexically_strong(key)
            lexical_in_ranking[kind] += lexical
            if lexical or (rank < MEANING_TOP and self.strong_docs is not None):
                most[kind] += 1
        first, after, taken = [], [], dict.fromkeys(KINDS, 0)
        ended = set()  # kinds whose strong results ended at a result that matches too little of the query
        for key, score in ranked:
            kind = self.kinds.get(key)
            if kind in taken and kind not in ended and taken[kind] < most[kind]:
                if self._enough(key, score):
                    taken[kind] += 1
                    first.append((key, score))
                    continue
                if not self._unmatched_and_unlike(key, lexical_keys):
                    ended.add(kind)
                    self.end[kind] = score
            after.append((key, score))
        self.strong = len(first)
        self.named = taken
        self.first_keys, self.ranked_keys = {key for key, _ in first}, {key for key, _ in ranked}
        # every strong lexical match beyond the fused ranking (only when more than its lexical
        # candidates are strong) counts too, as it did before meaning, while the kind's strong
        # results did not end inside the ranking: the count does not stop at the candidates the
        # fusion looked at (until session 35 at most the ranking's own unused places counted,
        # almost always none: "thermostat" counted 49 strong, lexical search 102)
        if callable(fused):  # made only when a kind ended inside the ranking (it reads every document)
            fused = fused() if ended else None
        self.fused, self.past = fused, None
        self.room = {k: 0 if k in ended else max(0, self.lexical_counts.get(k, 0) - lexical_in_ranking[k])
                     for k in KINDS}
        if self.strong_docs is not None and self.kind_codes is not None:
            # every strong lexical match past the ranking, by document: in a kind that ended
            # inside the ranking, only those the fusion scores above the result that ended it
            # (they would have ranked before it had the fusion looked at them: the count does not
            # depend on how many it looked at)
            past = np.asarray(self.strong_docs, dtype=bool).copy()
            inside = [self.docnums[key] for key in self.ranked_keys if key in self.docnums]
            past[inside] = False
            for k in ended:
                mine = self.kind_codes == KINDS.index(k)
                past[mine & ~(fused > self.end[k] + 1e-12 if fused is not None else False)] = False
            self.past = past
            self.room = {k: int(np.count_nonzero(past & (self.kind_codes == i))) for i, k in enumerate(KINDS)}
        self.strong_counts = {k: taken[k] + self.room[k] for k in KINDS}
        return first + after, extra

    def _every(self, ranked, lexical_keys, alike, every):
        """``__call__`` with every document's fused score known (``whole``); None when the
        flags it needs are not all known."""
        made = every()
        flags = self.whole(*made) if made is not None else None
        if flags is None:
            return None
        self.alike, self.end, self.fused = dict(alike or {}), {}, made[0]
        self.best = ranked[0][1] if ranked else 0.0
        extra = dict.fromkeys(KINDS, 0)
        first, after = [], []
        for key, score in ranked:
            docnum = self.docnums.get(key)
            kind = self.kinds.get(key)
            if kind in extra and key not in lexical_keys and (docnum is None or not self.matched[docnum]):
                extra[kind] += 1
            (first if docnum is not None and flags[docnum] else after).append((key, score))
        self.strong = len(first)
        self.first_keys, self.ranked_keys = {key for key, _ in first}, {key for key, _ in ranked}
        self.named = dict.fromkeys(KINDS, 0)
        for key in self.first_keys:
            if self.kinds.get(key) in self.named:
                self.named[self.kinds[key]] += 1
        past = flags.copy()
        past[[self.docnums[key] for key in self.ranked_keys if key in self.docnums]] = False
        self.past = past
        per_kind = np.bincount(np.asarray(self.kind_codes)[past] + 1, minlength=len(KINDS) + 1)  # kind -1: none
        self.room = {k: int(per_kind[i + 1]) for i, k in enumerate(KINDS)}
        self.strong_counts = {k: self.named[k] + self.room[k] for k in KINDS}
        return first + after, extra

    def beyond_needed(self, kind, depth: int, rows: int) -> bool:
        """Whether the first ``depth`` rows of the ranking ``__call__`` returned (``rows`` of them:
        of ``kind``, or of every kind for None) need records past it: it is too short, or strong
        lexical matches past it come before its weaker rows."""
        return rows < depth or (self.past_strong(kind) > 0 and depth > self.strong_in_ranking(kind))

    def past_strong(self, kind=None) -> int:
        """How many strong matches (of ``kind``; None: every kind) come past the ranking."""
        return self.room.get(kind, 0) if kind else sum(self.room.values())

    def strong_in_ranking(self, kind=None) -> int:
        """How many strong results (of ``kind``; None: every kind) the ranking holds: its first."""
        return self.named.get(kind, 0) if kind else len(self.first_keys)

    def narrowed(self, rows, kind, more, depth: int | None = None):
        """The rows of the ranking ``__call__`` returned (``rows``, in its order: its first
        ``named[kind]`` strong; ``kind`` None: every kind, its first ``strong``), continued by
        ``more`` (the lexical ranking of the kind or of every kind, strong matches first): its
        strong matches the ranking lacks after the strong rows (per kind as many as ``room``
        counts), its other matches last.
        With every document's flags known (the fast engine), the strong ones past the ranking are
        all of them (``past``), by BM25F, whatever ``more`` holds, so a page is a slice of one list
        (``depth``: the rows wanted; more are not made).
        Sets ``strong`` to the strong rows of that list, which ``mark`` flags."""
        present = {key for key, _ in rows}
        if self.past is not None and self.scores is not None and self.keys is not None:
            mask = self.past if kind is None else self.past & (self.kind_codes == KINDS.index(kind))
            docs = np.flatnonzero(mask)
            named = self.strong_in_ranking(kind)
            self.strong = named + len(docs)
            # by BM25F, ties by document number: only the rows the page reaches are put in order
            docs = _first(docs, self.scores, len(docs) if depth is None else max(0, depth - named))
            strong_beyond = [(self.keys[d], 0.0) for d in docs.tolist()]
            past = self.past
            weak_beyond = [(key, 0.0) for key, _ in more if key not in present
                           and not (self.docnums.get(key) is not None and past[self.docnums[key]])]
            return rows[:named] + strong_beyond + rows[named:] + weak_beyond
        beyond = [(key, 0.0) for key, _ in more if key not in present]  # past the fusion: no fused score
        left = dict(self.room)
        strong_beyond = []
        for row in beyond:
            k = self.kinds.get(row[0])
            if (kind is None or k == kind) and left.get(k, 0) > 0 and self._strong_past(row[0], k):
                left[k] -= 1
                strong_beyond.append(row)
        taken = {key for key, _ in strong_beyond}
        weak_beyond = [row for row in beyond if row[0] not in taken]
        named = self.strong_in_ranking(kind)
        self.strong = named + len(strong_beyond)
        return rows[:named] + strong_beyond + rows[named:] + weak_beyond

    def counted(self, key) -> bool:
        """Whether ``strong_counts`` counts this record as strong: one of the ranking's strong
        results, or a strong lexical match past the ranking while its kind has ``room``."""
        if key in self.first_keys:
            return True
        kind = self.kinds.get(key)
        if self.past is not None:
            docnum = self.docnums.get(key)
            return docnum is not None and bool(self.past[docnum])
        return key not in self.ranked_keys and self.room.get(kind, 0) > 0 and self._strong_past(key, kind)

    def _strong_past(self, key, kind) -> bool:
        """Whether a record past the ranking is strong: a strong lexical match, in a kind whose
        strong results did not end inside the ranking or that the fusion scores above the
        result that ended them (``room`` counts these)."""
        if not self._lexically_strong(key):
            return False
        if kind not in self.end or self.fused is None:
            return kind not in self.end
        docnum = self.docnums.get(key)
        return docnum is not None and bool(self.fused[docnum] > self.end[kind] + 1e-12)

    def mark(self, res, kind, offset: int = 0):
        """``res`` (the hits of the ranking ``__call__`` returned from its row ``offset``) with
        those of its first ``strong`` rows marked strong, and the strong counts (of ``kind``, and
        per kind)."""
        res.hits = [replace(hit, strong=rank < self.strong) for rank, hit in enumerate(res.hits, start=offset)]
        res.strong_counts = dict(self.strong_counts)
        res.counted = self.counted
        res.strong = self.strong_counts.get(kind, 0) if kind else sum(self.strong_counts.values())
        return res
