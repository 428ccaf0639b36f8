"""The learned phrasings, relearned in a process of their own (``python -m carebase.learned.worker``).

The service starts one worker (``refresh.py``) and asks it for a fresh snapshot every
refresh, so reading the journeys, folding them in Python and embedding new wordings never
run in the service process: search keeps answering, with the previous snapshot, at full
speed. The worker runs at a lower CPU priority (``NICE``) with one embedding thread; it keeps
its wording vectors between refreshes (and in a cache file of its own across restarts,
pruned to the wordings still learned from), embedding at most ``max_new`` new ones per refresh.

Protocol, over the worker's stdin and stdout: frames of an 8-byte length and a payload.
The first frame to the worker is its settings (a pickled dict); a ``b"words"`` frame followed by
one frame of a pickled frozenset gives it the help centre's vocabulary (``blocks.site_vocabulary``:
sent again only when a build changed it); then each ``("learn", codes)``
frame (pickled; ``codes``: the site's region at that refresh, with which the stored wordings are
masked again: ``learn_in_region``) asks for a snapshot, answered by a header (``("ok", meta)`` or ``("error", message)``),
the ties and records in chunks, and the vectors as raw float32 bytes, so the service
unpacks a large snapshot in small steps. Only the service's own child writes these pickles.
The worker ends when the service does, even killed mid-refresh (``carebase.children``).
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from typing import BinaryIO

NICE = 10  # added to the worker's niceness: the service's requests come first
CHUNK = 2_000  # ties, records or postings per frame (each unpickled in a few milliseconds)
_LENGTH = struct.Struct("!Q")


def write_frame(out: BinaryIO, payload: bytes) -> None:
    out.write(_LENGTH.pack(len(payload)))
    out.write(payload)
    out.flush()


def read_frame(inp: BinaryIO) -> bytes | None:
    head = inp.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    size = _LENGTH.unpack(head)[0]
    data = inp.read(size)
    if len(data) < size:
        raise EOFError("the learned-phrasing worker's answer was cut short")
    return data


def _chunks(seq: list) -> list[list]:
    return [seq[i: i + CHUNK] for i in range(0, len(seq), CHUNK)] or [[]]


def send_snapshot(out: BinaryIO, snapshot) -> None:
    from carebase.learned.nearest import EmbeddedVectors

    vectors = snapshot.nearest.vectors
    records = snapshot.nearest.records
    embedded = isinstance(vectors, EmbeddedVectors)
    ties, recs = _chunks(snapshot.ties), _chunks(records)
    meta = {"built_ms": snapshot.built_ms, "settings": snapshot.settings, "journeys": snapshot.evidence_journeys,
            "seconds": snapshot.seconds, "pending": snapshot.pending, "k": snapshot.nearest.k,
            "floor": snapshot.nearest.min_similarity, "kind": "embedding" if embedded else "lexical",
            "ties": len(ties), "records": len(recs),
            "shape": list(vectors.matrix.shape) if embedded else None}
    write_frame(out, pickle.dumps(("ok", meta)))
    for part in ties + recs:
        write_frame(out, pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
    if embedded:
        write_frame(out, vectors.matrix.astype("float32", copy=False).tobytes())


def read_snapshot(inp: BinaryIO, embed_query):
    """The snapshot the worker sends (raises RuntimeError with the worker's message on failure)."""
    import numpy as np

    from carebase.learned.model import Learned
    from carebase.learned.nearest import EmbeddedVectors, LexicalVectors, NearestWordings

    head = read_frame(inp)
    if head is None:
        raise EOFError("the learned-phrasing worker stopped")
    status, meta = pickle.loads(head)
    if status != "ok":
        raise RuntimeError(meta)
    ties, records = [], []
    for _ in range(meta["ties"]):
        ties.extend(pickle.loads(read_frame(inp) or b""))
    for _ in range(meta["records"]):
        records.extend(pickle.loads(read_frame(inp) or b""))
    if meta["kind"] == "embedding":
        matrix = np.frombuffer(read_frame(inp) or b"", dtype=np.float32).reshape(meta["shape"])
        vectors = EmbeddedVectors(matrix, embed_query)
    else:
        vectors = LexicalVectors([w.text for w in records])
    settings = meta["settings"]
    nearest = NearestWordings(records, vectors, settings.thresholds, k=meta["k"], min_similarity=meta["floor"])
    return Learned(meta["built_ms"], settings, ties, nearest, meta["journeys"], meta["seconds"],
                   pending=meta["pending"])


def _lower_priority() -> None:
    if hasattr(os, "nice"):
        try:
            os.nice(NICE)
        except OSError:
            pass


def _memo(config: dict):
    from carebase.learned.nearest import meaning_or_none

    meaning = meaning_or_none() if config.get("use_meaning", True) else None
    if meaning is None:
        return None, None
    from carebase.learned.model import VectorMemo

    cache = None
    if config.get("cache"):
        from carebase.search.vector_cache import VectorCache

        cache = VectorCache(config["cache"])
    memo = VectorMemo(meaning.embed_queries, meaning.model_id(), cache=cache, max_new=config.get("max_new"))
    return memo, meaning.embed_query


def learn_in_region(codes: tuple[str, ...], last: tuple[str, ...] | None, run):
    """``run()`` with stored wordings masked again with the site's region ``codes`` (its national
    numbers typed without a cue, as the service masks what it stores now); the wordings' phrase
    caches are emptied first when the region is not ``last``'s (they were masked with another)."""
    from carebase.learned import phrases
    from carebase.service.masking_region import masking_in

    if codes != last:
        phrases.normalise.cache_clear()
        phrases.tokens.cache_clear()
    with masking_in(codes):
        return run()


def main() -> int:
    from carebase.children import exit_with_parent

    exit_with_parent()  # a service killed mid-refresh leaves no worker behind
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")  # frames only: anything printed goes to stderr
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    inp = sys.stdin.buffer
    raw = read_frame(inp)
    if raw is None:
        return 0
    config = pickle.loads(raw)
    _lower_priority()
    from carebase.learned.model import learn
    from carebase.store.engine import open_engine

    engine = open_engine(config["url"], migrate=False)
    memo, embed_query = _memo(config)
    vocabulary = frozenset()
    last = None
    while True:
        request = read_frame(inp)
        if request is None:
            break
        if request == b"words":
            vocabulary = pickle.loads(read_frame(inp) or pickle.dumps(frozenset()))  # from our own parent
            continue
        region = tuple(pickle.loads(request)[1])  # ("learn", the site's region codes)
        try:
            snapshot = learn_in_region(region, last, lambda: learn(engine, config["settings"], memo=memo,
                                                                   embed_query=embed_query, vocabulary=vocabulary))
            last = region
        except Exception as exc:  # the service logs it and keeps its previous snapshot
            write_frame(out, pickle.dumps(("error", f"{type(exc).__name__}: {exc}")))
            continue
        send_snapshot(out, snapshot)
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
