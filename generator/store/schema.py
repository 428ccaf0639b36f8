"""The one schema of the event store, shared by the service (writes) and the report (reads).

One append-only table of events. Every event the site sends becomes one row, keyed by
the client-generated ``event_id`` so a retried batch is stored once. Columns that do
not apply to an event's type are NULL. Times are integer milliseconds since the Unix
epoch (UTC), which compare and index the same way on SQLite and PostgreSQL.

Votes: a visitor may change their vote; the widget sends the same ``vote_key`` (a random
id it keeps in localStorage per item) with each change, and readers keep only the latest
row per ``vote_key`` (``latest_votes``). Votes sent without a key (Do-Not-Track) each count.

``journey`` is a random per-tab id (sessionStorage, never a cookie, absent under DNT) that
links a search to the click and the vote or contact that followed it.

``client`` is the service's salted, daily-rotating hash of the sender's address (the same
hash the rate limit uses, first 16 hex digits; never the address itself; NULL under DNT):
learned phrasings count distinct clients with it, so one client cannot teach search alone.
Its salt lives only in the service's memory and changes every UTC day and at every
restart, so a hash cannot be linked across days or reversed.

``learned_blocks`` holds the phrasings a lead blocked (``carebase learned block``): a
phrase, optionally for one item only; search never learns a blocked tie.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, Table, Text

metadata = MetaData()

EVENT_TYPES = ("vote", "search", "click", "contact")
SCALES = {"helpful": (0, 1), "csat": (1, 5), "ces": (1, 7)}  # value range per vote scale

events = Table(
    "events",
    metadata,
    Column("event_id", Text, primary_key=True),  # client-generated, unique
    Column("type", Text, nullable=False),  # one of EVENT_TYPES
    Column("received_ms", BigInteger, nullable=False),  # server clock
    Column("client_ms", BigInteger),  # client clock, as sent (may be skewed)
    Column("item_id", Text),  # canonical id (aliases resolved at ingest): vote, click, contact
    Column("value", Integer),  # vote: 1 helpful / 0 not helpful, or a rating on `scale`
    Column("scale", Text),  # vote: helpful | csat | ces
    Column("reason", Text),  # vote: one of the configured reasons
    Column("comment", Text),  # vote: free text, PII masked before storage
    Column("revision", Text),  # vote: the item's content revision the visitor saw
    Column("vote_key", Text),  # vote: stable per visitor and item; latest row wins
    Column("query", Text),  # search, click, contact: the final query, PII masked
    Column("results", Integer),  # search: number of results shown
    Column("rank", Integer),  # click: 1-based position of the clicked result
    Column("source", Text),  # search: header | home | search-page; vote: widget | form
    Column("channel", Text),  # contact: email | phone | chat
    Column("page", Text),  # the site path the event came from
    Column("journey", Text),  # per-tab random id linking search → click → vote/contact
    Column("client", Text),  # salted daily-rotating client hash (16 hex digits); NULL under DNT (0003)
)

# Covers the report's per-item aggregates (votes per item and revision, clicks and
# contacts per item): grouped in index order, without sorting or reading the table.
# Replaced the narrower (type, item_id) index in migration 0002; serves the same lookups.
Index("events_type_item_cover", events.c.type, events.c.item_id, events.c.revision, events.c.received_ms,
      events.c.scale, events.c.value)
Index("events_type_received", events.c.type, events.c.received_ms)
Index("events_vote_key", events.c.vote_key)
Index("events_journey", events.c.journey)

learned_blocks = Table(
    "learned_blocks",
    metadata,
    Column("block_id", Integer, primary_key=True, autoincrement=True),
    Column("phrase", Text, nullable=False),  # normalised: folded, single spaces
    Column("item_id", Text),  # NULL: the phrase is blocked for every item
    Column("created_ms", BigInteger, nullable=False),
    Column("note", Text),  # why (free text from the lead)
)

# Messages sent through the site's contact form (migration 0004): one row per ticket, with
# the context the customer came with (their last searches, the page, the item), what the
# form suggested before sending (last-chance deflection) and whether one was opened, and the
# webhook's delivery state. ``request_id`` (the client's, or derived from a no-JS post) makes
# a retried or re-posted form one ticket.
contacts = Table(
    "contacts",
    metadata,
    Column("ticket", Text, primary_key=True),  # the reference shown to the customer: CB-XXXX-XXXX
    Column("request_id", Text, nullable=False, unique=True),
    Column("received_ms", BigInteger, nullable=False),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=False),
    Column("message", Text, nullable=False),  # PII-masked as configured (--contact-mask)
    Column("page", Text),  # the site path the form was sent from, or came from
    Column("item_id", Text),  # the item the customer came from, if any
    Column("searches", Text),  # JSON list of the journey's last searches (masked)
    Column("suggested", Text),  # JSON list of item ids the form suggested before sending
    Column("opened", Text),  # the suggested item the customer opened before sending, if any
    Column("journey", Text),
    Column("client", Text),  # salted daily client hash (16 hex digits); NULL under DNT
    Column("forward_state", Text, nullable=False),  # none | pending | sent | failed
    Column("forward_attempts", Integer, nullable=False),
    Column("forwarded_ms", BigInteger),
    Column("forward_error", Text),
)
Index("contacts_received", contacts.c.received_ms)
Index("contacts_forward_state", contacts.c.forward_state)

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("applied_ms", BigInteger, nullable=False),
)
