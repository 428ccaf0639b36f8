"""Blocks shared by every page: breadcrumbs, related items, the contact block, listings."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from carebase.content.model import Article, FaqGroup, FaqQuestion, Item, Video
from carebase.pages import jsonld
from carebase.pages.context import SiteContext
from carebase.pages.markup import esc, rel

def kind_label(kind: str, ctx: SiteContext) -> str:
    """The badge of an item's kind in the pages' language (Article, FAQ, Video)."""
    return ctx.t(f"search.kind.{kind}")


def trail_for(item: Item | FaqGroup, ctx: SiteContext) -> list[tuple[str, str]]:
    """(name, url) from the home page down to the item's parent (the item not included)."""
    trail = [(ctx.t("page.home"), ctx.at(""))]
    if isinstance(item, FaqQuestion):
        item = ctx.group_of(item)
    if isinstance(item, FaqGroup):
        trail.append((ctx.t("page.faq"), ctx.at("faq/")))
    elif isinstance(item, Video):
        trail.append((ctx.t("page.videos"), ctx.at("videos/")))
    category = ctx.category_of(item)
    if category and not isinstance(item, (FaqGroup, Video)):
        trail.append((ctx.category_title(category), ctx.at(f"{category}/")))
    return trail


def breadcrumbs(trail: list[tuple[str, str]], here: str, page_url: str, ctx: SiteContext) -> str:
    """An accessible breadcrumb trail (nav + ordered list) with BreadcrumbList JSON-LD."""
    items = "".join(
        f'<li><a href="{esc(rel(page_url, url))}">{esc(name)}</a></li>' for name, url in trail
    )
    items += f'<li><span aria-current="page">{esc(here)}</span></li>'
    data = jsonld.breadcrumb_list([*trail, (here, page_url)], ctx)
    label = esc(ctx.t("page.breadcrumb"))
    return f'<nav class="cb-breadcrumbs" aria-label="{label}"><ol>{items}</ol></nav>{jsonld.script(data)}'


def item_link(item: Item | FaqGroup, page_url: str, ctx: SiteContext, *, summary: bool = True) -> str:
    """One entry of a listing: kind badge, linked title, optional summary."""
    kind = "faq" if isinstance(item, (FaqGroup, FaqQuestion)) else item.kind
    title = item.title
    text = ""
    if summary:
        if isinstance(item, FaqGroup):
            text = item.summary or ctx.n("count.question", len(item.questions))
        else:
            text = item.summary
    badge = f'<span class="cb-kind cb-kind--{kind}">{esc(kind_label(kind, ctx))}</span>'
    out = f'<li class="cb-item">{badge} <a href="{esc(rel(page_url, ctx.url_of(item)))}">{esc(title)}</a>'
    if text:
        out += f'<span class="cb-item__summary">{esc(text)}</span>'
    return out + "</li>"


def item_list(items, page_url: str, ctx: SiteContext, *, summary: bool = True, css: str = "") -> str:
    entries = "".join(item_link(i, page_url, ctx, summary=summary) for i in items)
    classes = f"cb-list {css}".strip()
    return f'<ul class="{classes}">{entries}</ul>'


def related_items(item: Item, ctx: SiteContext, limit: int = 5) -> list[Item]:
    """Explicit ``related`` ids first; else the computed neighbours (``ctx.related``)."""
    found: list[Item] = []
    for rid in item.related:
        target = ctx.catalogue.get(rid)
        if target is not None and target.id != item.id and target not in found:
            found.append(target)
    if not found and ctx.related is not None:
        for rid in ctx.related(item.id, limit):
            target = ctx.catalogue.get(rid)
            if target is not None and target.id != item.id and target not in found:
                if not (isinstance(target, Article) and target.draft):
                    found.append(target)
    return found[:limit]


def related_block(item: Item, page_url: str, ctx: SiteContext) -> str:
    items = related_items(item, ctx)
    if not items:
        return ""
    return (
        '<aside class="cb-related" aria-labelledby="cb-related-title">'
        f'<h2 id="cb-related-title">{esc(ctx.t("page.related"))}</h2>'
        f"{item_list(items, page_url, ctx, summary=False)}</aside>"
    )


