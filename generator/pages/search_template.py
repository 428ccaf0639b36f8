"""The search page without JavaScript: the service answers it (``GET {service}/search/``), in the
site's look, from a template the build makes of the site's own search page.

The search boxes' forms go to the service's search page (``nojs_action``) and the site's script
sends them to the site's own search page instead (``data-cb-action``, search.js), so only a
browser without JavaScript (or one whose search script has not started yet) asks the service.
The service fills the template with the results (``carebase.service.search_page``).

The template is the rendered search page of each language (``site/search/index.html``,
``site/de/search/index.html``) made fit to be served from another origin:

- every relative URL (style sheets, links, images) made relative to the site's root and
  prefixed with ``SITE`` (the service puts the site's address there: ``--site-url``, else the
  build's ``site_url``); absolute URLs and fragments stay;
- no script at all (and the service forbids scripts on the page: its Content-Security-Policy),
  no ``<noscript>`` (it says search needs JavaScript);
- ``RESULTS`` where the results go, ``QUERY`` as the box's value;
- the body's palette ``auto``, with the site's palette rules rewritten for it after each style
  sheet (``scheme_css``), so the page is light or dark as the customer's system is: Material's
  palette script, which picks the palette on the site's pages, does not run here.

Written to ``search-page.json`` in the build output folder (beside ``stamp.json``), replaced
whole at each build: ``{"format", "carebase", "site_url", "default", "pages": {lang: {"url",
"html"}}, "contact": {lang: {"url", "html"}}, "titles": {url: title}}``. The service reads a file
of ``FORMAT`` only (``carebase.service.search_page.Templates``): any other (one without
``format`` was written before session 37, when the contact form's template came without a
number of its own) is refused with the rebuild message, and the pages are served plain.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

from carebase.pages.scheme_css import follow_the_system

FILE = "search-page.json"
#: The format of ``FILE`` (what ``write_search_templates`` writes and the service reads): raise it
#: with any change a reader of the files written before could not read as they are; its shape is
#: pinned to this number in tests/search/test_search_output_pins.py. A file without it is format 1
#: (the contact form's template and the page titles came in session 36 without a number).
FORMAT = 2
SITE, RESULTS, QUERY = "{{carebase:site}}", "{{carebase:results}}", "{{carebase:query}}"
CONTEXT = "{{carebase:contact}}"  # the contact form's context (contact_template)
_CONTEXT = re.compile(r'<div class="cb-contact-context" data-cb-contact-context>(?:<input [^>]*>)*</div>')
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
_NOSCRIPT = re.compile(r"<noscript\b[^>]*>.*?</noscript\s*>", re.S | re.I)
_URL_ATTR = re.compile(r"""(\s(?:href|src|action|poster)=)(["'])(.*?)\2""", re.S | re.I)
_SRCSET = re.compile(r"""(\ssrcset=)(["'])(.*?)\2""", re.S | re.I)
_HOLDER = re.compile(r'<div class="cb-search-results" data-cb-search-results[^>]*></div>')
_BOX = re.compile(r'(<input class="cb-search__input" id="cb-q" name="q" type="search" value=")[^"]*(")')
_REFERRER = re.compile(r'<meta name="referrer"[^>]*>\s*')  # the site's contact page's (main.html)
# a link to the site's contact form (carebase.pages.blocks.contact_form_link, the header's, the footer's)
_CONTACT_LINK = re.compile(r'(\shref=")' + re.escape(SITE) + r'((?:[A-Za-z0-9_-]+/)*contact/)(\?from=[^"]*")')


def nojs_action(service_url: str, search_url: str) -> str:
    """The service's search page for the site's search page ``search_url`` (``search/``,
    ``de/search/``); "" without a service (the forms then go to the site's page, which says
    searching needs JavaScript)."""
    service = (service_url or "").strip().rstrip("/")
    return f"{service}/{search_url}" if service else ""


def _site_relative(url: str, page_url: str) -> str:
    """``url`` as written on the page at ``page_url`` → ``SITE`` + its path from the site's root;
    absolute URLs (any scheme, ``//host``), fragments and empty values as they are."""
    value = url.strip()
    if not value or value.startswith(("#", "//")) or urlsplit(value).scheme:
        return url
    resolved = urljoin("https://site.invalid/" + page_url.lstrip("/"), value)
    parts = urlsplit(resolved)
    tail = parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return SITE + tail


def template(html: str, page_url: str, read: Callable[[str], str | None] | None = None) -> str:
    """The site's search page ``html`` (served at ``page_url``, relative to the site's root) as
    the service's template; ``read(path from the site's root)`` gives the text of the site's
    style sheets, so the page follows the customer's light or dark setting without script
    (``scheme_css``; without ``read``, its inline styles only). Raises ValueError when the page
    lacks the results' place or the box (a theme that overrides the search page: the service
    then serves a plain page)."""
    html = _without_script(html, page_url, read)
    if not _HOLDER.search(html) or not _BOX.search(html):
        raise ValueError("the search page has no results' place or no search box")
    html = _HOLDER.sub(lambda m: RESULTS, html, count=1)
    html = _BOX.sub(lambda m: m.group(1) + QUERY + m.group(2), html, count=1)
    return _to_the_services_form(_from_the_site(html, page_url), page_url)


def _to_the_services_form(html: str, page_url: str) -> str:
    """The search page's Contact links to the service's copy of the contact form (relative: the
    service serves both, ``/search/`` and ``/contact/``, as the site does), which lists the
    searches made on this page (the journey the service adds to the links); the site's own form
    cannot. The service answered this page, so it is up."""
    here = "/" + page_url.lstrip("/")
    return _CONTACT_LINK.sub(lambda m: m.group(1) + posixpath.relpath("/" + m.group(2), here) + "/" + m.group(3), html)


def contact_template(html: str, page_url: str, read: Callable[[str], str | None] | None = None) -> str:
    """The site's contact form page ``html`` (at ``page_url``) as the service's template of it
    (``carebase.service.contact_page``), made as ``template`` makes the search page's: its
    context (the hidden page, item and searches fields) is ``CONTEXT``, which the service
    fills with the page the customer came from and the journey's searches. Raises ValueError
    when the page has no form or no context (a theme that overrides it)."""
    html = _without_script(html, page_url, read)
    if "data-cb-contact-form" not in html or not _CONTEXT.search(html):
        raise ValueError("the contact page has no form or no context")
    html = _REFERRER.sub("", html)  # the service's copy sends its own Referrer-Policy (search_page.HEADERS)
    return _from_the_site(_CONTEXT.sub(lambda m: CONTEXT, html, count=1), page_url)


def _without_script(html: str, page_url: str, read: Callable[[str], str | None] | None) -> str:
    """No ``<noscript>``, no script; the site's palette rules made to follow the system's."""
    html = _NOSCRIPT.sub("", html)  # first: the site's own <noscript> palette is not this page's
    html = follow_the_system(html, page_url, read or (lambda path: None), lambda path: SITE + path)
    return _SCRIPT.sub("", html)


def _from_the_site(html: str, page_url: str) -> str:
    """Every relative URL made ``SITE`` + its path from the site's root."""
    html = _URL_ATTR.sub(lambda m: m.group(1) + m.group(2) + _site_relative(m.group(3), page_url) + m.group(2), html)
    html = _SRCSET.sub(lambda m: m.group(1) + m.group(2) + ", ".join(
        " ".join([_site_relative(part.split()[0], page_url), *part.split()[1:]]) for part in m.group(3).split(",")
        if part.strip()) + m.group(2), html)
    return html


def write_search_templates(folder: Path, site: Path, pages: dict[str, str], *, site_url: str, default: str,
                           contact: dict[str, str] | None = None, titles: dict[str, str] | None = None,
                           names: dict[str, str] | None = None) -> Path | None:
    """``search-page.json`` in the build output ``folder`` from the built ``site``'s search pages
    (``pages``: language → its search page's URL) and contact form pages (``contact``: language
    → its URL; with ``names``' site name of that language, which ends the titles of the
    service's answer pages), with ``titles`` (a generated page's URL → its title: what the
    contact form says the customer came from); None (and no file) when none could be made."""
    def read(path: str) -> str | None:
        try:
            return (Path(site) / path).read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None

    made = {}
    for lang, url in pages.items():
        path = Path(site) / url / "index.html"
        try:
            made[lang] = {"url": url, "html": template(path.read_text(encoding="utf-8"), url, read)}
        except (OSError, ValueError):
            continue
    forms = {}
    for lang, url in (contact or {}).items():
        path = Path(site) / url / "index.html"
        try:
            forms[lang] = {"url": url, "html": contact_template(path.read_text(encoding="utf-8"), url, read)}
            if (names or {}).get(lang):
                forms[lang]["site_name"] = names[lang]
        except (OSError, ValueError):
            continue
    target = Path(folder) / FILE
    if not made:
        target.unlink(missing_ok=True)
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{FILE}.{os.getpid()}")
    from carebase import __version__

    temporary.write_text(json.dumps({"format": FORMAT, "carebase": __version__, "site_url": site_url or "",
                                     "default": default, "pages": made,
                                     "contact": forms, "titles": titles or {}},
                                    ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, target)
    return target
