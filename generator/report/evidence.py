"""Per-item evidence gathered from the aggregates, keyed by canonical item id.

Votes and clicks recorded under an alias (an old id or path) are folded into the item
they now belong to; ids the catalogue no longer knows are kept apart as "orphans".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from carebase.report.queries import CMP, CUR, VoteRow


@dataclass
class Counts:
    n: int = 0
    unhelpful: int = 0
    helpful: int = 0

    def add(self, n: int, unhelpful: int, helpful: int) -> None:
        self.n += n
        self.unhelpful += unhelpful
        self.helpful += helpful


@dataclass
class RevisionCounts(Counts):
    revision: str = ""
    first_ms: int = 0
    last_ms: int = 0


@dataclass
class ItemEvidence:
    item_id: str
    cur: Counts = field(default_factory=Counts)
    cmp: Counts = field(default_factory=Counts)
    revisions: dict[str, RevisionCounts] = field(default_factory=dict)
    clicks: int = 0
    clicks_cmp: int = 0
    contacts: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    capped: int = 0  # current-period votes beyond one client's share, not counted (queries.VOTES_PER_CLIENT)
    capped_clients: set = field(default_factory=set)


def gather(catalogue, vote_rows: list[VoteRow], traffic: dict, reasons: dict) -> tuple[dict[str, ItemEvidence], dict[str, Counts]]:
    """(evidence per catalogue item, vote counts on ids the catalogue does not know)."""
    evidence = {item.id: ItemEvidence(item.id) for item in catalogue.items()}
    orphans: dict[str, Counts] = {}

    def resolve(item_id: str) -> ItemEvidence | None:
        if item_id in evidence:
            return evidence[item_id]
        item = catalogue.get(item_id) if item_id else None
        return evidence.get(item.id) if item is not None else None

    for row in vote_rows:
        ev = resolve(row.item_id)
        if ev is None:
            if row.bucket == CUR:
                orphans.setdefault(row.item_id or "", Counts()).add(row.n, row.unhelpful, row.helpful)
            continue
        if row.bucket == CUR:
            ev.cur.add(row.n, row.unhelpful, row.helpful)
            ev.capped += row.capped
            ev.capped_clients |= row.capped_clients
        elif row.bucket == CMP:
            ev.cmp.add(row.n, row.unhelpful, row.helpful)
        rev = ev.revisions.setdefault(row.revision or "", RevisionCounts(revision=row.revision or "",
                                                                        first_ms=row.first_ms, last_ms=row.last_ms))
        rev.add(row.n, row.unhelpful, row.helpful)
        rev.first_ms = min(rev.first_ms, row.first_ms)
        rev.last_ms = max(rev.last_ms, row.last_ms)
    for item_id, counts in traffic.items():
        ev = resolve(item_id)
        if ev is None:
            continue
        ev.clicks += counts.get("clicks_cur", 0)
        ev.clicks_cmp += counts.get("clicks_cmp", 0)
        ev.contacts += counts.get("contacts_cur", 0)
    for item_id, by_reason in reasons.items():
        ev = resolve(item_id)
        if ev is None:
            continue
        for reason, count in by_reason.items():
            ev.reasons[reason] = ev.reasons.get(reason, 0) + count
    return evidence, orphans


BASELINE_CAP = 0.2


def pooled_rate(evidence: dict[str, ItemEvidence]) -> float:
    """The pooled unhelpful rate of the whole help centre in the current period."""
    n = sum(e.cur.n for e in evidence.values())
    return sum(e.cur.unhelpful for e in evidence.values()) / n if n else 0.0


def baseline(evidence: dict[str, ItemEvidence]) -> float:
    """What a typical page scores: the pooled rate, but never above 20 % (so a help centre
    where most pages fail still sees its worst pages ranked)."""
    return min(pooled_rate(evidence), BASELINE_CAP)
