"""The content model, loaders and validation (no MkDocs import)."""

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
    "FaqQuestion", "Item", "Problem", "Severity", "Video", "VideoSource",
]
