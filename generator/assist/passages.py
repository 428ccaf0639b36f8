"""Passages: the parts of an item an answer can cite, each at its own URL.

* an **article**: its introduction (the summary and what comes before the first section),
  then one passage per section under its heading (``##``–``####``; a subsection is its own
  passage, its heading path kept), at the heading's anchor (``billing/refunds/#lumo-plus``);
* an **FAQ question**: its answer, at the question's anchor;
* a **video**: one passage per chapter with the transcript said during it, at ``#t=<s>``
  (without chapters: the transcript in ``WINDOW``-second spans; without a transcript: the
  summary).

Every passage keeps the Markdown as written (what a citation quotes and a Markdown twin
shows) and its plain text (what is matched and measured); nothing is added that the help
centre does not say.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from carebase.content.anchors import headings
from carebase.content.model import Article, FaqQuestion, Video
from carebase.pages.markup import clock
from carebase.search.records import markdown_text

SECTION_LEVELS = (2, 3, 4)  # headings that start a passage (the h1 is the article's title)
WINDOW = 60  # seconds of transcript per passage when a video has no chapters


@dataclass(frozen=True, slots=True)
class Passage:
    item_id: str
    kind: str  # article | faq | video
    title: str  # the item's title
    heading: str  # the section's heading path, the question, or the chapter ("" for an introduction)
    url: str  # relative to the site root, with the anchor or #t=
    markdown: str  # as written (a transcript span is its cues' text)
    text: str  # plain text
    start: float | None = None  # video: the span in seconds
    end: float | None = None

    @property
    def label(self) -> str:
        """What a citation calls it: 'Title › Heading' (and the time for a video)."""
        where = f"{self.title} › {self.heading}" if self.heading and self.heading != self.title else self.title
        return f"{where} ({clock(self.start)})" if self.start is not None else where


def passages(item) -> list[Passage]:
    if isinstance(item, Article):
        return article_passages(item)
    if isinstance(item, FaqQuestion):
        return [faq_passage(item)]
    if isinstance(item, Video):
        return video_passages(item)
    return []


def article_passages(article: Article) -> list[Passage]:
    lines = article.body.split("\n")
    marks = [h for h in headings(article.body) if h.level in SECTION_LEVELS]
    title_line = next((h.line for h in headings(article.body) if h.level == 1), None)
    out: list[Passage] = []
    intro_end = marks[0].line if marks else len(lines)
    intro = "\n".join(line for n, line in enumerate(lines[:intro_end]) if n != title_line and
                      not (title_line is not None and n == title_line + 1 and set(line.strip()) <= set("=")))
    intro_md = "\n\n".join(p for p in (article.summary, intro.strip()) if p)
    if intro_md:
        out.append(_passage(article, "", article.url, intro_md))
    path: list[tuple[int, str]] = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].line if i + 1 < len(marks) else len(lines)
        body = "\n".join(lines[mark.line + 1:end])
        if lines[mark.line + 1:mark.line + 2] and set(lines[mark.line + 1].strip()) <= set("=-") and lines[mark.line + 1].strip():
            body = "\n".join(lines[mark.line + 2:end])  # a setext heading's underline
        path = [p for p in path if p[0] < mark.level] + [(mark.level, markdown_text(mark.text) or mark.text)]
        if body.strip():
            out.append(_passage(article, " › ".join(t for _, t in path), f"{article.url}#{mark.anchor}", body.strip()))
    return out


def faq_passage(question: FaqQuestion) -> Passage:
    return _passage(question, question.question, question.url, question.answer.strip())


def video_passages(video: Video) -> list[Passage]:
    cues = sorted(video.transcript, key=lambda c: c.start)
    if not cues:
        return [_passage(video, "", video.url, video.summary)] if video.summary else []
    starts = [c.start for c in cues]
    chapters = sorted(video.chapters, key=lambda ch: ch.start)
    spans: list[tuple[str, float, float]] = []
    if chapters:
        for i, ch in enumerate(chapters):
            end = chapters[i + 1].start if i + 1 < len(chapters) else max(video.duration, cues[-1].end)
            spans.append((ch.title, ch.start, end))
    else:
        last = max(video.duration, cues[-1].end)
        spans = [("", s, min(s + WINDOW, last)) for s in range(0, int(last) + 1, WINDOW) if s < last]
    out = []
    for heading, start, end in spans:
        said = " ".join(c.text for c in cues[bisect_left(starts, start):bisect_left(starts, end)])
        if said.strip():
            out.append(_passage(video, heading, f"{video.url}#t={int(start)}", said, start=start, end=end))
    return out


def _passage(item, heading: str, url: str, markdown: str, **span) -> Passage:
    return Passage(item.id, item.kind, item.title, heading, url, markdown, markdown_text(markdown), **span)
