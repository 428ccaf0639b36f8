"""Words to add to an item's keywords: what customers searched before they reached it
some other way.

Evidence, per journey (the per-tab id that links a visit's events), in the current period:

* **found low**: a result click on the item at rank ``LOW_RANK`` or further down (customers
  had to pass over other results first), not followed by a "No" vote on it in the journey;
* **reached later**: a search that led to no click on the item, after which the same journey
  reached it another way: a click from another search (or a click without a query), or a
  "Yes" vote on it (the customer browsed to it and it answered them).

The words of those searches that the item's title, summary, keywords and tags lack (case
and accents folded, synonym groups applied, stop words, digits and typos left out, Porter
stems) are counted once per journey. A word is suggested for an item when at least
``MIN_JOURNEYS`` journeys support it and at least ``MIN_SHARE`` of all such journeys whose
search held the word reached this item (the word points to this item, not to many). Both are
**counted by client** (``counted``): the journeys of one client (the service's salted daily
hash) count once, so one client's three journeys cannot put a word into an item's keywords;
when the evidence comes from fewer than two client hashes (a store before migration 0003, a
proxy without ``--proxy-headers``) every journey counts, as before.
When the journeys that reached the item by another search swapped the word for one of the
item's own words (or, rephrasing, added an item word close in meaning to it:
``substitution.py``), that pair is offered as a synonyms group too.

SQL: two grouped queries over the events table; each probes the journey index once per
candidate row, never sorts the whole table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.engine import Connection

from carebase.report.failing import item_location, item_url
from carebase.report.need_words import is_adverb
from carebase.report.normalise import STOP_WORDS, fold, stem
from carebase.report.period import Periods
from carebase.report.queries import client_of, helpful_expr, noindex, unhelpful_expr
from carebase.report.replay import body_text, headline_text
from carebase.report.substitution import partner as pair_word
from carebase.report.substitution import substitution
from carebase.store.schema import events

LOW_RANK = 2  # a result click at this rank or below: the item was not the first result
MIN_JOURNEYS = 3  # journeys that must support a word before it is suggested
MIN_SHARE = 0.5  # of the word's failed journeys that reached some item, share reaching this one
MAX_WORDS = 8  # suggested words per item
#: A search gives each of its counted words that the item's headline lacks 1/k of its evidence,
#: k the number of such words (as term frequency is normalised by a document's length): "Do I
#: pay a fee for SEPA transfers?" (4 words, none in the headline) gives "sepa" 1/4, a 16-word
#: message gives its "tomorrow" 1/16. A word is suggested only when its
#: supporting searches (each client's heaviest once) add up to at least one whole search: as if
#: one customer had searched for the word alone. Words only ever seen inside long messages
#: ("I'm on holiday and a bit concerned because …") are incidental to them, not keywords.
MIN_WEIGHT = 1.0
#: what summing 1/k in floats may lose: six clients' 1/6 add up to 0.9999999999999999
WEIGHT_SLACK = 1e-9
SAMPLE_QUERIES = 3


#: What is left of English contractions once apostrophes are folded ("couldn't" → "couldn"),
#: or typed without one ("cant"): negations and pronoun fragments, never a keyword (search
#: keeps them as words: dropping them lowered hit@5 on half A).
CONTRACTIONS = frozenset("""
aren cant couldn didn doesn don hadn hasn haven im isn ive ll mustn re shouldn ve wasn weren wont
won wouldn youre youve
""".split())
#: Words never suggested: the analyser's stop words and those fragments.
IGNORED = STOP_WORDS | CONTRACTIONS


def counted_words(normaliser, query: str) -> dict[str, str]:
    """stem → word of a search's words as the report counts them for keywords and synonym
    pairs: synonym groups applied (a member phrase becomes its group's first member), no stop
    words, contraction fragments, one-letter words, digits or typos (the correction is already
    searched for). A word written with an apostrophe is a contraction or a possessive and is
    left out whole, so "what's my passcode" → "what's my password" keeps nothing of the first
    search: a rephrase, not a swap. The one word split of the keyword rows
    (``Suggester.query_words``) and the findability rows' swaps (``topic_actions``)."""
    # words written with an apostrophe are contractions or possessives: left out whole
    plain = " ".join(w for w in query.split() if "'" not in w and "\u2019" not in w)
    folded, _ = normaliser.synonym_text(fold(plain))
    out: dict[str, str] = {}
    for word in folded.split():
        if word in IGNORED or len(word) < 2 or any(ch.isdigit() for ch in word):
            continue
        if normaliser.corrections.get(word, word) != word:
            continue  # a typo: the correction is already searched for
        out.setdefault(stem(word), word)
    return out


def _when(table):
    """The time of an event within its journey: the client's clock (one browser tab, so
    consistent within a journey, and it orders events sent in one batch), else the server's."""
    return func.coalesce(table.c.client_ms, table.c.received_ms)


def found_low(conn: Connection, periods: Periods, low_rank: int = LOW_RANK) -> list[tuple[str, str, int]]:
    """(query, item id, clicks) for result clicks at rank ≥ ``low_rank`` in the current
    period that no "No" vote on the same item followed in the journey."""
    c = events.alias("c")
    v = events.alias("v")
    voted_no = exists().where(v.c.journey == c.c.journey, noindex(v.c.type) == "vote",
                              noindex(v.c.item_id) == c.c.item_id, unhelpful_expr(v))
    who, by_who = client_of(conn, c)
    query = (
        select(c.c.query, c.c.item_id, who, func.count())
        .where(c.c.type == "click", c.c.received_ms >= periods.current.since_ms,
               c.c.received_ms < periods.current.until_ms, c.c.rank >= low_rank,
               c.c.query.is_not(None), c.c.item_id.is_not(None),
               or_(c.c.journey.is_(None), not_(voted_no)))
        .group_by(c.c.query, c.c.item_id, *by_who)
    )
    return [(q, item, client or "", n) for q, item, client, n in conn.execute(query)]


def reached_later(conn: Connection, periods: Periods) -> list[tuple[str, str, str | None, int]]:
    """(query, item id, the query that reached it or None, journeys) for searches in the
    current period that led to no click on the item, after which the journey reached it
    by another search's click, a click without a query, or a "Yes" vote."""
    s = events.alias("s")
    r = events.alias("r")
    c = events.alias("c")
    reach = or_(
        and_(noindex(r.c.type) == "click", or_(r.c.query.is_(None), r.c.query != s.c.query)),
        and_(noindex(r.c.type) == "vote", helpful_expr(r)),
    )
    clicked_from_search = exists().where(c.c.journey == s.c.journey, noindex(c.c.type) == "click",
                                         c.c.query == s.c.query, noindex(c.c.item_id) == r.c.item_id)
    next_query = func.coalesce(r.c.query, "")
    who, by_who = client_of(conn, s)
    query = (
        select(s.c.query, r.c.item_id, next_query, who, func.count(func.distinct(s.c.journey)))
        .select_from(s.join(r, and_(r.c.journey == s.c.journey, _when(r) > _when(s))))
        .where(s.c.type == "search", s.c.journey.is_not(None), s.c.query.is_not(None),
               s.c.received_ms >= periods.current.since_ms, s.c.received_ms < periods.current.until_ms,
               r.c.item_id.is_not(None), reach, not_(clicked_from_search))
        .group_by(s.c.query, r.c.item_id, next_query, *by_who)
    )
    return [(q, item, nq or None, client or "", n) for q, item, nq, client, n in conn.execute(query)]


@dataclass
class WordEvidence:
    journeys: int = 0
    low: int = 0
    later: int = 0
    again: "Who" = field(default_factory=lambda: Who())  # reached later through another search, by client
    forms: Counter = field(default_factory=Counter)
    queries: Counter = field(default_factory=Counter)
    # item word → who added it in a follow-up search, and who swapped it for this word alone
    # (substitution.py): counted by client, so one client's journeys cannot make a synonym pair
    partners: dict = field(default_factory=dict)
    swaps: dict = field(default_factory=dict)
    who: "Who" = field(default_factory=lambda: Who())


@dataclass
class Who:
    """Journeys counted by client: each client hash once, journeys without one each. With
    ``weight`` (``Suggester.add``): each client's heaviest search, journeys without one each."""
    clients: dict = field(default_factory=dict)  # client hash → its heaviest search's weight
    unknown: int = 0
    unknown_weight: float = 0.0

    def add(self, client: str, n: int, weight: float = 1.0) -> None:
        if client:
            self.clients[client] = max(self.clients.get(client, 0.0), weight)
        else:
            self.unknown += n
            self.unknown_weight += n * weight

    @property
    def counted(self) -> int:
        return len(self.clients) + self.unknown

    @property
    def weighed(self) -> float:
        return sum(self.clients.values()) + self.unknown_weight


class Suggester:
    """Turns the evidence rows into per-item word suggestions (pure Python, no SQL)."""

    def __init__(self, catalogue, normaliser, links, *, min_journeys: int = MIN_JOURNEYS,
                 min_share: float = MIN_SHARE, max_words: int = MAX_WORDS, min_weight: float = MIN_WEIGHT,
                 learned=None, blocks=None,
                 by_client: bool = False):
        self.by_client = by_client  # journeys counted by client (``add``'s client hashes)
        self.blocks = blocks  # carebase.learned.blocks.Blocks: (word, item) pairings a lead dismissed
        self.learned = learned  # carebase.learned.report.LearnedEvidence: shares over every successful journey
        self.catalogue = catalogue
        self.normaliser = normaliser
        self.links = links
        self.min_journeys, self.min_share, self.max_words = min_journeys, min_share, max_words
        self.min_weight = min_weight
        self._heads: dict[str, set[str]] = {}
        self._bodies: dict[str, set[str]] = {}
        self._words: dict[str, list[tuple[str, str]]] = {}
        self.evidence: dict[str, dict[str, WordEvidence]] = {}  # item id → stem → evidence
        self.totals: dict[str, Who] = {}  # stem → journeys that reached any item, by client

    def head(self, item) -> set[str]:
        if item.id not in self._heads:
            self._heads[item.id] = self.normaliser.stems_of(headline_text(item))
        return self._heads[item.id]

    def body(self, item) -> set[str]:
        if item.id not in self._bodies:
            self._bodies[item.id] = self.normaliser.stems_of(body_text(item))
        return self._bodies[item.id]

    def query_words(self, query: str) -> list[tuple[str, str]]:
        """(word, stem) of a query as counted (``counted_words``)."""
        cached = self._words.get(query)
        if cached is None:
            cached = self._words[query] = [(w, s) for s, w in counted_words(self.normaliser, query).items()]
        return cached

    def add(self, query: str, item_id: str, n: int, *, how: str, next_query: str | None = None,
            client: str = "") -> None:
        """``client``: the searches' client hash ("": unknown, each journey counts)."""
        item = self.catalogue.get(item_id) if item_id else None
        if item is None or not query or n <= 0:
            return
        if self.blocks and not self.blocks.allows(query, item.id):
            return  # a lead blocked a phrase of this wording for this item: it teaches nothing here
        head = self.head(item)
        stems_here = {s for _, s in self.query_words(query)}
        partners = [w for w, s in self.query_words(next_query)
                    if s in head and s not in stems_here] if next_query else []
        swap = None  # the follow-up swapped one word for one of the item's, keeping the rest
        if partners:
            theirs = {s: w for w, s in self.query_words(next_query)}
            swap = substitution({s: w for w, s in self.query_words(query)}, theirs)
            swap = (swap[0], theirs[swap[1]]) if swap is not None and swap[1] in head else None
        lacking = sum(1 for _, s in self.query_words(query) if s not in head)
        weight = 1 / lacking if lacking else 0.0  # each word the item lacks: its share of the search
        for word, root in self.query_words(query):
            self.totals.setdefault(root, Who()).add(client, n)
            if root in head:
                continue
            ev = self.evidence.setdefault(item.id, {}).setdefault(root, WordEvidence())
            ev.journeys += n
            ev.who.add(client, n, weight)
            if how == "low":
                ev.low += n
            else:
                ev.later += n
            ev.forms[word] += n
            ev.queries[query] += n
            if next_query:
                ev.again.add(client, n)
            for added in partners:
                ev.partners.setdefault(added, Who()).add(client, n)
            if swap is not None and swap[0] == root:
                ev.swaps.setdefault(swap[1], Who()).add(client, n)

    def suggestions(self) -> list[dict]:
        rows = []
        for item_id, by_stem in self.evidence.items():
            item = self.catalogue.get(item_id)
            words = []
            for root, ev in by_stem.items():
                counted = ev.who.counted
                share = counted / self.totals[root].counted
                if counted < self.min_journeys or share < self.min_share:
                    continue
                if ev.who.weighed < self.min_weight - WEIGHT_SLACK:
                    continue  # only ever one word of long sentences: not what customers search the item by
                word = min(ev.forms.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                if is_adverb(word, self.normaliser.analyser):
                    continue  # "frequently", "separately": how or how often, not what the item is about
                if self.blocks and self._blocked(word, item_id):
                    continue  # a lead marked this pairing wrong
                overall = self.learned.share(word, item_id, self.by_client) if self.learned is not None else None
                if overall is not None and overall < self.min_share:
                    continue  # a chatty word: most successful journeys with it reached other items
                partner = None
                if ev.partners:
                    # the item's word the follow-up searches swapped for this one, else the one
                    # their rephrases added most alike in meaning (substitution.py)
                    partner = pair_word(word, Counter({w: who.counted for w, who in ev.swaps.items()}),
                                        Counter({w: who.counted for w, who in ev.partners.items()}),
                                        least=self.min_journeys, follow_ups=ev.again.counted)
                words.append({
                    "word": word, "stem": root, "journeys": ev.journeys, "counted": counted, "found_low": ev.low,
                    "reached_later": ev.later, "share": round(share, 3),
                    "weight": round(ev.who.weighed, 2), "in_body": root in self.body(item),
                    "queries": [q for q, _ in sorted(ev.queries.items(), key=lambda kv: (-kv[1], kv[0]))[:SAMPLE_QUERIES]],
                    "synonyms": [partner, word] if partner else [],
                })
            if not words:
                continue
            words.sort(key=lambda w: (-w["journeys"], w["word"]))
            words = words[: self.max_words]
            rows.append(self._row(item, words))
        rows.sort(key=lambda r: (-r["journeys"], r["id"]))
        for rank, row in enumerate(rows, 1):
            row["rank"] = rank
        return rows

    def _blocked(self, word: str, item_id: str) -> bool:
        from carebase.learned.phrases import key_of

        return self.blocks.blocked(key_of(word), item_id)

    def _row(self, item, words: list[dict]) -> dict:
        path, line, category = item_location(self.catalogue, item)
        new = [w["word"] for w in words if w["word"] not in item.keywords]
        where = "the question's" if item.kind == "faq" else "the front matter's"
        listed = ", ".join(f"“{w['word']}”" for w in words[:3]) + (" …" if len(words) > 3 else "")
        return {
            "id": item.id, "kind": item.kind, "title": item.title, "url": item_url(item), "category": category,
            "source": self.links.source(path, line),
            "journeys": sum(w["journeys"] for w in words),
            "words": words,
            "add_keywords": new,
            "keywords": "keywords: [" + ", ".join(list(item.keywords) + new) + "]",
            "synonyms": [w["synonyms"] for w in words if w["synonyms"]],
            "action": f"Customers reached “{item.title}” only further down the results or another way after "
                      f"searching {listed}: add {'them' if len(words) > 1 else 'it'} to {where} keywords",
        }


def keyword_suggestions(conn: Connection, periods: Periods, catalogue, normaliser, links, *, learned=None,
                        blocks=None, memo=None, by_client: bool = True, **thresholds) -> list[dict]:
    """Per-item keyword (and synonym) suggestions from the journeys, best supported first.
    ``by_client``: journeys counted by client (False: the period's failed searches come from
    fewer than two client hashes, ``missing.counts_by_client``: every journey counts).
    ``learned`` (carebase.learned.report.LearnedEvidence) drops chatty words and adds, per
    row, the phrases customers reach the item with; ``memo`` (report.store_memo.StoreMemo)
    keeps the two journey queries for the next report on the same store."""
    suggester = Suggester(catalogue, normaliser, links, learned=learned, blocks=blocks, by_client=by_client,
                          **thresholds)

    def aggregate(name, fn):
        return fn(conn, periods) if memo is None else memo.call(name, lambda: fn(conn, periods))

    low, later = aggregate("found_low", found_low), aggregate("reached_later", reached_later)
    for query, item_id, client, n in low:
        suggester.add(query, item_id, n, how="low", client=client if by_client else "")
    for query, item_id, next_query, client, n in later:
        suggester.add(query, item_id, n, how="later", next_query=next_query, client=client if by_client else "")
    rows = suggester.suggestions()
    if learned is not None:
        from carebase.learned.phrases import surface

        for row in rows:
            row["reach_with"] = [{"phrase": t.phrase, "typed": surface(t.typed, t.key), "journeys": t.journeys,
                                  "clients": t.clients}
                                 for t in learned.by_item.get(row["id"], [])[:6]]
    return rows


def learned_rows(learned, catalogue, links):
    """(``learned``: the current period's LearnedEvidence, its per-item rows) for the report."""
    return learned, learned.rows(catalogue, headline_text, links, item_location)
