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

A wording's word also holds a blocked word when it is a typo of it as search's spelling rule
sees one (no word of the language, same first letter, 4 letters or more, within the edit
distance search corrects): blocking ``refund`` takes out ``refundd`` and ``refnud`` too, which
the embedding model puts next to ``refund`` (cosines 0.95 and 0.48, over the neighbours' floor
of 0.30), so a blocked phrasing cannot come back misspelt; a one-word block also holds the word
split in two by a space or a hyphen (``re fund``, ``re-fund``, ``glorp tax``). Case, accents, full-width forms,
invisible characters and Latin look-alikes are folded before (``phrases.clean``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from carebase.learned.phrases import contains, key_of, normalise, tokens
from carebase.search.spelling import MIN_CORRECTED_LENGTH, distance, max_distance
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

    def held_in(self, toks: tuple[tuple[str, str], ...], item_id: str) -> bool:
        """Whether a wording's tokens (``phrases.tokens``) hold the phrase for ``item_id``: its
        words as neighbours, each the same stem or a typo of the blocked word."""
        if self.item_id is not None and self.item_id != item_id:
            return False
        mine = tokens(self.phrase)
        n = len(mine)
        first = mine[0]
        for i in range(len(toks) - n + 1):
            if _same(toks[i], first) and all(_same(toks[i + j], mine[j]) for j in range(1, n)):
                return True
        # a one-word block is also held by the word split in two ("re fund", "re-fund", "glorp tax"),
        # which the embedding model puts next to the whole word (cosines 0.50-0.58)
        return n == 1 and any(toks[i][0][:1] == first[0][:1] and _split(toks[i][0], toks[i + 1][0], first)
                              for i in range(len(toks) - 1))

    def as_json(self) -> dict:
        return {"id": self.id, "phrase": self.phrase, "item": self.item_id, "created_ms": self.created_ms,
                "note": self.note}


@lru_cache(maxsize=200_000)  # per distinct (word, blocked word): 30,000 wordings x 10 blocks 5-11x slower uncached
def _split(first: str, second: str, blocked: tuple[str, str]) -> bool:
    """Two neighbouring words that, joined, are the blocked word (its stem or a typo of it)."""
    joined = first + second
    if joined[:1] != blocked[0][:1] or abs(len(joined) - len(blocked[0])) > 2:
        return False
    whole = tokens(joined)
    return len(whole) == 1 and _same(whole[0], blocked)


@lru_cache(maxsize=200_000)
def _same(token: tuple[str, str], blocked: tuple[str, str]) -> bool:
    """A wording's (word, stem) is the blocked word: the same stem, or a typo of it."""
    (word, stem), (block_word, block_stem) = token, blocked
    if stem == block_stem:
        return True
    if (word[:1] != block_word[:1] or min(len(word), len(block_word)) < MIN_CORRECTED_LENGTH
            or abs(len(word) - len(block_word)) > 2 or not word.isalpha()):
        return False
    limit = min(max_distance(word), max_distance(block_word))
    return distance(word, block_word) <= limit and not _is_word(word)


def _is_word(word: str) -> bool:
    """A word of the language is never read as a typo ("care" is not "card" misspelt)."""
    from carebase.search.analysis import _ANALYSER

    return _ANALYSER.is_word(word)


def existing_block(conn: Connection, phrase: str, item_id: str | None = None) -> Block | None:
    """The block already in force for the same words (stems) and item, if any: blocking twice
    (a second click, another spelling of the same words) keeps one block, so one unblock lifts it."""
    key = key_of(normalise(phrase or ""))
    return next((b for b in list_blocks(conn) if b.key == key and b.item_id == (item_id or None)), None)


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
        for that item, as whole neighbouring words (a block of three words or more too), each
        word the same stem or a typo of the blocked one."""
        if not self.blocks:
            return True
        toks = tokens(wording)
        return not any(b.held_in(toks, item_id) for b in self.blocks)

    def keep(self, by_wording: dict) -> dict:
        """``ties.wordings``'s (wording, item) → Wording without the blocked ones: the one place a
        block applies, before ties, nearest wordings and the report's phrases are made."""
        if not self.blocks:
            return by_wording
        return {pair: w for pair, w in by_wording.items() if self.allows(w.text, w.item_id)}

    def __bool__(self) -> bool:
        return bool(self.blocks)
