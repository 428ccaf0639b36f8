"""What every page builder needs: the catalogue plus the site's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from carebase.content.model import Article, Catalogue, FaqGroup, FaqQuestion, Item, Video
from carebase.pages.markup import Markdown
from carebase.strings import Strings

# feedback(item_id, revision, title, heading) -> the widget's HTML ("" for no widget)
FeedbackFn = Callable[..., str]  # (item_id, revision, title, heading, *, return_to="") -> HTML
# related(item_id, limit) -> ids of related items, best first
RelatedFn = Callable[[str, int], "list[str]"]


@dataclass(frozen=True)
class Contact:
    email: str = ""
    phone: str = ""
    chat_url: str = ""
    hours: str = ""
    form: bool = False  # the contact form page (contact/)

    @property
    def any(self) -> bool:
        return bool(self.email or self.phone or self.chat_url or self.form)


@dataclass(frozen=True)
class HomeOptions:
    title: str = ""  # "": the page language's (carebase.strings home.title)
    subtitle: str = ""
    popular: int = 6  # featured/popular articles shown
    faq: int = 6  # FAQ highlights shown
    videos: int = 3  # latest videos shown


@dataclass
class SiteContext:
    catalogue: Catalogue
    site_name: str = "Help centre"
    site_url: str = ""  # absolute base URL for JSON-LD; "" keeps URLs site-relative
    contact: Contact = field(default_factory=Contact)
    home: HomeOptions = field(default_factory=HomeOptions)
    featured: tuple[str, ...] = ()
    page_size: int = 50  # items per listing page (category pages, galleries)
    feedback: FeedbackFn | None = None
    related: RelatedFn | None = None
    service_url: str = ""  # the feedback service (the contact form posts there)
    icon: Callable[[str], str] | None = None  # icon name ("material/credit-card") -> SVG markup, "" if unknown
    markdown: Markdown = field(default_factory=Markdown)  # the site's Markdown (its extensions)
    prefix: str = ""  # the URL folder of this language's pages: "" (the default language), "de/"
    strings: Strings = field(default_factory=Strings)  # carebase's own texts in this language
    _groups: dict = field(default_factory=dict, repr=False)
    _by_category: dict = field(default_factory=dict, repr=False)
    _own_pages: set | None = field(default=None, repr=False)

    def group_of(self, question: FaqQuestion) -> FaqGroup:
        if not self._groups:
            self._groups.update({g.id: g for g in self.catalogue.faqs})
        return self._groups[question.group_id]

    def url_of(self, item: Item | FaqGroup) -> str:
        """Site-relative URL of an item (FAQ questions point at their anchor)."""
        if isinstance(item, FaqQuestion):
            return f"{self.group_of(item).url}#{item.anchor}"
        return item.url

    def id_url(self, item_id: str) -> str | None:
        """The site address of the item (or FAQ file) an id or alias names; None when none does."""
        item = self.catalogue.get(item_id)
        if item is None:
            if not self._groups:
                self._groups.update({g.id: g for g in self.catalogue.faqs})
            item = self._groups.get(item_id)
        return self.url_of(item) if item is not None else None

    def here(self, address: str) -> str | None:
        """A page carebase makes, by its address in the default language (``""`` the home page,
        ``faq/billing/``, a category ``billing/``), as this language's page when this language's
        site has one (``de/``, ``de/faq/billing/``); None in the default language or when it has
        none (the default language's page is linked then). An FAQ answer's ``/`` on a German
        page opened the English home page (reader 47, R3's rest)."""
        if not self.prefix:
            return None
        if self._own_pages is None:
            c = self.catalogue
            pages = {"", "search/", *(f"{slug}/" for slug in self.category_slugs())}
            pages |= {"contact/"} if self.contact.form else set()
            own = len(self.prefix)  # a group or video this language lacks is the default language's (no prefix)
            pages |= {"faq/"} | {g.url[own:] for g in c.faqs if g.url.startswith(self.prefix)} if c.faqs else set()
            pages |= {"videos/"} | {v.url[own:] for v in c.videos if v.url.startswith(self.prefix)} if c.videos \
                else set()
            self._own_pages = pages
        return self.prefix + address if address in self._own_pages else None

    def at(self, url: str) -> str:
        """A page of this language's site: ``at("faq/")`` is "faq/" in the default language,
        "de/faq/" in German (items carry their language's folder in their own URLs)."""
        return self.prefix + url

    @property
    def lang(self) -> str:
        """The pages' language code (the catalogue's; English when it does not say)."""
        return self.catalogue.language or "en"

    def category_of(self, item: Item | FaqGroup) -> str:
        if isinstance(item, FaqQuestion):
            return self.group_of(item).category
        return item.category

    def absolute(self, url: str) -> str:
        if not self.site_url:
            return "/" + url
        return self.site_url.rstrip("/") + "/" + url

    def category_title(self, slug: str) -> str:
        return self.catalogue.category_title(slug)

    def category_slugs(self) -> list[str]:
        """Categories in display order: categories.yml order, then any only items use (in a
        language other than the default, only those with items in that language)."""
        declared = sorted(self.catalogue.categories, key=lambda c: (c.order, c.title.lower()))
        slugs = [c.id for c in declared]
        seen = set(slugs)
        used = set()
        for item in self.listed_items():
            slug = self.category_of(item)
            used.add(slug)
            if slug and slug not in seen:
                seen.add(slug)
                slugs.append(slug)
        if self.prefix:  # another language than the default: only the categories it has items in
            slugs = [slug for slug in slugs if slug in used]
        return slugs

    def listed_items(self) -> list[Article | FaqGroup | Video]:
        """Published articles, FAQ groups and videos (drafts are never listed)."""
        articles = [a for a in self.catalogue.articles if not a.draft and not _is_index(a)]
        return [*articles, *self.catalogue.faqs, *self.catalogue.videos]

    def feedback_html(self, item: Item, heading: str | None = None) -> str:
        if self.feedback is None or (isinstance(item, Article) and not item.feedback):
            return ""
        # the no-JS form needs the page's absolute URL (a cross-origin Referer is only the origin)
        page = self.absolute(self.url_of(item).split("#")[0]) if self.site_url else ""
        return self.feedback(item.id, item.revision, item.title, heading, return_to=page, strings=self.strings)

    def t(self, key: str, **values) -> str:
        """One of carebase's own texts in the pages' language (carebase.strings)."""
        return self.strings.t(key, **values)

    def n(self, key: str, count: int, **values) -> str:
        """A text with plural forms, for ``count``, in the pages' language."""
        return self.strings.n(key, count, **values)


def _is_index(article: Article) -> bool:
    return article.path == "index.md" or article.path.endswith("/index.md")
