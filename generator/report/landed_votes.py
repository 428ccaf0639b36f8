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
   own test, no new threshold). Too few other votes to tell: the verdict stands.

Then the row is a gap, its new article suggested as for any gap, and it names the page its customers
landed on with their votes and the page's own (``near_page``, as ``page_needs.near_needs`` does for a
Fix page voted down by a near need). The votes are ``page_votes.votes_by_search``, asked only for a page
a row's verdict may turn on, once a page.
"""

from __future__ import annotations

from typing import Callable

from carebase.report.replay import headline_text
from carebase.report.scoring import wilson


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
        return {"id": item.id, "title": item.title, "searches": searches, "votes": votes, "voted_no": voted_no,
                "at_fault": False, "own": {"n": own_n, "unhelpful": own_no, "rate": own.rate, "low": own.low,
                                           "high": own.high},
                "twin": was}
