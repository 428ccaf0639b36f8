"""An opened build output: its stamp, manifest, catalogue snapshot and search index."""

from __future__ import annotations

import json
import threading
from functools import cached_property
from pathlib import Path

from carebase.output.errors import OutputError
from carebase.output.layout import CATALOGUE, MANIFEST, SCHEMA, SEARCH, revision_folder

__all__ = ["BuildOutput", "OutputError"]


class BuildOutput:
    """One revision of the build output, read lazily (each part once)."""

    def __init__(self, folder, stamp: dict):
        self.folder = Path(folder)
        self.stamp = stamp
        self.revision: str = stamp["revision"]
        self.path = revision_folder(folder, self.revision)
        self._lock = threading.Lock()

    @classmethod
    def from_stamp(cls, folder, stamp: dict | None) -> "BuildOutput":
        if stamp is None:
            raise OutputError(f"{folder}: no build output here (run 'carebase build', which writes it "
                              f"beside the site, or pass the folder it wrote)")
        if stamp.get("schema") != SCHEMA:
            raise OutputError(f"{folder}: build output of schema {stamp.get('schema')!r}, this carebase reads "
                              f"schema {SCHEMA}: run 'carebase build' again")
        out = cls(folder, stamp)
        if not out.path.is_dir():
            raise OutputError(f"{out.path}: the revision folder the stamp names is missing: run 'carebase build' again")
        return out

    def wait(self) -> "BuildOutput":
        """Wait until this revision's search index is written (a worker process may be writing
        it); raises OutputError when it could not be."""
        from carebase.output.worker import join

        join(self)
        return self

    # -- parts --------------------------------------------------------------------------
    @property
    def indexed(self) -> bool:
        """True when the search index is this revision's (``carebase serve`` indexes a large
        site in the background: until then the stamp names the previous revision's index)."""
        return self.stamp.get("search") == self.revision

    @property
    def search_dir(self) -> Path | None:
        """The folder of the search index to use (this revision's, or the previous one's while
        the new one is written); None before any index exists."""
        search = self.stamp.get("search")
        return revision_folder(self.folder, search) / SEARCH if search else None

    @cached_property
    def manifest(self) -> dict:
        return self._json(MANIFEST)

    @property
    def manifest_bytes(self) -> bytes:
        return (self.path / MANIFEST).read_bytes()

    @cached_property
    def catalogue(self):
        from carebase.output.snapshot import from_data

        return from_data(self._json(CATALOGUE))

    @cached_property
    def index_catalogue(self):
        """The catalogue the search index was written from: this revision's, or the previous
        revision's while this one's index is written (what the index's hits point into)."""
        search = self.stamp.get("search")
        if search is None or search == self.revision:
            return self.catalogue
        return BuildOutput(self.folder, {**self.stamp, "revision": search}).catalogue

    def _json(self, name: str):
        try:
            return json.loads((self.path / name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise OutputError(f"{self.path / name}: unreadable ({exc}): run 'carebase build' again") from None

    def searcher(self, *, semantic: bool | None = None):
        """The search of this output (one per output; shared between threads). ``semantic``:
        use the saved vectors (None: when the output holds them and the backend is installed)."""
        with self._lock:
            key = "_searcher_semantic" if semantic is not False else "_searcher_lexical"
            found = self.__dict__.get(key)
            if found is None:
                found = self.__dict__[key] = self._open_searcher(semantic)
            return found

    def _open_searcher(self, semantic: bool | None):
        from carebase.search.index import SearchIndexError, open_index
        from carebase.search.query import Searcher

        if self.search_dir is None:
            raise OutputError(f"{self.folder}: the search index is still being written: try again in a moment")
        try:
            index = open_index(self.search_dir)
        except SearchIndexError as exc:
            raise OutputError(f"{exc}: run 'carebase build' again") from None
        vectors = self.vectors() if semantic is not False else None
        if semantic and vectors is None:
            raise OutputError(f"{self.search_dir}: no document vectors (install the semantic backend and "
                              f"run 'carebase build' again)")
        return Searcher(index, semantic=vectors).warm()

    def vectors(self):
        """The document vectors saved with the index, or None (no semantic backend at build time)."""
        from carebase.output.vectors import open_vectors

        return open_vectors(self.search_dir) if self.search_dir else None
