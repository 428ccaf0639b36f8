"""The home page (search first, topics, popular articles, FAQ, videos) and the search page."""

from __future__ import annotations

import json

from carebase.content.model import Article, FaqGroup, Video
from carebase.pages.blocks import breadcrumbs, item_list
from carebase.pages.context import SiteContext
from carebase.pages.generated import GeneratedPage
from carebase.pages.listings import video_cards
from carebase.pages.markup import esc, links, rel
from carebase.pages.search_template import nojs_action
from carebase.strings import Strings


#: the search button's icon on small screens, where its word would leave the box too little room
#: for its placeholder (Material's magnify icon; the word stays, visually hidden, as its name)
MAGNIFIER = ('<svg class="cb-search__button-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" '
             'focusable="false"><path fill="currentColor" d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 '
             '4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 '
             '9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>')


def search_form(page_url: str, *, big: bool, label: str = "", value: str = "", source: str = "home",
                suggest: bool = True, action: str = "", search_url: str = "search/", strings: Strings | None = None,
                service: str = "") -> str:
    """A search form (GET search/?q=); ``source`` names it in the search events; ``suggest``:
    suggestions as you type (search.js), else the search page's own results; ``action``: the
    search page's URL when it cannot be relative (the 404 page, served at any path);
    ``search_url``: this language's search page; ``label``: the box's name (default: the
    language's "Search the help centre"); ``service``: the service's search page
    (``search_template.nojs_action``): the form goes there without JavaScript, and search.js
    sends it to the site's page (``data-cb-action``)."""
    s = strings or Strings()
    label = label or s.t("search.label")
    size = " cb-search--big" if big else ""
    combobox = " data-cb-combobox" if suggest else ""
    page = action or rel(page_url, search_url)
    target = f'action="{esc(service)}" data-cb-action="{esc(page)}"' if service else f'action="{esc(page)}"'
    return (
        f'<form class="cb-search{size}" role="search" aria-label="{esc(label)}" '
        f'{target} method="get" '
        f'data-carebase-search="{esc(source)}"{combobox}>'
        f'<label class="cb-search__label" for="cb-q">{esc(label)}</label>'
        '<div class="cb-search__row">'
        f'<input class="cb-search__input" id="cb-q" name="q" type="search" value="{esc(value)}" '
        f'placeholder="{esc(s.t("search.placeholder"))}" '
        'autocomplete="off" enterkeyhint="search" required>'
        '<button class="cb-search__button md-button md-button--primary" type="submit">'
        f'{MAGNIFIER}<span class="cb-search__button-text">{esc(s.t("search.button"))}</span></button>'
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


def balanced_columns(n: int, widest: int = 4) -> int:
    """Columns for ``n`` cards so the last row is as full as can be (6 → 3 × 2, never 5 + 1);
    ties go to more columns."""
    if n <= widest:
        return max(1, n)
    return min(range(widest, 1, -1), key=lambda c: ((-n) % c, -c))


def category_cards(ctx: SiteContext, page_url: str = "", heading: str = "h3") -> str:
    counts = _counts(ctx)
    cards = []
    for slug in ctx.category_slugs():
        a, q, v = counts.get(slug, (0, 0, 0))
        if not (a or q or v):
            continue
        category = ctx.catalogue.category(slug)
        desc = f'<p class="cb-card__text">{esc(category.description)}</p>' if category and category.description else ""
        facts = " · ".join(x for x in (
            ctx.n("count.article", a) if a else "", ctx.n("count.question", q) if q else "",
            ctx.n("count.video", v) if v else "") if x)
        svg = ctx.icon(category.icon) if ctx.icon and category and category.icon else ""
        icon = f'<span class="cb-card__icon" aria-hidden="true">{svg}</span>' if svg else ""
        cards.append(
            f'<li class="cb-card cb-category-card"><a class="cb-card__link" href="{esc(rel(page_url, slug + "/"))}">{icon}'
            f'<{heading} class="cb-card__title">{esc(ctx.category_title(slug))}</{heading}>{desc}'
            f'<p class="cb-card__meta">{esc(facts)}</p></a></li>'
        )
    if not cards:
        return ""
    cols = balanced_columns(len(cards))
    return f'<ul class="cb-cards cb-cards--categories cb-cards--cols-{cols}">{"".join(cards)}</ul>'


def popular_articles(ctx: SiteContext, updated: dict[str, float]) -> tuple[str, list[Article]]:
    """Featured articles when configured, else the most recently updated ones."""
    limit = ctx.home.popular
    featured = [ctx.catalogue.get(i) for i in ctx.featured]
    chosen = [a for a in featured if isinstance(a, Article) and not a.draft][:limit]
    if chosen:
        return ctx.t("home.popular"), chosen
    articles = [a for a in ctx.listed_items() if isinstance(a, Article)]
    articles.sort(key=lambda a: (-updated.get(a.path, 0), a.title.lower()))
    return ctx.t("home.recent"), articles[:limit]


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
        f'<h1 id="cb-hero-title">{esc(h.title or ctx.t("home.title"))}</h1>'
        f'<p class="cb-hero__subtitle">{esc(h.subtitle or ctx.t("home.subtitle"))}</p>'
        f'{search_form(home, big=True, search_url=ctx.at("search/"), strings=ctx.strings, service=nojs_action(ctx.service_url, ctx.at("search/")))}</section>'
    ]
    cards = category_cards(ctx)
    if cards:
        parts.append(f'<section aria-labelledby="cb-topics"><h2 id="cb-topics">{esc(ctx.t("home.topics"))}</h2>{cards}</section>')
    heading, articles = popular_articles(ctx, updated)
    if articles:
        parts.append(
            f'<section class="cb-home-col" aria-labelledby="cb-popular"><h2 id="cb-popular">{esc(heading)}</h2>'
            f"{item_list(articles, home, ctx)}</section>"
        )
    questions = faq_highlights(ctx)
    if questions:
        count = sum(len(g.questions) for g in ctx.catalogue.faqs)
        more = f'<p><a href="faq/">{esc(ctx.t("home.all_questions", count=count))}</a></p>'
        parts.append(
            '<section class="cb-home-col" aria-labelledby="cb-faq-highlights">'
            f'<h2 id="cb-faq-highlights">{esc(ctx.t("home.faq"))}</h2>'
            f"{item_list(questions, home, ctx, summary=False)}{more}</section>"
        )
    videos = sorted(ctx.catalogue.videos, key=lambda v: (-(v.published.toordinal() if v.published else 0), v.title.lower()))
    if videos:
        parts.append(
            f'<section aria-labelledby="cb-latest-videos"><h2 id="cb-latest-videos">{esc(ctx.t("home.videos"))}</h2>'
            f'{video_cards(videos[: h.videos], home, ctx)}'
            f'<p><a href="videos/">{esc(ctx.t("home.all_videos", count=len(videos)))}</a></p></section>'
        )
    return GeneratedPage(
        src_uri=ctx.at("index.md"),
        url=home,
        title=ctx.site_name,
        body=f'<div class="cb-home">{"".join(parts)}</div>',
        kind="home",
        heading=False,
        description=ctx.t("home.description", site=ctx.site_name),
        meta={"template": "home.html", "hide": ["navigation", "toc"], "search": {"exclude": True}},
    )


