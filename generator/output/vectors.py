"""The document vectors of the build output: the hook between the build and the semantic
backend (``carebase.search.semantic``).

``write_vectors`` runs once per content revision, after the search index, over the same
records, and saves the vectors inside the index folder; ``open_vectors`` gives the service
and the report what the build saved. Whether vectors are written is decided here only
(``wanted``), so the backend can change without touching the build.
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger("carebase.output")


def wanted() -> bool:
    """Vectors are written when the semantic backend is installed and switched on
    (``CAREBASE_SEARCH_SEMANTIC=1``)."""
    if os.environ.get("CAREBASE_SEARCH_SEMANTIC", "") not in ("1", "true", "yes"):
        return False
    from carebase.search import semantic

    if not semantic.available():
        log.warning("CAREBASE_SEARCH_SEMANTIC is set but the semantic backend is not installed: lexical search only")
        return False
    return True


def write_vectors(catalogue, search_dir) -> bool:
    """Embed the catalogue's search records into ``search_dir`` when vectors are wanted;
    True when written."""
    if not wanted():
        return False
    from carebase.search.semantic import SemanticIndex

    SemanticIndex.build(catalogue, search_dir)
    return True


def open_vectors(search_dir):
    """The vectors saved in ``search_dir`` (a ``SemanticIndex``), or None."""
    if not wanted():
        return None
    from carebase.search.semantic import SemanticIndex

    found = SemanticIndex.open(search_dir)
    if found is None:
        log.warning("%s has no saved vectors: lexical search only (run 'carebase build' again)", search_dir)
    return found
