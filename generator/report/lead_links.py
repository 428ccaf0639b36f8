"""The lead's "same need" / "two needs" links (carebase.backlog.topic_links) applied to the
missing-content topics of one report, after the grouping and the topic ids, before the rows.

Links are applied oldest first: every "two" (a split) before every "same" (a join), so a row a
lead split and then joined elsewhere ends as said last. A row's links at its wordings ("two": a
wording of a second need; "same": a wording of the row's own need) are one split, made at its
first such link's turn: a lead can mark several wordings each way, and the more marked, the
cleaner the split (benchmarks/RESULTS.md, "Held-out topics: session 37"). A link whose rows are not in this
report (fewer failed searches this period, or content written) is listed as not applied, with
why; nothing else changes. Every row a link changed says so (``lead``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

from carebase.report import topics as topics_module
from carebase.report.topics import Topic


def _answers(topic: Topic, topic_id: str) -> bool:
    return topic.id == topic_id or any(p.id == topic_id for p in topic.parts)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def make_topic(members: list, vector: Callable) -> Topic:
    """A topic of ``members`` (wordings; ``vector(wording)`` its unit vector), as the grouping makes them."""
    members = sorted(members, key=lambda m: (-m.failed, m.key))
    return topics_module.make_topic(members, [vector(m) for m in members])


class Applied:
    def __init__(self):
        self.notes: dict[int, list[dict]] = {}  # id(topic) → what links did to it
        self.apart: list[tuple[str, str, int]] = []  # (topic id, topic id, link id): never repeats of each other
        self.links: list[dict] = []  # every link: applied or why not

    def note(self, topic: Topic, link, says: str) -> None:
        self.notes.setdefault(id(topic), []).append({"link": link.id, "kind": link.kind, "says": says})

    def result(self, link, applied: bool, why: str = "") -> None:
        self.links.append({**link.as_json(), "applied": applied, **({"why_not": why} if why else {})})


def apply(topics: list[Topic], links: list, vector: Callable, label: Callable[[Topic], str]) -> tuple[list[Topic], Applied]:
    """(the topics after the links, what was applied). ``vector(wording)``: its unit vector (zeros
    when it has none); ``label(topic)``: the row's label."""
    done = Applied()
    topics = list(topics)

    def find(topic_id: str):
        return next((t for t in topics if _answers(t, topic_id)), None)

    def carry(new: Topic, old: Topic) -> None:
        for n in done.notes.pop(id(old), []):
            done.notes.setdefault(id(new), []).append(n)

    # a row's "two" and "same" links at its wordings are one split, applied at its first link's turn
    at_wordings: dict[str, list] = {}
    for link in sorted((lk for lk in links if lk.wording is not None), key=lambda lk: lk.id):
        at_wordings.setdefault(link.topic_id, []).append(link)
    steps = sorted([(lk.id, [lk]) for lk in links if lk.kind == "two" and lk.wording is None]
                   + [(group[0].id, group) for group in at_wordings.values()], key=lambda step: step[0])
    for _, group in steps:
        row = find(group[0].topic_id)
        if row is None:
            for link in group:
                done.result(link, False, "the row is not in this report")
            continue
        if group[0].wording is None:
            link = group[0]
            other = find(link.other_id)
            if other is None:
                done.result(link, False, "the other row is not in this report")
            elif other is not row:
                done.apart.append((row.id, other.id, link.id))
                done.note(row, link, f"a different need from “{label(other)}”, says a lead")
                done.result(link, True)
            else:
                out = [p for p in row.parts if p.id == link.other_id]
                rest = [p for p in row.parts if p.id != link.other_id]
                whole = label(row)
                kept = rest[0] if len(rest) == 1 else make_topic([m for p in rest for m in p.members], vector)
                if len(rest) > 1:
                    kept.id, kept.parts = rest[0].id, rest
                carry(kept, row)
                topics[topics.index(row)] = kept
                topics.append(out[0])
                done.note(out[0], link, f"taken out of “{whole}” by a lead: a need of its own")
                done.note(kept, link, f"“{label(out[0])}” taken out by a lead: a need of its own")
                done.result(link, True)
            continue
        _split(topics, row, group, vector, label, done, carry)
    for link in sorted((lk for lk in links if lk.kind == "same" and lk.wording is None), key=lambda lk: lk.id):
        row, other = find(link.topic_id), find(link.other_id)
        if row is None or other is None:
            done.result(link, False, f"the {'row' if row is None else 'other row'} is not in this report")
            continue
        if row is other:
            done.result(link, False, "already one row")
            continue
        joined = make_topic(other.members + row.members, vector)
        joined.id, joined.parts = other.id, (other.parts or [other]) + (row.parts or [row])
        says = f"joined by a lead: “{label(row)}” is the same need"
        carry(joined, other)
        carry(joined, row)
        topics[topics.index(other)] = joined
        topics.remove(row)
        done.note(joined, link, says)
        done.result(link, True)
    topics.sort(key=lambda t: (-t.failed, -t.total("searches"), t.members[0].key))
    return topics, done