def _category_pages(ctx: SiteContext) -> str:
    """Each category's page, by its title (JSON: {"Billing and Lumo Plus": "billing/"}, from the
    site's root, as a result's own address): search.js links a result's category there (the site
    search index's hits name it by title; the search API's give each step's page, ``path_urls``).
    A title two categories share names neither (the link would be a guess)."""
    pages: dict[str, str | None] = {}
    for slug in ctx.category_slugs():
        title = ctx.category_title(slug)
        pages[title] = None if title in pages else ctx.at(f"{slug}/")
    return json.dumps({t: u for t, u in pages.items() if u}, ensure_ascii=False, separators=(",", ":"))


def search_page(ctx: SiteContext) -> GeneratedPage:
    url, home = ctx.at("search/"), ctx.at("")
    nojs = nojs_action(ctx.service_url, url)
    body = (
        f"{search_form(url, big=True, label=ctx.t('search.page.label'), source='search-page', suggest=False, search_url=url, strings=ctx.strings, service=nojs)}"
        f'<div class="cb-search-results" data-cb-search-results data-cb-categories="{esc(_category_pages(ctx))}" '
        'aria-live="polite" hidden></div>'
        # the results are drawn by the page's scripts; without them the box asks the service's
        # search page (search_template), or, with no service, searching needs JavaScript: say so.
        # A shared link (search/?q=…) cannot be read by a static page: one click on a link to the
        # service's page, which reads the question from the Referer. The referrer policy is the
        # link's own (never the page's: every other request it makes keeps the browser's
        # default), and nothing goes to the service unasked, so with the service down the page
        # and its browse links stay (no automatic refresh)
        f'<noscript><p class="cb-search-noscript">{esc(ctx.t("search.page.no_script_service" if nojs else "search.page.no_script"))}</p>'
        + (f'<p class="cb-search-shared"><a class="cb-search-shared__link" href="{esc(nojs)}" '
           f'referrerpolicy="no-referrer-when-downgrade">{esc(ctx.t("search.page.no_script_results"))}</a></p>'
           if nojs else "")
        + '</noscript>'
        f'<p class="cb-search-browse">{links(ctx.t("search.page.browse"), topics=(rel(url, home), ctx.t("search.page.topics")), faq=(rel(url, ctx.at("faq/")), ctx.t("search.page.faq")), videos=(rel(url, ctx.at("videos/")), ctx.t("search.page.videos")))}</p>'
    )
    return GeneratedPage(
        src_uri=ctx.at("search/index.md"),
        url=url,
        title=ctx.t("search.page.title"),
        body=body,
        kind="search",
        breadcrumbs=breadcrumbs([(ctx.t("page.home"), home)], ctx.t("search.page.title"), url, ctx),
        description=ctx.t("search.page.description", site=ctx.site_name),
        meta={"search": {"exclude": True}, "hide": ["toc"]},
    )
