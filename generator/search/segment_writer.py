"""Whoosh's one-process segment writer, with two per-posting costs taken out.

Writing the 5,000-item site's index (7,000 records, ~460,000 postings) spent about a fifth of
its time in two places that do the same work once per posting:
- when the segment is flushed, Whoosh asks its per-document reader for the posting's field
  length, and that reader looks the lengths column up again each time — and, for a field
  that keeps no lengths (the ID fields), checks on disk whether the column file exists;
- its posting pool checks each posting's types with ``isinstance`` and sums its size from
  eight terms.
``SegmentWriter`` reads each field's lengths once when the segment is flushed and gives the
postings writer the same values (``lengths``); ``Pool`` adds a posting as Whoosh's pool does
(same size estimate, so it spills to disk at the same point) without the type checks, which
``index.py``'s own documents never fail. The segment written is the one Whoosh writes
(``tests/search/test_search_segment_writer.py`` compares every posting, length and stored field).
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool
from whoosh.writing import SegmentWriter as WhooshSegmentWriter


class Pool(PostingPool):
    def add(self, item):
        # item = (fieldname, tbytes, docnum, weight, vbytes); the size as PostingPool.add sums it
        fieldname, tbytes, _docnum, _weight, vbytes = item
        self.fieldnames.add(fieldname)
        self.currentsize += 150 + len(fieldname) + 2 * len(tbytes) + len(vbytes or "")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)


class _Lengths:
    """``doc_field_length`` of a per-document reader, each field's column read once."""

    def __init__(self, reader):
        self._reader = reader
        self._fields: dict[str, list | None] = {}

    def _read(self, fieldname: str):
        column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        # W3PerDocReader.doc_field_length: the length of a non-zero byte, else None
        return [byte_to_length(b) if b else None
                for b in (column[d] for d in range(self._reader.doc_count_all()))]

    def doc_field_length(self, docnum, fieldname, default=0):
        try:
            lengths = self._fields[fieldname]
        except KeyError:
            lengths = self._fields[fieldname] = self._read(fieldname)
        return default if lengths is None else lengths[docnum]


class SegmentWriter(WhooshSegmentWriter):
    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool = Pool(self._tempstorage, self.newsegment, limitmb=self.pool.limit // (1024 * 1024))

    def _flush_segment(self):  # whoosh.writing.SegmentWriter._flush_segment, lengths read once
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        postings = self.pool.iter_postings()
        self.fieldwriter.add_postings(self.schema, _Lengths(pdr) if pdr else None, postings)
        self.fieldwriter.close()
        if pdr:
            pdr.close()
