"""A row's searches that journeys show to be another need: split off before the rows are labelled.

Meaning alone cannot tell two needs whose wordings are as close as one need's (BANKING77's "my
transfer failed" and "a transfer to that account was not allowed": benchmarks/RESULTS.md,
"Held-out topics"), so the grouping puts both in one row. The store sometimes can: customers of
one of them went on, in the same journey, to reach an item (``topic_evidence.reached_after``: a
click from another search, or a "Yes" vote after browsing), and customers of the other reached
nothing. When the row's journeys point at one item but too few of its failed searches to make
the whole row that item's (``EVIDENCE_SHARE``), the wordings whose journeys reached that item are
a need of their own: they are split off as one row (labelled as any row, from its own evidence:
usually findability of that item), and the rest is labelled from its own. The larger of the two
keeps the row's id (a lead's decision stays with most of its searches), the other gets one made
from that id and the item (the same in the next report).

The wordings taken out are those the item answers by the same rule, each on its own: their
journeys reached it most, and for at least ``EVIDENCE_SHARE`` of the wording's failed searches (a
wording searched often, from which a few journeys strayed to it, stays). A wording no journey
went on from says nothing itself (customers of either need may have left without a trace): it
joins the part whose centre it is nearer in meaning, the taken part's centre made of the wordings
the journeys took out, the rest's of the rest. Nothing is tuned here: the wordings taken
out must hold at least ``EVIDENCE_MIN`` journeys to the item, the thresholds that make a row
findability from journeys (``topic_evidence``). Journeys and failed searches are counted by
client, as there (``topic_evidence.reached_by``, ``missing.counted``): one client's journeys
from a wording of its own cannot split a row.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable

from carebase.report import topics as topics_module
from carebase.report.topic_evidence import EVIDENCE_MIN, EVIDENCE_SHARE, reached_by
from carebase.report.topics import Topic


def member_items(members, reached: dict[str, Counter]) -> Counter:
    """item id → journeys (counted by client) that reached it after a failed search of these wordings."""
    return reached_by([q for m in members for q in m.queries], reached)[0]


def _failed(members) -> int:
    return sum(m.failed for m in members)


def _top(items: Counter):
    return min(items.items(), key=lambda kv: (-kv[1], kv[0]))[0] if items else None


def split(topic: Topic, reached: dict[str, Counter], vector: Callable,
          counted: Callable = _failed) -> tuple[Topic, Topic, str] | None:
    """(the rest, the wordings whose journeys reached the item, the item id), or None when the
    row's journeys do not show a second need. ``vector(wording)``: its unit vector;
    ``counted(wordings)``: their failed searches counted by client (default: all). The larger
    of the two keeps the row's id."""
    if len(topic.members) < 2:
        return None
    per_member = [member_items([m], reached) for m in topic.members]
    total = member_items(topic.members, reached)
    item = _top(total)
    if item is None or total[item] < EVIDENCE_MIN or total[item] >= EVIDENCE_SHARE * counted(topic.members):
        return None  # too few journeys to say, or enough to make the whole row that item's
    theirs = [_top(items) == item and items[item] >= EVIDENCE_SHARE * counted([m])
              for m, items in zip(topic.members, per_member)]
    out = [m for m, mine in zip(topic.members, theirs) if mine]
    rest = [m for m, mine in zip(topic.members, theirs) if not mine]
    if not rest or member_items(out, reached)[item] < EVIDENCE_MIN:
        return None

    def make(members):
        return topics_module.make_topic(members, [vector(m) for m in members])

    kept, taken = make(rest), make(out)
    # a wording no journey went on from says nothing itself: it joins the part nearer in meaning
    silent = {id(m) for m, items in zip(topic.members, per_member) if not items}
    moving = [m for m in rest if id(m) in silent and float(vector(m) @ taken.centre) > float(vector(m) @ kept.centre)]
    if moving and len(moving) < len(rest):
        out = out + moving
        rest = [m for m in rest if all(m is not x for x in moving)]
        kept, taken = make(rest), make(out)
    larger, smaller = (kept, taken) if (kept.failed, len(kept.members)) >= (taken.failed, len(taken.members)) else (taken, kept)
    larger.id = topic.id  # a lead's decision on the row stays with most of its searches
    smaller.id = "topic:" + hashlib.blake2b(f"{topic.id}|reached|{item}".encode(), digest_size=5).hexdigest()
    return kept, taken, item


def apply(topics: list[Topic], reached: dict[str, Counter], vector: Callable,
          label: Callable[[Topic], str], keep=(), counted: Callable = _failed) -> tuple[list[Topic], dict[int, list[dict]]]:
    """(the topics with every such row split in two, largest first; id(topic) → what the split
    says, for both rows; the taken row's note names both rows' ids: two needs, never listed as
    likely repeats of each other). ``keep``: ids (``id(topic)``) of rows a lead's link made: as
    the lead said. ``counted``: as ``split``."""
    out: list[Topic] = []
    notes: dict[int, list[dict]] = {}
    for topic in topics:
        done = None if id(topic) in keep else split(topic, reached, vector, counted)
        if done is None:
            out.append(topic)
            continue
        kept, taken, item = done
        counted_by, journeys = reached_by([q for m in taken.members for q in m.queries], reached)
        n = (f"{journeys[item]}" if journeys[item] == counted_by[item]
             else f"{counted_by[item]} clients' ({journeys[item]})")  # one client's journeys count once
        notes[id(taken)] = [{"kind": "journeys", "item": item, "kept": kept.id, "taken": taken.id,
                             "says": f"split from “{label(topic)}”: {n} journeys went on from these wordings to reach "
                                     f"{item}, from the row's other wordings fewer: a need of its own"}]
        notes[id(kept)] = [{"kind": "journeys", "item": item,
                            "says": f"“{label(taken)}” split off: its journeys went on to reach {item}"}]
        out += [kept, taken]
    out.sort(key=lambda t: (-t.failed, -t.total("searches"), t.members[0].key))
    return out, notes
