"""Where a row's "edit" link points: the source file a writer must change."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from carebase.backlog.issue import new_file_url


class SourceLinks:
    """``edit_url`` (e.g. ``https://github.com/org/repo/edit/main/content/``) wins; else a
    path relative to the report folder, so the link opens the file from a local checkout."""

    def __init__(self, content_root: str | Path, out_dir: str | Path | None, edit_url: str | None = None):
        self.content_root = Path(content_root)
        self.out_dir = Path(out_dir) if out_dir else None
        self.edit_url = edit_url
        # resolved once: a report links thousands of rows (resolving each path cost seconds at 10,000 items)
        self._root = str(self.content_root.resolve())
        self._out = str(self.out_dir.resolve()) if self.out_dir else None
        self._hrefs: dict[str, str] = {}

    def href(self, path: str) -> str:
        if self.edit_url:
            return self.edit_url.rstrip("/") + "/" + path
        if self.out_dir is None:
            return (self.content_root / path).as_posix()
        href = self._hrefs.get(path)
        if href is None:
            target = os.path.normpath(os.path.join(self._root, path))
            href = self._hrefs[path] = Path(os.path.relpath(target, self._out)).as_posix()
        return href

    def new_file_href(self, path: str) -> str:
        """Where a writer creates a file the report proposes: the tracker's new-file form when
        ``edit_url`` names GitHub or GitLab (their edit form answers 404 for a missing file)."""
        return new_file_url(self.edit_url, path) or self.href(path)

    def source(self, path: str, line: int = 0) -> dict:
        return {"path": path, "line": line, "href": self.href(path)}


def browser_links(model: dict) -> dict:
    """The report model as the live report shows it in a browser: a link to a source file
    relative to the report folder (no ``edit_url``) would resolve against the service's ``/report``
    and answer 404, so each such ``href`` becomes "" (the page shows the file and line as text);
    an edit URL's links (http or https) stay."""

    def walk(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key == "href" and isinstance(inner, str):
                    if urlsplit(inner).scheme.lower() not in ("http", "https"):
                        value[key] = ""
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(model)
    return model
