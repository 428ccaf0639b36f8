"""Byte-preserving edits for ``carebase translate``: a translation's first copy, and its
``source_revision`` recorded when it is done.

Only the ``source_revision:`` (and, in a new FAQ translation, ``id:``) lines are written or
replaced; every other byte of the file stays as it was. Each result is parsed again and
refused (ValueError naming the file) when it does not hold what was meant.
"""

from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_FRONT = re.compile(r"\A---\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def _pairs(node: MappingNode) -> dict[str, tuple[Node, Node]]:
    return {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}


def _line_after(text: str, line: int) -> int:
    """Offset of the start of the line after 0-based ``line``."""
    offset = 0
    for _ in range(line + 1):
        nxt = text.find("\n", offset)
        if nxt < 0:
            return len(text)
        offset = nxt + 1
    return offset


def _edit(text: str, node: MappingNode, key: str, value: str, after: tuple[str, ...], base: int = 0):
    """(offset, end, replacement) setting ``key: value`` in a block mapping: the old value
    replaced, or a new line after the first of the ``after`` keys present (its last line)."""
    pairs = _pairs(node)
    if key in pairs:
        _, old = pairs[key]
        return base + old.start_mark.index, base + old.end_mark.index, value
    anchor_key = next((k for k in after if k in pairs), None)
    if anchor_key is None:
        anchor_key = next(iter(pairs))
    key_node, val = pairs[anchor_key]
    indent = " " * key_node.start_mark.column
    end_line = val.end_mark.line - (1 if val.end_mark.column == 0 and val.end_mark.line > val.start_mark.line else 0)
    if isinstance(val, ScalarNode) and val.style in ("|", ">"):
        end_line = val.end_mark.line - 1 if val.end_mark.column == 0 else val.end_mark.line
    at = _line_after(text, end_line) if not base else base + _line_after(text[base:], end_line)
    return at, at, f"{indent}{key}: {value}\n"


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _front(text: str, where: str) -> tuple[int, str]:
    match = _FRONT.match(text)
    if not match:
        raise ValueError(f"{where}: expected front matter between '---' lines")
    return 4, match.group(1)


def set_article_revision(text: str, revision: str, *, where: str, draft: bool | None = None) -> str:
    """The article with ``source_revision: <revision>`` in its front matter (and, with
    ``draft=True``, ``draft: true``)."""
    base, block = _front(text, where)
    node = yaml.compose(block)
    if not isinstance(node, MappingNode):
        raise ValueError(f"{where}: expected front matter fields (title: …)")
    edits = [_edit(block, node, "source_revision", revision, ("title",))]
    if draft:
        edits.append(_edit(block, node, "draft", "true", ("source_revision", "title")))
    new_block = _apply(block, edits)
    result = text[:base] + new_block + text[base + len(block):]
    meta = yaml.safe_load(new_block) or {}
    if str(meta.get("source_revision")) != revision or (draft and meta.get("draft") is not True):
        raise ValueError(f"{where}: could not record source_revision in the front matter; add "
                         f"'source_revision: {revision}' by hand")
    return result


def set_yaml_revision(text: str, revision: str, *, where: str) -> str:
    """A video file (one top-level mapping) with ``source_revision: <revision>``."""
    node = yaml.compose(text)
    if not isinstance(node, MappingNode):
        raise ValueError(f"{where}: expected a mapping at the top (title: …)")
    result = _apply(text, [_edit(text, node, "source_revision", revision, ("title",))])
    if str((yaml.safe_load(result) or {}).get("source_revision")) != revision:
        raise ValueError(f"{where}: could not record source_revision; add 'source_revision: {revision}' by hand")
    return result


def set_faq_revisions(text: str, revisions: dict[int, tuple[str, str]], *, where: str) -> str:
    """A FAQ file whose question number N (0-based) gets ``id: <anchor>`` (when it has none)
    and ``source_revision: <revision>``: ``revisions = {N: (anchor, revision)}``."""
    node = yaml.compose(text)
    questions = _pairs(node).get("questions", (None, None))[1] if isinstance(node, MappingNode) else None
    if not isinstance(questions, SequenceNode):
        raise ValueError(f"{where}: expected 'questions:' with a list of questions")
    edits = []
    for n, (anchor, revision) in revisions.items():
        question = questions.value[n]
        if not isinstance(question, MappingNode) or question.flow_style:
            raise ValueError(f"{where}: questions[{n}]: expected a block mapping (question: …, answer: …)")
        pairs = _pairs(question)
        if "id" not in pairs:
            edits.append(_edit(text, question, "id", anchor, ("question",)))
        edits.append(_edit(text, question, "source_revision", revision, ("id", "question")))
    result = _apply(text, _merged(edits))
    parsed = yaml.safe_load(result) or {}
    for n, (anchor, revision) in revisions.items():
        entry = parsed["questions"][n]
        if str(entry.get("source_revision")) != revision:
            raise ValueError(f"{where}: questions[{n}]: could not record source_revision; add "
                             f"'source_revision: {revision}' by hand")
    return result


def _merged(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Insertions at the same offset keep their order (id before source_revision)."""
    out: dict[tuple[int, int], str] = {}
    for start, end, new in edits:
        out[(start, end)] = out.get((start, end), "") + new if start == end else new
    return [(s, e, t) for (s, e), t in out.items()]
