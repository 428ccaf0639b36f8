"""Server-rendered HTML of the feedback widget.

``feedback_form()`` returns a real ``<form method="post" action="{service}/feedback">``
that works with JavaScript disabled (the service answers 303 back to ``return_to`` with
``#cb-thanks-<item>``); ``theme/assets/carebase/feedback.js`` enhances it in place:
Yes → thanks, No → reasons, comment and contact links, then send, and "change your
answer". Every id is derived from the item id, so many widgets (one per FAQ question)
can share a page. Every piece of text is escaped.

The root is a ``<section data-search-exclude>`` with no section inside: Material's search
indexer matches end tags by tag name only, so a ``<div>`` root would stop the exclusion at
the first nested ``</div>`` and index the widget's labels as page text.
"""

from __future__ import annotations

from html import escape

from carebase.strings import Strings
from carebase.widget.ids import thanks_anchor, widget_id
from carebase.widget.settings import DEFAULT_REASONS, Contact, FeedbackSettings

COMMENT_MAX = 2000


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def feedback_form(
    item_id: str, revision: str, title: str, settings: FeedbackSettings, *,
    heading: str | None = None, return_to: str = "", strings: Strings | None = None,
) -> str:
    """The widget for one item.

    ``heading`` overrides the question ("Was this answer helpful?" on FAQ questions);
    ``title`` names the item for screen readers; ``return_to`` is the page's absolute
    URL for the no-JS POST (the script fills it in from ``location`` when it runs);
    ``strings``: the page's language (carebase.strings; English when not given). The
    question set in the site's settings is the default language's; other languages take
    their catalogue's (or the site's strings file).
    """
    s = strings or Strings()
    uid = widget_id(item_id)
    own = settings.question if settings.question and (s.default or "widget.question." + settings.style not in s.table) else ""
    question = heading or own or s.t(f"widget.question.{settings.style}")
    parts = [
        f'<section class="cb-feedback" id="{uid}" data-cb-item="{_e(item_id)}" '
        f'data-cb-revision="{_e(revision)}" data-cb-scale="{settings.style}" '
        f'data-cb-max="{settings.scale_max}" data-cb-state="idle" data-search-exclude>',
        f'<p class="cb-feedback__nojs-thanks" id="{thanks_anchor(item_id)}" tabindex="-1">'
        f"{_e(s.t('widget.thanks'))}</p>",
        f'<form class="cb-feedback__form" method="post" action="{_e(settings.service_url)}/feedback">',
        f'<input type="hidden" name="item" value="{_e(item_id)}">',
        f'<input type="hidden" name="revision" value="{_e(revision)}">',
        f'<input type="hidden" name="scale" value="{settings.style}">',
        f'<input type="hidden" name="return_to" value="{_e(return_to)}">',
        f'<input type="hidden" name="lang" value="{_e(s.lang)}">',
        # without JavaScript "No" opens the service's reasons page (feedback_form.post_feedback): what it asks
        f'<input type="hidden" name="ask" value="{_ask(settings)}">' if settings.style == "helpful" else "",
        '<div class="cb-hp" aria-hidden="true">'
        f'<label for="{uid}-website">{_e(s.t("form.leave_empty"))}</label>'
        f'<input type="text" id="{uid}-website" name="website" value="" tabindex="-1" autocomplete="off">'
        "</div>",
        f'<fieldset class="cb-feedback__vote" id="{uid}-vote">',
        f'<legend class="cb-feedback__question" id="{uid}-q">{_e(question)}'
        f'<span class="cb-sr"> ({_e(title)})</span></legend>',
        _choices(uid, settings, s),
        "</fieldset>",
        _more(uid, settings, s),
    ]
    if settings.style != "helpful":
        parts.append(f'<button type="submit" class="cb-btn cb-btn--primary cb-feedback__send">{_e(s.t("widget.send"))}</button>')
    parts += [
        "</form>",
        f'<p class="cb-feedback__status" id="{uid}-status" role="status" aria-live="polite"></p>',
        f'<div class="cb-feedback__done" id="{uid}-done" hidden>'
        f'<button type="button" class="cb-btn cb-btn--link" data-cb-change>{_e(s.t("widget.change"))}'
        f'<span class="cb-sr"> ({_e(title)})</span></button></div>',
        _contact(uid, settings.contact, s),
        "</section>",
    ]
    return "".join(parts)


def _ask(settings: FeedbackSettings) -> str:
    """What the reasons page asks after a "No" without JavaScript: "reason", "comment", both or
    neither (the site's settings: the service knows the reasons, not whether comments are on)."""
    return " ".join(name for name, on in (("reason", bool(settings.reasons)), ("comment", settings.comment)) if on)


