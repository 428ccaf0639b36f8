"""0008: page views per language.

``item_views`` gains ``lang`` (TEXT NOT NULL, the page's language code such as ``de``; ``''``
for views whose page sent none, read as the site's default language, like a NULL
``events.lang``) and the key becomes (item, day, language), so a German page's views are
counted apart from the English page's. The rows counted before keep their counts under
``''``. A database created by this version of carebase already has the column (0005 creates
the table from the current schema), so the table is changed only when it lacks it.

The key of a table cannot be changed in place on SQLite: the table is rebuilt (new table,
rows copied, old dropped, new renamed: SQLite's documented procedure). PostgreSQL adds the
column and swaps the primary key.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text


def upgrade(connection: Connection) -> None:
    inspector = inspect(connection)
    if not inspector.has_table("item_views") or "lang" in {c["name"] for c in inspector.get_columns("item_views")}:
        return
    if connection.dialect.name == "postgresql":
        key = inspector.get_pk_constraint("item_views")["name"]
        connection.execute(text("ALTER TABLE item_views ADD COLUMN lang TEXT NOT NULL DEFAULT ''"))
        connection.execute(text(f'ALTER TABLE item_views DROP CONSTRAINT "{key}"'))
        connection.execute(text("ALTER TABLE item_views ADD PRIMARY KEY (item_id, day, lang)"))
        return
    connection.execute(text(
        "CREATE TABLE item_views_0008 (item_id TEXT NOT NULL, day INTEGER NOT NULL, lang TEXT NOT NULL DEFAULT '', "
        "views BIGINT NOT NULL, PRIMARY KEY (item_id, day, lang))"))
    connection.execute(text("INSERT INTO item_views_0008 (item_id, day, lang, views) "
                            "SELECT item_id, day, '', views FROM item_views"))
    connection.execute(text("DROP TABLE item_views"))
    connection.execute(text("ALTER TABLE item_views_0008 RENAME TO item_views"))
