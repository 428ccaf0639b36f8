"""Learned ties: a word or short phrase tied to an item by enough distinct journeys and clients.

From the evidence (``journeys.evidence``), every phrase of a wording (``phrases.py``) is
tied to the item the journey reached. A tie is **kept** when at least ``min_journeys``
distinct journeys from at least ``min_clients`` distinct clients support it (defaults 3
and 2) and no lead blocked it. Journeys whose events carry no client hash (stored before
migration 0003) count as journeys but never as a client, so they cannot make a tie alone.

**Distinct clients are counted within one salt epoch** (``proven_clients``). The client hash's
salt is random, in memory only, and new every UTC day, at every restart and on every instance
of the service, so one address has one hash per epoch: two hashes of two epochs may be one
client. A set of clients counts as the largest number of distinct hashes in one epoch (a lower
bound). Hashes stored before migration 0011 carry no epoch: they are one group of their own, so
they count as they did before (every row stored since has its epoch, and the learning window
ends their part within ``window_days``). Journeys count across epochs: three journeys of one
client on three days are three journeys, of one client.

``share`` is how specific the phrase is to the item: the share of the journeys whose
wording held the phrase and reached any item that reached this one. Every tie can be
shown: its journeys, clients and the wordings behind it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from carebase.learned.blocks import Blocks
from carebase.learned.clients import proven_clients
from carebase.learned.journeys import Evidence
from carebase.learned.phrases import clean, normalise, phrases

MIN_JOURNEYS = 3
MIN_CLIENTS = 2
SAMPLE_WORDINGS = 5


@dataclass(frozen=True)
class Thresholds:
    min_journeys: int = MIN_JOURNEYS
    min_clients: int = MIN_CLIENTS

    def __post_init__(self) -> None:
        if self.min_journeys < 1 or self.min_clients < 1:
            raise ValueError(f"learned thresholds: expected at least 1 journey and 1 client, "
                             f"found {self.min_journeys} and {self.min_clients}")

    def met(self, journeys: int, clients: int) -> bool:
        return journeys >= self.min_journeys and clients >= self.min_clients


@dataclass
class Wording:
    """One logged wording (normalised) tied to one item, with who supports it."""
    text: str
    item_id: str
    journeys: set = field(default_factory=set)
    clients: set = field(default_factory=set)  # client identities: (epoch, hash)
    last_ms: int = 0
    typed: Counter = field(default_factory=Counter)  # its forms as typed (masked, case kept) → journeys

    @property
    def client_count(self) -> int:
        """The distinct clients its clients prove (``proven_clients``)."""
        return proven_clients(self.clients)


@dataclass(frozen=True)
class Tie:
    phrase: str  # the words, as customers typed them most often
    key: str  # their stems
    item_id: str
    journeys: int
    clients: int
    share: float
    wordings: tuple[str, ...]  # the most frequent wordings behind it (at most SAMPLE_WORDINGS)
    #: the most frequent wording holding it as customers typed it (masked, case and stop words
    #: kept: "turn on two-step verification" where ``phrase`` reads "turn two"), what the report
    #: shows; the key stays what search matches on. "" in evidence kept before session 44.
    typed: str = ""

    def as_json(self) -> dict:
        return {"phrase": self.phrase, "key": self.key, "item": self.item_id, "journeys": self.journeys,
                "clients": self.clients, "share": round(self.share, 3), "wordings": list(self.wordings)}


def wordings(evidence: Iterable[Evidence]) -> dict[tuple[str, str], Wording]:
    """(normalised wording, item) → its journeys and clients."""
    out: dict[tuple[str, str], Wording] = {}
    for ev in evidence:
        text = normalise(ev.wording)
        if not text:
            continue
        w = out.get((text, ev.item_id))
        if w is None:
            w = out[(text, ev.item_id)] = Wording(text, ev.item_id)
        if ev.journey not in w.journeys:
            w.typed[" ".join(clean(ev.wording).split())] += 1
        w.journeys.add(ev.journey)
        if ev.client:
            w.clients.add(ev.client)
        w.last_ms = max(w.last_ms, ev.at_ms)
    return out


def ties(by_wording: dict[tuple[str, str], Wording], thresholds: Thresholds = Thresholds(),
         blocks: Blocks | None = None) -> list[Tie]:
    """Every kept tie, best supported first: by distinct clients, then journeys (one client's
    journeys, however many, never put its phrase above one more customers used). ``blocks``:
    the wordings holding a blocked phrase teach nothing (``Blocks.keep``, when the caller has
    not applied it already)."""
    if blocks:
        by_wording = blocks.keep(by_wording)
    journeys: dict[tuple[str, str], set] = defaultdict(set)
    clients: dict[tuple[str, str], set] = defaultdict(set)
    forms: dict[str, Counter] = defaultdict(Counter)
    samples: dict[tuple[str, str], Counter] = defaultdict(Counter)
    typed: dict[tuple[str, str], Counter] = defaultdict(Counter)
    per_phrase: dict[str, set] = defaultdict(set)
    for w in by_wording.values():
        for key, text in phrases(w.text).items():
            pair = (key, w.item_id)
            journeys[pair] |= w.journeys
            clients[pair] |= w.clients
            forms[key][text] += len(w.journeys)
            samples[pair][w.text] += len(w.journeys)
            typed[pair].update(w.typed)
            per_phrase[key] |= w.journeys
    out = []
    for (key, item), js in journeys.items():
        if len(js) < thresholds.min_journeys:
            continue
        proven = proven_clients(clients[(key, item)])
        if not thresholds.met(len(js), proven):
            continue
        text = min(forms[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        top = [t for t, _ in sorted(samples[(key, item)].items(), key=lambda kv: (-kv[1], kv[0]))[:SAMPLE_WORDINGS]]
        surface = min(typed[(key, item)].items(), key=lambda kv: (-kv[1], kv[0]))[0] if typed[(key, item)] else ""
        out.append(Tie(text, key, item, len(js), proven, len(js) / len(per_phrase[key]), tuple(top), surface))
    out.sort(key=lambda t: (-t.clients, -t.journeys, t.key, t.item_id))
    return out
