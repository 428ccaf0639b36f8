"""Typo rules shared by search, the report and the client index: how many edits a word
may carry (``max_edits``) and the edit distance itself (Damerau–Levenshtein, optimal
string alignment: a swap of two neighbouring letters is one edit)."""

from __future__ import annotations


def max_edits(word: str, rule: tuple[tuple[int, int], ...]) -> int:
    """Edits allowed for a word of this length: the last (letters, edits) step it reaches."""
    allowed = 0
    for letters, edits in rule:
        if len(word) >= letters:
            allowed = edits
    return allowed


def distance(a: str, b: str, limit: int | None = None) -> int:
    """Optimal-string-alignment distance; with ``limit``, gives up (limit + 1) above it."""
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    older: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if older is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], older[j - 2] + 1)
        if limit is not None and min(current) > limit:
            return limit + 1
        older, previous = previous, current
    return previous[-1]


def deletes(word: str, depth: int) -> set[str]:
    """The word with up to ``depth`` letters deleted (the symmetric-delete lookup's keys)."""
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out
