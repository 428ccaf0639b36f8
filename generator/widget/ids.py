"""Element ids derived from item ids, shared by the markup and the no-JS redirect.

``anchor_safe("faq:billing#can-i-get-a-refund") == "faq-billing-can-i-get-a-refund"``:
every character outside ``[A-Za-z0-9_-]`` becomes ``-``.

The service appends ``#cb-thanks-<anchor_safe(item)>`` to ``return_to`` after a no-JS
form POST (REFERENCE.md, "Events the site sends"), and the widget carries an element with
that id, so the browser lands on the thank-you note. ``anchor_safe`` can map two ids to one (``faq:a#b`` and
``faq:a/b``); such items never share a page, but the widget's own ids add a short hash
of the item id anyway.
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def anchor_safe(item_id: str) -> str:
    return _UNSAFE.sub("-", item_id)


def thanks_anchor(item_id: str) -> str:
    """The fragment (without ``#``) the no-JS form POST redirects back to."""
    return "cb-thanks-" + anchor_safe(item_id)


def _unique(item_id: str) -> str:
    digest = hashlib.sha1(item_id.encode("utf-8")).hexdigest()[:6]
    return f"{anchor_safe(item_id)}-{digest}"


def widget_id(item_id: str) -> str:
    """A page-unique id prefix for one item's widget.

    The short hash keeps two ids apart that differ only in unsafe characters
    (``faq:a#b`` and ``faq:a/b``), so many widgets can share a page.
    """
    return "cbf-" + _unique(item_id)