def _member(row: Topic, wording: str):
    wanted = _norm(wording)
    return next((m for m in row.members if _norm(m.label()) == wanted or any(_norm(q) == wanted for q in m.queries)), None)


def _centre(members: list, vector: Callable) -> np.ndarray:
    return topics_module.make_topic(members, [vector(m) for m in members]).centre


def _split(topics: list[Topic], row: Topic, group: list, vector: Callable, label: Callable, done: Applied,
           carry: Callable) -> None:
    """Row ``row`` split by a lead's links at its wordings (``group``, oldest first): the wordings
    of its "two" links are examples of a second need, those of its "same" links examples of the
    row's own need (none: the row's most typical wording); every other wording goes to the side
    whose examples' centre it is nearer in meaning. One "two" link alone splits as it always did
    (the wording against the most typical one). The new row's id comes from the first "two" link,
    so adding examples later keeps it (decisions stay attached)."""
    seeds = {}
    for link in group:
        m = _member(row, link.wording)
        if m is None or not vector(m).any():
            done.result(link, False, "the wording is not one of the row's (or the row has one wording)")
        else:
            seeds[link.id] = m
    second = [link for link in group if link.kind == "two" and link.id in seeds]
    own = [link for link in group if link.kind == "same" and link.id in seeds]
    examples_two = list({id(seeds[lk.id]): seeds[lk.id] for lk in second}.values())
    examples_own = [m for m in {id(seeds[lk.id]): seeds[lk.id] for lk in own}.values()
                    if all(m is not x for x in examples_two)]
    if not examples_two or len(row.members) < 2:
        for link in second + own:
            done.result(link, False, "no wording of a second need in this row (a 'two' link at one of its wordings)"
                        if not examples_two else "the row has one wording")
        return
    if not examples_own:
        first = row.medoid()
        if any(first is x for x in examples_two):
            s = vector(examples_two[0])
            rest = [m for m in row.members if all(m is not x for x in examples_two)]
            first = min(rest, key=lambda m: float(vector(m) @ s), default=None)
        if first is None:
            for link in second + own:
                done.result(link, False, "every wording of the row would leave it")
            return
        examples_own = [first]
    a, b = _centre(examples_two, vector), _centre(examples_own, vector)
    moved = [m for m in row.members if any(m is x for x in examples_two)
             or (all(m is not x for x in examples_own) and float(vector(m) @ a) > float(vector(m) @ b))]
    stay = [m for m in row.members if all(m is not x for x in moved)]
    whole = label(row)
    new, kept = make_topic(moved, vector), make_topic(stay, vector)
    kept.id = row.id
    new.id = "topic:" + hashlib.blake2b(f"{row.id}|{_norm(second[0].wording)}".encode(), digest_size=5).hexdigest()
    carry(kept, row)
    topics[topics.index(row)] = kept
    topics.append(new)
    at = "”, “".join(lk.wording for lk in second)
    more = f" (kept here: “{'”, “'.join(lk.wording for lk in own)}”)" if own else ""
    done.note(new, second[0], f"split by a lead from “{whole}” at “{at}”{more}: a need of its own")
    done.note(kept, second[0], f"“{at}” and the wordings nearer it split off by a lead: a need of its own")
    for link in second + own:
        done.result(link, True)
