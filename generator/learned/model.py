"""One snapshot of what the service learned: ties, logged wordings and their neighbours.

``learn(engine, settings)`` reads the event store (the last ``window_days``) and the
blocks, and returns a ``Learned`` snapshot: the kept ties (``ties.py``), and the logged
wordings that rank by similarity (``nearest.py``). The snapshot is immutable: the
service swaps in a new one after each refresh (``refresh.py``), so a search never sees a
half-built state. Events deleted from the store are gone from the next snapshot: nothing
is learned except from the events there are now.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import Engine

from carebase.learned.blocks import Blocks, list_blocks
from carebase.learned.journeys import evidence
from carebase.learned.nearest import (
    K, MIN_LEXICAL_SIMILARITY, MIN_SIMILARITY, EmbeddedVectors, LexicalVectors, NearestWordings,
)
from carebase.learned.ties import Thresholds, Tie, ties, wordings

DAY_MS = 86_400_000
WINDOW_DAYS = 90
MAX_WORDINGS = 50_000  # the best supported (then most recent) wordings that rank by similarity
WEIGHT = 2.0  # the vote share's weight against the normalised base score (chosen on half A: ranking.py)


@dataclass(frozen=True)
class Settings:
    thresholds: Thresholds = Thresholds()
    window_days: int = WINDOW_DAYS
    k: int = K
    weight: float = WEIGHT
    max_wordings: int = MAX_WORDINGS


@dataclass
class Learned:
    built_ms: int
    settings: Settings
    ties: list[Tie]
    nearest: NearestWordings
    evidence_journeys: int
    seconds: float = 0.0
    pending: int = 0  # wordings not embedded yet (ranked by from a later refresh on)
    by_item: dict[str, list[Tie]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for tie in self.ties:
            self.by_item.setdefault(tie.item_id, []).append(tie)

    def votes(self, query: str) -> dict[str, float]:
        return self.nearest.votes(query)

    def summary(self) -> dict:
        return {"built_ms": self.built_ms, "seconds": round(self.seconds, 3), "tie_count": len(self.ties),
                "items": len(self.by_item), "wordings": len(self.nearest), "pending": self.pending,
                "journeys": self.evidence_journeys,
                "min_journeys": self.settings.thresholds.min_journeys,
                "min_clients": self.settings.thresholds.min_clients, "window_days": self.settings.window_days}


class VectorMemo:
    """Wording vectors kept between refreshes, so each wording is embedded once.

    ``cache`` (a ``VectorCache`` of its own file) keeps them across restarts too, and forgets
    the vectors of wordings no longer learned from (deleted or out of the window); ``max_new``
    bounds the wordings embedded per refresh (the best supported first): the others wait for
    the next refresh (``pending``)."""

    def __init__(self, embed_many, model_id: str = "", *, cache=None, max_new: int | None = None):
        self.embed_many = embed_many
        self.model_id = model_id
        self.cache = cache
        self.max_new = max_new
        self.pending = 0
        self._memo: dict[str, np.ndarray] = {}

    def vectors(self, texts: list[str]) -> tuple[list[int], np.ndarray]:
        """(positions in ``texts`` that have a vector now, their vectors as rows)."""
        unique = list(dict.fromkeys(texts))
        missing = [t for t in unique if t not in self._memo]
        if missing and self.cache is not None:
            self._memo.update(self.cache.known(missing, "query"))
            missing = [t for t in missing if t not in self._memo]
        new = missing if self.max_new is None else missing[: self.max_new]
        if new:
            vecs = self.cache.queries(new) if self.cache is not None else self.embed_many(new)
            self._memo.update(zip(new, vecs))
        self.pending = len(missing) - len(new)
        keep = set(unique)
        forgotten = [t for t in self._memo if t not in keep]
        for t in forgotten:  # forgotten wordings: forget their vectors
            del self._memo[t]
        if self.cache is not None and (forgotten or missing):
            self.cache.retain(unique, "query")
        kept = [i for i, t in enumerate(texts) if t in self._memo]
        if not kept:
            return [], np.zeros((0, 1), np.float32)
        return kept, np.stack([self._memo[texts[i]] for i in kept])

    def matrix(self, texts: list[str]) -> np.ndarray:
        """Every text's vector (embedding all the new ones, whatever ``max_new``)."""
        limit, self.max_new = self.max_new, None
        try:
            return self.vectors(texts)[1] if texts else np.zeros((0, 1), np.float32)
        finally:
            self.max_new = limit


def learn(engine: Engine, settings: Settings = Settings(), *, memo: VectorMemo | None = None,
          embed_query=None, now_ms: int | None = None, vocabulary=frozenset()) -> Learned:
    """A fresh snapshot from the store (``memo``/``embed_query``: embeddings; else TF-IDF).
    ``vocabulary``: the help centre's words (``blocks.site_vocabulary``), never typos of a blocked word."""
    started = time.perf_counter()
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    since = now_ms - settings.window_days * DAY_MS if settings.window_days else None
    with engine.connect() as conn:
        blocks = Blocks(list_blocks(conn), vocabulary)
        by_wording = blocks.keep(wordings(evidence(conn, since_ms=since)))
    kept_ties = ties(by_wording, settings.thresholds)
    records = [w for w in by_wording.values() if w.clients]
    records.sort(key=lambda w: (-w.client_count, -len(w.journeys), -w.last_ms, w.text, w.item_id))
    records = records[: settings.max_wordings]
    pending = 0
    if memo is not None and embed_query is not None:
        kept, matrix = memo.vectors([w.text for w in records])
        pending = len(records) - len(kept)
        records = [records[i] for i in kept]
        vectors = EmbeddedVectors(matrix, embed_query)
        floor = MIN_SIMILARITY
    else:
        vectors = LexicalVectors([w.text for w in records])
        floor = MIN_LEXICAL_SIMILARITY
    nearest = NearestWordings(records, vectors, settings.thresholds, k=settings.k, min_similarity=floor)
    journeys = len({j for w in by_wording.values() for j in w.journeys})
    return Learned(now_ms, settings, kept_ties, nearest, journeys, time.perf_counter() - started, pending=pending)
