"""The report's keyword and synonym suggestions, numbered, and the content edits they make.

``suggestions(report)`` reads a report's JSON (``report.json``) into numbered suggestions:
``K1, K2, …`` words for an item's ``keywords:`` (from "Words to add to keywords" and from
findability clusters whose closest item is an article), ``S1, S2, …`` synonym groups. The
numbers are stable for a given report, so a lead can list them, pick some, and apply.

``plan(suggestions, content_dir)`` gives, per file, its text before and after: articles get
the words in their front matter's ``keywords:`` (carebase.content.edits, byte-preserving),
``synonyms.yml`` gets the groups. FAQ questions and videos keep their keywords in YAML
lists that are edited by hand: they are listed with their file and line, never edited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from carebase.content.edits import add_keywords, merge_synonyms


class SuggestionError(ValueError):
    """A report or selection that cannot be applied (message names what and where)."""


@dataclass
class Suggestion:
    key: str  # "K3" or "S1"
    kind: str  # "keywords" | "synonyms"
    words: list[str]
    item_id: str | None = None
    item_kind: str | None = None
    title: str = ""
    path: str | None = None  # the file to edit, from the content folder
    line: int | None = None
    evidence: str = ""
    sources: list[str] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return self.kind == "synonyms" or (self.item_kind == "article" and bool(self.path))


def suggestions(report: dict) -> list[Suggestion]:
    try:
        missing = report["missing"]
    except (KeyError, TypeError):
        raise SuggestionError("report: expected the JSON of 'carebase report' (report.json), found no 'missing' "
                              "section") from None
    by_item: dict[str, Suggestion] = {}
    groups: list[list[str]] = []
    for row in missing.get("keywords", []):
        sug = by_item.setdefault(row["id"], Suggestion("", "keywords", [], row["id"], row["kind"], row.get("title", ""),
                                                       row["source"].get("path"), row["source"].get("line")))
        sug.words.extend(w for w in row.get("add_keywords", []) if w not in sug.words)
        sug.evidence = f"{row.get('journeys', 0)} journeys"
        groups.extend(g for g in row.get("synonyms", []) if g)
    for cluster in missing.get("clusters", []):
        closest = cluster.get("closest") or {}
        if cluster.get("status") != "findability" or not closest.get("id"):
            continue
        words = cluster.get("suggestion", {}).get("customer_words", [])
        sug = by_item.setdefault(closest["id"], Suggestion(
            "", "keywords", [], closest["id"], closest.get("kind"), closest.get("title", ""),
            (closest.get("source") or {}).get("path"), (closest.get("source") or {}).get("line")))
        sug.words.extend(w for w in words if w not in sug.words)
        failed = cluster.get("failed", 0)
        searches = f"{failed} failed search{'' if failed == 1 else 'es'}"
        sug.evidence = f"{sug.evidence}; {searches}" if sug.evidence else searches
        if cluster.get("suggestion", {}).get("synonyms"):
            groups.append(cluster["suggestion"]["synonyms"])
    out = [s for s in by_item.values() if s.words]
    for n, sug in enumerate(out, 1):
        sug.key = f"K{n}"
    seen = set()
    for group in groups:
        norm = tuple(sorted({g.lower() for g in group}))
        if len(norm) < 2 or norm in seen:
            continue
        seen.add(norm)
        out.append(Suggestion(f"S{len(seen)}", "synonyms", list(dict.fromkeys(group))))
    return out


def select(found: list[Suggestion], keys: list[str] | None) -> list[Suggestion]:
    """The suggestions named by ``keys`` (``K1``, ``s2``, …; None: all)."""
    if keys is None:
        return found
    index = {s.key: s for s in found}
    wanted = [k.strip().upper() for part in keys for k in part.split(",") if k.strip()]
    unknown = [k for k in wanted if k not in index]
    if unknown:
        raise SuggestionError(f"--only: no suggestion {', '.join(unknown)} in this report (it has "
                              f"{', '.join(index) or 'none'}; see 'carebase suggestions list')")
    return [index[k] for k in dict.fromkeys(wanted)]


def plan(chosen: list[Suggestion], content: Path) -> dict[str, tuple[str, str]]:
    """path (from the content folder) → (text now, text after) for every file that changes."""
    edits: dict[str, tuple[str, str]] = {}
    for sug in chosen:
        if sug.kind != "keywords" or not sug.editable:
            continue
        file = content / sug.path
        if not file.is_file():
            raise SuggestionError(f"{file}: not found: the report was made from another content folder "
                                  f"(pass it with --content)")
        before = edits[sug.path][0] if sug.path in edits else file.read_bytes().decode("utf-8")
        current = edits[sug.path][1] if sug.path in edits else before
        after, added = add_keywords(current, sug.words, where=str(file))
        if added:
            edits[sug.path] = (before, after)
    groups = [s.words for s in chosen if s.kind == "synonyms"]
    if groups:
        file = content / "synonyms.yml"
        before = file.read_bytes().decode("utf-8") if file.exists() else ""
        after, changed = merge_synonyms(before, groups)
        if changed:
            edits["synonyms.yml"] = (before, after)
    return edits
