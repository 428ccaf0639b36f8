"""Markdown twins: every article, FAQ question and video as Markdown, next to its page.

Where a twin lives (the llms.txt convention: the page's URL with ``index.html.md``):

* an article or video page ``billing/refunds/`` → ``billing/refunds/index.html.md``
  (the home page ``""`` → ``index.html.md``);
* an FAQ question ``faq/billing/#refund-annual`` → ``faq/billing/refund-annual.md``, and the
  FAQ page itself ``faq/billing/index.html.md`` (every question of the group).

A twin holds the item as written — title, summary, the body (an FAQ answer; a video's
chapters with the transcript said in each) — and a citation line with its page's URL, so
what an assistant quotes can be traced. Links inside it are rewritten to resolve from where
the twin lives: another item's Markdown becomes that item's twin, a same-page anchor the
page's anchor, a picture its published file; external links stay as they are.

Every language of the site has its twins, beside its pages (``de/billing/refunds/index.html.md``),
with their fixed words in that language (``Quelle:``, ``Transkript``: ``machine.*`` and
``video.*`` of carebase.strings); a translation's link to another article leads to that
article's twin in the same language when it is translated, else to the source's twin.
"""

from __future__ import annotations

import posixpath
import re

from carebase.assist.passages import video_passages
from carebase.content.fences import unfenced_lines
from carebase.content.links import _INLINE, _REFDEF, classify
from carebase.content.model import Article, FaqGroup, FaqQuestion, Video
from carebase.pages.markup import clock

TWIN = "index.html.md"


def twin_path(url: str) -> str:
    """The twin's path (from the site root) of a page or item URL."""
    page, _, anchor = url.partition("#")
    if anchor and not anchor.startswith("t="):  # an FAQ question
        return f"{page}{anchor}.md"
    return f"{page}{TWIN}" if page.endswith("/") or not page else f"{page}/{TWIN}"


def _english():
    from carebase.strings import Strings

    return Strings()


def source_line(url: str, site_url: str, twin: str, strings=None) -> str:
    return f"{(strings or _english()).t('machine.source')}: <{absolute(url, site_url, twin)}>"


def absolute(url: str, site_url: str, frm: str = "") -> str:
    """``url`` (from the site root) as the site's full URL when ``site_url`` is set, else
    relative to the file ``frm`` (a path from the site root; "" for a file at the root), so
    the links work wherever the site is served."""
    if site_url:
        return site_url.rstrip("/") + "/" + url
    return _rel(url, frm) if frm else (url or "./")


class Linker:
    """Rewrites a Markdown text's links for a twin at ``twin`` (a path from the site root).
    ``source``: the default language's catalogue when ``catalogue`` is another language's (a
    link to an article goes to its translation's twin, else to the source's)."""

    def __init__(self, catalogue, source=None):
        self.catalogue = catalogue
        self.source = source
        self.by_path = {a.path: a for a in (source.articles if source is not None else ()) if not a.draft}
        for article in catalogue.articles:
            if article.draft:
                continue
            original = source.get(article.id) if source is not None else None
            if isinstance(original, Article):  # written as a link to the source's file
                self.by_path[original.path] = article
            self.by_path[article.path] = article

    def _item(self, item_id: str):
        item = self.catalogue.get(item_id)
        if item is None and self.source is not None:
            item = self.source.get(item_id)
        return item

    def target(self, raw: str, base_dir: str, here: str, twin: str) -> str | None:
        """The rewritten target, or None to leave the link as it is."""
        found = classify(raw, base_dir, here)
        if found is None:
            return None
        kind, where, fragment = found
        if kind == "id":
            item = self._item(where)
            return _rel(twin_path(item.url), twin) if item is not None else None
        where = posixpath.normpath(where)
        if where == here and fragment:  # a same-page anchor: the page's anchor
            return _rel(self._page_of(here), twin) + f"#{fragment}"
        article = self.by_path.get(where)
        if article is not None:
            return _rel(twin_path(article.url), twin)
        if where.endswith(".md"):
            return None  # not a published article: the site's own link check reports it
        return _rel(where, twin)  # a picture or another file, published at its path

    def _page_of(self, path: str) -> str:
        article = self.by_path.get(path)
        return article.url if article is not None else path

    def rewrite(self, markdown: str, base_dir: str, here: str, twin: str) -> str:
        if "](" not in markdown and "]:" not in markdown:
            return markdown
        lines = markdown.split("\n")
        for n, line in unfenced_lines(markdown):
            if line is None or ("](" not in line and "]:" not in line):
                continue
            lines[n] = _INLINE.sub(lambda m: self._swap(m, base_dir, here, twin), line)
            ref = _REFDEF.match(lines[n])
            if ref:
                new = self.target(ref.group(1), base_dir, here, twin)
                if new is not None:
                    lines[n] = lines[n][:ref.start(1)] + new + lines[n][ref.end(1):]
        return "\n".join(lines)

    def _swap(self, match: re.Match, base_dir: str, here: str, twin: str) -> str:
        group = 1 if match.group(1) is not None else 2  # <…> or a bare target
        new = self.target(match.group(group), base_dir, here, twin)
        if new is None:
            return match.group(0)
        start, end = match.span(group)
        offset = match.start()
        text = match.group(0)
        return text[:start - offset] + new + text[end - offset:]


