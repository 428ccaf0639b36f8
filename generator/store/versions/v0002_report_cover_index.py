"""0002: a covering index for the report's per-item aggregates.

``events_type_item_cover`` (type, item_id, revision, received_ms, scale, value) replaces
``events_type_item`` (type, item_id): every lookup the old index served has the same
prefix, and the report's grouped vote and traffic queries read the new one in order
instead of sorting a million rows (see carebase.report.queries.vote_counts).

A database created at 0001 by this version of carebase already has the new index (0001
creates the table from the current schema), hence IF EXISTS / IF NOT EXISTS, which both
SQLite and PostgreSQL understand. On PostgreSQL the index is built inside the migration's
transaction, so writes wait for it (about 20 s per million events on a small machine).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

TAKES = "on PostgreSQL about 20 s per million events, writes waiting for it"


def upgrade(connection: Connection) -> None:
    connection.execute(text(
        "CREATE INDEX IF NOT EXISTS events_type_item_cover "
        "ON events (type, item_id, revision, received_ms, scale, value)"))
    connection.execute(text("DROP INDEX IF EXISTS events_type_item"))
