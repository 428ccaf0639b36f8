"""Answers for assistants: the best passages for a question, cited, with a confidence.

Extractive and grounded: an answer is passages of the help centre as written (``passages``),
never generated text. The items come from **the search API's own ranking**
(``carebase.learned.ranking.search``: BM25F fused with meaning, and with the learned
phrasings when the service learns), so an assistant and the search box agree:

1. search ranks the items for the question (``CANDIDATES`` of them);
2. in each of the best items the passage that holds most of the question's words (each
   weighted by how rare it is among those passages, a heading match counting more) is
   chosen; a video chapter found by search is its own passage; an item none of whose
   passages holds a word of the question gives its first passage;
3. the **confidence** (``confidence.py``) says how sure the first citation answers it; below
   the threshold the answer is an honest "no answer" (the passages found are still listed
   as ``related``, never as the answer).

The first citation is the top item's passage; up to ``limit`` citations follow from the
next strong matches whose score is at least ``ALSO_SHARE`` of the top one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from carebase.assist.confidence import Confidence, confidence
from carebase.assist.passages import Passage, passages
from carebase.assist.separable import joined_clauses
from carebase.search.analysis import stems

CANDIDATES = 5  # items search ranks for a question
ALSO_SHARE = 0.5  # a further citation's score against the top one's
MAX_CHARS = 1500  # a cited passage longer than this is cut to its best paragraphs
HEADING_BONUS = 0.5  # a question word in the passage's heading counts this much more
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class Citation:
    id: str  # the item id
    kind: str
    title: str
    url: str  # relative to the site root, with the section's anchor or #t=
    heading: str
    passage: str  # the cited Markdown, as written ("…" where a long passage was cut)
    text: str  # the same as plain text
    start: float | None = None
    end: float | None = None

    def as_dict(self, base_url: str = "") -> dict:
        out = {"id": self.id, "kind": self.kind, "title": self.title, "url": base_url + self.url,
               "heading": self.heading, "passage": self.passage, "paragraphs": paragraphs(self.passage)}
        if self.start is not None:
            out.update(start=round(self.start, 1), end=round(self.end or self.start, 1))
        return out


@dataclass
class Answer:
    question: str
    answered: bool
    confidence: float
    citations: list[Citation] = field(default_factory=list)  # the answer (empty when not answered)
    related: list[Citation] = field(default_factory=list)  # what search found when there is no answer
    suggestion: str | None = None  # search's "did you mean"
    why: str = ""  # one sentence: how sure, and why
    sure: Confidence | None = None  # the signals behind the confidence (benchmarks read them)

    @property
    def cited_ids(self) -> list[str]:
        return list(dict.fromkeys(c.id for c in self.citations))


class Answerer:
    """Answers from one searcher and the catalogue it indexes (both shared between threads)."""

    def __init__(self, searcher, catalogue, *, threshold: float | None = None, second: dict | None = None):
        self.searcher = searcher
        self.catalogue = catalogue
        self.threshold = threshold
        self.second = second
        self._passages = lru_cache(maxsize=4096)(self._item_passages)
        # the searcher's own analyser (German stems on German pages), as the question's clauses
        self.analyser = getattr(searcher, "analyser", None)

    def _stems(self, text: str) -> tuple[str, ...]:
        return stems(text, self.analyser) if self.analyser is not None else stems(text)

    def _item_passages(self, item_id: str) -> tuple[tuple[Passage, frozenset, frozenset], ...]:
        item = self.catalogue.get(item_id)
        if item is None:
            return ()
        return tuple((p, frozenset(self._stems(p.text)), frozenset(self._stems(p.heading))) for p in passages(item))

    def answer(self, question: str, *, learned=None, limit: int = 3) -> Answer:
        from carebase.learned.ranking import search

        results = search(self.searcher, learned, question, limit=CANDIDATES, snippets=False)
        hits = _distinct(results.hits)
        if not hits:
            return Answer(question, False, 0.0, suggestion=results.suggestion,
                          why="search found no item for this question")
        found = results.clauses or self.searcher.build_query(question)[1]
        if self.analyser is not None:  # a German separated verb, as the box reads it
            found = joined_clauses(question, found, self.analyser)
        clauses = _alternatives(found)
        words = [c.word for c in found if c.alternatives]
        verbs = frozenset(n for n, c in enumerate(c for c in found if c.alternatives) if getattr(c, "verb", False))
        chosen = [(h, self._best(h, clauses)) for h in hits]
        chosen = [(h, p) for h, p in chosen if p is not None]
        if not chosen:
            return Answer(question, False, 0.0, suggestion=results.suggestion,
                          why="the items search found have no text to cite")
        top_hit, top_passage = chosen[0]
        runner_up = next((h for h in hits if h.id != top_hit.id), None)
        sure: Confidence = confidence(self.searcher, question, results, top_hit, clauses, self._item_stems(top_hit.id),
                                      threshold=self.threshold, runner_up=runner_up, second=self.second,
                                      head_stems=self._head_stems(top_hit.id), words=words, verbs=verbs)
        cited = [_cite(top_passage, clauses, self._stems)]
        for hit, passage in chosen[1:]:
            if len(cited) >= limit:
                break
            if hit.strong and hit.score >= ALSO_SHARE * top_hit.score:
                cited.append(_cite(passage, clauses, self._stems))
        if sure.answered:
            return Answer(question, True, sure.value, cited, suggestion=results.suggestion, why=sure.why, sure=sure)
        return Answer(question, False, sure.value, related=cited, suggestion=results.suggestion, why=sure.why,
                      sure=sure)

    # -- choosing the passage ------------------------------------------------------------
    def _clauses(self, question: str) -> list[dict[tuple[str, ...], float]]:
        """Each query word's alternatives (as typed, corrected, synonyms) with their weights."""
        _, clauses = self.searcher.build_query(question)
        return _alternatives(clauses)

    def _head_stems(self, item_id: str) -> frozenset:
        """What the item is about: its title (an FAQ's question), keywords and tags."""
        item = self.catalogue.get(item_id)
        return frozenset(self._stems(" ".join([item.title, *getattr(item, "keywords", ()), *getattr(item, "tags", ())]))) \
            if item is not None else frozenset()

    def _item_stems(self, item_id: str) -> frozenset:
        found = self._passages(item_id)
        head = self._head_stems(item_id)
        return head.union(*(s for _, s, _ in found)) if found else head

    def _best(self, hit, clauses) -> Passage | None:
        found = self._passages(hit.id)
        if not found:
            return None
        if "#t=" in hit.key:  # search found this chapter of the video: cite it
            start = hit.key.rsplit("#t=", 1)[1]
            for p, _, _ in found:
                if p.url.endswith(f"#t={start}"):
                    return p
        if len(found) == 1 or not clauses:
            return found[0][0]
        n = len(found)
        best, best_score = found[0][0], 0.0
        for p, body, head in found:
            score = 0.0
            for alternatives in clauses:
                gain = 0.0
                for alt, weight in alternatives.items():
                    df = sum(1 for _, b, h in found if set(alt) <= b or set(alt) <= h)
                    if not df:
                        continue
                    idf = math.log(1 + n / df)
                    in_body, in_head = set(alt) <= body, set(alt) <= head
                    if in_body or in_head:
                        gain = max(gain, weight * idf * (1 + HEADING_BONUS * in_head))
                score += gain
            if score > best_score:
                best, best_score = p, score
        return best


