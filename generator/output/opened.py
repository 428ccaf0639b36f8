"""An opened build output: its stamp, manifest, catalogue snapshot and search index."""

from __future__ import annotations

import json
import threading
from functools import cached_property
from pathlib import Path

from carebase.output.errors import OutputError
from carebase.output.layout import CATALOGUE, MANIFEST, SEARCH, language_folder, revision_folder

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
        from carebase.output.formats import refusal

        refused = refusal(stamp)  # another layout, or a part in a format this carebase does not read
        if refused:
            raise OutputError(f"{folder}: {refused}")
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

    # -- languages ----------------------------------------------------------------------
    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of this output, the default (the sources') first."""
        from carebase.content.languages import DEFAULT

        return tuple(self.stamp.get("languages") or (DEFAULT,))

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def other(self, lang: str | None) -> str | None:
        """``lang`` when it is one of the other languages, None for the default (or none
        given); raises OutputError for a language the output does not hold."""
        if not lang or lang == self.default_language:
            return None
        if lang not in self.languages:
            raise OutputError(f"{self.folder}: no language {lang!r} in this build output "
                              f"(it holds {', '.join(self.languages)})")
        return lang

    def search_dir_of(self, lang: str | None = None) -> Path | None:
        """The search index folder of a language (see ``search_dir``)."""
        lang = self.other(lang)
        found = self.search_dir
        return found if found is None or lang is None else language_folder(found.parent, lang) / SEARCH

    def catalogue_of(self, lang: str | None = None):
        """The catalogue of a language (its translations, with the sources' ids)."""
        lang = self.other(lang)
        if lang is None:
            return self.catalogue
        with self._lock:
            found = self.__dict__.setdefault("_catalogues", {}).get(lang)
        if found is None:
            from carebase.output.snapshot import from_data

            found = from_data(self._json(f"{language_folder('', lang).as_posix()}/{CATALOGUE}"))
            with self._lock:
                self.__dict__["_catalogues"][lang] = found
        return found

    def index_catalogue_of(self, lang: str | None = None):
        """``index_catalogue`` of a language (read once per language, like ``catalogue_of``:
        every search asks for it)."""
        lang = self.other(lang)
        if lang is None:
            return self.index_catalogue
        return self._indexed.catalogue_of(lang)

    @cached_property
    def _indexed(self) -> "BuildOutput":
        """The output of the revision the search index was written from: this one, or (while
        this revision's index is written) the previous one, opened once, so its catalogues
        are read once too."""
        search = self.stamp.get("search")
        if search is None or search == self.revision:
            return self
        return BuildOutput(self.folder, {**self.stamp, "revision": search})

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
        return self._indexed.catalogue

    def _json(self, name: str):
        try:
            return json.loads((self.path / name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise OutputError(f"{self.path / name}: unreadable ({exc}): run 'carebase build' again") from None

    def searcher(self, *, semantic: bool | None = None, lang: str | None = None):
        """The search of this output in a language (``lang``: one of ``languages``; None: the
        default), one per output and language, shared between threads. ``semantic``: use the
        saved vectors (None: when the output holds them and the backend is installed)."""
        lang = self.other(lang)
        key = ("_searcher_semantic" if semantic is not False else "_searcher_lexical") + (f"_{lang}" if lang else "")
        found = self.__dict__.get(key)
        if found is not None:
            return found
        with self._lock:
            opening = self.__dict__.setdefault("_opening", {}).setdefault(key, threading.Lock())
        with opening:  # one language's opening (its word forms read or made) never holds up another's searches
            found = self.__dict__.get(key)
            if found is None:
                found = self.__dict__[key] = self._open_searcher(semantic, lang)
            return found

    def open_index(self, lang: str | None = None):
        """A language's Whoosh index, opened (its files read and checked, nothing searched
        yet); raises OutputError saying what to do when it is missing or unreadable."""
        from carebase.search.index import SearchIndexError, open_index

        search_dir = self.search_dir_of(lang)
        if search_dir is None:
            raise OutputError(f"{self.folder}: the search index is still being written: try again in a moment")
        try:
            return open_index(search_dir)
        except SearchIndexError as exc:
            raise OutputError(f"{exc}: run 'carebase build' again") from None

    def _open_searcher(self, semantic: bool | None, lang: str | None = None):
        from carebase.search.query import Searcher

        search_dir = self.search_dir_of(lang)
        index = self.open_index(lang)
        vectors = self.vectors(lang) if semantic is not False else None
        if semantic and vectors is None:
            raise OutputError(f"{search_dir}: no document vectors (install the semantic backend and "
                              f"run 'carebase build' again)")
        return Searcher(index, semantic=vectors).warm()

    def searches_by_meaning(self, lang: str | None = None) -> bool:
        """Whether ``searcher(lang=lang)`` would search with meaning (its ``semantic`` not
        None), without opening it."""
        from carebase.output.vectors import usable

        search_dir = self.search_dir_of(lang)
        return bool(search_dir) and usable(search_dir)

    def vectors(self, lang: str | None = None):
        """The document vectors saved with a language's index, or None (no semantic backend at
        build time)."""
        from carebase.output.vectors import open_vectors

        search_dir = self.search_dir_of(lang)
        return open_vectors(search_dir) if search_dir else None
