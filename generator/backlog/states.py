"""What a lead decided about each recommendation, kept in the service database.

Tables ``backlog`` and ``backlog_history`` (store migration 0005). A row exists only once a
lead changed something; every other recommendation is ``open`` with its default owner.
A status is given to a recommendation *as it was*: its snapshot (the row without its bulky
evidence) is stored with it, so

* a status follows the row while it recommends the same thing (same action and target);
  when the report now recommends something else for the same key (a topic once to retag
  an item, now to write an article), the row is open again and says what was decided before;
* a row that is no longer recommended (fixed, answered now) stays listed under its status,
  from its snapshot, so "done" rows can be checked afterwards (``follow_up``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection

from carebase.store.schema import backlog, backlog_history

STATUSES = {"open": "open", "in_progress": "in progress", "done": "done", "wont_do": "won't do", "wrong": "wrong"}
CLOSED = ("done", "wont_do", "wrong")
MAX_OWNER = 120
MAX_NOTE = 2000
SNAPSHOT_FIELDS = ("key", "action", "verb", "tier", "subject", "item", "topic", "target", "why", "customers",
                   "owner", "owner_from", "category", "category_title", "kind", "lang", "source", "section",
                   "claims", "words", "suggestion", "target_title")


class StateError(ValueError):
    """A value a lead sent that cannot be stored: the message names the field."""


@dataclass
class State:
    key: str
    status: str
    owner: str | None
    note: str | None
    status_ms: int
    updated_ms: int
    snapshot: dict

    def as_json(self) -> dict:
        return {"key": self.key, "status": self.status, "owner": self.owner, "note": self.note,
                "status_ms": self.status_ms, "updated_ms": self.updated_ms}


def snapshot_of(row: dict) -> dict:
    """The row as stored with a decision: what it said, not its bulky evidence; the searches
    of a topic are kept (at most 200) so "did the fix work?" measures the same ones."""
    snap = {k: row[k] for k in SNAPSHOT_FIELDS if k in row}
    queries = row.get("all_queries") or row.get("evidence", {}).get("queries") or []
    if row.get("topic"):
        snap["queries"] = [q["query"] for q in queries][:200]
    return snap


def has_tables(conn: Connection) -> bool:
    return inspect(conn).has_table("backlog")


def read_states(conn: Connection) -> dict[str, State]:
    """Every decision (key → State); {} on a database from before migration 0005."""
    if not has_tables(conn):
        return {}
    out = {}
    for r in conn.execute(select(backlog)):
        try:
            snap = json.loads(r.snapshot) if r.snapshot else {}
        except ValueError:
            snap = {}
        out[r.key] = State(r.key, r.status, r.owner, r.note, r.status_ms, r.updated_ms, snap)
    return out


def history(conn: Connection, key: str | None = None, since_ms: int | None = None) -> list[dict]:
    """Changes, oldest first: of one row, or of every row since a time."""
    if not has_tables(conn):
        return []
    query = select(backlog_history).order_by(backlog_history.c.at_ms, backlog_history.c.change_id)
    if key is not None:
        query = query.where(backlog_history.c.key == key)
    if since_ms is not None:
        query = query.where(backlog_history.c.at_ms >= since_ms)
    return [{"key": r.key, "at_ms": r.at_ms, "field": r.field, "old": r.old, "new": r.new}
            for r in conn.execute(query)]


def _clean(value, field: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise StateError(f"{field}: expected text, found {type(value).__name__}")
    from carebase.store.cleaning import clean_text

    text = (clean_text(value, multiline=field == "note") or "").strip()
    if len(text) > limit:
        raise StateError(f"{field}: at most {limit} characters, found {len(text)}")
    return text or None


KEEP = object()  # a field a change leaves as it is


def change(conn: Connection, key: str, row: dict | None, *, status=KEEP, owner=KEEP, note=KEEP,
           now_ms: int | None = None) -> tuple[State, list[dict]]:
    """Set what a lead changed (``KEEP`` leaves a field as it is; "" or None clears the owner,
    back to the default, or the note) and record each change in the history. ``row`` is the
    recommendation as shown: its snapshot is stored with a new status. Returns (the new
    state, the changes made)."""
    if status is not KEEP and status not in STATUSES:
        raise StateError(f"status: expected one of {', '.join(STATUSES)}, found {str(status)[:40]!r}")
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    old = conn.execute(select(backlog).where(backlog.c.key == key)).first()
    current = {"status": old.status if old else "open", "owner": old.owner if old else None,
               "note": old.note if old else None}
    wanted = dict(current)
    if status is not KEEP:
        wanted["status"] = status
    if owner is not KEEP:
        wanted["owner"] = _clean(owner, "owner", MAX_OWNER)
    if note is not KEEP:
        wanted["note"] = _clean(note, "note", MAX_NOTE)
    changes = [{"key": key, "at_ms": now, "field": f, "old": current[f], "new": wanted[f]}
               for f in ("status", "owner", "note") if wanted[f] != current[f]]
    snap = json.loads(old.snapshot) if old is not None and old.snapshot else {}
    status_ms = old.status_ms if old is not None else now
    if wanted["status"] != current["status"]:
        status_ms = now
        if row is not None:
            snap = {**snapshot_of(row), **({"blocks": snap["blocks"]} if "blocks" in snap else {})}
    elif row is not None and not snap:
        snap = snapshot_of(row)
    values = {"status": wanted["status"], "owner": wanted["owner"], "note": wanted["note"], "status_ms": status_ms,
              "updated_ms": now, "snapshot": json.dumps(snap, ensure_ascii=False)}
    if old is None:
        conn.execute(backlog.insert().values(key=key, **values))
    elif changes:
        conn.execute(backlog.update().where(backlog.c.key == key).values(**values))
    if changes:
        conn.execute(backlog_history.insert(), changes)
    return State(key, values["status"], values["owner"], values["note"], status_ms, now, snap), changes


def set_blocks(conn: Connection, key: str, block_ids: list[int]) -> None:
    """Remember the learned-phrasing blocks a "wrong" decision made (to lift them again)."""
    old = conn.execute(select(backlog.c.snapshot).where(backlog.c.key == key)).scalar()
    snap = json.loads(old) if old else {}
    if block_ids:
        snap["blocks"] = block_ids
    else:
        snap.pop("blocks", None)
    conn.execute(backlog.update().where(backlog.c.key == key).values(snapshot=json.dumps(snap, ensure_ascii=False)))


def apply_states(rows: list[dict], states: dict[str, State]) -> list[dict]:
    """The rows with their decisions, plus the decided rows no longer recommended (from their
    snapshots, ``current`` False) so a closed or started row never silently disappears."""
    keys = set()
    for row in rows:
        keys.add(row["key"])
        row.update(status="open", note=None, status_ms=None, default_owner=row["owner"],
                   default_owner_from=row["owner_from"], current=True)
        state = states.get(row["key"])
        if state is None:
            state = _merged_state(row, states, keys)
        if state is None:
            continue
        if state.owner:
            row["owner"], row["owner_from"] = state.owner, "assigned"
        row["note"] = state.note
        snap = state.snapshot
        if not snap or (snap.get("action"), snap.get("target")) == (row["action"], row["target"]):
            row["status"], row["status_ms"] = state.status, state.status_ms
        else:
            row["previously"] = {"status": state.status, "action": snap.get("action"), "target": snap.get("target"),
                                 "target_title": snap.get("target_title") or (snap.get("subject") or {}).get("title"),
                                 "at_ms": state.status_ms}
    remembered = []
    for key, state in sorted(states.items()):
        if key in keys or state.status == "open" or not state.snapshot.get("action"):
            continue
        snap = state.snapshot
        remembered.append({**snap, "evidence": {}, "claims": [], "status": state.status, "note": state.note,
                           "status_ms": state.status_ms, "default_owner": snap.get("owner"),
                           "default_owner_from": snap.get("owner_from", "none"),
                           "owner": state.owner or snap.get("owner") or "unassigned",
                           "owner_from": "assigned" if state.owner else snap.get("owner_from", "none"),
                           "current": False, "number": None, "customers": 0})
    return rows + remembered


def _merged_state(row: dict, states: dict[str, State], taken: set) -> State | None:
    """A topic merged from several, none decided under its own key: the latest decision taken
    on one of its parts (``merged_ids``) attaches to it, and is not listed apart."""
    decided = [states[k] for k in row.get("merged_ids") or () if k in states and k not in taken]
    if not decided:
        return None
    state = max(decided, key=lambda s: (s.updated_ms, s.key))
    taken.add(state.key)
    row["decided_as"] = state.key
    return state


def reapply(rows: list[dict], states: dict[str, State]) -> list[dict]:
    """A model's rows with the decisions as they are now (the live report applies them on every
    request: a status set a second ago shows at once). Follow-ups computed when the model was
    built stay on rows that are still done."""
    follow = {r["key"]: r["follow_up"] for r in rows if r.get("follow_up")}
    base = []
    for row in rows:
        if not row.get("current", True):
            continue  # decided rows no longer recommended come back from their states
        fresh = {k: v for k, v in row.items() if k not in ("previously", "follow_up", "decided_as")}
        fresh["owner"] = row.get("default_owner", row["owner"])
        fresh["owner_from"] = row.get("default_owner_from", row["owner_from"])
        base.append(fresh)
    out = apply_states(base, states)
    for row in out:
        if row["status"] == "done" and row["key"] in follow:
            row["follow_up"] = follow[row["key"]]
    return out
