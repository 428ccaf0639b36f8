"""``carebase serve``: an article, FAQ file or video saved again, a new, renamed or deleted
article shows in about a second, whatever the site's size.

MkDocs' serve builds the whole site again on every change (minutes at 10,000 items), and its
``--dirty`` renders only the changed files, leaving every listing stale. Here, at the end of
each full build, the plugin keeps what the build made (MkDocs' config, files, navigation and
template environment; the catalogue) and the content files' stamps. On the next change, when
the only files that changed are published articles saved again (same id, aliases, category
and language), FAQ files saved again (same category, the same questions' ids in the same
order), videos saved again (same id, category and media files), new articles, and deleted
articles that no other file links to or names as related (a rename is a delete and a new
article), with no problem in them, ``Preview.update`` reads those files again, puts them in
the catalogue and renders only the pages that show them:

- each article's page, each FAQ file's and video's page; a new article's page is added to
  MkDocs' files and a deleted one's is removed with what the build wrote for it (its HTML,
  its Markdown twin: preview_files.py);
- when an article's title or summary changed, an article came or went, or an FAQ file or
  video changed, the pages that list them: their category's listing pages (a page added when
  a new article needs one more, removed when a deleted one leaves it empty), the home page,
  the FAQ index (FAQ files), the gallery (videos), the 404 page, the sitemap (new and deleted
  pages), the articles whose "In this category" list shows them, and the pages whose related
  items name them;

and, in a background thread the next change waits for, the site search's shards of the terms
that changed and the rows of the saved, new and deleted items, updated in place
(search_shards_update.py), then the other pages of a category that gained or lost an article
(their "all N articles" count: a next change renders its own pages first, then those left);
then, in a child process (follow.py) which saves in quick succession do not
wait for (it writes for the newest catalogue when it is done), the re-rendered pages' entries
in Material's ``search_index.json``, the Markdown twins and llms files, and the build output
the feedback service follows (a new revision: manifest, catalogue, search index).

In a help centre in several languages the same holds for the default language's articles
and FAQ files saved again (the other languages' pages are kept; their site search is written
again when the save changed a translated item's title or keywords, which their translations
are found by too; the output is written for every language's catalogue); a translation or a video saved, or an
article added, deleted or renamed, is a full build there.

Anything else — another file added or deleted, a video's media, a categories or synonyms
file, mkdocs.yml, the theme, a change that adds or removes a category, a problem in a saved
file — is a full build, which reports problems as always. Links from other pages into a saved
file are checked again at the next full build, and so are related items found from the site's
words (``related: auto|search|terms``: a page's list comes from the last full build's index).
"""

from __future__ import annotations

import bisect
import dataclasses
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import _build_theme_template

