"""The hand-written OpenAPI 3.1 document served at ``/api/v1/openapi.json``.

It describes what ``validation.py`` enforces; tests fuzz the service from these schemas.
"""

from __future__ import annotations

from carebase import __version__
from carebase.search.query import MAX_DEPTH, MAX_LIMIT

_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"}
NO_NUL = "^[^\\x00]*$"  # NUL characters are refused (PostgreSQL text cannot hold them)


def _text(max_length: int, min_length: int = 0, **extra) -> dict:
    schema = {"type": "string", "maxLength": max_length, "pattern": NO_NUL, **extra}
    if min_length:
        schema["minLength"] = min_length
    return schema


_COMMON = {
    "id": {**_ID, "description": "client-generated event id; a retried event is stored once"},
    "ts": {"type": "integer", "minimum": 0, "maximum": 2**53, "description": "client clock, ms since epoch"},
    "page": _text(2000, description="site path the event came from"),
    "journey": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$", "description": "per-tab id"},
    "lang": {"type": "string", "pattern": "^([a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2})?$", "maxLength": 35,
             "description": "the page's language (<html lang>); one the site publishes when its manifest lists "
                            "languages; absent: the site's default language"},
}
ITEM = _text(300, 1, description="item id from the site's manifest (an alias is stored as its canonical id); "
                                 "unknown ids are answered 422")
_QUERY = _text(200)


def _event(kind: str, required: list[str], fields: dict, **extra) -> dict:
    return {
        "type": "object",
        "required": ["id", "type", *required],
        "properties": {**_COMMON, "type": {"const": kind}, **fields},
        **extra,
    }


def _vote(scale: str, low: int, high: int, description: str) -> dict:
    return _event("vote", ["item", "value"] + ([] if scale == "helpful" else ["scale"]), {
        "item": ITEM,
        "value": {"type": "integer", "minimum": low, "maximum": high},
        "scale": {"const": scale} if scale != "helpful" else {"const": "helpful", "default": "helpful"},
        "reason": _text(200, description="masked for e-mails, phone and card numbers"),
        "comment": _text(2000, description="masked for e-mails, phone and card numbers"),
        "revision": _text(200),
        "vote_key": {**_ID, "description": "stable random id per visitor and item; the latest vote wins"},
        "source": {"enum": ["widget", "form"]},
    }, description=description)


EVENT_SCHEMAS = {
    "HelpfulVote": _vote("helpful", 0, 1, "a yes (1) / no (0) vote; scale may be left out"),
    "CsatVote": _vote("csat", 1, 5, "customer satisfaction 1–5"),
    "CesVote": _vote("ces", 1, 7, "customer effort score 1–7"),
    "SearchEvent": _event("search", ["query", "results"], {
        "query": _text(200, 1, description="the final query; masked like comments"),
        "results": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1},
        "source": {"enum": ["header", "home", "search-page", "not-found"]},
    }),
    "ClickEvent": _event("click", ["item"], {
        "query": _QUERY, "item": ITEM, "rank": {"type": "integer", "minimum": 1, "maximum": 100000},
        "source": {"enum": ["contact-form"], "description": "a suggestion of the contact form was opened"},
    }),
    "ContactEvent": _event("contact", [], {
        "item": ITEM, "query": _QUERY, "channel": {"enum": ["email", "phone", "chat", "form"]},
    }, anyOf=[{"required": ["item"]}, {"required": ["query"]}]),
    "ViewEvent": _event("view", ["item"], {"item": ITEM}, description=(
        "a page view of an article or video: only the item and the day are kept (a count per item and "
        "day; no event, page, journey or client); not sent under Do-Not-Track / GPC, dropped if it is")),
    "OutcomeEvent": _event("outcome", ["journey", "outcome"], {
        "outcome": {"enum": ["resolved", "escalated"],
                    "description": "how the conversation that asked GET /api/v1/answer ended"},
        "item": {**ITEM, "description": "the item that resolved it, if any (an id from the manifest)"},
        "source": {"enum": ["api", "mcp", "widget"]},
    }, description="a bot reports what happened after an answer; `journey` is the one the answer API returned"),
}

_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _error(description: str) -> dict:
    return {"description": description, **_ERROR}


