"""A lead's word on how the missing-content backlog groups failed searches (``topic_links``).

The grouping cannot tell every near-duplicate need from a second wording of one need (BANKING77's
"verify my identity" / "unable to verify identity": benchmarks/RESULTS.md "Held-out topics"). A
lead can, and says so once; the next report remembers (carebase.report.lead_links applies it):

* ``same`` (row A, other row B): A is the same need as B: the next report joins A into B's row
  (one action; a decision stored under A's key attaches to the joined row, as for merged rows);
* ``two`` (row A, other row B): different needs: when they are two rows, neither is listed
  as a likely repeat of the other; when B is a part of A's merged row, B's part is its own row;
* ``two`` (row A, ``wording``): A holds two needs: the wordings of A nearer in meaning to
  ``wording`` than to A's most typical wording become a row of their own;
* ``same`` (row A, ``wording``): with a ``two`` link at another wording of A, this wording is
  A's own need: A's wordings go to the side whose marked wordings they are nearer to (all of a
  row's links at its wordings make one split; the more a lead marks, the cleaner it is).

Each is a line in the service database; deleting it undoes it at the next report.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import delete, inspect, select
from sqlalchemy.engine import Connection

from carebase.store.schema import topic_links

KINDS = ("same", "two")


class LinkError(ValueError):
    """A link that cannot be stored (the message names the field and says why)."""


@dataclass(frozen=True)
class Link:
    id: int
    kind: str
    topic_id: str
    other_id: str | None
    wording: str | None
    created_ms: int
    note: str | None

    def as_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "topic": self.topic_id, "other": self.other_id,
                "wording": self.wording, "created_ms": self.created_ms, "note": self.note}


def _topic(value, field: str) -> str:
    if not isinstance(value, str) or not value.startswith("topic:") or not 6 < len(value) <= 80:
        raise LinkError(f"{field}: expected a row's topic id such as 'topic:4d45d5e5a1' "
                        f"(the report's topic_id), found {str(value)[:80]!r}")
    return value


def add_link(conn: Connection, kind: str, topic_id: str, other_id: str | None = None, wording: str | None = None,
             note: str | None = None) -> Link:
    if kind not in KINDS:
        raise LinkError(f"kind: expected 'same' or 'two', found {str(kind)[:40]!r}")
    topic_id = _topic(topic_id, "topic")
    wording = " ".join((wording or "").split())[:300] or None
    if other_id is not None:
        other_id = _topic(other_id, "other")
        if other_id == topic_id:
            raise LinkError("other: a row cannot be linked to itself")
    if kind == "same" and (other_id is None) == (wording is None):
        raise LinkError("other: 'same' needs either the other row's topic id or a wording of this row, not both")
    if kind == "two" and (other_id is None) == (wording is None):
        raise LinkError("other: 'two' needs either the other row's topic id or a wording of this row, not both")
    now = int(time.time() * 1000)
    result = conn.execute(topic_links.insert().values(kind=kind, topic_id=topic_id, other_id=other_id, wording=wording,
                                                      created_ms=now, note=(note or "")[:500] or None)
                          .returning(topic_links.c.link_id))
    return Link(result.scalar_one(), kind, topic_id, other_id, wording, now, (note or "")[:500] or None)


def remove_link(conn: Connection, link_id: int) -> bool:
    return conn.execute(delete(topic_links).where(topic_links.c.link_id == link_id)).rowcount > 0


def list_links(conn: Connection) -> list[Link]:
    """Every link, oldest first; [] on a store from before migration 0009."""
    if not inspect(conn).has_table("topic_links"):
        return []
    rows = conn.execute(select(topic_links).order_by(topic_links.c.link_id))
    return [Link(r.link_id, r.kind, r.topic_id, r.other_id, r.wording, r.created_ms, r.note) for r in rows]
