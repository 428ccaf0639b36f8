"""Forward contact-form tickets to a webhook (``--contact-webhook URL``) in the background.

One daemon thread takes ticket references from a queue and POSTs each ticket as JSON
(``Content-Type: application/json``), with a timeout per attempt and retries after growing
pauses; a 2xx answer is a delivery. The request that created the ticket never waits for it.
Each attempt's outcome is kept on the ticket (``forward_state``: pending → sent | failed,
``forward_attempts``, ``forwarded_ms``, ``forward_error``); tickets still pending when the
service starts (it stopped mid-delivery) are queued again. With ``--contact-webhook-secret``
each POST carries ``X-Carebase-Signature: sha256=<HMAC of the body>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import threading
import time
import urllib.error
import urllib.request

from sqlalchemy import select, update

from carebase.store.schema import contacts

log = logging.getLogger("carebase.service")

TIMEOUT_S = 5.0  # per attempt
RETRY_PAUSES_S = (2.0, 10.0, 60.0)  # before the 2nd, 3rd and 4th attempt; then "failed"


def payload(row: dict) -> dict:
    """What the webhook receives for a ticket."""
    return {
        "ticket": row["ticket"], "received_ms": row["received_ms"],
        "name": row["name"], "email": row["email"], "message": row["message"],
        "page": row["page"], "item": row["item_id"],
        "searches": json.loads(row["searches"] or "[]"),
        "suggested": json.loads(row["suggested"] or "[]"), "opened": row["opened"],
        "lang": row.get("lang"),  # the language of the page the form was sent from (None: the site's default)
    }


class Forwarder:
    def __init__(self, engine, url: str, *, secret: str | None = None, timeout: float = TIMEOUT_S,
                 pauses=RETRY_PAUSES_S, clock=time.monotonic, sleep=None):
        self.engine, self.url, self.secret, self.timeout, self.pauses = engine, url, secret, timeout, tuple(pauses)
        self.queue: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._sleep = sleep or self._stop.wait
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        with self.engine.connect() as connection:
            pending = connection.execute(select(contacts.c.ticket).where(contacts.c.forward_state == "pending")
                                         .order_by(contacts.c.received_ms)).scalars().all()
        for ticket in pending:
            self.queue.put(ticket)
        self.thread = threading.Thread(target=self._run, name="carebase-webhook", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.queue.put(None)
        if self.thread is not None:
            self.thread.join(self.timeout + 1)

    def submit(self, ticket: str) -> None:
        self.queue.put(ticket)

    def _run(self) -> None:
        while not self._stop.is_set():
            ticket = self.queue.get()
            if ticket is None:
                break
            try:
                self._deliver(ticket)
            except Exception:  # the store went away: the ticket stays pending for the next start
                log.exception("contact webhook: could not forward ticket %s", ticket)

    def _deliver(self, ticket: str) -> None:
        with self.engine.connect() as connection:
            row = connection.execute(select(contacts).where(contacts.c.ticket == ticket)).first()
        if row is None or row.forward_state != "pending":
            return
        row = dict(row._mapping)
        body = json.dumps(payload(row), ensure_ascii=False).encode("utf-8")
        attempts, error = row["forward_attempts"], row["forward_error"]
        for pause in (0.0, *self.pauses)[attempts:]:
            if pause and self._sleep(pause):
                return  # stopping: pending, picked up at the next start
            attempts += 1
            error = self._post(body)
            if error is None:
                self._record(ticket, "sent", attempts, None)
                return
            log.warning("contact webhook: ticket %s, attempt %d: %s", ticket, attempts, error)
            self._record(ticket, "pending", attempts, error)
        self._record(ticket, "failed", attempts, error)

    def _post(self, body: bytes) -> str | None:
        headers = {"Content-Type": "application/json", "User-Agent": "carebase-contact-webhook"}
        if self.secret:
            digest = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Carebase-Signature"] = f"sha256={digest}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                response.read(1024)
                return None if 200 <= response.status < 300 else f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            return f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            return str(getattr(exc, "reason", exc))[:200]

    def _record(self, ticket: str, state: str, attempts: int, error: str | None) -> None:
        values = {"forward_state": state, "forward_attempts": attempts, "forward_error": error}
        if state == "sent":
            values["forwarded_ms"] = int(time.time() * 1000)
        with self.engine.begin() as connection:
            connection.execute(update(contacts).where(contacts.c.ticket == ticket).values(**values))
