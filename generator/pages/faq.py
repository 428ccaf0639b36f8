"""FAQ pages: one per FAQ file (each question a deep-linkable disclosure) and the index."""

from __future__ import annotations

from carebase.content.model import FaqGroup
from carebase.pages import jsonld
from carebase.pages.blocks import breadcrumbs, trail_for
from carebase.pages.context import SiteContext
from carebase.pages.generated import GeneratedPage
from carebase.pages.markup import esc, rel


def question_html(group: FaqGroup, index: int, ctx: SiteContext) -> str:
    q = group.questions[index]
    answer = ctx.markdown.html(q.answer, q.path, group.url, ids=ctx.id_url, here=ctx.here)
    see_also = ""
    targets = [t for t in (ctx.catalogue.get(r) for r in q.related) if t is not None]
    if targets:
        links = "".join(
            f'<li><a href="{esc(rel(group.url, ctx.url_of(t)))}">{esc(t.title)}</a></li>'
            for t in targets
        )
        see_also = f'<div class="cb-faq__related"><p>{esc(ctx.t("faq.see_also"))}</p><ul>{links}</ul></div>'
    feedback = ctx.feedback_html(q, heading=ctx.t("widget.question.faq"))
    return (
        f'<details class="cb-faq" id="{esc(q.anchor)}" data-cb-item="{esc(q.id)}">'
        f'<summary class="cb-faq__q"><span>{esc(q.question)}</span></summary>'
        f'<div class="cb-faq__a">{answer}{see_also}{feedback}'
        f'<p class="cb-faq__link"><a href="#{esc(q.anchor)}">{esc(ctx.t("faq.link"))}</a></p>'
        "</div></details>"
    )


def faq_group_page(group: FaqGroup, ctx: SiteContext) -> GeneratedPage:
    intro = f'<p class="cb-lead">{esc(group.summary)}</p>' if group.summary else ""
    count = len(group.questions)
    controls = (
        '<p class="cb-faq__controls" hidden>'
        f'<button type="button" class="md-button cb-faq__toggle" data-cb-faq-toggle="open">{esc(ctx.t("faq.expand"))}</button> '
        f'<button type="button" class="md-button cb-faq__toggle" data-cb-faq-toggle="close">{esc(ctx.t("faq.collapse"))}</button></p>'
        if count > 1 else ""
    )
    questions = "".join(question_html(group, i, ctx) for i in range(count))
    body = (
        f"{intro}{controls}"
        f'<div class="cb-faq-list" aria-label="{esc(ctx.n("count.question", count))}" role="group">{questions}</div>'
        f"{jsonld.script(jsonld.faq_page(group, ctx))}"
    )
    slug = group.slug
    return GeneratedPage(
        src_uri=ctx.at(f"faq/{slug}.md"),
        url=group.url,
        title=group.title,
        body=body,
        kind="faq",
        breadcrumbs=breadcrumbs(trail_for(group, ctx), group.title, group.url, ctx),
        description=group.summary or ctx.n("faq.description", count, title=group.title),
        meta={"search": {"exclude": True}},
    )
