"""MkDocs event handlers for carebase (thin: the pages come from ``carebase.pages``).

on_config   validate the widget settings, set the theme-wide context
on_files    load the catalogue, report its problems, make the build output current for it
            (carebase.output: manifest, catalogue snapshot, search index — once per content
            revision; every language's catalogue and index in the same output), drop
            YAML/transcript sources and drafts, add the generated pages, set the bounded
            navigation
on_page_*   place generated bodies and the blocks around each page
on_post_build  wait for the build output's index, publish its manifest.json, add carebase's
               records to Material's search index, write the site search's sharded index
               (search/carebase/) and the machine files (outputs.py)

Which files are published: files.py; the site context: context.py; titles as text:
page_text.py; ``carebase serve``'s single-page updates after a save: preview.py.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from carebase.pages.blocks import contact_block
from carebase.pages.search_template import nojs_action, write_search_templates
from carebase.pages.context import SiteContext
from carebase.pages.generated import GeneratedPage
from carebase.pages.history import last_updated
from carebase.pages.site_links import mkdocs_links
from carebase.pages.site import PageParts, build_pages, generated_parts, item_parts, nav_entries
from carebase.output import OutputError, default_folder, open_output
from carebase.output.layout import preview_folder
from carebase.plugins.site.adapters import NOJS_PALETTE, icon_finder, log, nojs_palette, report
from carebase.plugins.site.anchors import tell_anchors
from carebase.plugins.site.compiled import keep_compiled
from carebase.plugins.site.config import CarebaseConfig
from carebase.plugins.site.context import site_context
from carebase.plugins.site.files import drop_outside, drop_sources, refuse_folder_links
from carebase.plugins.site.languages import (
    SWITCHER, PageLanguageContext, link_translations, navigation, place_translations,
)
from carebase.plugins.site.material import page_needs_bundle, site_needs_bundle
from carebase.plugins.site.options import read_options, stop_on_errors
from carebase.plugins.site.outputs import extend_search_index, write_machine_files, write_search_shards, write_sitemaps
from carebase.plugins.site.page_dates import date_pages
from carebase.plugins.site.page_text import escape_description, html_dir, html_text
from carebase.plugins.site import kept
from carebase.plugins.site.kept import PreviewKept, failing
from carebase.plugins.site.preview import Preview


class CarebasePlugin(BasePlugin[CarebaseConfig]):
    supports_multiple_instances = False
    command = "build"

    def on_startup(self, *, command, dirty) -> None:
        self.command = command  # "serve" keeps this instance across rebuilds
        self.preview = Preview()  # serve: an article saved again renders only what shows it
        self.served = None  # serve: the failing problems of the site being served (kept.py)

    def on_shutdown(self) -> None:
        if self.command == "serve":
            self.preview.stop()  # before serve removes the preview's site folder

    def on_config(self, config):
        # the options carebase reads itself, checked before anything is kept of them: options
        # with an error stop the build here, and `carebase serve` keeps serving the last site
        # with the state that built it (plugins/site/options.py; `carebase check` reports the same)
        options, problems = read_options(self.config, config)
        stop_on_errors(problems, config.config_file_path)  # each at its line, then one failure
        self.feedback, self.settings = options.feedback, options.settings
        self.languages, self.limits = options.languages, options.limits
        self.config_file = config.config_file_path
        self.content_root = Path(self.config.content_dir or config.docs_dir)
        if not self.content_root.is_absolute():
            self.content_root = Path(config.config_file_path or ".").parent / self.content_root
        self.site_data = self._site_data(config)
        self.region = options.region
        refuse_folder_links(config.docs_dir)
        search = config.plugins.get("search")
        if search is not None and type(search).__module__.startswith("mkdocs."):
            log.warning("carebase: 'search' is MkDocs' own search plugin here (the theme is not named "
                        "'material'); use '- material/search' in plugins for Material's search")
        if not config.site_url:
            log.warning("carebase: mkdocs.yml: site_url: expected the help centre's public address "
                        "(site_url: https://help.example.com/), found nothing: the sitemap lists no page, "
                        "pages have no canonical URL or Open Graph address, and the 404 page's links only "
                        "work at the site's root. Set site_url in mkdocs.yml")
        self.icon = icon_finder(config.theme.dirs)
        self.material = site_needs_bundle(config, self.config.material_bundle)  # "": page by page
        return config

    def _site_data(self, config) -> Path:
        if self.command == "serve":
            return preview_folder(config.config_file_path or "mkdocs.yml")
        if self.config.site_data:
            folder = Path(self.config.site_data)
            return folder if folder.is_absolute() else Path(config.config_file_path or ".").parent / folder
        return default_folder(config.site_dir)

    def on_pre_build(self, config) -> None:
        """``carebase serve`` after its first build: the content is read before MkDocs empties
        the site folder, and a change that brings a new error stops here, the last site kept
        (kept.py)."""
        self._loaded = None
        if self.command != "serve" or self.served is None or not kept.KEEP_LAST_SITE:
            return
        reading = self.preview.reading(self)  # the content's stamps, before it is read
        problems, catalogues = self._load_content()
        new = failing(problems, config.strict) - self.served
        if new:  # nothing changes: the last site, and what the preview keeps of it for the next save
            report(problems, root=self.content_root)
            raise PreviewKept(len(new))
        self.preview.full_build_starts(self, reading)
        self._loaded = (problems, catalogues)

    def _load_content(self):
        """(every problem, language → its published catalogue: items with errors left out)."""
        if len(self.languages.codes) > 1:
            from carebase.content.translations import load_languages

            multilingual = load_languages(self.content_root, self.languages, self.limits)
            return multilingual.problems, multilingual.published().catalogues
        from carebase.content import load_catalogue

        loaded = load_catalogue(self.content_root, self.limits)
        return loaded.problems, {self.languages.default: loaded.published()}

    # -- files and navigation -------------------------------------------------------------
    def on_files(self, files: Files, config) -> Files:
        loaded = getattr(self, "_loaded", None)  # read by on_pre_build (serve)
        self._loaded = None
        if self.command == "serve" and loaded is None:
            self.preview.full_build_starts(self)
        self.__dict__.pop("_articles", None)  # serve keeps this instance: the last build's articles
        self.generated: dict[str, GeneratedPage] = {}  # this build's (a change not applied keeps the last's)
        self.parts: dict[str, PageParts] = {}
        problems, self.catalogues = loaded or self._load_content()
        report(problems, root=self.content_root)
        if self.command == "serve":
            self.served = failing(problems, config.strict)
        catalogue = self.catalogue = self.catalogues[self.languages.default]
        self.strings = self._strings(config)
        self._texts_of: dict[str, dict] = {}  # language → its texts for the theme (_texts)
        self._nojs_palette = nojs_palette(config)  # the pages' palette without script (on_files, _site_context)
        # the site's own strings per language, for the service's pages (the manifest's "strings")
        self.published_strings = {lang: s.published() for lang, s in self.strings.items() if s.published()}
        try:
            self.output = open_output(self.site_data, catalogue, drafts=self.config.drafts,
                                      reasons=self.settings.reasons,
                                      languages={lang: self.catalogues[lang] for lang in self.languages.others},
                                      language=self.languages.default, strings=self.published_strings,
                                      region=self.region)
        except (OutputError, OSError) as exc:
            raise PluginError(f"carebase: cannot write the build output in {self.site_data}: {exc}") from None
        ctx = site_context(self.config, catalogue, config, feedback=self.feedback, settings=self.settings,
                           icon=self.icon, output=self.output)
        ctx.strings = self.strings[self.languages.default]
        self.ctxs = {self.languages.default: ctx}
        self.configs = {}  # language → mkdocs.yml's config with that language's site name (on_page_context)
        for lang in self.languages.others:
            # mkdocs.yml's texts are the default language's: the others' own (strings.<lang>.yml)
            own = self.strings[lang]
            self.ctxs[lang] = dataclasses.replace(
                ctx, catalogue=self.catalogues[lang], strings=own,
                home=dataclasses.replace(ctx.home, title="", subtitle=""),
                site_name=own.site_text("site.name", ctx.site_name),
                contact=dataclasses.replace(ctx.contact, hours=own.site_text("site.contact.hours", ctx.contact.hours)),
                prefix=self.languages.prefix(lang), _groups={}, _by_category={}, _own_pages=None)
        paths = [i.path for c in self.catalogues.values() for i in (*c.articles, *c.faqs, *c.videos)]
        self.updated = last_updated(self.content_root, paths)
        same_root = self.content_root.resolve() == Path(config.docs_dir).resolve()
        drop_outside(files, config.docs_dir, quiet=same_root)
        if same_root:
            drop_sources(files, self.catalogues, self.config.drafts)
        self.page_languages = PageLanguageContext(self.languages, config.theme, config.site_url or "")
        translated = self.translated = place_translations(files, self.catalogues, self.languages.default)
        for c in self.catalogues.values():
            for article in c.articles:
                if article.lang == "" or article.path in translated:
                    self.page_languages.add(article.path, article.url, article.lang)
        existing = {f.src_uri for f in files.documentation_pages()}
        pages = []
        for lang, lang_ctx in self.ctxs.items():
            for page in build_pages(lang_ctx, self.updated, existing):
                files.append(File.generated(config, page.src_uri, content=page.markdown()))
                self.generated[page.src_uri] = page
                self.page_languages.add(page.src_uri, page.url, lang)
                pages.append(page)
        self.lang_navs = {}  # another language → its navigation's entries (on_nav makes it)
        if self.config.nav == "categories" and not config.nav:
            config.nav = [{html_text(k): v for k, v in entry.items()} for entry in nav_entries(ctx, pages, existing)]
            for lang in self.languages.others:
                self.lang_navs[lang] = [{html_text(k): v for k, v in entry.items()}
                                        for entry in nav_entries(self.ctxs[lang], pages, existing)]
        self.ctx = ctx
        if self._nojs_palette:
            files.append(File.generated(config, NOJS_PALETTE, content=self._nojs_palette))
        return files

    def _strings(self, config) -> dict:
        """carebase's own texts per language (carebase.strings: its catalogue, the site's
        strings files over it, English where one is missing: warned with the file), the
        site's texts of mkdocs.yml translated by the other languages' files (site.*)."""
        from carebase.strings import load_strings
        from carebase.strings.site import site_texts

        contact = self.config.contact
        self.site_texts = site_texts(
            name=config.site_name, description=config.site_description or "", copyright=config.copyright or "",
            hours=contact.hours or str((self.config.feedback.get("contact") or {}).get("hours") or ""),
            footer_text=self.config.footer.text, footer_links=[link.title for link in self.config.footer.links])
        out, problems = {}, []
        for lang in self.languages.codes:
            out[lang], found = load_strings(self.content_root, lang, self.languages.default, self.site_texts)
            problems += found
        report(problems, root=self.content_root)
        return out

    # -- pages ----------------------------------------------------------------------------
    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        """Titles are text: MkDocs and Material print ``page.title`` (from ``meta.title``) as
        HTML in the header, the navigation, ``<title>``, the footer and the search index, so
        the title goes in escaped. Articles: the summary becomes the meta description."""
        item = self._article_for(page)
        if item is not None:  # ids, /content-root links, pages' addresses: as MkDocs reads links
            markdown = mkdocs_links(markdown, page.file.src_uri, self.ctxs[self.languages.default].id_url,
                                    self._page_files(files), self.languages.prefix(item.lang))
        if item is not None and item.lang:  # then to the same language's article, as a relative link does
            markdown = link_translations(markdown, page.file.src_uri, item.lang, self.translated)
        title = page.meta.get("title")
        if item is not None and "title" in page.meta:
            title = item.title
        if title is not None and not isinstance(title, Markup):
            page.meta["title"] = html_text(str(title))
        if item is not None and item.summary and not page.meta.get("description"):
            page.meta["description"] = item.summary
        return markdown

    def _page_files(self, files) -> dict[str, str]:
        """Site address → the file MkDocs builds the page from (once per build's files, and
        again after serve adds or removes a page: ``forget_page_files``)."""
        cached = getattr(self, "_pages", None)
        if cached is None or cached[0] is not files:
            cached = self._pages = (files, {("" if f.url == "./" else f.url): f.src_uri
                                            for f in files.documentation_pages()})
        return cached[1]

    def forget_page_files(self) -> None:
        """Serve added or removed a page in the kept files: the address map is made again (a
        rename leaves as many files, so their count cannot tell)."""
        self._pages = None

    def on_page_content(self, html: str, page, config, files) -> str:
        generated = self.generated.get(page.file.src_uri)
        if generated is not None:
            escape_description(page)
            self.parts[page.file.src_uri] = generated_parts(
                generated, self._ctx_of(page), self.updated.get(self._source_of(generated, self._ctx_of(page)), None))
            placed = generated.place(html)
            tell_anchors(page, placed, generated.kind)  # for MkDocs' check of links to it
            return placed
        item = self._article_for(page)
        if item is None:
            return html
        if item.summary and not page.meta.get("description"):
            page.meta["description"] = item.summary  # <meta name="description">, og:description
        escape_description(page)
        parts = item_parts(item, self._ctx_of(page), self.updated.get(item.path))
        self.parts[page.file.src_uri] = parts
        if parts.lead:
            end = html.find("</h1>")
            html = html[: end + 5] + parts.lead + html[end + 5:] if end >= 0 else parts.lead + html
        return html

    def _article_for(self, page):
        if not hasattr(self, "_articles"):
            self._articles = {a.path: a for c in self.catalogues.values() for a in c.articles}
        return self._articles.get(page.file.src_uri)

    def _ctx_of(self, page) -> SiteContext:
        """The site context of the page's language (its catalogue, its URL folder)."""
        return self.ctxs.get(self.page_languages.lang_of.get(page.file.src_uri, ""), self.ctx)

    def _source_of(self, generated: GeneratedPage, ctx: SiteContext) -> str:
        item = ctx.catalogue.get(generated.item_id) if generated.item_id else None
        if item is not None:
            return item.path
        if generated.kind == "faq":
            return next((g.path for g in ctx.catalogue.faqs if g.url == generated.url), "")
        return ""

    def on_page_context(self, context, page, config, nav):
        parts = (self.parts.pop(page.file.src_uri, None)
                 or PageParts(contact=contact_block(self._ctx_of(page), page_url=page.url)))
        context["carebase"] = asdict(parts)
        context["carebase_feedback"] = parts.feedback
        self._site_context(context)
        context["carebase_markdown"] = self._twin_of(page)
        context["carebase_navs"], context["carebase_nav_key"] = self._navs_html, self._nav_key(page)
        variables, alternates = self.page_languages.context(page)
        context.update(variables)
        # the header box's form without JavaScript: the service's search page of the page's language
        context["carebase_nojs_action"] = nojs_action(self.settings.service_url, variables["carebase_prefix"] + "search/")
        generated = self.generated.get(page.file.src_uri)
        context["carebase_search"] = generated is not None and generated.kind in ("home", "search")
        context["carebase_alternates"] = alternates
        # why the page loads Material's bundle, "" when carebase's chrome.js does instead (theme main.html)
        context["carebase_material"] = self.material or page_needs_bundle(page.content)
        lang = self.page_languages.lang_of.get(page.file.src_uri, self.languages.default)
        self._texts(context, lang)
        if lang != self.languages.default:
            context["config"] = self._config_in(lang, config)
            if lang in getattr(self, "navs", {}):  # the language's own navigation (its pages, its titles)
                context["nav"] = self.navs[lang]
        if len(self.languages.codes) > 1:
            # Material's header shows the switcher when config.extra.alternate is true; MkDocs
            # renders each page right after this event (see languages.SWITCHER)
            config.extra["alternate"] = SWITCHER if alternates else None
        return context

    def _nav_key(self, page) -> str:
        """The key under which the theme keeps the navigation's HTML for ``page`` ("": render it
        for this page alone). Material's navigation differs between pages only by the page's
        place in it (the active entry, its table of contents) and by its links, relative to
        the page's folder; so every page outside the navigation in one folder, with no entry
        of the navigation under its own address, in one language, shows the same HTML."""
        url = page.url
        if page.file.src_uri in self._nav_srcs or not url or any(u.startswith(url) for u in self._nav_urls):
            return ""
        lang = self.page_languages.lang_of.get(page.file.src_uri, self.languages.default)
        return f"{lang}\0{url.rstrip('/').rpartition('/')[0]}"

    def _config_in(self, lang: str, config):
        """mkdocs.yml's config as the theme reads it on a page in ``lang``: the site's name and
        description in that language (``site.name``/``site.description`` of strings.<lang>.yml;
        Material prints ``config.site_name`` in the header, the title and the navigation).
        A shallow copy made on the language's first page, after the navigation is set."""
        if lang not in self.configs:
            import copy

            strings = self.strings[lang]
            localized = copy.copy(config)
            localized["site_name"] = strings.site_text("site.name", config.site_name)
            localized["site_description"] = strings.site_text("site.description", config.site_description)
            localized["copyright"] = strings.site_text("site.copyright", config.copyright)
            self.configs[lang] = localized
        return self.configs[lang]

    def _site_context(self, context) -> None:
        """What every page of the site gets: the widget's config, the footer, header links."""
        context["carebase_config"] = {"service": self.settings.service_url, "scale": self.settings.style,
                                     "ask": self.config.ask}
        context["carebase_nojs_action"] = nojs_action(self.settings.service_url, "search/")  # a page's: its language's
        context["carebase_nojs_palette"] = NOJS_PALETTE if self._nojs_palette else ""
        self._texts(context, self.languages.default)

    def _texts(self, context, lang: str) -> None:
        """The page language's texts: ``carebase_t`` for the theme's templates, ``carebase_text``
        for the scripts (the widget, search, contact form), the header's contact link, the
        footer (mkdocs.yml's texts in the default language, strings.<lang>.yml's site.* in
        another)."""
        texts = self._texts_of.get(lang)  # the same on every page of a language: made once a build
        if texts is None:
            texts = self._texts_of[lang] = self._language_texts(lang)
        context.update(texts)

    def _language_texts(self, lang: str) -> dict:
        strings = self.strings.get(lang) or self.strings[self.languages.default]
        footer = self.config.footer
        titles = strings.site_text("site.footer.links", tuple(link.title for link in footer.links))
        # the contact form in the page's language (carebase.pages.contact: contact/, de/contact/)
        # it names the page it is followed from (?from=…), as carebase.pages.blocks.contact_form_link
        # does (the header template adds the page)
        form = self.languages.prefix(lang) + "contact/"
        base = urlsplit(self.ctx.site_url or "").path or "/"
        to_form = {"from_base": base if base.endswith("/") else base + "/"}
        links = [{"title": strings.t("contact.title"), "url": form, **to_form}] if self.config.contact.form else []
        footer_links = []
        for title, link in zip(titles, footer.links):
            url = self.page_languages.pages.in_language(lang, link.url)
            # a footer link to the contact form names its page too
            footer_links.append({"title": title, "url": url, **(to_form if self.config.contact.form and url == form else {})})
        return {"carebase_footer": {"text": strings.site_text("site.footer.text", footer.text),
                                    "credit": footer.credit,
                                    "links": footer_links},
                "carebase_t": strings,
                "carebase_text": strings.for_script(("widget.", "search.", "contact.")),
                "carebase_header_links": links}

    def on_post_page(self, output: str, page, config) -> str:
        """``dir`` on ``<html>`` in the page's writing direction (Material writes it on
        ``<body>`` only): the whole document, scrollbars and form controls included, is
        right-to-left in Arabic or Hebrew."""
        return html_dir(output, self.page_languages.lang_of.get(page.file.src_uri, self.languages.default))

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return html_dir(output_content, self.languages.default) if template_name == "404.html" else output_content

    def on_template_context(self, context, template_name, config):
        """The 404 page (a theme template, no page of its own): search, popular items, contact."""
        if template_name == "404.html" and hasattr(self, "ctx"):
            from urllib.parse import urlsplit

            if len(self.languages.codes) > 1:  # no versions: no switcher (the last page rendered set it)
                config.extra["alternate"] = None

            from carebase.pages.helpcentre import not_found_body

            root = urlsplit(config.site_url or "/").path or "/"
            context["carebase"] = {"not_found": not_found_body(self.ctx, root, self.updated)}
            context["carebase_material"] = self.material
            self._site_context(context)
        return context

    def on_nav(self, nav, config, files):
        self._nav = nav  # kept for carebase serve's single-page updates (preview.py)
        self.navs = {lang: navigation(entries, files, config) for lang, entries in getattr(self, "lang_navs", {}).items()}
        in_nav = [p for n in (nav, *self.navs.values()) for p in n.pages]
        self._nav_srcs = {p.file.src_uri for p in in_nav}
        self._nav_urls = {p.url for p in in_nav}
        self._navs_html: dict[str, str] = {}  # _nav_key → the navigation's HTML (theme/main.html)
        return nav

    @event_priority(-100)  # after every plugin's filters: they are part of the compiled cache's key
    def on_env(self, env, config, files):
        """sitemap.xml (theme) names each page's versions in the other languages (hreflang)
        and the day each page last changed (page_dates.py); the theme's templates compiled
        once, not at every build (compiled.py)."""
        env.globals["carebase_alternates_of"] = self.page_languages.alternates_of_url
        date_pages(self, files, config.docs_dir)  # the sitemaps' lastmod: each page's own day
        keep_compiled(env)
        self._env = (env, files)
        return env

    def _twin_of(self, page) -> str:
        """The page's Markdown twin (for ``<link rel="alternate" type="text/markdown">``), or ""."""
        from carebase.assist.twins import twin_path

        article = self._article_for(page)
        if article is not None:
            return "" if article.draft else twin_path(article.url)
        generated = self.generated.get(page.file.src_uri)
        if generated is not None and generated.kind in ("faq", "video"):
            return twin_path(generated.url)
        return ""

    # -- outputs --------------------------------------------------------------------------
    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, config) -> None:
        site = Path(config.site_dir)
        if self.command != "serve":  # a preview shows the page now; its index follows
            try:
                self.output.wait()
            except OutputError as exc:
                raise PluginError(f"carebase: {exc}") from None
        (site / "manifest.json").write_bytes(self.output.manifest_bytes)  # the published copy
        extend_search_index(site, self.generated, self.languages, self.catalogue, self.ctx, config)
        write_search_shards(site, self.ctxs, self.output)
        write_machine_files(site, config, self.catalogue, self.ctx,
                            {lang: self.ctxs[lang] for lang in self.languages.others})
        write_sitemaps(site, config, self._env[1], self.page_languages, self.languages)
        # the search page without JavaScript: the service's template of this build's search pages
        # and the contact form's, which shows the page the customer came from (its title) and
        # the journey's searches (carebase.service.contact_page)
        write_search_templates(self.site_data, site, {lang: ctx.at("search/") for lang, ctx in self.ctxs.items()},
                               site_url=config.site_url or "", default=self.languages.default,
                               contact={lang: ctx.at("contact/") for lang, ctx in self.ctxs.items() if ctx.contact.form},
                               titles={p.url: p.title for p in self.generated.values()},
                               names={lang: ctx.site_name for lang, ctx in self.ctxs.items()})
        if self.command == "serve":
            env, files = self._env
            self.preview.full_build_done(self, config, files, self._nav, env)
