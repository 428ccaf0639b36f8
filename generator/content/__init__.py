"""The content model, loaders and validation (no MkDocs import).

``load_catalogue(root)`` reads every article, FAQ file, video file, ``categories.yml``
and ``synonyms.yml`` under a content root and returns a :class:`Catalogue` whose
``problems`` list every mistake found (it never raises for bad content).

The names below are imported when first asked for: a submodule of this package
(``carebase.content.languages``, ``.problems``, ``.model``) is imported without the loaders
and their YAML, subtitle and Markdown parsers, which the report and the service never run
(~0.05–0.08 s of CPU each of their processes).
"""

from __future__ import annotations

import importlib

_WHERE = {
    "load_catalogue": "carebase.content.loader",
    **{name: "carebase.content.model" for name in (
        "Article", "Caption", "Catalogue", "Category", "Chapter", "Cue", "FaqGroup",
        "FaqQuestion", "Item", "Video", "VideoSource")},
    "Problem": "carebase.content.problems",
    "Severity": "carebase.content.problems",
}

__all__ = [
    "Article", "Caption", "Catalogue", "Category", "Chapter", "Cue", "FaqGroup",
    "FaqQuestion", "Item", "Problem", "Severity", "Video", "VideoSource", "load_catalogue",
]


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'carebase.content' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
