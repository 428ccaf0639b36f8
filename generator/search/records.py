"""Catalogue → flat search records: one per article, FAQ question, video and video chapter."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterator

from carebase.content.fences import heading_text, unfenced_lines
from carebase.content.model import Article, Catalogue, FaqGroup, Video


@dataclass(frozen=True, slots=True)
class Record:
    key: str  # unique in the index: the item id, plus "#t=N" for a chapter
    id: str  # the item id votes and clicks key on
    kind: str  # article | faq | video (chapters are video records)
    title: str
    url: str
    body: str = ""
    keywords: str = ""
    headings: str = ""
    summary: str = ""
    category: str = ""
    start: int = -1  # chapter start in seconds
    #: a translation's source's words (its title and keywords in the default language, without
    #: that language's stop words): a German page is found by the English product words its
    #: source uses ("factory reset", "wifi"); "" in the default language (``with_source``)
    source: str = ""

    def text(self) -> str:
        """All searchable text, for more-like-this and embeddings."""
        return "\n".join(
            p for p in (self.title, self.keywords, self.headings, self.summary, self.body) if p
        )


# Every pattern here is linear in the text: no two quantifiers can split the same run of
# characters, and none crosses a line end where a line is meant (a writer's 5 MB article,
# or one made to be slow, costs time in proportion to its size).
_FENCE = re.compile(r"^(```|~~~).*$", re.M)
_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_LINK = re.compile(r"\[([^\[\]\n]+)\]\((?:[^()\n]|\([^()\n]*\))*\)")
_REF_LINK = re.compile(r"\[([^\[\]\n]+)\]\[[^\[\]\n]*\]")
_TAG = re.compile(r"<[^<>]+>")
_ATTR_LIST = re.compile(r"\{[:#.][^{}\n]*\}")
# Markup removed from each line (after headings and table rules): first, at the line's start
# unless the line starts with one of the inline marks, a quote, list or number marker, or a
# whole admonition (!!!) or details (???) line; then the inline marks ** __ * ` anywhere.
# The same result as one multi-line pattern of all nine alternatives, which the regex engine
# tried at every character of every record.
_LINE_MARK = re.compile(r"[ \t]{0,3}>[ \t]?|[ \t]*[-+*][ \t]+|[ \t]*\d+\.[ \t]+|!!!.*|\?\?\?.*")
_INLINE_FIRST = ("*", "__", "`")
_TABLE_RULE = frozenset("-:| \t")
_SPACES = re.compile(r"[ \t]+")


def _unmarked(line: str) -> str:
    if not line.startswith(_INLINE_FIRST):
        found = _LINE_MARK.match(line)
        if found:
            line = line[found.end():]
    if "__" in line:
        line = line.replace("__", "")
    if "*" in line:
        line = line.replace("*", "")
    return line.replace("`", "") if "`" in line else line


def _is_table_rule(line: str) -> bool:
    return "|" in line and "-" in line and not set(line) - _TABLE_RULE


def _table_rows(lines: list[str]) -> set[int]:
    """Indices of the rows of Markdown tables: the lines with a "|" next to a table's rule line
    (above it: its header; below it: its rows, up to the first line without one)."""
    rows: set[int] = set()
    for step, order in ((1, range(len(lines))), (-1, range(len(lines) - 1, -1, -1))):
        inside = False
        for i in order:
            line = lines[i]
            if _is_table_rule(line):
                inside = True
            elif inside and "|" in line:
                rows.add(i)
            else:
                inside = False
    return rows


def _sentence(text: str) -> str:
    """``text`` with a full stop unless it ends with one or another mark that ends a phrase
    (a snippet runs a heading into the text under it: "Cancel Lumo Plus You can cancel …")."""
    end = text.rstrip("*_` \t")
    return text + "." if end and end[-1] not in ".!?:;…" else text


def _row_text(line: str) -> str:
    """A table row as a sentence: its cells separated by " — ", a full stop after the last
    (a snippet made from a table read "Situation Refund Annual plan cancelled …")."""
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return _sentence(" — ".join(c for c in cells if c))


def markdown_text(markdown: str) -> str:
    """Plain text of Markdown: markup, links targets, images and HTML tags removed; headings
    and a table's rows as sentences (``_sentence``, ``_row_text``)."""
    text = _FENCE.sub("", markdown) if ("```" in markdown or "~~~" in markdown) else markdown
    if "](" in text:
        text = _IMAGE.sub(r"\1", text)
        text = _LINK.sub(r"\1", text)
    if "][" in text:
        text = _REF_LINK.sub(r"\1", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "{" in text:
        text = _ATTR_LIST.sub("", text)
    lines = []
    raw = text.split("\n")
    rows = _table_rows(raw) if "|" in text else ()
    for i, line in enumerate(raw):
        heading = heading_text(line)
        if heading is not None:
            line = _sentence(heading)
        elif _is_table_rule(line):
            continue  # a table's rule line
        elif i in rows:
            line = _row_text(line)
        lines.append(_unmarked(line))
    text = "\n".join(lines).replace("|", " ")
    lines = ((_SPACES.sub(" ", line) if ("  " in line or "\t" in line) else line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def headings_of(markdown: str) -> list[str]:
    """Heading texts of Markdown (headings inside fenced code blocks are not headings)."""
    out = []
    for _, line in unfenced_lines(markdown):
        heading = heading_text(line) if line is not None else None
        if heading is not None:
            out.append(_ATTR_LIST.sub("", heading).strip())
    return out


def _words(values) -> str:
    return " ".join(v for v in values if v)


def article_record(article: Article) -> Record:
    return Record(
        key=article.id,
        id=article.id,
        kind="article",
        title=article.title,
        url=article.url,
        body=markdown_text(article.body),
        keywords=_words(article.keywords + article.tags),
        headings=" \n".join(headings_of(article.body)),
        summary=article.summary,
        category=article.category,
    )


def faq_records(group: FaqGroup) -> Iterator[Record]:
    for q in group.questions:
        yield Record(
            key=q.id,
            id=q.id,
            kind="faq",
            title=q.question,
            url=f"{group.url}#{q.anchor}",
            body=markdown_text(q.answer),
            keywords=_words(q.keywords + q.tags),
            headings=group.title,
            summary=group.summary,
            category=group.category,
        )


def video_records(video: Video) -> Iterator[Record]:
    cues = video.transcript
    yield Record(
        key=video.id,
        id=video.id,
        kind="video",
        title=video.title,
        url=video.url,
        body=" ".join(c.text for c in cues),
        keywords=_words(video.keywords + video.tags),
        headings=" \n".join(ch.title for ch in video.chapters),
        summary=video.summary,
        category=video.category,
    )
    chapters = sorted(video.chapters, key=lambda ch: ch.start)
    ordered = sorted(cues, key=lambda c: c.start)
    starts = [c.start for c in ordered]
    for i, ch in enumerate(chapters):  # each chapter's cues by bisection: linear, however many chapters
        lo = bisect_left(starts, ch.start)
        hi = bisect_left(starts, chapters[i + 1].start) if i + 1 < len(chapters) else len(ordered)
        said = " ".join(c.text for c in ordered[lo:hi])
        yield Record(
            key=f"{video.id}#{ch.anchor}",
            id=video.id,
            kind="video",
            title=f"{video.title}: {ch.title}",
            url=f"{video.url}#{ch.anchor}",
            body=said,
            headings=ch.title,
            summary=video.summary,
            category=video.category,
            start=int(ch.start),
        )


def catalogue_records(catalogue: Catalogue, source: Catalogue | None = None) -> Iterator[Record]:
    """Every searchable record; draft articles are left out (they are not published).
    ``source``: the default language's catalogue when ``catalogue`` holds its translations:
    each record then carries its source record's words (``with_source``)."""
    if source is not None and source is not catalogue:
        yield from with_source(_records(catalogue), source)
    else:
        yield from _records(catalogue)


def with_source(records, source: Catalogue) -> Iterator[Record]:
    """The translations' records, each with its source's title and keywords (the record of
    the same key in ``source``, a chapter's own or else its item's) as ``Record.source``:
    the source language's words without its stop words ("Factory reset your Lumo" gives
    "factory reset lumo"), so a customer typing the English product word finds the translated
    page without a synonyms file; searched as a weak field (``schema.FIELD_BOOSTS``)."""
    from dataclasses import replace

    from carebase.text import analyser_for

    analyser = analyser_for(getattr(source, "language", "") or "en")
    by_key = {r.key: r for r in _records(source)}
    for rec in records:
        src = by_key.get(rec.key) or by_key.get(rec.id)
        if src is None:
            yield rec
            continue
        yield replace(rec, source=" ".join(analyser.words(f"{src.title}\n{src.keywords}")))


def _records(catalogue: Catalogue) -> Iterator[Record]:
    for article in catalogue.articles:
        if not article.draft:
            yield article_record(article)
    for group in catalogue.faqs:
        yield from faq_records(group)
    for video in catalogue.videos:
        yield from video_records(video)
