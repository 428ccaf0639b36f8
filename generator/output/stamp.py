"""The version stamp of a build output: which carebase wrote it, from which content, in
which schema, and which revision folder is current (``formats.py`` says which carebase can
read it; its messages name the writer by ``carebase`` and the start of ``code``).

The *revision* is a fingerprint of everything the output is made from: the catalogue
snapshot (every item's text and fields, categories, synonyms, problems), whether drafts are
included, the widget's vote reasons and the site's strings (published in the manifest), the embedding model the
vectors are made with (none when meaning is off), and the code that defines the output (the schema number, the carebase version,
every carebase file the output's writers run or read — ``fingerprinted_files`` —, and the
versions of the word data the analyser reads). An output whose revision equals the current
content's is reused as it is: each content revision is built once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from functools import cache
from pathlib import Path

from carebase import __version__
from carebase.output.layout import LOCK, SCHEMA, STAMP


#: the distributions whose data shape the index's terms: simplemma's lemma tables (the word
#: forms, carebase.text.forms) and pyspellchecker's word lists (everyday words, which forms keep)
WORD_DATA = ("simplemma", "pyspellchecker")


#: the package whose modules write the build output (the build, the index writer and its worker
#: process, the snapshot, the vectors, the stamp): the walk of ``fingerprinted_files`` starts here
WRITERS = "carebase.output"

#: an import statement: ``from X import (a, b)`` (over several lines), ``from X import a, b`` or
#: ``import X, Y as Z``, at a module's top or inside a function (where carebase imports lazily)
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)|import[ \t]+([^\n#;]*))",
                     re.MULTILINE)
#: a carebase module named in a string: imported by name (carebase.content's lazy names)
_NAMED = re.compile(r"""["'](carebase(?:\.\w+)+)["']""")


def fingerprinted_files() -> list[Path]:
    """Every carebase file the build output's writers run or read, so that a build after any of
    them changed writes the output again instead of reusing what the old code wrote: the modules
    of ``WRITERS`` and every carebase module they import, directly or through others, at the top
    or inside a function (the search index, the site search's shards, the manifest, the analyser
    that cuts and stems every term, the content model the snapshot is made of), each package's
    ``__init__`` on the way, and the data files of the packages reached (the embedder's vocabulary).

    Found by reading the import statements, not kept by hand: session 37's hand-kept list missed
    the shards' writer (a rebuild of unchanged content after the shards' service scores, ffb7fbf,
    kept the old shards), and the content model and languages the snapshot and index are written
    with. The walk reads source text (import statements, and module names in strings), not Python's
    parse tree: 0.02 s of CPU for the 79 files, where parsing them takes 0.09 s; over the whole
    package it finds every carebase import the parse tree has. A statement it could miss would be
    written as no carebase import is (a backslash continuation, ``exec``).
    tests/search/test_search_output_stamp.py checks that every carebase module a fresh process runs
    for a build is in the list."""
    import carebase

    package = Path(carebase.__path__[0]).joinpath(*WRITERS.split(".")[1:])
    return carebase_files([WRITERS, *(f"{WRITERS}.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__")])


def carebase_files(modules) -> list[Path]:
    """The files of the carebase ``modules`` (names) and of every carebase module they import,
    directly or through others, at the top or inside a function, each package's ``__init__`` on
    the way, and the data files of the packages reached (``fingerprinted_files``' walk; the gap
    report's remembered aggregates are keyed by it too: carebase.report.store_memo)."""
    import carebase

    root = Path(carebase.__path__[0])
    todo = list(modules)
    found: dict[str, Path] = {}
    while todo:
        name = todo.pop()
        if name in found:
            continue
        path = _module_file(root, name)
        if path is not None:  # else a name imported from a module, not a module
            found[name] = path
            todo += _imported(path)
    files = set(found.values())
    for path in found.values():
        if path.name == "__init__.py":
            files |= _data_files(path.parent)
    return sorted(files)


def _module_file(root: Path, name: str) -> Path | None:
    """The file of carebase module ``name`` (a package's ``__init__.py``), or None."""
    parts = name.split(".")
    if parts[0] != "carebase":
        return None
    base = root.joinpath(*parts[1:])
    for path in (base / "__init__.py", base.with_suffix(".py")):
        if path.is_file():
            return path
    return None


def _imported(path: Path) -> set[str]:
    """The carebase names module ``path`` may import, with the packages on the way (importing
    carebase.a.b runs carebase/__init__.py and carebase/a/__init__.py first)."""
    text = path.read_text(encoding="utf-8")
    names = set(_NAMED.findall(text))
    for module, imported, plain in _IMPORT.findall(text):
        if module:
            names.add(module)
            names.update(f"{module}.{n.split()[0]}" for n in imported.strip("()").split(",") if n.split())
        else:
            names.update(n.split()[0] for n in plain.split(",") if n.split())
    out = set()
    for full in names:
        parts = full.split(".")
        if parts[0] == "carebase":
            out.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return out


def _data_files(package: Path) -> set[Path]:
    """A package's own files that are not Python, in its folder and in its folders that are not
    packages themselves (carebase/search/data/)."""
    files, folders = set(), [package]
    while folders:
        folder = folders.pop()
        for path in folder.iterdir():
            if path.is_dir():
                if path.name != "__pycache__" and not (path / "__init__.py").exists():
                    folders.append(path)
            elif path.suffix not in (".py", ".pyc"):
                files.add(path)
    return files


@cache
def code_fingerprint() -> str:
    """A hash of ``fingerprinted_files`` and of the installed versions of ``WORD_DATA``: an output
    written by other code, or with other word data, is not reused."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(f"{SCHEMA}\0{__version__}\0".encode())
    import carebase

    root = Path(carebase.__path__[0])
    for path in fingerprinted_files():  # named by their place in the package: two __init__.py differ
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    for name in WORD_DATA:
        try:
            digest.update(f"{name}\0{version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}\0-\0".encode())
    return digest.hexdigest()


def revision_of(snapshot_json: str, *, drafts: bool, reasons=None, vectors: str = "", strings=None,
                region: tuple[str, ...] = ()) -> str:
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(f"vectors\0{vectors}\0".encode())
    digest.update(b"drafts\0" if drafts else b"published\0")
    digest.update(json.dumps(None if reasons is None else list(reasons)).encode() + b"\0")
    if strings:  # the site's strings per language, published in the manifest
        digest.update(json.dumps(strings, sort_keys=True, ensure_ascii=False).encode() + b"\0")
    if region:  # the site's countries, published in the manifest
        digest.update(("region\0" + ",".join(region) + "\0").encode())
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
