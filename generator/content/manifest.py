"""The manifest the site publishes at ``site/manifest.json`` and the service loads to
reject votes for unknown ids (see SPEC.md)."""

from __future__ import annotations

import json
from pathlib import Path

from carebase.content.model import Catalogue

VERSION = 1


def build_manifest(catalogue: Catalogue, *, include_drafts: bool = False, reasons=None) -> dict:
    """``{"version": 1, "items": {id: {kind, title, url, path, revision, category}}, "aliases": {old: id}}``,
    plus ``"reasons": [...]`` when given: the widget's vote reasons (the service stores any other
    reason a client sends as a comment).

    Drafts are left out unless ``include_drafts`` (they are not published).
    """
    items: dict[str, dict] = {}
    aliases: dict[str, str] = {}
    for item in catalogue.items():
        if getattr(item, "draft", False) and not include_drafts:
            continue
        items[item.id] = {
            "kind": item.kind, "title": item.title, "url": item.url, "path": item.path,
            "revision": item.revision, "category": item.category,
        }
        for alias in item.aliases:
            if alias != item.id:
                aliases.setdefault(alias, item.id)
    for alias in [a for a in aliases if a in items]:
        del aliases[alias]  # an id always wins over an alias
    manifest = {"version": VERSION, "items": items, "aliases": aliases}
    if reasons is not None:
        manifest["reasons"] = list(reasons)
    return manifest


def write_manifest(catalogue: Catalogue, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build_manifest(catalogue), ensure_ascii=False, sort_keys=True, indent=1), "utf-8")
    return path
