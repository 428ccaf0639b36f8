"""0003: the salted client hash on events, and the table of blocked learned phrasings.

``events.client`` (TEXT, NULL for older rows and under Do-Not-Track) lets learned
phrasings count distinct clients; ``learned_blocks`` holds what a lead blocked. A database
created at 0001 by this version of carebase already has the column (0001 creates the table
from the current schema), so the column is added only when it is missing; adding a
nullable column is instant on SQLite and PostgreSQL (no table rewrite).
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

from carebase.store.schema import learned_blocks

TAKES = "instant: a nullable column, no table rewrite"


def upgrade(connection: Connection) -> None:
    columns = {c["name"] for c in inspect(connection).get_columns("events")}
    if "client" not in columns:
        connection.execute(text("ALTER TABLE events ADD COLUMN client TEXT"))
    learned_blocks.create(connection, checkfirst=True)
