"""Request parameters the search, answer and MCP routes share: the bad-parameter error and
``lang`` (one of the languages the build output holds)."""

from __future__ import annotations

from typing import Callable


class BadParam(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def language(qp, languages: Callable[[], tuple] | None) -> str | None:
    """The ``lang`` parameter: a language the build output holds (None: the default)."""
    lang = qp.get("lang")
    if lang is None or lang == "":
        return None
    known = tuple(languages()) if languages is not None else ()
    if not known:
        return None  # no build output yet: the search answers 503
    if lang not in known:
        raise BadParam("lang", f"lang: expected one of the help centre's languages ({', '.join(known)}), "
                               f"found {lang[:40]!r}")
    return None if lang == known[0] else lang
