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
invisible characters and Latin look-alikes are folded before (``phrases.clean``); a word written wholly in
Cyrillic or Greek letters that look Latin (``рау`` for ``pay``) is read as the Latin word too, unless it is a
word of its own script (pyspellchecker's Russian list, or a word of the help centre) (``phrases.lookalike_latin``).

A word is never a typo of a blocked word when it is a word of its own: a word of the help centre
(``vocabulary``: its titles, keywords, bodies and synonyms, as the search index holds them: a
block of ``refund`` leaves ``refurb`` alone on a site that sells refurbs) or a word customers use
widely for other items (``keep``: at least ``OWN_WORD_CLIENTS`` distinct clients tied it to items
the block does not cover, and more than tied it to the items it covers: ``klara`` is a name
customers type for their Klara account, not ``klarna`` misspelt). The same stem is always held.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from carebase.learned.clients import proven_clients
from carebase.learned.phrases import contains, key_of, lookalike_latin, normalise, tokens
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

    def covers(self, item_id: str) -> bool:
        return self.item_id is None or self.item_id == item_id

    def held_in(self, toks: tuple[tuple[str, str], ...], item_id: str, own: frozenset | set = frozenset()) -> bool:
        """Whether a wording's tokens (``phrases.tokens``) hold the phrase for ``item_id``: its
        words as neighbours, each the same stem or a typo of the blocked word. ``own``: words and
        stems that are words of their own, never a typo (the help centre's, customers' widely used)."""
        if self.item_id is not None and self.item_id != item_id:
            return False
        mine = self.words()
        n = len(mine)
        first = mine[0]
        for i in range(len(toks) - n + 1):
            if _holds(toks[i], first, own) and all(_holds(toks[i + j], mine[j], own) for j in range(1, n)):
                return True
        # a one-word block is also held by the word split in two ("re fund", "re-fund", "glorp tax"),
        # which the embedding model puts next to the whole word (cosines 0.50-0.58)
        if n != 1:
            return False
        for i in range(len(toks) - 1):
            if toks[i][0][:1] == first[0][:1]:
                kind, joined = _split(toks[i][0], toks[i + 1][0], first)
                if kind == SAME or (kind == TYPO and not _own(joined, own)):
                    return True
        return False

    def words(self) -> tuple[tuple[str, str], ...]:
        """The phrase's (word, stem) tokens (kept on the block: checked against every wording)."""
        mine = self.__dict__.get("_words")
        if mine is None:
            mine = tokens(self.phrase)
            object.__setattr__(self, "_words", mine)
        return mine

    def as_json(self) -> dict:
        return {"id": self.id, "phrase": self.phrase, "item": self.item_id, "created_ms": self.created_ms,
                "note": self.note}


#: How a wording's word is a blocked word (``_match``): not at all, the same stem, a typo of it.
NONE, SAME, TYPO = 0, 1, 2

#: A word customers use widely for other items is a word of its own, never a typo of a blocked word
#: (``Blocks.keep``): this many distinct clients at least tied it to items the block does not cover
#: (and more than tied it to the items it covers). The learning thresholds ask 2 clients for a tie.
OWN_WORD_CLIENTS = 5


class _Own:
    """Words and stems of their own (the help centre's, and a block's widely used ones): one
    membership test over both sets, without copying the vocabulary per wording."""

    __slots__ = ("sets",)

    def __init__(self, *sets):
        self.sets = tuple(s for s in sets if s)

    def __contains__(self, word: str) -> bool:
        return any(word in s for s in self.sets)


def _own(token: tuple[str, str], own) -> bool:
    return token[0] in own or token[1] in own


def _holds(token: tuple[str, str], blocked: tuple[str, str], own) -> bool:
    """A wording's (word, stem) holds the blocked word: the same stem; a typo of it that is no
    word of its own (``own``); or, written wholly in Cyrillic or Greek look-alikes and no word of
    its own, the Latin word it imitates does."""
    word = token[0]
    if token[1] == blocked[1]:
        return True
    if word.isascii():  # most words: a typo keeps the first letter (``_match``), checked before the cache
        return word[:1] == blocked[0][:1] and _match(token, blocked) == TYPO and not _own(token, own)
    kind = _match(token, blocked)
    if kind != NONE:
        return kind == SAME or not _own(token, own)
    latin = _latin(token)
    if latin is None or _own(token, own):
        return False
    kind = _match(latin, blocked)
    return kind == SAME or (kind == TYPO and not _own(latin, own))


@lru_cache(maxsize=200_000)
def _latin(token: tuple[str, str]) -> tuple[str, str] | None:
    """The Latin (word, stem) a word written wholly in look-alike letters imitates (None for any other)."""
    if token[0].isascii():
        return None
    word = lookalike_latin(token[0])
    return None if word is None else (word, tokens(word)[0][1] if len(tokens(word)) == 1 else word)


@lru_cache(maxsize=200_000)  # per distinct (word, blocked word): 30,000 wordings x 10 blocks 5-11x slower uncached
def _split(first: str, second: str, blocked: tuple[str, str]) -> tuple[int, tuple[str, str] | None]:
    """Two neighbouring words that, joined, are the blocked word: (``SAME`` or ``TYPO``, the joined
    word's token), else (``NONE``, None)."""
    joined = first + second
    if joined[:1] != blocked[0][:1] or abs(len(joined) - len(blocked[0])) > 2:
        return NONE, None
    whole = tokens(joined)
    return (_match(whole[0], blocked), whole[0]) if len(whole) == 1 else (NONE, None)


@lru_cache(maxsize=200_000)
def _match(token: tuple[str, str], blocked: tuple[str, str]) -> int:
    """How a wording's (word, stem) is the blocked word: ``SAME`` stem, a ``TYPO`` of it (as
    search's spelling rule sees one: no word of the language, same first letter, 4 letters or more,
    within the edit distance search corrects), or ``NONE``."""
    (word, stem), (block_word, block_stem) = token, blocked
    if stem == block_stem:
        return SAME
    if (word[:1] != block_word[:1] or min(len(word), len(block_word)) < MIN_CORRECTED_LENGTH
            or abs(len(word) - len(block_word)) > 2 or not word.isalpha()):
        return NONE
    limit = min(max_distance(word), max_distance(block_word))
    return TYPO if distance(word, block_word) <= limit and not _is_word(word) else NONE


def _same(token: tuple[str, str], blocked: tuple[str, str]) -> bool:
    """A wording's (word, stem) is the blocked word: the same stem, or a typo of it."""
    return _match(token, blocked) != NONE


def _is_word(word: str) -> bool:
    """A word of the language is never read as a typo ("care" is not "card" misspelt)."""
    from carebase.search.analysis import _ANALYSER

    return _ANALYSER.is_word(word)


def site_vocabulary(searcher) -> frozenset:
    """The help centre's own words and stems, folded, as its search index holds them (the words of
    its titles, summaries, keywords and bodies, the stems it searches, its synonym groups' words):
    a word of them is never a typo of a blocked word. ``searcher``: carebase.search.query.Searcher."""
    spelling, synonyms = searcher.vocabulary, searcher.synonyms
    written = (w for forms in getattr(synonyms, "written", {}).values() for w in forms)
    return frozenset(spelling.freq) | frozenset(spelling.stems) | frozenset(synonyms.stems) | frozenset(written)


def catalogue_vocabulary(catalogue) -> frozenset:
    """``site_vocabulary`` from a catalogue (the report, which opens no index): the words and stems
    of every item's title, summary, keywords and body, and of the synonym groups' members."""
    from carebase.report.replay import body_text, headline_text
    from carebase.search.analysis import _ANALYSER

    out: set[str] = set()
    for item in catalogue.items():
        out.update(_ANALYSER.words(headline_text(item) + " " + body_text(item)))
    for group in getattr(catalogue, "synonyms", None) or ():
        for member in group:
            out.update(_ANALYSER.words(str(member)))
    return frozenset(out | {_ANALYSER.stem(w) for w in out})


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
    """The blocks in force, with a fast check for (phrase key, item). ``vocabulary``: the help
    centre's own words and stems (folded; ``site_vocabulary``), never read as typos of a blocked word."""

    def __init__(self, blocks: list[Block], vocabulary=frozenset()):
        """``vocabulary``: a set, or a function giving it, called once at the first check (so a
        report or a refresh with no block never gathers it)."""
        self.blocks = blocks
        self._vocabulary = vocabulary

    @property
    def vocabulary(self) -> frozenset:
        if callable(self._vocabulary):
            self._vocabulary = frozenset(self._vocabulary() or ())
        return self._vocabulary

    def blocked(self, phrase_key: str, item_id: str) -> bool:
        return any(b.applies(phrase_key, item_id) for b in self.blocks)

    def allows(self, wording: str, item_id: str, own: dict | None = None) -> bool:
        """Whether a logged wording may teach anything about ``item_id``: it holds no blocked phrase
        for that item, as whole neighbouring words (a block of three words or more too), each
        word the same stem or a typo of the blocked one that is no word of its own (the help
        centre's; ``own``: block id → the words customers use widely for other items)."""
        if not self.blocks:
            return True
        toks = tokens(wording)
        vocabulary = self.vocabulary
        for b in self.blocks:
            if b.item_id is not None and b.item_id != item_id:
                continue
            extra = own.get(b.id) if own else None
            if b.held_in(toks, item_id, extra if extra is not None else vocabulary):
                return False
        return True

    def keep(self, by_wording: dict) -> dict:
        """``ties.wordings``'s (wording, item) → Wording without the blocked ones: the one place a
        block applies, before ties, nearest wordings and the report's phrases are made."""
        if not self.blocks:
            return by_wording
        vocabulary = self.vocabulary
        own = {bid: _Own(vocabulary, words) for bid, words in self.widely_used(by_wording.values()).items()}
        return {pair: w for pair, w in by_wording.items() if self.allows(w.text, w.item_id, own)}

    def widely_used(self, found) -> dict[int, frozenset]:
        """block id → the words (typos of its words by the spelling rule) that customers use widely
        for other items: ``OWN_WORD_CLIENTS`` distinct clients at least tied them to items the
        block does not cover and no wording of the blocked word itself reached (a common typo,
        "pasword", reaches what "password" reaches; "klara" reaches the Klara app, which "klarna"
        does not), more than tied them to the items it covers (``ties.Wording``s: text, item id,
        clients). Clients are counted as ``ties.proven_clients`` counts them (one address over
        five days or restarts is five hashes in five salt epochs: one client), and a client who
        also tied the word to a covered item does not count for the other items. A block for every
        item has no other item: none."""
        one_item = [b for b in self.blocks if b.item_id is not None]
        if not one_item:
            return {}
        by_initial: dict[str, list] = {}
        for bw in {w for b in one_item for w in b.words()}:
            by_initial.setdefault(bw[0][:1], []).append(bw)
        who: dict[tuple[str, str], dict[str, set]] = {}  # a typo-like word → item → clients
        reached: dict[str, set] = {}  # a blocked word's stem → the items its own wordings reached
        for w in found:
            for token in tokens(w.text):
                for bw in by_initial.get(token[0][:1], ()):
                    if token[1] == bw[1]:
                        reached.setdefault(bw[1], set()).add(w.item_id)
                    elif w.clients and _match(token, bw) == TYPO:
                        who.setdefault(token, {}).setdefault(w.item_id, set()).update(w.clients)
        out: dict[int, frozenset] = {}
        for b in one_item if who else ():
            mine = b.words()
            seen = set().union(*(reached.get(bw[1], ()) for bw in mine))
            words = set()
            for token, items in who.items():
                if not any(_match(token, bw) == TYPO for bw in mine):
                    continue
                theirs = set().union(*(c for item, c in items.items() if b.covers(item)))
                # only clients that never tied the word to a covered item speak for it elsewhere
                others = set().union(*(c for item, c in items.items()
                                       if not b.covers(item) and item not in seen)) - theirs
                many = proven_clients(others)
                if many >= OWN_WORD_CLIENTS and many > proven_clients(theirs):
                    words.add(token[0])
            if words:
                out[b.id] = frozenset(words)
        return out

    def __bool__(self) -> bool:
        return bool(self.blocks)
