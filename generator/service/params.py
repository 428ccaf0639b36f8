"""The ``lang`` request parameter the search, answer and MCP routes share: one of the
languages the build output holds."""

from __future__ import annotations

from typing import Callable

from carebase.service.errors import bad


def language(qp, languages: Callable[[], tuple] | None) -> str | None:
    """The ``lang`` parameter: a language the build output holds (None: the default); an
    unknown one is a 400 naming ``lang``."""
    lang = qp.get("lang")
    if lang is None or lang == "":
        return None
    known = tuple(languages()) if languages is not None else ()
    if not known:
        return None  # no build output yet: the search answers 503
    if lang not in known:
        raise bad("lang", f"lang: expected one of the help centre's languages ({', '.join(known)}), "
                          f"found {lang[:40]!r}")
    return None if lang == known[0] else lang
