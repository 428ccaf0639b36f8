"""Customers who do not find their answer, played as real ones are (``--customers realistic`` of
held_out_topics.py and http_loop.py; play.py's default, ``plain``, is unchanged).

The plain play (play.py) never clicks a wrong result, never votes "No", never contacts support,
and stamps a store's events on one day. The realistic customer, declared in benchmarks/RESULTS.md
"Session 48 (`harness`)" before any store was played with it, per journey (one search, one
customer, one client):

* **the right article among the 10 results shown**: clicks it at its rank (as plain), then votes
  "Yes" with ``yes_after_click`` (the harness's 0.3, as plain), else "No" with ``no_when_right``
  (a reason from the widget's list, sometimes a comment); a customer who voted "No" is unhelped;
* **not shown** (removed from the help centre, or ranked below the 10th): with ``click_anyway``
  clicks one of the results shown, rank r picked with weight r^-``rank_eta`` (the position-based
  examination model, Joachims, Swaminathan & Schnabel, WSDM 2017, η = 1), and on that wrong page
  votes "No" with ``no_after_wrong`` (a reason, with ``comment_with_no`` a comment: the query in
  the customer's own words, never PII); then, when the article exists, reaches it by browsing and
  votes "Yes" with ``vote_rate`` (as plain); otherwise the customer is unhelped;
* **an unhelped customer** clicks the help centre's contact link with ``contact_unhelped``: on the
  wrong page it was on (the event names that page's item, as events.js does under an article's
  widget), else on the search page (the event carries the last search's query); the channel drawn
  from ``channels``;
* **time**: the journeys of a play are spread over ``days`` days ending now (inside the report's
  default 28-day period); each page's events are posted when they happen (one batch per page, as
  events.js flushes them), and play.py's in-process service receives them at the customer's time
  (``moved_clock``), so the store's ``received_ms`` spans the days too.

Not played (said, not hidden): a second search after a failed one, the contact form's ticket
(``POST /api/v1/contact``: only the link's ``contact`` event is sent), Do-Not-Track customers.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field

DAY_MS = 86_400_000


@dataclass(frozen=True)
class Model:
    """The realistic customer's figures (RESULTS "Session 48 (`harness`)" says which are published, which guesses)."""

    click_anyway: float = 0.40  # guess: right article not shown, a result clicked anyway
    rank_eta: float = 1.0  # Joachims et al. 2017: examination ∝ (1/rank)^η, η = 1
    no_after_wrong: float = 0.30  # guess, on the harness's scale (its "Yes" after a click: 0.3); votes skew negative
    comment_with_no: float = 0.30  # guess: a "No" with a comment in the customer's words
    no_when_right: float = 0.03  # guess: the right article, "No" (1 in 11 voters there; the demo simulator's 12 %)
    contact_unhelped: float = 0.20  # guess: an unhelped customer clicks the contact link
    days: int = 27  # inside the report's default 28-day period
    # the widget's default reasons (carebase.widget.settings.DEFAULT_REASONS), weights a guess
    reasons_wrong: tuple = (("Didn't answer my question", 0.70), ("Hard to understand", 0.10), ("Out of date", 0.05),
                            ("Steps didn't work", 0.05), ("Other", 0.10))
    reasons_right: tuple = (("Didn't answer my question", 0.20), ("Hard to understand", 0.30), ("Out of date", 0.15),
                            ("Steps didn't work", 0.25), ("Other", 0.10))
    # Gartner 2019 (the preferred channel for resolving an issue: phone 44 %, chat 17 %, email 15 %, the
    # company's website 12 %), read as the contact link's channels phone, chat, email, form
    channels: tuple = (("phone", 0.44), ("chat", 0.17), ("email", 0.15), ("form", 0.12))


REALISTIC = Model()
KINDS = ("plain", "realistic")
COMMENTS = ("I wanted to know {q}", "Nothing here about {q}", "This page does not say {q}", "Still don't know: {q}",
            "Not what I asked. {q}")


def _pick(rng: random.Random, weighted: tuple) -> str:
    names, weights = zip(*weighted)
    return rng.choices(names, weights)[0]


def comment(rng: random.Random, query: str) -> str:
    """The customer's words: their query, reworded into a sentence (nothing else of theirs)."""
    q = " ".join(query.split()).rstrip("?.! ")
    return rng.choice(COMMENTS).format(q=q[:1].lower() + q[1:])[:2000]


