"""The anchors of a page carebase makes, told to MkDocs: its Markdown is a placeholder (the page
is placed as HTML in ``on_page_content``), so MkDocs, checking a link such as
``../faq/billing.md#paying`` (carebase.pages.site_links), found no anchor there and logged
"does not contain an anchor" for every link to a question (a warning where
``validation: anchors: warn``). carebase checks these anchors itself (`carebase check`)."""

from __future__ import annotations

import re

_ID = re.compile(r'\bid="([^"]+)"')
_TIME = re.compile(r"t=\d+(?::\d{1,2}){0,2}(?:\.\d+)?s?")  # a video's #t=75, #t=1:15


class _Anchors(set):
    """A page's ids; on a video page also any ``t=…`` (the player starts there)."""

    timestamps = False

    def __contains__(self, anchor) -> bool:
        return set.__contains__(self, anchor) or (self.timestamps and bool(_TIME.fullmatch(str(anchor))))


def tell_anchors(page, html: str, kind: str) -> None:
    """Set ``page.present_anchor_ids`` from the generated page's HTML."""
    anchors = _Anchors(_ID.findall(html))
    anchors.timestamps = kind == "video"
    page.present_anchor_ids = anchors
