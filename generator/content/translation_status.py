"""Stale and missing translations rendered for ``carebase check`` (text, JSON, GitHub).

They are notices, not problems: a help centre translated in part builds and checks clean
(``--strict`` too); each stale translation is listed with the file and line to act on,
missing ones are counted per language and listed with ``--missing``.
"""

from __future__ import annotations

import os

from carebase.content.languages import english_name
from carebase.content.translations import CURRENT, MISSING, STALE, Multilingual, TranslationState

CYAN, BOLD, RESET = "\033[36m", "\033[1m", "\033[0m"


def shown(ml: Multilingual, *, missing: set[str], only: set[str] | None = None) -> list[TranslationState]:
    """The states listed line by line: every stale one, and the missing ones of the languages
    in ``missing`` ({"*"}: all); ``only``: the checked files (source or translation)."""
    out = []
    for s in ml.states:
        if only is not None and s.source_path not in only and s.path not in only:
            continue
        if s.state == STALE or (s.state == MISSING and ({"*", s.lang} & missing)):
            out.append(s)
    return sorted(out, key=lambda s: (s.where, s.lang))


def _file(root: str, path: str) -> str:
    return os.path.normpath(os.path.join(root, path)).replace(os.sep, "/")


def text_lines(ml: Multilingual, root: str, *, colour: bool, missing: set[str], only=None) -> list[str]:
    from carebase.content.formats import printable

    lines = []
    for s in shown(ml, missing=missing, only=only):
        path, line = s.where
        where = printable(f"{_file(root, path)}:{line}" if line else _file(root, path))
        field = " source_revision:" if s.state == STALE else ""
        label = f"[{s.state} translation]"
        if colour:
            lines.append(f"{BOLD}{where}:{RESET}{field} {printable(s.message(root))} {CYAN}{label}{RESET}")
        else:
            lines.append(f"{where}:{field} {printable(s.message(root))} {label}")
    summary = summary_line(ml, only=only)
    if summary:
        lines += ([""] if lines else []) + [summary]
    return lines


def summary_line(ml: Multilingual, *, only=None) -> str:
    """'Translations: German (de) 25 of 74 items current, 2 stale, 47 missing.' ('' for one language)."""
    if not ml.languages.others:
        return ""
    parts = []
    for lang in ml.languages.others:
        states = [s for s in ml.states if s.lang == lang and (only is None or s.source_path in only or s.path in only)]
        n = {k: sum(1 for s in states if s.state == k) for k in (CURRENT, STALE, MISSING)}
        parts.append(f"{english_name(lang)} ({lang}) {n[CURRENT]} of {len(states)} items current, "
                     f"{n[STALE]} stale, {n[MISSING]} missing")
    hint = ""
    if any(s.state == MISSING and (only is None or s.source_path in only or s.path in only) for s in ml.states):
        hint = " ('carebase check --missing' lists the missing ones)"
    return "Translations: " + "; ".join(parts) + "." + hint


def as_json(ml: Multilingual, root: str, *, only=None) -> dict:
    """{lang: {items, current, stale: [...], missing: [...]}} for ``carebase check --format json``."""
    out = {}
    for lang in ml.languages.others:
        states = [s for s in ml.states if s.lang == lang and (only is None or s.source_path in only or s.path in only)]
        entry = {"language": english_name(lang), "items": len(states),
                 "current": sum(1 for s in states if s.state == CURRENT)}
        for state in (STALE, MISSING):
            entry[state] = [{"id": s.item_id, "file": _file(root, s.where[0]), "path": s.where[0], "line": s.where[1],
                             "source": s.source_path, "translation": s.path, "recorded": s.recorded,
                             "source_revision": s.source_revision, "message": s.message(root)}
                            for s in states if s.state == state]
        out[lang] = entry
    return out


def github_lines(ml: Multilingual, root: str, *, missing: set[str], only=None) -> list[str]:
    """``::notice`` annotations (never failing a job) for the listed states."""
    from carebase.content.formats import _escape_data, _escape_property, _workspace_path

    lines = []
    for s in shown(ml, missing=missing, only=only):
        path, line = s.where
        props = [f"file={_escape_property(_workspace_path(_file(root, path)))}"]
        if line:
            props.append(f"line={line}")
        props.append(f"title={_escape_property(f'carebase check: {s.state} translation ({s.lang})')}")
        lines.append(f"::notice {','.join(props)}::{_escape_data(s.message(root))}")
    return lines
