"""Glue between the plugin and the core: content problems → MkDocs log, feedback widget,
related-items engines, last-updated stamps."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from pathlib import Path

from carebase.content.model import Catalogue
from carebase.content.problems import Problem

log = logging.getLogger("mkdocs.plugins.carebase")


def report(problems, prefix: str = "") -> None:
    """Log content problems: errors as errors, warnings as warnings (fatal under --strict)."""
    from carebase.content.formats import printable

    for problem in sorted(problems, key=lambda p: (p.path, p.line, p.field)):
        text = printable(f"{prefix}{problem}")
        if isinstance(problem, Problem) and not problem.is_error:
            log.warning(text)
        else:
            log.error(text)


def feedback_renderer(raw: dict, service_url: str, contact: dict):
    """A ``feedback(item_id, revision, title, heading)`` function from the widget settings."""
    from carebase.widget.markup import feedback_form
    from carebase.widget.settings import check_feedback_settings

    raw = dict(raw or {})
    raw.setdefault("service_url", service_url)
    if any(contact.values()) and "contact" not in raw:
        raw["contact"] = {k: v for k, v in contact.items() if v}
    settings, problems = check_feedback_settings(raw)
    report(problems)

    def render(item_id: str, revision: str, title: str, heading: str | None = None, return_to: str = "") -> str:
        return feedback_form(item_id, revision, title, settings, heading=heading, return_to=return_to)

    return render, settings


def related_engine(kind: str, catalogue: Catalogue, category_of):
    """``(related(item_id, limit), folder to remove or None)``: the Whoosh index ("search"),
    shared terms ("terms"), or none ("off").

    The Whoosh index is built on the first call only (items with explicit ``related`` never
    need it) and kept in the temp folder under a hash of the content's revisions, so the
    rebuilds of ``carebase serve`` reuse it until the content changes.
    """
    if kind == "off":
        return None, None
    if kind == "search":
        try:
            from carebase.search.index import build_index, open_index
            from carebase.search.query import Searcher
        except ImportError:  # pragma: no cover - the search package ships with carebase
            kind = "terms"
        else:
            folder = _index_folder(catalogue)
            state: dict = {}

            def related(item_id: str, limit: int) -> list[str]:
                if "searcher" not in state:
                    try:
                        index = open_index(folder)
                    except Exception:  # absent or stale: (re)build it
                        index = build_index(catalogue, folder)
                    state["searcher"] = Searcher(index, catalogue)
                return state["searcher"].related(item_id, limit)

            return related, None
    from carebase.pages.related import RelatedIndex

    return RelatedIndex(catalogue, category_of).related, None


def _index_folder(catalogue: Catalogue) -> Path:
    digest = hashlib.sha1()
    for item in catalogue.items():
        digest.update(f"{item.id}\0{item.revision}\n".encode())
    for group in catalogue.synonyms:
        digest.update("|".join(group).encode())
    return Path(tempfile.gettempdir()) / "carebase-related" / digest.hexdigest()[:16]
