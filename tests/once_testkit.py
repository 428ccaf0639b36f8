"""Work done once per test run, whichever pytest-xdist worker process needs it first.

``bash tests/run`` runs the suite in several worker processes; a session fixture is set up
once in EACH of them. For costly set-ups whose result is files (a real ``mkdocs build`` of
the demo), ``once(tmp_path_factory, name, make)`` runs ``make(folder)`` in the first worker
that asks, under a file lock in the run's temporary folder (the one xdist's workers' folders
sit in: one per run), and hands every later asker the same finished folder. A worker that
fails half-way leaves no "done" mark, so the next asker starts again (and fails the same way,
with its own error). Without xdist the folder is simply the session's.

A build that names the URLs it is served at is made with placeholder URLs and each worker
takes a copy with its own (``copy_rewritten``), byte for byte what a build with those URLs
writes (checked once by building both ways and comparing every file; the copy fails if a
placeholder is left in any form it does not rewrite).
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import io
import json
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Callable, Iterator


def run_folder(tmp_path_factory) -> Path:
    """The temporary folder of the whole run (the parent of every xdist worker's own)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (created if missing) across the run's processes."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """``run_folder/name`` after ``make`` has filled it, in whichever process asked first."""
    shared = run_folder(tmp_path_factory)
    folder, done = shared / name, shared / f"{name}.done"
    with locked(shared / f"{name}.lock"):
        if not done.exists():
            if folder.exists():  # a worker failed half-way through: start again
                shutil.rmtree(folder)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def copy_rewritten(source: Path, target: Path, replace: dict[str, str]) -> Path:
    """Copy the tree ``source`` to ``target`` with every ``replace`` key replaced by its value
    in every file, gzip-compressed ones (``sitemap.xml.gz``) included. Fails naming the file
    when a key is left anywhere afterwards (written in some other form: escaped, split)."""
    pairs = [(old.encode(), new.encode()) for old, new in replace.items()]
    hosts = [old.split("://", 1)[-1].encode() for old in replace]
    for folder, _, files in os.walk(source):
        out = target / Path(folder).relative_to(source)
        out.mkdir(parents=True, exist_ok=True)
        for name in files:
            data = Path(folder, name).read_bytes()
            packed = name.endswith(".gz")
            text = gzip.decompress(data) if packed else data
            rewritten = text
            for old, new in pairs:
                rewritten = rewritten.replace(old, new)
            left = [h.decode() for h in hosts if h in rewritten]
            assert not left, f"{Path(folder, name)}: {left} left after rewriting (in a form copy_rewritten misses)"
            if rewritten != text:
                data = _gzip(rewritten, name[:-3], int.from_bytes(data[4:8], "little")) if packed else rewritten
            (out / name).write_bytes(data)
    return target


def _gzip(data: bytes, name: str, mtime: int) -> bytes:
    """``data`` gzip-compressed as MkDocs writes ``sitemap.xml.gz`` (the name and time in its header)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buffer, mtime=mtime) as packed:
        packed.write(data)
    return buffer.getvalue()


def forms_made_once() -> None:
    """Make the word-forms tables (carebase.text.forms ``table``) one process at a time in this
    run: each process that stems a word reads the table kept in the run's cache folder
    (``CAREBASE_CACHE_DIR``, set by tests/conftest.py), but every worker whose first stemming
    test started before another had written it made the whole table itself (English: ~3.1 s of
    CPU each, reading the kept one ~0.05 s), all of them at the run's start. Now a process
    asking for a language's table waits while another makes it, then reads the one kept. The
    table is the same either way (what the product's own cache gives); only the worker
    processes are covered (a subprocess, such as the demo's ``mkdocs build``, reads a kept table
    when there is one)."""
    from carebase.text import forms

    if getattr(forms.table, "carebase_one_at_a_time", False):
        return
    made = forms.table

    def table(analyser, raw_stem, language):
        from carebase.search.vector_cache import default_path

        vectors = default_path()
        if vectors is None or not language or not vectors.parent.is_dir():  # nothing is kept: no one to wait for
            return made(analyser, raw_stem, language)
        with locked(vectors.parent / f".forms-{language}.lock"):
            return made(analyser, raw_stem, language)

    table.carebase_one_at_a_time = True
    forms.table = table


