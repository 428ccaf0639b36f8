"""Answer queries: BM25F over boosted fields, OR with a coordination bonus, typo
tolerance, synonyms, "did you mean", highlighted snippets, counts per kind, related items.

Engines (``Searcher(..., engine=)``): ``"fast"`` (default) scores with numpy over impact
postings (``engine.py``); ``"whoosh"`` is the reference: Whoosh's own matchers, scoring
every match (no top-k shortcuts), with ``BestOf`` for a word's alternatives
(``dismax.py``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh import query as wq

from carebase.search.analysis import Synonyms, analyse, suggestion
from carebase.search.dismax import BestOf
from carebase.search.documents import Documents
from carebase.search.engine import FastEngine, Unsupported, compile_query
from carebase.search.fused_cut import FusedCut
from carebase.search.impact import ImpactIndex, index_stamp
from carebase.search.index import SearchIndexError, read_meta
from carebase.search.schema import FIELD_BOOSTS, LANGUAGE, SEARCH_FIELDS, bm25f  # noqa: F401 (FIELD_BOOSTS: API)
from carebase.search.snippets import WRITTEN, snippet as make_snippet
from carebase.search.spelling import SpellIndex
from carebase.search.whoosh_path import Run, lexical_cut, run_whoosh, score_all
from carebase.text import analyser_for
from carebase.text.forms import read_beside

KINDS = ("article", "faq", "video")
ENGINES = ("fast", "whoosh")
COORDINATION = 0.9  # Whoosh's "coordination bonus" scale: more query words matched ranks higher
SNIPPET_CHARS = 220
MAX_LIMIT = 50  # the most results one search answers: the search API's largest page, the learned ranking's depth
#: the deepest a search lists (its ``offset`` + ``limit``): the first 1,000 results of a query can
#: be paged through, as Zendesk's search API pages through its first 1,000; the counts count
#: every match whatever the depth
MAX_DEPTH = 1000


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    kind: str
    title: str
    url: str
    snippet: str  # HTML: escaped text with <mark> around matched words
    score: float
    key: str = ""  # the record key (differs from id for a video chapter)
    strong: bool = True  # a strong match (cutoff.py); weaker matches come after every strong one


@dataclass(slots=True)
class SearchResults:
    hits: list[Hit]
    total: int  # every match (of the requested kind)
    suggestion: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # every match, per kind
    strong: int | None = None  # strong matches (of the requested kind); None: not computed
    strong_counts: dict[str, int] = field(default_factory=dict)  # strong matches per kind
    votes: dict[str, float] = field(default_factory=dict)  # learned phrasings' vote share per item (learned.ranking)
    clauses: list = field(default_factory=list)  # the query's analysed words (``analysis.analyse``)
    #: record key → whether ``strong_counts`` counts it as strong, for records past ``hits`` too
    #: (``learned.ranking`` mixes votes into the first ``MAX_LIMIT``: a voted record past them
    #: that the counts already hold is not counted again); None: not known
    counted: object = None
    #: (kind, n) → the kind's first ``n`` records [(key, strong)] as this search filtered to the
    #: kind lists them, from this search's own evaluation (``learned.ranking`` continues a
    #: filtered list with them instead of searching again); None: not known
    more: object = None


_weighting = bm25f


def _snippet_stems(query) -> set[str]:
    """The stems a snippet marks: each term's, and each phrase's (a multi-word synonym such as
    "not connecting") as one entry, its stems joined by a space, marked only where the whole
    phrase stands — not its words alone ("No." or "not" for the query "offline"); a word
    there only as a synonym, as "stem=word" entries (``snippets.WRITTEN``: only its own forms,
    "controller" but not "control" for "thermostat": ``Searcher.build_query``'s
    ``synonym_words``)."""
    out = set()
    synonym_words = getattr(query, "synonym_words", None) or {}
    for q in query.leaves():
        if isinstance(q, wq.Term):
            if q.text in synonym_words:
                out.update(f"{q.text}{WRITTEN}{w}" for w in synonym_words[q.text])
            else:
                out.add(q.text)
        elif isinstance(q, wq.Phrase):
            out.add(" ".join(q.words))
    return out


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


def _apart_query(alt: tuple[str, ...], weight: float = 1.0, fields=SEARCH_FIELDS) -> wq.Query:
    """Every word of ``alt`` anywhere in the item, each in any field (a German verb and its
    separated prefix: "setze … zurück"); scored as their sum, as Whoosh's ``And`` does (the fast
    engine's ``and`` node, ``engine.FastEngine._and``)."""
    return wq.And([_alternative_query((word,), 1.0, fields) for word in alt], boost=weight)


