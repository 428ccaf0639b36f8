"""``open_output``: the one function that opens the build output, or builds it.

Every stage downstream of the content loader gets the manifest, the catalogue, the search
index and the vectors through it: the MkDocs plugin (which builds the output from the
catalogue it loaded), ``carebase serve`` and ``carebase service`` (through
``carebase.output.live``), and ``carebase report``. Nothing else builds a search index.

With a catalogue, the output is made current for it: reused as it is when its revision
(``stamp.revision_of``) is the catalogue's, else a new revision folder is written — the
manifest and the snapshot at once, then the search index and the vectors. A large
catalogue's index is written by a worker process (``worker.py``; ``indexing.py`` writes it) while the caller goes on
(the site's pages render meanwhile on the other core); ``BuildOutput.wait`` joins it. Until
the index is written the stamp names the previous revision's index, so readers always have
a whole one.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from carebase.output import stamp as stamps
from carebase.output import worker as workers
from carebase.output.indexing import Progress, index_revision, prune
from carebase.output.layout import CATALOGUE, MANIFEST, SCHEMA, SEARCH, revision_folder
from carebase.output.opened import BuildOutput, OutputError

log = logging.getLogger("carebase.output")

#: From this many search records on, the index is written by a worker process.
WORKER_FROM = 2000
#: Every search-index build started by this process (tests check that each content revision
#: is indexed once, whatever reads it afterwards).
INDEX_BUILDS: list[str] = []


def open_output(folder, catalogue=None, *, drafts: bool = False, reasons=None, progress: Progress | None = None,
                worker: bool | None = None) -> BuildOutput:
    """The build output in ``folder``: opened as it is (no catalogue; raises OutputError when
    there is none), or made current for ``catalogue`` first (``drafts``: include drafts in
    the manifest; ``reasons``: the widget's vote reasons, published in the manifest; ``worker``: write the index in a worker process — default: from
    ``WORKER_FROM`` records on; ``progress(done, total)`` while indexing in this process)."""
    folder = Path(folder)
    if catalogue is None:
        return BuildOutput.from_stamp(folder, stamps.read(folder))
    from carebase.output.snapshot import dumps

    from carebase.output.vectors import model

    snapshot = dumps(catalogue)
    vectors = model()
    revision = stamps.revision_of(snapshot, drafts=drafts, reasons=reasons, vectors=vectors)
    path = revision_folder(folder, revision)
    current = stamps.read(folder) or {}
    if current.get("schema") == SCHEMA and current.get("revision") == revision and path.is_dir():
        out = BuildOutput(folder, current)
        if out.indexed or workers.running(folder, revision):
            return out  # this content revision is built (or being indexed) already
        return _index(out, catalogue, progress, worker)
    workers.stop(folder)
    indexed = (path / SEARCH).is_dir() and (path / MANIFEST).is_file()  # built before (content reverted)
    if not indexed:
        _write_revision(path, catalogue, snapshot, drafts, reasons)
    with stamps.locked(folder):
        before = stamps.read(folder) or {}
        previous = before.get("revision") if before.get("schema") == SCHEMA else None
        search = revision if indexed else (before.get("search") if previous else None)
        stamp = _stamp(revision, catalogue, drafts, search=search, previous=previous, vectors=vectors)
        stamps.write(folder, stamp)
        if indexed:
            prune(folder, stamp)
    out = BuildOutput(folder, stamp)
    return out if indexed else _index(out, catalogue, progress, worker)


def _stamp(revision: str, catalogue, drafts: bool, *, search, previous, vectors: str) -> dict:
    from carebase import __version__

    return {
        "schema": SCHEMA, "carebase": __version__, "revision": revision,
        "code": stamps.code_fingerprint()[:20], "drafts": drafts,
        "items": sum(1 for _ in catalogue.items()), "records": _record_count(catalogue),
        "vectors": vectors or None, "search": search, "previous": previous,
        "content_root": str(catalogue.root),
    }


def _record_count(catalogue) -> int:
    """Search records: one per item, plus one per video chapter (see carebase.search.records)."""
    return sum(1 for _ in catalogue.items()) + sum(len(v.chapters) for v in catalogue.videos)


def _write_revision(path: Path, catalogue, snapshot: str, drafts: bool, reasons) -> None:
    """The revision folder with its manifest and catalogue snapshot (its index comes next)."""
    import json

    from carebase.content.manifest import build_manifest

    if path.exists():  # left by an interrupted build, without an index: nobody reads it
        shutil.rmtree(path)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    manifest = build_manifest(catalogue, include_drafts=drafts, reasons=reasons)
    (scratch / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    (scratch / CATALOGUE).write_text(snapshot, encoding="utf-8")
    os.replace(scratch, path)


# -- the search index --------------------------------------------------------------------
def _index(out: BuildOutput, catalogue, progress, worker) -> BuildOutput:
    if worker is None:
        worker = out.stamp.get("records", 0) >= WORKER_FROM
    INDEX_BUILDS.append(out.revision)
    if worker:
        workers.start(out.folder, out.revision)
        return out
    index_revision(out.folder, out.revision, catalogue, progress=progress)
    out.stamp = stamps.read(out.folder) or out.stamp
    return out
