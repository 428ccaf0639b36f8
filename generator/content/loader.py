"""``load_catalogue(root)``: every content file under a root → a Catalogue (never raises).

The catalogue is the default language's: translations (``refunds.de.md`` beside
``refunds.md``, see ``carebase.content.languages``) are left to
``carebase.content.translations.load_languages``, which loads them with the same pieces
(``scan_content``, ``load_files``, ``assemble``)."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from carebase.content.anchors import heading_anchors
from dataclasses import replace

from carebase.content.articles import load_article
from carebase.content.faqs import group_slug, load_faq
from carebase.content.languages import translation_of
from carebase.content.limits import DEFAULTS, Limit, show, size_problem
from carebase.content.links import Claim, LeftOut
from carebase.content.model import Article, Catalogue, Category, FaqGroup, Video
from carebase.content.problems import Problem, error, warning
from carebase.content.sourcefile import read_text
from carebase.content.taxonomy import load_categories, load_synonyms
from carebase.content.tree import Tree, rescan_files, scan
from carebase.content.validate import check_categories, check_claims, check_refs
from carebase.content.videos import load_video

GENERATED = ("faq", "videos")  # folders whose pages carebase generates from YAML
YAML = (".yml", ".yaml")


def load_catalogue(root: str | Path, limits: dict[str, Limit] | None = None) -> Catalogue:
    """Load and validate everything under ``root``; problems are data, never exceptions.
    ``limits``: file size limits per kind (default ``carebase.content.limits.DEFAULTS``)."""
    root = Path(root)
    if not root.is_dir():
        return Catalogue(str(root), problems=(error(str(root), 0, "", "expected a content folder, found nothing there"),))
    try:
        return _load(root, limits or DEFAULTS)
    except Exception as exc:  # a bug in carebase must not read as a writer's mistake, nor crash
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return Catalogue(str(root), problems=(error("", 0, "", f"expected to load the content, found an internal error "
                                                             f"({type(exc).__name__}: {exc} at {where.filename}:{where.lineno}); "
                                                             "please report it"),))


class _Loaded:
    """What the per-file loaders produce, gathered before the cross-item checks."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.marks: list = []  # Ref / Claim / CategoryUse found while loading
        self.articles: list[Article] = []
        self.faqs: list[FaqGroup] = []
        self.videos: list[Video] = []
        self.categories: tuple[Category, ...] = ()
        self.synonyms: tuple[tuple[str, ...], ...] = ()


def _load_file(root: Path, rel: str, tree: Tree, out: _Loaded, kind_rel: str = "") -> None:
    """Load one file; ``kind_rel``: the name that decides what it is (a translation's source)."""
    top, _, rest = (kind_rel or rel).partition("/")
    name = kind_rel or rel
    if name.endswith(".md"):
        if top in GENERATED and rest:
            out.problems.append(warning(rel, 0, "", f"expected YAML files in {top}/ (carebase generates its pages), "
                                                    "found a Markdown file; it is not loaded"))
            return
        kind = "article"
    elif name.endswith(YAML) and top in GENERATED and rest and "/" not in rest:
        kind = top
    elif name in ("categories.yml", "synonyms.yml"):
        kind = name
    else:
        return  # images, transcripts, other files: only looked up by the items that use them
    unsafe = _unsafe_name(rel)
    if unsafe:
        out.problems.append(error(rel, 0, "", f"expected a file name without {unsafe}, found {rel!r} (it becomes the "
                                              "page's URL: rename the file)"))
        return
    text, raw, file_problems = read_text(root / rel, rel)
    out.problems.extend(file_problems)
    if text is None:
        return
    if kind == "article":
        _append(out.articles, load_article(rel, text, raw, out.problems, out.marks))
    elif kind == "faq":
        group = load_faq(rel, text, out.problems, out.marks)
        if group is not None:
            out.marks.append(Claim(rel, group.line, "", group.id, group.line, derived=True))
            out.faqs.append(group)
    elif kind == "videos":
        _append(out.videos, load_video(rel, text, raw, root, tree, out.problems, out.marks))
    elif kind == "categories.yml":
        out.categories = load_categories(rel, text, out.problems)
    else:
        out.synonyms = load_synonyms(rel, text, out.problems)


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f:?#%\"<>\\]")


def _unsafe_name(rel: str) -> str:
    """How an item's path could not be a safe URL ('javascript:x.md' would link to a script)."""
    found = _UNSAFE_NAME.search(rel)
    if found is None:
        return ""
    char = found.group()
    return f"U+{ord(char):04X}" if char < " " or "\x7f" <= char <= "\x9f" else repr(char)


def _append(items: list, item) -> None:
    if item is not None:
        items.append(item)


def _kind(rel: str) -> str:
    top, _, rest = rel.partition("/")
    if rel.endswith(".md"):
        return "article"
    if rel.endswith(YAML) and top in GENERATED and rest and "/" not in rest:
        return "faq" if top == "faq" else "video"
    return "transcript" if rel.lower().endswith((".vtt", ".srt")) else ""


