"""Impact postings: every analysed term's BM25F score contributions, precomputed in numpy.

For each search field and term: the documents that hold it and, per document, the score
Whoosh's BM25F gives that term in that field (term weight already multiplied by the
field boost at index time; the same B and K1 per field as the searcher's weighting; the
same idf and average field length; the same byte-quantised field lengths). A query is
then array arithmetic over these lists instead of Whoosh's per-posting Python loop
(see ``engine.py``).

The arrays are written beside the Whoosh index (``carebase-impacts.npz``) when the index
is built, and recomputed at load when they are missing or belong to another index.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import log
from pathlib import Path

import numpy as np

IMPACTS_FILE = "carebase-impacts.npz"
IMPACTS_FORMAT = 1
KINDS = ("article", "faq", "video")


@dataclass
class FieldPostings:
    """One field's postings: ``terms[i]`` holds docs/scores[offsets[i]:offsets[i+1]]."""

    terms: dict[str, int]
    offsets: np.ndarray  # int64, len(terms) + 1
    docs: np.ndarray  # int32, global document numbers, ascending within a term
    scores: np.ndarray  # float64, the term's BM25F score in this field for that document

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        i = self.terms.get(term)
        if i is None:
            return None
        a, b = self.offsets[i], self.offsets[i + 1]
        return self.docs[a:b], self.scores[a:b]

    @property
    def nbytes(self) -> int:
        return self.offsets.nbytes + self.docs.nbytes + self.scores.nbytes


def _block_postings(m, segreader) -> tuple[list[int], list[float]]:
    """(local doc numbers, weights) of one leaf matcher, a block at a time when possible."""
    ids: list[int] = []
    weights: list[float] = []
    if hasattr(m, "_read_ids") and hasattr(m, "_next_block") and not segreader.has_deletions():
        while m.is_active():
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            weights.extend(m._weights)
            m._next_block()
    else:
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
    return ids, weights


def _field_postings(searcher, fieldname: str, B: float, K1: float, written=None) -> FieldPostings:
    """BM25F impacts of every term of one field, over every segment of the index (``written``:
    the field's postings as the writer wrote them, instead of read back: ``Written``)."""
    reader = searcher.reader()
    avgfl = searcher.avg_field_length(fieldname) or 1
    if written is not None:
        read, df = written.read(fieldname)
    else:
        read, df = _read_postings(reader, fieldname)
    return _scored(read, df, reader.doc_count_all(), avgfl, B, K1)


def _read_postings(reader, fieldname: str):
    """(term, global doc numbers, tf, field lengths) of every term, segment by segment, and
    each term's document count over every segment."""
    read = []
    df: dict[str, int] = {}  # documents per term, over every segment
    for segreader, base in reader.leaf_readers():
        if segreader.doc_count_all() == 0:
            continue
        lengths = np.array([segreader.doc_field_length(d, fieldname, 1)
                            for d in range(segreader.doc_count_all())], dtype=np.float64)
        for btext, info in segreader.iter_field(fieldname):
            term = btext.decode("utf-8") if isinstance(btext, bytes) else btext
            df[term] = df.get(term, 0) + info.doc_frequency()
            ids, weights = _block_postings(segreader.postings(fieldname, btext), segreader)
            if not ids:
                continue
            local = np.asarray(ids, dtype=np.int64)
            read.append((term, local + base, np.asarray(weights, dtype=np.float64), lengths[local]))
    return read, df


class Written:
    """The postings of the search fields as a one-segment writer wrote them (``segment_writer``):
    field → term → (doc numbers, weights as the postings file keeps them: float32), and each
    document's field length as its lengths column keeps it (a byte)."""

    def __init__(self):
        self.postings: dict[str, dict[str, tuple[list, list]]] = {}
        self.lengths: dict[str, dict[int, float]] = {}

    def read(self, fieldname: str):
        from whoosh.util.numeric import byte_to_length, length_to_byte

        lengths = self.lengths.get(fieldname, {})
        quantised = {n: float(byte_to_length(length_to_byte(n))) for n in set(lengths.values())}
        read = []
        for term, (docs, weights) in sorted(self.postings.get(fieldname, {}).items()):
            read.append((term, np.asarray(docs, dtype=np.int64),
                         np.asarray(weights, dtype=np.float32).astype(np.float64),
                         np.array([quantised[lengths[d]] for d in docs], dtype=np.float64)))
        return read, {term: len(docs) for term, docs, _tf, _fl in read}


