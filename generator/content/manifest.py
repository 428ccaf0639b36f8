"""The manifest: every published item's id, url and revision, and old ids (aliases).

Written once per content revision into the build output (``carebase.output``), copied from
there to ``site/manifest.json`` (the site's scripts map result URLs to ids with it), and
read by the service to reject votes for unknown ids."""

from __future__ import annotations

from carebase.content.model import Catalogue

VERSION = 1


def build_manifest(catalogue: Catalogue, *, include_drafts: bool = False, reasons=None, strings=None,
                   region: tuple[str, ...] = ()) -> dict:
    """``{"version": 1, "items": {id: {kind, title, url, path, revision, category}}, "aliases": {old: id}}``,
    plus ``"reasons": [...]`` when given: the widget's vote reasons (the service stores any other
    reason a client sends as a comment); ``"strings": {lang: {key: text}}`` when given: the
    site's own strings per language (``carebase.strings.Strings.published``), which the
    service's pages (the contact form's answer without JavaScript) show in the page's language;
    ``"region": ["GB", "IE"]`` when given: the site's countries, whose national phone numbers the
    service's masker knows (``carebase.service.masking_region``).

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
    if strings:
        manifest["strings"] = {str(lang): dict(texts) for lang, texts in strings.items()}
    if region:
        manifest["region"] = list(region)
    return manifest
