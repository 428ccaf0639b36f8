"""0010: ids of blocks and backlog links never given twice.

``learned_blocks.block_id`` and ``topic_links.link_id`` are what a lead removes a block or a
"same need" line by (``DELETE /api/v1/learned/blocks/{id}``). SQLite gave a removed row's id
(the largest one) to the next row, so a lead's stale id removed someone else's new block. The
tables are now ``AUTOINCREMENT`` (carebase.store.schema): on SQLite each is rebuilt once, its
rows kept with their ids, and ``sqlite_sequence`` starts after the largest kept id (an id
removed before this migration, above every kept one, can still come back once). PostgreSQL's
``SERIAL`` sequences never gave an id twice: nothing to do there.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from carebase.store.schema import learned_blocks, topic_links


def upgrade(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    for table in (learned_blocks, topic_links):
        sql = connection.execute(text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
                                 {"name": table.name}).scalar()
        if sql is None:
            table.create(connection)
            continue
        if "AUTOINCREMENT" in sql.upper():
            continue  # created from this schema already
        kept = f"{table.name}_before_0010"
        connection.execute(text(f"ALTER TABLE {table.name} RENAME TO {kept}"))
        table.create(connection)
        columns = ", ".join(c.name for c in table.columns)
        connection.execute(text(f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM {kept}"))
        connection.execute(text(f"DROP TABLE {kept}"))
