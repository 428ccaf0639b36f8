"""0001: the events table and its indexes (see carebase.store.schema)."""

from __future__ import annotations

from sqlalchemy import Connection

from carebase.store.schema import events


def upgrade(connection: Connection) -> None:
    events.create(connection, checkfirst=True)  # with its indexes
