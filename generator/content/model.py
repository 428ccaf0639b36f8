"""The content model: typed, immutable items with stable ids.

Ids are the keys of everything downstream (votes, searches, the report), never URLs:

* ``article:<path without .md>`` unless the front matter sets ``id``
* ``faq:<file stem>`` for a FAQ group, ``faq:<file stem>#<anchor>`` for a question
* ``video:<file stem>`` unless the file sets ``id``

``aliases`` keep old ids and paths pointing at the item after a rename.
``revision`` is a short hash of the item's source, carried by votes so the report can
compare helpfulness before and after an edit.

Translations (``carebase.content.translations``) are items of the same id in another
language: ``lang`` is their language code ("" for the site's default language, whose pages
sit at the site root) and their URLs start with it (``de/billing/refunds/``);
``source_revision`` is the revision of the source's text they translate (stale when the
source's text changed since), ``source_revision_line`` where the file says so.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from typing import Iterator, Union

from carebase.content.problems import Problem, WithProblems


@dataclass(frozen=True, slots=True)
class Category:
    id: str  # slug, used in URLs and in items' `category`
    title: str
    description: str = ""
    icon: str = ""  # Material icon name, e.g. "material/credit-card"
    order: int = 0
    path: str = "categories.yml"
    line: int = 0
    owner: str = ""  # who answers for the category's content (the backlog's default owner)


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    path: str  # source file, relative to the content root (POSIX)
    title: str
    body: str  # Markdown after the front matter
    body_line: int  # line of the file where `body` starts (1-based)
    summary: str = ""
    category: str = ""
    tags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    owner: str = ""
    review_by: _dt.date | None = None
    related: tuple[str, ...] = ()
    draft: bool = False
    feedback: bool = True
    revision: str = ""
    line: int = 1  # line of the front matter's first key (for messages)
    lang: str = ""  # "" in the site's default language; else a translation's language code
    source_revision: str = ""  # a translation: the revision of the source text it translates
    source_revision_line: int = 0

    kind = "article"

    @property
    def url(self) -> str:
        """Directory-style URL relative to the site root (``billing/refunds/``;
        ``de/billing/refunds/`` for the German translation ``billing/refunds.de.md``)."""
        stem = self.path[:-3] if self.path.endswith(".md") else self.path
        if self.lang and stem.endswith("." + self.lang):
            stem = stem[: -len(self.lang) - 1]
        if stem == "index":
            stem = ""
        elif stem.endswith("/index"):
            stem = stem[: -len("index")]
        else:
            stem += "/"
        return lang_prefix(self.lang) + stem


@dataclass(frozen=True, slots=True)
class FaqQuestion:
    id: str  # faq:<group>#<anchor>
    group_id: str  # faq:<group>
    anchor: str
    question: str
    answer: str  # Markdown
    path: str
    line: int
    tags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    revision: str = ""
    category: str = ""  # the group's category
    lang: str = ""
    source_revision: str = ""
    source_revision_line: int = 0

    kind = "faq"

    @property
    def title(self) -> str:
        return self.question

    @property
    def url(self) -> str:
        """``faq/<group slug>/#<anchor>``, relative to the site root."""
        return f"{lang_prefix(self.lang)}faq/{self.group_id.split(':', 1)[1]}/#{self.anchor}"

    @property
    def summary(self) -> str:
        return ""


@dataclass(frozen=True, slots=True)
class FaqGroup:
    id: str  # faq:<file stem>
    path: str
    title: str
    questions: tuple[FaqQuestion, ...]
    summary: str = ""
    category: str = ""
    owner: str = ""
    review_by: _dt.date | None = None
    line: int = 1
    lang: str = ""

    @property
    def slug(self) -> str:
        return self.id.split(":", 1)[1]

    @property
    def url(self) -> str:
        return f"{lang_prefix(self.lang)}faq/{self.slug}/"


