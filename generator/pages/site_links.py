"""Links in an article as the check reads them, written as MkDocs reads them, so the site
links where the check says the link goes (``carebase check`` accepts them; MkDocs, left to
itself, does not):

- a link to an item's id (``[FAQ](faq:billing#paying)``, ``article:billing/refunds``): MkDocs
  wrote it into the page as it is (``href="faq:billing#paying"``, a link that goes nowhere);
- a link from the content root (``/billing/refunds.md``): MkDocs leaves a link that starts with
  ``/`` as written (unless ``validation: links: absolute_links: relative_to_docs``), and the
  site has no ``/billing/refunds.md``;
- a link to a page carebase makes, written as its address (``../faq/billing/#paying``,
  ``/videos/setup-basics/#t=75``, a category ``../billing/``): MkDocs warns that it does not know
  it ("unrecognized relative link", fatal under ``--strict``).

Each becomes the link, from the page's own folder, to the page's file as MkDocs knows it
(``../faq/billing.md#paying``), which MkDocs checks and turns into the page's address."""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from carebase.content.links import classify, rewrite_links


def mkdocs_links(markdown: str, src_uri: str, item_url, page_files: dict[str, str], prefix: str = "") -> str:
    """``markdown`` of the page ``src_uri`` with those links rewritten. ``item_url(id)``: an
    item's site address (``faq/billing/#paying``) or None; ``page_files``: site address →
    the file MkDocs builds it from (``faq/billing/`` → ``faq/billing.md``); ``prefix``: the
    page's language folder (``de/``): a page carebase makes in that language is linked first
    (de/faq/billing/), as a translated article is."""
    folder = posixpath.dirname(src_uri)

    def rewrite(target: str) -> str | None:
        kind = classify(target, folder, src_uri)
        if kind is None:
            return None
        if kind[0] == "id":
            url = item_url(kind[1])
            if url is None:
                return None
            address, _, fragment = url.partition("#")
            query = ""
        else:
            address = kind[1]
            rest, _, fragment = target.strip().partition("#")  # the query and fragment as written:
            query = rest.partition("?")[2]  # /search/?q=refund opens the search for 'refund'
            if not target.strip().startswith("/") and (not address or posixpath.splitext(address)[1]):
                return None  # a file link from the page's folder: MkDocs' own
        path = posixpath.normpath(address) if address else ""
        path = "" if path == "." else path
        address = f"{path}/" if path else ""

        def known(address: str) -> str | None:  # MkDocs' addresses are %-escaped (billing/my%20page/)
            return page_files.get(address) or (page_files.get(quote(address)) if address else None)

        file = (known(prefix + address) if prefix else None) or known(address)
        if file is None:
            if not posixpath.splitext(path)[1]:
                return None  # no such page: the check names it
            file = path  # /billing/refunds.md, /img/a.png: the file itself
        out = quote(posixpath.relpath(file, folder or "."), safe="/")  # MkDocs unquotes it: my%20page.md
        return out + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")

    return rewrite_links(markdown, rewrite)
