"""0007: the page language on events and contact tickets.

``events.lang`` and ``contacts.lang`` (TEXT, a language code such as ``de``; NULL for older
rows and for sites of one language whose pages send none: read as the site's default
language). A database created by this version of carebase already has the columns (0001 and
0004 create the tables from the current schema), so each is added only when missing; adding
a nullable column is instant on SQLite and PostgreSQL (no table rewrite).
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

TAKES = "instant: nullable columns, no table rewrite"


def upgrade(connection: Connection) -> None:
    inspector = inspect(connection)
    for table in ("events", "contacts"):
        if inspector.has_table(table) and "lang" not in {c["name"] for c in inspector.get_columns(table)}:
            connection.execute(text(f"ALTER TABLE {table} ADD COLUMN lang TEXT"))
