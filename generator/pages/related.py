"""Computed related items: shared rare terms in titles, summaries, tags and keywords.

Used when an item names no ``related`` ids and no search index is at hand. Terms are the
text analyser's (carebase.text: stop words dropped, stems), of three letters or more. Scores are
IDF-weighted term overlaps through an inverted index (linear in the catalogue, not
quadratic), with a small bonus for the same category.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from carebase.content.model import Article, Catalogue, Item
from carebase.text import analyser_for

_ANALYSER = analyser_for("en")
_COMMON = 0.05  # terms in more than 5% of items say nothing about relatedness


class RelatedIndex:
    def __init__(self, catalogue: Catalogue, category_of=None):
        self.catalogue = catalogue
        self.items = [
            i for i in catalogue.items() if not (isinstance(i, Article) and i.draft)
        ]
        self._category = category_of or (lambda item: getattr(item, "category", ""))
        self.terms = {i.id: self._terms(i) for i in self.items}
        df: Counter = Counter()
        for terms in self.terms.values():
            df.update(terms)
        n = max(1, len(self.items))
        limit = max(3, int(n * _COMMON))
        self.idf = {t: math.log(n / c) + 1 for t, c in df.items() if c <= limit}
        self.postings: dict[str, list[str]] = defaultdict(list)
        for item_id, terms in self.terms.items():
            for t in terms:
                if t in self.idf:
                    self.postings[t].append(item_id)
        self.by_id = {i.id: i for i in self.items}

    def _terms(self, item: Item) -> set[str]:
        text = " ".join([item.title, item.summary, *item.tags, *item.keywords])
        return {t for t in _ANALYSER.terms(text) if len(t) >= 3}

    def related(self, item_id: str, limit: int = 5) -> list[str]:
        item = self.by_id.get(item_id)
        if item is None:
            return []
        scores: Counter = Counter()
        for t in self.terms[item_id]:
            weight = self.idf.get(t)
            if weight is None:
                continue
            for other in self.postings[t]:
                if other != item_id:
                    scores[other] += weight
        mine = self._category(item)
        for other in scores:
            if mine and self._category(self.by_id[other]) == mine:
                scores[other] *= 1.25
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [other for other, _ in ranked[:limit]]
