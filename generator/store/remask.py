"""Stored customer text masked again with the masker's current rules and the site's region
(``carebase store remask``).

The service masks what a customer typed once, when it stores it, with the region it holds then
(``carebase.service.masking``). A region named later (``region: [GB, IE]``), or a masker that
learned a number's shape later, does not reach the rows stored before: a British mobile number
typed without a cue on a site that named no region stays readable in the store and the report.
``remask(engine, region)`` reads every stored text a customer typed and masks it again:

- events: ``query`` (searches, clicks, contacts, assistants' questions), ``comment`` (votes)
  and ``page`` (the path an event came from), with ``mask_pii`` and the region;
- contact tickets: ``searches`` (each, with ``mask_pii``) and ``message`` as the service's
  ``--contact-mask`` says (``payment``: card numbers and IBANs, the default; ``all``: as a
  search; ``none``: left as stored);
- a lead's "two needs" line (``topic_links.wording``) and a backlog decision's snapshot
  (``backlog.snapshot``: the topic's searches, and its title, why, claims' wordings, words and
  suggestion, all made from them; not its ids, keys, paths, nor the help centre's own titles):
  the wordings that name events' texts, masked the same way so they still name them.

Masking only adds markers and a marker never matches again, so a second run changes nothing,
and a row is only ever updated, never deleted: each changed row is written with a condition
on its old value (a row changed meanwhile is left for the next run), one transaction per batch.
A run that changed rows records itself in ``store_marks`` (migration 0013), which the report's
memory of the store is keyed on: in the transaction of its first batch of writes, its count of
rows brought up to date with each batch, so a run stopped half-way (or after its last batch) is
marked too. The learned phrasings need nothing: the service rebuilds them
from the stored texts at every refresh, masking each wording again with its region.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import and_, inspect, select
from sqlalchemy.engine import Engine

from carebase.service.masking import mask_payment, mask_pii
from carebase.service.masking_region import NO_REGION, Plans
from carebase.store.schema import backlog, contacts, events, store_marks, topic_links

BATCH = 2000  # rows read (and written, in one transaction) at a time
CONTACT_MASKS = ("payment", "all", "none")


@dataclass
class Change:
    """One stored text that masks differently now: where (table, key, column), before, after."""

    table: str
    key: str
    column: str
    before: str
    after: str


@dataclass
class Result:
    read: int = 0  # rows read
    changed: int = 0  # rows whose text changes (updated unless a dry run)
    skipped: int = 0  # rows changed meanwhile by someone else (left for the next run)
    mark: int | None = None  # this run's row of ``store_marks`` (written with its first batch)
    per_column: dict = field(default_factory=dict)  # "events.query" -> texts changed


def _texts(value: str | None, mask: Callable[[str], str | None]) -> str | None:
    return value if not value else (mask(value) or value)


def _json_list(value: str | None, mask: Callable[[str], str | None]) -> str | None:
    """A JSON list of texts (a ticket's searches) with each masked; as stored when unchanged or not a list."""
    try:
        found = json.loads(value) if value else None
    except ValueError:
        return value
    if not isinstance(found, list):
        return value
    masked = [_texts(v, mask) if isinstance(v, str) else v for v in found]
    return value if masked == found else json.dumps(masked, ensure_ascii=False)


#: a backlog snapshot's fields that hold ids, keys, paths, settings or the help centre's own titles,
#: never a customer's text (``backlog.states.SNAPSHOT_FIELDS``; ``subject``'s, ``source``'s,
#: ``suggestion``'s own): kept as they are, so the decision still names its row and its item
_SNAPSHOT_KEPT = frozenset({"key", "action", "verb", "tier", "item", "topic", "target", "owner", "owner_from",
                            "category", "category_title", "kind", "lang", "source", "section", "target_title",
                            "id", "url", "href", "path", "line", "merged_ids"})


def _snapshot(value: str | None, mask: Callable[[str], str | None]) -> str | None:
    """A backlog snapshot (JSON) with every text made from customers' searches masked: the topic's
    searches (``queries``), and the title, why, claims' wordings, words and suggestion a topic's row
    is written from (``_SNAPSHOT_KEPT`` stays, and an item's own title: only a topic's is masked)."""
    try:
        found = json.loads(value) if value else None
    except ValueError:
        return value
    if not isinstance(found, dict):
        return value
    masked = _snapshot_part(found, mask)
    return value if masked == found else json.dumps(masked, ensure_ascii=False)


def _snapshot_part(value, mask: Callable[[str], str | None], name: str = ""):
    if isinstance(value, str):
        return value if name in _SNAPSHOT_KEPT else _texts(value, mask)
    if isinstance(value, dict):
        # an item's own title (a Fix or retag row's subject) is the help centre's, kept; a topic's
        # is made from customers' wordings
        kept = _SNAPSHOT_KEPT | ({"title"} if name == "subject" and value.get("kind") != "topic" else set())
        return {k: v if k in kept else _snapshot_part(v, mask, k) for k, v in value.items()}
    if isinstance(value, list):
        if name == "claims":  # [wording, item id or "new"]: the wording only
            return [[_texts(c[0], mask), *c[1:]] if isinstance(c, list) and c and isinstance(c[0], str) else c for c in value]
        return [_snapshot_part(v, mask, name) for v in value]
    return value


def remask(engine: Engine, region: Plans = NO_REGION, *, contact_mask: str = "payment", dry_run: bool = False,
           progress: Callable[[str], None] = lambda message: None,
           show: Callable[[Change], None] = lambda change: None, note: str = "") -> Result:
    """Every stored customer text masked again (see the module docstring); ``show`` is given
    each change, ``progress`` a line now and then. Nothing is written with ``dry_run``."""
    if contact_mask not in CONTACT_MASKS:
        raise ValueError(f"contact_mask: expected one of {', '.join(CONTACT_MASKS)}, found {contact_mask!r}")
    pii = lambda text: mask_pii(text, region)  # noqa: E731
    message = {"all": pii, "payment": mask_payment, "none": None}[contact_mask]
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    plan = [(events, events.c.event_id, {"query": pii, "comment": pii, "page": pii}, _texts)]
    if "contacts" in tables:
        columns = {"searches": pii} | ({"message": message} if message else {})
        plan.append((contacts, contacts.c.ticket, columns, None))
    if "topic_links" in tables:
        plan.append((topic_links, topic_links.c.link_id, {"wording": pii}, _texts))
    if "backlog" in tables:
        plan.append((backlog, backlog.c.key, {"snapshot": pii}, _snapshot))
    result = Result()
    for table, key, columns, how in plan:
        _table(engine, table, key, columns, how, result, dry_run, progress, show, note)
    return result


def _marked(conn, result: Result, note: str) -> None:
    """This run's mark, written (first batch) or its rows brought up to date, in the batch's transaction."""
    rows = result.changed - result.skipped
    if result.mark is None:
        done = conn.execute(store_marks.insert().values(name="remask", at_ms=int(time.time() * 1000), rows=rows, note=note or None))
        result.mark = done.inserted_primary_key[0]
    else:
        conn.execute(store_marks.update().where(store_marks.c.mark_id == result.mark).values(rows=rows))


def _table(engine, table, key, columns: dict, how, result: Result, dry_run: bool, progress, show, note: str = "") -> None:
    cols = [table.c[name] for name in columns]
    last = None
    total = 0
    while True:
        query = select(key, *cols).order_by(key).limit(BATCH)
        if last is not None:
            query = query.where(key > last)
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            break
        last = rows[-1][0]
        updates = []
        for row in rows:
            new = {}
            for name, value in zip(columns, row[1:]):
                rewrite = how or (_json_list if name == "searches" else _texts)
                after = rewrite(value, columns[name])
                if after != value:
                    new[name] = (value, after)
                    result.per_column[f"{table.name}.{name}"] = result.per_column.get(f"{table.name}.{name}", 0) + 1
                    show(Change(table.name, str(row[0]), name, value, after))
            if new:
                updates.append((row[0], new))
        result.read += len(rows)
        result.changed += len(updates)
        total += len(rows)
        if updates and not dry_run:
            with engine.begin() as conn:
                for row_key, new in updates:
                    # only where the text is still what was read: a row changed meanwhile is left alone
                    unchanged = and_(*[table.c[name] == before for name, (before, _) in new.items()])
                    done = conn.execute(table.update().where(key == row_key, unchanged)
                                        .values({name: after for name, (_, after) in new.items()}))
                    result.skipped += done.rowcount != 1
                _marked(conn, result, note)
        progress(f"{table.name}: {total:,} rows read, {result.changed:,} changed so far")