CONTACT = {"type": "object", "required": ["name", "email", "message"], "properties": {
    "name": {"type": "string", "maxLength": 100}, "email": {"type": "string", "format": "email", "maxLength": 254},
    "message": {"type": "string", "maxLength": 5000}, "id": {"type": "string", "description": "8–64 of A-Z a-z 0-9 _ -"},
    "page": {"type": "string", "description": "the site path the customer came from (query string dropped; another site's address: 400)"},
    "item": ITEM, "searches": {"type": "array", "items": {"type": "string"}, "maxItems": 5,
                               "description": "the journey's last searches (the form: one per line)"},
    "suggested": {"type": "array", "items": ITEM, "maxItems": 3, "description": "items the form suggested"},
    "opened": {**ITEM, "description": "the suggested item the customer opened before sending"},
    "journey": {"type": "string"}, "return_to": {"type": "string", "format": "uri", "description": "the form only"},
    "website": {"type": "string", "description": "honeypot; must be empty"}}}


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "carebase feedback service", "version": __version__,
                 "description": "Stores the help centre's feedback events (votes, searches, clicks, "
                                "contact) for the content-gap report. No cookies; no raw IPs stored."},
        "paths": {
            "/api/v1/events": {"post": {
                "summary": "Store a batch of events",
                "description": "The body is parsed as JSON whatever the Content-Type (sendBeacon sends "
                               "text/plain). The whole batch is rejected if any event is invalid. "
                               "Answered only after the events are durable.",
                "requestBody": {"required": True, "content": {
                    "text/plain": {"schema": {"$ref": "#/components/schemas/Batch"}},
                    "application/json": {"schema": {"$ref": "#/components/schemas/Batch"}}}},
                "responses": {
                    "200": {"description": "stored", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["accepted", "duplicates"],
                        "properties": {"accepted": {"type": "integer"}, "duplicates": {"type": "integer"},
                                       "ignored": {"type": "integer", "description":
                                                   "events not stored because the browser sent DNT: 1 or "
                                                   "Sec-GPC: 1 (only votes are kept, without identifiers); "
                                                   "present only when not 0"}}}}}},
                    "400": _error("malformed batch; `field` names the bad field, e.g. events[3].value"),
                    "403": _error("the request's Origin is not an allowed site origin"),
                    "413": _error("body larger than 64 KB"),
                    "422": _error("an item id the site's manifest does not know"),
                    "429": _error("rate-limited (the limit counts events: a batch of N costs N); nothing stored; see Retry-After"),
                    "503": _error("store temporarily unavailable; retry"),
                }}},
            "/feedback": {"post": {
                "summary": "The widget's no-JavaScript form",
                "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
                    "type": "object", "required": ["item", "value"],
                    "properties": {"item": ITEM, "value": {"type": "string"}, "scale": {"type": "string"},
                                   "reason": {"type": "string"}, "comment": {"type": "string"},
                                   "revision": {"type": "string"}, "return_to": {"type": "string", "format": "uri"},
                                   "website": {"type": "string", "description": "honeypot; must be empty"}}}}}},
                "responses": {
                    "303": {"description": "stored; redirects to return_to#cb-thanks-<item>"},
                    "400": _error("bad field, or return_to not on an allowed origin"),
                    "413": _error("body too large"), "422": _error("unknown item id"),
                    "429": _error("rate-limited"), "503": _error("store temporarily unavailable"),
                }}},
            "/healthz": {"get": {"summary": "Whether the store accepts writes (a probe write when idle)", "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}},
                "503": {"description": "the store refused a write (in the last 5 s) or did not commit a probe "
                                      "within 2 s; `error` says why"}}}},
            "/api/v1/export": {"get": {
                "summary": "Every stored event as JSON Lines",
                "security": [{"bearer": []}],
                "parameters": [{"name": "since", "in": "query", "required": False,
                                "schema": {"type": "integer", "minimum": 0, "maximum": 2**53},
                                "description": "only events received at or after (ms)"}],
                "responses": {
                    "200": {"description": "one JSON object per line, column names as keys",
                            "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                    "400": _error("bad parameter: since outside 0–2^53, or an unknown parameter"),
                    "401": _error("missing or wrong token"),
                    "403": _error("export disabled (no token configured)"),
                    "503": _error("store unavailable; retry")}}},
            "/report": {"get": {
                "summary": "The live gap report and backlog (HTML)", "security": [{"bearer": []}, {"basic": []}],
                "description": "Basic auth takes any user name and the token as the password, so a "
                               "browser's password prompt works. Filters: days (7, 28, 90), status (active, open, "
                               "in_progress, done, wont_do, wrong, all), owner, category, kind, action, lang, page; "
                               "limit (1-50: the rows the report's long tables show, 10 by default).",
                "parameters": [{"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
                               for n in ("days", "status", "owner", "category", "kind", "action", "lang", "page",
                                         "limit")],
                "responses": {"200": {"description": "the report (or a page that reloads while it is built)",
                                      "content": {"text/html": {}}},
                              "400": _error("a filter value the report does not know"),
                              "401": _error("missing or wrong token"), "403": _error("no token configured"),
                              "503": _error("the service has no build output yet (--site-data)")}}},
            "/report/rows/{key}": {"get": {
                "summary": "One recommendation with all its evidence and the history of its decisions (HTML)",
                "security": [{"bearer": []}, {"basic": []}],
                "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "the row", "content": {"text/html": {}}},
                              "404": _error("no such recommendation in the period's report")}}},
            "/report/issue/{key}": {"get": {
                "summary": "A recommendation as a new issue: 303 to the tracker's form, prefilled",
                "security": [{"bearer": []}, {"basic": []}],
                "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"303": {"description": "to the tracker's new-issue form"},
                              "404": _error("no such recommendation, or no issue tracker (--edit-url)")}}},
            "/report/refresh": {"post": {
                "summary": "Build the period's report model again now", "security": [{"bearer": []}, {"basic": []}],
                "responses": {"303": {"description": "back to /report"}, "403": _error("a cross-site request")}}},
            "/report/backlog": {"post": {
                "summary": "A decision on a backlog row (form or JSON; see /api/v1/backlog)",
                "security": [{"bearer": []}, {"basic": []}],
                "responses": {"200": {"description": "JSON: the decision"}, "303": {"description": "a form: back to /report"},
                              "400": _error("a bad field"), "403": _error("a cross-site request"),
                              "404": _error("no such recommendation")}}},
            "/report/links": {"post": {
                "summary": "The live report's 'same need' / 'two needs' buttons (form or JSON): kind, topic, other "
                           "or wording (as /api/v1/backlog/links), or undo (a link id)",
                "security": [{"bearer": []}, {"basic": []}],
                "responses": {"201": {"description": "JSON: the link"}, "200": {"description": "JSON: removed"},
                              "303": {"description": "a form: back to /report"}, "400": _error("a bad field"),
                              "403": _error("a cross-site request"), "404": _error("undo: no such link")}}},
            "/api/v1/backlog": {
                "get": {"summary": "The backlog as JSON, with the same filters as /report",
                        "security": [{"bearer": []}],
                        "responses": {"200": {"description": "rows", "content": {"application/json": {}}},
                                      "400": _error("a filter value the report does not know"),
                                      "503": _error("the service has no build output yet (--site-data)")}},
                "post": {"summary": "A decision on a backlog row", "security": [{"bearer": []}],
                         "requestBody": {"content": {"application/json": {"schema": {
                             "type": "object", "required": ["key"], "properties": {
                                 "key": {"type": "string"},
                                 "status": {"enum": ["open", "in_progress", "done", "wont_do", "wrong"]},
                                 "owner": {"type": ["string", "null"], "maxLength": 120},
                                 "note": {"type": ["string", "null"], "maxLength": 2000},
                                 "days": {"enum": [7, 28, 90], "default": 28,
                                          "description": "the period whose report lists the row"}}}}}},
                         "responses": {"200": {"description": "the decision and what changed"},
                                       "400": _error("a bad field"), "403": _error("a cross-site request"),
                                       "404": _error("no such recommendation")}}},
            "/api/v1/backlog/links": {
                "get": {"summary": "A lead's 'same need' / 'two needs' links on missing-content rows",
                        "security": [{"bearer": []}],
                        "responses": {"200": {"description": "links", "content": {"application/json": {}}}}},
                "post": {"summary": "Join a row into another (same) or keep rows apart / split a row (two); "
                                    "applied by the next report", "security": [{"bearer": []}],
                         "requestBody": {"content": {"application/json": {"schema": {
                             "type": "object", "required": ["kind", "topic"], "properties": {
                                 "kind": {"enum": ["same", "two"]},
                                 "topic": {"type": "string", "description": "the row's topic id"},
                                 "other": {"type": ["string", "null"], "description": "the other row's topic id"},
                                 "wording": {"type": ["string", "null"], "maxLength": 300,
                                             "description": "two: a wording of the row's second need; same: a wording of "
                                                            "the row's own need (a row's marks make one split)"},
                                 "note": {"type": ["string", "null"], "maxLength": 500}}}}}},
                         "responses": {"201": {"description": "the link"}, "400": _error("a bad field"),
                                       "403": _error("a cross-site request")}}},
            "/api/v1/backlog/links/{id}": {
                "delete": {"summary": "Undo a link (at the next report)", "security": [{"bearer": []}],
                           "responses": {"200": {"description": "removed"}, "404": _error("no such link")}}},
            "/api/v1/contact": {"post": {
                "summary": "A message from the site's contact form: stored as a ticket, forwarded to the webhook",
                "description": "JSON whatever the Content-Type (the site sends text/plain: no CORS preflight). "
                               "The same `id` (or, without one, the same message from the same client within "
                               "10 minutes) is one ticket. Card numbers and IBANs in the message are masked "
                               "(--contact-mask). Under DNT/GPC no journey, client hash or searches are kept.",
                "requestBody": {"required": True, "content": {"text/plain": {"schema": CONTACT},
                                                              "application/json": {"schema": CONTACT}}},
                "responses": {
                    "201": {"description": "stored", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["ticket", "forwarded"],
                        "properties": {"ticket": {"type": "string", "description": "CB-XXXX-XXXX"},
                                       "forwarded": {"type": "boolean", "description": "a webhook will receive it"}}}}}},
                    "400": _error("bad field (`field` names it)"), "403": _error("foreign Origin"),
                    "413": _error("body too large"), "422": _error("unknown item id"),
                    "429": _error("rate-limited"), "503": _error("store temporarily unavailable")}}},
            "/api/v1/contact/searches": {"post": {
                "summary": "The journey's searches as a ticket would store them (the contact form lists them before sending)",
                "description": "JSON whatever the Content-Type: {\"searches\": [text, ...]}. Answers the last 5, each cut "
                               "to 200 characters and PII-masked, as POST /api/v1/contact stores them; stores nothing. "
                               "Under DNT/GPC: none.",
                "requestBody": {"required": True, "content": {"text/plain": {"schema": {
                    "type": "object", "properties": {"searches": {"type": "array", "items": {"type": "string"}}}}}}},
                "responses": {
                    "200": {"description": "the searches, masked", "content": {"application/json": {"schema": {
                        "type": "object", "required": ["searches"],
                        "properties": {"searches": {"type": "array", "items": {"type": "string"}, "maxItems": 5}}}}}},
                    "400": _error("not a JSON object, or searches not a list of texts"), "403": _error("foreign Origin"),
                    "413": _error("body too large"), "429": _error("rate-limited")}}},
            "/contact": {"post": {
                "summary": "The contact form without JavaScript",
                "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": CONTACT}}},
                "responses": {"201": {"description": "an HTML page with the ticket reference", "content": {"text/html": {}}},
                              "400": {"description": "an HTML page naming what to correct", "content": {"text/html": {}}},
                              "403": _error("foreign Origin"), "429": _error("rate-limited")}}},
            "/contact/": {"get": {
                "summary": "The contact form without JavaScript, with the page it was opened from and the journey's searches",
                "parameters": [
                    {"name": "from", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "the path of the page the Contact link was followed from (a path of the help centre "
                                    "only: anything else is refused with a note on the form and never stored)"},
                    {"name": "j", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "the journey of the search page without JavaScript: its last 5 searches from this "
                                    "client are listed as ticked checkboxes (none under Do-Not-Track)"}],
                "responses": {"200": {"description": "the site's contact form (HTML)", "content": {"text/html": {}}}}}},
            "/api/v1/contacts": {"get": {
                "summary": "Every contact-form ticket as JSON Lines (oldest first)", "security": [{"bearer": []}],
                "parameters": [{"name": "since", "in": "query", "required": False, "schema": {"type": "integer"},
                                "description": "only tickets received at or after (ms)"}],
                "responses": {"200": {"description": "one ticket per line: the contacts table's columns",
                                      "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                              "401": _error("missing or wrong token"), "403": _error("no token configured")}}},
            "/api/v1/search": {"get": {
                "summary": "Search the help centre: strong matches first, then the weaker ones, a page at a time",
                "description": "One query's list holds every match once, strong matches (most of the query's "
                               "words, or meaning's close answers) first. `limit` rows from row `offset` + 1: "
                               "the next page is `offset` + `limit`, while it is below `total`; the first "
                               f"{MAX_DEPTH:,} rows can be paged through. `total`, `strong` and the counts per "
                               "kind count every match whatever the page. A 400 names the field it refuses.",
                "parameters": [
                    {"name": "q", "in": "query", "required": True, "schema": _text(200, 1),
                     "description": "the search text"},
                    {"name": "type", "in": "query", "required": False,
                     "schema": {"enum": ["article", "faq", "video"]}, "description": "only results of this kind"},
                    {"name": "limit", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10},
                     "description": "rows to answer"},
                    {"name": "offset", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 0, "maximum": MAX_DEPTH - 1, "default": 0},
                     "description": f"rows to skip (offset + limit at most {MAX_DEPTH:,})"},
                    {"name": "lang", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "a language the build output holds; absent: the default language"}],
                "responses": {
                    "200": {"description": "the page", "content": {"application/json": {"schema": {
                        "type": "object",
                        "required": ["query", "offset", "total", "counts", "strong", "strong_counts", "hits"],
                        "properties": {
                            "query": {"type": "string"}, "type": {"type": ["string", "null"]},
                            "lang": {"type": ["string", "null"]}, "offset": {"type": "integer"},
                            "total": {"type": "integer", "description": "every match (of `type`)"},
                            "strong": {"type": "integer", "description": "the strong matches (of `type`)"},
                            "counts": {"type": "object", "description": "every match per kind"},
                            "strong_counts": {"type": "object", "description": "the strong matches per kind"},
                            "items": {"type": "integer", "description": "the strong items (of `type`): what a "
                                      "results page counts, a video with its matching chapters once"},
                            "item_counts": {"type": "object", "description": "the strong items per kind"},
                            "weak_items": {"type": "integer", "description": "the weaker items (of `type`) in "
                                           f"the list's first {MAX_DEPTH:,} rows"},
                            "suggestion": {"type": ["string", "null"], "description": "did you mean"},
                            "hits": {"type": "array", "items": {"type": "object", "properties": {
                                "id": {"type": "string"}, "kind": {"type": "string"}, "title": {"type": "string"},
                                "url": {"type": "string"}, "category": {"type": "string"},
                                "snippet": {"type": "string", "description": "escaped text with <mark>"},
                                "score": {"type": "number"}, "strong": {"type": "boolean"},
                                "path": {"type": "array", "items": {"type": "string"},
                                         "description": "where the hit sits: its category's title, then an FAQ "
                                                        "question's FAQ page's or a video chapter's video's title"},
                                "path_urls": {"type": "array", "items": {"type": ["string", "null"]},
                                              "description": "each step of `path`'s page, as `url` names a page "
                                                             "(the category's page, the FAQ page, the video); "
                                                             "null for a step without one"},
                                "chapter": {"type": ["object", "null"],
                                            "description": "a video chapter's own title, its start (seconds) and "
                                                           "its video, so a client lists it under the video; null "
                                                           "for every other hit",
                                            "properties": {"title": {"type": "string"}, "start": {"type": "integer"},
                                                           "video": {"type": "object", "properties": {
                                                               "id": {"type": "string"}, "title": {"type": "string"},
                                                               "url": {"type": "string"}}}}}}}}}}}}},
                    "400": _error("a bad parameter (`field` names it): q, type, limit, offset, lang, or an unknown one"),
                    "429": _error("rate-limited"),
                    "503": _error("search is not configured (no build output yet)")}}},
            "/api/v1/openapi.json": {"get": {"summary": "This document", "responses": {
                "200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "basic": {"type": "http", "scheme": "basic"}},
            "schemas": {
                "Batch": {"type": "object", "required": ["events"], "properties": {"events": {
                    "type": "array", "minItems": 1, "maxItems": 100,
                    "items": {"oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in EVENT_SCHEMAS]}}},
                    "description": "Unknown keys in an event are ignored. null counts as absent."},
                **EVENT_SCHEMAS,
                "Error": {"type": "object", "required": ["error", "field"], "properties": {
                    "error": {"type": "string"}, "field": {"type": ["string", "null"]}}},
            },
        },
    }
