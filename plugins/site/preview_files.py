"""``carebase serve``'s changes to what MkDocs knows of the site after a save (preview.py): a
new article's page, a deleted article's page, a category listing's page that a new article
opens or a deleted one closes; each put where a full build would put it (MkDocs' walk of
docs_dir for articles, the generated pages' order for listings), so the sitemap and the
navigation's neighbours come out as a full build writes them."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from carebase.content.model import Article


def add_article(plugin, built, article: Article) -> None:
    """A new article's file and page in MkDocs' files (outside the navigation, as every
    article), and its place among the plugin's pages."""
    config = built.config
    file = File(article.path, config.docs_dir, config.site_dir, config.use_directory_urls)
    key = _walk_key(file.src_uri)  # where MkDocs' walk of docs_dir puts it (the sitemap's order)
    _insert(built.files, file, lambda f: f.generated_by or _walk_key(f.src_uri) > key)
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
    plugin.generated.pop(src_uri, None)
    url = file.url
    site = Path(built.config.site_dir)
    for rel in (file.dest_uri, twin_path(url)):
        path = site / rel
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        folder = path.parent
        while folder != site:  # the page's own folders, when nothing else is left in them
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
    return url


def referenced(root: Path, gone: list, catalogue, skip: set[str]) -> str | None:
    """Where the deleted articles ``gone`` are named, which a delete would break and a full
    build reports: an item's ``related`` entry naming one's id or alias, or a content file
    (POSIX path from ``root``, not in ``skip``) whose text holds one's file name (a Markdown
    link); None when nowhere."""
    ids = {n for a in gone for n in (a.id, *a.aliases)}
    paths = {a.path for a in gone}
    for item in catalogue.items():
        if item.path not in paths and ids & set(getattr(item, "related", ()) or ()):
            return item.path
    names = {a.path.rsplit("/", 1)[-1] for a in gone}
    for folder, _dirs, found in os.walk(root):
        for name in found:
            if not name.endswith((".md", ".yml", ".yaml")):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if rel in skip:
                continue
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
            except OSError:
                continue
            if any(n in text for n in names):
                return rel
    return None


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
