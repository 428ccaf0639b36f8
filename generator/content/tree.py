"""What exists under a content root, and what is refused there.

Only files that really live in the content folder are content. The scan refuses, with a
problem naming the path:

* a link (symlink) to a file outside the content folder, or to nothing;
* a link to a folder, wherever it points: folder links are never followed (MkDocs would
  follow them, loops included, so the build stops on them; see ``folder_links``);
* anything that is not a regular file (a named pipe, a device, a socket).

Links to files inside the content folder are allowed: the link's path is the file's path.
Refused paths are kept in ``Tree.refused`` so a reference to one (a transcript, an image, a
Markdown link) is reported as what it is rather than as a missing file.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from carebase.content.problems import Problem, error

SKIP_DIRS = {"node_modules", "__pycache__"}
OUTSIDE = "a link to a file outside the content folder"
FILE, FOLDER = "a file inside the content folder", "a folder (not a link)"


@dataclass(slots=True)
class Tree:
    """What exists under the content root (POSIX paths relative to it)."""

    files: set[str] = field(default_factory=set)
    dirs: set[str] = field(default_factory=set)
    generated: set[str] = field(default_factory=set)  # pages carebase makes: faq/<slug>, videos/<slug>, …
    refused: dict[str, str] = field(default_factory=dict)  # path → why it is not content
    sizes: dict[str, int] = field(default_factory=dict)  # path → bytes, for every file in ``files``
    problems: list[Problem] = field(default_factory=list)

    def has_page(self, path: str) -> bool:
        path = path.rstrip("/")
        if path.endswith("/index.html"):
            path = path[: -len("/index.html")]
        return (path in self.files or path + ".md" in self.files or path + "/index.md" in self.files
                or path in self.dirs or path in self.generated or path == "")

    def why_refused(self, path: str) -> str:
        """Why ``path`` (or a folder above it) is not content; "" when it is not refused."""
        if path in self.refused:
            return self.refused[path]
        for folder in _parents(path):
            if folder in self.refused:
                return self.refused[folder]
        return ""


def _parents(path: str):
    parts = path.split("/")[:-1]
    for n in range(len(parts), 0, -1):
        yield "/".join(parts[:n])


def is_inside(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def scan(root: Path) -> Tree:
    """Every file and folder under root (hidden ones skipped), as POSIX paths."""
    tree = Tree()
    real_root = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        if prefix:
            tree.dirs.add(rel_dir)
        kept = []
        for name in sorted(dirnames):
            if name.startswith((".", "_")) or name in SKIP_DIRS:
                continue
            if os.path.islink(os.path.join(dirpath, name)):
                _refuse(tree, prefix + name, folder_link(os.path.join(dirpath, name), real_root), FOLDER)
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            if name.startswith("."):
                continue
            why = not_content(os.path.join(dirpath, name), real_root)
            if why:
                _refuse(tree, prefix + name, why, FILE)
            else:
                tree.files.add(prefix + name)
                tree.sizes[prefix + name] = os.stat(os.path.join(dirpath, name)).st_size
    return tree


def rescan_files(tree: Tree, root: Path, added: list[str], removed: list[str]) -> bool:
    """Put the files ``added`` under ``root`` in ``tree`` and take the ``removed`` ones out, as
    ``scan`` would see them now; False, with ``tree`` unchanged, when only a new scan can say
    (a new file refused or hidden, in a folder the scan did not walk; a file not in the tree,
    or its folder gone)."""
    real_root = os.path.realpath(root)
    sizes = {}
    for rel in added:
        folder, _, name = rel.rpartition("/")
        path = os.path.join(root, rel)
        if rel in tree.files or name.startswith(".") or (folder and folder not in tree.dirs) \
                or not_content(path, real_root):
            return False
        try:
            sizes[rel] = os.stat(path).st_size
        except OSError:
            return False
    for rel in removed:
        folder = rel.rpartition("/")[0]
        if rel not in tree.files or (folder and (not os.path.isdir(os.path.join(root, folder))
                                                 or os.path.islink(os.path.join(root, folder)))):
            return False
    for rel in removed:
        tree.files.discard(rel)
        tree.sizes.pop(rel, None)
    tree.files.update(sizes)
    tree.sizes.update(sizes)
    return True


def _refuse(tree: Tree, rel: str, why: str, expected: str) -> None:
    tree.refused[rel] = why
    if expected == FOLDER:
        advice = ("folder links are never followed and stop the build: move the folder into the content folder, "
                  "or link its files one by one")
    elif why.startswith("a link"):
        advice = "it is never published: copy the file into the content folder, or remove the link"
    else:
        advice = "it is never read nor published: remove it"
    tree.problems.append(error(rel, 0, "", f"expected {expected}, found {why}; {advice}"))


def folder_link(path: str, real_root: str) -> str:
    target = os.readlink(path)
    where = "inside" if is_inside(os.path.realpath(path), real_root) else "outside"
    return f"a link to a folder {where} the content folder ({target!r})"


def not_content(path: str, real_root: str) -> str:
    """Why the file at ``path`` is refused, or "" when it is content."""
    try:
        mode = os.stat(path).st_mode  # follows a link
    except OSError:
        return f"a link to nothing ({os.readlink(path)!r})" if os.path.islink(path) else "a file that cannot be read"
    if os.path.islink(path) and not is_inside(os.path.realpath(path), real_root):
        return f"{OUTSIDE} ({os.readlink(path)!r})"
    if not stat.S_ISREG(mode):
        return f"a {_kind(mode)}, not a regular file"
    return ""


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def folder_links(root: str | Path) -> list[Problem]:
    """Every link to a folder anywhere under ``root`` (hidden folders included), as problems.

    MkDocs lists ``docs_dir`` following folder links before any plugin runs, so one link to a
    parent folder (or to ``/``) makes it walk forever: the build must stop before that.
    """
    problems = []
    real_root = os.path.realpath(root)
    for dirpath, dirnames, _ in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        for name in dirnames:
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                tree = Tree()
                _refuse(tree, prefix + name, folder_link(full, real_root), FOLDER)
                problems += tree.problems
    return problems