@dataclass(frozen=True, slots=True)
class VideoSource:
    kind: str  # "youtube" | "vimeo" | "file"
    url: str  # as written
    video_id: str = ""  # YouTube/Vimeo id; "" for files


@dataclass(frozen=True, slots=True)
class Chapter:
    start: float  # seconds
    title: str
    line: int = 0

    @property
    def anchor(self) -> str:
        return f"t={int(self.start)}"


@dataclass(frozen=True, slots=True)
class Cue:
    start: float  # seconds
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class Caption:
    src: str  # .vtt file, relative to the content root
    lang: str = "en"
    label: str = "English"


@dataclass(frozen=True, slots=True)
class Video:
    id: str
    path: str
    title: str
    source: VideoSource
    summary: str = ""
    category: str = ""
    duration: float = 0.0  # seconds
    thumbnail: str = ""
    chapters: tuple[Chapter, ...] = ()
    transcript: tuple[Cue, ...] = ()
    transcript_path: str = ""  # the .vtt/.srt file when the transcript is external
    captions: tuple[Caption, ...] = ()
    tags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    owner: str = ""
    review_by: _dt.date | None = None
    published: _dt.date | None = None
    revision: str = ""
    line: int = 1
    lang: str = ""
    source_revision: str = ""
    source_revision_line: int = 0

    kind = "video"

    @property
    def slug(self) -> str:
        return self.id.split(":", 1)[1]

    @property
    def url(self) -> str:
        return f"{lang_prefix(self.lang)}videos/{self.slug}/"


Item = Union[Article, FaqQuestion, Video]


def lang_prefix(lang: str) -> str:
    """The URL folder of a translation's pages ('de/'); '' for the default language."""
    return f"{lang}/" if lang else ""


@dataclass(frozen=True, slots=True)
class Catalogue(WithProblems):
    """Everything loaded from one content root, plus the problems found on the way."""

    root: str
    articles: tuple[Article, ...] = ()
    faqs: tuple[FaqGroup, ...] = ()
    videos: tuple[Video, ...] = ()
    categories: tuple[Category, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()
    problems: tuple[Problem, ...] = ()
    left_out: frozenset[str] = frozenset()  # ids of items (and FAQ groups) with errors: never published
    language: str = ""  # the items' language code (en, de); "" when unknown (read as English)
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def published(self) -> "Catalogue":
        """The catalogue without the items that have errors (what the site may show)."""
        if not self.left_out:
            return self
        out = self.left_out
        faqs = []
        for group in self.faqs:
            if group.id in out:
                continue
            kept = tuple(q for q in group.questions if q.id not in out)
            faqs.append(group if len(kept) == len(group.questions) else replace(group, questions=kept))
        return replace(self, articles=tuple(a for a in self.articles if a.id not in out), faqs=tuple(faqs),
                       videos=tuple(v for v in self.videos if v.id not in out), left_out=frozenset(), _index={})

    def items(self) -> Iterator[Item]:
        """Every votable item: articles (drafts included), FAQ questions, videos."""
        yield from self.articles
        for group in self.faqs:
            yield from group.questions
        yield from self.videos

    def get(self, item_id: str) -> Item | None:
        """The item with this id or alias (old ids and old paths both resolve)."""
        if not self._index:
            for item in self.items():
                self._index[item.id] = item
            for item in self.items():
                for alias in item.aliases:
                    self._index.setdefault(alias, item)
        found = self._index.get(item_id)
        if found is None and item_id and item_id.split(":", 1)[0] not in ("article", "faq", "video"):
            path = item_id.strip("/")  # an (old) article path: billing/refunds.md or billing/refunds/
            found = self._index.get("article:" + (path[:-3] if path.endswith(".md") else path))
        return found

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.id == slug), None)

    def category_title(self, slug: str) -> str:
        """The category's title, or its slug made readable when categories.yml has none."""
        category = self.category(slug)
        if category:
            return category.title
        return slug.replace("-", " ").replace("_", " ").capitalize()
