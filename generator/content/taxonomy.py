"""``categories.yml`` and ``synonyms.yml``: both optional."""

from __future__ import annotations

from yaml.nodes import SequenceNode

from carebase.content import fields as F
from carebase.content.ids import slugify
from carebase.content.model import Category
from carebase.content.problems import Problem, error, warning
from carebase.content.yamlnodes import Source, as_text, compose, describe, is_null


def _top_list(rel: str, text: str, problems: list[Problem], expected: str) -> tuple[Source, list]:
    """Parse a top-level YAML list; report a parse error or a non-list once, naming the
    file and line, and give back its entries (none when the file is empty or broken)."""
    src = Source(rel)
    node, parse_problems = compose(text, src)
    problems.extend(parse_problems)
    if parse_problems or is_null(node):
        return src, []
    if not isinstance(node, SequenceNode):
        problems.append(error(rel, src.line(node), "", f"expected {expected}, found {describe(node)}"))
        return src, []
    return src, node.value


def load_categories(rel: str, text: str, problems: list[Problem]) -> tuple[Category, ...]:
    src, entries = _top_list(rel, text, problems, "a list of categories (- id: …, title: …)")
    out: list[Category] = []
    seen: dict[str, int] = {}
    for i, child in enumerate(entries):
        name = f"[{i}]"
        values = F.read_mapping(child, F.CATEGORY, src, name, problems, "a category (id: …, title: …)")
        if values is None or not values.get("id") or not values.get("title"):
            continue
        slug = values.get("id")
        line = src.line(values.nodes["id"])
        if slugify(slug) != slug:
            problems.append(error(rel, line, f"{name}.id", f"expected a slug like {slugify(slug)!r} (used in URLs), found {slug!r}"))
            continue
        if slug in seen:
            problems.append(error(rel, line, f"{name}.id", f"expected a unique category id, found {slug!r} again (first on line {seen[slug]})"))
            continue
        seen[slug] = line
        out.append(Category(slug, values.get("title"), values.get("description", ""), values.get("icon", ""),
                            values.get("order", i), rel, values.line, values.get("owner", "")))
    return tuple(sorted(out, key=lambda c: (c.order, c.title)))


def load_synonyms(rel: str, text: str, problems: list[Problem]) -> tuple[tuple[str, ...], ...]:
    src, entries = _top_list(rel, text, problems, "a list of groups (- [refund, money back])")
    groups = []
    first_seen: dict[str, int] = {}
    for i, child in enumerate(entries):
        name = f"[{i}]"
        if not isinstance(child, SequenceNode):
            problems.append(error(rel, src.line(child), name, f"expected a list of words and phrases, found {describe(child)}"))
            continue
        words = []
        for j, entry in enumerate(child.value):
            word = as_text(entry)
            if word is None or not word.strip():
                problems.append(error(rel, src.line(entry), f"{name}[{j}]", f"expected a word or phrase, found {describe(entry)}"))
                continue
            word = " ".join(word.lower().split())
            if word in first_seen:
                problems.append(warning(rel, src.line(entry), f"{name}[{j}]",
                                        f"expected each word in one group, found {word!r} again (first on line {first_seen[word]})"))
                continue
            first_seen[word] = src.line(entry)
            words.append(word)
        if len(words) < 2:
            problems.append(warning(rel, src.line(child), name, f"expected at least two words in a group, found {len(words)}"))
        if len(words) >= 2:
            groups.append(tuple(words))
    return tuple(groups)
