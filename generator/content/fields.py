"""Field specs for every content file and one reader that checks a mapping against them.

The reader reports every problem it sees (missing required fields, wrong types, unknown
keys with a did-you-mean, duplicate keys) and returns the values that are usable.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass, field

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from carebase.content.problems import Problem, error, warning
from carebase.content.review_day import review_day
from carebase.content.yamlnodes import BOOL, INT, Source, as_date, as_text, compose, describe, is_null, mapping_pairs

# kinds: text | texts (list of text, a single text allowed) | date | bool | int | node (checked later)
TEXT, TEXTS, DATE, BOOLEAN, INTEGER, NODE = "text", "texts", "date", "bool", "int", "node"

EXPECTED = {
    TEXT: "text",
    TEXTS: "a list of text",
    DATE: "a date YYYY-MM-DD",
    BOOLEAN: "true or false",
    INTEGER: "a whole number",
}


@dataclass(frozen=True, slots=True)
class Spec:
    kind: str
    required: bool = False


_COMMON = {
    "title": Spec(TEXT, True), "summary": Spec(TEXT), "category": Spec(TEXT), "tags": Spec(TEXTS),
    "keywords": Spec(TEXTS), "id": Spec(TEXT), "aliases": Spec(TEXTS), "owner": Spec(TEXT),
    "review_by": Spec(DATE), "related": Spec(TEXTS),
}
ARTICLE = {**_COMMON, "draft": Spec(BOOLEAN), "feedback": Spec(BOOLEAN), "source_revision": Spec(TEXT)}
FAQ_GROUP = {k: _COMMON[k] for k in ("title", "summary", "category", "owner", "review_by")} | {
    "questions": Spec(NODE, True)}
FAQ_QUESTION = {
    "question": Spec(TEXT, True), "answer": Spec(TEXT, True), "id": Spec(TEXT), "tags": Spec(TEXTS),
    "keywords": Spec(TEXTS), "related": Spec(TEXTS), "aliases": Spec(TEXTS), "source_revision": Spec(TEXT)}
VIDEO = {**{k: v for k, v in _COMMON.items()}, "source": Spec(NODE, True), "duration": Spec(NODE),
         "thumbnail": Spec(TEXT), "published": Spec(DATE), "chapters": Spec(NODE),
         "transcript": Spec(NODE), "captions": Spec(NODE), "source_revision": Spec(TEXT)}
CHAPTER = {"start": Spec(NODE, True), "title": Spec(TEXT, True)}
CUE = {"start": Spec(NODE, True), "end": Spec(NODE, True), "text": Spec(TEXT, True)}
CAPTION = {"src": Spec(TEXT, True), "lang": Spec(TEXT), "label": Spec(TEXT)}
CATEGORY = {"id": Spec(TEXT, True), "title": Spec(TEXT, True), "description": Spec(TEXT),
            "icon": Spec(TEXT), "order": Spec(INTEGER), "owner": Spec(TEXT)}


def did_you_mean(word: str, choices) -> str:
    """" (did you mean 'title'?)" when a close match exists, else ""."""
    return Suggester(choices)(word)


def _head(word: str) -> str:
    return word[: word.find(":") + 2] if ":" in word else word[:1]


class Suggester:
    """did-you-mean over many choices: big lists are bucketed by how entries start
    (``article:b``…), since typos rarely change the first letter."""

    def __init__(self, choices) -> None:
        self.choices = list(choices)
        self._buckets: dict[str, list[str]] | None = None

    def __call__(self, word: str) -> str:
        close = self.closest(word)
        return f" (did you mean {close!r}?)" if close else ""

    def closest(self, word: str) -> str | None:
        """The choice most like ``word``, or None when none is close."""
        choices = self.choices
        if len(choices) > 300:
            if self._buckets is None:
                self._buckets = {}
                for choice in choices:
                    self._buckets.setdefault(_head(choice), []).append(choice)
            choices = self._buckets.get(_head(word), [])[:3000]
        close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
        return close[0] if close else None


def join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


@dataclass(slots=True)
class Fields:
    """The usable values of a mapping, the value nodes (for lines) and the mapping's line."""

    line: int
    values: dict = field(default_factory=dict)
    nodes: dict = field(default_factory=dict)

    def get(self, name: str, default=None):
        return self.values.get(name, default)


def read_mapping(node: Node | None, spec: dict[str, Spec], src: Source, prefix: str,
                 problems: list[Problem], what: str = "a mapping") -> Fields | None:
    """Check ``node`` against ``spec``; None when it is not a mapping at all."""
    if not isinstance(node, MappingNode):
        line = src.line(node) if node is not None else src.offset + 1
        problems.append(error(src.path, line, prefix, f"expected {what}, found {describe(node)}"))
        return None
    out = Fields(src.line(node))
    start = len(problems)
    seen: dict[str, int] = {}
    for name, key, value in mapping_pairs(node):
        line = src.line(key)
        if name in seen:
            problems.append(error(src.path, line, join(prefix, name),
                                  f"expected each key once, found it again (first on line {seen[name]})"))
            continue
        seen[name] = line
        known = spec.get(name)
        if known is None:
            hint = did_you_mean(name, spec)
            if not hint and node.flow_style and is_null(value):
                hint = " (a comma inside {…} starts a new key: put text with commas in quotes)"
            problems.append(warning(src.path, line, join(prefix, name),
                                    f"expected a known field{hint}, found unknown key {name!r} (ignored)"))
            continue
        if is_null(value) or (not known.required and as_text(value) == ""):
            continue  # an empty optional field is simply absent; required ones are reported below
        ok, converted = convert(value, known.kind, src, join(prefix, name), problems)
        out.nodes[name] = value
        if ok:
            out.values[name] = converted
    for name, known in spec.items():
        if known.required and name not in out.values and not _reported(problems[start:], join(prefix, name)):
            expected = EXPECTED.get(known.kind, f"a {name}")
            problems.append(error(src.path, out.line, join(prefix, name), f"expected {expected}, found nothing"))
    return out


