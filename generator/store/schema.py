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
restart, so a hash cannot be linked across days or reversed. ``client_epoch`` is a random id
drawn with each salt (not derived from it): two different hashes prove two clients only when
their epochs are the same (one address gets a new hash under each salt), so learned phrasings
count distinct clients within one epoch (migration 0011; NULL for older rows, which are
one group of their own: they count as they did before).

Assistants (``carebase.assist``): every answer request (``GET /api/v1/answer``, the MCP
``answer`` tool, the site's Ask box) is an ``ask`` row written by the service itself: the
question masked like a query in ``query``, ``source`` api | mcp | widget, ``cited`` the
item ids of its citations, ``item_id`` the first of them, ``value`` 1 answered / 0 "no
answer", ``results`` the number of citations. A bot reports what happened next with an
``outcome`` event (``resolved`` / ``escalated``) carrying the same ``journey``.

``lang`` is the language of the page an event came from (``<html lang>``, a code the site
publishes); NULL for older rows and one-language sites, read as the site's default language.

``learned_blocks`` holds the phrasings a lead blocked (``carebase learned block``): a
phrase, optionally for one item only; search never learns a blocked tie.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, Table, Text, inspect

metadata = MetaData()

EVENT_TYPES = ("vote", "search", "click", "contact", "ask", "outcome")
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
    Column("cited", Text),  # ask: JSON list of the item ids the answer cited, best first ([] = no answer) (0006)
    Column("outcome", Text),  # outcome: resolved | escalated, reported by a bot for its journey (0006)
    Column("lang", Text),  # the page's language code (de); NULL: the site's default language (0007)
    Column("client_epoch", Text),  # the random id of the salt ``client`` was made with; NULL: before 0011 (0011)
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
    sqlite_autoincrement=True,  # a removed block's id is never given to a new one (migration 0010)
)

# A lead's word on the missing-content backlog's grouping (migration 0009): "same need" joins a
# row into another row in the next report; "two needs" keeps two rows apart (neither is listed as
# a likely repeat of the other), takes a part out of a merged row (``other_id``), or splits a
# row at one of its wordings (``wording``). Deleting the line undoes it at the next report.
topic_links = Table(
    "topic_links",
    metadata,
    Column("link_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),  # "same" or "two"
    Column("topic_id", Text, nullable=False),  # the row acted on (its topic id)
    Column("other_id", Text),  # the other row's topic id
    Column("wording", Text),  # "two": the wording of the row that starts the second need
    Column("created_ms", BigInteger, nullable=False),
    Column("note", Text),
    sqlite_autoincrement=True,  # a removed line's id is never given to a new one (migration 0010)
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
    Column("lang", Text),  # the language of the page the form was sent from (0007)
    Column("client_epoch", Text),  # the random id of the salt ``client`` was made with; NULL: before 0012, DNT (0012)
)
Index("contacts_received", contacts.c.received_ms)
Index("contacts_forward_state", contacts.c.forward_state)

# The lead's backlog (migration 0005): what a lead decided about each recommendation of the
# gap report, keyed by the recommendation's stable key (``carebase.report.backlog``: an action
# and an item id, or a missing-content topic id). Rows exist only once a lead touched them; a
# recommendation without one is "open", owned by its item's or category's owner. ``snapshot``
# keeps what the recommendation said when its status last changed (JSON: the searches, words
# and item it was about), so "did the fix work?" measures the same searches afterwards.
backlog = Table(
    "backlog",
    metadata,
    Column("key", Text, primary_key=True),
    Column("status", Text, nullable=False),  # open | in_progress | done | wont_do | wrong
    Column("owner", Text),  # NULL: the recommendation's default owner
    Column("note", Text),
    Column("status_ms", BigInteger, nullable=False),  # when the status last changed
    Column("updated_ms", BigInteger, nullable=False),
    Column("snapshot", Text),
)
# Every change a lead made (status, owner, note), oldest first: the row's history and the
# weekly digest's "what changed".
backlog_history = Table(
    "backlog_history",
    metadata,
    Column("change_id", Integer, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False),
    Column("at_ms", BigInteger, nullable=False),
    Column("field", Text, nullable=False),  # status | owner | note
    Column("old", Text),
    Column("new", Text),
)
Index("backlog_history_key", backlog_history.c.key, backlog_history.c.at_ms)
Index("backlog_history_at", backlog_history.c.at_ms)

# Page views (migration 0005; per language since 0008): counted per item, UTC day and page
# language, nothing else. A ``view`` event (the site sends one per page load of an article or
# video, never under Do-Not-Track / GPC) adds one to its item's count for the day in its
# page's language; no event row, no page, journey, client hash or time of day is kept, so a
# view can never be linked to a visitor or to their searches.
item_views = Table(
    "item_views",
    metadata,
    Column("item_id", Text, primary_key=True),
    Column("day", Integer, primary_key=True),  # days since 1970-01-01 (UTC)
    # the page's language code (de); '' when the page sent none: the site's default language (0008)
    Column("lang", Text, primary_key=True, server_default=""),
    Column("views", BigInteger, nullable=False),
)

# Rewrites made to stored text in place (migration 0013): ``carebase store remask`` adds one row
# per run that changed something (``name`` "remask", when, how many rows), and the report's memory
# of the store's aggregates is keyed on these rows, so texts remembered before a rewrite are not served.
store_marks = Table(
    "store_marks",
    metadata,
    Column("mark_id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),  # "remask"
    Column("at_ms", BigInteger, nullable=False),
    Column("rows", BigInteger, nullable=False),  # the rows the run changed
    Column("note", Text),  # what it was run with (the region)
    sqlite_autoincrement=True,
)

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("applied_ms", BigInteger, nullable=False),
)


def has_client_column(conn) -> bool:
    """Whether the store's events carry the client hash (migration 0003); a store opened
    without migrating may predate it."""
    return "client" in {c["name"] for c in inspect(conn).get_columns("events")}


def client_columns(conn) -> set[str]:
    """Which of ``client`` (0003) and ``client_epoch`` (0011) the store's events carry (a store
    opened without migrating may predate them)."""
    return {"client", "client_epoch"} & {c["name"] for c in inspect(conn).get_columns("events")}
