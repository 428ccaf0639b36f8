"""0005: the lead's backlog (``backlog``, ``backlog_history``) and page views counted per item and
day (``item_views``); see carebase.store.schema."""

from __future__ import annotations

from sqlalchemy import Connection

from carebase.store.schema import backlog, backlog_history, item_views


def upgrade(connection: Connection) -> None:
    backlog.create(connection, checkfirst=True)
    backlog_history.create(connection, checkfirst=True)  # with its indexes
    item_views.create(connection, checkfirst=True)
