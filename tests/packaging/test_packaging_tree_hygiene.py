"""The committed tree holds no leftovers of a bad merge: a conflict marker in README.md or
REFERENCE.md is what a user reads, and in code it is a syntax error found too late."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)


def test_no_merge_conflict_markers_in_tracked_text_files():
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    found = []
    for name in filter(None, listed.decode().split("\0")):
        path = ROOT / name
        if path.suffix not in {".md", ".py", ".yml", ".yaml", ".toml", ".js", ".css", ".html", ".cfg", ".txt", ""}:
            continue
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        found += [f"{name}:{text.count(chr(10), 0, m.start()) + 1}" for m in MARKER.finditer(text)]
    assert not found, "merge conflict markers committed (resolve them): " + ", ".join(found)
