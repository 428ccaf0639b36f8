"""The index's segment writer (``segment_writer.py``) writes the segment Whoosh's own writes:
the same bytes in every file of it (postings, terms, field lengths, stored fields, columns),
with and without the posting pool spilling to disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.writing import SegmentWriter as WhooshSegmentWriter

from carebase.content import load_catalogue
from carebase.search import index as search_index
from carebase.search.records import catalogue_records
from carebase.search.segment_writer import Pool, SegmentWriter


@pytest.fixture(scope="module")
def demo_records():
    return list(catalogue_records(load_catalogue(Path(__file__).resolve().parents[2] / "content")))


def _segment_files(folder) -> dict[str, bytes]:
    """Every file of the index's one segment, by name with the (random) segment id left out."""
    ix = search_index.open_index(folder)
    segments = ix._segments()
    assert len(segments) == 1
    seg = segments[0]
    storage = seg.open_compound_file(ix.storage) if seg.is_compound() else ix.storage
    return {name.replace(seg.segment_id(), "SEG"): storage.open_file(name).read() for name in storage.list()}


@pytest.mark.parametrize("pool_limit", [None, 60_000])  # None: all in memory; 60 kB: several runs on disk
def test_the_segment_is_the_one_whoosh_writes(demo_records, tmp_path, monkeypatch, pool_limit):
    records = demo_records
    runs = {}

    def writer_of(cls, name):
        def make(ix, **kwargs):
            w = cls(ix, **kwargs)
            if pool_limit:
                w.pool.limit = pool_limit
            save = w.pool.save

            def counted_save():
                runs[name] = runs.get(name, 0) + 1
                save()
            w.pool.save = counted_save
            return w
        return make

    written = {}
    for name, cls in (("whoosh", WhooshSegmentWriter), ("carebase", SegmentWriter)):
        monkeypatch.setattr(search_index, "SegmentWriter", writer_of(cls, name))
        search_index.write_records(records, tmp_path / name, procs=1)
        written[name] = _segment_files(tmp_path / name)
    assert len(records) > 50
    if pool_limit:
        assert runs["carebase"] == runs["whoosh"] > 2  # spilled at the same postings
    else:
        assert "carebase" not in runs and "whoosh" not in runs
    assert {n for n in written["carebase"] if n.endswith("_len.col")} == {
        f"SEG._{f}_len.col" for f in ("title", "keywords", "headings", "body")}
    assert written["carebase"].keys() == written["whoosh"].keys()
    for name, data in written["whoosh"].items():
        assert written["carebase"][name] == data, name


def test_the_pool_counts_a_posting_as_whooshs_does(tmp_path):
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import PostingPool

    store = FileStorage(str(tmp_path)).create()
    items = [("body", "refund".encode(), 3, 2.0, b"\x01\x02"), ("kind", b"faq", 0, 1.0, None),
             ("title", "Rückerstattung".encode(), 7, 4.0, b"")]
    ours, theirs = Pool(store, None), PostingPool(store, None)
    for item in items:
        ours.add(item)
        theirs.add(item)
        assert ours.currentsize == theirs.currentsize
    assert ours.current == theirs.current and ours.fieldnames == theirs.fieldnames


def test_the_impacts_from_the_written_postings_are_those_read_back(demo_records, tmp_path):
    """``write_records`` computes the impact arrays from the postings its writer wrote; read
    back from the index instead (as for an index of several segments) they are the same."""
    import numpy as np

    from carebase.search.impact import ImpactIndex
    from carebase.search.schema import SEARCH_FIELDS, bm25f

    search_index.write_records(demo_records, tmp_path / "ix", procs=1)
    saved = ImpactIndex.load(tmp_path / "ix", SEARCH_FIELDS)
    with search_index.open_index(tmp_path / "ix").searcher(weighting=bm25f()) as searcher:
        read_back = ImpactIndex.compute(searcher, SEARCH_FIELDS, bm25f())
    assert saved.stamp == read_back.stamp and saved.doc_count == read_back.doc_count == len(demo_records)
    assert all(len(saved.fields[f].terms) > 0 for f in ("title", "headings", "body"))
    for f in SEARCH_FIELDS:
        ours, theirs = saved.fields[f], read_back.fields[f]
        assert ours.terms == theirs.terms, f
        for name in ("offsets", "docs", "scores"):
            assert np.array_equal(getattr(ours, name), getattr(theirs, name)), (f, name)
