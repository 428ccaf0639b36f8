"""Writing one revision's search index (and vectors) into the build output, then naming it in
the stamp; and pruning the revision folders no reader needs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

from carebase.output import stamp as stamps
from carebase.output.layout import REVISION_PREFIX, SEARCH, SITE_SEARCH, language_folder, revision_folder

Progress = Callable[[int, int], None]


def index_revision(folder, revision: str, catalogue, *, progress: Progress | None = None,
                   procs: int | None = None, languages: dict | None = None) -> None:
    """Write the search indexes (and vectors) of a revision folder — the default language's,
    then each other language's (``languages``: code → catalogue), each analysed in its own
    language — then name them in the stamp when that revision is still the current one.
    Embedding the records for meaning shows progress on a terminal (``progress.py``)."""
    path = revision_folder(folder, revision)
    _write_index(path, catalogue, progress, procs, _embedding_notes(catalogue, ""))
    for lang, other in (languages or {}).items():
        # a translation is found by its source's words too (``records.with_source``)
        _write_index(language_folder(path, lang), other, None, procs, _embedding_notes(other, lang), source=catalogue)
    with stamps.locked(folder):
        stamp = stamps.read(folder)
        if stamp and stamp.get("revision") == revision:
            stamp["search"] = revision
            stamps.write(folder, stamp)
            prune(Path(folder), stamp)


def _embedding_notes(catalogue, lang: str):
    from carebase.content.languages import english_name
    from carebase.output.progress import notes

    code = lang or getattr(catalogue, "language", "") or ""
    name = f"{english_name(code)} " if code else ""
    return notes(f"embedding the {name}search records for meaning")


def _write_index(path: Path, catalogue, progress, procs, embedding=None, source=None) -> None:
    from carebase.output.vectors import write_vectors
    from carebase.search.index import build_index

    target, site_target = path / SEARCH, path / SITE_SEARCH
    scratch, site_scratch = (path / f".{name}.{os.getpid()}.tmp" for name in (SEARCH, SITE_SEARCH))
    for folder in (scratch, site_scratch):
        shutil.rmtree(folder, ignore_errors=True)
    build_index(catalogue, scratch, progress=progress, procs=procs, site_search=site_scratch, source=source)
    write_vectors(catalogue, scratch, progress=embedding)
    for folder, final in ((site_scratch, site_target), (scratch, target)):
        shutil.rmtree(final, ignore_errors=True)
        os.replace(folder, final)


def prune(folder: Path, stamp: dict) -> None:
    """Remove revision folders no reader needs: all but the current, its index's and the previous."""
    keep = {stamp.get("revision"), stamp.get("search"), stamp.get("previous")}
    for path in folder.glob(f"{REVISION_PREFIX}*"):
        if path.name[len(REVISION_PREFIX):] not in keep and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
