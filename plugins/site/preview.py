"""``carebase serve``: an article saved again shows in about a second, whatever the site's size.

MkDocs' serve builds the whole site again on every change (minutes at 10,000 items), and its
``--dirty`` renders only the changed files, leaving every listing stale. Here, at the end of
each full build, the plugin keeps what the build made (MkDocs' config, files, navigation and
template environment; the catalogue) and the content files' stamps. On the next change, when
the only files that changed are published articles saved again (same id, aliases, category
and language, no problem in them), ``Preview.update`` reads those articles again, puts them
in the catalogue and renders only the pages that show them:

- each article's page;
- when its title or summary changed, the pages that list it: its category's listing pages,
  the home page, the 404 page, the articles whose "In this category" list shows it, and the
  pages whose related items name it;

and, in a background thread the next change waits for, the site search's shards of the terms
that changed; then, in a child process (follow.py) which saves in quick succession do not
wait for (it writes for the newest catalogue when it is done), the re-rendered pages' entries
in Material's ``search_index.json``, the Markdown twins and llms files, and the build output
the feedback service follows (a new revision: manifest, catalogue, search index). Anything
else — a file added, deleted or renamed, YAML, mkdocs.yml, the theme, a problem in a saved article — is a full build, which
reports problems as always. Links from other pages into a saved article are checked again
at the next full build.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
from mkdocs.structure.files import InclusionLevel

from carebase.content.model import Article
from carebase.plugins.site.adapters import log
from carebase.plugins.site.follow import Follower
from carebase.plugins.site.listed import listing_pages
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
        """Render what the saved articles change; False when a full build is needed."""
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
        found = self._saved_articles(plugin, built, changed, now)
        if isinstance(found, str):
            log.info(f"carebase: building the whole site: {found}")
            return False
        self.stamps = now
        olds, news = found
        self._render(plugin, built, olds, news)
        log.info(f"carebase: {len(olds)} article(s) saved: page and listings rendered in "
                 f"{time.monotonic() - started:.2f} s (the site search and the service follow)")
        return True

    def _saved_articles(self, plugin, built: _Built, changed: list[str], now) -> tuple[list, list] | str:
        """The articles saved again, as they were and as they are; else why a full build is needed."""
        if not changed:
            return "mkdocs.yml or a watched file changed"
        if len(plugin.languages.codes) > 1:
            return "a help centre in several languages"
        if plugin.content_root.resolve() != Path(built.config.docs_dir).resolve():
            return "content_dir is not docs_dir"
        old_articles = {a.path: a for a in plugin.catalogue.articles}
        other = next((rel for rel in changed if rel not in self.stamps or rel not in now or rel not in old_articles),
                     None)
        if other is not None:
            return f"{other} was added, deleted or is not a published article"
        olds = [old_articles[rel] for rel in changed]
        if any(a.draft or a.lang or a.path.endswith("index.md") for a in olds):
            return "a draft, translation or index page changed"
        from carebase.content.loader import content_tree, reload_articles

        if self.tree is None:
            self.tree = content_tree(plugin.content_root, plugin.catalogue, plugin.limits)
        fresh, problems = reload_articles(plugin.content_root, changed, plugin.catalogue, self.tree, plugin.limits)
        if problems:
            return "the saved article has problems"  # the full build reports them
        news = {a.path: a for a in fresh}
        for old in olds:
            new = news.get(old.path)
            if new is None or (new.id, new.aliases, new.category, new.draft, new.lang) != \
                    (old.id, old.aliases, old.category, old.draft, old.lang):
                return f"{old.path}: its id, aliases, category or draft flag changed"
        return olds, [news[o.path] for o in olds]

    def _render(self, plugin, built: _Built, olds: list[Article], news: list[Article]) -> None:
        from carebase.pages.history import last_updated

        old_catalogue = plugin.catalogue
        replaced = {a.path: a for a in news}
        catalogue = dataclasses.replace(
            old_catalogue, articles=tuple(replaced.get(a.path, a) for a in old_catalogue.articles), _index={})
        ctx = plugin.ctx
        listed_before = listing_pages(plugin, ctx, olds)
        ctx.catalogue = catalogue
        ctx._groups.clear()
        ctx._by_category.clear()
        plugin.catalogue = plugin.catalogues[plugin.languages.default] = catalogue
        plugin.__dict__.pop("_articles", None)
        plugin.updated.update(last_updated(plugin.content_root, [a.path for a in news]))
        pages = [a.path for a in news]
        listed = any((o.title, o.summary) != (n.title, n.summary) for o, n in zip(olds, news))
        if listed:
            pages += sorted(listed_before | listing_pages(plugin, ctx, news))
        search = material_search(built.config)
        kept = search.search_index if search is not None else None
        if search is not None:
            search.search_index = type(kept)(**search.config)  # only the pages rendered now
        try:
            self._render_pages(plugin, built, list(dict.fromkeys(pages)))
            if listed and "404.html" in built.config.theme.static_templates:
                _build_theme_template("404.html", built.env, built.files, built.config, built.nav)  # popular items
        finally:
            entries = search.search_index.entries if search is not None else []
            if search is not None:
                search.search_index = kept
        self._after = threading.Thread(target=self._shards, name="carebase-preview", daemon=True,
                                       args=(plugin, built, old_catalogue, catalogue, news))
        self._after.start()
        urls = {a.url for a in news}
        by_page: dict[str, list] = {url: [] for url in urls}
        for entry in entries:
            page = entry.get("location", "").split("#")[0]
            if page in by_page:
                by_page[page].append(entry)
        self._follower.want(plugin, catalogue, by_page, after=self._after)

    def _render_pages(self, plugin, built: _Built, src_uris: list[str]) -> list[str]:
        """Render these pages again (generated pages from the catalogue as it is now); their URLs."""
        from carebase.pages.home import home_page
        from carebase.pages.listings import category_pages

        config, files = built.config, built.files
        ctx, kinds = plugin.ctx, {s: plugin.generated[s].kind for s in src_uris if s in plugin.generated}
        regenerated = {}  # listing pages hold their entries in their body; the others render them
        if "home" in kinds.values():
            regenerated.update((p.src_uri, p) for p in [home_page(ctx, plugin.updated)])
        for slug in {s.split("/", 1)[0] for s, kind in kinds.items() if kind == "category"}:
            regenerated.update((p.src_uri, p) for p in category_pages(slug, ctx))
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
