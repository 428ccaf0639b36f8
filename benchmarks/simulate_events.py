"""A seeded simulator of help-centre traffic with planted truth (tests and benchmarks).

``plan(catalogue, seed)`` picks what the report must find: articles that fail
(most customers vote "No"), topics customers search for that no item covers (with
typos, plurals, case and stop-word variants), customer words for an existing item that
the item never uses (they find it only after a second search: a findability gap), one
article fixed by an edit (bad before its last revision, good after), and noise
(one-off gibberish). ``simulate(...)`` then yields event rows in the column order of
``carebase.store.schema.events`` across two equal periods (comparison, then current), and
the page views its journeys imply (``Simulator.views``: a customer who arrives on a page or
clicks a search result views it; the widget counts views in ``item_views``, not as events),
which ``main`` writes too, so the report's "Most viewed pages" agrees with its clicks and votes.

    python benchmarks/simulate_events.py --content content/ --db sqlite:///feedback.db
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import zlib
from dataclasses import dataclass, field

from carebase.report.normalise import STOP_WORDS, stem, words

DAY_MS = 86_400_000
COLUMNS = ("event_id", "type", "received_ms", "client_ms", "item_id", "value", "scale", "reason", "comment",
           "revision", "vote_key", "query", "results", "rank", "source", "channel", "page", "journey", "client")
JOURNEY_MS = 300_000  # longer than any journey: its start's jitter (< 60 s) and up to four steps (< 60 s each)
CLIENTS = 200_000  # distinct salted client hashes a journey's events carry (several journeys may share one)

MISSING_POOL = [
    ["delete account", "delete my account", "how do i delete my account", "deleting account", "Delete Account", "delte account"],
    ["dark mode", "how to turn on dark mode", "Dark Mode", "drak mode", "enable dark mode"],
    ["gift card", "gift cards", "redeem a gift card", "gift crad", "Gift Card"],
    ["student discount", "student discounts", "is there a student discount", "studnet discount"],
    ["keyboard shortcuts", "keyboard shortcut", "list of keyboard shortcuts", "keybaord shortcuts"],
    ["two factor authentication", "two factor authenticaton", "Two-Factor Authentication"],
]
FINDABILITY_POOL = [("reimbursement", "refund"), ("passcode", "password"), ("bill copy", "invoice"),
                    ("unsubscribe", "cancel"), ("parcel", "shipping")]
NOISE_WORDS = ["qwx", "zzkv", "plorb", "asdfgh", "hjkl", "xyzzy", "frobnicate", "quux", "blorp", "snark"]
REASONS = ["Didn't answer my question", "Out of date", "Hard to follow", "Something is broken"]
BAD_COMMENTS = ["The steps don't match what I see on screen.", "Still can't do it, the button isn't there.",
                "This is out of date since the redesign.", "Went round in circles, had to call support."]
GOOD_COMMENTS = ["Quick and clear, thanks!", "Exactly what I needed."]


@dataclass
class Truth:
    failing: list[str] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)  # topic → query variants
    findability: dict[str, str] = field(default_factory=dict)  # customer phrase → item id
    findability_partner: dict[str, str] = field(default_factory=dict)  # customer phrase → item's word
    fixed: str = ""  # an item bad before its current revision, good after
    noise: list[str] = field(default_factory=list)


def _vocabulary(catalogue) -> set[str]:
    out: set[str] = set()
    for item in catalogue.items():
        text = " ".join([item.title, getattr(item, "summary", ""), " ".join(item.keywords), " ".join(item.tags),
                         getattr(item, "body", "") or getattr(item, "answer", "")])
        out.update(stem(w) for w in words(text))
    return out


def plan(catalogue, seed: int = 7, *, failing: int = 3, missing: int = 3, findability: int = 1) -> Truth:
    rng = random.Random(seed)
    items = [i for i in catalogue.items() if getattr(i, "feedback", True) and not getattr(i, "draft", False)]
    vocab = _vocabulary(catalogue)
    truth = Truth()
    popular = items[: max(failing + 2, len(items) // 3)]  # popularity follows catalogue order (Zipf)
    articles = [i for i in popular if i.kind == "article"] or popular
    truth.failing = [i.id for i in rng.sample(articles, min(failing, len(articles)))]
    for topic in MISSING_POOL:
        head = [stem(w) for w in words(topic[0]) if w not in STOP_WORDS]
        if head and head[0] not in vocab and len(truth.missing) < missing:
            truth.missing[topic[0]] = topic
    for phrase, partner in FINDABILITY_POOL:
        if len(truth.findability) >= findability or any(stem(w) in vocab for w in words(phrase)):
            continue
        target = next((i for i in items if i.id not in truth.failing and partner in words(i.title)), None)
        if target is not None:
            truth.findability[phrase] = target.id
            truth.findability_partner[phrase] = partner
    rest = [i for i in articles if i.id not in truth.failing and i.id not in truth.findability.values()]
    truth.fixed = rest[0].id if rest else ""
    truth.noise = [f"{rng.choice(NOISE_WORDS)} {rng.choice(NOISE_WORDS)}{n}" for n in range(20)]
    return truth


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1:]
    if kind < 0.8:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i] + word[i:]


def item_query(rng: random.Random, item) -> str:
    content = [w for w in words(item.title) if w not in STOP_WORDS] or words(item.title)
    picked = content[: rng.choice((1, 2, 2, 3))] if len(content) > 1 else content
    if rng.random() < 0.3 and item.keywords:
        picked = words(rng.choice(item.keywords))
    if rng.random() < 0.05:
        j = rng.randrange(len(picked))
        picked = picked[:j] + [_typo(rng, picked[j])] + picked[j + 1:]
    text = " ".join(picked)
    if rng.random() < 0.15:
        text = "how do i " + text
    return text.capitalize() if rng.random() < 0.1 else text


class Simulator:
    def __init__(self, catalogue, truth: Truth, seed: int = 7, *, start_ms: int, days: int = 56,
                 baseline_unhelpful: float = 0.12, failing_unhelpful: float = 0.72, end_ms: int | None = None):
        """Journeys from ``start_ms`` over ``days`` days, or, with ``end_ms``, over the time up to
        it, every event before it (the README's traffic ends now: no event from the future)."""
        self.rng = random.Random(seed * 7919 + 1)
        self.items = [i for i in catalogue.items() if getattr(i, "feedback", True) and not getattr(i, "draft", False)]
        self.cum_weights = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(self.items))))
        self.truth, self.start_ms, self.days = truth, start_ms, days
        self.end_ms = end_ms
        self.base, self.bad = baseline_unhelpful, failing_unhelpful
        self.failing = set(truth.failing)
        self.by_id = {i.id: i for i in self.items}
        self.counter = 0
        self.seed = seed
        self.views: list[dict] = []  # one per page view the journeys imply (store.writer.count_views)

    def _view(self, item, ms: int) -> None:
        """The customer opens ``item``'s page (no random draw: the events stay as they were)."""
        self.views.append({"item_id": item.id, "received_ms": ms, "lang": getattr(item, "lang", "") or ""})

    def _id(self) -> str:
        self.counter += 1
        return f"sim{self.seed:04d}x{self.counter:012d}"

    def _row(self, kind: str, ms: int, journey, **cols) -> tuple:
        client = f"{zlib.crc32(journey.encode()) % CLIENTS:016x}" if journey else None  # none under DNT
        values = {"event_id": self._id(), "type": kind, "received_ms": ms, "client_ms": ms - 150, "journey": journey,
                  "client": client, "page": cols.pop("page", "/"), **cols}
        return tuple(values.get(c) for c in COLUMNS)

    def _unhelpful_p(self, item, ms: int) -> float:
        if item.id in self.failing:
            return self.bad
        if item.id == self.truth.fixed and ms < self.start_ms + int(self.days * 0.5 * DAY_MS):
            return self.bad
        return self.base

    def _revision(self, item, ms: int) -> str:
        if item.id == self.truth.fixed and ms < self.start_ms + int(self.days * 0.5 * DAY_MS):
            return "before-fix"
        return item.revision or "r1"

    def _vote(self, out: list, item, ms: int, journey) -> bool:
        rng = self.rng
        unhelpful = rng.random() < self._unhelpful_p(item, ms)
        reason = rng.choice(REASONS[:2] if item.id in self.failing else REASONS) if unhelpful and rng.random() < 0.7 else None
        comment = None
        if rng.random() < 0.15:
            comment = rng.choice(BAD_COMMENTS if unhelpful else GOOD_COMMENTS)
        key = f"k{self.counter:x}{rng.randrange(1 << 30):x}"
        out.append(self._row("vote", ms, journey, item_id=item.id, value=0 if unhelpful else 1, scale="helpful",
                             reason=reason, comment=comment, revision=self._revision(item, ms), vote_key=key,
                             source="widget", page="/" + getattr(item, "url", "")))
        if rng.random() < 0.03:  # changed their mind: the same key, the other answer, later
            out.append(self._row("vote", ms + 4000, journey, item_id=item.id, value=1 if unhelpful else 0,
                                 scale="helpful", revision=self._revision(item, ms), vote_key=key, source="widget"))
            unhelpful = not unhelpful
        return unhelpful

    def journey(self, ms: int) -> list[tuple]:
        rng, out = self.rng, []
        journey = f"j{self.counter:x}{rng.randrange(1 << 40):x}" if rng.random() < 0.92 else None
        kind = rng.random()
        step = lambda: rng.randrange(4000, 60000)  # noqa: E731
        if kind < 0.10 and self.truth.missing:
            topic = rng.choice(sorted(self.truth.missing))
            query = rng.choice(self.truth.missing[topic])
            results = 0 if rng.random() < 0.6 else rng.randrange(1, 4)
            out.append(self._row("search", ms, journey, query=query, results=results, source="header"))
            if rng.random() < 0.35:
                out.append(self._row("contact", ms + step(), journey, query=query, channel=rng.choice(["email", "chat"])))
            return out
        if kind < 0.14 and self.truth.findability:
            phrase = rng.choice(sorted(self.truth.findability))
            item = self.by_id[self.truth.findability[phrase]]
            out.append(self._row("search", ms, journey, query=rng.choice([phrase, phrase.capitalize()]), results=0))
            if rng.random() < 0.75:
                second = item_query(rng, item)
                ms += step()
                out.append(self._row("search", ms, journey, query=second, results=rng.randrange(1, 6)))
                ms += step()
                out.append(self._row("click", ms, journey, query=second, item_id=item.id, rank=1))
                self._view(item, ms)
                if rng.random() < 0.4:
                    self._vote(out, item, ms + step(), journey)
            return out
        if kind < 0.16:
            letters = "bcdfghjklmnpqrstvwxz"
            gibberish = "".join(rng.choice(letters) for _ in range(rng.randrange(4, 9)))
            query = rng.choice(self.truth.noise) if rng.random() < 0.3 else f"{gibberish} {rng.choice(NOISE_WORDS)}"
            out.append(self._row("search", ms, journey, query=query, results=0))
            return out
        item = rng.choices(self.items, cum_weights=self.cum_weights)[0]
        if kind < 0.45:  # arrives directly (from a link or by browsing) and maybe votes
            self._view(item, ms)
            if rng.random() < 0.6:
                unhelpful = self._vote(out, item, ms, journey)
                if unhelpful and rng.random() < 0.2:
                    out.append(self._row("contact", ms + step(), journey, item_id=item.id, channel="email"))
            return out
        query = item_query(rng, item)
        out.append(self._row("search", ms, journey, query=query, results=rng.randrange(1, 9), source="header"))
        if rng.random() < 0.12:
            return out  # results shown, nothing clicked
        ms += step()
        out.append(self._row("click", ms, journey, query=query, item_id=item.id, rank=rng.choice((1, 1, 1, 2, 3))))
        self._view(item, ms)
        if rng.random() < 0.55:
            ms += step()
            if self._vote(out, item, ms, journey) and rng.random() < 0.3:
                out.append(self._row("contact", ms + step(), journey, item_id=item.id, channel="chat"))
        return out

    def rows(self, journeys: int):
        first, span = self.start_ms, self.days * DAY_MS
        if self.end_ms is not None:  # the last journey ends before end_ms (a minute after midnight too)
            first = min(self.start_ms, self.end_ms - JOURNEY_MS)
            span = self.end_ms - JOURNEY_MS - first
        for n in range(journeys):
            ms = first + int(span * n / journeys) + self.rng.randrange(0, 60000)
            yield from self.journey(ms)


