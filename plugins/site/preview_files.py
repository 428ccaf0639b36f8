"""``carebase serve``'s changes to what MkDocs knows of the site after a save (preview.py): a
new article's page, a deleted article's page, a category listing's page that a new article
opens or a deleted one closes; each put where a full build would put it (MkDocs' walk of
docs_dir for articles, the generated pages' order for listings), so the sitemap and the
navigation's neighbours come out as a full build writes them; and the rendering of single
pages again with what the last full build kept (``render_pages``)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page

from carebase.content.model import Article


def add_article(plugin, built, article: Article) -> None:
    """A new article's file and page in MkDocs' files (outside the navigation, as every
    article), and its place among the plugin's pages."""
    config = built.config
    file = File(article.path, config.docs_dir, config.site_dir, config.use_directory_urls)
    key = _walk_key(file.src_uri)  # where MkDocs' walk of docs_dir puts it (the sitemap's order)
    _insert(built.files, file, lambda f: f.generated_by or _walk_key(f.src_uri) > key)
    plugin.forget_page_files()
    Page(None, file, config)
    plugin.page_languages.add(article.path, article.url, article.lang)


def add_listing(plugin, built, page) -> None:
    """A category listing's page that the catalogue now needs (``page``: a GeneratedPage),
    right after its category's last listing page, as ``build_pages`` orders them."""
    config = built.config
    file = File(page.src_uri, src_dir=None, dest_dir=config.site_dir, use_directory_urls=config.use_directory_urls)
    file.generated_by = "carebase"
    file.content_string = page.markdown()
    slug = page.src_uri.split("/", 1)[0]
    same = [f.src_uri for f in built.files if f.src_uri.startswith(slug + "/")
            and getattr(plugin.generated.get(f.src_uri), "kind", "") == "category"]
    last = same[-1] if same else None
    seen = [last is None]

    def after(f) -> bool:  # every file after the category's last listing page
        if seen[0]:
            return True
        seen[0] = f.src_uri == last
        return False

    _insert(built.files, file, after)
    plugin.forget_page_files()
    Page(None, file, config)
    plugin.generated[page.src_uri] = page
    plugin.page_languages.add(page.src_uri, page.url, "")


def remove_page(plugin, built, src_uri: str) -> str | None:
    """Forget the page of ``src_uri`` (a deleted article, a listing page no longer needed) and
    delete what the build wrote for it: its HTML and, for an article, its Markdown twin.
    Returns its URL (None when MkDocs did not know it)."""
    from carebase.assist.twins import twin_path

    file = built.files.get_file_from_path(src_uri)
    if file is None:
        return None
    built.files.remove(file)
    plugin.forget_page_files()
    plugin.generated.pop(src_uri, None)
    url = file.url
    site = Path(built.config.site_dir)
    for rel in (file.dest_uri, twin_path(url)):
        remove_file(site, rel)
    return url


def remove_file(site: Path, rel: str) -> None:
    """Delete ``rel`` (a path from ``site``) if it is there, and its folders that this leaves empty."""
    path = site / rel
    try:
        path.unlink()
    except FileNotFoundError:
        return
    folder = path.parent
    while folder != site:  # the page's own folders, when nothing else is left in them
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


def referenced(catalogue, gone: list) -> str | None:
    """The first item whose ``related`` entries name one of the deleted articles ``gone`` (by id
    or alias), which a delete would break and a full build reports; None when none does.
    Links in the files' text: ``Mentions.naming`` (mentions.py)."""
    ids = {n for a in gone for n in (a.id, *a.aliases)}
    paths = {a.path for a in gone}
    for item in catalogue.items():
        if item.path not in paths and ids & set(getattr(item, "related", ()) or ()):
            return item.path
    return None


def listings(plugin, built, slugs: set[str]) -> list[str]:
    """Add or remove the listing pages of categories ``slugs`` so they are the ones the
    catalogue needs now (a new article can open a page, a deleted one close it); the
    source paths of the pages added."""
    from carebase.pages.listings import category_pages

    added = []
    for slug in sorted(slugs):
        wanted = {p.src_uri: p for p in category_pages(slug, plugin.ctx)}
        have = [s for s, p in plugin.generated.items() if p.kind == "category" and s.startswith(slug + "/")]
        for src_uri in have:
            if src_uri not in wanted:
                remove_page(plugin, built, src_uri)
        for src_uri, page in wanted.items():
            if src_uri not in plugin.generated:
                add_listing(plugin, built, page)
                added.append(src_uri)
    return added


def render_pages(plugin, built, src_uris: list[str], stop=None) -> int:
    """Render these pages again (generated pages from the catalogue as it is now); how many of
    ``src_uris`` it went through: all, unless ``stop()`` said so before one of them."""
    from carebase.pages.faq import faq_group_page
    from carebase.pages.home import home_page
    from carebase.pages.listings import category_pages, faq_index_pages, gallery_pages
    from carebase.pages.video import video_page

    config, files = built.config, built.files
    ctx, kinds = plugin.ctx, {s: plugin.generated[s].kind for s in src_uris if s in plugin.generated}
    regenerated = {}  # listing pages hold their entries in their body; the others render them
    if "home" in kinds.values():
        regenerated.update((p.src_uri, p) for p in [home_page(ctx, plugin.updated)])
    for slug in {s.split("/", 1)[0] for s, kind in kinds.items() if kind == "category"}:
        regenerated.update((p.src_uri, p) for p in category_pages(slug, ctx))
    if "faq-index" in kinds.values():
        regenerated.update((p.src_uri, p) for p in faq_index_pages(ctx))
    if "gallery" in kinds.values():
        regenerated.update((p.src_uri, p) for p in gallery_pages(ctx))
    video_pages = {s for s, kind in kinds.items() if kind == "video"}
    for video in ctx.catalogue.videos:
        if video.url.rstrip("/") + ".md" in video_pages:
            page = video_page(video, ctx)
            regenerated[page.src_uri] = page
    faq_pages = {s for s, kind in kinds.items() if kind == "faq"}
    for group in ctx.catalogue.faqs:
        if group.url.rstrip("/") + ".md" in faq_pages:
            page = faq_group_page(group, ctx)
            regenerated[page.src_uri] = page
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for done, src_uri in enumerate(src_uris):
        if stop is not None and stop():
            return done
        file = files.get_file_from_path(src_uri)
        if file is None or file.page is None:
            continue
        page = regenerated.get(src_uri)
        if page is not None:
            plugin.generated[src_uri] = page
            file.content_string = page.markdown()
        _populate_page(file.page, config, files)
        _build_page(file.page, config, doc_files, built.nav, built.env)
    return len(src_uris)


def _insert(files, file, moves) -> None:
    """Append ``file`` to MkDocs' files, then move every file for which ``moves(f)`` is true
    (in their order) after it: MkDocs' Files keeps its insertion order."""
    tail = [f for f in files if moves(f)]
    files.append(file)
    for other in tail:
        files.remove(other)
        files.append(other)


def _walk_key(src_uri: str) -> tuple:
    """A file's place in MkDocs' walk of docs_dir: folder by folder in name order, a folder's
    files (index first) before its subfolders."""
    from mkdocs.structure.files import _file_sort_key

    *folders, name = src_uri.split("/")
    return (*((1, folder) for folder in folders), (0, _file_sort_key(name)))