def _choices(uid: str, settings: FeedbackSettings, s: Strings) -> str:
    if settings.style == "helpful":
        return (
            '<div class="cb-feedback__buttons">'
            '<button type="submit" class="cb-btn" name="value" value="1" data-cb-vote="1" '
            f'aria-pressed="false">{_e(s.t("widget.yes"))}</button>'
            '<button type="submit" class="cb-btn" name="value" value="0" data-cb-vote="0" '
            f'aria-pressed="false">{_e(s.t("widget.no"))}</button></div>'
        )
    labels = s.items(f"widget.scale.{settings.style}")
    radios = []
    for value, label in enumerate(labels, start=1):
        rid = f"{uid}-v{value}"
        radios.append(
            f'<span class="cb-scale__option"><input type="radio" id="{rid}" name="value" '
            f'value="{value}" required data-cb-vote="{value}">'
            f'<label for="{rid}">{value}<span class="cb-sr"> – {_e(label)}</span></label></span>'
        )
    return (
        f'<div class="cb-scale cb-scale--{settings.style}">'
        f'<span class="cb-scale__end" aria-hidden="true">{_e(labels[0])}</span>'
        f'<span class="cb-scale__options">{"".join(radios)}</span>'
        f'<span class="cb-scale__end" aria-hidden="true">{_e(labels[-1])}</span></div>'
    )


def _more(uid: str, settings: FeedbackSettings, s: Strings) -> str:
    """Reasons and comment: a disclosure without JS, the "No" step with it."""
    if not settings.reasons and not settings.comment:
        body = ""
    else:
        body = _reasons(uid, settings.reasons, s) + (_comment(uid, s) if settings.comment else "")
    send = ""
    if settings.style == "helpful":
        send = ('<button type="submit" class="cb-btn cb-btn--primary cb-feedback__send" '
                f'name="value" value="0">{_e(s.t("widget.send"))}</button>')
    if not body and not send:
        return ""
    summary = s.t("widget.more.helpful" if settings.style == "helpful" else "widget.more.scale")
    return (
        f'<details class="cb-feedback__more" id="{uid}-more">'
        f'<summary>{_e(summary)}</summary>{body}{send}</details>'
    )


def reason_labels(reasons: tuple[str, ...], s: Strings) -> tuple[str, ...]:
    """What each reason reads as on the page. The value sent stays the reason as the site's
    settings name it (the service and the report count reasons by it, in every language);
    the label is the page language's: the catalogue's for carebase's default reasons, the
    site's strings file's for reasons of its own (in order; else the reasons as written)."""
    labels = s.items("widget.reasons")
    custom = reasons != DEFAULT_REASONS
    if len(labels) != len(reasons) or (custom and "widget.reasons" not in s.overridden):
        return reasons
    return labels


def _reasons(uid: str, reasons: tuple[str, ...], s: Strings) -> str:
    if not reasons:
        return ""
    options = []
    for index, (reason, label) in enumerate(zip(reasons, reason_labels(reasons, s))):
        rid = f"{uid}-r{index}"
        options.append(
            f'<span class="cb-reason"><input type="radio" id="{rid}" name="reason" value="{_e(reason)}">'
            f'<label for="{rid}">{_e(label)}</label></span>'
        )
    return (
        f'<fieldset class="cb-feedback__reasons" id="{uid}-reasons">'
        f'<legend id="{uid}-reasons-q">{_e(s.t("widget.reasons.title"))}</legend>{"".join(options)}</fieldset>'
    )


def _comment(uid: str, s: Strings) -> str:
    return (
        f'<div class="cb-feedback__comment"><label for="{uid}-comment">'
        f'{_e(s.t("widget.comment"))}</label>'
        f'<textarea id="{uid}-comment" name="comment" rows="3" maxlength="{COMMENT_MAX}" '
        f'aria-describedby="{uid}-comment-hint"></textarea>'
        f'<p class="cb-feedback__hint" id="{uid}-comment-hint">{_e(s.t("widget.comment_hint"))}</p></div>'
    )


def _contact(uid: str, contact: Contact, s: Strings) -> str:
    if not contact:
        return ""
    links = []
    if contact.email:
        text = s.t("widget.contact.email", email=contact.email)
        links.append(f'<a href="mailto:{_e(contact.email)}" data-cb-contact="email">{_e(text)}</a>')
    if contact.phone:
        tel = "".join(ch for ch in contact.phone if ch.isdigit() or ch == "+")
        text = s.t("widget.contact.phone", phone=contact.phone)
        links.append(f'<a href="tel:{_e(tel)}" data-cb-contact="phone">{_e(text)}</a>')
    if contact.chat_url:
        links.append(f'<a href="{_e(contact.chat_url)}" data-cb-contact="chat">{_e(s.t("widget.contact.chat"))}</a>')
    shown = s.site_text("site.contact.hours", contact.hours)  # the page language's (strings.<lang>.yml)
    hours = f'<p class="cb-feedback__hours">{_e(shown)}</p>' if shown else ""
    items = "".join(f"<li>{link}</li>" for link in links)
    return (
        f'<div class="cb-feedback__contact" id="{uid}-contact">'
        f'<p class="cb-feedback__contact-title">{_e(s.t("widget.contact.title"))}</p>'
        f"<ul>{items}</ul>{hours}</div>"
    )
