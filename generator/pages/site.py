"""The whole site's generated part: every generated page, the bounded navigation, and the
blocks the theme places around each page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from carebase.content.model import Article, Item
from carebase.pages.blocks import breadcrumbs, contact_block, related_block, trail_for
from carebase.pages.context import SiteContext
from carebase.pages.contact import contact_page
from carebase.pages.faq import faq_group_page
from carebase.pages.generated import GeneratedPage
from carebase.pages.helpcentre import in_category
from carebase.pages.home import home_page, search_page
from carebase.pages.listings import category_pages, faq_index_pages, gallery_pages
from carebase.pages.markup import esc
from carebase.pages.video import video_page


def build_pages(ctx: SiteContext, updated: dict[str, float] | None = None,
                existing: set[str] = frozenset()) -> list[GeneratedPage]:
    """All generated pages; a page whose ``src_uri`` the writer already wrote is skipped."""
    pages: list[GeneratedPage] = [home_page(ctx, updated), search_page(ctx)]
    if ctx.contact.form:  # the contact form in the pages' language (contact/, de/contact/)
        pages.append(contact_page(ctx))
    for slug in ctx.category_slugs():
        pages += category_pages(slug, ctx)
    if ctx.catalogue.faqs:
        pages += faq_index_pages(ctx)
        pages += [faq_group_page(g, ctx) for g in ctx.catalogue.faqs]
    if ctx.catalogue.videos:
        pages += gallery_pages(ctx)
        pages += [video_page(v, ctx) for v in ctx.catalogue.videos]
    return [p for p in pages if p.src_uri not in existing]


def nav_entries(ctx: SiteContext, pages: list[GeneratedPage], existing: set[str] = frozenset()) -> list[dict]:
    """The navigation of ``ctx``'s language: home, one entry per category, FAQ, videos — never
    the items.

    Its size depends on the number of categories only, so every page's HTML stays bounded
    however many articles, questions and videos the site holds.
    """
    available = {p.src_uri for p in pages} | set(existing)
    entries = [(ctx.t("page.home"), "index.md")]
    entries += [(ctx.category_title(slug), f"{slug}/index.md") for slug in ctx.category_slugs()]
    entries += [(ctx.t("page.faq"), "faq/index.md"), (ctx.t("page.videos"), "videos/index.md")]
    # in another language than the default, its own pages (de/…) with its titles
    return [{title: ctx.at(path)} for title, path in entries if ctx.at(path) in available]


@dataclass
class PageParts:
    """HTML blocks the theme places around a page's content."""

    breadcrumbs: str = ""
    lead: str = ""
    updated: str = ""
    related: str = ""
    contact: str = ""
    feedback: str = ""
    aside: str = ""  # the slim "In this category" list (articles)
    layout: str = "page"  # the theme's content width: page (reading width), home or gallery (wide)


def updated_html(stamp: float | None, ctx: SiteContext | None = None) -> str:
    """"Last updated <date>" in the pages' language (the date as the language writes it)."""
    if not stamp:
        return ""
    day = dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc).date()
    lang = ctx.strings.lang if ctx is not None else "en"
    if lang == "en":
        written = day.strftime("%-d %B %Y")
    else:
        from babel.dates import format_date

        try:
            written = format_date(day, format="long", locale=lang.replace("-", "_"))
        except Exception:  # not a CLDR language: the English form
            written = day.strftime("%-d %B %Y")
    template = ctx.t("page.updated") if ctx is not None else "Last updated {date}"
    before, _, after = template.partition("{date}")
    return (f'<p class="cb-updated">{esc(before)}<time datetime="{day.isoformat()}">{esc(written)}</time>'
            f"{esc(after)}</p>")


def item_parts(item: Item, ctx: SiteContext, updated: float | None) -> PageParts:
    """Blocks for an article page (or a generated video page)."""
    url = ctx.url_of(item)
    parts = PageParts(
        updated=updated_html(updated, ctx),
        related=related_block(item, url, ctx),
        contact=contact_block(ctx, item_id=item.id, page_url=url.split("#")[0]),
        feedback=ctx.feedback_html(item),
    )
    if isinstance(item, Article):
        parts.breadcrumbs = breadcrumbs(trail_for(item, ctx), item.title, url, ctx)
        parts.aside = in_category(item, ctx)
        if item.summary:
            parts.lead = f'<p class="cb-lead">{esc(item.summary)}</p>'
    return parts


def generated_parts(page: GeneratedPage, ctx: SiteContext, updated: float | None) -> PageParts:
    item = ctx.catalogue.get(page.item_id) if page.item_id else None
    if item is not None:
        parts = item_parts(item, ctx, updated)
    else:
        parts = PageParts(contact=contact_block(ctx, page_url=page.url), updated=updated_html(updated, ctx))
    parts.breadcrumbs = page.breadcrumbs
    parts.layout = page.kind if page.kind in ("home", "gallery") else "page"
    if page.kind == "contact":
        parts.contact = ""  # the page is the contact form itself
    return parts
