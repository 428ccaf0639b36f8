"""The pages that show an article besides its own (``carebase serve`` renders them again when
the article's title or summary changes: preview.py)."""

from __future__ import annotations

from carebase.content.model import Article, FaqGroup, FaqQuestion, Video


def listing_pages(plugin, ctx, articles: list) -> set[str]:
    """Source paths of the pages that show these articles' (FAQ files', videos') titles besides
    their own: category listings, home, the FAQ index (FAQ files), the gallery (videos), "In this category"
    neighbours, pages whose related items name them (or their questions)."""
    from carebase.pages.blocks import related_items
    from carebase.pages.helpcentre import category_articles, in_category_window

    ids = {a.id for a in articles} | {q.id for a in articles if isinstance(a, FaqGroup) for q in a.questions}
    faqs = any(isinstance(a, FaqGroup) for a in articles)
    videos = any(isinstance(a, Video) for a in articles)
    found = {"index.md"} if "index.md" in plugin.generated else set()
    for src_uri, page in plugin.generated.items():
        if page.kind == "category" and any(a.category and src_uri.startswith(a.category + "/") for a in articles):
            found.add(src_uri)
        elif (page.kind == "faq-index" and faqs) or (page.kind == "gallery" and videos):
            found.add(src_uri)
    for article in articles:
        if not isinstance(article, Article):
            continue
        arts = category_articles(ctx, article.category) if article.category else []
        if article not in arts:
            continue
        here = arts.index(article)
        for i, other in enumerate(arts):
            start, end = in_category_window(i, len(arts))
            if other is not article and start <= here < end:
                found.add(other.path)
    for item in ctx.catalogue.items():
        if item.id not in ids and any(r.id in ids for r in related_items(item, ctx)):
            found.add(page_of(item, ctx))
    return {p for p in found if p}


def page_of(item, ctx) -> str:
    """The source path of the page that shows ``item`` ("" when none)."""
    if isinstance(item, Article):
        return item.path
    if isinstance(item, FaqQuestion):
        return ctx.group_of(item).url.rstrip("/") + ".md"
    if isinstance(item, FaqGroup):
        return item.url.rstrip("/") + ".md"
    if isinstance(item, Video):
        return item.url.rstrip("/") + ".md"
    return ""
