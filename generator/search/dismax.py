"""``BestOf``: Whoosh's DisjunctionMax with a matcher that takes the best *matching*
alternative.

Whoosh 2.7's ``DisjunctionMaxMatcher.score()`` returns the larger of its two
sub-matchers' current scores even when one of them sits on a later document, so a
document matching only a weak synonym could take the score another document earns for
the word as typed; and its ``replace()`` drops the whole disjunction as soon as one side
is exhausted (an inverted test). Both make a word with synonyms or typo alternatives rank
by where documents sit in the postings. This subclass scores only the sub-matchers on the
current document and keeps the other side when one is exhausted.
"""

from __future__ import annotations

from whoosh import matching
from whoosh import query as wq


class BestOfMatcher(matching.DisjunctionMaxMatcher):
    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        ai, bi = a.id(), b.id()
        if ai < bi:
            return a.score()
        if bi < ai:
            return b.score()
        return max(a.score(), b.score())

    def replace(self, minquality=0):
        a, b = self.a, self.b
        if not a.is_active() and not b.is_active():
            return matching.NullMatcher()
        if not a.is_active():
            return b.replace(minquality)
        if not b.is_active():
            return a.replace(minquality)
        # no pruning by quality: each side's maximum alone may not reach minquality
        # while the document still belongs in the results through the other side
        na, nb = a.replace(0), b.replace(0)
        if not na.is_active():
            return nb
        if not nb.is_active():
            return na
        if na is a and nb is b:
            return self
        return self.__class__(na, nb, tiebreak=self.tiebreak)

    def copy(self):
        return self.__class__(self.a.copy(), self.b.copy(), tiebreak=self.tiebreak)


class BestOf(wq.DisjunctionMax):
    """The best-scoring of the sub-queries that match a document (no tie-break bonus)."""

    def _matcher(self, subs, searcher, context):
        r = searcher.reader()
        return self._tree_matcher(subs, BestOfMatcher, searcher, context,
                                  lambda q: q.estimate_size(r), tiebreak=self.tiebreak)
