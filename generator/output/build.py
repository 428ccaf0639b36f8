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

from carebase.output import formats
from carebase.output import stamp as stamps
from carebase.output import worker as workers
from carebase.output.indexing import Progress, index_revision, prune
from carebase.output.layout import CATALOGUE, MANIFEST, SCHEMA, SEARCH, language_folder, revision_folder
from carebase.output.opened import BuildOutput, OutputError

log = logging.getLogger("carebase.output")

#: From this many search records on, the index is written by a worker process.
WORKER_FROM = 2000
#: Every search-index build started by this process (tests check that each content revision
#: is indexed once, whatever reads it afterwards).
INDEX_BUILDS: list[str] = []


def open_output(folder, catalogue=None, *, drafts: bool = False, reasons=None, progress: Progress | None = None,
                worker: bool | None = None, languages: dict | None = None, language: str = "",
                strings: dict | None = None, region: tuple[str, ...] = ()) -> BuildOutput:
    """The build output in ``folder``: opened as it is (no catalogue; raises OutputError when
    there is none), or made current for ``catalogue`` first (``drafts``: include drafts in
    the manifest; ``reasons``: the widget's vote reasons, published in the manifest; ``worker``: write the index in a worker process — default: from
    ``WORKER_FROM`` records on; ``progress(done, total)`` while indexing in this process;
    ``languages``: the catalogues of the site's other languages, code → catalogue, each
    given its own catalogue snapshot and search index in the same revision; ``language``: the
    code of ``catalogue``'s language, the default — else the catalogue's own, else English;
    ``strings``: the site's own strings per language, published in the manifest; ``region``: the
    site's countries, published in the manifest for the service's masker)."""
    folder = Path(folder)
    if catalogue is None:
        return BuildOutput.from_stamp(folder, stamps.read(folder))
    from carebase.output.snapshot import dumps

    from carebase.output.vectors import model

    others = dict(languages or {})
    default = language or getattr(catalogue, "language", "") or ""
    snapshot = dumps(catalogue)
    snapshots = {lang: dumps(c) for lang, c in others.items()}
    vectors = model()
    revision = stamps.revision_of(snapshot + f"\0{default}" + "".join(f"\0{lang}\0{s}" for lang, s in snapshots.items()),
                                  drafts=drafts, reasons=reasons, vectors=vectors, strings=strings, region=region)
    path = revision_folder(folder, revision)
    current = stamps.read(folder) or {}
    if current.get("revision") == revision and formats.compatible(current) and path.is_dir():
        out = BuildOutput(folder, current)
        if out.indexed or workers.running(folder, revision):
            return out  # this content revision is built (or being indexed) already
        return _index(out, catalogue, others, progress, worker)
    workers.stop(folder)
    indexed = ((path / SEARCH).is_dir() and (path / MANIFEST).is_file()  # built before (content reverted)
               and all((language_folder(path, lang) / SEARCH).is_dir() for lang in others))
    if not indexed:
        _write_revision(path, catalogue, snapshot, drafts, reasons, snapshots, strings, region)
    with stamps.locked(folder):
        before = stamps.read(folder) or {}
        previous = before.get("revision") if before.get("schema") == SCHEMA else None
        # the previous revision's index answers while this one's is written only when this carebase
        # reads it (its folder is kept one revision longer all the same, for readers still using it)
        search = revision if indexed else (before.get("search") if previous and formats.compatible(before) else None)
        stamp = _stamp(revision, catalogue, drafts, search=search, previous=previous, vectors=vectors,
                       others=others, default=default)
        stamps.write(folder, stamp)
        if indexed:
            prune(folder, stamp)
    out = BuildOutput(folder, stamp)
    return out if indexed else _index(out, catalogue, others, progress, worker)


def _stamp(revision: str, catalogue, drafts: bool, *, search, previous, vectors: str, others: dict,
           default: str) -> dict:
    from carebase import __version__
    from carebase.content.languages import DEFAULT

    return {
        "schema": SCHEMA, "formats": formats.declared(), "carebase": __version__, "revision": revision,
        "code": stamps.code_fingerprint()[:20], "drafts": drafts,
        "items": sum(1 for _ in catalogue.items()),
        "records": _record_count(catalogue) + sum(_record_count(c) for c in others.values()),
        "languages": [default or DEFAULT, *others],
        "vectors": vectors or None, "search": search, "previous": previous,
        "content_root": str(catalogue.root),
    }


def _record_count(catalogue) -> int:
    """Search records: one per item, plus one per video chapter (see carebase.search.records)."""
    return sum(1 for _ in catalogue.items()) + sum(len(v.chapters) for v in catalogue.videos)


def _write_revision(path: Path, catalogue, snapshot: str, drafts: bool, reasons, snapshots: dict,
                    strings=None, region: tuple[str, ...] = ()) -> None:
    """The revision folder with its manifest and catalogue snapshots, the default language's
    and each other language's (the indexes come next)."""
    import json

    from carebase.content.manifest import build_manifest

    if path.exists():  # left by an interrupted build, without an index: nobody reads it
        shutil.rmtree(path)
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    manifest = build_manifest(catalogue, include_drafts=drafts, reasons=reasons, strings=strings, region=region)
    (scratch / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    (scratch / CATALOGUE).write_text(snapshot, encoding="utf-8")
    for lang, text in snapshots.items():
        language_folder(scratch, lang).mkdir(parents=True)
        (language_folder(scratch, lang) / CATALOGUE).write_text(text, encoding="utf-8")
    os.replace(scratch, path)


# -- the search index --------------------------------------------------------------------
def _index(out: BuildOutput, catalogue, others: dict, progress, worker) -> BuildOutput:
    if worker is None:
        worker = out.stamp.get("records", 0) >= WORKER_FROM
    INDEX_BUILDS.append(out.revision)
    if worker:
        workers.start(out.folder, out.revision)
        return out
    index_revision(out.folder, out.revision, catalogue, progress=progress, languages=others)
    out.stamp = stamps.read(out.folder) or out.stamp
    return out
