"""Each page's ``update_date`` (the sitemaps' ``lastmod``: the theme's sitemap.xml, the
sitemap of each language) set to the day the page last changed (carebase.pages.dates), not
MkDocs' default, the build's day for every page. Set before the theme's sitemap.xml is
rendered (``on_env``), and again after ``carebase serve`` renders a save (preview.py)."""

from __future__ import annotations

from carebase.pages.dates import PageDays, day
from carebase.pages.history import last_updated


def date_pages(plugin, files, docs_dir: str) -> int:
    """``page.update_date`` of every documentation page of ``files``: carebase's pages from
    the plugin's content stamps (``plugin.updated``); the site's other Markdown pages from
    their own files' history (one ``git log`` for all of them). Gives how many changed."""
    days = {}
    others = []
    before = {file.src_uri: file.page.update_date for file in files.documentation_pages() if file.page is not None}
    for file in files.documentation_pages():
        page = file.page
        if page is None:
            continue
        article = plugin._article_for(page)
        if article is not None:
            page.update_date = day(plugin.updated.get(article.path))
            continue
        generated = plugin.generated.get(file.src_uri)
        if generated is None:
            if file.abs_src_path:
                others.append(file)
            continue
        ctx = plugin._ctx_of(page)
        if id(ctx) not in days:
            days[id(ctx)] = PageDays(ctx, plugin.updated)
        page.update_date = days[id(ctx)].of(generated, plugin._source_of(generated, ctx))
    if others:
        stamps = last_updated(docs_dir, [f.src_uri for f in others])
        for file in others:
            file.page.update_date = day(stamps.get(file.src_uri))
    return sum(file.page.update_date != before[file.src_uri]
               for file in files.documentation_pages() if file.page is not None)
