"""The site context every page builder gets (``carebase.pages.context.SiteContext``), from
the plugin's options and mkdocs.yml: contact, home, feedback, icons, the site's Markdown, and
the related-items engine."""

from __future__ import annotations

import functools

from carebase.pages.context import Contact, HomeOptions, SiteContext
from carebase.pages.markup import Markdown
from carebase.plugins.site.adapters import log, related_engine


def site_context(options, catalogue, config, *, feedback, settings, icon, output) -> SiteContext:
    """``options``: the plugin's config; ``config``: MkDocs'."""
    ctx = SiteContext(
        catalogue=catalogue,
        site_name=config.site_name,
        site_url=config.site_url or "",
        contact=Contact(**dict(options.contact)),
        home=HomeOptions(**dict(options.home)),
        featured=tuple(options.featured),
        page_size=max(1, options.page_size),
        feedback=feedback,
        service_url=settings.service_url,
        icon=icon,
        markdown=Markdown(config.markdown_extensions, config.mdx_configs),  # the site's own
    )
    for category in catalogue.categories:
        if category.icon and not icon(category.icon):
            log.warning(f"{category.path}:{category.line}: icon: expected a Material icon name such as "
                        f"material/credit-card (the theme's .icons folder), found {category.icon!r}: "
                        "the category's card shows no icon")
    engine = options.related
    if engine == "auto":
        count = sum(1 for _ in catalogue.items())
        engine = "search" if count <= options.related_index_max else "terms"
    related = related_engine(engine, catalogue, output, ctx.category_of)
    if related is not None:
        limit = options.related_limit
        ctx.related = functools.lru_cache(maxsize=None)(lambda item_id, _limit=limit: related(item_id, _limit))
    return ctx
