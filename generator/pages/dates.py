"""The day each page last changed, for the sitemap's ``lastmod`` (MkDocs' ``page.update_date``).

An item's page (article, FAQ file, video) has the day of its own file (``history.last_updated``:
its last Git commit, else the file's modification time). A listing has the newest day of what it
lists: a category's pages their category's items, the FAQ index the FAQ files, the gallery the
videos, the home page every listed item. The search and contact pages list no item and have no
file: no day (a sitemap's ``lastmod`` is optional; the build's day would say they change at
every build).
"""

from __future__ import annotations

import datetime as dt

from carebase.content.model import FaqGroup, Video
from carebase.pages.context import SiteContext
from carebase.pages.generated import GeneratedPage


def day(stamp: float | None) -> str:
    """A W3C date (``YYYY-MM-DD``, UTC) of unix seconds; "" for none."""
    if not stamp:
        return ""
    return dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc).date().isoformat()


class PageDays:
    """The days of one language's generated pages (``ctx``: that language's site context;
    ``updated``: content path → unix seconds)."""

    def __init__(self, ctx: SiteContext, updated: dict[str, float]):
        self.ctx, self.updated = ctx, updated
        self.newest: dict[str, float] = {}  # "" (every listed item), "faq", "video", "category:<slug>"
        for item in ctx.listed_items():
            stamp = updated.get(item.path)
            if not stamp:
                continue
            kind = "faq" if isinstance(item, FaqGroup) else "video" if isinstance(item, Video) else "article"
            for key in ("", kind, "category:" + (item.category or "")):
                self.newest[key] = max(self.newest.get(key, 0.0), stamp)

    def of(self, page: GeneratedPage, source: str = "") -> str:
        """The day of a generated page; ``source``: the content file it shows ("" for none)."""
        if source:
            return day(self.updated.get(source))
        if page.kind == "category":
            slug = page.url.removeprefix(self.ctx.prefix).split("/", 1)[0]
            return day(self.newest.get("category:" + slug))
        key = {"home": "", "faq-index": "faq", "gallery": "video"}.get(page.kind)
        return day(self.newest.get(key)) if key is not None else ""