def read_document(rel: str, text: str, spec: dict[str, Spec], problems: list[Problem],
                  expected: str) -> tuple[Source, Fields | None]:
    """A YAML file whose top level is one mapping with a required ``title`` (a FAQ group,
    a video): parse it, read its fields against ``spec``, and give back ``None`` for the
    fields when it cannot be used (the problems say why)."""
    src = Source(rel)
    node, parse_problems = compose(text, src)
    problems.extend(parse_problems)
    if parse_problems:
        return src, None
    values = read_mapping(node, spec, src, "", problems, expected)
    if values is None or not values.get("title"):
        return src, None
    return src, values


def _reported(problems: list[Problem], name: str) -> bool:
    """True when this field already has an error (a wrong type is not also 'missing')."""
    return any(p.is_error and (p.field == name or p.field.startswith(name + "[")) for p in problems)


def convert(node: Node, kind: str, src: Source, name: str, problems: list[Problem]):
    """(ok, value) for one field; a mismatch is reported at the node's line."""
    if kind == NODE:
        return True, node
    if kind == TEXT:
        text = as_text(node)
        if text is not None and text.strip():
            return _no_controls(text.strip(), node, src, name, problems)
    elif kind == TEXTS:
        return _texts(node, src, name, problems)
    elif kind == DATE:
        date = as_date(node)
        if date is not None:
            return True, date
    elif kind == BOOLEAN:
        if isinstance(node, ScalarNode) and node.tag == BOOL:
            return True, node.value.lower() in ("true", "yes", "on", "y")
    elif kind == INTEGER:
        if isinstance(node, ScalarNode) and node.tag == INT:
            try:
                return True, int(node.value.replace("_", ""))
            except ValueError:
                pass
    problems.append(error(src.path, src.line(node), name, f"expected {EXPECTED[kind]}, found {describe(node)}"))
    return False, None


def _texts(node: Node, src: Source, name: str, problems: list[Problem]):
    text = as_text(node)
    if text is not None:
        return True, (text.strip(),) if text.strip() else ()
    if not isinstance(node, SequenceNode):
        problems.append(error(src.path, src.line(node), name, f"expected a list of text, found {describe(node)}"))
        return False, None
    items = []
    for i, child in enumerate(node.value):
        value = as_text(child)
        if value is None or not value.strip():
            problems.append(error(src.path, src.line(child), f"{name}[{i}]", f"expected text, found {describe(child)}"))
        elif _no_controls(value, child, src, f"{name}[{i}]", problems)[0]:
            items.append(value.strip())
    return True, tuple(items)


CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str) -> str:
    """'U+001B' for the first control character in ``text`` (tabs and line ends are text); ''."""
    found = CONTROLS.search(text)
    return f"U+{ord(found.group()):04X}" if found else ""


def _no_controls(text: str, node: Node, src: Source, name: str, problems: list[Problem]):
    """(True, text), or (False, None) after reporting a control character (written as an escape
    like "\\e" in YAML: invisible on the page, and some mean something to Markdown)."""
    found = control_character(text)
    if not found:
        return True, text
    problems.append(error(src.path, src.line(node), name, f"expected text, found the control character {found} "
                                                           "(remove it)"))
    return False, None


def check_review_by(values: Fields, src: Source, prefix: str, problems: list[Problem], today: _dt.date | None = None) -> None:
    """A past ``review_by`` is a warning: the content is due for a review."""
    due = values.get("review_by")
    today = today or review_day()
    if due is not None and due < today:
        problems.append(warning(src.path, src.line(values.nodes["review_by"]), join(prefix, "review_by"),
                                f"expected a date in the future, found {due.isoformat()} ({(today - due).days} days ago); "
                                "review the content, then move the date"))


def source_revision(values: Fields, src: Source) -> dict:
    """A translation's ``source_revision`` and its line, as item fields ({} when absent)."""
    if not values.get("source_revision"):
        return {}
    return {"source_revision": values.get("source_revision"),
            "source_revision_line": src.line(values.nodes["source_revision"])}


def entries(values: Fields, name: str, src: Source):
    """(line, index, text) for each entry of a list field, with the entry's own line."""
    items = values.get(name, ())
    node = values.nodes.get(name)
    children = node.value if isinstance(node, SequenceNode) else []
    texts = [c for c in children if (as_text(c) or "").strip()]
    for i, text in enumerate(items):
        line = src.line(texts[i]) if i < len(texts) else (src.line(node) if node is not None else 0)
        yield line, i, text
