"""How many distinct clients a set of client identities proves (one rule for ties, the
nearest-wording vote and the blocks' widely-used words): its own module, so that ``blocks``,
which ``ties`` imports, counts clients as ``ties`` does without importing it."""

from __future__ import annotations

from collections import defaultdict


def proven_clients(clients) -> int:
    """How many distinct clients a set of client identities ((epoch, hash), as
    ``journeys.Evidence.client``) proves: the most distinct hashes within one epoch (the rows
    stored before migration 0011, epoch None, are one group)."""
    if len(clients) < 2:
        return len(clients)
    per_epoch: dict = defaultdict(set)
    for epoch, digest in clients:
        per_epoch[epoch].add(digest)
    return max(len(hashes) for hashes in per_epoch.values())
