"""Small HTML helpers: escaping, Markdown rendering with the site's extensions, relative
links, time formats."""

from __future__ import annotations

import html
import posixpath
import re

import markdown as _markdown

from carebase.content.links import ID_SCHEMES

#: What MkDocs always enables; a site's ``markdown_extensions`` come on top (see ``Markdown``).
BASIC_EXTENSIONS = ("toc", "tables", "fenced_code")


def esc(text: object) -> str:
    """Escape text for HTML element content and quoted attribute values."""
    return html.escape(str(text), quote=True)


class Markdown:
    """Markdown written inside content files (FAQ answers) to HTML, with the site's own
    extensions: the renderer passes its ``markdown_extensions`` and their settings, so
    ``!!! note`` in an answer is an admonition wherever it is one in an article."""

    def __init__(self, extensions=BASIC_EXTENSIONS, configs: dict | None = None):
        self._md = _markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs or {}),
                                      output_format="html")
        self._done: dict[str, str] = {}

    def html(self, text: str, source: str = "", page_url: str | None = None, absolute=None, ids=None,
             here=None) -> str:
        """HTML of ``text``. Writers link relative to the source file (``../billing/refunds.md``
        in ``faq/billing.yml``), from the content root (``/billing/refunds.md``) or to an id
        (``faq:billing#paying``, with ``ids(id)`` giving its site address), as ``carebase check``
        reads links; with ``source`` and ``page_url`` such links are rewritten to work from the
        page the HTML lands on (or made absolute with ``absolute(url)``). ``here(address)``: a
        page carebase makes (``""`` the home page, ``faq/billing/``) in the answer's language
        (``de/``), None when that language has none (SiteContext.here)."""
        out = self._convert(text or "")
        if source and (page_url is not None or absolute is not None):
            out = _LINK.sub(lambda m: m.group(1) + _fix(m.group(2), source, page_url, absolute, ids, here) + '"',
                            out)
        return out

    def _convert(self, text: str) -> str:
        # an FAQ answer is rendered for its page, its JSON-LD and its search record: once
        found = self._done.get(text)
        if found is None:
            found = self._done[text] = self._md.reset().convert(text)
        return found


_LINK = re.compile(r'(\b(?:href|src)=")([^"]*)"')


def _fix(target: str, source: str, page_url: str | None, absolute, ids=None, here=None) -> str:
    raw = html.unescape(target)
    if ids is not None and raw.startswith(ID_SCHEMES):
        url = ids(raw)
        return target if url is None else esc(absolute(url) if absolute is not None else rel(page_url, url))
    if not raw or raw.startswith(("#", "//")) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw):
        return target
    path, _, fragment = raw.partition("#")
    path, _, query = path.partition("?")  # kept as written: /search/?q=refund
    if path.startswith("/"):  # from the content root
        resolved = posixpath.normpath(path.lstrip("/")) if path.strip("/") else ""
    else:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if resolved.startswith(".."):
        return target
    resolved = "" if resolved == "." else resolved
    if path.endswith("/") and resolved:  # a page's address (../faq/billing/): its slash kept
        resolved += "/"
    found = ids(resolved) if ids is not None and resolved.endswith(".md") else None
    if found is not None:  # the article in the page's language where it has one (de/billing/refunds/)
        resolved = found
    elif resolved.endswith(".md"):
        stem = resolved[:-3]
        resolved = "" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index") else stem + "/")
    elif here is not None and (resolved == "" or resolved.endswith("/")):
        resolved = here(resolved) or resolved  # the home page, a category, an FAQ page: de/ on a German page
    url = resolved + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")
    return esc(absolute(url) if absolute is not None else rel(page_url, url))


def strip_tags(fragment: str) -> str:
    """Plain text of an HTML fragment (for search records and JSON-LD descriptions)."""
    text = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def rel(from_url: str, to_url: str) -> str:
    """Relative link from one directory-style site URL to another.

    ``rel("faq/billing/", "billing/refunds/") == "../../billing/refunds/"``; a fragment
    on ``to_url`` is kept. Site URLs are relative to the root ("" is the home page).
    """
    target, _, fragment = to_url.partition("#")
    base = "/" + from_url.split("#", 1)[0]
    if not base.endswith("/"):
        base = posixpath.dirname(base) + "/"
    path = relpath("/" + target, base)
    if path == ".":
        path = "./"
    elif (not target or target.endswith("/")) and not path.endswith("/"):
        path += "/"
    return path + (f"#{fragment}" if fragment else "")


def relpath(path: str, start: str) -> str:
    """``posixpath.relpath`` of two absolute paths, without its normalising when no part of
    either is "." or ".." (each page's links call it: ~64,000 times at 5,000 items)."""
    to = [p for p in path.split("/") if p]
    at = [p for p in start.split("/") if p]
    if "." in to or ".." in to or "." in at or ".." in at:
        return posixpath.relpath(path, start)
    i, n = 0, min(len(to), len(at))
    while i < n and to[i] == at[i]:
        i += 1
    return "/".join([".."] * (len(at) - i) + to[i:]) or "."


def clock(seconds: float) -> str:
    """``75 → "1:15"``, ``3725 → "1:02:05"`` (how players show a timestamp)."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration for schema.org (``PT1M15S``)."""
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs or out == "PT":
        out += f"{secs}S"
    return out


def links(template: str, **targets: tuple[str, str]) -> str:
    """A translated sentence with links in it: ``template``'s ``{name}`` placeholders become
    ``<a href=url>text</a>`` (``targets``: name → (url, text)); the rest is escaped."""
    out = esc(template)
    for name, (url, text) in targets.items():
        out = out.replace("{" + name + "}", f'<a href="{esc(url)}">{esc(text)}</a>')
    return out

