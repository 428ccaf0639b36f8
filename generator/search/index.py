"""Write and open the on-disk search index.

``build_index`` replaces whatever index is in the folder. Large catalogues are written
by two processes into several segments (Whoosh's multiprocessing writer), which is the
fastest option measured on two cores; small ones use a single writer (no process start-up).
The synonym groups and the spelling vocabulary (each word with how many records hold it) are
saved beside the index, so a searcher needs only the folder, and so are the query engine's
impact postings (``impact.py``) and the word forms its searches read (``carebase.text.forms``
``write_beside``: English's, German's for separated verbs). Each record's text is analysed once, here, and handed to
Whoosh as terms (``formats.py``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Callable

from whoosh import index as whoosh_index

from carebase.content.model import Catalogue
from carebase.search.impact import ImpactIndex
from carebase.search.records import Record, catalogue_records
from carebase.search.schema import LANGUAGE, SEARCH_FIELDS, bm25f, build_schema
from carebase.search.segment_writer import SegmentWriter
from carebase.text import analyser_for
from carebase.text.forms import write_beside

INDEX_NAME = "carebase"
META_FILE = "carebase-search.json"
#: The index's format (``carebase.output.formats``): raised when an index written before cannot be
#: read as it is — 2: the ``source`` field (a translation's English title and keywords, session 35).
FORMAT = 2
#: From this many records on, the index is written by several processes.
MULTIPROCESS_FROM = 3000

Progress = Callable[[int, int], None]


class SearchIndexError(Exception):
    """The folder holds no carebase index, or one of another format."""


def _document(rec: Record, analyser) -> tuple[dict, set[str], dict[str, list[str]]]:
    """The record's Whoosh fields, each text analysed once here (its words, stop words out,
    stemmed: the terms ``AnalysedPositions`` writes; title and body stored as written), the
    set of its words (all its text, unstemmed: the spelling vocabulary), and the words of each
    field and of the summary (the site search's client index takes them: ``ShardIndex.add``)."""
    words, stem = analyser.words, analyser.stem
    doc = {"key": rec.key, "id": rec.id, "kind": rec.kind, "category": rec.category, "url": rec.url,
           "summary": rec.summary, "start": rec.start, "_stored_title": rec.title, "_stored_body": rec.body}
    vocabulary: set[str] = set()
    by_field: dict[str, list[str]] = {}
    for name in SEARCH_FIELDS:
        found = by_field[name] = words(getattr(rec, name))
        vocabulary.update(found)
        doc[name] = [stem(w) for w in found]
    if rec.summary:
        by_field["summary"] = words(rec.summary)
        vocabulary.update(by_field["summary"])
    return doc, vocabulary, by_field


def write_records(records: list[Record], index_dir, *, synonyms=(), progress: Progress | None = None,
                  procs: int | None = None, language: str = LANGUAGE, shards=None):
    """Write these records as a fresh index in ``index_dir``, analysed as ``language``;
    returns the Whoosh index. ``shards``: a ``ShardIndex`` (the site search's client index)
    given each record with the words found here."""
    folder = Path(index_dir)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    ix = whoosh_index.create_in(str(folder), build_schema(language), indexname=INDEX_NAME)
    if procs is None:
        procs = min(2, os.cpu_count() or 1) if len(records) >= MULTIPROCESS_FROM else 1
    if procs > 1:
        writer = ix.writer(procs=procs, multisegment=True, limitmb=128)
    else:
        writer = SegmentWriter(ix, limitmb=128)  # Whoosh's, with two per-posting costs out
    total = len(records)
    step = max(1, total // 100)
    analyser = analyser_for(language)
    spell: dict[str, int] = {}  # word → how many records hold it
    try:
        for n, rec in enumerate(records, 1):
            doc, vocabulary, by_field = _document(rec, analyser)
            writer.add_document(**doc)
            if shards is not None:
                shards.add(rec, by_field)
            for word in vocabulary:
                spell[word] = spell.get(word, 0) + 1
            if progress and (n % step == 0 or n == total):
                progress(n, total)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    meta = {
        "format": FORMAT,
        "records": total,
        "language": language,
        "synonyms": [list(group) for group in synonyms],
        "display": display_forms(records, language),
        "spell": dict(sorted(spell.items())),
    }
    with ix.searcher(weighting=bm25f()) as searcher:  # the query engine's arrays, beside the index
        ImpactIndex.compute(searcher, SEARCH_FIELDS, bm25f(), getattr(writer, "written", None)).save(folder)
    (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    write_beside(folder, analyser)  # the word forms its searches read: a searcher never makes them
    return ix


_NON_ASCII_WORD = re.compile(r"[^\W_]*[^\x00-\x7f][^\W_]*")


def display_forms(records: list[Record], language: str) -> dict[str, str]:
    """Folded word → how the help centre writes it, for the words folding changes beyond case
    (``ruckerstattung`` → ``rückerstattung``): "did you mean" shows the written form."""
    analyser = analyser_for(language)
    seen: dict[str, dict[str, int]] = {}
    for rec in records:
        text = rec.text()
        if text.isascii():  # no word folding changes beyond case (most records of most help centres)
            continue
        for word in _NON_ASCII_WORD.findall(text):
            written = word.lower()
            for folded in analyser.words(written, keep_stop_words=True)[:1]:
                if folded != written:
                    forms = seen.setdefault(folded, {})
                    forms[written] = forms.get(written, 0) + 1
    return {folded: max(forms, key=lambda f: (forms[f], f)) for folded, forms in sorted(seen.items())}


def build_index(catalogue: Catalogue, index_dir, *, progress: Progress | None = None, procs=None, site_search=None,
                source: Catalogue | None = None):
    """Index every record of the catalogue (see ``records``) into ``index_dir``, analysed as the
    catalogue's language (English when it names none); ``site_search``: a folder where the site
    search's client index is written too, from the same analysis of each record
    (``carebase.pages.search_shards``, results showing the catalogue's category titles);
    ``source``: the default language's catalogue when ``catalogue`` holds translations (each
    record carries its source's title and keywords: ``records.with_source``)."""
    records = list(catalogue_records(catalogue, source))
    shards = None
    if site_search is not None:
        from carebase.pages.search_shards import ShardIndex

        shards = ShardIndex(catalogue, catalogue.category_title)
    ix = write_records(records, index_dir, synonyms=catalogue.synonyms, progress=progress,
                       procs=procs, language=getattr(catalogue, "language", "") or LANGUAGE, shards=shards)
    if shards is not None:
        shards.write(site_search)
    return ix


def read_meta(index_dir) -> dict:
    path = Path(index_dir) / META_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SearchIndexError(f"{index_dir}: no carebase search index here (build it first)") from None
    if meta.get("format") != FORMAT:
        raise SearchIndexError(f"{path}: index format {meta.get('format')!r}, expected {FORMAT}: rebuild it")
    return meta


def open_index(index_dir):
    """Open the index written by ``build_index``; raises SearchIndexError with a clear message,
    also when the index lacks a field this carebase searches (written by an older carebase:
    ``carebase report`` on a build output from before the ``source`` field stopped with
    "unexpected error (TermNotFound: No field 'source')")."""
    read_meta(index_dir)
    if not whoosh_index.exists_in(str(index_dir), indexname=INDEX_NAME):
        raise SearchIndexError(f"{index_dir}: no carebase search index here (build it first)")
    index = whoosh_index.open_dir(str(index_dir), indexname=INDEX_NAME)
    missing = [name for name in SEARCH_FIELDS if name not in index.schema]
    if missing:
        index.close()
        raise SearchIndexError(f"{index_dir}: written by an older carebase (no field {', '.join(missing)}): rebuild it")
    return index
