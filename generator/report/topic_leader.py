"""The leader pass of ``topics.group`` and its reassignment, on meaning alone or on meaning and words.

Wordings are compared on unit rows: their meaning (embeddings, or lexical vectors) or, with
``words`` and a weight w, the blend whose cosine is (1 − w) × cos(meaning) + w × cos(words)
(``topics.with_words``). The blend is never built as one 1,408-dimension row per wording: a
wording holds a few stems, so its words part has a few non-zero buckets out of 1,024, and a
topic's similarity to it is its meaning part's product plus the topic's words sum read at
those few buckets (``Blend``). The result is the blended rows' leader pass, with the same
float32 arithmetic on the same numbers in another order (the paired check in
benchmarks/search/topic_words_calibration.py compares the groupings).

Topics are kept as unnormalised weighted sums and their norms: a wording's cosine to a
topic's centre is (sum · wording) / ‖sum‖.
"""

from __future__ import annotations

import math

import numpy as np

class Dense:
    """Unit rows compared as they are (meaning only)."""

    def __init__(self, vectors: np.ndarray):
        self.vectors = vectors.astype(np.float32, copy=False)
        self.present = self.vectors.any(axis=1)

    def start(self, capacity: int) -> None:
        self.sums = np.zeros((capacity, self.vectors.shape[1]), dtype=np.float32)

    def dots(self, k: int, i: int) -> np.ndarray:
        return self.sums[:k] @ self.vectors[i]

    def add(self, j: int, i: int, weight: float) -> float:
        self.sums[j] += weight * self.vectors[i]
        return float(self.sums[j] @ self.sums[j])

    def all_dots(self, rows: list[int], k: int) -> np.ndarray:
        return self.vectors[rows] @ self.sums[:k].T


class Blend:
    """Meaning and words, with the words part sparse (see the module docstring)."""

    def __init__(self, meaning: np.ndarray, words: np.ndarray, weight: float):
        meaning = meaning.astype(np.float32, copy=False)
        self.present = meaning.any(axis=1)
        words = words * self.present[:, None]
        a, b = math.sqrt(1 - weight), math.sqrt(weight)
        norms = np.sqrt(a * a * np.einsum("ij,ij->i", meaning, meaning) + b * b * np.einsum("ij,ij->i", words, words))
        norms[norms == 0] = 1.0
        self.meaning = (a * meaning / norms[:, None]).astype(np.float32)
        rows, cols = np.nonzero(words)
        self.cols = cols
        self.vals = (b * words[rows, cols] / norms[rows]).astype(np.float32)
        self.indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(words)))])
        self.width = words.shape[1]

    def _words(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.cols[lo:hi], self.vals[lo:hi]

    def start(self, capacity: int) -> None:
        self.sums = np.zeros((capacity, self.meaning.shape[1]), dtype=np.float32)
        self.word_sums = np.zeros((self.width, capacity), dtype=np.float32)  # bucket × topic: a bucket's row is contiguous
        self.word_norms = np.zeros(capacity, dtype=np.float64)

    def dots(self, k: int, i: int) -> np.ndarray:
        cols, vals = self._words(i)
        return self.sums[:k] @ self.meaning[i] + vals @ self.word_sums[cols, :k]

    def add(self, j: int, i: int, weight: float) -> float:
        cols, vals = self._words(i)
        self.sums[j] += weight * self.meaning[i]
        before = self.word_sums[cols, j]
        after = before + weight * vals
        self.word_sums[cols, j] = after
        self.word_norms[j] += float(after @ after - before @ before)  # ‖words sum‖²: only these buckets changed
        return float(self.sums[j] @ self.sums[j]) + self.word_norms[j]

    def all_dots(self, rows: list[int], k: int) -> np.ndarray:
        """Every listed wording against the first ``k`` topics: the meaning part as one product,
        the words part bucket by bucket (each bucket's wordings get its row of topic sums)."""
        out = self.meaning[rows] @ self.sums[:k].T
        rows = np.asarray(rows, dtype=np.int64)
        counts = self.indptr[rows + 1] - self.indptr[rows]
        if not counts.any():
            return out
        owner = np.repeat(np.arange(len(rows)), counts)
        spans = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(self.indptr[rows], counts)
        order = np.argsort(self.cols[spans], kind="stable")
        cols, vals, owner = self.cols[spans][order], self.vals[spans][order], owner[order]
        bounds = np.flatnonzero(np.diff(cols)) + 1
        for lo, hi in zip(np.concatenate([[0], bounds]), np.concatenate([bounds, [len(cols)]])):
            out[owner[lo:hi]] += vals[lo:hi, None] * self.word_sums[cols[lo], :k]
        return out


def leader(space, head: list[int], tail: list[int], weights: np.ndarray, threshold: float):
    """(members: topic number → wording positions, wordings of the tail left out) — the leader
    pass over ``head`` (most failed first), one reassignment pass against the final centres,
    and the tail joined to the most similar centre if at least ``threshold``."""
    space.start(len(head))
    norms = np.zeros(len(head), dtype=np.float32)
    k = 0
    assignment: dict[int, int] = {}
    for i in head:
        if k and space.present[i]:
            sims = space.dots(k, i) / norms[:k]
            j = int(np.argmax(sims))
            if sims[j] >= threshold:
                norms[j] = math.sqrt(space.add(j, i, float(weights[i]))) or 1.0
                assignment[i] = j
                continue
        norms[k] = math.sqrt(space.add(k, i, float(weights[i]))) or 1.0
        assignment[i] = k
        k += 1
    members: dict[int, list[int]] = {}
    sims = space.all_dots(head, k) / norms[:k]
    for row, i in enumerate(head):
        j = int(np.argmax(sims[row]))
        if sims[row, j] < threshold or not space.present[i]:
            j = assignment[i]
        members.setdefault(j, []).append(i)
    return members, join_tail(space, tail, norms[:k], threshold, members)


def join_tail(space, tail: list[int], scale: np.ndarray, threshold: float, members: dict[int, list[int]]) -> list[int]:
    """Each wording of ``tail`` joins (in ``members``) the most similar of the first
    ``len(scale)`` topics (similarity: dot with the topic's sum / its ``scale``) when that is at
    least ``threshold``; the wordings that join none are given back."""
    left = []
    if tail:
        tail_sims = space.all_dots(tail, len(scale)) / scale
        for row, i in enumerate(tail):
            j = int(np.argmax(tail_sims[row]))
            if tail_sims[row, j] >= threshold and space.present[i]:
                members.setdefault(j, []).append(i)
            else:
                left.append(i)
    return left
