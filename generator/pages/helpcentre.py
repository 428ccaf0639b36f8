"""Help-centre blocks around the pages: the slim "In this category" list of an article page and
the "page not found" page (search, popular items, contact)."""

from __future__ import annotations

from carebase.content.model import Article
from carebase.pages.blocks import contact_block, kind_label
from carebase.pages.context import SiteContext
from carebase.pages.home import popular_articles, search_form
from carebase.pages.markup import esc, links as linked, rel
from carebase.pages.search_template import nojs_action

#: Articles listed beside an article (a window around it in a larger category, then "All N …").
IN_CATEGORY = 12


def category_articles(ctx: SiteContext, slug: str) -> list[Article]:
    """The category's published articles in its page's order (title)."""
    by = ctx._by_category
    if not by:
        for item in ctx.listed_items():
            if isinstance(item, Article):
                by.setdefault(item.category, []).append(item)
        for arts in by.values():
            arts.sort(key=lambda a: a.title.lower())  # the category page's order
        by.setdefault("", [])
    return by.get(slug, [])


def in_category_window(here: int, count: int) -> tuple[int, int]:
    """Which of a category's ``count`` articles the "In this category" list of the one at
    ``here`` shows: ``IN_CATEGORY`` around it (start, end)."""
    start = max(0, min(here - IN_CATEGORY // 2, count - IN_CATEGORY))
    return start, start + IN_CATEGORY


def in_category(article: Article, ctx: SiteContext) -> str:
    """The article's category as a slim list (the article itself marked as the current page);
    at most ``IN_CATEGORY`` entries around it, so a page's size does not grow with its
    category."""
    slug = article.category
    arts = category_articles(ctx, slug) if slug else []
    # the article by identity first (comparing articles field by field, for every page of a
    # big category, cost a second of a 5,000-item build); an equal copy still counts
    here = next((i for i, a in enumerate(arts) if a is article), None)
    if here is None and article in arts:
        here = arts.index(article)
    if len(arts) < 2 or here is None:
        return ""
    shown = arts[slice(*in_category_window(here, len(arts)))]
    page = article.url
    entries = []
    for a in shown:
        if a is article:
            entries.append(f'<li><a href="{esc(rel(page, a.url))}" aria-current="page">{esc(a.title)}</a></li>')
        else:
            entries.append(f'<li><a href="{esc(rel(page, a.url))}">{esc(a.title)}</a></li>')
    title = ctx.category_title(slug)
    more = ""
    if len(arts) > len(shown):
        more = (f'<p class="cb-aside__more"><a href="{esc(rel(page, slug + "/"))}">'
                f"{esc(ctx.t('page.in_category.all', count=len(arts), category=title))}</a></p>")
    return (
        '<nav class="cb-aside" aria-labelledby="cb-aside-title">'
        f'<h2 class="cb-aside__title" id="cb-aside-title">{esc(ctx.t("page.in_category"))} '
        f'<a href="{esc(rel(page, slug + "/"))}">{esc(title)}</a></h2>'
        f'<ul class="cb-aside__list">{"".join(entries)}</ul>{more}</nav>'
    )


def not_found_body(ctx: SiteContext, root: str = "/", updated: dict[str, float] | None = None) -> str:
    """The "page not found" page: a search box, popular articles and the contact block. It is
    served at any missing path, so its links start from ``root`` (the site's path)."""
    root = root if root.endswith("/") else root + "/"
    heading, articles = popular_articles(ctx, updated or {})
    popular = ""
    if articles:
        links = "".join(
            f'<li class="cb-item"><span class="cb-kind cb-kind--article">{esc(kind_label("article", ctx))}</span> '
            f'<a href="{esc(root + a.url)}">{esc(a.title)}</a></li>' for a in articles)
        popular = (f'<section aria-labelledby="cb-nf-popular"><h2 id="cb-nf-popular">{esc(heading)}</h2>'
                   f'<ul class="cb-list">{links}</ul></section>')
    home = (root, ctx.t("not_found.home"))
    if not ctx.catalogue.faqs or not ctx.catalogue.videos:
        browse = f"<p>{linked(ctx.t('not_found.browse_home'), home=home)}</p>"
    else:
        sentence = linked(ctx.t("not_found.browse"), home=home, faq=(root + "faq/", ctx.t("not_found.faq")),
                         videos=(root + "videos/", ctx.t("not_found.videos")))
        browse = f"<p>{sentence}</p>"
    form = search_form("", big=True, source="not-found", action=root + "search/", strings=ctx.strings,
                       service=nojs_action(ctx.service_url, "search/"))
    return (
        '<div class="cb-not-found">'
        f"<h1>{esc(ctx.t('not_found.heading'))}</h1>"
        f'<p class="cb-lead">{esc(ctx.t("not_found.lead"))}</p>'
        f"{form}{browse}{popular}{contact_block(ctx, root=root)}</div>"
    )
