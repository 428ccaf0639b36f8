"""Where ``carebase report`` remembers between runs when no ``--cache`` is given.

The report's memory holds what customers typed (masked) and the learned evidence behind it
(journey ids, salted client hashes): it must never sit inside the report folder, which a lead
shares or publishes. It lives in carebase's cache folder instead (the one the vector cache
uses: ``$CAREBASE_CACHE_DIR``, else ``$XDG_CACHE_HOME/carebase``, else ``~/.cache/carebase``),
under ``reports/``, one folder per event source (database or export file), so a topic keeps
its id whichever ``--out`` a run writes to:

    folder = default_folder("sqlite:////srv/feedback.db")   # …/carebase/reports/sqlite-3f2a…
    adopt_legacy(folder, "report")   # a cache left under report/.cache by an older carebase moves here

``CAREBASE_CACHE_DIR=off`` turns the default memory off (as ``--no-cache``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from carebase.search import vector_cache

#: Where carebase before this version kept the report's memory: inside --out.
LEGACY = os.path.join(".cache", "carebase")


def source_identity(database_url: str | None = None, export_file: str | None = None) -> str:
    """One string per event source: the export's absolute path, or the database URL with a
    SQLite file's path made absolute and without any password."""
    if export_file:
        return "events:" + os.path.abspath(export_file)
    url = database_url or ""
    if url.startswith("sqlite:///"):
        return "sqlite:" + os.path.abspath(url[len("sqlite:///"):] or ".")
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True).replace("***", "")
    except Exception:
        return url


def default_folder(identity: str) -> Path | None:
    """The memory folder of one event source, or None when carebase's cache is off."""
    vectors = vector_cache.default_path()
    if vectors is None:
        return None
    kind = identity.split(":", 1)[0].split("+", 1)[0] or "db"
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return vectors.parent / "reports" / f"{kind}-{digest}"


def adopt_legacy(folder: Path, out: str) -> str | None:
    """Move a memory an older carebase left in ``OUT/.cache/carebase`` to ``folder`` (topics
    keep their ids) and remove the emptied ``OUT/.cache``; returns a note for the user, or None."""
    legacy = Path(out) / LEGACY
    if not legacy.is_dir():
        return None
    if folder.exists():
        shutil.rmtree(legacy)
        note = f"removed the old report memory {legacy} (the memory in {folder} is used)"
    else:
        folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(legacy), str(folder))
        note = f"moved the report memory out of the report folder: {legacy} -> {folder}"
    try:
        legacy.parent.rmdir()  # OUT/.cache, when nothing else is in it
    except OSError:
        pass
    return note
