"""A cache of the search index the report replays failed searches on.

Building the Whoosh index of 10,000 items takes tens of seconds; the content changes far
less often than the report runs. The index is kept in a cache folder (by default
``<report folder>/.cache/carebase/``) under a key that fingerprints everything it is
built from: every record the index would hold (ids, titles, keywords, text, urls…), the
synonym groups, the search code that defines the schema and records, the text analyser, and the Whoosh
version. Any edit to the content or to carebase's search changes the key, and the next
report builds (and caches) a fresh index; an unchanged content reuses it. Only the latest
index is kept. A new index is built in a temporary folder beside the cache entry and
renamed into place, so a report interrupted half-way never leaves a broken entry.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import astuple
from pathlib import Path

CACHE_SUBDIR = Path(".cache") / "carebase"
PREFIX = "replay-index-"


def default_cache_dir(out_dir) -> Path:
    return Path(out_dir) / CACHE_SUBDIR


def fingerprint(catalogue) -> str:
    """A hex key for the index ``build_index(catalogue, …)`` would write."""
    import whoosh

    import carebase.search.index as index_module
    import carebase.search.records as records_module
    import carebase.search.schema as schema_module
    import carebase.text.analyser as analyser_module
    import carebase.text.english as english_module
    from carebase.search.records import catalogue_records

    digest = hashlib.sha256()
    for module in (index_module, records_module, schema_module, analyser_module, english_module):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(repr(whoosh.versionstring()).encode())
    digest.update(json.dumps([list(g) for g in catalogue.synonyms], ensure_ascii=False).encode())
    for record in catalogue_records(catalogue):
        digest.update(json.dumps(astuple(record), ensure_ascii=False, default=str).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def cached_index(catalogue, cache_dir, *, progress=None):
    """(the opened index, True when it came from the cache). Builds and caches it on a miss."""
    from carebase.search.index import SearchIndexError, build_index, open_index

    cache = Path(cache_dir)
    key = fingerprint(catalogue)
    entry = cache / f"{PREFIX}{key}"
    if entry.is_dir():
        try:
            return open_index(entry), True
        except (SearchIndexError, OSError, ValueError):  # damaged by hand: rebuild it
            shutil.rmtree(entry, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{PREFIX}", dir=cache))
    try:
        build_index(catalogue, scratch / "index", progress=progress)
        try:
            (scratch / "index").rename(entry)
        except OSError:  # another report cached the same content meanwhile
            if not entry.is_dir():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for old in cache.glob(f"{PREFIX}*"):
        if old != entry and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return open_index(entry), False