def _check_sizes(tree: Tree, limits: dict[str, Limit], problems: list[Problem]) -> None:
    """Files over their error limit are refused before anything reads them."""
    for rel in sorted(tree.files):
        kind = _kind(rel)
        problem = size_problem(rel, kind, tree.sizes.get(rel, 0), limits) if kind else None
        if problem is not None:
            problems.append(problem)
            if problem.is_error:
                tree.files.discard(rel)
                tree.refused[rel] = f"a file over the size limit ({show(tree.sizes[rel])})"


def scan_content(root: Path, limits: dict[str, Limit]) -> tuple[Tree, list[Problem]]:
    """What is under the root, with the files over their size limit taken out (and reported)."""
    tree = scan(root)
    problems = list(tree.problems)
    _check_sizes(tree, limits, problems)
    return tree, problems


def source_files(tree: Tree) -> list[str]:
    """The default language's files: every file but the translations."""
    return [rel for rel in sorted(tree.files) if not translation_of(rel, tree.files)[1]]


def load_files(root: Path, rels, tree: Tree, kind_of=None) -> _Loaded:
    """Load these files (``kind_of(rel)``: the name that decides a file's kind, a translation's
    source); problems of the files are gathered, never raised."""
    out = _Loaded()
    for rel in rels:
        try:
            _load_file(root, rel, tree, out, kind_of(rel) if kind_of else "")
        except Exception as exc:  # a carebase bug: name the file, keep loading the others
            where = traceback.extract_tb(exc.__traceback__)[-1]
            out.problems.append(error(rel, 0, "", f"expected to load this file, found an internal error "
                                                  f"({type(exc).__name__}: {exc} at {Path(where.filename).name}:"
                                                  f"{where.lineno}); please report it"))
    return out


def _load(root: Path, limits: dict[str, Limit]) -> Catalogue:
    tree, problems = scan_content(root, limits)
    out = load_files(root, source_files(tree), tree)
    out.problems[:0] = problems
    return assemble(root, out, tree)


def assemble(root: Path, out: _Loaded, tree: Tree) -> Catalogue:
    """The catalogue of the loaded files, after the checks across them (ids claimed twice,
    categories, references)."""
    problems, marks = out.problems, out.marks
    articles, faqs, videos = out.articles, out.faqs, out.videos
    categories, synonyms = out.categories, out.synonyms
    claim_problems, dropped = check_claims(marks)
    problems.extend(claim_problems)
    if dropped:
        articles = [a for a in articles if (a.path, a.line) not in dropped]
        videos = [v for v in videos if (v.path, v.line) not in dropped]
        faqs = [_without(g, dropped) for g in faqs if (g.path, g.line) not in dropped]
    known = _known_ids(articles, faqs, videos)
    if "categories.yml" in tree.files:
        problems.extend(check_categories(marks, categories))
    else:
        categories = _derived_categories(articles, faqs, videos)
    _mark_generated(tree, faqs, videos, categories)
    problems.extend(check_refs(marks, known, tree, _anchor_lookup(articles, faqs, videos),
                               _unloaded(problems, known, marks)))
    return Catalogue(str(root), tuple(articles), tuple(faqs), tuple(videos), categories, synonyms,
                     tuple(sorted(set(problems), key=_order)), _left_out(problems, marks, articles, faqs, videos))


def _mark_generated(tree: Tree, faqs, videos, categories) -> None:
    """The pages carebase makes, which Markdown links may point at."""
    tree.generated = {"faq", "videos", "search"} | {g.url.rstrip("/") for g in faqs} | {
        v.url.rstrip("/") for v in videos} | {c.id for c in categories}


def content_tree(root: str | Path, catalogue: Catalogue, limits: dict[str, Limit] | None = None) -> Tree:
    """What is under ``root`` as ``load_catalogue`` saw it (with the pages ``catalogue`` makes),
    for ``reload_items``."""
    tree, _ = scan_content(Path(root), limits or DEFAULTS)
    _mark_generated(tree, catalogue.faqs, catalogue.videos, catalogue.categories)
    return tree


def update_tree(tree: Tree, root: str | Path, added: list[str], removed: list[str],
                limits: dict[str, Limit] | None = None) -> bool:
    """``tree`` (``content_tree``) with the files ``added`` under ``root`` and without the
    ``removed`` ones, as ``content_tree`` would give it now; False, with ``tree`` unchanged,
    when only a new ``content_tree`` can say (a new file over its size limit, refused, …)."""
    for rel in added:
        try:
            size = (Path(root) / rel).stat().st_size
        except OSError:
            return False
        if size_problem(rel, _kind(rel), size, limits or DEFAULTS) is not None:
            return False
    return rescan_files(tree, Path(root), added, removed)