CLAIMS = ".vectors-claims.json"  # in the run's cache folder: {text's digest: the process embedding it}
CLAIM_WAIT_LIMIT = 600.0  # seconds a process waits for another's texts before embedding them itself


def _digest(kind: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _alive(pid: int) -> bool:
    if pid <= 0:  # no claim (0 would ask about this process's group)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _claimed(folder: Path) -> dict[str, int]:
    try:
        return json.loads((folder / CLAIMS).read_text())
    except (OSError, ValueError):
        return {}


def _write_claims(folder: Path, claims: dict[str, int]) -> None:
    temporary = folder / f"{CLAIMS}.{os.getpid()}.{threading.get_ident()}"
    temporary.write_text(json.dumps(claims))
    temporary.replace(folder / CLAIMS)


def claim(folder: Path, kind: str, texts: list[str]) -> tuple[list[str], list[str]]:
    """(the ``texts`` this process embeds now, claimed for it; those another live process or
    thread is embedding), under the run's embedding lock."""
    mine, theirs = [], []
    with locked(folder / ".vectors.lock"):
        claims = {d: pid for d, pid in _claimed(folder).items() if _alive(pid)}
        for text in texts:
            digest = _digest(kind, text)
            if digest in claims:
                theirs.append(text)
            else:
                claims[digest] = os.getpid()
                mine.append(text)
        _write_claims(folder, claims)
    return mine, theirs


def unclaim(folder: Path, kind: str, texts: list[str]) -> None:
    if not texts:
        return
    with locked(folder / ".vectors.lock"):
        claims = _claimed(folder)
        for text in texts:
            claims.pop(_digest(kind, text), None)
        _write_claims(folder, claims)


def wait_for_others(cache, folder: Path, kind: str, texts: list[str]) -> None:
    """Until every one of ``texts`` is in ``cache`` or no live process claims it any more (it
    failed, or ended: this process then embeds what is left itself)."""
    deadline = time.monotonic() + CLAIM_WAIT_LIMIT
    while texts and time.monotonic() < deadline:
        known = cache.known(texts, kind)
        claims = _claimed(folder)
        texts = [t for t in texts if t not in known and _alive(claims.get(_digest(kind, t), 0))]
        if texts:
            time.sleep(0.05)


def vectors_made_once() -> None:
    """Embed each text once in this run: at the run's start several worker processes embedded the
    demo's English texts at the same moment, each into the run's still empty vector cache
    (``CAREBASE_CACHE_DIR``, set by tests/conftest.py): ``embed_demo`` (for the demo's build and
    build output) and any test writing the demo content's build output itself (learned_testkit's
    ``site_data_in``, the learned, report and search tests that ``open_output`` the demo
    content), ~6.5 s of CPU each time. Now a process whose texts are not all in the cache claims
    those nobody else is embedding (``CLAIMS``, under the run's embedding lock), embeds them,
    and waits for the others' (those a live process claims) to reach the cache: it never embeds
    a text another is embedding, and never waits for texts it does not need (a one-article
    build does not wait for the demo's). Only this run's worker processes are covered (a
    subprocess, such as a build or a service, reads what is kept)."""
    from carebase.search.vector_cache import VectorCache, default_path

    if getattr(VectorCache.vectors, "carebase_one_at_a_time", False):
        return
    made, shared = VectorCache.vectors, default_path()  # the run's cache (a test's own is not shared)

    def vectors(self, texts, kind):
        texts = list(texts)
        if shared is None or self.path != shared or not shared.parent.is_dir():
            return made(self, texts, kind)
        known = self.known(texts, kind)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            mine, theirs = claim(shared.parent, kind, missing)
            try:
                if mine:
                    made(self, mine, kind)  # embedded and kept
            finally:
                unclaim(shared.parent, kind, mine)
            wait_for_others(self, shared.parent, kind, theirs)
        return made(self, texts, kind)  # read back (and whatever a failed claimant left, embedded)

    vectors.carebase_one_at_a_time = True
    vectors.carebase_made = made
    VectorCache.vectors = vectors
