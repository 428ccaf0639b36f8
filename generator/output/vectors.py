"""The document vectors of the build output: the hook between the build and the semantic
backend (``carebase.search.semantic``, on ``carebase.search.meaning``).

``write_vectors`` runs once per content revision, after the search index, over the same
records, and saves the vectors inside the index folder (unchanged texts come from the
shared vector cache); ``open_vectors`` gives the service and the report what the build
saved. Whether vectors are written is decided here only (``wanted``: meaning is on by
default when an embedding model loads, off with ``CAREBASE_SEMANTIC=0``; only for the
languages the model knows, ``covers``), and the model in
use is part of the output's revision (``model``), so a build with another model (or none)
writes the vectors again.
"""

from __future__ import annotations


def wanted() -> bool:
    from carebase.search import semantic

    return semantic.wanted()


def model() -> str:
    """What the vectors of a build would be made with ("" when none would be written)."""
    from carebase.search import meaning

    return meaning.model_id() if wanted() else ""


def covers(language: str | None) -> bool:
    """Whether vectors are written for (and search uses meaning on) the pages of ``language``:
    vectors are wanted and the model knows the language (``meaning.knows``)."""
    from carebase.search import semantic

    return semantic.covers(language)


def write_vectors(catalogue, search_dir, *, progress=None) -> bool:
    """Embed the catalogue's search records into ``search_dir`` when vectors are wanted and the
    model knows the catalogue's language (else its pages are searched lexically); True when
    written."""
    if not covers(getattr(catalogue, "language", "") or ""):
        return False
    from carebase.search.semantic import SemanticIndex

    SemanticIndex.build(catalogue, search_dir, progress=progress)
    return True


def open_vectors(search_dir):
    """The vectors saved in ``search_dir`` (a ``SemanticIndex``), or None (none saved, meaning
    off or unavailable, or made by another model)."""
    if not wanted():
        return None
    from carebase.search.semantic import SemanticIndex

    return SemanticIndex.open(search_dir)


def usable(search_dir) -> bool:
    """Whether ``open_vectors(search_dir)`` would give vectors, without reading them (the
    report's replays are remembered per lexical or meaning search: it asks before it knows
    whether it will search at all)."""
    if not wanted():
        return False
    from carebase.search.semantic import SemanticIndex

    return SemanticIndex.usable(search_dir)
