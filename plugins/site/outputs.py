"""What the plugin writes beside the pages after a build (``on_post_build``): carebase's
records in Material's search index, the site search's shards per language, the machine
files (llms.txt, llms-full.txt, catalogue.json, Markdown twins; ``carebase.assist``), the
sitemaps per language and robots.txt (``carebase.pages.sitemaps``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from carebase.pages.records import enrich, generated_records
from carebase.plugins.site.adapters import log


def write_search_shards(site: Path, ctxs: dict, output=None) -> None:
    """The site search's client index of each language (search/carebase/, <lang>/search/carebase/):
    copied from the build output when its search index is written (``output``: the index's
    writer wrote it from the same analysis, ``site-search/``), else made here."""
    from carebase.output.layout import SITE_SEARCH, language_folder
    from carebase.pages.search_shards import build_search_shards

    default = next(iter(ctxs), None)
    for lang, ctx in ctxs.items():
        target = site / ctx.at("search") / "carebase"
        if output is not None and output.indexed:
            written = (output.path if lang == default else language_folder(output.path, lang)) / SITE_SEARCH
            if (written / "meta.json").is_file():
                _copy_files(written, target)
                continue
        build_search_shards(ctx.catalogue, target, category_title=ctx.category_title,
                            source=ctxs[default].catalogue if lang != default else None)


def _copy_files(source: Path, target: Path) -> None:
    """Every file of ``source`` into ``target``, meta.json last; files of ``target`` that
    ``source`` does not have are removed."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in source.iterdir() if p.is_file())
    for name in sorted(names, key=lambda n: n == "meta.json"):
        shutil.copyfile(source / name, target / name)
    for stale in sorted({p.name for p in target.glob("*.json")} - set(names)):
        (target / stale).unlink(missing_ok=True)


def write_machine_files(site: Path, config, catalogue, ctx, others: dict | None = None) -> set[str]:
    """llms.txt, llms-full.txt, catalogue.json and every Markdown twin (carebase.assist), for
    the default language (``catalogue``, ``ctx``) and each other one (``others``: language →
    its site context) under its URL folder, in its language; their paths from the site root."""
    from carebase.assist.llms import machine_files
    from carebase.content.languages import native_name
    from carebase.pages.blocks import related_items

    languages = {"": ctx, **{lang: c for lang, c in (others or {}).items()}}
    folders = {lang: c.prefix for lang, c in languages.items()}
    names = {lang: native_name(lang or ctx.lang) for lang in languages}
    written = set()
    for lang, lang_ctx in languages.items():
        default = not lang
        strings = lang_ctx.strings
        description = config.site_description or ""
        for rel, text in machine_files(
                catalogue if default else lang_ctx.catalogue,
                site_name=(config.site_name or "") if default else lang_ctx.site_name,
                description=description if default else strings.site_text("site.description", description),
                site_url=config.site_url or "", prefix=folders[lang], source=None if default else catalogue,
                strings=strings, others=tuple((names[o], folders[o]) for o in languages if o != lang),
                related=lambda item, c=lang_ctx: [r.id for r in related_items(item, c)]):
            target = site / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.add(rel)
    return written


def extend_search_index(site: Path, generated: dict, languages, catalogue, ctx, config=None) -> None:
    """Material's search_index.json with carebase's records of its own pages (one per
    question, chapter, …) and the default language's pages only.

    Material's search is an opt-in (``- material/search`` in mkdocs.yml): a site without it has
    no search_index.json, and that is said nowhere, since carebase's own search (its client
    index, search/carebase/) is built either way. Before, every build of such a site logged
    "no search_index.json (search plugin not enabled)", which read as if the site had no search.
    ``config``: MkDocs' config; when its Material search is on and wrote no index, say so."""
    path = site / "search" / "search_index.json"
    if not path.exists():
        if config is not None and material_search(config) is not None:
            log.warning("carebase: Material's search plugin is enabled in mkdocs.yml but wrote no "
                        "search/search_index.json: its results lack carebase's FAQ questions, videos and "
                        "chapters (carebase's own search is not affected)")
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    own = {page.url for page in generated.values()}
    docs = [d for d in data.get("docs", []) if d.get("location", "").split("#")[0] not in own]
    # Material's search is the default language's: the other languages' pages are searched
    # by their own client index (<lang>/search/carebase/), never mixed into English results
    others = tuple(languages.prefix(lang) for lang in languages.others)
    docs = [d for d in docs if not d.get("location", "").startswith(others)] if others else docs
    data["docs"] = enrich(docs, catalogue) + generated_records(ctx)
    write_index(path, data)


def write_index(path: Path, data: dict) -> None:
    """search_index.json, replaced whole (a reader never sees half a file)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)


def material_search(config):
    """Material's search plugin when it indexes pages (None otherwise)."""
    for plugin in config.plugins.values():
        if hasattr(plugin, "search_index") and getattr(plugin, "config", {}).get("enabled", True):
            return plugin
    return None


def update_search_index(site: Path, urls: set[str], entries: list[dict], catalogue, records: list[dict] = ()) -> None:
    """Replace the entries of the pages at ``urls`` in Material's search_index.json: Material's
    ``entries`` of articles, carebase's ``records`` of generated pages."""
    path = site / "search" / "search_index.json"
    if not path.exists() or not urls:
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = [d for d in data.get("docs", []) if d.get("location", "").split("#")[0] not in urls]
    data["docs"] = docs + enrich([e for e in entries if e.get("location", "").split("#")[0] in urls], catalogue) + \
        list(records)
    write_index(path, data)


def write_sitemaps(site: Path, config, files, page_languages, languages) -> None:
    """sitemap-<lang>.xml per language and sitemap-index.xml (several languages, site_url
    set), and robots.txt when the site has none of its own (carebase.pages.sitemaps)."""
    from carebase.pages.sitemaps import SitemapPage, language_sitemaps, robots_txt

    site_url = config.site_url or ""
    pages = []
    for file in files.documentation_pages():
        page = file.page
        if page is None or page.is_link or not page.canonical_url:
            continue  # what the theme's sitemap.xml leaves out too
        pages.append(SitemapPage(loc=page.canonical_url, lastmod=page.update_date or None,
                                 lang=page_languages.lang_of.get(file.src_uri, languages.default),
                                 alternates=[{"lang": a["lang"], "link": a["link"]}
                                             for a in page_languages.alternates_of_url(page.url)]))
    for name, text in language_sitemaps(pages, tuple(languages.codes), site_url).items():
        (site / name).write_text(text, encoding="utf-8")
    robots = site / "robots.txt"
    text = robots_txt(site_url, tuple(languages.codes))
    if text is not None and not robots.exists():  # a robots.txt of the site's own is kept as it is
        robots.write_text(text, encoding="utf-8")
