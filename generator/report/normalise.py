"""Explainable query normalisation: the rules that put customer queries into one cluster.

Steps, in order, each recorded so the report can say why two queries were grouped:

1. case and accent folding (``Réfund`` → ``refund``), punctuation to spaces;
2. synonym groups from ``synonyms.yml`` (``money back`` → ``refund``), longest phrase first;
3. stop words dropped (``how do i``, ``my``, ``the`` …);
4. typo folding: a word unknown to the content and rare among queries becomes a known
   word within a small edit distance (1 for 4–7 letters, 2 from 8 letters);
5. Porter stemming (``cancelling`` → ``cancel``).

The cluster key is the sorted set of the remaining stems.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from whoosh.lang.porter import stem as _porter

STOP_WORDS = frozenset("""
a about after all also am an and any are as at be been before being but by can cannot
could did do does doing done for from get gets getting got had has have having help how
i i'm if in into is it its just me my need needs of on or our please should so some
than that the their them then there these this those to too up us use using want was
way we were what when where which while who why will with would you your yours
""".split())

_TOKEN = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case, accents removed, anything not a letter or digit becomes a space."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_TOKEN.findall(stripped.casefold()))


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _porter(word)


def words(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOP_WORDS]


def damerau(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, giving up (limit + 1) once above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))} | {word}


def allowed_distance(word: str) -> int:
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


@dataclass
class Analysis:
    key: tuple[str, ...]
    steps: list[str] = field(default_factory=list)  # human-readable rules applied


class Normaliser:
    """Normalises queries against a content vocabulary and the synonym groups."""

    def __init__(self, synonyms: Iterable[Iterable[str]] = (), vocabulary: Iterable[str] = ()):
        self.phrases: list[tuple[str, str]] = []  # (folded phrase, canonical folded phrase)
        for group in synonyms:
            folded = [fold(p) for p in group if fold(p)]
            if len(folded) < 2:
                continue
            for phrase in folded[1:]:
                self.phrases.append((phrase, folded[0]))
        self.phrases.sort(key=lambda p: (-len(p[0]), p[0]))
        self._phrase_re = [(re.compile(rf"\b{re.escape(p)}\b"), p, c) for p, c in self.phrases]
        self.vocabulary: set[str] = set()
        for text in vocabulary:
            self.vocabulary.update(w for w in words(text) if w not in STOP_WORDS)
        self.corrections: dict[str, str] = {}

    # -- typo folding ------------------------------------------------------------------
    def learn(self, word_counts: Counter) -> None:
        """Fix typo corrections from the query words seen (with their volumes).

        A word is corrected when the content does not know it, a known word (in the content,
        or typed by customers 3+ times) lies within the allowed edit distance, and the word
        is rare (under 3 searches) or customers type the target at least twice as often
        (so "list" never becomes "lost"); the closest, then most frequent, target wins."""
        known = set(self.vocabulary)
        for word, count in word_counts.items():
            if count >= 3:
                known.add(word)
        index: dict[str, set[str]] = {}
        for word in known:
            if len(word) >= 3:
                for d in _deletes(word):
                    index.setdefault(d, set()).add(word)
        self.corrections = {}
        for word, count in word_counts.items():
            limit = allowed_distance(word)
            if not limit or word in self.vocabulary or any(ch.isdigit() for ch in word):
                continue
            candidates = set()
            for d in _deletes(word):
                candidates |= index.get(d, set())
            best = None
            for target in candidates:
                if target == word or stem(target) == stem(word):
                    continue
                if count >= 3 and word_counts.get(target, 0) < 2 * count:
                    continue  # customers type it often, and not much less than the target: a word of its own
                distance = damerau(word, target, limit)
                if distance > limit:
                    continue
                rank = (distance, target not in self.vocabulary, -word_counts.get(target, 0), target)
                if best is None or rank < best[0]:
                    best = (rank, target)
            if best:
                self.corrections[word] = best[1]

    # -- analysis ----------------------------------------------------------------------
    def synonym_text(self, folded: str) -> tuple[str, list[str]]:
        steps = []
        for pattern, phrase, canonical in self._phrase_re:
            if phrase in folded and pattern.search(folded):
                folded = pattern.sub(canonical, folded)
                steps.append(f"synonym: “{phrase}” → “{canonical}”")
        return folded, steps

    def analyse(self, query: str) -> Analysis:
        steps: list[str] = []
        folded = fold(query)
        if folded != query.strip():
            if folded != query.strip().lower():
                steps.append("accents and punctuation folded")
            elif query.strip() != query.strip().lower():
                steps.append("case folded")
        folded, synonym_steps = self.synonym_text(folded)
        steps += synonym_steps
        tokens = folded.split()
        kept = [t for t in tokens if t not in STOP_WORDS]
        dropped = [t for t in tokens if t in STOP_WORDS]
        if dropped and kept:
            steps.append("stop words dropped: " + ", ".join(dict.fromkeys(dropped)))
        else:
            kept = kept or tokens
        stems = []
        for token in kept:
            fixed = self.corrections.get(token, token)
            if fixed != token:
                steps.append(f"typo: “{token}” → “{fixed}”")
            root = stem(fixed)
            if root != fixed:
                steps.append(f"stem: “{fixed}” → “{root}”")
            stems.append(root)
        key = tuple(sorted(set(stems))) or (folded,)
        return Analysis(key, steps)

    def stems_of(self, text: str) -> set[str]:
        """The stems of a text after synonym folding (for coverage checks on items)."""
        folded, _ = self.synonym_text(fold(text))
        return {stem(t) for t in folded.split() if t not in STOP_WORDS}
