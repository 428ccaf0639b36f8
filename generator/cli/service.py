"""``carebase service``: run the feedback service (ASGI app on uvicorn)."""

from __future__ import annotations

import argparse
import os
import re
import sys

NAME = "service"
LOG_LEVELS = ["critical", "error", "warning", "info", "debug"]
HELP = "Run the feedback service that stores votes, searches and clicks (SQLite or PostgreSQL)."


def _env(name: str, default=None):
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", "--database-url", dest="database_url",
                        default=_env("CAREBASE_DATABASE_URL", "sqlite:///feedback.db"),
                        help="sqlite:///PATH (default sqlite:///feedback.db) or postgresql://user:pass@host/db "
                             "[env CAREBASE_DATABASE_URL]")
    parser.add_argument("--allowed-origin", dest="allowed_origins", action="append", default=None, metavar="ORIGIN",
                        help="a site origin allowed to send events, e.g. https://help.example.com; repeat for "
                             "several, '*' for any [env CAREBASE_ALLOWED_ORIGINS, comma-separated]")
    parser.add_argument("--site-data", default=_env("CAREBASE_SITE_DATA"), metavar="DIR",
                        help="the build output 'carebase build' writes beside the site (site-data/): events "
                             "naming items it does not publish are rejected, and the search API answers from "
                             "its index; a rebuilt output is followed without a restart [env CAREBASE_SITE_DATA]")
    parser.add_argument("--token", default=_env("CAREBASE_TOKEN"),
                        help="bearer token for /api/v1/export, /report and the backlog (disabled without it) "
                             "[env CAREBASE_TOKEN]")
    parser.add_argument("--report-dir", default=_env("CAREBASE_REPORT_DIR"),
                        help="where the live report at /report keeps its models (default: a folder of the system's "
                             "temporary directory named after the database) [env CAREBASE_REPORT_DIR]")
    parser.add_argument("--report-every", type=float, default=_env("CAREBASE_REPORT_EVERY", "600"), metavar="SECONDS",
                        help="build the live report again in the background every SECONDS (default 600; 0: only "
                             "when a lead asks) [env CAREBASE_REPORT_EVERY]")
    parser.add_argument("--edit-url", default=_env("CAREBASE_EDIT_URL"), metavar="URL",
                        help="prefix of the live report's 'edit' links, e.g. "
                             "https://github.com/org/help/edit/main/content/ (also gives 'open an issue' links) "
                             "[env CAREBASE_EDIT_URL]")
    parser.add_argument("--site-url", default=_env("CAREBASE_SITE_URL", ""),
                        help="the help centre's public URL (https://help.example.com/): the answer API's and MCP "
                             "tools' citations link to it (default: URLs relative to the site root) "
                             "[env CAREBASE_SITE_URL]")
    parser.add_argument("--contact-webhook", default=_env("CAREBASE_CONTACT_WEBHOOK"), metavar="URL",
                        help="forward each contact-form ticket as a JSON POST to this URL, in the background, "
                             "with retries (without it tickets wait for GET /api/v1/contacts) "
                             "[env CAREBASE_CONTACT_WEBHOOK]")
    parser.add_argument("--contact-webhook-secret", default=_env("CAREBASE_CONTACT_WEBHOOK_SECRET"), metavar="SECRET",
                        help="sign each webhook POST: X-Carebase-Signature: sha256=HMAC(body) "
                             "[env CAREBASE_CONTACT_WEBHOOK_SECRET]")
    parser.add_argument("--contact-mask", default=_env("CAREBASE_CONTACT_MASK", "payment"),
                        choices=["payment", "all", "none"],
                        help="what is masked in contact messages before they are stored: payment (card numbers "
                             "and IBANs, the default), all (also e-mail addresses and phone numbers), none "
                             "[env CAREBASE_CONTACT_MASK]")
    parser.add_argument("--region", default=_env("CAREBASE_REGION", ""), metavar="CODES",
                        help="the help centre's countries, e.g. GB,IE: their national phone numbers are masked "
                             "without a cue (the build output's region, the carebase plugin's 'region', wins) "
                             "[env CAREBASE_REGION]")
    parser.add_argument("--host", default=_env("CAREBASE_HOST", "127.0.0.1"),
                        help="address to listen on (default 127.0.0.1) [env CAREBASE_HOST]")
    parser.add_argument("--port", type=int, default=_env("CAREBASE_PORT", "8001"),
                        help="port (default 8001; 0 picks a free one) [env CAREBASE_PORT]")
    parser.add_argument("--rate-limit", type=int, default=_env("CAREBASE_RATE_LIMIT", "600"),
                        help="events per minute per client (a batch of N counts N), 0 for no limit "
                             "(default 600) [env CAREBASE_RATE_LIMIT]")
    parser.add_argument("--rate-burst", type=int, default=_env("CAREBASE_RATE_BURST", "200"),
                        help="events a client may send at once (default 200) [env CAREBASE_RATE_BURST]")
    parser.add_argument("--search-rate-limit", type=int, default=_env("CAREBASE_SEARCH_RATE_LIMIT", "300"),
                        help="search API requests per minute per client, 0 for no limit (default 300) "
                             "[env CAREBASE_SEARCH_RATE_LIMIT]")
    parser.add_argument("--search-rate-burst", type=int, default=_env("CAREBASE_SEARCH_RATE_BURST", "60"),
                        help="search API requests a client may send at once (default 60) "
                             "[env CAREBASE_SEARCH_RATE_BURST]")
    parser.add_argument("--proxy-headers", action="store_true", default=_env("CAREBASE_PROXY_HEADERS") == "1",
                        help="trust X-Forwarded-For from --forwarded-allow-ips (behind a reverse proxy) "
                             "[env CAREBASE_PROXY_HEADERS=1]")
    parser.add_argument("--forwarded-allow-ips", default=_env("CAREBASE_FORWARDED_ALLOW_IPS", "127.0.0.1"),
                        help="proxy addresses trusted for X-Forwarded-For (default 127.0.0.1)")
    parser.add_argument("--learn-every", type=float, default=_env("CAREBASE_LEARN_EVERY", "300"), metavar="SECONDS",
                        help="relearn search's learned phrasings from the stored journeys every SECONDS, in the "
                             "background (default 300; 0 turns learning off) [env CAREBASE_LEARN_EVERY]")
    parser.add_argument("--learn-min-journeys", type=int, default=_env("CAREBASE_LEARN_MIN_JOURNEYS", "3"), metavar="N",
                        help="distinct journeys a learned phrasing needs (default 3) [env CAREBASE_LEARN_MIN_JOURNEYS]")
    parser.add_argument("--learn-min-clients", type=int, default=_env("CAREBASE_LEARN_MIN_CLIENTS", "2"), metavar="N",
                        help="distinct clients those journeys must come from (default 2) "
                             "[env CAREBASE_LEARN_MIN_CLIENTS]")
    parser.add_argument("--learn-days", type=int, default=_env("CAREBASE_LEARN_DAYS", "90"), metavar="DAYS",
                        help="learn from the events of the last DAYS days (default 90) [env CAREBASE_LEARN_DAYS]")
    parser.add_argument("--log-level", default=_env("CAREBASE_LOG_LEVEL", "warning"),
                        choices=LOG_LEVELS,
                        help="server log level (default warning; info logs every request)")


