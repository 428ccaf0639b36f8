"""A twin need: customers who opened a page for a need it does not cover, beside the page's own customers.

``topic_actions.Classifier`` calls a row of failed searches a *poor answer* ("customers find P but it
does not solve it: fix P") when search shows P first for its wordings and its customers clicked, then
voted "No" or contacted support; and a *findability* row ("add their words to P's keywords") when they
reached P later. Both send the lead to P. When the row is a second need worded like P's own (a twin:
"wrong exchange rate for cash withdrawal" beside *Card payment exchange rate*), P is not at fault and a
new article is missing. The journeys say which (``LandedVotes.twin``):

1. the row's customers who opened P from its wordings and voted on it mostly said "No";
2. its failed searches do not mostly name only what P covers (every analysed word of a wording in P's
   title, summary, keywords or tags: the per-wording test of ``page_needs``) — a customer searching in P's
   own words is P's own customer;
3. P helps its own customers: its votes in the period without the row's are at least ``min_votes`` and
   the Wilson 95 % lower bound of their "No" share is not above the report's baseline (Failing content's
   own test, no new threshold). Too few other votes to tell: the verdict stands;
4. the row's customers are unlike the page's helped customers (``unlike_helped``) — the wordings of the
   journeys that clicked P from a search and voted "Yes" (none of the row's). In meaning: the row's
   wordings are less similar to the centre of the helped wordings than the helped wordings are to the
   centre of the others (leave one out), by a one-sided Mann–Whitney U test at the 5 % level; or in
   words: a stem at least ``topics.SHARED_SHARE`` of the row's failed searches hold that no helped
   wording and not P's own text holds. Neither: the row is the page's own unhappy customers (a few of
   them vote any page down), not another need: the verdict stands. The row's wordings are never
   compared with each other: the grouping joined them because they are alike (session 48, `report`).
   Fewer than two helped wordings: too few to tell, (4) holds.

Then the row is a gap, its new article suggested as for any gap, and it names the page its customers
landed on with their votes and the page's own (``near_page``, as ``page_needs.near_needs`` does for a
Fix page voted down by a near need). The votes are ``page_votes.votes_by_search``, asked only for a page
a row's verdict may turn on, once a page.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from carebase.report.replay import headline_text
from carebase.report.scoring import wilson
from carebase.report.topics import SHARED_SHARE

#: One-sided 5 % level of the standard normal (the report's 95 % everywhere): the rank test's bound.
Z_95 = 1.6448536269514722


def rank_test_lower(row: list[float], helped: list[float]) -> bool:
    """Whether ``row``'s values are lower than ``helped``'s: a one-sided Mann–Whitney U test at the 5 %
    level, normal approximation with the tie correction."""
    m, n = len(row), len(helped)
    if not m or n < 2:
        return False
    pooled = sorted([(v, 0) for v in row] + [(v, 1) for v in helped])
    ranks: list[float] = [0.0] * len(pooled)
    ties = 0.0
    i = 0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        t = j - i + 1
        ties += t ** 3 - t
        i = j + 1
    u = sum(r for r, (_, side) in zip(ranks, pooled) if side == 0) - m * (m + 1) / 2
    total = m + n
    var = m * n / 12 * ((total + 1) - ties / (total * (total - 1)))
    if var <= 0:
        return False
    return (u + 0.5 - m * n / 2) / math.sqrt(var) < -Z_95  # continuity-corrected


class LandedVotes:
    """``votes_of(item ids) -> {item: {wording: [votes, "No"]}}`` (``page_votes.votes_by_search``);
    ``pages``: item id → its Failing content row (``n``, ``unhelpful``: its votes as counted there);
    ``key_of``: a text's analysed words (the report's normaliser)."""

    def __init__(self, votes_of: Callable[[list[str]], dict], pages: dict[str, dict], key_of, *, baseline: float,
                 min_votes: int):
        self.votes_of = votes_of
        self.pages = pages
        self.key_of = key_of
        self.baseline = baseline
        self.min_votes = min_votes
        self._votes: dict[str, dict] = {}
        self._heads: dict[str, set] = {}
        self._keys: dict[str, frozenset] = {}
        self.asked = 0  # pages whose votes were read (the pass's cost)
        #: texts → L2-normalised rows of the grouping's vectors (set by ``missing.missing_section``);
        #: None: (4)'s meaning test is not asked, its words test still is
        self.encode: Callable[[list[str]], np.ndarray] | None = None

    def _key(self, text: str) -> frozenset:
        if text not in self._keys:
            self._keys[text] = frozenset(self.key_of(text))
        return self._keys[text]

    def _head(self, item) -> set:
        if item.id not in self._heads:
            self._heads[item.id] = set(self.key_of(headline_text(item)))
        return self._heads[item.id]

    def _page_votes(self, item_id: str) -> dict:
        if item_id not in self._votes:
            self.asked += 1
            self._votes[item_id] = self.votes_of([item_id]).get(item_id, {})
        return self._votes[item_id]

    def voted_down(self, topic, item) -> int:
        """Journeys of the row's wordings that clicked ``item`` and voted it "No" (counted as the page's
        votes are: one client at most ``VOTES_PER_CLIENT``)."""
        wordings = {q for m in topic.members for q in m.queries}
        return sum(no for query, (_, no) in self._page_votes(item.id).items() if query in wordings)

    def helps_own(self, topic, item) -> bool:
        """Condition (3) alone: the page's votes without the row's wordings' are at least ``min_votes`` and
        their "No" share's Wilson lower bound is not above the baseline (a Fix page's own need is
        ``page_needs.fold``'s, not this)."""
        page = self.pages.get(item.id)
        if page is None:
            return False
        wordings = {q for m in topic.members for q in m.queries}
        votes = voted_no = 0
        for query, (n, no) in self._page_votes(item.id).items():
            if query in wordings:
                votes += n
                voted_no += no
        own_n = page["n"] - min(votes, page["n"])
        own_no = min(max(0, page["unhelpful"] - voted_no), own_n)
        return own_n >= self.min_votes and wilson(own_no, own_n).low <= self.baseline

    def unlike_helped(self, topic, item) -> bool:
        """Condition (4): the row's customers are unlike the page's helped customers (module docstring)."""
        wordings = {q for m in topic.members for q in m.queries}
        helped = [q for q, (n, no) in self._page_votes(item.id).items() if n > no and q not in wordings]
        if len(helped) < 2:  # too few of the page's own customers to tell: the rule as it was
            return True
        held = set().union(*(self._key(q) for q in helped)) | self._head(item)
        heard: dict[str, int] = {}
        for m in topic.members:
            for q, n in m.queries.items():
                for stem in self._key(q):
                    heard[stem] = heard.get(stem, 0) + n
        failed = sum(m.failed for m in topic.members) or 1
        if any(n / failed >= SHARED_SHARE and stem not in held for stem, n in heard.items()):
            return True  # the row mostly says a word none of the page's helped customers said
        if self.encode is None:
            return False
        row = list(wordings)
        vectors = self.encode(row + helped)
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        r, h = vectors[:len(row)], vectors[len(row):]
        total = h.sum(axis=0)
        centre = total / max(float(np.linalg.norm(total)), 1e-12)
        row_sims = [float(v) for v in r @ centre]
        loo = []
        for v in h:
            rest = total - v
            loo.append(float(v @ rest) / max(float(np.linalg.norm(rest)), 1e-12))
        return rank_test_lower(row_sims, loo)

    def twin(self, topic, item, was: str) -> dict | None:
        """``near_page`` for a row ``topic`` whose verdict ``was`` ("poor answer" or "findability") names
        ``item``, when the journeys say the row is another need than the page's own; else None."""
        page = self.pages.get(item.id)
        if page is None or page["n"] < self.min_votes:  # too few votes on the page to tell its own apart
            return None
        failed = sum(m.failed for m in topic.members)
        head = self._head(item)
        named = sum(n for m in topic.members for q, n in m.queries.items() if self._key(q) and self._key(q) <= head)
        if named * 2 > failed:  # searched in the page's own words: its own customers (a poor answer)
            return None
        wordings = {q: n for m in topic.members for q, n in m.queries.items()}
        votes = voted_no = searches = 0
        for query, (n, no) in self._page_votes(item.id).items():
            if query in wordings and not self._key(query) <= head:  # a wording naming the page: its own customers'
                votes += n
                voted_no += no
                searches += wordings[query]
        if not votes or voted_no * 2 <= votes:  # they did not mostly vote it down
            return None
        # counted per client as the page's row is, so within its votes; the row's revision window can
        # still leave it fewer (page_needs.near_needs): never more than the row holds
        votes, voted_no = min(votes, page["n"]), min(voted_no, page["unhelpful"], votes)
        own_n, own_no = page["n"] - votes, max(0, page["unhelpful"] - voted_no)
        own_no = min(own_no, own_n)
        own = wilson(own_no, own_n)
        if own_n < self.min_votes or own.low > self.baseline:  # its own customers: too few, or failed too
            return None
        if not self.unlike_helped(topic, item):  # the page's own unhappy customers: not another need
            return None
        return {"id": item.id, "title": item.title, "searches": searches, "votes": votes, "voted_no": voted_no,
                "at_fault": False, "own": {"n": own_n, "unhelpful": own_no, "rate": own.rate, "low": own.low,
                                           "high": own.high},
                "twin": was}
