"""Listing pages: category landings, the videos gallery, paginated so every page stays small."""

from __future__ import annotations

import zlib

from carebase.content.model import Article, FaqGroup, Video
from carebase.pages.blocks import breadcrumbs, item_list, pager
from carebase.pages.context import SiteContext
from carebase.pages.generated import GeneratedPage
from carebase.pages.markup import clock, esc, rel

CATEGORY_VIDEOS = 6
POSTER_ICON = (
    '<svg viewBox="0 0 48 48" width="48" height="48" focusable="false">'
    '<circle cx="24" cy="24" r="23" fill="rgba(255,255,255,.92)"/>'
    '<path d="M19 14v20l16-10z" fill="#3f51b5"/></svg>'
)  # videos shown on a category page before "all videos"


def page_url(base: str, n: int) -> str:
    return base if n == 1 else f"{base}page/{n}/"


def page_src(base: str, n: int) -> str:
    return f"{page_url(base, n)}index.md"


def chunks(items: list, size: int) -> list[list]:
    size = max(1, size)
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


def video_card(video: Video, page_url_: str, ctx: SiteContext, heading: str = "h3") -> str:
    href = esc(rel(page_url_, video.url))
    if video.thumbnail:
        src = esc(rel(page_url_, video.thumbnail.lstrip("/")).rstrip("/"))
        # the poster with the same play mark as the cards without one (it read as a still image)
        image = (f'<span class="cb-card__thumb"><img src="{src}" alt="" loading="lazy" decoding="async" '
                 f'width="320" height="180"><span class="cb-card__play" aria-hidden="true">{POSTER_ICON}</span></span>')
    else:
        image = generated_poster(video, ctx)
    duration = f'<span class="cb-card__meta">{clock(video.duration)}</span>' if video.duration else ""
    return (
        f'<li class="cb-card cb-video-card"><a class="cb-card__link" href="{href}">{image}'
        f'<{heading} class="cb-card__title">{esc(video.title)}</{heading}>{duration}</a></li>'
    )


#: the golden angle: the n-th category's hue is as far from the others' as n categories allow
GOLDEN_ANGLE = 137.508


def poster_hue(video: Video, ctx: SiteContext) -> int:
    """The hue of a video's generated poster: its category's (categories.yml's order, spread by
    the golden angle from indigo's 230°, so the categories' posters differ however many there
    are; the same in every language), turned a little by the video's own id so two videos of one
    category differ too."""
    declared = [c.id for c in sorted(ctx.catalogue.categories, key=lambda c: (c.order, c.title.lower()))]
    slug = video.category or ""
    place = declared.index(slug) if slug in declared else zlib.crc32(slug.encode()) % 64
    turn = (zlib.crc32(video.id.encode()) % 5 - 2) * 7
    return round(230 + place * GOLDEN_ANGLE + turn) % 360


def poster_icon(video: Video, ctx: SiteContext) -> str:
    """The icon of a video's category (inline SVG) on its generated poster, the gallery's card
    (``generated_poster``) and the video page's player (``video._poster``) alike; "" without one."""
    category = ctx.catalogue.category(video.category) if video.category else None
    return ctx.icon(category.icon) if ctx.icon and category and category.icon else ""


def generated_poster(video: Video, ctx: SiteContext) -> str:
    """A video without its own thumbnail gets a title card instead of a plain colour: its
    category's icon and name over its category's colour (``poster_hue``), its title large, the
    play mark in the corner as on a thumbnail. Drawn by site.css (no image to download, so
    nothing for the page's largest paint to wait for); hidden from screen readers, which read
    the card's heading."""
    svg = poster_icon(video, ctx)
    name = ctx.category_title(video.category) if video.category else ""
    kicker = (f'<span class="cb-poster__kicker">{svg}<span>{esc(name)}</span></span>' if name else "")
    art = f'<span class="cb-poster__art">{svg}</span>' if svg else ""
    return (f'<span class="cb-card__poster cb-poster" style="--cb-poster-h: {poster_hue(video, ctx)}" aria-hidden="true">'
            f'{art}{kicker}<span class="cb-poster__title">{esc(video.title)}</span>'
            f'<span class="cb-card__play">{POSTER_ICON}</span></span>')


def video_cards(videos, page_url_: str, ctx: SiteContext, heading: str = "h3") -> str:
    cards = "".join(video_card(v, page_url_, ctx, heading) for v in videos)
    return f'<ul class="cb-cards cb-cards--videos">{cards}</ul>'


def _in_category(ctx: SiteContext, slug: str):
    arts = [a for a in ctx.listed_items() if isinstance(a, Article) and a.category == slug]
    faqs = [g for g in ctx.catalogue.faqs if g.category == slug]
    vids = [v for v in ctx.catalogue.videos if v.category == slug]
    return sorted(arts, key=lambda a: a.title.lower()), faqs, vids


