"""Answer queries: BM25F over boosted fields, OR with a coordination bonus, typo
tolerance, synonyms, "did you mean", highlighted snippets, counts per kind, related items.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import highlight, query as wq, scoring
from whoosh.sorting import FieldFacet

from carebase.search.analysis import Synonyms, Vocabulary, analyse, suggestion
from carebase.search.index import read_meta
from carebase.search.schema import FIELD_BOOSTS

KINDS = ("article", "faq", "video")
SEARCH_FIELDS = ("title", "keywords", "headings", "body")
COORDINATION = 0.9  # Whoosh's "coordination bonus" scale: more query words matched ranks higher
SNIPPET_CHARS = 220


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    kind: str
    title: str
    url: str
    snippet: str  # HTML: escaped text with <mark> around matched words
    score: float
    key: str = ""  # the record key (differs from id for a video chapter)


@dataclass(slots=True)
class SearchResults:
    hits: list[Hit]
    total: int
    suggestion: str | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _weighting():
    return scoring.BM25F(B=0.75, K1=1.2, title_B=0.3, keywords_B=0.3, headings_B=0.5)


def _alternative_query(alt: tuple[str, ...], fields=SEARCH_FIELDS) -> wq.Query:
    per_field = []
    for f in fields:
        if len(alt) == 1:
            per_field.append(wq.Term(f, alt[0]))
        else:
            per_field.append(wq.Phrase(f, list(alt)))
    return wq.Or(per_field)


class Searcher:
    """Searches one index; safe to share between threads (one Whoosh searcher per thread)."""

    def __init__(self, index, catalogue=None, *, synonyms=None, semantic=None):
        self.index = index
        if synonyms is None:
            synonyms = catalogue.synonyms if catalogue is not None else self._stored_synonyms()
        self.synonyms = Synonyms(synonyms)
        self.catalogue = catalogue
        self.semantic = semantic
        self._local = threading.local()
        self._formatter = highlight.HtmlFormatter(tagname="mark", between=" … ")
        self._fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)

    def _stored_synonyms(self):
        folder = getattr(getattr(self.index, "storage", None), "folder", None)
        if folder and (Path(folder)).exists():
            try:
                return read_meta(folder).get("synonyms", [])
            except Exception:
                return []
        return []

    @property
    def _searcher(self):
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self.index.searcher(weighting=_weighting())
            self._local.searcher = s
        return s

    def close(self) -> None:
        s = getattr(self._local, "searcher", None)
        if s is not None:
            s.close()
            self._local.searcher = None

    # -- queries -------------------------------------------------------------------
    def build_query(self, q: str, *, complete_last: bool = False):
        """The Whoosh query for ``q`` and the analysed clauses."""
        vocab = Vocabulary(self._searcher.reader())
        clauses = analyse(q, vocab, self.synonyms, complete_last=complete_last)
        parts = []
        for c in clauses:
            alts = [
                _alternative_query(alt) if w == 1.0 else wq.Or([_alternative_query(alt)], boost=w)
                for alt, w in c.alternatives.items()
            ]
            parts.append(alts[0] if len(alts) == 1 else wq.Or(alts))
        if not parts:
            return None, clauses
        return wq.Or(parts, scale=COORDINATION), clauses

    def search(self, q: str, *, kind: str | None = None, limit: int = 10,
               complete_last: bool = False) -> SearchResults:
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind: expected one of {', '.join(KINDS)}, found {kind!r}")
        s = self._searcher
        query, clauses = self.build_query(q, complete_last=complete_last)
        did_you_mean = suggestion(q, clauses)
        if query is None:
            return SearchResults([], 0, did_you_mean, {k: 0 for k in KINDS})
        if self.semantic is not None:
            return self.semantic.search(self, q, query, kind=kind, limit=limit,
                                        suggestion=did_you_mean)
        facet = FieldFacet("kind")
        everything = s.search(query, limit=limit, groupedby=facet, terms=True)
        counts = {k: len(everything.groups("kind").get(k, ())) for k in KINDS}
        if kind is None:
            results, total = everything, sum(counts.values())
        else:
            results = s.search(query, limit=limit, filter=wq.Term("kind", kind), terms=True)
            total = counts[kind]
        results.formatter = self._formatter
        results.fragmenter = self._fragmenter
        hits = [self._hit(r) for r in results[:limit]]
        return SearchResults(hits, total, did_you_mean, counts)

    def _hit(self, r, score: float | None = None) -> Hit:
        return Hit(
            id=r["id"], kind=r["kind"], title=r["title"], url=r["url"],
            snippet=self.snippet(r), score=float(r.score if score is None else score),
            key=r["key"],
        )

    def snippet(self, r) -> str:
        text = r.get("body", "")
        marked = ""
        if text and r.results is not None and r.results.has_matched_terms():
            marked = r.highlights("body", text=text, top=2)
        if marked:
            return " ".join(marked.split())
        plain = r.get("summary") or text
        plain = " ".join(plain.split())
        if len(plain) > SNIPPET_CHARS:
            plain = plain[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
        return html.escape(plain)

    def hits_for_keys(self, keys_scores: list[tuple[str, float]]) -> list[Hit]:
        """Hits for stored records (by key), with the given scores, in the given order."""
        s = self._searcher
        hits = []
        for key, score in keys_scores:
            docnum = s.document_number(key=key)
            if docnum is None:
                continue
            fields = s.stored_fields(docnum)
            hits.append(Hit(fields["id"], fields["kind"], fields["title"], fields["url"],
                            self._plain_snippet(fields), float(score), key))
        return hits

    @staticmethod
    def _plain_snippet(fields) -> str:
        plain = " ".join((fields.get("summary") or fields.get("body", "")).split())
        if len(plain) > SNIPPET_CHARS:
            plain = plain[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
        return html.escape(plain)

    def knows(self, item_id: str) -> bool:
        return self._searcher.document_number(key=item_id) is not None

    # -- related -------------------------------------------------------------------
    def related(self, item_id: str, limit: int = 5) -> list[str]:
        """Ids of the items most like ``item_id`` (more-like-this over its text)."""
        s = self._searcher
        docnum = s.document_number(key=item_id)
        if docnum is None:
            return []
        fields = s.stored_fields(docnum)
        text = "\n".join([fields["title"]] * 2 + [fields.get("body", "")])
        out: list[str] = []
        for r in s.more_like(docnum, "body", text=text, top=limit * 3 + 5, numterms=12):
            if r["id"] != item_id and r["id"] not in out:
                out.append(r["id"])
            if len(out) >= limit:
                break
        return out
