"""Blocked phrasings: a lead's "never learn this" list, kept in the service database.

A block is a phrase (matched on its stems, as search matches words: blocking ``refund``
also blocks ``refunds`` and the phrase ``request refund``) for one item or, without an
item, for every item. A block takes out the logged wordings that hold the phrase, for that
item (``Blocks.keep``), before anything is learned from them: they make no tie (neither the
blocked phrase nor its partner words: blocking "arrive" for an item also unties "card" when
only "when will my card arrive" taught it), no nearest-wording vote, no "customers reach this
with" line and no keyword suggestion in the report. Other wordings still teach the partner
words ("card delivery" keeps "card" tied). Block ids are never given again (SQLite
AUTOINCREMENT, migration 0010; a PostgreSQL sequence).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from carebase.learned.phrases import contains, key_of, normalise
from carebase.store.schema import learned_blocks


class BlockError(ValueError):
    """A phrase that cannot be blocked (message says why)."""


@dataclass(frozen=True)
class Block:
    id: int
    phrase: str  # as the lead typed it (normalised spaces and case)
    key: str  # its stems
    item_id: str | None
    created_ms: int
    note: str | None

    def applies(self, phrase_key: str, item_id: str) -> bool:
        return (self.item_id is None or self.item_id == item_id) and contains(phrase_key, self.key)

    def as_json(self) -> dict:
        return {"id": self.id, "phrase": self.phrase, "item": self.item_id, "created_ms": self.created_ms,
                "note": self.note}


def add_block(conn: Connection, phrase: str, item_id: str | None = None, note: str | None = None) -> Block:
    text = normalise(phrase or "")
    if not key_of(text):
        raise BlockError(f"phrase: expected words search would learn, found {phrase!r} "
                         "(empty, or only stop words)")
    now = int(time.time() * 1000)
    result = conn.execute(learned_blocks.insert().values(phrase=text, item_id=item_id or None, created_ms=now,
                                                         note=note or None).returning(learned_blocks.c.block_id))
    return Block(result.scalar_one(), text, key_of(text), item_id or None, now, note or None)


def remove_block(conn: Connection, block_id: int) -> bool:
    return conn.execute(delete(learned_blocks).where(learned_blocks.c.block_id == block_id)).rowcount > 0


def list_blocks(conn: Connection) -> list[Block]:
    rows = conn.execute(select(learned_blocks).order_by(learned_blocks.c.block_id))
    return [Block(r.block_id, r.phrase, key_of(r.phrase), r.item_id, r.created_ms, r.note) for r in rows]


class Blocks:
    """The blocks in force, with a fast check for (phrase key, item)."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks

    def blocked(self, phrase_key: str, item_id: str) -> bool:
        return any(b.applies(phrase_key, item_id) for b in self.blocks)

    def allows(self, wording: str, item_id: str) -> bool:
        """Whether a logged wording may teach anything about ``item_id``: it holds no blocked phrase
        for that item, as whole neighbouring words (a block of three words or more too)."""
        return not self.blocks or not self.blocked(key_of(wording), item_id)

    def keep(self, by_wording: dict) -> dict:
        """``ties.wordings``'s (wording, item) → Wording without the blocked ones: the one place a
        block applies, before ties, nearest wordings and the report's phrases are made."""
        if not self.blocks:
            return by_wording
        return {pair: w for pair, w in by_wording.items() if self.allows(w.text, w.item_id)}

    def __bool__(self) -> bool:
        return bool(self.blocks)
