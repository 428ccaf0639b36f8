"""The content model, loaders and validation (no MkDocs import).

``load_catalogue(root)`` reads every article, FAQ file, video file, ``categories.yml``
and ``synonyms.yml`` under a content root and returns a :class:`Catalogue` whose
``problems`` list every mistake found (it never raises for bad content).
"""

from carebase.content.loader import load_catalogue
from carebase.content.model import (
    Article,
    Caption,
    Catalogue,
    Category,
    Chapter,
    Cue,
    FaqGroup,
    FaqQuestion,
    Item,
    Video,
    VideoSource,
)
from carebase.content.problems import Problem, Severity

__all__ = [
    "Article", "Caption", "Catalogue", "Category", "Chapter", "Cue", "FaqGroup",
    "FaqQuestion", "Item", "Problem", "Severity", "Video", "VideoSource", "load_catalogue",
]
