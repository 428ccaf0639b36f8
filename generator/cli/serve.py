"""``carebase serve``: preview the help centre with live reload and the feedback service,
both on 127.0.0.1, so votes land in a local SQLite file while you write."""

from __future__ import annotations

import argparse
import functools
import os
import secrets
import sys
from pathlib import Path

from carebase.cli._mkdocs import config_file_of, setup_logging, site_folder_on_path

NAME = "serve"
HELP = "Preview the site with live reload (127.0.0.1:8000) plus the feedback service (127.0.0.1:8001)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the MkDocs configuration (default ./mkdocs.yml)")
    parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="site address (default 127.0.0.1:8000)")
    parser.add_argument("--service-addr", default="127.0.0.1:8001",
                        help="feedback service address (default 127.0.0.1:8001)")
    parser.add_argument("--db", dest="database_url", default="sqlite:///feedback.db",
                        help="where votes and searches are stored (default sqlite:///feedback.db)")
    parser.add_argument("--no-service", action="store_true", help="serve only the site")
    parser.add_argument("--token", default=None,
                        help="password of the live report at the service's /report (any user name; default: a new "
                             "random one, printed at start-up) [env CAREBASE_TOKEN]")
    parser.add_argument("--edit-url", default=None, metavar="URL",
                        help="prefix of the live report's 'edit' links, e.g. "
                             "https://github.com/org/help/edit/main/content/")
    parser.add_argument("--dirty", action="store_true",
                        help="on a change rebuild only the changed pages (MkDocs' --dirty; listings and "
                             "navigation may lag until a full rebuild). Without it, an article or FAQ file saved "
                             "again renders its page and the pages that list it; other changes rebuild the site")
    parser.add_argument("-s", "--strict", action="store_true", help="fail on warnings")


def _split(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    return host or "127.0.0.1", int(port)


def start_service(args, config_file: Path):
    """The feedback service in a thread of this process, following the preview's build output
    (so an article added while serving is votable as soon as its page is rebuilt)."""
    from carebase.output.layout import preview_folder
    from carebase.service.config import ServiceConfig
    from carebase.service.server import BackgroundService

    host, port = _split(args.dev_addr)
    origins = (f"http://{host}:{port}", f"http://localhost:{port}", f"http://127.0.0.1:{port}")
    token = args.token or os.environ.get("CAREBASE_TOKEN") or secrets.token_urlsafe(12)
    config = ServiceConfig(database_url=args.database_url, allowed_origins=origins,
                           site_data=str(preview_folder(config_file)), wait_for_site_data=True, token=token,
                           edit_url=args.edit_url)
    shost, sport = _split(args.service_addr)
    service = BackgroundService(config, shost, sport).start()
    print(f"carebase serve: feedback service on {service.url} (store {args.database_url})", file=sys.stderr)
    given = "as given" if args.token or os.environ.get("CAREBASE_TOKEN") else "new for this run; --token sets one"
    print(f"carebase serve: live report at {service.url}/report (any user name; password {token}, {given})",
          file=sys.stderr)
    return service


def _saved_articles_first(build, board=None):
    """MkDocs' build for each change, unless the change is only published articles or FAQ files
    saved again: then carebase renders their pages and the pages that list them
    (plugins/site/preview.py), and the page banner (``board``) keeps the other files' problems."""

    def build_or_update(config, *, serve_url=None, dirty=False):
        plugin = config.plugins.get("carebase")
        preview = getattr(plugin, "preview", None)
        if preview is not None and preview.update(plugin):
            if board is not None:
                board.updated_in_place(getattr(preview, "saved_files", ()))
            return
        build(config, serve_url=serve_url, dirty=dirty)

    return build_or_update


def _to_local_service(build, service_url: str):
    """MkDocs' build with the carebase plugin's ``service_url`` set to the service this command
    runs: the preview's widget, search and contact form reach the store ``serve`` writes, also on
    ``--service-addr`` (before, the pages kept mkdocs.yml's address, 127.0.0.1:8001 in a new
    help centre: votes went to a closed port, or to another program listening there)."""

    def build_to_local_service(config, *, serve_url=None, dirty=False):
        plugin = config.plugins.get("carebase")
        if plugin is not None:
            plugin.config.service_url = service_url
        build(config, serve_url=serve_url, dirty=dirty)

    return build_to_local_service


def run(args: argparse.Namespace) -> int:
    config_file = config_file_of(args, "serve")
    if config_file is None:
        return 2
    from mkdocs import exceptions
    from mkdocs.commands import serve as mkdocs_serve

    from carebase.cli._preview_board import Board
    from carebase.cli._watching import Server

    setup_logging(progress=True)
    # the problems of each build, shown in the pages the writer has open (_preview_board.py)
    board = Board(strict=args.strict).install()
    if not args.dirty:
        mkdocs_serve.build = _saved_articles_first(mkdocs_serve.build, board)
    # a save noticed by the system's file events, not by polling; a failed build keeps the last site
    mkdocs_serve.LiveReloadServer = functools.partial(Server, board=board, config_file=str(config_file))
    from carebase.plugins.site import kept

    kept.KEEP_LAST_SITE = True  # a save that brings a new content error is not applied (kept.py)
    service = None
    try:
        if not args.no_service:
            service = start_service(args, config_file)
            mkdocs_serve.build = _to_local_service(mkdocs_serve.build, service.url)
        with site_folder_on_path(config_file):  # the writer's own extensions (my_ext.py) load
            mkdocs_serve.serve(config_file=str(config_file), dev_addr=args.dev_addr, livereload=True,
                               build_type="dirty" if args.dirty else None, strict=args.strict)
    except (exceptions.Abort, exceptions.ConfigurationError, RuntimeError, OSError) as exc:
        from carebase.cli._check_config import yaml_error_line

        print(f"carebase serve: {yaml_error_line(exc, str(config_file)) or exc}", file=sys.stderr)
        return 1
    finally:
        board.uninstall()
        if service is not None:
            service.stop(timeout=5)
    return 0
