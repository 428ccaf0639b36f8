"""Validation of an events batch into store rows (the HTTP contract: REFERENCE.md, "Events
the site sends").

``rows_from_batch(payload, items, received_ms)`` checks every field of every event and
raises ``ApiError`` naming the first bad field (``events[3].value``): 400 for malformed
input, 422 for an item id the site's manifest does not know. Nothing is stored unless the
whole batch is valid. Unknown extra keys are ignored (newer widgets may send more).

Every field a client can fill with text (query, comment, reason, page, revision, and the item
id when no manifest checks it) is cleaned (``carebase.store.cleaning``: NFKC, no escapes,
controls or bidi overrides) and PII-masked (``carebase.service.masking``) before it is
stored; ``page`` keeps only the path (no query string or fragment). A reason the site does not
offer (the manifest's ``reasons``, or the widget's defaults) is stored as the comment.
"""

from __future__ import annotations

import re

from carebase.service.errors import ApiError, bad
from carebase.service.items import ItemIds
from carebase.service.masking import mask_pii
from carebase.store.cleaning import clean_text
from carebase.store.schema import EVENT_TYPES, SCALES
from carebase.store.writer import COLUMNS

EVENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
LANG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2}")
JOURNEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
VOTE_SOURCES = ("widget", "form")
SEARCH_SOURCES = ("header", "home", "search-page", "not-found")
CHANNELS = ("email", "phone", "chat", "form")
CLICK_SOURCES = ("contact-form",)  # a click on a suggestion of the contact form (no query)
ASK_SOURCES = ("api", "mcp", "widget")  # where an assistant's question came from
OUTCOMES = ("resolved", "escalated")
#: What a client may send; ``ask`` events are written by the answer API itself.
POSTED_TYPES = (*(t for t in EVENT_TYPES if t != "ask"), "view")
#: Counted, never stored as an event: a page view adds one to its item's count for the day (``item_views``).
COUNTED_TYPES = ("view",)
MAX_MS = 2**53  # JavaScript's safe integers; also fits BIGINT


