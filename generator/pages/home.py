"""The home page (search first, topics, popular articles, FAQ, videos) and the search page."""

from __future__ import annotations

from carebase.content.model import Article, FaqGroup, Video
from carebase.pages.blocks import breadcrumbs, item_list
from carebase.pages.context import SiteContext
from carebase.pages.generated import GeneratedPage
from carebase.pages.listings import video_cards
from carebase.pages.markup import esc, plural, rel


def search_form(page_url: str, *, big: bool, label: str = "Search the help centre", value: str = "",
                source: str = "home", search_url: str = "search/") -> str:
    """A search form (GET search/?q=); ``source`` names it in the search events."""
    size = " cb-search--big" if big else ""
    return (
        f'<form class="cb-search{size}" role="search" aria-label="{esc(label)}" '
        f'action="{esc(rel(page_url, search_url))}" method="get" '
        f'data-carebase-search="{esc(source)}">'
        f'<label class="cb-search__label" for="cb-q">{esc(label)}</label>'
        '<div class="cb-search__row">'
        f'<input class="cb-search__input" id="cb-q" name="q" type="search" value="{esc(value)}" '
        'placeholder="Describe your problem" '
        'autocomplete="off" enterkeyhint="search" required>'
        '<button class="cb-search__button md-button md-button--primary" type="submit">Search</button>'
        f'</div><input type="hidden" name="from" value="{esc(source)}"></form>'
    )


def _counts(ctx: SiteContext) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    for item in ctx.listed_items():
        slug = ctx.category_of(item)
        if not slug:
            continue
        row = counts.setdefault(slug, [0, 0, 0])
        if isinstance(item, Article):
            row[0] += 1
        elif isinstance(item, FaqGroup):
            row[1] += len(item.questions)
        elif isinstance(item, Video):
            row[2] += 1
    return counts


def category_cards(ctx: SiteContext) -> str:
    counts = _counts(ctx)
    cards = []
    for slug in ctx.category_slugs():
        a, q, v = counts.get(slug, (0, 0, 0))
        if not (a or q or v):
            continue
        category = ctx.catalogue.category(slug)
        desc = f'<p class="cb-card__text">{esc(category.description)}</p>' if category and category.description else ""
        facts = " · ".join(x for x in (
            plural(a, "article") if a else "", plural(q, "question") if q else "",
            plural(v, "video") if v else "") if x)
        cards.append(
            f'<li class="cb-card cb-category-card"><a href="{esc(rel("", slug + "/"))}">'
            f'<h3 class="cb-card__title">{esc(ctx.category_title(slug))}</h3>{desc}'
            f'<p class="cb-card__meta">{esc(facts)}</p></a></li>'
        )
    return f'<ul class="cb-cards cb-cards--categories">{"".join(cards)}</ul>' if cards else ""


def popular_articles(ctx: SiteContext, updated: dict[str, float]) -> tuple[str, list[Article]]:
    """Featured articles when configured, else the most recently updated ones."""
    limit = ctx.home.popular
    featured = [ctx.catalogue.get(i) for i in ctx.featured]
    chosen = [a for a in featured if isinstance(a, Article) and not a.draft][:limit]
    if chosen:
        return "Popular articles", chosen
    articles = [a for a in ctx.listed_items() if isinstance(a, Article)]
    articles.sort(key=lambda a: (-updated.get(a.path, 0), a.title.lower()))
    return "Recently updated", articles[:limit]


def faq_highlights(ctx: SiteContext):
    """The first question of each FAQ group, then the second of each, … (variety first)."""
    out = []
    depth = 0
    while len(out) < ctx.home.faq:
        row = [g.questions[depth] for g in ctx.catalogue.faqs if len(g.questions) > depth]
        if not row:
            break
        out.extend(row)
        depth += 1
    featured = [q for q in (ctx.catalogue.get(i) for i in ctx.featured) if q is not None and q.kind == "faq"]
    ordered = featured + [q for q in out if q not in featured]
    return ordered[: ctx.home.faq]


def home_page(ctx: SiteContext, updated: dict[str, float] | None = None) -> GeneratedPage:
    updated = updated or {}
    h = ctx.home
    home = ctx.at("")
    parts = [
        '<section class="cb-hero" aria-labelledby="cb-hero-title">'
        f'<h1 id="cb-hero-title">{esc(h.title)}</h1>'
        f'<p class="cb-hero__subtitle">{esc(h.subtitle)}</p>'
        f'{search_form(home, big=True, search_url=ctx.at("search/"))}</section>'
    ]
    cards = category_cards(ctx)
    if cards:
        parts.append(f'<section aria-labelledby="cb-topics"><h2 id="cb-topics">Browse by topic</h2>{cards}</section>')
    heading, articles = popular_articles(ctx, updated)
    if articles:
        parts.append(
            f'<section class="cb-home-col" aria-labelledby="cb-popular"><h2 id="cb-popular">{heading}</h2>'
            f"{item_list(articles, home, ctx)}</section>"
        )
    questions = faq_highlights(ctx)
    if questions:
        more = f'<p><a href="faq/">All questions ({sum(len(g.questions) for g in ctx.catalogue.faqs)})</a></p>'
        parts.append(
            '<section class="cb-home-col" aria-labelledby="cb-faq-highlights">'
            '<h2 id="cb-faq-highlights">Frequently asked questions</h2>'
            f"{item_list(questions, home, ctx, summary=False)}{more}</section>"
        )
    videos = sorted(ctx.catalogue.videos, key=lambda v: (-(v.published.toordinal() if v.published else 0), v.title.lower()))
    if videos:
        parts.append(
            '<section aria-labelledby="cb-latest-videos"><h2 id="cb-latest-videos">Latest videos</h2>'
            f'{video_cards(videos[: h.videos], home, ctx)}<p><a href="videos/">All videos ({len(videos)})</a></p></section>'
        )
    return GeneratedPage(
        src_uri=ctx.at("index.md"),
        url=home,
        title=ctx.site_name,
        body=f'<div class="cb-home">{"".join(parts)}</div>',
        kind="home",
        heading=False,
        description=f"{ctx.site_name}: answers, how-to articles and video tutorials.",
        meta={"template": "home.html", "hide": ["navigation", "toc"], "search": {"exclude": True}},
    )


def search_page(ctx: SiteContext) -> GeneratedPage:
    url, home = ctx.at("search/"), ctx.at("")
    body = (
        f"{search_form(url, big=True, label='Search for', source='search-page', search_url=url)}"
        '<div class="cb-search-results" data-cb-search-results aria-live="polite"></div>'
        f'<p>Or browse <a href="{esc(rel(url, home))}">all topics</a>, '
        f'<a href="{esc(rel(url, ctx.at("faq/")))}">frequently asked questions</a> and '
        f'<a href="{esc(rel(url, ctx.at("videos/")))}">video tutorials</a>.</p>'
    )
    return GeneratedPage(
        src_uri=ctx.at("search/index.md"),
        url=url,
        title="Search",
        body=body,
        kind="search",
        breadcrumbs=breadcrumbs([("Home", home)], "Search", url, ctx),
        description=f"Search {ctx.site_name}.",
        meta={"search": {"exclude": True}, "hide": ["toc"]},
    )
