"""Every question an assistant asks is an ``ask`` event (the loop closes for bots too).

``ask_row`` makes the store row (the question cleaned and masked like a search query, the
cited item ids, answered or not); the service's answer API and MCP tools hand it to the
store's single writer without waiting for the commit, so a slow or unavailable store never
delays or fails an answer (a row that cannot be stored is logged).
"""

from __future__ import annotations

import json
import logging
import secrets
import time

from carebase.store.writer import COLUMNS

SOURCES = ("api", "mcp", "widget")
log = logging.getLogger("carebase.service")


def new_journey() -> str:
    """A journey id for a conversation that did not bring one (the answer returns it, so the
    bot can report the outcome with it)."""
    return "ask-" + secrets.token_urlsafe(12)


def ask_row(question: str, answer, *, source: str, journey: str | None, client: str | None,
            lang: str | None = None, client_epoch: str | None = None) -> dict:
    """``lang``: the language asked in (None: the site's default, stored as NULL like an
    event without a page language)."""
    from carebase.service.validation import customer_text

    if source not in SOURCES:
        raise ValueError(f"source: expected one of {', '.join(SOURCES)}, found {source!r}")
    cited = answer.cited_ids if answer.answered else []
    row = dict.fromkeys(COLUMNS)
    row.update(event_id="ask-" + secrets.token_hex(12), type="ask", received_ms=int(time.time() * 1000),
               query=customer_text(question) or "", source=source, cited=json.dumps(cited),
               item_id=cited[0] if cited else None, value=1 if answer.answered else 0, results=len(cited),
               journey=journey, client=client, client_epoch=client_epoch, lang=lang)
    return row


def record(writer, row: dict) -> None:
    """Queue the row for the writer; never raises (an answer must not fail on its event)."""
    try:
        future = writer.submit([row])
    except Exception as exc:  # busy or stopped
        log.warning("ask event not stored: %s", exc)
        return
    future.add_done_callback(_logged)


def _logged(future) -> None:
    exc = future.exception()
    if exc is not None:
        log.warning("ask event not stored: %s", exc)
