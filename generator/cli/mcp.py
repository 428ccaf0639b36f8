"""``carebase mcp``: the MCP server for AI assistants over stdio (tools search, answer,
get_item; resources for categories and items), as an assistant's configuration starts it."""

from __future__ import annotations

import argparse
import os
import sys

NAME = "mcp"
HELP = "Serve the help centre to an AI assistant over MCP on stdio (read-only tools: search, answer, get_item)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site-data", default=os.environ.get("CAREBASE_SITE_DATA") or "site-data", metavar="DIR",
                        help="the build output 'carebase build' writes beside the site (its search index and "
                             "catalogue; a rebuilt one is followed without a restart; default ./site-data) "
                             "[env CAREBASE_SITE_DATA]")
    parser.add_argument("--db", "--database-url", dest="database_url",
                        default=os.environ.get("CAREBASE_DATABASE_URL") or "sqlite:///feedback.db",
                        help="where each question is recorded as an ask event, for the gap report "
                             "(default sqlite:///feedback.db) [env CAREBASE_DATABASE_URL]")
    parser.add_argument("--no-events", action="store_true", help="record nothing (no ask events)")
    parser.add_argument("--site-url", default=os.environ.get("CAREBASE_SITE_URL") or "",
                        help="the help centre's public URL, for the citations' links (default: relative URLs) "
                             "[env CAREBASE_SITE_URL]")


def run(args: argparse.Namespace) -> int:
    from carebase.assist.desk import Answers
    from carebase.assist.mcp_server import build_server
    from carebase.output import OutputError, open_output
    from carebase.output.live import LiveOutput

    live = LiveOutput(args.site_data)
    try:
        open_output(args.site_data)  # says what to do when there is none
        live.searcher()  # opened now, so the first question is answered as fast as the others
    except OutputError as exc:
        print(f"carebase mcp: --site-data: {exc}", file=sys.stderr)
        return 2
    desk = Answers(live.searcher, live.index_catalogue, languages=live.languages)
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
    server = build_server(desk, site_url=args.site_url, on_ask=_recorder(writer, live))
    print("carebase mcp: ready on stdio (tools: search, answer, get_item)", file=sys.stderr)
    try:
        server.run("stdio")
    finally:
        if writer is not None:
            writer.stop()
    return 0


def _recorder(writer, live=None):
    """What records each question: masked with the site's region (the build output's, followed
    as it is rebuilt), as the service masks what it stores."""
    from carebase.assist.asks import ask_row, new_journey, record
    from carebase.service.items import ItemIds
    from carebase.service.masking_region import site_region

    items = ItemIds(live) if live is not None else None

    def on_ask(question, answer, journey, _ctx, lang=None):
        if writer is None:
            return journey
        journey = journey or new_journey()
        token = site_region.set(items.plans()) if items is not None else None
        try:
            row = ask_row(question, answer, source="mcp", journey=journey, client=None, lang=lang)
        finally:
            if token is not None:
                site_region.reset(token)
        record(writer, row)
        return journey

    return on_ask