def category_pages(slug: str, ctx: SiteContext) -> list[GeneratedPage]:
    """The landing page of a category (plus pages 2…n when it lists many articles)."""
    articles, faqs, videos = _in_category(ctx, slug)
    title = ctx.category_title(slug)
    category = ctx.catalogue.category(slug)
    base = ctx.at(f"{slug}/")
    groups = chunks(articles, ctx.page_size)
    pages = []
    for n, chunk in enumerate(groups, start=1):
        url = page_url(base, n)
        parts = []
        if category and category.description and n == 1:
            parts.append(f'<p class="cb-lead">{esc(category.description)}</p>')
        if chunk:
            heading = ctx.t("list.articles") if n == 1 else ctx.t("list.articles_page", page=n)
            parts.append(
                f'<section aria-labelledby="cb-articles"><h2 id="cb-articles">{esc(heading)}</h2>'
                f"{item_list(chunk, url, ctx)}{pager(n, len(groups), base, url, ctx)}</section>"
            )
        if n == 1 and faqs:
            parts.append(
                f'<section aria-labelledby="cb-faq"><h2 id="cb-faq">{esc(ctx.t("list.faq"))}</h2>'
                f"{item_list(faqs, url, ctx)}</section>"
            )
        if n == 1 and videos:
            shown = sorted(videos, key=_newest)[:CATEGORY_VIDEOS]
            more = ""
            if len(videos) > len(shown):
                more = f'<p><a href="{esc(rel(url, ctx.at("videos/")))}">{esc(ctx.t("list.all_videos"))}</a></p>'
            parts.append(
                f'<section aria-labelledby="cb-videos"><h2 id="cb-videos">{esc(ctx.t("list.videos"))}</h2>'
                f"{video_cards(shown, url, ctx)}{more}</section>"
            )
        if not (articles or faqs or videos):
            parts.append(f"<p>{esc(ctx.t('list.empty'))}</p>")
        home = (ctx.t("page.home"), ctx.at(""))
        trail = [home] if n == 1 else [home, (title, base)]
        here = title if n == 1 else ctx.t("list.page", page=n)
        pages.append(GeneratedPage(
            src_uri=page_src(base, n),
            url=url,
            title=title if n == 1 else ctx.t("list.title_page", title=title, page=n),
            body="".join(parts),
            kind="category",
            breadcrumbs=breadcrumbs(trail, here, url, ctx),
            description=(category.description if category else "") or ctx.t("list.help_with", title=title, counts=", ".join(
                x for x in (ctx.n("count.article", len(articles)) if articles else "",
                            ctx.n("count.question", sum(len(g.questions) for g in faqs)) if faqs else "",
                            ctx.n("count.video", len(videos)) if videos else "") if x)),
            meta={"search": {"exclude": True}},
        ))
    return pages


def _newest(video: Video):
    return (-(video.published.toordinal() if video.published else 0), video.title.lower())


def _paginated(ctx: SiteContext, items: list, *, base: str, title: str, crumb: str, kind: str,
               description: str, render, empty: str) -> list[GeneratedPage]:
    """A listing split into pages of ``ctx.page_size``: ``base``, ``base/page/2/``, …"""
    groups = chunks(items, ctx.page_size)
    pages = []
    for n, chunk in enumerate(groups, start=1):
        url = page_url(base, n)
        body = (render(chunk, url) if chunk else f"<p>{esc(empty)}</p>") + pager(n, len(groups), base, url, ctx)
        home = (ctx.t("page.home"), ctx.at(""))
        trail = [home] if n == 1 else [home, (crumb, base)]
        pages.append(GeneratedPage(
            src_uri=page_src(base, n),
            url=url,
            title=title if n == 1 else ctx.t("list.title_page", title=title, page=n),
            body=body,
            kind=kind,
            breadcrumbs=breadcrumbs(trail, crumb if n == 1 else ctx.t("list.page", page=n), url, ctx),
            description=description,
            meta={"search": {"exclude": True}},
        ))
    return pages


def gallery_pages(ctx: SiteContext) -> list[GeneratedPage]:
    return _paginated(
        ctx, sorted(ctx.catalogue.videos, key=_newest), base=ctx.at("videos/"), title=ctx.t("gallery.title"),
        crumb=ctx.t("page.videos"), kind="gallery", description=ctx.t("gallery.description"),
        render=lambda chunk, url: video_cards(chunk, url, ctx, heading="h2"), empty=ctx.t("gallery.empty"))


def faq_index_pages(ctx: SiteContext) -> list[GeneratedPage]:
    groups: list[FaqGroup] = sorted(ctx.catalogue.faqs, key=lambda g: g.title.lower())
    return _paginated(
        ctx, groups, base=ctx.at("faq/"), title=ctx.t("faq_index.title"), crumb=ctx.t("page.faq"),
        kind="faq-index", description=ctx.t("faq_index.description"),
        render=lambda chunk, url: item_list(chunk, url, ctx), empty=ctx.t("faq_index.empty"))
