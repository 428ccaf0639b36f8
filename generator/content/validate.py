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
        path = "" if path == "." else path  # the site's home: `/`, `../` from billing/
        written = ref.written or ref.target  # quoted as the writer wrote it (reader 46, R8)
        if path.startswith("../") or path == "..":
            problems.append(report(ref.path, ref.line, ref.field,
                                   f"expected a link inside the content folder, found {written!r}"))
            continue
        base = posixpath.dirname(ref.path)
        if path.endswith((".yml", ".yaml")):
            problems.append(report(ref.path, ref.line, ref.field, _yaml_link(path, written, base)))
            continue
        if tree.has_page(path):
            if ref.anchor and anchors is not None:
                problems.extend(_check_anchor(ref, path, anchors(path)))
            continue
        why = tree.why_refused(path)
        if why:
            problems.append(report(ref.path, ref.line, ref.field,
                                   f"expected a link to a file inside the content folder, found {written!r} "
                                   f"({path}: {why}; not published)"))
            continue
        rooted = _from_root(written, base)
        if rooted is not None and tree.has_page(rooted):
            problems.append(report(ref.path, ref.line, ref.field, _read_from_folder(written, path, rooted, base)
                                   + (_ONCE_ACCEPTED if ref.field.endswith(".answer") else "")))
            continue
        close = suggest_file.closest(path) if path.endswith(".md") else None
        if close and _yaml_page(close):  # faq/billing.md: the page made from faq/billing.yml, by its address
            close = _yaml_page(close)
        hint = f" (did you mean {_as_written(close, written, base)!r}?)" if close else ""
        problems.append(report(ref.path, ref.line, ref.field,
                               f"expected a link to an existing file{hint}, found {written!r} "
                               f"(no such file: {path} in the content folder)"))
    return problems


def _path_of(written: str) -> tuple[str, str]:
    """(the path part of a written link, its ``#fragment`` with the ``#``, or "")."""
    from urllib.parse import unquote

    rest, hash_, fragment = written.partition("#")
    return unquote(rest.split("?", 1)[0]), hash_ + fragment


def _as_written(target: str, written: str, base: str) -> str:
    """``target`` (a path from the content folder) in the form the writer wrote ``written``:
    from the content root (``/billing/refunds.md``) or from the linking file's folder
    (``../billing/refunds.md``), a folder-style page with its slash, the fragment kept."""
    path, fragment = _path_of(written)
    folder = posixpath.dirname(path.rstrip("/"))
    if written.startswith("/"):
        out = "/" + target
    elif folder and posixpath.normpath(posixpath.join(base, folder)) == posixpath.dirname(target):
        out = f"{folder}/{posixpath.basename(target)}"  # the writer's own way there (../billing/…)
    else:
        out = posixpath.relpath(target, base or ".")
    if (path.endswith("/") or target.endswith("/")) and not out.endswith("/"):
        out += "/"
    return out + fragment


def _from_root(written: str, base: str) -> str | None:
    """The path a relative link in a subfolder's file names when read from the content folder
    instead (``faq/billing.yml`` in billing/a.md: what its writer likely meant); None when
    that reading is the same or leaves the folder."""
    path, _ = _path_of(written)
    if not base or not path or written.startswith("/"):
        return None
    rooted = posixpath.normpath(path)
    return None if rooted.startswith("../") or rooted == ".." else rooted


#: an FAQ answer's link read from the content folder: what changed (ccb75263) and what it costs
#: until fixed, said where a writer who upgraded meets it (reader 47, R13)
_ONCE_ACCEPTED = (". Changed on 7 December 2026: carebase check used to accept this link (reading it from the "
                  "content folder) while the FAQ page linked to an address that does not exist; now it is an "
                  "error, and the question is left out of the site until the link is fixed")


def _read_from_folder(written: str, path: str, rooted: str, base: str) -> str:
    """A link written from the content folder, in a file of a subfolder: MkDocs (and the FAQ
    pages) read a link from its file's folder, so on the site it leads nowhere."""
    return (f"expected a link from this file's folder ({base}/), as MkDocs reads links, found {written!r} "
            f"(no such file: {path}); to link to {rooted} write {_as_written(rooted, written, base)!r}")


def _yaml_link(path: str, written: str, base: str) -> str:
    """YAML sources are never published: point at the page carebase makes from them, linked
    in the form the writer used."""
    page, note = _yaml_page(path), ""
    rooted = _from_root(written, base)
    if page is None and rooted is not None and _yaml_page(rooted):
        page, note = _yaml_page(rooted), f"; a link is read from this file's folder, {base}/, as MkDocs reads links"
    if page is not None:
        _, fragment = _path_of(written)
        suggestion = ("/" + page if written.startswith("/") else (posixpath.relpath(page, base) + "/" if base else page))
        return (f"expected a link to the page '{suggestion}{fragment}' (YAML sources are not published{note}), "
                f"found {written!r}")
    return f"expected a link to a published page, found {written!r} (YAML sources are not published)"


def _yaml_page(path: str) -> str | None:
    """``faq/billing.yml`` → ``faq/billing/``: the page carebase makes from a FAQ or video file."""
    top, _, name = path.partition("/")
    if top in ("faq", "videos") and name and "/" not in name:
        return f"{top}/{name.rsplit('.', 1)[0]}/"
    return None


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
