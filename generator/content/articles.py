"""Articles: Markdown files with YAML front matter."""

from __future__ import annotations

import posixpath
import re

from carebase.content import fields as F
from carebase.content.fences import heading_text, unfenced_lines
from carebase.content.ids import normalise, revision
from carebase.content.links import CategoryUse, Claim, Ref, aliases_of, classify, markdown_links
from carebase.content.model import Article
from carebase.content.problems import Problem, error, warning
from carebase.content.yamlnodes import Source, compose

_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_SPEC = {**F.ARTICLE, "title": F.Spec(F.TEXT)}  # a '# Heading' may stand in for the title


def split_front_matter(text: str, rel: str, problems: list[Problem]) -> tuple[str | None, str, int]:
    """(front matter YAML or None, body, 1-based line where the body starts)."""
    if not (text.startswith("---\n") or text.rstrip("\n") == "---"):
        return None, text, 1
    match = _CLOSE.search(text, 4)
    if match is None:
        problems.append(error(rel, 1, "", "expected front matter closed by a line '---', found no closing line"))
        return None, text, 1
    yaml_text = text[4:match.start()]
    body_start = match.end() + 1
    body_line = text.count("\n", 0, min(body_start, len(text))) + 1
    return yaml_text, text[body_start:], body_line


def load_article(rel: str, text: str, raw: bytes, problems: list[Problem], refs: list[Ref]) -> Article | None:
    """One article; None when it cannot be published (no title, unreadable front matter)."""
    before = len(problems)
    yaml_text, body, body_line = split_front_matter(text, rel, problems)
    if len(problems) > before:
        return None  # front matter never closed: the whole file would be read as YAML
    src = Source(rel, offset=1)
    values: F.Fields | None = F.Fields(body_line)
    if yaml_text is not None and yaml_text.strip():
        node, parse_problems = compose(yaml_text, src)
        problems.extend(parse_problems)
        if parse_problems:
            return None
        values = F.read_mapping(node, _SPEC, src, "", problems, "front matter fields (title: …)")
        if values is None:
            return None
    title = values.get("title") or _h1(body)
    if not title and "title" in values.nodes:
        return None  # a title of the wrong type: already reported
    if not title:
        problems.append(error(rel, values.line if yaml_text and yaml_text.strip() else 1, "title",
                              "expected text (a 'title:' in front matter or a '# Heading'), found nothing"))
        return None
    item_id = _own_id(rel, values, src, problems)
    draft = bool(values.get("draft", False))
    base = posixpath.dirname(rel)
    _collect_refs(rel, values, body, body_line, base, draft, refs)
    explicit = item_id != "article:" + rel[:-3]
    id_node = values.nodes.get("id") if explicit else None
    refs.append(Claim(rel, src.line(id_node) if id_node is not None else values.line, "id", item_id, values.line,
                      derived=not explicit))
    category = values.get("category") or _first_folder(rel)
    if category:
        cat_node = values.nodes.get("category") if values.get("category") else None
        refs.append(CategoryUse(rel, src.line(cat_node) if cat_node is not None else values.line, "category",
                                category, cat_node is not None))
    elif rel != "index.md":
        problems.append(warning(rel, values.line, "category",
                                "expected a category (move the file into a category folder such as billing/, "
                                "or add 'category: billing'), found none: the article is on no category page "
                                "and in no navigation"))
    F.check_review_by(values, src, "", problems)
    _check_controls(rel, body, body_line, problems)
    return Article(
        id=item_id, path=rel, title=title, body=body, body_line=body_line,
        summary=values.get("summary", ""), category=category,
        tags=values.get("tags", ()), keywords=values.get("keywords", ()),
        aliases=aliases_of(values, src, problems, refs, "article"), owner=values.get("owner", ""),
        review_by=values.get("review_by"), related=values.get("related", ()), draft=draft,
        feedback=values.get("feedback", True), revision=revision(raw), line=values.line,
        **F.source_revision(values, src),
    )


def _check_controls(rel: str, body: str, body_line: int, problems: list[Problem]) -> None:
    """A control character in the text (pasted from a terminal, say) is invisible on the page."""
    found = F.CONTROLS.search(body)
    if found:
        line = body_line + body.count("\n", 0, found.start())
        problems.append(warning(rel, line, "body", f"expected text, found the control character "
                                                   f"U+{ord(found.group()):04X} (remove it)"))


def _h1(body: str) -> str:
    """The first '# Heading' outside code (linear in the body, however its lines look)."""
    for _, line in unfenced_lines(body):
        if line is not None and line.startswith("#") and not line.startswith("##"):
            text = heading_text(line)
            if text:
                return text
    return ""


def _first_folder(rel: str) -> str:
    return rel.split("/", 1)[0] if "/" in rel else ""


def _own_id(rel: str, values: F.Fields, src: Source, problems: list[Problem]) -> str:
    default = "article:" + rel[:-3]
    given = values.get("id")
    if not given:
        return default
    item_id, complaint = normalise(given, "article")
    if complaint:
        problems.append(error(rel, src.line(values.nodes["id"]), "id", complaint))
        return default
    return item_id


def _collect_refs(rel, values, body, body_line, base, draft, refs):
    src = Source(rel, offset=1)
    for line, i, target in F.entries(values, "related", src):
        refs.append(Ref(rel, line, f"related[{i}]", target, "id", draft))
    for line, target in markdown_links(body, body_line):
        kind = classify(target, base, rel)
        if kind:
            refs.append(Ref(rel, line, "body", kind[1], kind[0], draft, anchor=kind[2], written=target.strip()))
