"""Search records for Material's client-side index (``search_index.json`` docs).

Every FAQ question and every video chapter (or transcript section) becomes its own record
pointing at its anchor (``faq/billing/#can-i-get-a-refund``, ``videos/setup/#t=30``).
Writers' ``keywords`` and the ``synonyms.yml`` groups whose words occur in a record are
added to its text inside a hidden span: found by the index, never shown in results.
Tags name the kind ("Article", "FAQ", "Video", "Topic") so results show what they are.
"""

from __future__ import annotations

import re
from functools import lru_cache

from carebase.content.model import Article, Catalogue
from carebase.pages.context import SiteContext
from carebase.pages.markup import esc, strip_tags
from carebase.pages.video import sections

TAG = {"article": "Article", "faq": "FAQ", "video": "Video", "category": "Topic"}


_RUN = re.compile(r"\w+")


class Synonyms:
    """Finds the synonym groups a text mentions (whole words/phrases, case-insensitive)."""

    def __init__(self, groups: tuple[tuple[str, ...], ...]):
        self.groups = [tuple(g) for g in groups if len(g) > 1]
        phrases = {p.lower(): i for i, g in enumerate(self.groups) for p in g}
        self._patterns = [
            (re.compile(r"(?<!\w)" + re.escape(p) + r"(?!\w)"), i, *_leading_run(p)) for p, i in phrases.items()
        ]

    def expand(self, text: str) -> list[str]:
        lowered = text.lower()
        runs = set(_RUN.findall(lowered))  # a phrase that starts with a word is found only where that word is
        hits = set()
        for pattern, i, first, whole in self._patterns:
            if i in hits or (first and first not in runs):
                continue
            if whole or pattern.search(lowered):
                hits.add(i)
        return [p for i in sorted(hits) for p in self.groups[i]]


def _leading_run(phrase: str) -> tuple[str, bool]:
    """The phrase's first run of word characters when it starts with one ('' if not), and
    whether that run is the whole phrase (then the text holds the phrase exactly where one of
    its own runs of word characters equals it: the pattern need not run)."""
    found = _RUN.match(phrase)
    first = found.group() if found else ""
    return first, bool(first) and first == phrase


def hidden_terms(text: str, keywords, synonyms: Synonyms) -> str:
    """Keywords plus synonyms of words in the text/keywords, as a hidden span ('' if none)."""
    extra = list(keywords)
    extra += synonyms.expand(" ".join([text, *keywords]))
    seen, words = set(), []
    for word in extra:
        if word.lower() not in seen:
            seen.add(word.lower())
            words.append(word)
    return f'<span hidden> {esc(" ".join(words))}</span>' if words else ""


def record(location: str, title: str, text: str, kind: str, hidden: str = "") -> dict:
    """One record; Material's search shows ``title`` and ``text`` as HTML, so the title (text)
    is escaped here and ``text`` comes escaped."""
    return {"location": location, "title": esc(title), "text": text + hidden, "tags": [TAG[kind]]}


def _plain(ctx: SiteContext, markdown_text: str) -> str:
    return esc(strip_tags(ctx.markdown.html(markdown_text)))


def generated_records(ctx: SiteContext) -> list[dict]:
    """Records for the pages carebase generates (FAQ groups, videos, categories)."""
    syn = Synonyms(ctx.catalogue.synonyms)
    out: list[dict] = []
    for group in ctx.catalogue.faqs:
        out.append(record(group.url, group.title, esc(group.summary), "faq"))
        for q in group.questions:
            answer = _plain(ctx, q.answer)
            hidden = hidden_terms(f"{q.question} {answer}", (*q.keywords, *q.tags), syn)
            out.append(record(f"{group.url}#{q.anchor}", q.question, answer, "faq", hidden))
    for video in ctx.catalogue.videos:
        text = esc(video.summary)
        hidden = hidden_terms(f"{video.title} {video.summary}", (*video.keywords, *video.tags), syn)
        out.append(record(video.url, video.title, text, "video", hidden))
        parts = sections(video)
        if parts:
            for section in parts:
                body = esc(section.text)
                extra = hidden_terms(f"{section.title} {section.text}", (), syn)
                out.append(record(f"{video.url}#{section.anchor}", section.title, body, "video", extra))
    for slug in ctx.category_slugs():
        category = ctx.catalogue.category(slug)
        desc = esc(category.description) if category else ""
        out.append(record(f"{slug}/", ctx.category_title(slug), desc, "category"))
    return out


def enrich(docs: list[dict], catalogue: Catalogue) -> list[dict]:
    """Tag Material's records of article pages and add keywords/synonyms to their text."""
    syn = Synonyms(catalogue.synonyms)
    by_url = {a.url: a for a in catalogue.articles if isinstance(a, Article)}
    for doc in docs:
        path, _, anchor = doc.get("location", "").partition("#")
        article = by_url.get(path)
        if article is None:
            continue
        doc["tags"] = sorted({*doc.get("tags", []), TAG["article"]})
        if not anchor:
            source = f"{article.title} {article.summary} {strip_tags(doc.get('text', ''))}"
            doc["text"] = doc.get("text", "") + hidden_terms(source, (*article.keywords, *article.tags), syn)
        else:
            doc["text"] = doc.get("text", "") + hidden_terms(f"{doc.get('title', '')} {strip_tags(doc.get('text', ''))}", (), syn)
    return docs


def merge(docs: list[dict], extra: list[dict]) -> list[dict]:
    """Material's records with carebase's, each page record before its sections."""
    return [*docs, *extra]
