"""The MCP server for AI assistants (the official SDK, ``mcp``): read-only tools and resources
over the same answers, search and content as the site.

Tools (each read-only):

* ``search(query, limit)``: the search API's ranking (learned phrasings included);
* ``answer(question, journey)``: cited passages or an honest "no answer"
  (``carebase.assist.answer``); every call is an ``ask`` event with ``source: "mcp"``;
* ``get_item(id)``: an item as Markdown with a citation (URL) for each of its passages.

Resources: ``carebase://categories`` (every category with its items' count),
``carebase://category/{category}`` (its items, with their ids) and ``carebase://item/{id}``
(an item as ``get_item`` gives it; the id percent-encoded: ``article%3Abilling%2Frefunds``).

Two transports: stdio (``carebase mcp``) and streamable HTTP, mounted in the service at
``/mcp`` (stateless, JSON responses; rate-limited with the search API).
"""

from __future__ import annotations

from typing import Callable
from urllib.parse import quote

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp_types import ToolAnnotations

from carebase.assist.passages import passages

INSTRUCTIONS = (
    "Answers come from this help centre only. Call `answer` with the customer's question: quote or "
    "summarise the cited passages and link to their URLs; when `answered` is false, say the help centre "
    "does not cover it and offer to contact support. Report how the conversation ended by POSTing an "
    "`outcome` event (resolved or escalated) with the returned `journey` to the service's /api/v1/events."
)


def item_markdown(item, site_url: str = "") -> str:
    """An item as Markdown with citations: its title, summary and each passage under its
    heading with the URL it is at."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    lines = [f"# {' '.join(item.title.split())}", ""]
    summary = getattr(item, "summary", "") or ""
    if summary:
        lines += [f"> {' '.join(summary.split())}", ""]
    lines += [f"Item `{item.id}` · {item.kind} · <{base}{item.url}>", ""]
    for p in passages(item):
        if p.heading and p.heading != item.title:
            lines += [f"## {p.label.split(' › ', 1)[-1] if p.start is None else p.label}", ""]
        lines += [p.markdown.strip(), "", f"Source: <{base}{p.url}>", ""]
    return "\n".join(lines).rstrip() + "\n"


def build_server(desk, *, site_url: str = "", on_ask: Callable | None = None, name: str = "carebase"):
    """The MCP server over ``desk`` (``carebase.assist.desk.Answers``); ``on_ask(question,
    answer, journey, context)`` records each ``answer`` call (returns the journey to give back)."""
    read_only = ToolAnnotations(readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=False)
    server = MCPServer(name, instructions=INSTRUCTIONS, log_level="WARNING")
    base = site_url.rstrip("/") + "/" if site_url else ""

    def ready(value, what: str, error=ToolError):
        if value is None:
            raise error(f"{what} is not available yet: the help centre's search index is not ready")
        return value

    def language(lang: str | None) -> str | None:
        """The ``lang`` argument: one of the help centre's languages (None: the default)."""
        known = tuple(desk.languages()) if getattr(desk, "languages", None) is not None else ()
        if not lang or not known or lang == known[0]:
            return None
        if lang not in known:
            raise ToolError(f"lang: expected one of the help centre's languages ({', '.join(known)}), "
                            f"found {lang[:40]!r}")
        return lang

    @server.tool(annotations=read_only)
    def search(query: str, limit: int = 5, lang: str | None = None) -> list[dict]:
        """Search the help centre (the same ranking as its search box) in one language
        (``lang``: a code such as 'de'; default: the help centre's default language). Returns
        items best first: id, kind, title, url and a snippet."""
        if not query.strip() or len(query) > 200:
            raise ToolError("query: expected 1–200 characters")
        results = ready(desk.search(query.strip(), max(1, min(limit, 20)), language(lang)), "search")
        return [{"id": h.id, "kind": h.kind, "title": h.title, "url": base + h.url,
                 "snippet": _text(h.snippet)} for h in results.hits]

    @server.tool(annotations=read_only)
    def answer(question: str, journey: str | None = None, lang: str | None = None,
               ctx: Context | None = None) -> dict:
        """Answer a customer's question from the help centre: cited passages (id, url with
        the section's anchor or video time, title, passage) and a confidence, or
        answered=false when the help centre does not cover it. ``lang``: answer from the
        articles of one language (a code such as 'de'; default: the help centre's default
        language). Keep the returned journey to report the outcome."""
        from carebase.service.validation import JOURNEY

        if not question.strip() or len(question) > 200:
            raise ToolError("question: expected 1–200 characters")
        if journey is not None and not JOURNEY.fullmatch(journey):
            raise ToolError("journey: expected up to 64 characters of A-Z a-z 0-9 _ -")
        lang = language(lang)
        found = ready(desk.answer(question.strip(), lang=lang), "answer")
        if on_ask is not None:
            journey = on_ask(question.strip(), found, journey, ctx, lang)
        from carebase.service.routes_answer import answer_json

        return answer_json(question.strip(), found, site_url=site_url, journey=journey)

    @server.tool(annotations=read_only)
    def get_item(id: str, lang: str | None = None) -> str:  # noqa: A002 - the tool's parameter name is the API
        """An item of the help centre (article, FAQ question or video) as Markdown, each
        passage followed by its source URL, in one language (``lang``; default: the help
        centre's default language). Ids come from search and answer."""
        catalogue = ready(desk.catalogue(language(lang)), "the catalogue")
        item = catalogue.get(id)
        if item is None or getattr(item, "draft", False):
            raise ToolError(f"id: no published item {id[:100]!r} (ids look like article:billing/refunds)")
        return item_markdown(item, site_url)

    @server.resource("carebase://categories", mime_type="text/markdown")
    def categories() -> str:
        """The help centre's categories, each with how many items it holds."""
        catalogue = ready(desk.catalogue(), "the catalogue", ResourceError)
        from carebase.assist.llms import ordered

        lines = ["# Categories", ""]
        for cid, title, items in ordered(catalogue):
            lines.append(f"- [{title}](carebase://category/{quote(cid or 'more', safe='')}): {len(items)} items")
        return "\n".join(lines) + "\n"

    @server.resource("carebase://category/{category}", mime_type="text/markdown")
    def category(category: str) -> str:
        """The items of one category (``more`` for items without one), with their ids."""
        catalogue = ready(desk.catalogue(), "the catalogue", ResourceError)
        from carebase.assist.llms import ordered

        for cid, title, items in ordered(catalogue):
            if (cid or "more") == category:
                lines = [f"# {title}", ""]
                lines += [f"- [{i.title}](carebase://item/{quote(i.id, safe='')}) `{i.id}` <{base}{i.url}>"
                          for i in items]
                return "\n".join(lines) + "\n"
        raise ResourceError(f"category: no category {category[:60]!r}")

    @server.resource("carebase://item/{item_id}", mime_type="text/markdown")
    def item(item_id: str) -> str:
        """One item as Markdown with citations (as the get_item tool gives it)."""
        try:
            return get_item(item_id)
        except ToolError as exc:
            raise ResourceError(str(exc)) from None

    return server


def _text(snippet_html: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", snippet_html or ""))