def _utf8(value: str) -> bool:
    """JSON may carry lone surrogates ("\\ud800"): no database can store them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(event: dict, key: str, where: str, *, required: bool = False, max_len: int = 200,
          min_len: int = 0, choices: tuple | None = None) -> str | None:
    value = event.get(key)
    if value.__class__ is str and min_len <= len(value) <= max_len and "\x00" not in value and (
            choices is None or value in choices) and (value.isascii() or _utf8(value)):
        return value  # the common case, checked in one go
    if value is None:
        if required:
            raise bad(f"{where}.{key}", f"{key} is required")
        return None
    if not isinstance(value, str):
        raise bad(f"{where}.{key}", f"{key}: expected a string, found {type(value).__name__}")
    if "\x00" in value:
        raise bad(f"{where}.{key}", f"{key}: NUL characters are not allowed")
    if not _utf8(value):
        raise bad(f"{where}.{key}", f"{key}: not valid Unicode (a lone surrogate \\ud800–\\udfff)")
    if len(value) > max_len:
        raise bad(f"{where}.{key}", f"{key}: at most {max_len} characters, found {len(value)}")
    if len(value) < min_len:
        raise bad(f"{where}.{key}", f"{key}: at least {min_len} characters" if min_len > 1 else f"{key} is empty")
    if choices is not None and value not in choices:
        raise bad(f"{where}.{key}", f"{key}: expected one of {', '.join(choices)}, found {value[:40]!r}")
    return value


def _int(event: dict, key: str, where: str, *, required: bool = False, low: int = 0, high: int = MAX_MS) -> int | None:
    value = event.get(key)
    if value.__class__ is int and low <= value <= high:
        return value  # the common case
    if value is None:
        if required:
            raise bad(f"{where}.{key}", f"{key} is required")
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad(f"{where}.{key}", f"{key}: expected an integer, found {type(value).__name__}")
    if not low <= value <= high:
        raise bad(f"{where}.{key}", f"{key}: expected {low}–{high}, found {value}")
    return value


def customer_text(value: str | None, *, multiline: bool = False) -> str | None:
    """What is stored of text a customer typed: cleaned, PII-masked, None when nothing is left.
    Where a marker took the place of what an invisible character stood between (``0@0.AÀ`` then a tag
    character: kept between two letters, it now touches ``]``), the text is cleaned once more, so that
    storing it again changes nothing."""
    cleaned = clean_text(value, multiline=multiline)
    masked = mask_pii(cleaned)
    if masked != cleaned and masked:
        masked = clean_text(masked, multiline=multiline)
    return masked or None


def page_path(value: str | None) -> str | None:
    """The path of the page an event came from: no scheme or host, query string or fragment."""
    value = clean_text(value)
    if not value:
        return None
    if "://" in value[:12]:
        value = "/" + value.split("://", 1)[1].partition("/")[2]
    return customer_text(value.split("?", 1)[0].split("#", 1)[0]) or "/"


def page_language(event: dict, where: str, items: ItemIds) -> str | None:
    """The page's language code (``<html lang>``): one the site publishes when its manifest
    lists them, else any well-formed code; None when not sent (the site's default language)."""
    value = _text(event, "lang", where, max_len=35)
    if value is None or value == "":
        return None
    if not LANG.fullmatch(value):
        raise bad(f"{where}.lang", f"lang: expected a language code such as en, de or pt-BR, found {value[:40]!r}")
    languages = getattr(items, "languages", ())
    if languages and value not in languages:
        raise bad(f"{where}.lang", f"lang: expected one of the site's languages ({', '.join(languages)}), "
                                   f"found {value!r}")
    return value


def _revision(event: dict, where: str, item_id: str | None, items: ItemIds) -> str | None:
    value = clean_text(_text(event, "revision", where, max_len=200)) or None
    if value is None or (item_id is not None and value == items.revision_of(item_id)):
        return value  # the revision the manifest lists is a content hash, never masked
    return customer_text(value)


def _reason_and_comment(event: dict, where: str, items: ItemIds) -> tuple[str | None, str | None]:
    """A reason the site offers, and the comment; any other reason becomes (part of) the comment."""
    reason = clean_text(_text(event, "reason", where, max_len=200)) or None
    comment = clean_text(_text(event, "comment", where, max_len=2000), multiline=True) or None
    if reason is not None and reason not in {clean_text(r) for r in items.reasons}:
        comment = reason if comment is None else f"{reason}\n{comment}"
        reason = None
    return reason, mask_pii(comment)


def _item(event: dict, where: str, items: ItemIds, *, required: bool) -> str | None:
    raw = _text(event, "item", where, required=required, min_len=1, max_len=300)
    if raw is None:
        return None
    canonical = items.resolve(raw)
    if canonical is None:
        raise ApiError(422, f"item: unknown item id {raw[:80]!r} (not in the site's manifest)", f"{where}.item")
    if not items.enforced:  # no manifest to check it against: any text could be in it
        canonical = customer_text(canonical)
        if not canonical or ":" not in canonical:
            raise bad(f"{where}.item", f"item: expected an item id such as article:billing/refunds, found {raw[:80]!r}")
    return canonical


def _optional_query(event: dict, where: str) -> str | None:
    """A query that may be absent; one given but empty once cleaned is "" (it was given)."""
    raw = _text(event, "query", where, max_len=200)
    return None if raw is None else (customer_text(raw) or "")


def _query(event: dict, where: str) -> str:
    """A search's query: "" when nothing but spaces, controls or escapes was typed (still a search)."""
    return customer_text(_text(event, "query", where, required=True, min_len=1, max_len=200)) or ""


def row_from_event(event: object, where: str, items: ItemIds, received_ms: int) -> dict:
    if not isinstance(event, dict):
        raise bad(where, f"expected an object, found {type(event).__name__}")
    event_id = _text(event, "id", where, required=True, max_len=64)
    if not EVENT_ID.fullmatch(event_id):
        raise bad(f"{where}.id", "id: expected 8–64 characters of A-Z a-z 0-9 _ -")
    if event.get("type") == "ask":
        raise bad(f"{where}.type", "type: ask events are recorded by the answer API itself (GET /api/v1/answer); "
                                   "report how an answer ended with an outcome event (resolved / escalated)")
    kind = _text(event, "type", where, required=True, choices=POSTED_TYPES)
    row = dict.fromkeys(COLUMNS)
    row.update(event_id=event_id, type=kind, received_ms=received_ms,
               client_ms=_int(event, "ts", where), page=page_path(_text(event, "page", where, max_len=2000)))
    journey = _text(event, "journey", where, max_len=64)
    if journey is not None and not JOURNEY.fullmatch(journey):
        raise bad(f"{where}.journey", "journey: expected up to 64 characters of A-Z a-z 0-9 _ -")
    row["journey"] = journey
    row["lang"] = page_language(event, where, items)
    if kind == "vote":
        scale = _text(event, "scale", where, choices=tuple(SCALES)) or "helpful"
        low, high = SCALES[scale]
        vote_key = _text(event, "vote_key", where, max_len=64)
        if vote_key is not None and not EVENT_ID.fullmatch(vote_key):
            raise bad(f"{where}.vote_key", "vote_key: expected 8–64 characters of A-Z a-z 0-9 _ -")
        item_id = _item(event, where, items, required=True)
        reason, comment = _reason_and_comment(event, where, items)
        row.update(
            item_id=item_id,
            value=_int(event, "value", where, required=True, low=low, high=high),
            scale=scale,
            reason=reason,
            comment=comment,
            revision=_revision(event, where, item_id, items),
            vote_key=vote_key,
            source=_text(event, "source", where, choices=VOTE_SOURCES),
        )
    elif kind == "search":
        row.update(
            query=_query(event, where),
            results=_int(event, "results", where, required=True, high=2**31 - 1),
            source=_text(event, "source", where, choices=SEARCH_SOURCES),
        )
    elif kind == "click":
        row.update(
            query=customer_text(_text(event, "query", where, max_len=200)),
            item_id=_item(event, where, items, required=True),
            rank=_int(event, "rank", where, low=1, high=100_000),
            source=_text(event, "source", where, choices=CLICK_SOURCES),
        )
    elif kind == "view":  # only the item and the day are kept (see carebase.store.writer.count_views)
        row.update(item_id=_item(event, where, items, required=True))
    elif kind == "outcome":  # a bot says how the journey of its question ended
        if journey is None:
            raise bad(f"{where}.journey", "journey is required: the journey id the answer API returned")
        row.update(
            outcome=_text(event, "outcome", where, required=True, choices=OUTCOMES),
            item_id=_item(event, where, items, required=False),
            source=_text(event, "source", where, choices=ASK_SOURCES),
        )
    else:  # contact
        row.update(
            item_id=_item(event, where, items, required=False),
            query=_optional_query(event, where),
            channel=_text(event, "channel", where, choices=CHANNELS),
        )
        if row["item_id"] is None and row["query"] is None:
            raise bad(f"{where}.item", "contact: needs the item or the query the customer came from")
    return row


def rows_from_batch(payload: object, items: ItemIds, received_ms: int, *, max_events: int = 100) -> list[dict]:
    if not isinstance(payload, dict):
        raise bad("events", 'expected a JSON object {"events": [...]}')
    batch = payload.get("events")
    if not isinstance(batch, list):
        raise bad("events", "events: expected a list of events")
    if not 1 <= len(batch) <= max_events:
        raise bad("events", f"events: expected 1–{max_events} events, found {len(batch)}")
    return [row_from_event(event, f"events[{i}]", items, received_ms) for i, event in enumerate(batch)]
