"""Apply a gap report's findability suggestions to a copy of the content, automatically.

    python benchmarks/search/apply_suggestions.py report/report.json CONTENT_DIR

* per-item word suggestions (``missing.keywords``): the words are added to the item's
  front-matter ``keywords:`` list;
* findability clusters (``missing.clusters`` with status ``findability``) whose closest item
  is an article: the customers' words are added to its keywords too;
* suggested synonym pairs: merged into ``synonyms.yml`` (into the group that already holds
  one of the words, else as a new group).

Only the ``keywords:`` line of an article and the touched lines of ``synonyms.yml`` change;
the rest of each file is kept byte for byte. FAQ and video items are reported, not edited.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

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


def suggestions(report: dict, *, clusters: bool = True) -> tuple[dict[str, list[str]], list[list[str]]]:
    """(source path → words to add, synonym groups) from a report's JSON."""
    words: dict[str, list[str]] = {}
    groups: list[list[str]] = []
    missing = report["missing"]
    for row in missing.get("keywords", []):
        if row["kind"] == "article":
            words.setdefault(row["source"]["path"], []).extend(row["add_keywords"])
        groups.extend(row.get("synonyms", []))
    if clusters:
        for c in missing["clusters"]:
            closest = c.get("closest") or {}
            if c["status"] != "findability" or closest.get("kind") != "article":
                continue
            words.setdefault(closest["source"]["path"], []).extend(c["suggestion"].get("customer_words", []))
            if c["suggestion"].get("synonyms"):
                groups.append(c["suggestion"]["synonyms"])
    return words, groups


def apply(report: dict, content: Path, *, clusters: bool = True) -> dict:
    """Edit the content folder in place; returns what changed."""
    words, groups = suggestions(report, clusters=clusters)
    changed: dict[str, list[str]] = {}
    for path, new in sorted(words.items()):
        file = content / path
        text, added = add_keywords(file.read_text(encoding="utf-8"), new, where=str(file))
        if added:
            file.write_text(text, encoding="utf-8")
            changed[path] = added
    synonyms = 0
    if groups:
        file = content / "synonyms.yml"
        text, synonyms = merge_synonyms(file.read_text(encoding="utf-8") if file.exists() else "", groups)
        file.write_text(text, encoding="utf-8")
    return {"articles": changed, "words": sum(len(v) for v in changed.values()), "synonym_groups": synonyms}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report", help="the report's report.json")
    ap.add_argument("content", help="the content folder to edit in place (use a copy)")
    ap.add_argument("--no-clusters", action="store_true", help="only the per-item word suggestions")
    args = ap.parse_args(argv)
    try:
        result = apply(json.loads(Path(args.report).read_text()), Path(args.content), clusters=not args.no_clusters)
    except (OSError, ValueError, KeyError) as exc:
        print(f"apply_suggestions: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
