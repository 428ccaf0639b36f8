"""Which content file names a Markdown file (``carebase serve``'s check before it renders a
deleted or renamed article without a full build, preview.py): a link to ``two-step.md`` in
another article or an FAQ answer would break, and a full build reports it.

Reading every Markdown and YAML file for each delete cost about 0.4 s of CPU at 10,000 items
(8,212 files), in the process that serves the pages. So each file is read once, at the full
build, and again only when its stamp (modification time, size: ``content_stamps``) changed;
what is kept of it is only the text before each ``.md`` in it, back to the last ``/`` or line
end (a file name holds neither) and at most a file name's length, so "is ``name`` in the
file's text" has the same answer as reading the whole text.
"""

from __future__ import annotations

import os
from pathlib import Path

SUFFIXES = (".md", ".yml", ".yaml")  # the files that can link to an article
NAME_CHARS = 255  # the longest file name (bytes, so characters) of common file systems


def mentions_in(text: str) -> frozenset[str]:
    """The runs of text ending in ``.md`` that a file name could be: for every ``.md``, the text
    before it back to a ``/``, a line end or ``NAME_CHARS`` characters."""
    found = set()
    start = text.find(".md")
    while start != -1:
        end = start + 3
        begin = max(text.rfind("/", 0, start), text.rfind("\n", 0, start), end - NAME_CHARS - 1) + 1
        found.add(text[begin:end])
        start = text.find(".md", start + 1)
    return frozenset(found)


class Mentions:
    """Each Markdown and YAML content file's ``mentions_in``, by its stamp."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[tuple[int, int], frozenset[str]]] = {}

    def read(self, root: Path, stamps: dict[str, tuple[int, int]]) -> None:
        """Read the files of ``stamps`` (``content_stamps(root)``) whose stamp changed since
        they were last read, and forget the files no longer there."""
        for rel in list(self._files):
            if rel not in stamps:
                del self._files[rel]
        for rel, stamp in stamps.items():
            if not rel.endswith(SUFFIXES):
                continue
            kept = self._files.get(rel)
            if kept is not None and kept[0] == stamp:
                continue
            path = os.path.join(root, rel)
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    st = os.fstat(handle.fileno())  # the stamp of what is read, not of the scan before
                    text = handle.read()
            except OSError:
                self._files.pop(rel, None)
                continue
            self._files[rel] = ((st.st_mtime_ns, st.st_size), mentions_in(text))

    def naming(self, root: Path, names: set[str], stamps: dict[str, tuple[int, int]],
               skip: set[str]) -> str | None:
        """The first content file (POSIX path from ``root``, not in ``skip``) whose text holds
        one of the file ``names`` (no ``/`` in them); None when none does."""
        self.read(root, stamps)
        for rel in sorted(self._files):
            if rel in skip:
                continue
            runs = self._files[rel][1]
            if runs and any(name in run for name in names for run in runs):
                return rel
        return None
