"""Hybrid search: sentence embeddings (``meaning``) fused with BM25F.

Each record gets two vectors: its title with summary and keywords (what the item is
about), and its whole text. A record's semantic score is the larger cosine of the two.
The fused score (``fuse``, method ``FUSION``) is ``0.7 * cosine' + 0.3 * BM25F / best BM25F``,
where cosine' is the cosine scaled to [0, 1] over the best CANDIDATES records; the method and
weight were chosen on half A of the relevance harness (benchmarks/search/meaning_compare.py).

Vectors are computed when the index is built (``SemanticIndex.build``) and saved beside it;
a ``VectorCache`` keyed by (model, text) means an unchanged record is not embedded again
on the next build. ``wanted()`` decides whether search uses meaning at all, ``covers(language)``
whether on a language's pages (the model must know the language: ``meaning.knows``).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from carebase.search import meaning
from carebase.search.cutoff import MEANING_TOP, SCORE_SHARE
from carebase.search.records import Record, catalogue_records
from carebase.search.vector_scores import VectorScores

log = logging.getLogger("carebase.search")

EMBEDDINGS = "carebase-embeddings.npy"
KEYS = "carebase-embeddings.json"
#: The saved vectors' format (``carebase.output.formats``; in KEYS, none before session 36 = 1).
FORMAT = 1
#: How lexical and semantic scores are fused (``fuse``), chosen on half A of the harness.
FUSION = "linear-norm"
FUSION_PARAM = 0.7
ALPHA = FUSION_PARAM  # the linear weight of before (benchmarks read it)
#: A record found only by meaning must be at least this similar to the query (the linear
#: fusion drops the others; ``arrange`` is told which records are, for the strong matches).
MIN_SIMILARITY = 0.25
#: How many records each side brings to the fusion (the lexical best and the most alike).
CANDIDATES = 50
#: The cosine scale of ``linear-norm`` runs from the SCALE-th most alike record's cosine to the
#: best's, however many candidates the fusion reads (``CANDIDATES``: 50, the depth the method was
#: chosen at): a record's fused score, and so the strong set (``FusedCut.whole``), does not move
#: with the candidates' number (with the floor at the CANDIDATES-th, "thermostat" counted 102 /
#: 60 / 68 / 69 strong with 20 / 50 / 100 / 400 candidates).
SCALE = 50

_noticed = False


def available() -> bool:
    """Whether an embedding model is installed and loadable (``meaning.available``)."""
    return meaning.available()


def wanted() -> bool:
    """Whether search should use meaning: on by default when a model loads, off with
    ``CAREBASE_SEMANTIC=0``. Logs one line (once per process) when it is off."""
    global _noticed
    if meaning.available():
        return True
    if not _noticed:
        _noticed = True
        log.warning("%s", meaning.status())
    return False


def index_language(folder) -> str:
    """The language a search index in ``folder`` was analysed as ("" when unreadable)."""
    from carebase.search.index import read_meta

    try:
        return read_meta(folder).get("language") or ""
    except Exception:
        return ""


def covers(language: str | None) -> bool:
    """Whether search uses meaning on the pages of ``language``: meaning is on and its model
    knows the language (``meaning.knows``); elsewhere search is lexical."""
    return wanted() and meaning.knows(language)


def _about(rec: Record) -> str:
    return ". ".join(p for p in (rec.title, rec.summary, rec.keywords) if p)


def embed(texts: list[str]):
    """Passage vectors (kept for callers of before; use ``meaning.embed_passages``)."""
    return meaning.embed_passages(texts)


#: Records are embedded (and their vectors stored in the cache) this many at a time, so a
#: long build shows progress and an interrupted one keeps what it embedded.
CHUNK = 256


def record_vectors(records: list[Record], cache=None, progress=None) -> np.ndarray:
    """[2, n, d]: each record's "about" and whole-text vectors (through ``cache``, a
    ``VectorCache``, when given: texts embedded before are not embedded again);
    ``progress(done, total)`` after each chunk of records."""
    n = len(records)
    out = None
    for start in range(0, n, CHUNK):
        part = records[start: start + CHUNK]
        texts = [_about(r) for r in part] + [r.text() for r in part]
        vecs = cache.passages(texts) if cache is not None else meaning.embed_passages(texts)
        if out is None:
            out = np.zeros((2, n, vecs.shape[1]), np.float32)
        out[0, start: start + len(part)] = vecs[: len(part)]
        out[1, start: start + len(part)] = vecs[len(part):]
        if progress is not None:
            progress(start + len(part), n)
    return out if out is not None else np.zeros((2, 0, meaning.dim()), np.float32)


def relative_floor(best: float, min_similarity: float) -> float:
    """The least cosine a record no word of the query matched must have to be listed: half the
    query's best cosine over every record (``cutoff.SCORE_SHARE``, the strong rule's own share),
    with no absolute floor. Session 38's floor also asked ``MIN_SIMILARITY`` (0.25) of each such
    record and lost answers beyond noise on the third set's short questions ("learners permit",
    "Are you in Mississippi": answers the model finds alike at a low cosine); this one, chosen
    on the first set's half A among the rules declared before measuring, kept every set's hit@1
    and hit@5 (benchmarks/RESULTS.md, "A floor for meaning-only rows, relative to the query's
    best", session 39). ``min_similarity`` is not read: the signature is the benchmarks'."""
    return SCORE_SHARE * best


#: The floor for the records no word of the query matched, ``(best cosine, MIN_SIMILARITY) ->
#: least cosine listed`` (``relative_floor``), or None: every one of meaning's CANDIDATES most
#: alike is listed (as before session 39); benchmarks/search/meaning_floor.py swaps in others.
meaning_floor = relative_floor
#: Among the records no word of the query matched, at most one chapter of a video (its first
#: in the fused order): "schedule"'s weaker list held several chapters of one video that meaning
#: alone brought. Applied with ``meaning_floor``.
one_chapter_per_video = True
#: When no word of the query matches a record and meaning finds nothing at least MIN_SIMILARITY
#: alike (the query's best cosine is below it: "trv", 0.12 on the demo), at most this many records
#: are listed, the most alike (``cutoff.MEANING_TOP``: meaning's picks): the search page says "No
#: close matches" over a few weaker rows, not 13 (session 40; None: every record ``meaning_floor``
#: keeps).
UNKNOWN_WORDS_ROWS: int | None = MEANING_TOP


class SemanticIndex:
    def __init__(self, keys: list[str], vectors, *, alpha: float | None = None, method: str | None = None,
                 param: float | None = None, model: str | None = None):
        self.keys = keys
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)  # shape (2, n, dim)
        self.method = method or FUSION
        self.param = param if param is not None else (alpha if alpha is not None else FUSION_PARAM)
        self.alpha = self.param
        self.model = model
        self.position = {k: i for i, k in enumerate(keys)}
        self.scorer = VectorScores(self.vectors)

    @classmethod
    def build(cls, catalogue, index_dir, *, records: list[Record] | None = None, cache=None,
              progress=None, **kw) -> "SemanticIndex":
        """Embed every record and save the vectors beside the Whoosh index in ``index_dir``.
        ``cache``: a ``VectorCache`` (default: the shared one, see ``vector_cache``)."""
        from carebase.search.vector_cache import VectorCache

        records = list(catalogue_records(catalogue)) if records is None else records
        if cache is None:
            cache = VectorCache()
        vectors = record_vectors(records, cache, progress)
        folder = Path(index_dir)
        np.save(folder / EMBEDDINGS, vectors)
        model = meaning.model_id()
        (folder / KEYS).write_text(json.dumps({"format": FORMAT, "model": model, "keys": [r.key for r in records]}))
        return cls([r.key for r in records], vectors, model=model, **kw)

    @staticmethod
    def _saved(folder: Path) -> dict | None:
        """The saved keys (``{"model", "keys"}``) when ``open`` would use the vectors, else None:
        also None for an index of a language the model does not know (``meaning.knows``: vectors
        an earlier carebase saved for German pages with an English model are not used)."""
        if not (folder / EMBEDDINGS).exists() or not meaning.available():
            return None
        if not meaning.knows(index_language(folder)):
            return None
        saved = json.loads((folder / KEYS).read_text())
        if not isinstance(saved, dict) or saved.get("model") != meaning.model_id() or saved.get("format", 1) != FORMAT:
            return None
        return saved

    @classmethod
    def usable(cls, index_dir) -> bool:
        """Whether ``open`` would give vectors (not None), without reading them."""
        return cls._saved(Path(index_dir)) is not None

    @classmethod
    def open(cls, index_dir, **kw) -> "SemanticIndex | None":
        """The saved vectors, or None when the index has none, meaning is unavailable, or
        they were made by another model (then the index must be built again)."""
        folder = Path(index_dir)
        saved = cls._saved(folder)
        if saved is not None and not meaning.warm():  # the model's session, opened for the searches
            log.warning("%s", meaning.status())
            return None
        if saved is None:
            if (folder / EMBEDDINGS).exists() and meaning.available() and meaning.knows(index_language(folder)):
                found = json.loads((folder / KEYS).read_text())
                log.warning("%s: vectors of another model (%s), not %s: lexical search until the "
                            "index is built again", folder, found.get("model") if isinstance(found, dict) else "?",
                            meaning.model_id())
            return None
        return cls(saved["keys"], np.load(folder / EMBEDDINGS), model=saved["model"], **kw)

    def scores(self, text: str):
        """Every record's cosine to ``text``, exact where fusion reads it (``vector_scores``)."""
        return self._scores(text)[1]

    def _scores(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        q = meaning.embed_query(text)
        return q, self.scorer.all(q)

    def _every_fused(self, searcher, evaluation, sem, score, cosines: bool = False, floor: float = 0.0):
        """Every document's fused score (by document number), as ``fuse`` would give it were the
        document among its candidates: what decides, past the candidates, which strong lexical
        matches come before the result that ended their kind's strong ones (``FusedCut``).
        A document no word of the query matched scores 0 under ``floor`` (``meaning_floor``: it is
        not listed). None when not known (the Whoosh path, rrf).
        ``cosines``: (that, every document's cosine, ``MIN_SIMILARITY``), what ``FusedCut.whole``
        reads."""
        if score is None or evaluation is None or evaluation[1] is None:
            return None
        bm25 = np.asarray(evaluation[1][0], dtype=np.float64)
        positions = self._positions(searcher)
        if positions is None or len(positions) != len(bm25):
            return None
        rows, has = self._held_positions[2:]
        if rows is None:  # document n is vector n (an index written with its vectors): no gather
            cos = np.asarray(sem, dtype=np.float64)
            cos = cos.copy() if cos is sem else cos
        else:
            cos = np.where(has, np.asarray(sem, dtype=np.float64)[rows], 0.0)
        fused = score(bm25, cos)
        if floor > 0 and evaluation[1][1] is not None:
            fused = np.where(np.asarray(evaluation[1][1], dtype=bool) | (cos >= floor), fused, 0.0)
        return (fused, cos, MIN_SIMILARITY) if cosines else fused

    def _alike_enough(self, searcher, evaluation, ranked, lexical_keys, sem, floor: float):
        """The fused ranking without the records no word of the query matched that are less alike
        than ``floor`` (a lexical candidate, or a record the lexical evaluation matched, stays),
        and, with ``one_chapter_per_video``, without the second and later chapters of a video
        among those records."""
        matched = evaluation[1][1] if evaluation is not None and evaluation[1] is not None else None
        docnum = searcher.documents.docnum
        kinds = searcher.kinds_of_keys() if one_chapter_per_video else None
        videos: set[str] = set()
        kept = []
        for key, score in ranked:
            if key not in lexical_keys:
                position = self.position.get(key)
                below = position is not None and sem[position] < floor
                chapter = kinds is not None and "#" in key and kinds.get(key) == "video"
                if below or chapter:
                    d = docnum.get(key)
                    if matched is None or d is None or not matched[d]:  # no word of the query matched it
                        if below:
                            continue
                        video = key.split("#", 1)[0]  # a chapter's key: its video's id, "#", its anchor
                        if video in videos:
                            continue
                        videos.add(video)
            kept.append((key, score))
        return kept

    def _positions(self, searcher):
        """Document number → this index's row of its vector (-1: none), made once per documents
        table (with what ``_every_fused`` gathers by: the rows, None when document n is row n, and
        which documents have one)."""
        docs = searcher.documents
        held = getattr(self, "_held_positions", None)
        if held is None or held[0] is not docs:
            positions = np.fromiter((self.position.get(key, -1) for key in docs.keys), dtype=np.int64,
                                    count=len(docs.keys))
            same = len(positions) == len(self.keys) and bool(np.array_equal(positions, np.arange(len(positions))))
            held = self._held_positions = (docs, positions, None if same else np.maximum(positions, 0),
                                           positions >= 0)
        return held[1]

    def start(self, text: str) -> Future:
        """Embed ``text`` and score every record in a worker thread (onnxruntime and numpy
        release the GIL, so on a free core this overlaps the caller's lexical search): the
        future of ``(query vector, scores)`` that ``search`` takes as ``pending``.

        Returns once the worker has begun (or after ``HANDOFF_SECONDS``): a worker woken while
        the caller runs Python waits for the GIL, until the caller blocks or the interpreter's
        switch interval (5 ms) passes, so the embedding used to start only when the lexical
        search was done and waited on it (in-process wall ≈ CPU). Waiting here hands it the
        GIL, which it keeps only until onnxruntime releases it (the query's few tokens), and the
        two then run side by side. The wait is bounded below the caller's slack (its lexical
        pass is shorter than the embedding and scoring), so on a busy machine, where the worker
        may not get a core at once, it costs the critical path nothing. With every pool thread
        taken by other searches' tasks (concurrent searches), the task is queued and no worker
        can begin it: start() then returns at once instead of waiting out the bound."""
        global _in_flight
        began = threading.Event()

        def work():
            began.set()
            try:
                return self._scores(text)
            finally:
                _finished(None)  # before the result is seen: the thread is free for the next start()

        pool = _workers()
        with _pool_lock:
            idle = _in_flight < pool._max_workers  # a thread free for this task (else it is queued)
            _in_flight += 1
        future = pool.submit(work)
        future.add_done_callback(lambda f: f.cancelled() and _finished(f))  # never ran: not in flight
        if idle:
            began.wait(HANDOFF_SECONDS)
        return future

    def search(self, searcher, text: str, query, *, kind, limit, suggestion, evaluation=None, snippets=True,
               pending: Future | None = None, arrange=None, offset: int = 0):
        """Fuse lexical (top CANDIDATES) and semantic scores (``fuse``). The query is embedded
        and scored in a worker thread while this one searches lexically: ``pending``, the
        caller's ``start(suggestion or text)`` begun before its own lexical evaluation (else
        begun here). ``evaluation``: the searcher's lexical evaluation of ``query``, when it
        has it (``Searcher._evaluate``). ``arrange(ranked, lexical keys, alike)``: the whole fused
        ranking in the order the hits take (strong matches first) and the matches per kind found
        by meaning alone (counted with the lexical ones), before the first ``limit`` are kept.
        ``kind``: that ranking narrowed to the kind (the same members, order and strong flags as
        the kind's rows of the unfiltered answer), continued past the fused candidates by the
        kind's lexical matches when it holds fewer than ``limit`` (``FusedCut.narrowed``); the
        unfiltered ranking is continued so too (every match is listed, at some depth). The hits
        are that list's rows ``offset`` to ``limit`` (the search API's page: ``limit`` is its
        depth)."""
        from carebase.search.query import SearchResults

        semantic = pending if pending is not None else self.start(suggestion or text)
        # one ranking for every kind: a kind filter narrows it (below), it never ranks the kind
        # apart (a filtered fusion had other members, order and strong counts than its tab said)
        lexical, counts, stems = searcher.lexical(query, kind=None, limit=CANDIDATES, evaluation=evaluation)
        q, sem = semantic.result()
        rows = [self.position[key] for key, _ in lexical if key in self.position]
        if rows and self.scorer.estimates:  # the candidates' exact cosines (fusion reads them)
            sem[rows] = self.scorer.exact(rows, q)
        scorer: dict = {}
        ranked = fuse(lexical, sem, self.keys, self.position, method=self.method, param=self.param, scorer=scorer)
        floor = 0.0  # without ``meaning_floor``: a record no word of the query matched is listed whatever its cosine
        if meaning_floor is not None:
            floor = meaning_floor(float(sem.max()) if len(sem) else 0.0, MIN_SIMILARITY)
            ranked = self._alike_enough(searcher, evaluation, ranked, {key for key, _ in lexical}, sem, floor)
        if UNKNOWN_WORDS_ROWS is not None and not lexical and not (len(sem) and float(sem.max()) >= MIN_SIMILARITY):
            ranked = ranked[:UNKNOWN_WORDS_ROWS]  # no word of the query is known and nothing is alike
        if arrange is not None:
            alike = {key: bool(sem[self.position[key]] >= MIN_SIMILARITY) for key, _ in ranked if key in self.position}
            ranked, extra = arrange(ranked, {key for key, _ in lexical}, alike,
                                    fused=lambda: self._every_fused(searcher, evaluation, sem, scorer.get("score"),
                                                                    floor=floor),
                                    every=lambda: self._every_fused(searcher, evaluation, sem, scorer.get("score"),
                                                                    cosines=True, floor=floor))
            counts = {k: counts.get(k, 0) + extra.get(k, 0) for k in set(counts) | set(extra)}
        whole = ranked
        kinds = searcher.kinds_of_keys()

        def narrow(kind, limit):
            ranked = [(key, score) for key, score in whole if kind is None or kinds.get(key) == kind]
            more = []
            past = arrange.past_strong(kind) if arrange is not None and arrange.past is not None else 0
            if past:  # every strong one past the ranking is known (FusedCut.past): further lexical
                # matches only for the weaker rows after them, when the page reaches those
                wanted = limit > len(ranked) + past
            else:
                wanted = arrange.beyond_needed(kind, limit, len(ranked)) if arrange is not None else len(ranked) < limit
            if wanted:
                # the kind's further matches, past the fused candidates (a large help centre):
                # its lexical ranking, as the strong counts per kind count them
                more, _, _ = searcher.lexical(query, kind=kind, limit=limit + len(ranked) + past, evaluation=evaluation)
            if arrange is not None:
                return arrange.narrowed(ranked, kind, more, limit)
            return ranked + [(key, 0.0) for key, _ in more if key not in {k for k, _ in ranked}]

        def more(kind, limit):
            """The kind's first ``limit`` records [(key, strong)], as this search filtered to
            the kind lists them (``SearchResults.more``), without searching again."""
            if arrange is None:
                return [(key, True) for key, _ in narrow(kind, limit)[:limit]]
            strong = arrange.strong
            rows = narrow(kind, limit)[:limit]
            named, arrange.strong = arrange.strong, strong  # this search's own marking stays
            return [(key, n < named) for n, (key, _) in enumerate(rows)]

        if kind or (arrange.beyond_needed(None, limit, len(ranked)) if arrange is not None else len(ranked) < limit):
            ranked = narrow(kind or None, limit)
        hits = searcher.hits_for_keys(ranked[offset:limit], stems, snippets=snippets)
        total = counts.get(kind, 0) if kind else sum(counts.values())
        return SearchResults(hits, max(total, offset + len(hits)) if hits else total, suggestion, counts, more=more)


#: The longest ``SemanticIndex.start`` waits for its worker to begin (seconds): below the lexical
#: pass's slack (the embedding and the scores take ≈ 4.5 ms of CPU, the lexical pass ≈ 2 ms).
HANDOFF_SECONDS = 0.002

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_in_flight = 0  # ``start``'s tasks queued or running in the pool (under ``_pool_lock``)


def _finished(_future: Future) -> None:
    global _in_flight
    with _pool_lock:
        _in_flight -= 1


def _workers() -> ThreadPoolExecutor:
    """Threads that embed and score queries beside the lexical search (one per core, at most 2)."""
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1), thread_name_prefix="carebase-meaning")
    return _pool


