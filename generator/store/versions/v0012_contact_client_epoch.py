"""0012: the epoch of each contact ticket's client hash.

``contacts.client`` is the same salted daily hash as ``events.client`` (0003); like an event's
(0011), it proves a client only together with the random id of the salt it was made with:
``contacts.client_epoch`` (TEXT; NULL for older tickets and under Do-Not-Track). A database
created by this version already has it (0004 creates the table from the current schema), so
it is added only when missing; adding a nullable column is instant on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

TAKES = "instant: a nullable column, no table rewrite"


def upgrade(connection: Connection) -> None:
    inspector = inspect(connection)
    if inspector.has_table("contacts") and "client_epoch" not in {c["name"] for c in inspector.get_columns("contacts")}:
        connection.execute(text("ALTER TABLE contacts ADD COLUMN client_epoch TEXT"))