def reload_items(root: str | Path, rels, catalogue: Catalogue, tree: Tree,
                 limits: dict[str, Limit] | None = None) -> tuple[list[Article], list[FaqGroup], list[Video],
                                                                   list[Problem]]:
    """Articles, FAQ files and videos of ``catalogue`` read again from their files (a writer saved
    them), checked as ``load_catalogue`` checks them: the file's own fields, its size, its
    ``related`` ids and links against the rest of ``catalogue`` and ``tree``
    (``content_tree``). Links from other items into them are not checked again here."""
    root = Path(root)
    problems: list[Problem] = []
    for rel in rels:
        problem = size_problem(rel, _kind(rel), (root / rel).stat().st_size, limits or DEFAULTS)
        if problem is not None:
            problems.append(problem)
    out = load_files(root, rels, tree)
    problems.extend(out.problems)
    fresh = {a.path: a for a in out.articles}
    groups = {g.path: g for g in out.faqs}
    articles = [fresh.get(a.path, a) for a in catalogue.articles]
    faqs = [groups.get(g.path, g) for g in catalogue.faqs]
    shown = {v.path: v for v in out.videos}
    videos = [shown.get(v.path, v) for v in catalogue.videos]
    known = _known_ids(articles, faqs, videos)
    problems.extend(check_refs(out.marks, known, tree, _anchor_lookup(articles, faqs, videos)))
    return list(out.articles), list(out.faqs), list(out.videos), problems


def _left_out(problems, marks, articles, faqs, videos) -> frozenset[str]:
    """Ids of the items an error concerns: an article or video with an error anywhere in its
    file; a FAQ question with an error in its entry (``questions[2]…``); a whole FAQ group
    with an error outside its questions. They are loaded (and checked) but never published."""
    items = {i.path: i.id for i in (*articles, *videos)}
    groups = {g.path: g.id for g in faqs}
    slots = {(m.path, m.field.split(".")[0]): m.target for m in marks
             if isinstance(m, Claim) and not m.alias and m.field.startswith("questions[")}
    out = set()
    for problem in problems:
        if not problem.is_error:
            continue
        if problem.path in items:
            out.add(items[problem.path])
        elif problem.path in groups:
            slot = (problem.path, problem.field.split(".")[0])
            if not slot[1].startswith("questions["):
                out.add(groups[problem.path])
            elif slot in slots:
                out.add(slots[slot])  # (a question that did not load at all is not in the group)
    return frozenset(out)


def _unloaded(problems: list[Problem], known: dict[str, bool], marks=()) -> dict[str, Problem]:
    """The id an article, FAQ file or video gets from its path (``article:billing/refunds``,
    ``faq:billing``, ``video:setup``) → the first error of that file, for each such file an
    error kept from loading (invalid YAML, a video without a title, …); and a FAQ question's id
    → the first error of its entry, for each question such an error kept out (``LeftOut``)."""
    first: dict[str, Problem] = {}
    errors = sorted((p for p in problems if p.is_error), key=_order)
    for mark in marks:
        if isinstance(mark, LeftOut) and mark.target not in known:
            cause = next((p for p in errors if p.path == mark.path and p.field.startswith(mark.field)), None)
            if cause is not None:
                first.setdefault(mark.target, cause)
    for problem in errors:
        kind = _kind(problem.path)
        if kind == "article":
            item = "article:" + problem.path[:-3]
        elif kind in ("faq", "video"):
            item = f"{kind}:{group_slug(problem.path)}"
        else:
            continue
        if item not in known:
            first.setdefault(item, problem)
    return first


def _order(p: Problem):
    return (p.path, p.line, p.column, p.field, p.message)


def _without(group: FaqGroup, dropped: set) -> FaqGroup:
    kept = tuple(q for q in group.questions if (q.path, q.line) not in dropped)
    if len(kept) == len(group.questions):
        return group
    return replace(group, questions=kept)


def _known_ids(articles, faqs, videos) -> dict[str, bool]:
    """Every id and alias that a reference may name → whether it is a draft."""
    known: dict[str, bool] = {}
    for article in articles:
        known[article.id] = article.draft
        for alias in article.aliases:
            known.setdefault(alias, article.draft)
    for group in faqs:
        known[group.id] = False
        for q in group.questions:
            known[q.id] = False
            for alias in q.aliases:
                known.setdefault(alias, False)
    for video in videos:
        known[video.id] = False
        for alias in video.aliases:
            known.setdefault(alias, False)
    return known


def _derived_categories(articles, faqs, videos) -> tuple[Category, ...]:
    """Without categories.yml, the categories are the ones items name (title from the slug)."""
    slugs = sorted({i.category for i in (*articles, *faqs, *videos) if i.category})
    return tuple(Category(s, s.replace("-", " ").replace("_", " ").capitalize(), order=n, path="")
                 for n, s in enumerate(slugs))


def _anchor_lookup(articles, faqs, videos):
    """path → the anchors of that page (articles: headings; FAQ pages: questions); None if unknown."""
    pages = {a.path: a for a in articles}
    faq_pages = {g.url.rstrip("/"): {q.anchor for q in g.questions} for g in faqs}
    cache: dict[str, set[str]] = {}

    def anchors(path: str) -> set[str] | None:
        path = path.rstrip("/")
        for candidate in (path, path + ".md", path + "/index.md"):
            article = pages.get(candidate)
            if article is not None:
                if candidate not in cache:
                    cache[candidate] = heading_anchors(article.body) | {"__top"}
                return cache[candidate]
        return faq_pages.get(path)

    return anchors