def _scored(read, df, dc, avgfl, B, K1) -> FieldPostings:
    per_term: dict[str, tuple[list, list]] = {}
    for term, docs, tf, fl in read:
        # whoosh.scoring.WeightingModel.idf over the whole index (the searcher's reader's doc
        # frequency: the segments' summed), then whoosh.scoring.bm25, operation for operation
        # (same float64 results)
        idf = log(dc / (df[term] + 1)) + 1
        scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        slot = per_term.setdefault(term, ([], []))
        slot[0].append(docs)
        slot[1].append(scores)
    terms = sorted(per_term)
    offsets = np.zeros(len(terms) + 1, dtype=np.int64)
    docs_parts, score_parts = [], []
    for i, term in enumerate(terms):
        d, s = per_term[term]
        docs_parts.extend(d)
        score_parts.extend(s)
        offsets[i + 1] = offsets[i] + sum(len(x) for x in d)
    docs = np.concatenate(docs_parts).astype(np.int32) if docs_parts else np.zeros(0, np.int32)
    scores = np.concatenate(score_parts) if score_parts else np.zeros(0, np.float64)
    return FieldPostings({t: i for i, t in enumerate(terms)}, offsets, docs, scores)


@dataclass
class ImpactIndex:
    fields: dict[str, FieldPostings]
    kinds: np.ndarray  # int8 per document: index into KINDS (-1: none)
    segments: np.ndarray  # int64: first document number of each segment, ascending
    doc_count: int
    stamp: str  # which Whoosh index generation these arrays belong to

    @property
    def nbytes(self) -> int:
        return sum(f.nbytes for f in self.fields.values()) + self.kinds.nbytes + self.segments.nbytes

    @classmethod
    def compute(cls, searcher, fieldnames, weighting, written: Written | None = None) -> "ImpactIndex":
        """From an open Whoosh searcher whose weighting is ``weighting`` (a BM25F); ``written``:
        the postings as the writer of its one segment wrote them (else they are read back)."""
        if written is not None and len(searcher.reader().leaf_readers()) != 1:
            written = None
        fields = {}
        for f in fieldnames:
            B = weighting._field_B.get(f, weighting.B)
            fields[f] = _field_postings(searcher, f, B, weighting.K1, written)
        reader = searcher.reader()
        n = reader.doc_count_all()
        kinds = np.full(n, -1, dtype=np.int8)
        code = {k: i for i, k in enumerate(KINDS)}
        for d, v in enumerate(reader.column_reader("kind") if n else ()):
            v = v.decode("utf-8") if isinstance(v, bytes) else v
            kinds[d] = code.get(v, -1)
        segments = np.array([base for _r, base in reader.leaf_readers()] or [0], dtype=np.int64)
        return cls(fields, kinds, segments, n, index_stamp(searcher))

    def save(self, folder) -> Path:
        arrays = {"format": np.array([IMPACTS_FORMAT]), "kinds": self.kinds, "segments": self.segments,
                  "doc_count": np.array([self.doc_count]), "stamp": np.array([self.stamp])}
        for name, fp in self.fields.items():
            terms = sorted(fp.terms, key=fp.terms.get)
            arrays[f"{name}.terms"] = np.array(terms, dtype=str) if terms else np.zeros(0, dtype="<U1")
            arrays[f"{name}.offsets"] = fp.offsets
            arrays[f"{name}.docs"] = fp.docs
            arrays[f"{name}.scores"] = fp.scores
        path = Path(folder) / IMPACTS_FILE
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, **arrays)
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, folder, fieldnames) -> "ImpactIndex | None":
        """The saved arrays, or None when there are none (or of another format)."""
        path = Path(folder) / IMPACTS_FILE
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as z:
                if int(z["format"][0]) != IMPACTS_FORMAT:
                    return None
                fields = {}
                for f in fieldnames:
                    terms = z[f"{f}.terms"].tolist()
                    fields[f] = FieldPostings({t: i for i, t in enumerate(terms)}, z[f"{f}.offsets"],
                                              z[f"{f}.docs"], z[f"{f}.scores"])
                return cls(fields, z["kinds"], z["segments"], int(z["doc_count"][0]), str(z["stamp"][0]))
        except (OSError, KeyError, ValueError):
            return None


def index_stamp(searcher) -> str:
    """Identifies one committed state of the index: its generation and segment ids."""
    reader = searcher.reader()
    segs = [getattr(getattr(r, "_segment", None), "segid", "?") for r, _b in reader.leaf_readers()]
    gen = getattr(reader, "generation", lambda: None)()
    return f"{gen}:{reader.doc_count_all()}:{','.join(map(str, segs))}"