def simulate(catalogue, truth: Truth | None = None, *, seed: int = 7, start_ms: int, days: int = 56,
             journeys: int = 4000) -> tuple[Truth, list[tuple]]:
    truth = truth or plan(catalogue, seed)
    return truth, list(Simulator(catalogue, truth, seed, start_ms=start_ms, days=days).rows(journeys))


def insert_rows(engine, rows, batch: int = 50_000) -> int:
    """Bulk insert (executemany in big transactions)."""
    from carebase.store.schema import events

    count = 0
    buffer = []
    with engine.begin() as conn:
        for row in rows:
            buffer.append(dict(zip(COLUMNS, row)))
            if len(buffer) >= batch:
                conn.execute(events.insert(), buffer)
                count += len(buffer)
                buffer = []
        if buffer:
            conn.execute(events.insert(), buffer)
            count += len(buffer)
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", required=True)
    parser.add_argument("--db", default="sqlite:///feedback.db")
    parser.add_argument("--journeys", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=56)
    args = parser.parse_args(argv)
    import time

    from sqlalchemy import create_engine

    from carebase.content import load_catalogue
    from carebase.store.schema import metadata
    from carebase.store.writer import count_views

    catalogue = load_catalogue(args.content)
    engine = create_engine(args.db)
    metadata.create_all(engine)
    now = int(time.time() * 1000)
    # from the first of ``days`` whole days (the report's periods are whole days) to now: until
    # session 48 the last day was tomorrow, so up to a day of events came from the future
    start = (now // DAY_MS - args.days + 1) * DAY_MS
    truth = plan(catalogue, args.seed)
    simulator = Simulator(catalogue, truth, args.seed, start_ms=start, days=args.days, end_ms=now)
    written = insert_rows(engine, simulator.rows(args.journeys))
    with engine.begin() as conn:
        count_views(conn, simulator.views)
    print(f"{written} events and {len(simulator.views)} page views written to {args.db}; planted: {truth}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