def run(args: argparse.Namespace) -> int:
    from carebase.output import OutputError
    from carebase.service.config import ServiceConfig, split_origins
    from carebase.store.engine import StoreError

    origins = args.allowed_origins if args.allowed_origins is not None else split_origins(_env("CAREBASE_ALLOWED_ORIGINS"))
    try:
        config = ServiceConfig(
            database_url=args.database_url, allowed_origins=tuple(origins), site_data=args.site_data,
            token=args.token, report_dir=args.report_dir, report_every=args.report_every, edit_url=args.edit_url,
            site_url=args.site_url,
            rate_limit=args.rate_limit, rate_burst=args.rate_burst,
            search_rate_limit=args.search_rate_limit, search_rate_burst=args.search_rate_burst,
            contact_webhook=args.contact_webhook, contact_webhook_secret=args.contact_webhook_secret,
            contact_mask=args.contact_mask, region=tuple(part for part in re.split(r"[\s,]+", args.region or "") if part),
            learn_every=args.learn_every, learn_min_journeys=args.learn_min_journeys,
            learn_min_clients=args.learn_min_clients, learn_days=args.learn_days,
        )
    except ValueError as exc:
        print(f"carebase service: {exc}", file=sys.stderr)
        return 2
    if args.log_level not in LOG_LEVELS:
        print(f"carebase service: log level: expected one of {', '.join(LOG_LEVELS)}, found {args.log_level!r}",
              file=sys.stderr)
        return 2
    if args.learn_every < 0 or args.learn_min_journeys < 1 or args.learn_min_clients < 1 or args.learn_days < 1:
        print("carebase service: --learn-every must be ≥ 0, --learn-min-journeys, --learn-min-clients and "
              "--learn-days ≥ 1", file=sys.stderr)
        return 2
    if args.report_every < 0:
        print("carebase service: --report-every must be ≥ 0 (0: build the live report only when asked)",
              file=sys.stderr)
        return 2
    if args.rate_limit < 0 or args.rate_burst < 1:
        print("carebase service: --rate-limit must be ≥ 0 and --rate-burst ≥ 1", file=sys.stderr)
        return 2
    if args.search_rate_limit < 0 or args.search_rate_burst < 1:
        print("carebase service: --search-rate-limit must be ≥ 0 and --search-rate-burst ≥ 1", file=sys.stderr)
        return 2
    return serve(config, args.host, args.port, log_level=args.log_level,
                 proxy_headers=args.proxy_headers, forwarded_allow_ips=args.forwarded_allow_ips,
                 errors=(StoreError, OutputError))


def serve(config, host: str, port: int, *, log_level: str = "warning", proxy_headers: bool = False,
          forwarded_allow_ips: str = "127.0.0.1", errors: tuple = ()) -> int:
    import logging

    from carebase.service.listen import bind, url_of

    try:  # first, before the app's imports and start-up: a port that is taken is reported at once
        sock = bind(host, port)
    except OSError as exc:
        print(f"carebase service: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 2
    from carebase.service.app import create_app
    from carebase.service.server import make_server, safe_database

    logging.basicConfig(format="carebase service: %(levelname)s: %(message)s", level=logging.WARNING)
    try:
        app = create_app(config)
    except errors as exc:
        sock.close()
        print(f"carebase service: {exc}", file=sys.stderr)
        return 1
    print(f"carebase service listening on {url_of(sock)} (database {safe_database(config.database_url)}; "
          f"origins {', '.join(config.allowed_origins) or 'none'})", flush=True)
    server = make_server(app, log_level=log_level, proxy_headers=proxy_headers,
                         forwarded_allow_ips=forwarded_allow_ips)
    server.run(sockets=[sock])
    return 0
