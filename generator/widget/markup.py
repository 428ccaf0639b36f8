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

from carebase.widget.ids import thanks_anchor, widget_id
from carebase.widget.settings import Contact, FeedbackSettings

SCALE_LABELS = {
    "csat": ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"),
    "ces": (
        "Very difficult", "Difficult", "Somewhat difficult", "Neither easy nor difficult",
        "Somewhat easy", "Easy", "Very easy",
    ),
}
COMMENT_MAX = 2000


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def feedback_form(
    item_id: str, revision: str, title: str, settings: FeedbackSettings, *,
    heading: str | None = None, return_to: str = "",
) -> str:
    """The widget for one item.

    ``heading`` overrides the question ("Was this answer helpful?" on FAQ questions);
    ``title`` names the item for screen readers; ``return_to`` is the page's absolute
    URL for the no-JS POST (the script fills it in from ``location`` when it runs).
    """
    uid = widget_id(item_id)
    question = heading or settings.heading
    parts = [
        f'<section class="cb-feedback" id="{uid}" data-cb-item="{_e(item_id)}" '
        f'data-cb-revision="{_e(revision)}" data-cb-scale="{settings.style}" '
        f'data-cb-max="{settings.scale_max}" data-cb-state="idle" data-search-exclude>',
        f'<p class="cb-feedback__nojs-thanks" id="{thanks_anchor(item_id)}" tabindex="-1">'
        "Thanks for your feedback!</p>",
        f'<form class="cb-feedback__form" method="post" action="{_e(settings.service_url)}/feedback">',
        f'<input type="hidden" name="item" value="{_e(item_id)}">',
        f'<input type="hidden" name="revision" value="{_e(revision)}">',
        f'<input type="hidden" name="scale" value="{settings.style}">',
        f'<input type="hidden" name="return_to" value="{_e(return_to)}">',
        '<div class="cb-hp" aria-hidden="true">'
        f'<label for="{uid}-website">Leave this field empty</label>'
        f'<input type="text" id="{uid}-website" name="website" value="" tabindex="-1" autocomplete="off">'
        "</div>",
        f'<fieldset class="cb-feedback__vote" id="{uid}-vote">',
        f'<legend class="cb-feedback__question" id="{uid}-q">{_e(question)}'
        f'<span class="cb-sr"> ({_e(title)})</span></legend>',
        _choices(uid, settings),
        "</fieldset>",
        _more(uid, settings),
    ]
    if settings.style != "helpful":
        parts.append('<button type="submit" class="cb-btn cb-btn--primary cb-feedback__send">Send</button>')
    parts += [
        "</form>",
        f'<p class="cb-feedback__status" id="{uid}-status" role="status" aria-live="polite"></p>',
        f'<div class="cb-feedback__done" id="{uid}-done" hidden>'
        f'<button type="button" class="cb-btn cb-btn--link" data-cb-change>Change your answer'
        f'<span class="cb-sr"> ({_e(title)})</span></button></div>',
        _contact(uid, settings.contact),
        "</section>",
    ]
    return "".join(parts)


def _choices(uid: str, settings: FeedbackSettings) -> str:
    if settings.style == "helpful":
        return (
            '<div class="cb-feedback__buttons">'
            '<button type="submit" class="cb-btn" name="value" value="1" data-cb-vote="1" '
            'aria-pressed="false">Yes</button>'
            '<button type="submit" class="cb-btn" name="value" value="0" data-cb-vote="0" '
            'aria-pressed="false">No</button></div>'
        )
    labels = SCALE_LABELS[settings.style]
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


def _more(uid: str, settings: FeedbackSettings) -> str:
    """Reasons and comment: a disclosure without JS, the "No" step with it."""
    if not settings.reasons and not settings.comment:
        body = ""
    else:
        body = _reasons(uid, settings.reasons) + (_comment(uid) if settings.comment else "")
    send = ""
    if settings.style == "helpful":
        send = ('<button type="submit" class="cb-btn cb-btn--primary cb-feedback__send" '
                'name="value" value="0">Send</button>')
    if not body and not send:
        return ""
    summary = "Tell us what went wrong (optional)" if settings.style == "helpful" else "Tell us more (optional)"
    return (
        f'<details class="cb-feedback__more" id="{uid}-more">'
        f'<summary>{summary}</summary>{body}{send}</details>'
    )


def _reasons(uid: str, reasons: tuple[str, ...]) -> str:
    if not reasons:
        return ""
    options = []
    for index, reason in enumerate(reasons):
        rid = f"{uid}-r{index}"
        options.append(
            f'<span class="cb-reason"><input type="radio" id="{rid}" name="reason" value="{_e(reason)}">'
            f'<label for="{rid}">{_e(reason)}</label></span>'
        )
    return (
        f'<fieldset class="cb-feedback__reasons" id="{uid}-reasons">'
        f'<legend id="{uid}-reasons-q">What went wrong?</legend>{"".join(options)}</fieldset>'
    )


def _comment(uid: str) -> str:
    return (
        f'<div class="cb-feedback__comment"><label for="{uid}-comment">'
        "How can we improve it? (optional)</label>"
        f'<textarea id="{uid}-comment" name="comment" rows="3" maxlength="{COMMENT_MAX}" '
        f'aria-describedby="{uid}-comment-hint"></textarea>'
        f'<p class="cb-feedback__hint" id="{uid}-comment-hint">Please don\'t include personal '
        "details such as your e-mail address or phone number.</p></div>"
    )


def _contact(uid: str, contact: Contact) -> str:
    if not contact:
        return ""
    links = []
    if contact.email:
        links.append(f'<a href="mailto:{_e(contact.email)}" data-cb-contact="email">E-mail {_e(contact.email)}</a>')
    if contact.phone:
        tel = "".join(ch for ch in contact.phone if ch.isdigit() or ch == "+")
        links.append(f'<a href="tel:{_e(tel)}" data-cb-contact="phone">Call {_e(contact.phone)}</a>')
    if contact.chat_url:
        links.append(f'<a href="{_e(contact.chat_url)}" data-cb-contact="chat">Chat with us</a>')
    hours = f'<p class="cb-feedback__hours">{_e(contact.hours)}</p>' if contact.hours else ""
    items = "".join(f"<li>{link}</li>" for link in links)
    return (
        f'<div class="cb-feedback__contact" id="{uid}-contact">'
        f'<p class="cb-feedback__contact-title">Still need help? Contact support:</p>'
        f"<ul>{items}</ul>{hours}</div>"
    )
