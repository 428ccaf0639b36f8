"""YAML composed into nodes that keep their source lines.

Parsing uses libyaml (``CSafeLoader``) when available; values are built from the nodes
here so every field can be reported at the real line of the file, including an offset
for front matter that starts below line 1.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from carebase.content.problems import Problem, error

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()

STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(slots=True)
class Source:
    """Where a YAML document came from: its file and how far its first line is shifted."""

    path: str
    offset: int = 0  # lines before the YAML text (front matter: 1 for the opening ---)

    def line(self, node: Node) -> int:
        return node.start_mark.line + 1 + self.offset


def compose(text: str, src: Source) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document into a node tree; a syntax error becomes a problem."""
    try:
        return yaml.compose(text, Loader=_Loader), []
    except yaml.MarkedYAMLError as exc:
        unclosed = _unclosed_quote(exc, text, src)
        if unclosed is not None:
            return None, [unclosed]
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + src.offset if mark else src.offset + 1
        column = mark.column + 1 if mark else 0
        what = (exc.problem or exc.context or "a syntax error").removeprefix("found ")
        if exc.context and exc.context_mark and exc.problem:
            what += f" {exc.context} that starts on line {exc.context_mark.line + 1 + src.offset}"
        return None, [error(src.path, line, "", f"expected valid YAML, found {what} (line {line}, column {column})", column)]
    except yaml.YAMLError as exc:  # e.g. several documents, reader errors
        return None, [error(src.path, src.offset + 1, "", f"expected valid YAML, found {_first_line(exc)}")]
    except (ValueError, RecursionError) as exc:  # pathological input must never escape
        return None, [error(src.path, src.offset + 1, "", f"expected valid YAML, found {_first_line(exc)}")]


def _unclosed_quote(exc: yaml.MarkedYAMLError, text: str, src: Source) -> Problem | None:
    """A quote never closed (``title: "How do I pair``) is reported where it opens: PyYAML
    finds the fault at the end of the text (front matter: its closing ``---``), lines below."""
    if not (exc.context_mark and "quoted scalar" in (exc.context or "") and "end of stream" in (exc.problem or "")):
        return None
    mark = exc.context_mark
    lines = text.split("\n")
    quote = lines[mark.line][mark.column:mark.column + 1] if mark.line < len(lines) else '"'
    line = mark.line + 1 + src.offset
    return error(src.path, line, "", f"expected a closing {quote} for the quote opened here (column {mark.column + 1}), "
                 "found the end of the YAML", mark.column + 1)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def describe(node: Node | None) -> str:
    """How a node reads in a message: 'nothing', 'a list', "text 'abc'", 'the number 3'."""
    if node is None:
        return "nothing"
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    tag = node.tag
    value = node.value
    if tag == NULL:
        return "nothing"
    if tag == BOOL:
        return f"the boolean {value}"
    if tag in (INT, FLOAT):
        return f"the number {value}"
    if tag == TIMESTAMP:
        return f"the date {value}"
    if tag != STR and not tag.startswith("tag:yaml.org,2002:"):
        return f"a value tagged {tag}"
    short = value if len(value) <= 40 else value[:37] + "..."
    return f"text {short!r}" if value else "empty text"


def scalar_value(node: ScalarNode):
    """The Python value of a scalar (str, int, float, bool, None, date, datetime)."""
    if node.tag == STR:
        return node.value
    try:
        return _constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError):
        return node.value


def is_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, ScalarNode) and node.tag == NULL)


def as_text(node: Node | None) -> str | None:
    """Text of a scalar string (numbers written bare count as text); None otherwise."""
    if isinstance(node, ScalarNode) and node.tag in (STR, INT, FLOAT):
        return node.value
    return None


def as_date(node: Node | None) -> _dt.date | None:
    if not isinstance(node, ScalarNode):
        return None
    value = scalar_value(node) if node.tag == TIMESTAMP else node.value
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def mapping_pairs(node: MappingNode) -> list[tuple[str, Node, Node]]:
    """(key text, key node, value node) for every entry, in file order."""
    pairs = []
    for key, value in node.value:
        name = key.value if isinstance(key, ScalarNode) else describe(key)
        pairs.append((str(name), key, value))
    return pairs
