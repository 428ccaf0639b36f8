"""``carebase serve``: an article or FAQ file saved again shows in about a second, whatever
the site's size.

MkDocs' serve builds the whole site again on every change (minutes at 10,000 items), and its
``--dirty`` renders only the changed files, leaving every listing stale. Here, at the end of
each full build, the plugin keeps what the build made (MkDocs' config, files, navigation and
template environment; the catalogue) and the content files' stamps. On the next change, when
the only files that changed are published articles saved again (same id, aliases, category
and language) or FAQ files saved again (same category, the same questions' ids in the same
order), with no problem in them, ``Preview.update`` reads those files again, puts them in the
catalogue and renders only the pages that show them:

- each article's page, each FAQ file's page;
- when an article's title or summary changed, or an FAQ file changed, the pages that list
  them: their category's listing pages, the home page, the FAQ index (FAQ files), the 404
  page, the articles whose "In this category" list shows them, and the pages whose related
  items name them;

and, in a background thread the next change waits for, the site search's shards of the terms
that changed; then, in a child process (follow.py) which saves in quick succession do not
wait for (it writes for the newest catalogue when it is done), the re-rendered pages' entries
in Material's ``search_index.json``, the Markdown twins and llms files, and the build output
the feedback service follows (a new revision: manifest, catalogue, search index).

In a help centre in several languages the same holds for the default language's articles
and FAQ files saved again (the other languages' pages, search and build output are kept: the
output is written for every language's catalogue); a translation saved, or a new article, is a
full build.

Anything else — a file added, deleted or renamed, a video, categories or synonyms file,
mkdocs.yml, the theme, a problem in a saved file — is a full build, which reports problems as
always. Links from other pages into a saved file are checked again at the next full build,
and so are related items found from the site's words (``related: auto|search|terms``: a
page's list comes from the last full build's index).
"""

from __future__ import annotations

import bisect
import dataclasses
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.pages import Page

from carebase.content.model import Article, FaqGroup
from carebase.plugins.site.adapters import log
from carebase.plugins.site.follow import Follower, write_output
from carebase.plugins.site.listed import listing_pages, page_of
from carebase.plugins.site.outputs import material_search


@dataclass
class _Built:
    """What the last full build made, for rendering single pages again."""

    config: object
    files: object
    nav: object
    env: object