from carebase.assist.twins import twin_path
from carebase.content.languages import split_name
from carebase.content.model import Article, FaqGroup, Video
from carebase.plugins.site.adapters import log
from carebase.plugins.site.follow import Follower, write_output
from carebase.plugins.site.listed import listing_pages, page_of
from carebase.plugins.site.mentions import Mentions
from carebase.plugins.site.outputs import material_search, write_sitemaps
from carebase.plugins.site.page_dates import date_pages
from carebase.plugins.site.preview_files import add_article, listings, referenced, remove_page, render_pages


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
        self._interrupted = threading.Event()  # the next change stops the last one's other pages
        self._left: list[str] = []  # which it had not rendered yet: the next change renders them
        self._follower = Follower()
        self.mentions = Mentions()  # which content files name which Markdown files (a delete's check)

    # -- a full build ----------------------------------------------------------------------
    def reading(self, plugin) -> tuple:
        """The content's and mkdocs.yml's stamps, taken before the content is read."""
        return content_stamps(plugin.content_root), _stamp(getattr(plugin, "config_file", None))

    def full_build_starts(self, plugin, reading: tuple | None = None) -> None:
        """Before the content is read (or with ``reading``, the stamps taken before it was):
        a file saved while the build runs is a change after it."""
        self.stop()  # the full build writes the output itself, newer than any update's
        self.built = None
        self._reading, self._reading_config = reading or self.reading(plugin)

    def full_build_done(self, plugin, config, files, nav, env) -> None:
        self.built = _Built(config, files, nav, env)
        self.stamps = getattr(self, "_reading", {})
        self.config_stamp = getattr(self, "_reading_config", None)
        self.tree = None
        self.mentions.read(plugin.content_root, self.stamps)  # once per build; a delete reads only saved files

    def stop(self) -> None:
        """A full build starts or serve ends: what follows the last updates is not written."""
        self._interrupt()
        self._left = []  # a full build renders every page
        self._follower.stop()

    def wait(self, output: bool = False) -> None:
        """Wait for the last update's site search shards; ``output``: and what follows them
        (Material's search entries, twins and llms files, the build output)."""
        after, self._after = self._after, None
        if after is not None:
            after.join()
        if output:
            self._follower.join()

    def _interrupt(self) -> None:
        """Stop the last change's follow-up after the pages it is rendering (its shards are
        done first); the pages it had not rendered are in ``_left``."""
        self._interrupted.set()
        try:
            self.wait()
        finally:
            self._interrupted.clear()

    # -- on a change ----------------------------------------------------------------------
    def update(self, plugin) -> bool:
        """Render what the saved articles and FAQ files change; False when a full build is needed."""
        built = self.built
        if built is None:
            return False
        started = time.monotonic()
        now = content_stamps(plugin.content_root)
        changed = sorted(rel for rel in now.keys() | self.stamps.keys() if now.get(rel) != self.stamps.get(rel))
        self.saved_files = [plugin.content_root / rel for rel in changed if rel in now]  # carebase serve's page banner
        if not changed and _stamp(built.config.config_file_path) == self.config_stamp and not built.config.watch:
            self.stamps = now
            return True  # a second event for a save already rendered: nothing changed since
        # first stop the last change's other pages (they would share the interpreter with this
        # check); its shards are written, the pages it had left are rendered after this change's
        self._interrupt()
        found = self._saved_items(plugin, built, changed, now)
        if isinstance(found, str):
            log.info(f"carebase: building the whole site: {found}")
            return False
        self.stamps = now
        olds, news, added, gone = found
        self._render(plugin, built, olds, news, added, gone)
        log.info(f"carebase: {len(olds) + len(added) + len(gone)} file(s) saved: pages and listings rendered in "
                 f"{time.monotonic() - started:.2f} s (the site search and the service follow)")
        return True

    def _saved_items(self, plugin, built: _Built, changed: list[str], now) -> tuple[list, list, list, list] | str:
        """The articles and FAQ files saved again, as they were and as they are, the new
        articles and the deleted ones (a rename is both); else why a full build is needed."""
        if not changed:
            return "mkdocs.yml or a watched file changed"
        if _stamp(built.config.config_file_path) != self.config_stamp:  # its options are the last build's
            return "mkdocs.yml changed"
        if plugin.content_root.resolve() != Path(built.config.docs_dir).resolve():
            return "content_dir is not docs_dir"
        old_items = {i.path: i for i in (*plugin.catalogue.articles, *plugin.catalogue.faqs, *plugin.catalogue.videos)}
        added = [rel for rel in changed if rel not in self.stamps and rel in now and _new_article(rel)]
        gone = [old_items[rel] for rel in changed if rel not in now and isinstance(old_items.get(rel), Article)]
        other = next((rel for rel in changed if rel not in added and rel not in {a.path for a in gone}
                      and (rel not in self.stamps or rel not in now or rel not in old_items)), None)
        several = len(plugin.languages.codes) > 1
        translation = next((rel for rel in changed if several and split_name(rel)[1]), None)
        if translation is not None:  # its language's pages, listings and index: a full build
            return f"{translation}: a translation saved, added or deleted"
        if several and (added or gone):  # the translations and the language sitemaps follow a full build
            return f"{(added or [g.path for g in gone])[0]} was added or deleted in a help centre in several languages"
        if other is not None:
            return f"{other} was added or deleted, or is not a published article, FAQ file or video"
        olds = [old_items[rel] for rel in changed if rel not in added and rel in now]
        if any(getattr(i, "draft", False) or i.lang or i.path.endswith("index.md") for i in (*olds, *gone)):
            return "a draft, translation or index page changed"
        if several and any(not isinstance(i, (Article, FaqGroup)) for i in olds):
            return "a video saved in a help centre in several languages (its translations take its metadata)"
        if gone:
            found = referenced(plugin.catalogue, gone) or self.mentions.naming(
                plugin.content_root, {a.path.rsplit("/", 1)[-1] for a in gone}, now, set(changed))
            if found:
                return f"{found} names a deleted article (its link or related entry is checked by a full build)"
        from carebase.content.loader import content_tree, reload_items, update_tree

        if self.tree is None or not update_tree(self.tree, plugin.content_root, added, [g.path for g in gone],
                                                plugin.limits):  # the files a link may point at
            self.tree = content_tree(plugin.content_root, _without(plugin.catalogue, gone), plugin.limits)
        saved = [rel for rel in changed if rel in now]
        articles, groups, videos, problems = reload_items(plugin.content_root, saved, _without(plugin.catalogue, gone),
                                                  self.tree, plugin.limits)
        if problems:
            return "the saved file has problems"  # the full build reports them
        news = {i.path: i for i in (*articles, *groups, *videos)}
        for old in olds:
            new = news.get(old.path)
            if new is None or _identity(new) != _identity(old):
                return f"{old.path}: its id, aliases, category, draft flag, questions or media changed"
            if several and isinstance(old, FaqGroup) and \
                    [q.aliases for q in new.questions] != [q.aliases for q in old.questions]:
                return f"{old.path}: a question's aliases changed (its translations take them)"
        fresh = [news.get(rel) for rel in added]
        why = self._unlisted(plugin, fresh, gone)
        if why:
            return why
        return olds, [news[o.path] for o in olds], fresh, gone

    @staticmethod
    def _unlisted(plugin, fresh: list, gone: list) -> str:
        """Why these new and deleted articles need a full build ("" when their pages can be
        added and removed): a draft or translation, an id or alias already taken, or a category
        the navigation would gain or lose."""
        if any(a is None or a.draft or a.lang or not a.category for a in fresh):
            return "a new draft, translation, uncategorised or unreadable article"
        catalogue = _without(plugin.catalogue, gone)
        taken = {i.id for i in catalogue.items()} | {alias for a in catalogue.articles for alias in a.aliases}
        names = [name for a in fresh for name in (a.id, *a.aliases)]
        if len(set(names)) < len(names) or taken & set(names):
            return "a new article's id or alias is already taken"
        if gone or fresh:
            probe = dataclasses.replace(plugin.ctx, catalogue=dataclasses.replace(
                catalogue, articles=(*catalogue.articles, *fresh), _index={}), _groups={}, _by_category={})
            if list(probe.category_slugs()) != list(plugin.ctx.category_slugs()):
                return "the categories changed (the navigation lists them)"
        return ""

    def _render(self, plugin, built: _Built, olds: list, news: list, added: list, gone: list) -> None:
        from carebase.pages.history import last_updated

        old_catalogue = plugin.catalogue
        replaced = {i.path: i for i in news}
        deleted = {a.path for a in gone}
        articles = [replaced.get(a.path, a) for a in old_catalogue.articles if a.path not in deleted]
        for article in added:  # where the loader puts it: in the order of the files' paths
            articles.insert(bisect.bisect([a.path for a in articles], article.path), article)
            add_article(plugin, built, article)
        catalogue = dataclasses.replace(
            old_catalogue, articles=tuple(articles), faqs=tuple(replaced.get(g.path, g) for g in old_catalogue.faqs),
            videos=tuple(replaced.get(v.path, v) for v in old_catalogue.videos), _index={})
        ctx = plugin.ctx
        listed_before = listing_pages(plugin, ctx, [*olds, *gone])
        ctx.catalogue = catalogue
        ctx._groups.clear()
        ctx._by_category.clear()
        ctx._own_pages = None
        plugin.catalogue = plugin.catalogues[plugin.languages.default] = catalogue
        plugin.__dict__.pop("_articles", None)
        plugin.updated.update(last_updated(plugin.content_root, [a.path for a in (*news, *added)]))
        removed_urls = [remove_page(plugin, built, a.path) for a in gone]
        moved = {a.category for a in (*added, *gone)}
        listings(plugin, built, moved)
        listed_before = {p for p in listed_before if built.files.get_file_from_path(p) is not None}  # still pages
        groups = [g for g in news if isinstance(g, (FaqGroup, Video))]  # pages of carebase's own records
        pages = [page_of(i, ctx) for i in (*news, *added)]
        # an FAQ file's questions show on the home page, the FAQ index and in related lists; a
        # video's card (title, thumbnail, date, length) on its category's page and the gallery
        listed = bool(groups or added or gone) or any((o.title, o.summary) != (n.title, n.summary)
                                                      for o, n in zip(olds, news))
        if listed:
            pages += sorted(listed_before | listing_pages(plugin, ctx, [*news, *added]))
        search = material_search(built.config)
        kept = search.search_index if search is not None else None
        if search is not None:
            search.search_index = type(kept)(**search.config)  # only the pages rendered now
        try:
            render_pages(plugin, built, list(dict.fromkeys(pages)))
            templates = built.config.theme.static_templates
            redated = date_pages(plugin, built.files, built.config.docs_dir)  # the sitemaps' lastmod
            for template in ("404.html",) * listed + ("sitemap.xml",) * bool(added or gone or redated):  # popular items; every page
                if template in templates:
                    _build_theme_template(template, built.env, built.files, built.config, built.nav)
            if redated and len(plugin.languages.codes) > 1:  # each language's sitemap (a new or deleted page: a full build)
                write_sitemaps(Path(built.config.site_dir), built.config, built.files, plugin.page_languages,
                               plugin.languages)
        finally:
            entries = search.search_index.entries if search is not None else []
            if search is not None:
                search.search_index = kept
        # a new or deleted article changes the count every page of its category shows ("all N
        # articles"); a rename in its category does not (its neighbours are in ``pages``)
        counted = {slug for slug in moved
                   if sum(a.category == slug for a in added) != sum(g.category == slug for g in gone)}
        later = []
        if counted:
            from carebase.pages.helpcentre import category_articles

            shown = set(pages)
            later = [a.path for slug in sorted(counted) for a in category_articles(ctx, slug) if a.path not in shown]
        left, self._left = self._left, []
        if left:  # the last change's pages not rendered yet (still pages: not deleted since)
            shown = set(pages)
            later = list(dict.fromkeys(p for p in (*left, *later)
                                       if p not in shown and built.files.get_file_from_path(p) is not None))
        self._after = threading.Thread(target=self._follow_up, name="carebase-preview", daemon=True,
                                       args=(plugin, built, later, old_catalogue, catalogue, news, added, gone))
        self._after.start()
        by_page: dict[str, list] = {a.url: [] for a in (*news, *added) if isinstance(a, Article)}
        by_page.update((url, []) for url in removed_urls if url)  # their entries go
        for entry in entries:
            page = entry.get("location", "").split("#")[0]
            if page in by_page:
                by_page[page].append(entry)
        # a generated page's entries are carebase's records (outputs.extend_search_index)
        if added:  # votes for a new article are taken as soon as its page shows (the service reads the output)
            write_output(plugin, catalogue, Path(built.config.site_dir), worker=True)  # the index follows
        self._follower.want(plugin, catalogue, by_page, after=self._after, records={g.url for g in groups},
                            output=not added, removed={twin_path(url) for url in removed_urls if url})

    def _follow_up(self, plugin, built: _Built, later: list[str], old_catalogue, catalogue, news, added,
                   gone) -> None:
        """After the saved pages are served: the site search's shards, then the other pages
        that changed (``later``). The next change waits for the shards; it stops the pages
        before the next one (it waits for one page at most) and renders those left
        after its own."""
        self._shards(plugin, built, old_catalogue, catalogue, news, added, gone)
        step = 20  # pages rendered with one list of MkDocs' files (10,000 at 10,000 items)
        done = 0
        try:
            while done < len(later) and not self._interrupted.is_set():
                done += render_pages(plugin, built, later[done:done + step], stop=self._interrupted.is_set)
            if done < len(later):
                self._left = later[done:]
        except Exception as exc:  # a preview keeps serving; the next full build renders everything
            log.warning(f"carebase: rendering the category's pages again after a save failed ({exc}); "
                        "they are rendered at the next full build")

    def _shards(self, plugin, built: _Built, old_catalogue, catalogue, news, added, gone) -> None:
        """The site search's shards of the terms the saved, new and deleted items change,
        updated in place (the next save waits for them: each update starts from the last
        one's index)."""
        from carebase.pages.search_shards import build_search_shards
        from carebase.pages.search_shards_update import update_search_shards

        try:
            ctx = plugin.ctx
            shards = Path(built.config.site_dir) / ctx.at("search") / "carebase"
            if not update_search_shards(old_catalogue, catalogue, shards, saved=[i.id for i in news],
                                        added=[a.id for a in added], gone=[g.id for g in gone],
                                        category_title=ctx.category_title):
                log.info("carebase: the site search is written whole (its index could not be updated in place)")
                build_search_shards(catalogue, shards, category_title=ctx.category_title)
            self._translations_shards(plugin, built, old_catalogue, catalogue)
        except Exception as exc:  # a preview keeps serving; the next full build writes everything
            log.warning(f"carebase: updating the site search after a save failed ({exc}); "
                        "it is written whole at the next full build")

    @staticmethod
    def _translations_shards(plugin, built: _Built, old_catalogue, catalogue) -> None:
        """Each other language's site search, written whole when the save changed the words its
        translations are also found by (their sources' titles and keywords:
        ``records.with_source``), as a full build writes it."""
        from carebase.pages.search_shards import build_search_shards
        from carebase.search.records import catalogue_records

        for lang in plugin.languages.others:
            lang_ctx = plugin.ctxs.get(lang)
            other = getattr(lang_ctx, "catalogue", None)
            if other is None or not (other.articles or other.faqs or other.videos):
                continue
            words = [{r.key: r.source for r in catalogue_records(other, source)} for source in (old_catalogue, catalogue)]
            if words[0] != words[1]:
                shards = Path(built.config.site_dir) / lang_ctx.at("search") / "carebase"
                build_search_shards(other, shards, category_title=lang_ctx.category_title, source=catalogue)