class Searcher:
    """Searches one index; safe to share between threads (one Whoosh searcher per thread)."""

    def __init__(self, index, catalogue=None, *, synonyms=None, semantic=None, engine: str = "fast"):
        if engine not in ENGINES:
            raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, found {engine!r}")
        self.index = index
        meta = self._stored_meta()
        self.language = meta.get("language") or LANGUAGE  # the index was analysed as this
        self.analyser = analyser_for(self.language)
        # the word forms its searches read, kept beside the index (``forms.read_beside``): read there
        # before anything is stemmed, else from the cache folder or made by the warm-up
        read_beside(getattr(getattr(index, "storage", None), "folder", None), self.analyser)
        self.display = meta.get("display") or {}  # folded word → written form, for "did you mean"
        if synonyms is None:
            synonyms = catalogue.synonyms if catalogue is not None else meta.get("synonyms", [])
        self.synonyms = Synonyms(synonyms, self.analyser)
        self.catalogue = catalogue
        self.semantic = semantic
        self.engine_name = engine
        self._local = threading.local()
        self._documents: Documents | None = None
        self._documents_lock = threading.Lock()
        with index.reader() as reader:
            self.vocabulary = SpellIndex.from_reader(reader, stem_fields=SEARCH_FIELDS, words=meta.get("spell"))
        self.fast = self._open_fast() if engine == "fast" else None

    def _open_fast(self) -> FastEngine:
        """The impact postings saved beside the index when it was written (``index.py``)."""
        folder = getattr(getattr(self.index, "storage", None), "folder", None)
        impacts = ImpactIndex.load(folder, SEARCH_FIELDS) if folder else None
        if impacts is None or impacts.stamp != index_stamp(self._searcher):
            raise SearchIndexError(f"{folder or 'this index'}: the fast engine's arrays are missing or belong to "
                                   f"another index: write the index again (carebase build)")
        fast = FastEngine(impacts, lambda: self._searcher)
        phrases = [m for group in self.synonyms.groups for m in group if len(m) > 1]
        fast.warm_phrases(phrases, SEARCH_FIELDS)
        return fast

    def _stored_meta(self) -> dict:
        folder = getattr(getattr(self.index, "storage", None), "folder", None)
        if folder and (Path(folder)).exists():
            try:
                return read_meta(folder)
            except Exception:
                return {}
        return {}

    @property
    def _searcher(self):
        s = getattr(self._local, "searcher", None)
        if s is None:
            s = self.index.searcher(weighting=_weighting())
            self._local.searcher = s
        return s

    @property
    def documents(self) -> Documents:
        """Record keys and kinds by document number (read once: ``documents.py``)."""
        docs = self._documents
        if docs is None:
            with self._documents_lock:
                if self._documents is None:
                    self._documents = Documents.read(self._searcher.reader())
                docs = self._documents
        return docs

    def warm(self) -> "Searcher":
        """Read now what the first search would read (the documents table, the int8 pass of
        the vectors, a German index's word forms for separated verbs), so the first query answers
        as fast as the others."""
        self.documents  # noqa: B018 (read and kept)
        from carebase.text.separable import warm

        warm(self.analyser)  # German: simplemma's forms (beside the index; else the cache's, else made: ~4.3 s of CPU)
        if self.semantic is not None:
            self.semantic.scorer.warm()
            from carebase.search import meaning

            meaning.warm()  # the model's query session (opened on first use otherwise)
        return self

    def close(self) -> None:
        s = getattr(self._local, "searcher", None)
        if s is not None:
            s.close()
            self._local.searcher = None

    # -- queries -------------------------------------------------------------------
    def build_query(self, q: str, *, complete_last: bool = False):
        """The Whoosh query for ``q`` and the analysed clauses."""
        clauses = analyse(q, self.vocabulary, self.synonyms, complete_last=complete_last, analyser=self.analyser)
        parts = []
        for c in clauses:
            alts = [_apart_query(alt, w) if alt in c.apart else _alternative_query(alt, w)
                    for alt, w in c.alternatives.items()]
            # the best alternative counts, not their sum: a synonym or a correction only
            # helps items that lack the word as typed (BestOf, not Whoosh's DisjunctionMax,
            # which scores by position: see dismax.py)
            parts.append(alts[0] if len(alts) == 1 else BestOf(alts))
        if not parts:
            return None, clauses
        query = wq.Or(parts, scale=COORDINATION)
        # the one-word synonyms no word of the query also has as typed or corrected, with the
        # synonyms as written: the snippet marks only their own forms (``_snippet_stems``)
        own = {s for c in clauses for alt in c.alternatives if not c.synonym(alt) for s in alt}
        query.synonym_words = {alt[0]: self.synonyms.written.get(alt[0], {alt[0]}) for c in clauses
                               for alt in c.alternatives if len(alt) == 1 and c.synonym(alt) and alt[0] not in own}
        return query, clauses

    def search(self, q: str, *, kind: str | None = None, limit: int = 10, offset: int = 0,
               complete_last: bool = False, snippets: bool = True) -> SearchResults:
        """The best ``limit`` hits after the first ``offset`` (the search API's page: every
        match of the query is listed once, strong ones first, at some depth; ``snippets=False``:
        each hit's snippet left empty, for callers that do not show them: the answer API,
        replays)."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind: expected one of {', '.join(KINDS)}, found {kind!r}")
        if offset < 0:
            raise ValueError(f"offset: expected 0 or more, found {offset}")
        depth = offset + limit
        s = self._searcher
        query, clauses = self.build_query(q, complete_last=complete_last)
        did_you_mean = suggestion(q, clauses, self.analyser, self.display)
        if query is None:
            return SearchResults([], 0, did_you_mean, {k: 0 for k in KINDS}, clauses=clauses)
        if self.semantic is not None:
            # the query's embedding first (a worker thread), so it overlaps the whole lexical pass
            pending = self.semantic.start(did_you_mean or q)
            evaluation = self._evaluate(query)  # once: the lexical candidates and the strong flags share it
            strong_docs, strong_counts, quarter = self._lexical_strong(query, evaluation)
            matched = evaluation[1][1] if evaluation is not None and evaluation[1] is not None else None
            cut = FusedCut(strong_docs, strong_counts, matched, self.documents.docnum, self.kinds_of_keys(),
                           quarter=quarter, kind_codes=self.fast.impacts.kinds if self.fast is not None else None,
                           scores=evaluation[1][0] if evaluation is not None and evaluation[1] is not None else None,
                           keys=self.documents.keys)
            fused = self.semantic.search(self, q, query, kind=kind, limit=depth, suggestion=did_you_mean,
                                         evaluation=evaluation, snippets=snippets, pending=pending, arrange=cut,
                                         offset=offset)
            fused.clauses = clauses
            return cut.mark(fused, kind, offset)
        evaluation = self._evaluate(query)
        r = self._run(query, kind=kind, limit=depth, evaluation=evaluation)
        hits = [self._hit(docnum, score, r.stems, strong, snippets)
                for (docnum, score), strong in list(zip(r.ranked, r.strong))[offset:]]
        total = r.counts[kind] if kind else sum(r.counts.values())
        strong_total = r.strong_counts[kind] if kind else sum(r.strong_counts.values())
        keys = self.documents.keys

        def more(kind: str, n: int) -> list[tuple[str, bool]]:
            rows = self._run(query, kind=kind, limit=n, evaluation=evaluation)
            return [(keys[docnum], strong) for (docnum, _), strong in zip(rows.ranked, rows.strong)]
        return SearchResults(hits, total, did_you_mean, r.counts, strong_total, r.strong_counts, clauses=clauses,
                             counted=self._counted_lexically(query, evaluation), more=more)

    def _counted_lexically(self, query, evaluation=None):
        """record key → whether it is a strong lexical match (every one counts in the lexical
        strong counts); the flags are read only when first asked."""
        flags = []

        def counted(key: str) -> bool:
            if not flags:
                flags.append(self._lexical_strong(query, evaluation)[0])
            docnum = self.documents.docnum.get(key)
            return flags[0] is not None and docnum is not None and bool(flags[0][docnum])
        return counted

    def _evaluate(self, query):
        """(plan, the fast engine's evaluation with the cut-off) for ``query``, or None when
        the Whoosh path answers it (no fast engine, or a query shape it does not evaluate)."""
        if self.fast is None:
            return None
        try:
            plan = compile_query(query)
        except Unsupported:
            return None
        return plan, self.fast.evaluate(plan, cutoff=True)

    def _run(self, query, *, kind, limit, evaluation=None) -> Run:
        """The top ``limit`` (strong matches first), counts per kind of every match and of
        the strong ones, and the query's stems. ``evaluation``: ``_evaluate(query)``'s, when
        the caller has it."""
        stems = _snippet_stems(query)
        if evaluation is None:
            evaluation = self._evaluate(query)
        if evaluation is not None:
            plan, evaluated = evaluation
            r = self.fast.run(plan, kind=kind, limit=limit, cutoff=True, evaluated=evaluated)
            return Run(list(zip(r.docs.tolist(), r.scores.tolist())), r.counts, stems, r.strong.tolist(),
                       r.strong_counts)
        return run_whoosh(self, query, kind=kind, limit=limit, stems=stems)

    def _lexical_strong(self, query, evaluation=None):
        """Every document's strong flag (None: nothing matches), strong matches per kind, and
        every document's flag "covers a quarter of the query's weight" (``cutoff.cut``)."""
        if evaluation is None:
            evaluation = self._evaluate(query)
        if evaluation is not None:
            evaluated = evaluation[1]
            if evaluated is None:
                return None, dict.fromkeys(KINDS, 0), None
            strong = evaluated[2]
            return strong, self.fast._per_kind(self.fast.impacts.kinds[np.flatnonzero(strong)]), evaluated[3]
        scored = score_all(self, query)
        if not scored:
            return None, dict.fromkeys(KINDS, 0), None
        flags, quarter = lexical_cut(self, query, scored)
        kinds = self._kind_column()
        counts = dict.fromkeys(KINDS, 0)
        for docnum in np.flatnonzero(flags).tolist():
            counts[kinds[docnum]] = counts.get(kinds[docnum], 0) + 1
        return flags, counts, quarter

    def _kind_column(self) -> list[str]:
        if getattr(self, "_kinds_by_doc", None) is None:
            reader = self._searcher.reader()
            column = reader.column_reader("kind") if reader.doc_count_all() else ()
            self._kinds_by_doc = [v.decode("utf-8") if isinstance(v, bytes) else v for v in column]
        return self._kinds_by_doc

    def ranked(self, q: str, *, limit: int = 10) -> list[tuple[str, float]]:
        """[(item id, score)] best first: the ranking ``search`` gives, without snippets or
        stored fields beyond the id (the gap report replays thousands of queries)."""
        if self.semantic is not None:
            return [(hit.id, hit.score) for hit in self.search(q, limit=limit, snippets=False).hits]
        query, _clauses = self.build_query(q)
        if query is None:
            return []
        s = self._searcher
        return [(s.stored_fields(d)["id"], score) for d, score in self._run(query, kind=None, limit=limit).ranked]

    def lexical(self, query, *, kind=None, limit=50, evaluation=None):
        """[(record key, BM25F score)] (strong matches first), counts per kind, the query's stems."""
        r = self._run(query, kind=kind, limit=limit, evaluation=evaluation)
        keys = self.documents.keys
        return [(keys[d], score) for d, score in r.ranked], r.counts, r.stems

    def kinds_of_keys(self) -> dict[str, str]:
        return self.documents.kind

    def _hit(self, docnum: int, score: float, stems: set[str], strong: bool = True, snippets: bool = True) -> Hit:
        fields = self._searcher.stored_fields(docnum)
        return Hit(
            id=fields["id"], kind=fields["kind"], title=fields["title"], url=fields["url"],
            snippet=self.snippet(fields, stems) if snippets else "", score=float(score), key=fields["key"],
            strong=strong,
        )

    def snippet(self, fields: dict, stems: set[str]) -> str:
        """The body around the matched words; when the body has none of them, an FAQ answer's or
        a video chapter's own first words (its summary is its group's or its video's, the same
        for every question or chapter of it: a chapter without words of its own has no snippet,
        its title says what it is), else the summary: what the client index shows
        (``search_shards._item_text``), so a result reads the same with the service up or down."""
        body = fields.get("body", "")
        marked = make_snippet(body, stems, SNIPPET_CHARS, self.language) if body else ""
        if "<mark>" in marked:
            return marked
        chapter = (fields.get("start") if fields.get("start") is not None else -1) >= 0
        if chapter or (fields.get("kind") == "faq" and marked):
            return marked  # a chapter without a transcript shows none: not its video's summary
        return make_snippet(fields.get("summary") or body, stems, SNIPPET_CHARS, self.language)

    def hits_for_keys(self, keys_scores: list[tuple[str, float]], stems=None, *, snippets: bool = True) -> list[Hit]:
        """Hits for stored records (by key), with the given scores, in the given order."""
        s = self._searcher
        docnums = self.documents.docnum
        hits = []
        for key, score in keys_scores:
            docnum = docnums.get(key)
            if docnum is None:
                continue
            fields = s.stored_fields(docnum)
            hits.append(Hit(fields["id"], fields["kind"], fields["title"], fields["url"],
                            self.snippet(fields, stems or set()) if snippets else "", float(score), key))
        return hits

    def knows(self, item_id: str) -> bool:
        return item_id in self.documents.docnum

    # -- related -------------------------------------------------------------------
    def related(self, item_id: str, limit: int = 5) -> list[str]:
        """Ids of the items most like ``item_id`` (more-like-this over its text)."""
        s = self._searcher
        docnum = self.documents.docnum.get(item_id)
        if docnum is None:
            return []
        fields = s.stored_fields(docnum)
        text = "\n".join([fields["title"]] * 2 + [fields.get("body", "")])
        top = limit * 3 + 5
        if self.fast is not None:
            # Whoosh's more_like query (its key terms, each boosted by its weight), scored
            # by the fast engine; the item itself is left out as Whoosh's mask does
            terms = s.key_terms_from_text("body", text, numterms=12, normalize=True)
            query = wq.Or([wq.Term("body", word, boost=weight) for word, weight in terms])
            ranked = self.fast.run(compile_query(query), kind=None, limit=top + 1)
            similar = [s.stored_fields(d)["id"] for d in ranked.docs.tolist() if d != docnum][:top]
        else:
            similar = [r["id"] for r in s.more_like(docnum, "body", text=text, top=top, numterms=12)]
        out: list[str] = []
        for found in similar:
            if found != item_id and found not in out:
                out.append(found)
            if len(out) >= limit:
                break
        return out
