"""Nearest logged wordings: rank items by the wordings of customers they helped.

Each logged wording tied to an item (``ties.Wording``) is a vector: its sentence embedding
when meaning is available (``carebase.search.meaning``, the model search uses), else a
TF-IDF vector of its stems and stem pairs. For a query, the wordings most similar to it
(cosine) vote for their items:

* walking the neighbours from the most similar, a wording has a voice only if it brings a
  client not heard yet — one client is one voice however many journeys it sends, so a
  client cannot crowd the neighbourhood with its own wordings;
* at most ``k`` wordings have a voice, none below ``min_similarity``;
* an item's vote is the sum of its voiced neighbours' similarities, and it is kept only
  when the neighbours tied to it (voiced, and the ones passed on the way whose clients
  were heard already) **within one band of similarity ``margin`` wide** meet the same
  thresholds as a tie (``Thresholds.met``: ``min_journeys`` distinct journeys from
  ``min_clients`` distinct clients, counted within one salt epoch: ``ties.proven_clients``).
  A client's second wording adds its journey to the count, as it does to a tie's, but no
  voice: three journeys from two clients listed as a tie in ``/api/v1/learned`` rank its
  item too for a query they are all alike to within the band.

The band (session 41): one client's wordings near the query cannot carry its item with
another client's far one completing the count (two journeys of ``get my money back`` and an
honest ``stop paying for lumo plus`` 0.30 alike voted 100 % for *Cancel Lumo Plus*): the
other client must be within ``margin`` of the similarity of the first. Every band is tried,
so a closer wording never takes away an item that a band further down supports.

``votes(query)`` returns item → vote share (its vote over all kept votes), for the ranking
to fuse; with embeddings each share is multiplied by how much of the query's information the
item's wordings passed hold (``coverage.py``), and not shared out again: after the demo's
traffic "remove old thermostat" (15 clients, 0.58 alike to "thermostat offline") held only the
product noun of that question, and its votes put *Remove your old thermostat* first. Whole wordings never leave the service: only item ids and numbers come out.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

from carebase.learned.coverage import Coverage
from carebase.learned.phrases import phrases
from carebase.learned.ties import Thresholds, Wording, proven_clients

K = 10
MIN_SIMILARITY = 0.3  # embeddings (chosen on half A); the TF-IDF fallback uses MIN_LEXICAL_SIMILARITY
MIN_LEXICAL_SIMILARITY = 0.2
CANDIDATES = 200  # neighbours examined (more than k: some are skipped as known clients)
MARGIN = 0.3  # the band of similarity an item's thresholds are met within (declared before measuring: RESULTS)


class LexicalVectors:
    """TF-IDF over phrase keys (stems and stem pairs), cosine by sparse dot products."""

    def __init__(self, texts: list[str]):
        self.n = len(texts)
        feats = [phrases(t) for t in texts]
        df = Counter(k for f in feats for k in f)
        self.idf = {k: math.log((self.n + 1) / (c + 1)) + 1.0 for k, c in df.items()}
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, f in enumerate(feats):
            for key, weight in self._weights(f).items():
                postings[key].append((i, weight))
        self.postings = {k: (np.array([i for i, _ in v], dtype=np.int64), np.array([w for _, w in v]))
                         for k, v in postings.items()}

    def _weights(self, feats) -> dict[str, float]:
        w = {k: self.idf[k] for k in feats if k in self.idf}
        norm = math.sqrt(sum(x * x for x in w.values())) or 1.0
        return {k: x / norm for k, x in w.items()}

    def similarities(self, query: str) -> np.ndarray:
        sims = np.zeros(self.n)
        for key, weight in self._weights(phrases(query)).items():
            docs, weights = self.postings[key]
            sims[docs] += weight * weights
        return sims


class EmbeddedVectors:
    """Sentence embeddings (rows L2-normalised), cosine by one matrix-vector product."""

    def __init__(self, matrix: np.ndarray, embed_query):
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self.embed_query = embed_query

    def similarities(self, query: str) -> np.ndarray:
        # einsum: one pass in this thread; ``matrix @ q`` ran BLAS's own threads, which spin on a
        # shared server: 7.0 ms of process CPU per query at 4,369 wordings against 1.0 ms
        # (RESULTS.md, "Session 42 (`apilat`)"); the cosines differ in the last bit at most
        return np.einsum("nd,d->n", self.matrix, self.embed_query(query))


class NearestWordings:
    def __init__(self, records: list[Wording], vectors, thresholds: Thresholds = Thresholds(), *,
                 k: int = K, min_similarity: float = MIN_SIMILARITY, margin: float = MARGIN):
        self.records = records
        self.vectors = vectors
        self.thresholds = thresholds
        self.k = k
        self.min_similarity = min_similarity
        self.margin = margin
        # embeddings: an item's vote share counts for the share of the query its wordings hold
        # (``coverage.py``); TF-IDF's cosine weighs the words a wording lacks already
        self.coverage = Coverage([r.text for r in records]) if isinstance(vectors, EmbeddedVectors) else None

    def __len__(self) -> int:
        return len(self.records)

    def walk(self, query: str) -> list[tuple[Wording, float, bool]]:
        """The neighbours passed, most similar first, until ``k`` have a voice: (wording,
        similarity, voice). A voice brings one new client at least; the others are wordings of
        clients heard already, which count towards their item's thresholds only."""
        if not self.records:
            return []
        sims = self.vectors.similarities(query)
        top = min(CANDIDATES, len(sims))
        cand = np.argpartition(-sims, top - 1)[:top] if top < len(sims) else np.arange(len(sims))
        cand = cand[np.argsort(-sims[cand], kind="stable")]
        heard: set = set()
        out = []
        voices = 0
        for i in cand.tolist():
            s = float(sims[i])
            if s < self.min_similarity or voices >= self.k:
                break
            rec = self.records[i]
            if not rec.clients:
                continue
            voice = not rec.clients <= heard
            if voice:
                heard |= rec.clients
                voices += 1
            out.append((rec, s, voice))
        return out

    def neighbours(self, query: str) -> list[tuple[Wording, float]]:
        """The voiced neighbours, most similar first (one new client at least each)."""
        return [(rec, s) for rec, s, voice in self.walk(query) if voice]

    def votes(self, query: str) -> dict[str, float]:
        score: dict[str, float] = defaultdict(float)
        tied: dict[str, list[tuple[float, Wording]]] = defaultdict(list)
        for rec, s, voice in self.walk(query):
            if voice:
                score[rec.item_id] += s
            tied[rec.item_id].append((s, rec))
        kept = {item: v for item, v in score.items() if self.supported(tied[item])}
        total = sum(kept.values())
        if total <= 0:
            return {}
        if self.coverage is None:
            return {item: v / total for item, v in kept.items()}
        # the share of the vote, times the share of the query's information the item's wordings
        # hold: not shared out again, so the base ranking keeps what a noun-only vote lost
        held = self.coverage.of(query)
        shares = {item: v / total * held([rec.text for _, rec in tied[item]]) for item, v in kept.items()}
        return {item: share for item, share in shares.items() if share > 0}

    def supported(self, tied: list[tuple[float, Wording]]) -> bool:
        """Whether an item's neighbours (most similar first) within one band ``margin`` wide meet
        the thresholds (distinct clients within one epoch). Linear in the neighbours: the whole
        list first (no band holds more, so when it falls short no band meets them: False at
        once), then every band in one sliding window with counters (its end only moves down as
        its top does)."""
        met = self.thresholds.met
        if not tied:
            return False
        journeys = set().union(*(rec.journeys for _, rec in tied))
        if not met(len(journeys), proven_clients(set().union(*(rec.clients for _, rec in tied)))):
            return False
        in_journeys: Counter = Counter()  # journey → neighbours in the window that bring it
        in_epochs: dict = defaultdict(Counter)  # epoch → client hash → neighbours in the window
        end, best = 0, 0  # best: the most distinct hashes of one epoch in the window
        for top, first in tied:
            floor = top - self.margin - 1e-9
            while end < len(tied) and tied[end][0] >= floor:
                rec = tied[end][1]
                in_journeys.update(rec.journeys)
                for epoch, digest in rec.clients:
                    hashes = in_epochs[epoch]
                    hashes[digest] += 1
                    best = max(best, len(hashes))
                end += 1
                if met(len(in_journeys), best):  # part of this band meets them, so the band does
                    return True
            # the next band starts one neighbour down: this one leaves the window
            for journey in first.journeys:
                in_journeys[journey] -= 1
                if not in_journeys[journey]:
                    del in_journeys[journey]
            for epoch, digest in first.clients:
                hashes = in_epochs[epoch]
                hashes[digest] -= 1
                if not hashes[digest]:
                    del hashes[digest]
            best = max((len(h) for h in in_epochs.values()), default=0)
        return False


def meaning_or_none():
    """The search's embedding model (``carebase.search.meaning``) when it is available."""
    from carebase.search import meaning

    try:
        return meaning if meaning.available() else None
    except Exception:  # a broken model: learned ranking falls back to TF-IDF
        return None
