"""Every document's record key and kind by document number, read once per searcher.

Search turns document numbers into record keys (the fused ranking, the lexical candidates)
and keys back into document numbers (hits, strong flags) on every query. Whoosh answers a
key with a term look-up and a posting list, and a document number with its stored fields
decompressed (body included); at 10,000 items those look-ups were about a third of a
hybrid search's CPU time (benchmarks/RESULTS.md, "Meaning: speed"). An index in a build
output never changes once written, so the table is read once (about 0.2 s of CPU at 10,000
records) and kept beside the searcher's other arrays.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Documents:
    keys: list[str | None]  # by document number (None: a deleted document)
    docnum: dict[str, int]  # record key → document number
    kind: dict[str, str]  # record key → kind

    @classmethod
    def read(cls, reader) -> "Documents":
        keys: list[str | None] = [None] * reader.doc_count_all()
        kind: dict[str, str] = {}
        for number, fields in reader.iter_docs():
            key = fields["key"]
            keys[number] = key
            kind[key] = fields["kind"]
        docnum: dict[str, int] = {}
        for number, key in enumerate(keys):
            if key is not None:
                docnum.setdefault(key, number)  # the first, as Whoosh's document_number(key=)
        return cls(keys, docnum, kind)
