"""0004: the contact form's tickets (``contacts``, see carebase.store.schema)."""

from __future__ import annotations

from sqlalchemy import Connection

from carebase.store.schema import contacts


def upgrade(connection: Connection) -> None:
    contacts.create(connection, checkfirst=True)  # with its indexes
