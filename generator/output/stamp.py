"""The version stamp of a build output: which carebase wrote it, from which content, in
which schema, and which revision folder is current (``formats.py`` says which carebase can
read it; its messages name the writer by ``carebase`` and the start of ``code``).

The *revision* is a fingerprint of everything the output is made from: the catalogue
snapshot (every item's text and fields, categories, synonyms, problems), whether drafts are
included, the widget's vote reasons and the site's strings (published in the manifest), the embedding model the
vectors are made with (none when meaning is off), and the code that defines the output (the schema number, the carebase version,
the source of the modules that write the index, records, manifest and snapshot, the analyser
that makes the index's terms, and the versions of the word data it reads). An output
whose revision equals the current content's is reused as it is: each content revision is
built once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from functools import cache
from pathlib import Path

from carebase import __version__
from carebase.output.layout import LOCK, SCHEMA, STAMP


#: the distributions whose data shape the index's terms: simplemma's lemma tables (the word
#: forms, carebase.text.forms) and pyspellchecker's word lists (everyday words, which forms keep)
WORD_DATA = ("simplemma", "pyspellchecker")


def fingerprinted_files() -> list[Path]:
    """The modules whose code shapes the output: the search index, records, manifest and snapshot,
    the text analyser that cuts and stems every term of the index (carebase.text), and the site
    search's client index written with the index (carebase.pages.search_shards, its rows and its
    update in place): a build after a change to how the shards are written writes them again
    rather than reusing the old ones (session 37: the shards' service scores, ffb7fbf, were not
    written by a rebuild of unchanged content)."""
    import carebase.content.manifest
    import carebase.output
    import carebase.pages.search_rows
    import carebase.pages.search_shards
    import carebase.pages.search_shards_update
    import carebase.search
    import carebase.text

    files = [Path(carebase.content.manifest.__file__)]
    for package in (carebase.search, carebase.output, carebase.text):
        files += sorted(Path(package.__path__[0]).glob("*.py"))
    files += [Path(m.__file__) for m in (carebase.pages.search_shards, carebase.pages.search_rows,
                                         carebase.pages.search_shards_update)]
    return files


@cache
def code_fingerprint() -> str:
    """A hash of ``fingerprinted_files`` and of the installed versions of ``WORD_DATA``: an output
    written by other code, or with other word data, is not reused."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(f"{SCHEMA}\0{__version__}\0".encode())
    for path in fingerprinted_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in WORD_DATA:
        try:
            digest.update(f"{name}\0{version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}\0-\0".encode())
    return digest.hexdigest()


def revision_of(snapshot_json: str, *, drafts: bool, reasons=None, vectors: str = "", strings=None) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(f"vectors\0{vectors}\0".encode())
    digest.update(b"drafts\0" if drafts else b"published\0")
    digest.update(json.dumps(None if reasons is None else list(reasons)).encode() + b"\0")
    if strings:  # the site's strings per language, published in the manifest
        digest.update(json.dumps(strings, sort_keys=True, ensure_ascii=False).encode() + b"\0")
    digest.update(snapshot_json.encode())
    return digest.hexdigest()[:20]


def read(folder) -> dict | None:
    """The stamp of the output in ``folder``, or None when there is none (or it is unreadable)."""
    try:
        stamp = json.loads((Path(folder) / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return stamp if isinstance(stamp, dict) else None


@contextlib.contextmanager
def locked(folder):
    """An exclusive lock on the output folder while its stamp is read and replaced."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    with open(Path(folder) / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write(folder, stamp: dict) -> None:
    """Replace the stamp atomically (callers hold ``locked(folder)``)."""
    path = Path(folder) / STAMP
    tmp = path.with_name(f".{STAMP}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(stamp, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