def journey(rng: random.Random, model: Model, n: int, query, ids: list[str], total: int, catalogue, revisions: dict,
            ts: int, *, vote_rate: float, yes_after_click: float) -> tuple[list[dict], str]:
    """One realistic journey's events (in time order) and how it ended (play.Outcome's names)."""
    journey_id = f"j{n:06d}{rng.randrange(1 << 32):08x}"
    text = query.text[:200]
    events = [{"id": f"{journey_id}-s", "type": "search", "ts": ts, "page": "/search/", "journey": journey_id,
               "query": text, "results": total, "source": "search-page"}]

    def click(item: str, rank: int) -> None:
        nonlocal ts
        ts += rng.randrange(3_000, 20_000)
        events.append({"id": f"{journey_id}-c{len(events)}", "type": "click", "ts": ts, "page": "/search/",
                       "journey": journey_id, "query": text, "item": item, "rank": rank})

    def vote(item: str, value: int, reasons: tuple | None, wait: tuple[int, int]) -> None:
        nonlocal ts
        ts += rng.randrange(*wait)
        event = {"id": f"{journey_id}-v{len(events)}", "type": "vote", "ts": ts, "page": "/" + catalogue.get(item).url,
                 "journey": journey_id, "item": item, "value": value, "scale": "helpful", "source": "widget",
                 "revision": revisions[item], "vote_key": f"k{journey_id}{len(events)}"}
        if reasons is not None:
            event["reason"] = _pick(rng, reasons)
            if rng.random() < model.comment_with_no:
                event["comment"] = comment(rng, query.text)
        events.append(event)

    helped, on_page = False, None
    if query.target in ids:
        rank = ids.index(query.target) + 1
        click(query.target, rank)
        how = "clicked_low" if rank > 1 else "clicked"
        u = rng.random()
        if u < yes_after_click:
            vote(query.target, 1, None, (20_000, 90_000))
            helped = True
        elif u < yes_after_click + model.no_when_right:
            vote(query.target, 0, model.reasons_right, (20_000, 90_000))
        else:
            helped = True  # read it and left: nothing more recorded (as plain)
        on_page = query.target
    else:
        how = "browsed_silent"
        if ids and rng.random() < model.click_anyway:
            weights = [r ** -model.rank_eta for r in range(1, len(ids) + 1)]
            rank = rng.choices(range(1, len(ids) + 1), weights)[0]
            click(ids[rank - 1], rank)
            on_page = ids[rank - 1]
            if rng.random() < model.no_after_wrong:
                vote(on_page, 0, model.reasons_wrong, (15_000, 90_000))
        if catalogue.get(query.target) is not None and rng.random() < vote_rate:
            vote(query.target, 1, None, (30_000, 180_000))  # browsed to it (the site sends nothing for browsing)
            how, helped = "browsed_voted", True
    if not helped and rng.random() < model.contact_unhelped:
        ts += rng.randrange(10_000, 60_000)
        event = {"id": f"{journey_id}-k{len(events)}", "type": "contact", "ts": ts, "journey": journey_id,
                 "channel": _pick(rng, model.channels)}
        if on_page is not None:
            event.update(page="/" + catalogue.get(on_page).url, item=on_page)
        else:
            event.update(page="/search/", query=text)
        events.append(event)
    return events, how


def by_page(batch: list[dict]) -> list[list[dict]]:
    """A journey's events in the batches events.js sends them: one per page visited, in order."""
    out: list[list[dict]] = []
    for event in batch:
        if out and out[-1][-1].get("page") == event.get("page"):
            out[-1].append(event)
        else:
            out.append([event])
    return out


@dataclass
class Tally:
    """What the played journeys sent, by kind (play.Outcome.sent)."""

    counts: Counter = field(default_factory=Counter)

    def add(self, batch: list[dict], target: str) -> None:
        c = self.counts
        for e in batch:
            kind = e["type"]
            if kind == "click":
                c["clicks"] += 1
                c["wrong clicks" if e["item"] != target else "right clicks"] += 1
            elif kind == "vote":
                c["yes votes" if e["value"] == 1 else "no votes"] += 1
                if e["value"] == 0:
                    c["no on a wrong page" if e["item"] != target else "no on the right page"] += 1
                    c["no with a comment"] += "comment" in e
                    c[f"reason: {e.get('reason')}"] += 1
            elif kind == "contact":
                c["contacts"] += 1
                c["contacts from a page" if e.get("item") else "contacts from search"] += 1
                c[f"channel: {e['channel']}"] += 1

    def as_dict(self) -> dict:
        return dict(sorted(self.counts.items()))


class _Clock:
    """``time`` as the events handler reads it, at the customer's moment while one is set."""

    def __init__(self) -> None:
        self.now_ms: int | None = None

    def time(self) -> float:
        return time.time() if self.now_ms is None else self.now_ms / 1000

    def __getattr__(self, name):
        return getattr(time, name)


@contextlib.contextmanager
def moved_clock():
    """The in-process service's event handler receives at the time set on the yielded clock
    (``clock.now_ms``), the real time when None; restored after."""
    from carebase.service import handlers

    clock, real = _Clock(), handlers.time
    handlers.time = clock
    try:
        yield clock
    finally:
        handlers.time = real
