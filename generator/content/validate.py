"""Checks across items: duplicate ids and aliases, `related` and links that point at
nothing, categories that categories.yml does not list, links to drafts."""

from __future__ import annotations

import posixpath

from carebase.content.fields import Suggester, did_you_mean
from carebase.content.links import CategoryUse, Claim, Ref
from carebase.content.model import Category
from carebase.content.problems import Problem, error, warning
from carebase.content.tree import Tree


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


def check_refs(marks: list, known: dict[str, bool], tree: Tree, anchors=None,
               unloaded: dict[str, Problem] | None = None) -> list[Problem]:
    """`related` ids and Markdown links must point at something; ``known``: id → is a draft.

    ``anchors(path)`` gives the anchors of the page at ``path`` (None: unknown, not checked);
    a link to a missing anchor is a warning. ``unloaded``: the id a file's path gives it →
    the first error that kept that file from loading; an id naming one says so, so the writer
    fixes that file instead of looking for a mistyped id.
    """
    unloaded = unloaded or {}
    problems: list[Problem] = []
    suggest_id = Suggester(known)
    suggest_file = Suggester(tree.files)
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
            cause = unloaded.get(target) or unloaded.get(target.partition("#")[0])
            if cause is not None:
                where = f"{cause.path}:{cause.line}" if cause.line else cause.path
                whose = "entry" if target in unloaded and "#" in target else "file"  # one FAQ question's, or a file's
                problems.append(report(ref.path, ref.line, ref.field,
                                       f"expected the id of an existing item, found {target!r}, whose {whose} has an "
                                       f"error that leaves it out ({where}): fix that error first"))
                continue
            problems.append(report(ref.path, ref.line, ref.field,
                                   f"expected the id of an existing item{suggest_id(target)}, found {target!r}"))
            continue
        path = posixpath.normpath(ref.target)
        if path.startswith("../") or path == "..":
            problems.append(report(ref.path, ref.line, ref.field,
                                   f"expected a link inside the content folder, found {ref.target!r}"))
            continue
        if path.endswith((".yml", ".yaml")):
            problems.append(report(ref.path, ref.line, ref.field, _yaml_link(path, ref)))
            continue
        found = path if tree.has_page(path) else None
        if found is None and ref.alt and tree.has_page(posixpath.normpath(ref.alt)):
            found = posixpath.normpath(ref.alt)
        if found is not None:
            if ref.anchor and anchors is not None:
                problems.extend(_check_anchor(ref, found, anchors(found)))
            continue
        why = tree.why_refused(path) or (tree.why_refused(posixpath.normpath(ref.alt)) if ref.alt else "")
        if why:
            problems.append(report(ref.path, ref.line, ref.field,
                                   f"expected a link to a file inside the content folder, found {path!r}, {why} "
                                   "(not published)"))
            continue
        # the link as the writer wrote it, from the linking file's folder, and the file to link to
        # the same way (a suggestion from the content folder, followed in billing/a.md, broke again)
        base = posixpath.dirname(ref.path) or "."
        written = posixpath.relpath(path, base)
        close = suggest_file.closest(path) if path.endswith(".md") else None
        hint = f" (did you mean {posixpath.relpath(close, base)!r}?)" if close else ""
        where = "" if written == path else f": {path} in the content folder"
        problems.append(report(ref.path, ref.line, ref.field,
                               f"expected a link to an existing file{hint}, found {written!r} (no such file{where})"))
    return problems


def _yaml_link(path: str, ref: Ref) -> str:
    """YAML sources are never published: point at the page carebase makes from them."""
    top, _, name = path.partition("/")
    if top in ("faq", "videos") and "/" not in name:
        page = f"{top}/{name.rsplit('.', 1)[0]}/"
        base = posixpath.dirname(ref.path)
        suggestion = posixpath.relpath(page, base) + "/" if base else page
        return (f"expected a link to the page '{suggestion}' (YAML sources are not published), "
                f"found {path!r}")
    return f"expected a link to a published page, found {path!r} (YAML sources are not published)"


def _check_anchor(ref: Ref, page: str, known: set[str] | None) -> list[Problem]:
    if known is None or ref.anchor in known:
        return []
    hint = did_you_mean(ref.anchor, known)
    where = "this page" if page == ref.path else page
    return [warning(ref.path, ref.line, ref.field,
                    f"expected an anchor that exists on {where}{hint}, found '#{ref.anchor}'")]


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
