"""The report per language, and which translations to write next.

Every event carries the language of the page it came from (``lang``; NULL before it did and
on one-language sites, read as the default language). A report is about one language of the
help centre (``carebase report --lang de``; the default language without it): its failing
content, its missing-content topics (a German failed search is replayed against the German
index and clustered with German searches only, never in an English topic), its journeys and
its assistants' questions all come from that language's events. ``language_engine`` gives
the report an engine on which ``events`` and ``contacts`` are that language's rows only: a
temporary view of the same name, made on each connection, which every query of the report
reads unchanged (SQLite and PostgreSQL both look up a temporary relation before the
database's own). Counted page views (``item_views``, per language since store migration
0008) are filtered the same way, so "top pages by views" is the language's own; on a database
not yet migrated (its views carry no language) they all count for the default language.

"Translate next" (``translate_next``) lists the published items whose translation into one
of the other languages is missing or stale, ranked by the customers it affects: the
customers of that language (clients seen on its pages in the period) who reached the item
(a vote, click or contact naming it, on a page of any language) — then by their events.
"""

from __future__ import annotations

from sqlalchemy import and_, event, func, select

from carebase.content.languages import CODE
from carebase.report.period import Periods
from carebase.store.schema import events

#: The tables whose rows carry a language (the others stay whole).
FILTERED = ("events", "contacts", "item_views")
#: At most this many "translate next" rows per language.
TRANSLATE_NEXT_ROWS = 100


def condition(lang: str, languages: tuple[str, ...]) -> str:
    """The SQL condition on ``lang`` of one language's rows: the default language's rows are
    those of no other published language (NULL included)."""
    for code in (lang, *languages):
        if not CODE.match(code):
            raise ValueError(f"lang: expected a language code such as en or de, found {code!r}")
    if lang != languages[0]:
        return f"lang = '{lang}'"
    others = ", ".join(f"'{c}'" for c in languages[1:])
    return f"(lang IS NULL OR lang NOT IN ({others}))" if others else "1 = 1"


def language_engine(engine, lang: str, languages: tuple[str, ...]):
    """``engine``, from now on reading only ``lang``'s events and contacts (a temporary view
    per connection); pooled connections made before are closed."""
    where = condition(lang, languages)

    @event.listens_for(engine, "connect")
    def _views(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        try:
            if engine.dialect.name == "postgresql":
                cursor.execute("SELECT current_schema()")
                schema = cursor.fetchone()[0]
            else:
                schema = "main"
            for table in FILTERED:
                columns = _columns(cursor, engine.dialect.name, schema, table)
                if not columns:
                    continue  # an older database without the table (item_views before 0005)
                rows = where if "lang" in columns else ("1 = 1" if lang == languages[0] else "1 = 0")
                cursor.execute(f'CREATE TEMP VIEW "{table}" AS SELECT * FROM "{schema}"."{table}" WHERE {rows}')
        finally:
            cursor.close()
        if engine.dialect.name == "postgresql":
            dbapi_connection.commit()

    engine.dispose()  # connections opened before have no views
    return engine


def _columns(cursor, dialect: str, schema: str, table: str) -> set[str]:
    """The columns of ``schema.table`` (empty when there is no such table)."""
    if dialect == "postgresql":
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
                       (schema, table))
        return {row[0] for row in cursor.fetchall()}
    cursor.execute(f'PRAGMA "{schema}".table_info("{table}")')
    return {row[1] for row in cursor.fetchall()}


def translation_rows(output, conn, periods: Periods, links, langs: tuple[str, ...] | None = None) -> dict:
    """``{"languages": [...], "default": code, "translate_next": rows, "states": {lang: counts}}``
    for a build output of several languages (``langs``: the other languages to list; all by
    default); empty lists for one language."""
    from carebase.content.languages import Languages
    from carebase.content.translations import translation_states

    languages = tuple(output.languages)
    out = {"languages": list(languages), "default": languages[0], "translate_next": [], "states": {}}
    if len(languages) < 2:
        return out
    catalogues = {lang: output.catalogue_of(lang) for lang in languages}
    default = catalogues[languages[0]]
    states = translation_states(default, catalogues, Languages(languages))
    wanted = tuple(langs or languages[1:])
    for lang in wanted:
        mine = [s for s in states if s.lang == lang]
        out["states"][lang] = {k: sum(1 for s in mine if s.state == k) for k in ("current", "stale", "missing")}
        reach = _reach(conn, periods, lang, default)
        rows = []
        for s in mine:
            if s.state == "current" or s.item_id not in reach:
                continue
            customers, n = reach[s.item_id]
            path, line = s.where
            rows.append({"lang": lang, "id": s.item_id, "kind": s.kind, "title": s.title, "state": s.state,
                         "customers": customers, "events": n, "source": links.source(path, line),
                         "why": s.message(str(default.root))})
        rows.sort(key=lambda r: (-r["customers"], -r["events"], r["title"].lower(), r["id"]))
        out["translate_next"] += rows[:TRANSLATE_NEXT_ROWS]
    return out


def _reach(conn, periods: Periods, lang: str, catalogue) -> dict[str, tuple[int, int]]:
    """item id → (customers of ``lang`` who reached it, their events on it) in the current period."""
    cur = periods.current
    in_period = and_(events.c.received_ms >= cur.since_ms, events.c.received_ms < cur.until_ms)
    speakers = (select(events.c.client).where(in_period, events.c.lang == lang, events.c.client.is_not(None))
                .distinct().subquery())
    query = (select(events.c.item_id, func.count(func.distinct(events.c.client)), func.count())
             .where(in_period, events.c.item_id.is_not(None), events.c.type.in_(("vote", "click", "contact")),
                    events.c.client.in_(select(speakers.c.client)))
             .group_by(events.c.item_id))
    out: dict[str, list[int]] = {}
    for item_id, customers, n in conn.execute(query):
        item = catalogue.get(item_id)
        if item is None:
            continue
        found = out.setdefault(item.id, [0, 0])
        found[0] += customers  # an alias and its item: the same customer may count twice (rare)
        found[1] += n
    return {k: (v[0], v[1]) for k, v in out.items()}
