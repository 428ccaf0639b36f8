"""0009: the lead's "same need" / "two needs" word on backlog rows (``topic_links``).

A new table only (carebase.store.schema); created when missing.
"""

from __future__ import annotations

from sqlalchemy import Connection

from carebase.store.schema import topic_links


def upgrade(connection: Connection) -> None:
    topic_links.create(connection, checkfirst=True)
