"""The contact form page (``contact/``, when ``contact.form`` is on): the other ways to reach
support first (email, phone, chat: ``contact``'s settings), then name, email and message,
posted to the service — by the site's script (assets/carebase/contact.js: JSON with the
journey's last searches, the page the customer came from and the suggestions shown), or as a
plain form without JavaScript (the service answers with the ticket reference)."""

from __future__ import annotations

from carebase.pages.blocks import breadcrumbs, other_channels
from carebase.pages.context import SiteContext
from carebase.pages.generated import GeneratedPage
from carebase.pages.markup import esc

URL = "contact/"
CONTEXT_ATTR = "data-cb-contact-context"


def _field(name: str, label: str, control: str, hint: str = "") -> str:
    hint_html = f'<p class="cb-field__hint" id="cb-contact-{name}-hint">{esc(hint)}</p>' if hint else ""
    return (f'<div class="cb-field"><label class="cb-field__label" for="cb-contact-{name}">{esc(label)}</label>'
            f'{control}{hint_html}<p class="cb-field__error" id="cb-contact-{name}-error" hidden></p></div>')


def _seen(service: str, lang: str) -> str:
    """Without JavaScript, the page opened is counted as events.js counts the Contact link
    followed (a ``contact`` event, with the page the customer came from: this page's address,
    sent as the ``Referer``): an image the service answers (``carebase.service.contact_page.seen``),
    inside ``<noscript>``, so never fetched with JavaScript on. None without a service."""
    if not service:
        return ""
    return (f'<noscript><img class="cb-contact-seen cb-visually-hidden" src="{esc(service)}/contact/seen.gif?lang={esc(lang)}" '
            'alt="" width="1" height="1"></noscript>')


def contact_page(ctx: SiteContext) -> GeneratedPage:
    """The contact form of the pages' language (``contact/``, ``de/contact/``)."""
    t = ctx.t
    url = ctx.at(URL)
    service = ctx.service_url.rstrip("/")
    back = ctx.absolute(url) if ctx.site_url else ""
    hours = f" {esc(ctx.contact.hours)}." if ctx.contact.hours else ""
    fields = "".join([
        _field("name", t("contact.name"), '<input class="cb-input" id="cb-contact-name" name="name" type="text" '
               'autocomplete="name" maxlength="100" required aria-describedby="cb-contact-name-error">'),
        _field("email", t("contact.email"), '<input class="cb-input" id="cb-contact-email" name="email" type="email" '
               'autocomplete="email" maxlength="254" required aria-describedby="cb-contact-email-hint cb-contact-email-error">',
               t("contact.email_hint")),
        _field("message", t("contact.message"), '<textarea class="cb-input" id="cb-contact-message" name="message" '
               'rows="7" maxlength="5000" required aria-describedby="cb-contact-message-hint cb-contact-message-error">'
               "</textarea>", t("contact.message_hint")),
    ])
    # the other ways first (email, phone, chat): the page is static, so it opens and lists them
    # whether the service is up or down (without JavaScript a form sent to a service that is
    # down ends on the browser's error page; with it, contact.js says so and keeps the message)
    channels = other_channels(ctx)
    ways = (f'<section class="cb-contact cb-contact--ways" aria-labelledby="cb-contact-ways-title">'
            f'<h2 id="cb-contact-ways-title">{esc(t("contact.ways"))}</h2>'
            f'<ul class="cb-contact__channels">{"".join(channels)}</ul></section>') if channels else ""
    body = (
        f'<p class="cb-lead">{esc(t("contact.lead"))}{hours}</p>{ways}'
        f'<form class="cb-contact-form" action="{esc(service)}/contact" method="post" data-cb-contact-form '
        f'data-cb-service="{esc(service)}">'
        f"{fields}"
        '<section class="cb-deflect" aria-labelledby="cb-deflect-title" hidden>'
        f'<h2 id="cb-deflect-title">{esc(t("contact.deflect"))}</h2>'
        '<ul class="cb-deflect__list"></ul></section>'
        f'<input type="hidden" name="return_to" value="{esc(back)}">'
        # without JavaScript the service first shows the best matches for the message (contact.py)
        '<input type="hidden" name="step" value="check">'
        # the page's language, for the ticket and the service's answer without JavaScript
        f'<input type="hidden" name="lang" value="{esc(ctx.strings.lang)}">'
        # what the ticket carries of where the customer came from: the service's copy of this
        # page fills it (the page, the journey's searches: carebase.service.contact_page)
        f'<div class="cb-contact-context" {CONTEXT_ATTR}><input type="hidden" name="page" value="/{url}">'
        '<input type="hidden" name="item" value=""><input type="hidden" name="searches" value=""></div>'
        f'<div class="cb-hp" aria-hidden="true"><label>{esc(t("form.leave_empty"))} '
        '<input name="website" type="text" tabindex="-1" autocomplete="off"></label></div>'
        f'<button class="md-button md-button--primary cb-contact-form__send" type="submit">{esc(t("contact.send"))}</button>'
        '<p class="cb-contact-form__status" role="status" aria-live="polite"></p>'
        "</form>"
        f"{_seen(service, ctx.strings.lang)}"
    )
    return GeneratedPage(
        src_uri=f"{url}index.md",
        url=url,
        title=t("contact.title"),
        body=body,
        kind="contact",
        breadcrumbs=breadcrumbs([(t("page.home"), ctx.at(""))], t("contact.title"), url, ctx),
        description=t("contact.description", site=ctx.site_name),
        meta={"search": {"exclude": True}},
    )
