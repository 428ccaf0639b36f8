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

from carebase.search.formats import AnalysedPositions, term_values
from carebase.search.impact import Written


class Pool(PostingPool):
    def add(self, item):
        self.add_all((item,))

    def add_all(self, items) -> None:
        """Add each (fieldname, tbytes, docnum, weight, vbytes) as ``PostingPool.add`` does: its
        size summed as that counts it, the pool saved to disk before the one that passes the limit."""
        size, limit = self.currentsize, self.limit
        current = self.current
        for item in items:
            fieldname, tbytes, _docnum, _weight, vbytes = item
            self.fieldnames.add(fieldname)
            size += 150 + len(fieldname) + 2 * len(tbytes) + len(vbytes or "")
            if size > limit:
                self.save()  # a new self.current, currentsize 0
                size, current = 0, self.current
            current.append(item)
        self.currentsize = size


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
        self.written = Written()  # the search fields' postings, for their impacts (impact.py)

    def add_document(self, **fields):
        """``whoosh.writing.SegmentWriter.add_document``, the same postings, lengths, stored
        fields and columns, with a field given as carebase's list of terms (``index.py``)
        turned into postings here and the document's postings added to the pool at once.
        A document with a boost, a spelling field or term vectors goes through Whoosh's."""
        schema = self.schema
        names = sorted(name for name in fields if not name.startswith("_"))
        if any(name.startswith("_") and not name.startswith("_stored_") for name in fields) or any(
                name in schema and (schema[name].separate_spelling() or schema[name].vector) for name in names):
            self.written = None  # its postings are not seen here: the impacts are read back
            return super().add_document(**fields)
        self._check_state()
        self._check_fields(schema, names)
        perdocwriter = self.perdocwriter
        docnum = self.docnum
        postings = []
        perdocwriter.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                written = self.written
                if field.indexed and isinstance(value, list) and type(field.format) is AnalysedPositions:
                    kept = written.postings.setdefault(name, {}) if written is not None else {}
                    for term, freq, weight, vbytes in term_values(value, field.format.field_boost):
                        postings.append((name, term.encode("utf-8"), docnum, weight, vbytes))
                        slot = kept.get(term)
                        if slot is None:
                            slot = kept[term] = ([], [])
                        slot[0].append(docnum)
                        slot[1].append(weight)
                    if field.scorable:
                        length = len(value)
                        if length and written is not None:
                            written.lengths.setdefault(name, {})[docnum] = length
                elif field.indexed:
                    if type(field.format) is AnalysedPositions:
                        self.written = None  # a text, not a list of terms: the impacts are read back
                    for tbytes, freq, weight, vbytes in field.index(value):  # the field boost: 1.0 (no "_boost")
                        if field.scorable:
                            length += freq
                        postings.append((name, tbytes, docnum, weight, vbytes))
                stored = fields.get(f"_stored_{name}", value)
                perdocwriter.add_field(name, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdocwriter.add_column_value(name, column, field.to_column_value(stored))
        except Exception:
            perdocwriter.cancel_doc()
            self.written = None
            raise
        perdocwriter.finish_doc()
        self.pool.add_all(postings)
        self._added = True
        self.docnum += 1

    def _flush_segment(self):  # whoosh.writing.SegmentWriter._flush_segment, lengths read once
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        postings = self.pool.iter_postings()
        self.fieldwriter.add_postings(self.schema, _Lengths(pdr) if pdr else None, postings)
        self.fieldwriter.close()
        if pdr:
            pdr.close()
