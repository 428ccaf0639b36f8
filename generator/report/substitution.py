"""Which word of the item a customer's word means: the evidence for a synonym pair.

A synonym group makes search treat its words as one everywhere, so the report offers the pair
(customer's word, item's word) only with evidence that the item's word *took the place* of the
customer's, not merely that it came up in the same journey:

* **a substitution**: the follow-up search keeps the rest of the first one (at least one word in
  common) and differs by exactly one word each way ("forgot passcode" → "forgot password":
  passcode ↔ password). The journeys show the swap itself;
* **a rephrase** ("passcode" → "forgot password", → "forgot"): every word the follow-up adds
  co-occurs with the customer's word, and the journeys cannot say which one replaced it. Of the
  item's words the rephrases added (each by enough journeys), the one closest in meaning to the
  customer's word (the search's embedding model, ``carebase.search.meaning``) is the pair, when
  at least ``MIN_MEANING`` alike; without a model, no pair from rephrases.

Before this rule, every item word a follow-up added was paired with every word of the first
search, and the item's rarest headline word won: the demo's simulated traffic ("passcode" →
"forgot password") wrote ``[forgot, passcode]`` beside ``[passcode, password]``, merged by
``suggestions apply`` into ``[forgot, passcode, password]``. ``MIN_MEANING``: on the simulated
traffic's five planted pairs (benchmarks/simulate_events.py ``FINDABILITY_POOL``: passcode ↔
password 0.61, reimbursement ↔ refund 0.57, bill ↔ invoice 0.51, parcel ↔ shipping 0.49,
unsubscribe ↔ cancel 0.45) against the words their rephrases add (forgot 0.15, reset 0.25,
request 0.15, money 0.38, track 0.27, plan 0.22): a small set, RESULTS "Gap report" session 32.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

MIN_MEANING = 0.4


def substitution(before: dict[str, str], after: dict[str, str]) -> tuple[str, str] | None:
    """(dropped stem, added stem) when ``after`` keeps at least one of ``before``'s words and
    swaps exactly one for one; else None. Both: stem → word of a search, as counted (stop
    words, digits and typos left out)."""
    if not set(before) & set(after):
        return None
    dropped = [s for s in before if s not in after]
    added = [s for s in after if s not in before]
    if len(dropped) != 1 or len(added) != 1:
        return None
    return dropped[0], added[0]


def _meaning():
    from carebase.search import meaning

    try:
        return meaning if meaning.available() else None
    except Exception:  # a broken model: no pairs from rephrases
        return None


@lru_cache(maxsize=20_000)
def _vector(text: str):
    return _meaning().embed_queries([text])[0]


def alike(a: str, b: str) -> float | None:
    """How alike in meaning two words (or short phrases) are (cosine), None without a model."""
    if _meaning() is None:
        return None
    return float(_vector(a.lower()) @ _vector(b.lower()))


def partner(word: str, swaps: Counter, added: Counter, *, least: int, follow_ups: int) -> str | None:
    """The item's word to pair with the customer's ``word``: the one most journeys swapped for
    it (``swaps``), else of the words rephrases added (``added``), the one most alike in meaning
    (at least ``MIN_MEANING``); each supported by enough journeys (counted by client): at least
    ``least`` and at least half of the ``follow_ups`` searched again. None: no pair."""

    def enough(n: int) -> bool:
        return n >= least and n >= 0.5 * follow_ups

    swapped = [(n, w) for w, n in swaps.items() if enough(n) and w != word]
    if swapped:
        return max(swapped)[1]
    scored = []
    for w, n in added.items():
        if not enough(n) or w == word:
            continue
        similarity = alike(word, w)
        if similarity is not None and similarity >= MIN_MEANING:
            scored.append((similarity, n, w))
    return max(scored)[2] if scored else None
