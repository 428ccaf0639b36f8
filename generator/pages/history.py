"""When each content file last changed: Git history (one ``git log`` for all files), else
the file's modification time."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def last_updated(root: str | Path, paths: list[str]) -> dict[str, float]:
    """``{path: unix seconds}`` for paths relative to ``root``; never raises."""
    root = Path(root)
    found = _from_git(root, set(paths))
    for path in paths:
        if path not in found:
            try:
                found[path] = os.path.getmtime(root / path)
            except OSError:
                pass
    return found


def _from_git(root: Path, wanted: set[str]) -> dict[str, float]:
    if not wanted:
        return {}
    try:
        # One walk of the history: newest commit first, the files each commit touched.
        log = subprocess.run(
            ["git", "-C", str(root), "log", "--format=@%ct", "--name-only", "--no-renames",
             "--relative", "--", "."],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[str, float] = {}
    stamp = 0.0
    for line in log.splitlines():
        if line.startswith("@"):
            stamp = float(line[1:])
        elif line and line in wanted and line not in found:
            found[line] = stamp
            if len(found) == len(wanted):
                break
    return found
