"""``carebase mcp``: the MCP server for AI assistants over stdio (tools search, answer,
get_item; resources for categories and items), as an assistant's configuration starts it."""

from __future__ import annotations

import argparse
import os
import sys

NAME = "mcp"
HELP = "Serve the help centre to an AI assistant over MCP on stdio (read-only tools: search, answer, get_item)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content-dir", default=os.environ.get("CAREBASE_CONTENT_DIR") or "content",
                        help="the help centre's content folder (default ./content) [env CAREBASE_CONTENT_DIR]")
    parser.add_argument("--index-dir", default=os.environ.get("CAREBASE_INDEX_DIR"),
                        help="search index folder: opened when it holds an index (as `carebase build` or the "
                             "service left it), else built there from --content-dir (default: a temporary "
                             "folder) [env CAREBASE_INDEX_DIR]")
    parser.add_argument("--db", "--database-url", dest="database_url",
                        default=os.environ.get("CAREBASE_DATABASE_URL") or "sqlite:///feedback.db",
                        help="where each question is recorded as an ask event, for the gap report "
                             "(default sqlite:///feedback.db) [env CAREBASE_DATABASE_URL]")
    parser.add_argument("--no-events", action="store_true", help="record nothing (no ask events)")
    parser.add_argument("--site-url", default=os.environ.get("CAREBASE_SITE_URL") or "",
                        help="the help centre's public URL, for the citations' links (default: relative URLs) "
                             "[env CAREBASE_SITE_URL]")


class _Config:
    def __init__(self, content_dir, index_dir):
        self.content_dir, self.index_dir = content_dir, index_dir


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    if not Path(args.content_dir).is_dir():
        print(f"carebase mcp: {args.content_dir}: no content folder here (pass --content-dir, the folder "
              "with your articles, faq/ and videos/)", file=sys.stderr)
        return 2
    from carebase.assist.desk import Answers, content_catalogue
    from carebase.assist.mcp_server import build_server
    from carebase.service.routes_search import open_searcher

    print(f"carebase mcp: indexing {args.content_dir} …", file=sys.stderr)
    searcher = open_searcher(_Config(args.content_dir, args.index_dir))
    # an index opened from its folder has no catalogue: the content folder's is loaded
    desk = Answers(lambda: searcher, content_catalogue(args.content_dir, lambda: searcher))
    writer = None
    if not args.no_events:
        from carebase.store.engine import StoreError, open_engine
        from carebase.store.writer import Writer

        try:
            writer = Writer(open_engine(args.database_url))
        except StoreError as exc:
            print(f"carebase mcp: {exc}", file=sys.stderr)
            return 1
        writer.start()
    server = build_server(desk, site_url=args.site_url, on_ask=_recorder(writer))
    print("carebase mcp: ready on stdio (tools: search, answer, get_item)", file=sys.stderr)
    try:
        server.run("stdio")
    finally:
        if writer is not None:
            writer.stop()
    return 0


def _recorder(writer):
    from carebase.assist.asks import ask_row, new_journey, record

    def on_ask(question, answer, journey, _ctx):
        if writer is None:
            return journey
        journey = journey or new_journey()
        record(writer, ask_row(question, answer, source="mcp", journey=journey, client=None))
        return journey

    return on_ask
