"""0013: marks of rewrites made to stored text (``store_marks``), so what remembers the store's texts forgets them.

Events are append-only, so the report's memory of their aggregates (``carebase.report.store_memo``)
knows the store by its count and times; ``carebase store remask`` rewrites stored texts in place
(the masker's current rules and region), which neither changes. It records each run here
(``name`` "remask", the time and the rows changed), and the report's memory is keyed on these
rows too: a remasked store is read afresh, never answered from texts remembered before.
A new, empty table: instant on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import Connection

from carebase.store.schema import store_marks

TAKES = "instant: a new, empty table"


def upgrade(connection: Connection) -> None:
    store_marks.create(connection, checkfirst=True)
