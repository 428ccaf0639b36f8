"""Where a row's "edit" link points: the source file a writer must change."""

from __future__ import annotations

import os
from pathlib import Path


class SourceLinks:
    """``edit_url`` (e.g. ``https://github.com/org/repo/edit/main/content/``) wins; else a
    path relative to the report folder, so the link opens the file from a local checkout."""

    def __init__(self, content_root: str | Path, out_dir: str | Path | None, edit_url: str | None = None):
        self.content_root = Path(content_root)
        self.out_dir = Path(out_dir) if out_dir else None
        self.edit_url = edit_url

    def href(self, path: str) -> str:
        if self.edit_url:
            return self.edit_url.rstrip("/") + "/" + path
        target = self.content_root / path
        if self.out_dir is None:
            return target.as_posix()
        return Path(os.path.relpath(target.resolve(), self.out_dir.resolve())).as_posix()

    def source(self, path: str, line: int = 0) -> dict:
        return {"path": path, "line": line, "href": self.href(path)}
