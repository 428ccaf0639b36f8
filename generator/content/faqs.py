"""FAQ files: ``faq/<slug>.yml``, a titled group with a list of questions."""

from __future__ import annotations

import posixpath

from yaml.nodes import Node, ScalarNode, SequenceNode

from carebase.content import fields as F
from carebase.content.ids import ANCHOR_SHAPE, normalise, revision, slugify
from carebase.content.links import CategoryUse, Claim, LeftOut, Ref, classify, markdown_links
from carebase.content.model import FaqGroup, FaqQuestion
from carebase.content.problems import Problem, error
from carebase.content.yamlnodes import Source, describe


def group_slug(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0]


def load_faq(rel: str, text: str, problems: list[Problem], refs: list[Ref]) -> FaqGroup | None:
    src, values = F.read_document(rel, text, F.FAQ_GROUP, problems, "a FAQ group (title: …, questions: …)")
    if values is None:
        return None
    F.check_review_by(values, src, "", problems)
    slug = group_slug(rel)
    group_id = f"faq:{slug}"
    category = values.get("category", "")
    if category:
        refs.append(CategoryUse(rel, src.line(values.nodes["category"]), "category", category))
    lines = text.split("\n")
    questions = []
    qnode = values.get("questions")
    if qnode is not None and not isinstance(qnode, SequenceNode):
        problems.append(error(rel, src.line(qnode), "questions", f"expected a list of questions, found {describe(qnode)}"))
    elif qnode is not None:
        for i, child in enumerate(qnode.value):
            question = _question(child, i, group_id, category, src, lines, problems, refs)
            if question is not None:
                questions.append(question)
    return FaqGroup(
        id=group_id, path=rel, title=values.get("title"), questions=tuple(questions),
        summary=values.get("summary", ""), category=category, owner=values.get("owner", ""),
        review_by=values.get("review_by"), line=values.line,
    )


def _question(node: Node, i: int, group_id: str, category: str, src: Source, lines: list[str],
              problems: list[Problem], refs: list[Ref]) -> FaqQuestion | None:
    prefix = f"questions[{i}]"
    values = F.read_mapping(node, F.FAQ_QUESTION, src, prefix, problems, "a question (question: …, answer: …)")
    if values is None or not values.get("question") or not values.get("answer"):
        if values is not None and (values.get("question") or values.get("id")):
            refs.append(LeftOut(src.path, values.line, prefix, f"{group_id}#{_anchor(values, group_id, src, prefix, [])}"))
        return None
    anchor = _anchor(values, group_id, src, prefix, problems)
    item_id = f"{group_id}#{anchor}"
    given = values.get("id")
    if isinstance(given, str) and given and slugify(given.removeprefix(group_id + "#")) != anchor:
        # an id that is no anchor (`id: reset password`): a reference written with it names the
        # id's error, not the question-made id the loader fell back on (session 46's audit A4)
        refs.append(LeftOut(src.path, values.line, prefix, f"{group_id}#{slugify(given.removeprefix(group_id + '#'))}"))
    answer = values.get("answer")
    _collect_refs(values, answer, src, prefix, refs)
    id_node = values.nodes.get("id") or values.nodes["question"]
    refs.append(Claim(src.path, src.line(id_node), f"{prefix}.id" if "id" in values.nodes else f"{prefix}.question",
                      item_id, values.line))
    first, last = node.start_mark.line, max(node.end_mark.line, node.start_mark.line + 1)
    return FaqQuestion(
        id=item_id, group_id=group_id, anchor=anchor, question=values.get("question"), answer=answer,
        path=src.path, line=values.line, tags=values.get("tags", ()), keywords=values.get("keywords", ()),
        related=values.get("related", ()), aliases=_aliases(values, group_id, src, prefix, problems, refs),
        revision=revision("\n".join(lines[first:last])), category=category, **F.source_revision(values, src),
    )


def _anchor(values: F.Fields, group_id: str, src: Source, prefix: str, problems: list[Problem]) -> str:
    given = values.get("id")
    default = slugify(values.get("question"), "question")
    if not given:
        return default
    if given.startswith(group_id + "#"):
        given = given[len(group_id) + 1:]
    if ANCHOR_SHAPE.match(given):
        return given
    problems.append(error(src.path, src.line(values.nodes["id"]), f"{prefix}.id",
                          f"expected an anchor of lower-case letters, digits, '-' and '_' "
                          f"(e.g. {slugify(given)!r}), found {given!r}"))
    return default


def _aliases(values, group_id, src, prefix, problems, refs) -> tuple[str, ...]:
    out = []
    for line, i, alias in F.entries(values, "aliases", src):
        if ":" in alias and not alias.startswith("faq:"):
            _, complaint = normalise(alias, "faq")
            problems.append(error(src.path, line, f"{prefix}.aliases[{i}]", complaint))
            continue
        item_id = alias if alias.startswith("faq:") else f"{group_id}#{alias.lstrip('#')}"  # an old anchor
        out.append(item_id)
        refs.append(Claim(src.path, line, f"{prefix}.aliases[{i}]", item_id, values.line, alias=True))
    return tuple(out)


def _collect_refs(values, answer, src, prefix, refs):
    for line, i, target in F.entries(values, "related", src):
        refs.append(Ref(src.path, line, f"{prefix}.related[{i}]", target, "id"))
    node = values.nodes["answer"]
    block = isinstance(node, ScalarNode) and node.style in ("|", ">")
    first = src.line(node) + (1 if block else 0)
    for line, target in markdown_links(answer, first):
        page = "faq/" + src.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]  # the generated FAQ page
        kind = classify(target, posixpath.dirname(src.path), page)
        if kind:  # read from the FAQ file's folder, as the page renders it (carebase.pages.markup)
            refs.append(Ref(src.path, line if block else src.line(node), f"{prefix}.answer", kind[1], kind[0],
                            anchor=kind[2], written=target.strip()))
