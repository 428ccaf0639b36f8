"""0006: what assistants asked and how it ended (``events.cited``, ``events.outcome``).

``cited`` holds an ``ask`` event's cited item ids (JSON list), ``outcome`` an ``outcome``
event's ``resolved`` / ``escalated`` (see carebase.store.schema). Both are nullable columns,
added only when missing (0001 creates the table from the current schema); adding a nullable
column is instant on SQLite and PostgreSQL (no table rewrite).
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

TAKES = "instant: nullable columns, no table rewrite"


def upgrade(connection: Connection) -> None:
    columns = {c["name"] for c in inspect(connection).get_columns("events")}
    for name in ("cited", "outcome"):
        if name not in columns:
            connection.execute(text(f"ALTER TABLE events ADD COLUMN {name} TEXT"))