def _rel(target: str, twin: str) -> str:
    """``target`` (from the site root; a directory URL ends in /) relative to the twin's folder."""
    target, hash_, fragment = target.partition("#")
    folder = posixpath.dirname(twin) or "."
    rel = posixpath.relpath(target or ".", folder)
    if (target.endswith("/") or not target) and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + hash_ + fragment


def article_twin(article: Article, linker: Linker, site_url: str = "", strings=None) -> str:
    twin = twin_path(article.url)
    base = posixpath.dirname(article.path)
    parts = [f"# {_line(article.title)}", ""]
    if article.summary:
        parts += [f"> {_line(article.summary)}", ""]
    parts += [source_line(article.url, site_url, twin, strings), ""]
    parts.append(linker.rewrite(_without_title(article.body, article.title), base, article.path, twin).strip())
    return "\n".join(parts).rstrip() + "\n"


def faq_twin(question: FaqQuestion, group: FaqGroup, linker: Linker, site_url: str = "", *, twin: str = "",
             strings=None) -> str:
    twin = twin or twin_path(question.url)
    base = posixpath.dirname(group.path)
    answer = linker.rewrite(question.answer, base, group.path, twin).strip()
    return "\n".join([f"# {_line(question.question)}", "", f"> {_line(group.title)}", "",
                      source_line(question.url, site_url, twin, strings), "", answer]).rstrip() + "\n"


def faq_group_twin(group: FaqGroup, linker: Linker, site_url: str = "", strings=None) -> str:
    twin = twin_path(group.url)
    parts = [f"# {_line(group.title)}", ""]
    if group.summary:
        parts += [f"> {_line(group.summary)}", ""]
    parts += [source_line(group.url, site_url, twin, strings), ""]
    for q in group.questions:
        answer = linker.rewrite(q.answer, posixpath.dirname(group.path), group.path, twin).strip()
        parts += [f"## {_line(q.question)}", "", source_line(q.url, site_url, twin, strings), "", answer, ""]
    return "\n".join(parts).rstrip() + "\n"


def video_twin(video: Video, site_url: str = "", strings=None) -> str:
    strings = strings or _english()
    twin = twin_path(video.url)
    parts = [f"# {_line(video.title)}", ""]
    if video.summary:
        parts += [f"> {_line(video.summary)}", ""]
    parts += [source_line(video.url, site_url, twin, strings), ""]
    if video.duration:
        parts += [strings.t("machine.video", time=clock(video.duration)), ""]
    spans = [p for p in video_passages(video) if p.start is not None]
    if spans:
        parts += [f"## {strings.t('video.transcript')}", ""]
    for p in spans:
        name = f"{p.heading} ({clock(p.start)})" if p.heading else clock(p.start)
        parts += [f"### {_line(name)}", "", source_line(p.url, site_url, twin, strings), "", p.markdown, ""]
    return "\n".join(parts).rstrip() + "\n"


def _line(text: str) -> str:
    """A title or summary on one Markdown line (no line breaks to start a block)."""
    return " ".join(str(text).split())


def _without_title(body: str, title: str) -> str:
    """The body without a leading ``# Title`` heading (the twin writes the title itself)."""
    for n, line in unfenced_lines(body):
        if line is None:
            return body
        if not line.strip():
            continue
        if line.lstrip().startswith("# "):
            rest = body.split("\n")
            return "\n".join(rest[:n] + rest[n + 1:])
        return body
    return body


def twins(catalogue, site_url: str = "", *, source=None, strings=None):
    """(path from the site root, Markdown) of every published item's twin and of each FAQ page.
    ``source``: the default language's catalogue when ``catalogue`` is another language's;
    ``strings``: the twins' fixed words in the catalogue's language (English when None)."""
    linker = Linker(catalogue, source)
    for article in catalogue.articles:
        if not article.draft:
            yield twin_path(article.url), article_twin(article, linker, site_url, strings)
    for group in catalogue.faqs:
        yield twin_path(group.url), faq_group_twin(group, linker, site_url, strings)
        for q in group.questions:
            yield twin_path(q.url), faq_twin(q, group, linker, site_url, strings=strings)
    for video in catalogue.videos:
        yield twin_path(video.url), video_twin(video, site_url, strings)
