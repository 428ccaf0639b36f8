"""A page carebase generates: where it goes, its Markdown shell and its HTML body.

The Markdown shell holds the front matter (title, template, search settings), the ``<h1>``
as a raw HTML block and a marker; the renderer swaps the marker for ``body`` after Markdown,
so the body's HTML is placed verbatim whatever Markdown extensions the site enables. The
title is text: it is escaped into the heading, never read as Markdown (no stray backslashes,
no markup from ``*``, ``<`` or an extension's syntax).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from carebase.content.ids import slugify
from carebase.pages.markup import esc

MARKER = "<!-- carebase:generated-body -->"


@dataclass
class GeneratedPage:
    src_uri: str  # e.g. "faq/billing.md" (directory URLs give "faq/billing/")
    url: str  # site-relative, "faq/billing/"
    title: str
    body: str  # HTML placed after the h1
    kind: str  # home | faq | video | category | gallery | faq-index | search
    item_id: str = ""  # the votable item shown (videos), "" otherwise
    heading: bool = True  # False: the body brings its own h1 (home)
    meta: dict = field(default_factory=dict)  # extra front matter (template, hide, search)
    breadcrumbs: str = ""  # HTML the theme places above the title
    description: str = ""

    def markdown(self) -> str:
        meta = {"title": self.title, **self.meta}
        if self.description:
            meta["description"] = self.description
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        title = " ".join(self.title.split())  # one line: a raw HTML block ends at a blank line
        heading = f'<h1 id="{esc(slugify(title, "top"))}">{esc(title)}</h1>\n\n' if self.heading else ""
        return f"---\n{front}---\n\n{heading}{MARKER}\n"

    def place(self, html: str) -> str:
        """The rendered Markdown shell with the body placed at the marker."""
        if MARKER in html:
            return html.replace(MARKER, self.body, 1)
        return html + self.body
