"""The fast query engine: Whoosh's ranking model, evaluated with numpy over impact postings.

``Searcher.build_query`` makes a Whoosh query: an ``Or`` (with a coordination scale) of
one part per query word; a part is the ``BestOf`` of its alternatives; an
alternative is an ``Or`` over the fields, of ``Term`` (one word) or ``Phrase`` (a synonym
phrase) leaves, boosted by the alternative's weight. This module compiles that tree into
a plan and scores every document at once:

- a ``Term`` leaf is its precomputed impact postings (``impact.py``);
- a ``Phrase`` leaf is the documents where Whoosh's own phrase matcher matches, with the
  scores it gives them. Phrases come only from synonyms.yml, a small known set: they are
  computed once (at load for the searcher's synonym groups, else on first use) and kept,
  so no positions are read while answering;
- ``Or`` sums, ``BestOf`` (``dismax.py``) takes the largest matching alternative,
  boosts multiply — as Whoosh's matchers do;
- ``And`` (a German verb and its separated prefix anywhere in one item: ``query._apart_query``)
  scores the documents every part matches with the parts' sum, as Whoosh's intersection
  matcher does; its parts' term matchers count in the coordination's term count even where a
  part matches nothing (Whoosh builds the intersection matcher all the same: "wie lade ich die
  app herunter" on an index without *herunt* counts *lad*'s matchers once more);
- the coordination bonus is Whoosh's ``CoordMatcher`` formula, with its inputs per
  segment (how many term matchers the query has in the document's segment, how many
  match the document — which Whoosh only sees through an ``Or`` built as a tree of union
  matchers, not through one it pre-loads into arrays).

Whoosh re-counts the query's term matchers each time its collector swaps an exhausted
sub-matcher out (every 10 matches), so its own top-k scores depend on where in the
postings a document sits; the reference path (``Searcher(..., engine="whoosh")``) runs
Whoosh without those swaps, and this engine reproduces that.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from carebase.search.cutoff import credits, cut
from carebase.search.dismax import BestOf
from carebase.search.impact import KINDS, ImpactIndex


TIE_DECIMALS = 9


class Unsupported(Exception):
    """A query shape this engine does not evaluate (the caller falls back to Whoosh)."""


@dataclass(frozen=True)
class Leaf:
    field: str
    words: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Node:
    op: str  # "sum" | "max" | "and"
    children: tuple
    boost: float = 1.0
    scale: float | None = None  # coordination scale (sum only)
    nsubs: int = 0  # sub-queries of the Whoosh query (some may match nothing)


def compile_query(q) -> Leaf | Node | None:
    """The plan for a Whoosh query tree, None for a query that matches nothing."""
    if q is None or q is wq.NullQuery:
        return None
    if isinstance(q, wq.Term):
        return Leaf(q.fieldname, (q.text,), q.boost)
    if isinstance(q, wq.Phrase):
        if q.slop != 1:
            raise Unsupported(f"phrase slop {q.slop}")
        return Leaf(q.fieldname, tuple(q.words), q.boost)
    if type(q) is wq.And:
        if not q.subqueries:
            return None
        if len(q.subqueries) == 1:  # Whoosh uses the only sub-query's matcher as is (no boost)
            return compile_query(q.subqueries[0])
        # a part that matches nothing stays: its siblings' term matchers still count (``_and``)
        return Node("and", tuple(compile_query(s) for s in q.subqueries), q.boost, None, len(q.subqueries))
    if type(q) in (wq.Or, wq.DisjunctionMax, BestOf):
        subs = [compile_query(s) for s in q.subqueries]
        subs = [s for s in subs if s is not None]
        if not q.subqueries:
            return None
        if len(q.subqueries) == 1:  # Whoosh uses the only sub-query's matcher as is (no boost)
            return subs[0] if subs else None
        if isinstance(q, wq.DisjunctionMax):
            if q.tiebreak or type(q) is wq.DisjunctionMax:  # Whoosh's own scores by position
                raise Unsupported("DisjunctionMax")
            return Node("max", tuple(subs), q.boost, None, len(q.subqueries))
        if q.minmatch:
            raise Unsupported("Or minmatch")
        return Node("sum", tuple(subs), q.boost, q.scale or None, len(q.subqueries))
    raise Unsupported(type(q).__name__)


@dataclass
class LeafData:
    docs: np.ndarray  # int64 global document numbers
    scores: np.ndarray  # float64
    matching: np.ndarray | int  # term matchers matching each document (1 for a term)
    per_segment: np.ndarray  # term matchers this leaf has in each segment


@dataclass
class Ranked:
    docs: np.ndarray  # best first
    scores: np.ndarray
    counts: dict[str, int]
    strong: np.ndarray | None = None  # per returned document: a strong match (with cutoff)
    strong_counts: dict[str, int] | None = None  # strong matches per kind (with cutoff)


class FastEngine:
    """Scores plans against an ImpactIndex; phrase leaves are computed through Whoosh."""

    def __init__(self, impacts: ImpactIndex, searcher_factory):
        self.impacts = impacts
        self.n = impacts.doc_count
        self.segments = impacts.segments
        self.segment_of = np.searchsorted(self.segments, np.arange(self.n), side="right") - 1
        self.segment_sizes = np.diff(np.append(self.segments, self.n))
        self._searcher_factory = searcher_factory  # a Whoosh searcher (with the BM25F weighting)
        self._phrases: dict[tuple[str, tuple[str, ...]], LeafData] = {}
        self._lock = threading.Lock()

    # -- leaves ----------------------------------------------------------------------
    def leaf(self, leaf: Leaf) -> LeafData | None:
        if len(leaf.words) == 1:
            fp = self.impacts.fields.get(leaf.field)
            found = fp.postings(leaf.words[0]) if fp is not None else None
            if found is None:
                return None
            docs, scores = found
            present = np.diff(np.searchsorted(docs, np.append(self.segments, self.n))) > 0
            return LeafData(docs, scores, 1, present.astype(np.int64))
        key = (leaf.field, leaf.words)
        data = self._phrases.get(key)
        if data is None:
            data = self._phrase(leaf.field, leaf.words)
            with self._lock:
                self._phrases[key] = data
        return data if len(data.docs) or data.per_segment.any() else None

    def _phrase(self, field: str, words: tuple[str, ...]) -> LeafData:
        """Whoosh's phrase matcher, segment by segment: documents, scores, matching terms."""
        s = self._searcher_factory()
        q = wq.Phrase(field, list(words))
        docs, scores, matching = [], [], []
        per_segment = np.zeros(len(self.segments), dtype=np.int64)
        ctx = s.context()
        for i, (sub, base) in enumerate(s.leaf_searchers()):
            m = q.matcher(sub, ctx)
            per_segment[i] = len(list(m.term_matchers()))
            while m.is_active():
                docs.append(m.id() + base)
                scores.append(m.score())
                matching.append(sum(1 for _ in m.matching_terms()))
                m.next()
        return LeafData(np.asarray(docs, dtype=np.int64), np.asarray(scores, dtype=np.float64),
                        np.asarray(matching, dtype=np.int64), per_segment)

    def warm_phrases(self, phrases, fields) -> None:
        for words in phrases:
            for f in fields:
                self.leaf(Leaf(f, tuple(words)))

    # -- evaluation ------------------------------------------------------------------
    def _eval(self, node, counted: np.ndarray, clauses: list | None = None, alternatives: list | None = None):
        """(score, matched, matching terms, term matchers per segment) as dense arrays, or
        None. ``counted`` (per segment): whether Whoosh's coordination sees this node's
        term matchers match (it does not through a pre-loaded ``Or``, see ``_or_counted``).
        ``clauses``, when given, receives each child's credit per document (``cutoff.credits``:
        the weight of the best alternative it matches; None: no match); ``alternatives``, for
        a ``max`` node (a word's ``BestOf``), each matching child's (boost, matched)."""
        if isinstance(node, Leaf):
            data = self.leaf(node)
            if data is None:
                return None
            score = np.zeros(self.n)
            matched = np.zeros(self.n, dtype=bool)
            count = np.zeros(self.n, dtype=np.int64)
            score[data.docs] = data.scores if node.boost == 1.0 else data.scores * node.boost
            matched[data.docs] = True
            count[data.docs] = data.matching * counted[self.segment_of[data.docs]]
            return score, matched, count, data.per_segment
        if node.op == "and":
            return self._and(node, counted)
        if node.op == "sum":
            counted = counted & self._or_counted(node.nsubs or len(node.children), node.scale)
        if clauses is None:
            evaluated = [self._eval(c, counted) for c in node.children]
        else:
            evaluated = []
            for c in node.children:
                alts: list = []
                p = self._eval(c, counted, alternatives=alts)
                evaluated.append(p)
                # a word of one alternative (an Or over the fields, boosted by its weight), or
                # the BestOf of its alternatives
                clauses.append(None if p is None else credits(alts or [(getattr(c, "boost", 1.0), p[1])]))
        if alternatives is not None and node.op == "max":
            alternatives.extend((c.boost * node.boost, p[1]) for c, p in zip(node.children, evaluated)
                                if p is not None)
        parts = [p for p in evaluated if p is not None]
        if not parts:
            return None
        score, matched, count, terms = (a.copy() for a in parts[0])
        for s, m, c, t in parts[1:]:
            if node.op == "sum":
                score += s
            else:
                np.maximum(score, s, out=score)
            matched |= m
            count += c
            terms += t
        if node.boost != 1.0:
            score *= node.boost
        if node.op == "sum" and node.scale:
            score = self._coordinate(score, matched, count, terms, node.scale)
        return score, matched, count, terms

    def _and(self, node: Node, counted: np.ndarray):
        """Whoosh's ``And``: the documents every part matches, scored with the parts' sum (its
        intersection matcher adds them), times the boost; the matching terms of every part (the
        intersection reports its parts' on the current document). The term matchers of every part
        that has some count, whether or not the intersection matches anything: Whoosh makes the
        intersection matcher of all its parts' matchers, and the coordination counts every term
        matcher of the tree — even when a part's word is in no item and nothing can match. None
        only when no part has a term matcher (a tree Whoosh counts nothing of)."""
        parts = [None if c is None else self._eval(c, counted) for c in node.children]
        present = [p for p in parts if p is not None]
        if not present:
            return None
        terms = present[0][3].copy()
        for p in present[1:]:
            terms += p[3]
        if len(present) < len(parts):  # a part matches nothing: so does the intersection
            return np.zeros(self.n), np.zeros(self.n, dtype=bool), np.zeros(self.n, dtype=np.int64), terms
        matched = present[0][1].copy()
        for p in present[1:]:
            matched &= p[1]
        score = present[0][0].copy()
        count = present[0][2].copy()
        for s, _m, c, _t in present[1:]:
            score += s
            count += c
        score = np.where(matched, score * node.boost if node.boost != 1.0 else score, 0.0)
        count = np.where(matched, count, 0)
        return score, matched, count, terms

    def _or_counted(self, nsubs: int, scale) -> np.ndarray:
        """Per segment: whether Whoosh builds this Or as a tree of union matchers (whose
        matching terms the coordination counts) rather than pre-loading its documents and
        scores into an array (whose sub-matchers are then spent and count nothing): the
        tree when there is a coordination scale, two sub-queries, or a segment of more
        than 5,000 documents (``whoosh.query.compound.Or._matcher``)."""
        if nsubs >= wq.Or.TOO_MANY_CLAUSES:
            return np.zeros(len(self.segments), dtype=bool)
        if scale or nsubs == 2:
            return np.ones(len(self.segments), dtype=bool)
        return self.segment_sizes > 5000

    def _coordinate(self, score, matched, count, terms, scale):
        """Whoosh's CoordMatcher (SQR) over the matched documents."""
        termcount = terms[self.segment_of].astype(np.float64)
        out = np.zeros(self.n)
        tc = termcount[matched]
        valid = (tc != 0) & (tc != scale)
        sq = (score[matched] + ((count[matched] - 1) / (tc - scale) ** 2)) * ((tc - 1) / np.where(valid, tc, 1))
        out[matched] = np.where(valid, sq, 0.0)
        return out

    def evaluate(self, plan, *, cutoff: bool = False):
        """(score, matched, strong, quarter) over every document (strong and quarter: None
        without ``cutoff``; quarter: covers a quarter of the query's weight, ``cutoff.cut``),
        or None when nothing matches."""
        everywhere = np.ones(len(self.segments), dtype=bool)
        # the query's words are the children of its root Or with a coordination scale (a
        # one-word query's root is the word itself: an Or over fields has no scale)
        clauses: list | None = [] if cutoff and isinstance(plan, Node) and plan.op == "sum" and plan.scale else None
        evaluated = self._eval(plan, everywhere, clauses) if plan is not None else None
        if evaluated is None:
            return None
        score, mask = evaluated[0], evaluated[1]
        strong = quarter = None
        if cutoff:
            masks = [np.zeros(self.n) if m is None else m for m in (clauses or [mask])]
            strong, quarter = cut(masks, score, mask)
        return score, mask, strong, quarter

    def run(self, plan, *, kind: str | None, limit: int, cutoff: bool = False, evaluated=...) -> Ranked:
        """Top ``limit`` documents (score, then document number) and counts per kind. With
        ``cutoff``, strong matches (``cutoff.py``) rank before the weaker ones. ``evaluated``:
        ``evaluate(plan, cutoff=cutoff)``'s result, when the caller has it already."""
        if evaluated is ...:
            evaluated = self.evaluate(plan, cutoff=cutoff)
        if evaluated is None:
            none = dict.fromkeys(KINDS, 0)
            if cutoff:
                return Ranked(np.zeros(0, np.int64), np.zeros(0), none, np.zeros(0, bool), dict(none))
            return Ranked(np.zeros(0, np.int64), np.zeros(0), none)
        score, mask, strong = evaluated[:3]
        matched = np.flatnonzero(mask)
        kinds = self.impacts.kinds[matched]
        counts = self._per_kind(kinds)
        strong_counts = self._per_kind(kinds[strong[matched]]) if strong is not None else None
        if kind is not None:
            matched = matched[kinds == KINDS.index(kind)]
        if strong is None:
            docs, scores = self._top(matched, score, limit)
            return Ranked(docs, scores, counts)
        # strong matches first, then the weaker ones (only as many as the limit leaves room for)
        first = matched[strong[matched]]
        docs, scores = self._top(first, score, limit)
        if len(docs) < limit:
            rest, rest_scores = self._top(matched[~strong[matched]], score, limit - len(docs))
            docs, scores = np.concatenate([docs, rest]), np.concatenate([scores, rest_scores])
        return Ranked(docs, scores, counts, strong[docs], strong_counts)

    @staticmethod
    def _top(matched: np.ndarray, score: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """The best ``limit`` of these documents, best first, with their scores."""
        cand_scores = score[matched]
        # ties go to the lower document number, as in Whoosh; scores equal to 1e-9 are
        # ties (the same sum added in another order may differ in the last bit)
        key = -np.round(cand_scores, TIE_DECIMALS)
        if limit < len(matched):
            kth = np.partition(key, limit - 1)[limit - 1]
            keep = key <= kth  # every document tied with the last place competes
            matched, cand_scores, key = matched[keep], cand_scores[keep], key[keep]
        order = np.lexsort((matched, key))[:limit]
        return matched[order], cand_scores[order]

    @staticmethod
    def _per_kind(kinds: np.ndarray) -> dict[str, int]:
        per_kind = np.bincount(kinds[kinds >= 0], minlength=len(KINDS))
        return {k: int(per_kind[i]) for i, k in enumerate(KINDS)}
