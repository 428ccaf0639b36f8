"""Byte-preserving edits of content files: words into an article's ``keywords:``, groups
into ``synonyms.yml`` (used by ``carebase suggestions apply``).

Only the ``keywords:`` line (or list) of an article's front matter and the touched lines of
``synonyms.yml`` change; the rest of each file is kept byte for byte. Each edit is checked
by parsing the result: an edit that would not give the intended list is refused with the
file's name rather than written.
"""

from __future__ import annotations

import json
import re

import yaml

_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 '\-]*")


def _flow(words: list[str]) -> str:
    return "[" + ", ".join(w if _PLAIN.fullmatch(w) and not w.endswith(" ") else json.dumps(w) for w in words) + "]"


def add_keywords(text: str, words: list[str], *, where: str = "") -> tuple[str, list[str]]:
    """The article text with ``words`` appended to its front-matter keywords (new ones only),
    and the words actually added. Raises ValueError naming ``where`` for a file it cannot edit."""
    m = _FRONT.match(text)
    if not m:
        raise ValueError(f"{where}: expected front matter between --- lines")
    block = m.group(1)
    meta = yaml.safe_load(block) or {}
    current = [str(k) for k in (meta.get("keywords") or [])]
    known = {k.lower() for k in current}
    added = [w for w in dict.fromkeys(words) if w.lower() not in known]
    if not added:
        return text, []
    line = f"keywords: {_flow(current + added)}\n"
    lines = block.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if re.match(r"keywords\s*:", ln)), None)
    if start is None:
        lines.append(line)
    else:
        end = start + 1
        if lines[start].split(":", 1)[1].strip() in ("", "|", ">"):  # a block list below the key
            while end < len(lines) and re.match(r"\s+(-|\S)", lines[end]) and not re.match(r"\S", lines[end]):
                end += 1
        elif "[" in lines[start] and "]" not in lines[start]:  # a flow list over several lines
            while end < len(lines) and "]" not in lines[end - 1]:
                end += 1
        lines[start:end] = [line]
    new_block = "".join(lines)
    check = yaml.safe_load(new_block) or {}
    if [str(k) for k in check.get("keywords") or []] != current + added:
        raise ValueError(f"{where}: keywords: could not rewrite the list safely")
    return "---\n" + new_block + "---\n" + text[m.end():], added


def merge_synonyms(text: str, groups: list[list[str]]) -> tuple[str, int]:
    """synonyms.yml text with each group merged in (into the group holding one of its words,
    else appended); returns (text, groups changed or added)."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    parsed: list[tuple[int, list[str]]] = []
    for i, ln in enumerate(lines):
        if ln.startswith("- "):
            value = yaml.safe_load(ln[2:])
            if isinstance(value, list):
                parsed.append((i, [str(v) for v in value]))
    changed = 0
    for group in groups:
        group = [g for g in dict.fromkeys(group) if g]
        if len(group) < 2:
            continue
        lower = {g.lower() for g in group}
        target = next(((i, words) for i, words in parsed if lower & {w.lower() for w in words}), None)
        if target is None:
            lines.append(f"- {_flow(group)}\n")
            parsed.append((len(lines) - 1, group))
            changed += 1
            continue
        i, words = target
        extra = [g for g in group if g.lower() not in {w.lower() for w in words}]
        if extra:
            words.extend(extra)
            lines[i] = f"- {_flow(words)}\n"
            changed += 1
    return "".join(lines), changed