def content_stamps(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``root`` (POSIX path from it) → (modification time in ns, size)."""
    found: dict[str, tuple[int, int]] = {}
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel + "/"))
                else:
                    st = entry.stat()
                    found[rel] = (st.st_mtime_ns, st.st_size)
            except OSError:
                continue
    return found


class Preview:
    def __init__(self) -> None:
        self.built: _Built | None = None
        self.stamps: dict[str, tuple[int, int]] = {}
        self.tree = None
        self.config_stamp = None
        self._after: threading.Thread | None = None
        self._follower = Follower()

    # -- a full build ----------------------------------------------------------------------
    def full_build_starts(self, plugin) -> None:
        """Before the content is read: a file saved while the build runs is a change after it."""
        self.stop()  # the full build writes the output itself, newer than any update's
        self.built = None
        self._reading = content_stamps(plugin.content_root)
        self._reading_config = _stamp(getattr(plugin, "config_file", None))

    def full_build_done(self, plugin, config, files, nav, env) -> None:
        self.built = _Built(config, files, nav, env)
        self.stamps = getattr(self, "_reading", {})
        self.config_stamp = getattr(self, "_reading_config", None)
        self.tree = None

    def stop(self) -> None:
        """A full build starts or serve ends: what follows the last updates is not written."""
        self.wait()
        self._follower.stop()

    def wait(self, output: bool = False) -> None:
        """Wait for the last update's site search shards; ``output``: and what follows them
        (Material's search entries, twins and llms files, the build output)."""
        after, self._after = self._after, None
        if after is not None:
            after.join()
        if output:
            self._follower.join()

    # -- on a change ----------------------------------------------------------------------
    def update(self, plugin) -> bool:
        """Render what the saved articles and FAQ files change; False when a full build is needed."""
        self.wait()
        built = self.built
        if built is None:
            return False
        started = time.monotonic()
        now = content_stamps(plugin.content_root)
        changed = sorted(rel for rel in now.keys() | self.stamps.keys() if now.get(rel) != self.stamps.get(rel))
        if not changed and _stamp(built.config.config_file_path) == self.config_stamp and not built.config.watch:
            self.stamps = now
            return True  # a second event for a save already rendered: nothing changed since
        found = self._saved_items(plugin, built, changed, now)
        if isinstance(found, str):
            log.info(f"carebase: building the whole site: {found}")
            return False
        self.stamps = now
        olds, news, added = found
        self._render(plugin, built, olds, news, added)
        log.info(f"carebase: {len(olds) + len(added)} file(s) saved: pages and listings rendered in "
                 f"{time.monotonic() - started:.2f} s (the site search and the service follow)")
        return True

    def _saved_items(self, plugin, built: _Built, changed: list[str], now) -> tuple[list, list, list] | str:
        """The articles and FAQ files saved again, as they were and as they are, and the new
        articles; else why a full build is needed."""
        if not changed:
            return "mkdocs.yml or a watched file changed"
        if plugin.content_root.resolve() != Path(built.config.docs_dir).resolve():
            return "content_dir is not docs_dir"
        old_items = {i.path: i for i in (*plugin.catalogue.articles, *plugin.catalogue.faqs)}
        added = [rel for rel in changed if rel not in self.stamps and rel in now and _new_article(rel)]
        if len(plugin.languages.codes) > 1 and added:  # its language's sitemap is written by a full build
            return f"{added[0]} is new in a help centre in several languages"
        other = next((rel for rel in changed if rel not in added and (rel not in self.stamps or rel not in now
                                                                      or rel not in old_items)), None)
        if other is not None:
            return f"{other} was added, deleted or renamed, or is not a published article or FAQ file"
        olds = [old_items[rel] for rel in changed if rel not in added]
        if any(getattr(i, "draft", False) or i.lang or i.path.endswith("index.md") for i in olds):
            return "a draft, translation or index page changed"
        from carebase.content.loader import content_tree, reload_items

        if self.tree is None:
            self.tree = content_tree(plugin.content_root, plugin.catalogue, plugin.limits)
        articles, groups, problems = reload_items(plugin.content_root, changed, plugin.catalogue, self.tree,
                                                  plugin.limits)
        if problems:
            return "the saved file has problems"  # the full build reports them
        news = {i.path: i for i in (*articles, *groups)}
        for old in olds:
            new = news.get(old.path)
            if new is None or _identity(new) != _identity(old):
                return f"{old.path}: its id, aliases, category, draft flag or questions changed"
            if len(plugin.languages.codes) > 1 and isinstance(old, FaqGroup) and \
                    [q.aliases for q in new.questions] != [q.aliases for q in old.questions]:
                return f"{old.path}: a question's aliases changed (its translations take them)"
        fresh = [news.get(rel) for rel in added]
        why = self._unlisted(plugin, fresh)
        if why:
            return why
        return olds, [news[o.path] for o in olds], fresh

    @staticmethod
    def _unlisted(plugin, fresh: list) -> str:
        """Why these new articles need a full build ("" when their pages can be added): a
        draft or translation, an id or alias already taken, or a category whose listing would
        need a page it does not have (a new category, one more page of entries)."""
        from carebase.pages.listings import category_pages

        if any(a is None or a.draft or a.lang or not a.category for a in fresh):
            return "a new draft, translation, uncategorised or unreadable article"
        catalogue = plugin.catalogue
        taken = {i.id for i in catalogue.items()} | {alias for a in catalogue.articles for alias in a.aliases}
        names = [name for a in fresh for name in (a.id, *a.aliases)]
        if len(set(names)) < len(names) or taken & set(names):
            return "a new article's id or alias is already taken"
        probe = dataclasses.replace(plugin.ctx, catalogue=dataclasses.replace(
            catalogue, articles=(*catalogue.articles, *fresh), _index={}), _groups={}, _by_category={})
        for slug in {a.category for a in fresh}:
            if any(p.src_uri not in plugin.generated for p in category_pages(slug, probe)):
                return f"category {slug}: its listing needs a page it does not have yet"
        return ""

    def _render(self, plugin, built: _Built, olds: list, news: list, added: list) -> None:
        from carebase.pages.history import last_updated

        old_catalogue = plugin.catalogue
        replaced = {i.path: i for i in news}
        articles = [replaced.get(a.path, a) for a in old_catalogue.articles]
        for article in added:  # where the loader puts it: in the order of the files' paths
            articles.insert(bisect.bisect([a.path for a in articles], article.path), article)
            self._add_page(plugin, built, article)
        catalogue = dataclasses.replace(
            old_catalogue, articles=tuple(articles),
            faqs=tuple(replaced.get(g.path, g) for g in old_catalogue.faqs), _index={})
        ctx = plugin.ctx
        listed_before = listing_pages(plugin, ctx, olds)
        ctx.catalogue = catalogue
        ctx._groups.clear()
        ctx._by_category.clear()
        plugin.catalogue = plugin.catalogues[plugin.languages.default] = catalogue
        plugin.__dict__.pop("_articles", None)
        plugin.updated.update(last_updated(plugin.content_root, [a.path for a in (*news, *added)]))
        groups = [g for g in news if isinstance(g, FaqGroup)]
        pages = [page_of(i, ctx) for i in (*news, *added)]
        # an FAQ file's questions show on the home page, the FAQ index and in related lists
        listed = bool(groups or added) or any((o.title, o.summary) != (n.title, n.summary)
                                              for o, n in zip(olds, news))
        if listed:
            pages += sorted(listed_before | listing_pages(plugin, ctx, [*news, *added]))
        search = material_search(built.config)
        kept = search.search_index if search is not None else None
        if search is not None:
            search.search_index = type(kept)(**search.config)  # only the pages rendered now
        try:
            self._render_pages(plugin, built, list(dict.fromkeys(pages)))
            templates = built.config.theme.static_templates
            for template in ("404.html",) * listed + ("sitemap.xml",) * bool(added):  # popular items; every page
                if template in templates:
                    _build_theme_template(template, built.env, built.files, built.config, built.nav)
        finally:
            entries = search.search_index.entries if search is not None else []
            if search is not None:
                search.search_index = kept
        later = []  # a new article changes the count every page of its category shows ("all N articles")
        if added:
            from carebase.pages.helpcentre import category_articles

            shown = set(pages)
            later = [a.path for slug in sorted({a.category for a in added})
                     for a in category_articles(ctx, slug) if a.path not in shown]
        self._after = threading.Thread(target=self._follow_up, name="carebase-preview", daemon=True,
                                       args=(plugin, built, later, old_catalogue, catalogue, [*news, *added]))
        self._after.start()
        by_page: dict[str, list] = {a.url: [] for a in (*news, *added) if isinstance(a, Article)}
        for entry in entries:
            page = entry.get("location", "").split("#")[0]
            if page in by_page:
                by_page[page].append(entry)
        # a generated page's entries are carebase's records (outputs.extend_search_index)
        if added:  # votes for a new article are taken as soon as its page shows (the service reads the output)
            write_output(plugin, catalogue, Path(built.config.site_dir), worker=True)  # the index follows
        self._follower.want(plugin, catalogue, by_page, after=self._after, records={g.url for g in groups},
                            output=not added)

    def _add_page(self, plugin, built: _Built, article: Article) -> None:
        """A new article's file and page in MkDocs' files (outside the navigation, as every
        article), and its place among the plugin's pages."""
        config = built.config
        file = File(article.path, config.docs_dir, config.site_dir, config.use_directory_urls)
        files = built.files
        key = _walk_key(file.src_uri)  # where MkDocs' walk of docs_dir puts it (the sitemap's order)
        tail = [f for f in files if f.generated_by or _walk_key(f.src_uri) > key]
        files.append(file)
        for other in tail:
            files.remove(other)
            files.append(other)
        Page(None, file, config)
        plugin.page_languages.add(article.path, article.url, article.lang)
        self.tree = None  # the content tree (links are checked against it) holds the new file

    def _render_pages(self, plugin, built: _Built, src_uris: list[str]) -> list[str]:
        """Render these pages again (generated pages from the catalogue as it is now); their URLs."""
        from carebase.pages.faq import faq_group_page
        from carebase.pages.home import home_page
        from carebase.pages.listings import category_pages, faq_index_pages

        config, files = built.config, built.files
        ctx, kinds = plugin.ctx, {s: plugin.generated[s].kind for s in src_uris if s in plugin.generated}
        regenerated = {}  # listing pages hold their entries in their body; the others render them
        if "home" in kinds.values():
            regenerated.update((p.src_uri, p) for p in [home_page(ctx, plugin.updated)])
        for slug in {s.split("/", 1)[0] for s, kind in kinds.items() if kind == "category"}:
            regenerated.update((p.src_uri, p) for p in category_pages(slug, ctx))
        if "faq-index" in kinds.values():
            regenerated.update((p.src_uri, p) for p in faq_index_pages(ctx))
        faq_pages = {s for s, kind in kinds.items() if kind == "faq"}
        for group in ctx.catalogue.faqs:
            if group.url.rstrip("/") + ".md" in faq_pages:
                page = faq_group_page(group, ctx)
                regenerated[page.src_uri] = page
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        urls = []
        for src_uri in src_uris:
            file = files.get_file_from_path(src_uri)
            if file is None or file.page is None:
                continue
            page = regenerated.get(src_uri)
            if page is not None:
                plugin.generated[src_uri] = page
                file.content_string = page.markdown()
            _populate_page(file.page, config, files)
            _build_page(file.page, config, doc_files, built.nav, built.env)
            urls.append(file.page.url)
        return urls

    def _follow_up(self, plugin, built: _Built, later: list[str], old_catalogue, catalogue, items) -> None:
        """After the saved pages are served: the other pages that changed (``later``), then the
        site search's shards (the next save waits for both)."""
        if later:
            try:
                self._render_pages(plugin, built, later)
            except Exception as exc:  # a preview keeps serving; the next full build renders everything
                log.warning(f"carebase: rendering the category's pages again after a save failed ({exc}); "
                            "they are rendered at the next full build")
        self._shards(plugin, built, old_catalogue, catalogue, items)

    def _shards(self, plugin, built: _Built, old_catalogue, catalogue, news) -> None:
        """The site search's shards for the terms the saved articles changed (the next save
        waits for them: each update starts from the last one's index)."""
        from carebase.pages.search_shards import build_search_shards, update_search_shards

        try:
            ctx = plugin.ctx
            shards = Path(built.config.site_dir) / ctx.at("search") / "carebase"
            if not update_search_shards(old_catalogue, catalogue, [a.id for a in news], shards,
                                        category_title=ctx.category_title):
                build_search_shards(catalogue, shards, category_title=ctx.category_title)
        except Exception as exc:  # a preview keeps serving; the next full build writes everything
            log.warning(f"carebase: updating the site search after a save failed ({exc}); "
                        "it is written whole at the next full build")


def _stamp(path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, TypeError):
        return None
    return st.st_mtime_ns, st.st_size


def _identity(item) -> tuple:
    """What a save must keep for a page update to be enough (else the pages, the navigation or
    the links change): an article's id, aliases, category, draft flag and language; an FAQ
    file's id, category, language and its questions' ids in their order."""
    if isinstance(item, FaqGroup):
        return item.id, item.category, item.lang, tuple(q.id for q in item.questions)
    return item.id, item.aliases, item.category, item.draft, item.lang


def _new_article(rel: str) -> bool:
    """A new file that would be an article (Markdown outside the folders of generated pages)."""
    from carebase.content.loader import GENERATED

    return rel.endswith(".md") and "/" in rel and rel.split("/", 1)[0] not in GENERATED and \
        not rel.endswith("index.md")


def _walk_key(src_uri: str) -> tuple:
    """A file's place in MkDocs' walk of docs_dir: folder by folder in name order, a folder's
    files (index first) before its subfolders."""
    from mkdocs.structure.files import _file_sort_key

    *folders, name = src_uri.split("/")
    return (*((1, folder) for folder in folders), (0, _file_sort_key(name)))
