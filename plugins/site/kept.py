"""``carebase serve``: a change that brings a content error keeps the last site in the preview.

MkDocs empties the site folder at the start of every build, so a saved file with an error
used to take its page out of the preview at once (an FAQ file whose YAML no longer parses: its
page answered 404 while the writer had it open). After the first build the plugin reads the
content in ``on_pre_build``, before that emptying; when the change brings an error that the
site being served does not have (with ``--strict``, a warning too), it raises ``PreviewKept``:
the site folder is left as it is, ``carebase serve`` keeps serving it and shows the problems in
the page (carebase.cli._preview_board). An error the served site already had (its item left
out since the first build) does not stop the next build.
"""

from __future__ import annotations

#: set by ``carebase serve``, whose preview server serves the last site and shows the problems
#: (carebase.cli._watching.Server); MkDocs' own ``mkdocs serve`` would print a traceback and hold
#: every request after a failed build, so there the build goes on, the items left out
KEEP_LAST_SITE = False


class PreviewKept(Exception):
    """The content has new problems: the preview keeps the last site (raised before MkDocs
    empties the site folder)."""

    def __init__(self, new: int) -> None:
        super().__init__(f"{new} new problem(s) in the content: the preview keeps the last site until they are fixed")
        self.new = new


def failing(problems, strict: bool) -> set[tuple[str, str, str]]:
    """The problems that fail the build (errors; with ``--strict`` warnings too), as keys that
    a line moved by an edit above it does not change."""
    return {(p.path, p.field, p.message) for p in problems if p.is_error or strict}
