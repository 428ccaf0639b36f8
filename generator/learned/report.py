"""What the gap report shows of learned phrasings: per item, "customers reach this with: …"
and the words of those phrasings that its title, summary, keywords and tags lack (a typo of
one of their words is not lacking: search corrects it).

The same evidence and thresholds as the service (``journeys.py``, ``ties.py``), over the
report's current period, with the lead's blocks applied when the store has them. The
phrase shares also tell the keyword suggestions which words are chatty: a word most of
whose successful journeys reached *other* items is never pinned on one.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import inspect

from carebase.learned.blocks import Blocks, list_blocks
from carebase.learned.journeys import evidence
from carebase.learned.phrases import key_of, phrases, surface
from carebase.learned.ties import Thresholds, Tie, ties, wordings
from carebase.search.analysis import stems
from carebase.search.spelling import MIN_CORRECTED_LENGTH, distance, max_distance

MAX_PHRASES = 6
MIN_SHARE = 0.5
_WORD = re.compile(r"[^\W\d_]+")


class LearnedEvidence:
    def __init__(self, conn, since_ms: int, until_ms: int, thresholds: Thresholds = Thresholds(), *, found=None,
                 vocabulary=frozenset()):
        """``found``: the period's evidence when the caller has it (``journeys.evidence``).
        ``vocabulary``: the help centre's words (``blocks.catalogue_vocabulary``), never read as
        typos of a blocked word, as the service reads them (a set, or a function giving it)."""
        blocks = Blocks(list_blocks(conn), vocabulary) if inspect(conn).has_table("learned_blocks") else Blocks([])
        if found is None:
            found = evidence(conn, since_ms=since_ms, until_ms=until_ms)
        by_wording = blocks.keep(wordings(found))  # not kept: journeys' sets
        self.ties: list[Tie] = ties(by_wording, thresholds)
        self.by_item: dict[str, list[Tie]] = defaultdict(list)
        for tie in self.ties:
            self.by_item[tie.item_id].append(tie)
        pair: dict[tuple[str, str], set] = defaultdict(set)
        word: dict[str, set] = defaultdict(set)
        pair_who: dict[tuple[str, str], set] = defaultdict(set)
        word_who: dict[str, set] = defaultdict(set)
        per_item: dict[str, set] = defaultdict(set)
        for w in by_wording.values():
            per_item[w.item_id] |= w.journeys
            # by client: each client once (a wording's journeys without a client hash, each once)
            who = w.clients or {"journey " + j for j in w.journeys}
            for key in phrases(w.text, 1):
                pair[(key, w.item_id)] |= w.journeys
                word[key] |= w.journeys
                pair_who[(key, w.item_id)] |= who
                word_who[key] |= who
        self._pair = {k: len(v) for k, v in pair.items()}
        self._word = {k: len(v) for k, v in word.items()}
        self._pair_who = {k: len(v) for k, v in pair_who.items()}
        self._word_who = {k: len(v) for k, v in word_who.items()}
        self.item_journeys = {k: len(v) for k, v in per_item.items()}

    def share(self, word: str, item_id: str, by_client: bool = False) -> float | None:
        """Of the period's successful journeys whose wording held ``word``, the share that
        reached ``item_id`` (None: no successful journey used the word). ``by_client``: of
        the clients (each client once, so one client's journeys to other items cannot make a
        word chatty)."""
        key = key_of(word)
        pair, total = (self._pair_who, self._word_who) if by_client else (self._pair, self._word)
        if not key or key not in total:
            return None
        return pair.get((key, item_id), 0) / total[key]

    def rows(self, catalogue, headline_of, links, location, limit: int = 50) -> list[dict]:
        """Per item with kept ties, best supported first: the phrases customers reach it
        with, and the ones (specific to it) its headline lacks."""
        out = []
        for item_id, item_ties in self.by_item.items():
            item = catalogue.get(item_id)
            if item is None:
                continue
            headline = headline_of(item)
            head = set(stems(headline))
            reach = item_ties[:MAX_PHRASES]
            lacks = [t for t in item_ties if t.share >= MIN_SHARE and not set(t.key.split()) <= head
                     and not _misspelt_headline(t.phrase, head, headline)][:MAX_PHRASES]
            path, line, category = location(catalogue, item)
            out.append({
                "id": item.id, "kind": item.kind, "title": item.title, "category": category,
                "source": links.source(path, line),
                "journeys": self.item_journeys.get(item_id, 0),
                "reach_with": [{"phrase": t.phrase, "typed": surface(t.typed, t.key), "journeys": t.journeys, "clients": t.clients,
                                "share": round(t.share, 3)} for t in reach],
                "lacks": [t.phrase for t in lacks],
            })
        out.sort(key=lambda r: (-r["journeys"], r["id"]))
        return out[:limit]


def _misspelt_headline(phrase: str, head: set[str], headline: str) -> bool:
    """Whether every word of ``phrase`` is the headline's, or a typo of one of its words as
    search's spelling rule sees it (same first letter, within its edit distance, 4 letters or
    more): "crate" for *Create a Lumo account* is no word the item lacks (search corrects it),
    so it is not offered as a keyword."""
    words = {w for w in _WORD.findall(headline.lower()) if len(w) >= MIN_CORRECTED_LENGTH}
    for word in phrase.lower().split():
        if set(stems(word)) <= head:
            continue
        if len(word) < MIN_CORRECTED_LENGTH or not word.isalpha() or not any(
                w[0] == word[0] and distance(word, w) <= min(max_distance(word), max_distance(w)) for w in words):
            return False
    return True
