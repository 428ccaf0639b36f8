"""Answer queries: BM25F over boosted fields, OR with a coordination bonus, typo
tolerance, synonyms, "did you mean", highlighted snippets, counts per kind, related items.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as wq, scoring

from carebase.search.analysis import Synonyms, analyse, suggestion
from carebase.search.index import read_meta
from carebase.search.schema import FIELD_BOOSTS
from carebase.search.snippets import snippet as make_snippet
from carebase.search.spelling import SpellIndex

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


def _terms(query) -> list[tuple[str, str]]:
    out = []
    for q in query.leaves():
        if isinstance(q, wq.Term):
            out.append((q.fieldname, q.text))
        elif isinstance(q, wq.Phrase):
            out.extend((q.fieldname, w) for w in q.words)
    return out


def _alternative_query(alt: tuple[str, ...], weight: float = 1.0, fields=SEARCH_FIELDS) -> wq.Query:
    per_field = []
    for f in fields:
        if len(alt) == 1:
            per_field.append(wq.Term(f, alt[0]))
        else:
            per_field.append(wq.Phrase(f, list(alt)))
    return wq.Or(per_field, boost=weight)


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
        with index.reader() as reader:
            self.vocabulary = SpellIndex.from_reader(reader)

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
        clauses = analyse(q, self.vocabulary, self.synonyms, complete_last=complete_last)
        parts = []
        for c in clauses:
            alts = [_alternative_query(alt, w) for alt, w in c.alternatives.items()]
            # the best alternative counts, not their sum: a synonym or a correction only
            # helps items that lack the word as typed
            parts.append(alts[0] if len(alts) == 1 else wq.DisjunctionMax(alts))
        if not parts:
            return None, clauses
        return wq.Or(parts, scale=COORDINATION), clauses

    def search_text(self, q: str) -> str:
        """The text the semantic side embeds: the did-you-mean text, else the query."""
        _, clauses = self.build_query(q)
        return suggestion(q, clauses) or q

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
        results, counts, stems = self._run(query, kind=kind, limit=limit)
        hits = [self._hit(r, stems) for r in results[:limit]]
        total = counts[kind] if kind else sum(counts.values())
        return SearchResults(hits, total, did_you_mean, counts)

    def _run(self, query, *, kind, limit):
        """Top ``limit`` (scored) plus counts per kind of every match (matched, not scored:
        counting through a facet would score every matching record)."""
        s = self._searcher
        kind_filter = wq.Term("kind", kind) if kind is not None else None
        results = s.search(query, limit=limit, filter=kind_filter)
        kinds = self._kind_column()
        counts = dict.fromkeys(KINDS, 0)
        for docnum in s.docs_for_query(query):
            k = kinds[docnum]
            counts[k] = counts.get(k, 0) + 1
        stems = {t for _, t in _terms(query)}
        return results, counts, stems

    def _kind_column(self) -> list[str]:
        if getattr(self, "_kinds_by_doc", None) is None:
            column = self._searcher.reader().column_reader("kind")
            self._kinds_by_doc = [v.decode("utf-8") if isinstance(v, bytes) else v for v in column]
        return self._kinds_by_doc

    def lexical(self, query, *, kind=None, limit=50):
        """[(record key, BM25F score)] best first, counts per kind, the query's stems."""
        results, counts, stems = self._run(query, kind=kind, limit=limit)
        return [(r["key"], float(r.score)) for r in results[:limit]], counts, stems

    def kinds_of_keys(self) -> dict[str, str]:
        if not hasattr(self, "_kinds"):
            self._kinds = {f["key"]: f["kind"] for f in self._searcher.all_stored_fields()}
        return self._kinds

    def _hit(self, r, stems: set[str], score: float | None = None) -> Hit:
        fields = r.fields()
        return Hit(
            id=fields["id"], kind=fields["kind"], title=fields["title"], url=fields["url"],
            snippet=self.snippet(fields, stems), score=float(r.score if score is None else score),
            key=fields["key"],
        )

    @staticmethod
    def snippet(fields: dict, stems: set[str]) -> str:
        """The body around the matched words; the summary when the body has none of them."""
        body = fields.get("body", "")
        marked = make_snippet(body, stems, SNIPPET_CHARS) if body else ""
        if "<mark>" in marked:
            return marked
        return make_snippet(fields.get("summary") or body, stems, SNIPPET_CHARS)

    def hits_for_keys(self, keys_scores: list[tuple[str, float]], stems=None) -> list[Hit]:
        """Hits for stored records (by key), with the given scores, in the given order."""
        s = self._searcher
        hits = []
        for key, score in keys_scores:
            docnum = s.document_number(key=key)
            if docnum is None:
                continue
            fields = s.stored_fields(docnum)
            hits.append(Hit(fields["id"], fields["kind"], fields["title"], fields["url"],
                            self.snippet(fields, stems or set()), float(score), key))
        return hits

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
