"""Checks across items: duplicate ids and aliases, `related` and links that point at
nothing, categories that categories.yml does not list, links to drafts."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from carebase.content.fields import did_you_mean
from carebase.content.links import CategoryUse, Claim, Ref
from carebase.content.model import Category
from carebase.content.problems import Problem, error, warning


@dataclass(slots=True)
class Tree:
    """What exists under the content root (POSIX paths relative to it)."""

    files: set[str] = field(default_factory=set)
    dirs: set[str] = field(default_factory=set)

    def has_page(self, path: str) -> bool:
        path = path.rstrip("/")
        return (path in self.files or path + ".md" in self.files or path + "/index.md" in self.files
                or path in self.dirs or path == "")


def check_claims(marks: list) -> tuple[list[Problem], set[tuple[str, int]]]:
    """Problems for ids/aliases claimed twice, and the (path, item line) of items to leave out."""
    problems: list[Problem] = []
    dropped: set[tuple[str, int]] = set()
    owners: dict[str, Claim] = {}
    claims = sorted((m for m in marks if isinstance(m, Claim)), key=lambda c: (c.alias, not c.derived, c.path, c.line))
    for claim in claims:
        first = owners.get(claim.target)
        if first is None:
            owners[claim.target] = claim
            continue
        if (first.path, first.item_line) == (claim.path, claim.item_line):
            continue  # an item naming its own id as an alias
        what = "alias" if first.alias else "id"
        message = (f"expected an id no other item uses, found {claim.target!r}, already the {what} of "
                   f"{first.path}:{first.line}")
        problems.append(error(claim.path, claim.line, claim.field, message))
        if not claim.alias:
            dropped.add((claim.path, claim.item_line))
    return problems, dropped


def check_refs(marks: list, known: dict[str, bool], tree: Tree) -> list[Problem]:
    """`related` ids and Markdown links must point at something; ``known``: id → is a draft."""
    problems: list[Problem] = []
    choices = None
    for ref in marks:
        if not isinstance(ref, Ref):
            continue
        report = warning if ref.draft else error
        if ref.kind == "id":
            target = ref.target
            if target in known:
                if known[target] and not ref.draft:
                    problems.append(warning(ref.path, ref.line, ref.field,
                                            f"expected a published item, found {target!r}, a draft (the link will break when published)"))
                continue
            if choices is None:
                choices = list(known)
            problems.append(report(ref.path, ref.line, ref.field,
                                   f"expected the id of an existing item{did_you_mean(target, choices)}, found {target!r}"))
            continue
        path = posixpath.normpath(ref.target)
        if path.startswith("../") or path == "..":
            problems.append(report(ref.path, ref.line, ref.field,
                                   f"expected a link inside the content folder, found {ref.target!r}"))
            continue
        if tree.has_page(path) or (ref.alt and tree.has_page(posixpath.normpath(ref.alt))):
            continue
        hint = did_you_mean(path, tree.files) if path.endswith(".md") else ""
        problems.append(report(ref.path, ref.line, ref.field,
                               f"expected a link to an existing file{hint}, found {path!r} (no such file)"))
    return problems


def check_categories(marks: list, categories: tuple[Category, ...]) -> list[Problem]:
    """With a categories.yml, every category an item names (or its folder implies) must be listed."""
    ids = {c.id for c in categories}
    problems = []
    for use in marks:
        if isinstance(use, CategoryUse) and use.target not in ids:
            source = "" if use.explicit else " (from the folder; set 'category:' or add it to categories.yml)"
            problems.append(error(use.path, use.line, use.field,
                                  f"expected a category from categories.yml{did_you_mean(use.target, ids)}, "
                                  f"found {use.target!r}{source}"))
    return problems