def contact_form_link(ctx: SiteContext, *, page_url: str = "", root: str = "") -> str:
    """The contact form's link from the page at ``page_url`` (or from the "page not found" page,
    whose links start with ``root``): the site's own form (``contact/``, relative), naming the
    page it was followed from (``?from=/billing/refunds/``, its path from the site's host).

    Always the site's page, with or without JavaScript: a static page that opens whether the
    service is up or down, and lists the other ways to reach support first
    (``carebase.pages.contact``). Without JavaScript its form posts to the service, which reads
    ``from`` from the form page's address (its ``Referer``: the page asks for the whole address,
    ``REFERRER``) and shows "Before you send" and "Message sent" in the site's look. The
    service's own search page links to the service's copy of the form instead, which lists the
    journey's searches (``carebase.pages.search_template``)."""
    form = ctx.at("contact/")
    site_href = root + form if root else rel(page_url, form)
    if root:  # served at any missing path: the page is the site's "page not found" page
        came_from = (root if root.endswith("/") else root + "/") + "404.html"
    else:
        base = urlsplit(ctx.site_url).path if ctx.site_url else "/"
        came_from = (base if base.endswith("/") else base + "/") + page_url.split("#")[0].lstrip("/")
    return site_href + "?from=" + quote(came_from, safe="/")


def contact_block(ctx: SiteContext, *, item_id: str = "", page_url: str = "", root: str = "") -> str:
    """"Still need help? Contact us" with the configured channels (none → no block); the
    contact form's link (the form in the page's language) is relative to ``page_url`` (or
    starts with ``root``)."""
    c = ctx.contact
    if not c.any:
        return ""
    # events.js sends a `contact` event for links marked data-cb-contact, naming the item of
    # the nearest data-cb-item ancestor (or the last search when there is none)
    data_item = f' data-cb-item="{esc(item_id)}"' if item_id else ""
    channels = []
    if c.form:
        href = contact_form_link(ctx, page_url=page_url, root=root)
        channels.append(
            f'<li><a class="cb-contact__link" data-cb-contact="form" href="{esc(href)}">'
            f'<span class="cb-contact__label">{esc(ctx.t("contact.block.message"))}</span> '
            f'{esc(ctx.t("contact.block.message_link"))}</a></li>'
        )
    channels += other_channels(ctx)
    hours = f'<p class="cb-contact__hours">{esc(c.hours)}</p>' if c.hours else ""
    return (
        f'<section class="cb-contact" aria-labelledby="cb-contact-title"{data_item}>'
        f'<h2 id="cb-contact-title">{esc(ctx.t("contact.block.title"))}</h2>'
        f'<p>{esc(ctx.t("contact.block.lead"))}</p>'
        f'<ul class="cb-contact__channels">{"".join(channels)}</ul>{hours}</section>'
    )


def other_channels(ctx: SiteContext) -> list[str]:
    """The ways to reach support other than the form (email, phone, chat: ``contact``'s
    settings), each a list item with its link."""
    c = ctx.contact
    channels = []
    if c.email:
        channels.append(
            f'<li><a class="cb-contact__link" data-cb-contact="email" href="mailto:{esc(c.email)}">'
            f'<span class="cb-contact__label">{esc(ctx.t("contact.block.email"))}</span> {esc(c.email)}</a></li>'
        )
    if c.phone:
        tel = "".join(ch for ch in c.phone if ch.isdigit() or ch == "+")
        channels.append(
            f'<li><a class="cb-contact__link" data-cb-contact="phone" href="tel:{esc(tel)}">'
            f'<span class="cb-contact__label">{esc(ctx.t("contact.block.phone"))}</span> {esc(c.phone)}</a></li>'
        )
    if c.chat_url:
        channels.append(
            # rel="noreferrer": the chat provider is told nothing of the page (its address names
            # the ticket's page when the service answers without JavaScript: contact_page)
            f'<li><a class="cb-contact__link" data-cb-contact="chat" href="{esc(c.chat_url)}" rel="noreferrer">'
            f'<span class="cb-contact__label">{esc(ctx.t("contact.block.chat"))}</span> '
            f'{esc(ctx.t("contact.block.chat_link"))}</a></li>'
        )
    return channels


def pager(page_no: int, pages: int, base_url: str, page_url: str, ctx: SiteContext) -> str:
    """Previous/next links between the pages of a paginated listing."""
    if pages <= 1:
        return ""
    t = ctx.t
    links = []
    if page_no > 1:
        prev = base_url if page_no == 2 else f"{base_url}page/{page_no - 1}/"
        links.append(f'<a rel="prev" href="{esc(rel(page_url, prev))}">{esc(t("page.previous"))}</a>')
    links.append(f'<span class="cb-pager__status">{esc(t("page.page_of", page=page_no, pages=pages))}</span>')
    if page_no < pages:
        links.append(f'<a rel="next" href="{esc(rel(page_url, f"{base_url}page/{page_no + 1}/"))}">{esc(t("page.next"))}</a>')
    return f'<nav class="cb-pager" aria-label="{esc(t("page.pages"))}">{"".join(links)}</nav>'