def _stamp(path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, TypeError):
        return None
    return st.st_mtime_ns, st.st_size


def _identity(item) -> tuple:
    """What a save must keep for a page update to be enough (else the pages, the navigation or
    the links change): an article's id, aliases, category, draft flag and language; an FAQ
    file's id, category, language and its questions' ids in their order; a video's id,
    aliases, category, language and media files."""
    if isinstance(item, FaqGroup):
        return item.id, item.category, item.lang, tuple(q.id for q in item.questions)
    if isinstance(item, Video):  # its media files are copied by a full build
        return item.id, item.aliases, item.category, item.lang, item.source, item.thumbnail, item.captions, \
            item.transcript_path
    return item.id, item.aliases, item.category, item.draft, item.lang


def _without(catalogue, gone: list):
    """``catalogue`` without the deleted articles ``gone``."""
    if not gone:
        return catalogue
    paths = {a.path for a in gone}
    return dataclasses.replace(catalogue, articles=tuple(a for a in catalogue.articles if a.path not in paths),
                               _index={})


def _new_article(rel: str) -> bool:
    """A new file that would be an article (Markdown outside the folders of generated pages)."""
    from carebase.content.loader import GENERATED

    return rel.endswith(".md") and "/" in rel and rel.split("/", 1)[0] not in GENERATED and \
        not rel.endswith("index.md")

