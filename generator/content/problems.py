"""Problems found in content: data, not exceptions.

Core functions return problems; adapters (``carebase check``, the MkDocs plugin)
decide whether they are fatal. Every problem names the file, the line and the field,
and says what was expected and what was found::

    faq/billing.yml:12: questions[2].answer: expected text, found nothing
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: str  # relative to the content root, POSIX separators
    line: int  # 1-based; 0 when the problem concerns the whole file
    field: str  # dotted path into the item ("questions[2].answer"), "" for the file
    message: str  # "expected …, found …" (plus a hint where one helps)
    severity: Severity = Severity.ERROR
    column: int = 0  # 1-based; 0 when unknown

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


def error(path: str, line: int, field: str, message: str, column: int = 0) -> Problem:
    return Problem(path, line, field, message, Severity.ERROR, column)


def warning(path: str, line: int, field: str, message: str, column: int = 0) -> Problem:
    return Problem(path, line, field, message, Severity.WARNING, column)


class WithProblems:
    """``errors`` and ``warnings`` of what holds ``problems`` (a catalogue, a multilingual one)."""

    __slots__ = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_error)