def _top(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the ``k`` largest scores, largest first (ties: lower index first)."""
    if len(scores) > k:
        part = np.argpartition(-scores, k - 1)[:k]
        part = part[np.lexsort((part, -scores[part]))]
        return part.tolist()
    return np.lexsort((np.arange(len(scores)), -scores)).tolist()


def fuse(lexical, sem, keys, position, *, method: str = FUSION, param: float = FUSION_PARAM,
         allowed=None, scorer: dict | None = None) -> list[tuple[str, float]]:
    """[(record key, fused score)] best first, from the lexical top CANDIDATES
    ([(key, BM25F)], best first) and every record's cosine ``sem`` (aligned with ``keys``).

    - ``linear``: ``param * cosine + (1 - param) * BM25F / best BM25F``; records found only
      by meaning need a cosine of at least MIN_SIMILARITY;
    - ``linear-norm``: the same with each side scaled to [0, 1] (cosine: (c - the SCALE-th
      best) / (best - that), 0 below it), so a model whose cosines crowd into a narrow band
      weighs the same as one whose cosines spread;
    - ``rrf``: reciprocal rank fusion, ``1 / (param + rank)`` summed over both lists.

    ``scorer``: a dict given gets ``"score"``, the fused score as a function of BM25F and cosine
    arrays, for records past the candidates (linear methods; rrf scores ranks: none).
    """
    alike = [i for i in _top(sem, max(CANDIDATES, SCALE) * 2) if allowed is None or allowed(keys[i])]
    sem_top, floor = alike[:CANDIDATES], alike[:SCALE]
    fused: dict[str, float] = {}
    if method == "rrf":
        for rank, (key, _) in enumerate(lexical, 1):
            fused[key] = 1.0 / (param + rank)
        for rank, i in enumerate(sem_top, 1):
            fused[keys[i]] = fused.get(keys[i], 0.0) + 1.0 / (param + rank)
    else:
        best = max((s for _, s in lexical), default=0.0) or 1.0
        if method == "linear-norm" and sem_top:
            hi, lo = float(sem[sem_top[0]]), float(sem[floor[-1]])
            scale = (lambda c: max(0.0, (c - lo) / (hi - lo))) if hi > lo else (lambda c: 1.0)  # noqa: E731
        elif method == "linear":
            scale = float
        else:
            raise ValueError(f"fusion method: expected linear, linear-norm or rrf, found {method!r}")
        if scorer is not None:
            if method == "linear-norm" and sem_top and hi > lo:
                scorer["score"] = lambda bm25, cos: (1 - param) * bm25 / best + param * np.maximum(0.0, (cos - lo) / (hi - lo))
            elif method == "linear-norm":
                scorer["score"] = lambda bm25, cos: (1 - param) * bm25 / best + param
            else:
                scorer["score"] = lambda bm25, cos: (1 - param) * bm25 / best + param * cos
        for key, s in lexical:
            i = position.get(key)
            fused[key] = (1 - param) * s / best + param * (scale(float(sem[i])) if i is not None else 0.0)
        for i in sem_top:
            key = keys[i]
            if method == "linear" and sem[i] < MIN_SIMILARITY:
                break
            if key not in fused:
                fused[key] = param * scale(float(sem[i]))
    return sorted(fused.items(), key=lambda kv: -kv[1])