def _alternatives(clauses) -> list[dict[tuple[str, ...], float]]:
    return [dict(c.alternatives) for c in clauses if c.alternatives]


def _distinct(hits) -> list:
    """One hit per item (a video's chapters share its id: the best stands for it)."""
    seen, out = set(), []
    for h in hits:
        if h.id not in seen:
            seen.add(h.id)
            out.append(h)
    return out


def _cite(p: Passage, clauses, stemmer=stems) -> Citation:
    markdown = p.markdown
    if len(markdown) > MAX_CHARS:
        markdown = _cut(markdown, {s for alts in clauses for alt in alts for s in alt}, stemmer)
    text = p.text if markdown == p.markdown else _plain(markdown)
    return Citation(p.item_id, p.kind, p.title, p.url, p.heading, markdown, text, p.start, p.end)


def _plain(markdown: str) -> str:
    from carebase.search.records import markdown_text

    return markdown_text(markdown)


_RULE = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")  # a table's |---|:--:| line


def paragraphs(markdown: str) -> list[str]:
    """A cited passage as plain paragraphs, what a page shows as text (the site's Ask box): each
    paragraph's plain text on one line (``markdown_text``: no markup, an admonition's marker
    left out) and a table's rows each a paragraph ("Setting — What to do."; its header row left
    out), never the Markdown's pipes and rules."""
    out = []
    for block in _BLANK_LINE.split(markdown):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        text = _plain(block)
        if all(line.lstrip().startswith("|") for line in lines):
            rows = text.split("\n")
            # the header row names the columns; read as a sentence first ("Situation —
            # Refund.") it was no part of the answer (session 40's audit, de/ "Rückerstattung")
            if len(lines) > 1 and _RULE.match(lines[1]) and len(rows) > 1:
                rows = rows[1:]
            out.extend(rows)
        else:
            out.append(" ".join(text.split("\n")))
    return [p for p in out if p]


def _cut(markdown: str, wanted: set[str], stemmer=stems) -> str:
    """The paragraphs of a long passage from the one holding most query words on, up to
    ``MAX_CHARS``, with "…" where text was left out (whole paragraphs only: no sentence is
    cut, so nothing is quoted out of its words)."""
    paragraphs = [p for p in markdown.split("\n\n") if p.strip()]
    scores = [len(wanted & set(stemmer(p))) for p in paragraphs]
    start = max(range(len(paragraphs)), key=lambda i: (scores[i], -i)) if paragraphs else 0
    kept, size = [], 0
    for p in paragraphs[start:]:
        if kept and size + len(p) > MAX_CHARS:
            break
        kept.append(p)
        size += len(p) + 2
    out = "\n\n".join(kept)
    if start > 0:
        out = "…\n\n" + out
    if start + len(kept) < len(paragraphs):
        out += "\n\n…"
    return out
