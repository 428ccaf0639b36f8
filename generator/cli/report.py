"""``carebase report``: the content-gap report from the build output and the stored events."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

NAME = "report"
HELP = "Write the content-gap report (HTML, Markdown, JSON, CSV) from the site's build output and the stored events."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site-data", default="site-data", metavar="DIR",
                        help="the build output 'carebase build' writes beside the site: the content as published "
                             "and its search index, on which failed searches are replayed (default: site-data)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--db", metavar="URL", help="the service's database: sqlite:///feedback.db or postgresql://… "
                                                    "(default: $CAREBASE_DATABASE_URL, else sqlite:///feedback.db)")
    source.add_argument("--events", metavar="FILE", help="a JSON Lines export (GET /api/v1/export) instead of a database")
    parser.add_argument("--out", default="report", metavar="DIR", help="folder to write the report into (default: report)")
    parser.add_argument("--since", metavar="DATE", help="first day of the period (default: --days before --until)")
    parser.add_argument("--days", type=int, default=None, metavar="N",
                        help="length of the period in days, ending with --until (default: 28)")
    parser.add_argument("--until", metavar="DATE", help="last day of the period, inclusive (default: the latest day with an event or a page view)")
    parser.add_argument("--since-last", action="store_true",
                        help="also write digest.md and digest.html: only what changed in the backlog since the "
                             "previous --since-last run into the same --out (for a chat or e-mail hook)")
    parser.add_argument("--compare-since", metavar="DATE", help="first day of the comparison period (default: the equal period just before)")
    parser.add_argument("--compare-until", metavar="DATE", help="last day of the comparison period, inclusive")
    parser.add_argument("--format", default="html,md,json,csv", metavar="LIST",
                        help="comma-separated formats to write: html, md, json, csv (default: all)")
    parser.add_argument("--min-votes", type=int, default=10, metavar="N",
                        help="votes an item needs for a score without the 'insufficient data' flag (default: 10)")
    parser.add_argument("--min-searches", type=int, default=3, metavar="N",
                        help="failed searches a query group needs to be listed (default: 3)")
    parser.add_argument("--cache", metavar="DIR", help="folder where the report remembers between runs (topics of "
                                                       "failed searches, so a topic keeps its id; embedded wordings; "
                                                       "the event aggregates of an unchanged store) "
                                                       "(default: a folder per database under carebase's cache "
                                                       "folder, ~/.cache/carebase/reports/; never inside --out)")
    parser.add_argument("--no-cache", action="store_true", help="remember nothing between runs")
    parser.add_argument("--lang", metavar="CODE",
                        help="report on one language of a multilingual help centre: its pages' votes, searches, "
                             "journeys and questions, its own missing-content topics (default: the default "
                             "language; 'translate next' is listed in the default language's report)")
    parser.add_argument("--edit-url", metavar="URL", help="prefix for 'edit' links, e.g. "
                                                          "https://github.com/org/help/edit/main/content/ (default: relative file paths)")


def _fail(message: str, code: int) -> int:
    print(f"carebase report: {message}", file=sys.stderr)
    return code


def _progress_printer():
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return lambda message: None
    started = time.monotonic()

    def show(message: str) -> None:
        print(f"\r\033[Kcarebase report [{time.monotonic() - started:5.1f}s] {message}…", end="", file=sys.stderr, flush=True)
    show.done = lambda: print("\r\033[K", end="", file=sys.stderr, flush=True)  # type: ignore[attr-defined]
    return show


def _periods(args, latest_ms):
    from carebase.report.period import parse_day, resolve

    def day(value, flag, end=False):
        return parse_day(value, field=flag, end=end) if value else None

    return resolve(day(args.since, "--since"), day(args.until, "--until", end=True),
                   day(args.compare_since, "--compare-since"), day(args.compare_until, "--compare-until", end=True),
                   latest_ms=latest_ms, days=args.days or 28)


def run(args: argparse.Namespace) -> int:
    from carebase.report.write import FORMATS

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        return _fail(f"--format: expected some of {', '.join(FORMATS)}, found {args.format!r}", 2)
    if args.min_votes < 1 or args.min_searches < 1:
        return _fail("--min-votes/--min-searches: expected a whole number of at least 1", 2)
    if args.days is not None and not 1 <= args.days <= 3660:
        return _fail(f"--days: expected a number of days from 1 to 3660, found {args.days}", 2)
    if args.days is not None and args.since:
        return _fail("--days and --since: expected one of them (--since … --until, or --days ending with --until), "
                     "found both", 2)
    if args.cache and args.no_cache:
        return _fail("--cache and --no-cache: expected one of them, found both", 2)
    if not os.path.isdir(args.site_data):
        return _fail(f"--site-data: expected the build output folder, found nothing at {args.site_data!r} "
                     f"(run 'carebase build': it writes site-data/ beside site/)", 2)
    if args.events and not os.path.isfile(args.events):
        return _fail(f"--events: expected a JSON Lines export, found no file at {args.events!r}", 2)
    for value, flag in ((args.since, "--since"), (args.until, "--until"), (args.compare_since, "--compare-since"),
                        (args.compare_until, "--compare-until")):
        if value:
            from carebase.report.period import parse_day
            try:
                parse_day(value, field=flag)
            except ValueError as exc:
                return _fail(str(exc), 2)
    progress = _progress_printer()
    with tempfile.TemporaryDirectory(prefix="carebase-report-") as scratch:
        try:
            return _run(args, formats, progress, scratch)
        except Exception as exc:  # one line, never a traceback (CAREBASE_DEBUG=1 shows it)
            getattr(progress, "done", lambda: None)()
            if os.environ.get("CAREBASE_DEBUG"):
                raise
            return _fail(_failure(args, exc), 1)
        finally:
            getattr(progress, "done", lambda: None)()


def _database(args) -> str:
    """--db, else $CAREBASE_DATABASE_URL (what the service uses), else the default file."""
    return args.db or os.environ.get("CAREBASE_DATABASE_URL") or "sqlite:///feedback.db"


def _safe_url(url: str) -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    from carebase.store.engine import normalise_url

    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except Exception:
        return "(the --db URL)"


def _failure(args, exc: Exception) -> str:
    """The one line for a failure met while reading the events or writing the report."""
    from sqlalchemy.exc import SQLAlchemyError

    reason = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    source = f"--events {args.events}" if args.events else f"--db {_safe_url(_database(args))}"
    if isinstance(exc, SQLAlchemyError):
        lowered = reason.lower()
        if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
            hint = "the file is damaged: restore it from a backup (or try: sqlite3 FILE '.recover' | sqlite3 NEW.db)"
        elif "no such column" in lowered or "no such table" in lowered or "does not exist" in lowered:
            hint = "is it the feedback service's database? start 'carebase service' on it once to migrate it"
        else:
            hint = "check that the database is reachable and readable, then run the report again"
        return f"{source}: cannot read the events: {reason}; {hint}"
    if isinstance(exc, OSError):
        where = exc.filename or args.out
        return f"cannot write the report to {where}: {exc.strerror or reason}"
    return (f"unexpected error ({type(exc).__name__}: {reason}) while reading {source}; "
            f"this is a bug: please report it (CAREBASE_DEBUG=1 shows the traceback)")


def _schema_behind(conn) -> str:
    """A note when the database's store schema is older than this carebase's (the report
    never migrates; the service does when it starts). "" when current or unversioned."""
    from sqlalchemy import func, inspect, select

    from carebase.store.migrations import available
    from carebase.store.schema import schema_migrations

    if not inspect(conn).has_table("schema_migrations"):
        return ""
    have = conn.execute(select(func.max(schema_migrations.c.version))).scalar() or 0
    shipped = available()
    latest = max(m.version for m in shipped)
    if not have or have >= latest:  # none recorded: made from the current schema (tests, benchmarks)
        return ""
    steps = "; ".join(f"{m.version:04d} {m.summary}" + (f" ({m.takes})" if m.takes else "")
                      for m in shipped if m.version > have)
    return (f"--db: the database is at store schema {have} of {latest}; the report reads it as it is and changes "
            f"nothing. Starting 'carebase service' on it once migrates it: {steps}")


def _open_events(args, scratch, progress):
    """(engine, description) for --events or --db; raises ValueError with the user's message."""
    from sqlalchemy import inspect

    from carebase.store.engine import StoreError, normalise_url, open_engine

    if args.events:
        from carebase.report.jsonl import load_export

        progress("reading the export")
        engine, count = load_export(args.events, os.path.join(scratch, "events.db"))
        return engine, f"{args.events} ({count:,} events)"
    url = _database(args)
    sa_url = normalise_url(url)
    if sa_url.startswith("sqlite:///") and sa_url != "sqlite:///:memory:":
        path = sa_url[len("sqlite:///"):]
        if not os.path.isfile(path):
            raise ValueError(f"--db: expected the service's database, found no file at {path!r}")
    try:
        engine = open_engine(url, migrate=False)
        with engine.connect() as conn:
            has_events = inspect(conn).has_table("events")
            behind = _schema_behind(conn) if has_events else ""
    except StoreError as exc:
        raise ValueError(f"--db: {exc}") from None
    except Exception as exc:  # connection refused, authentication failed, …
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise ValueError(f"--db: cannot open {url!r}: {reason}") from None
    if not has_events:
        raise ValueError(f"--db: {url!r} has no events table (is it the feedback service's database?)")
    if behind:
        print(f"carebase report: {behind}", file=sys.stderr)
    return engine, engine.url.render_as_string(hide_password=True)


def _cache_dir(args):
    """Where the report remembers between runs (never a search index: that is the build output's);
    by default carebase's cache folder, never inside --out (the memory holds masked wordings,
    journey ids and client hashes: a report folder is shared)."""
    if args.no_cache:
        return None
    if args.cache:
        return args.cache
    from carebase.report import cache_home

    folder = cache_home.default_folder(cache_home.source_identity(_database(args), args.events))
    if folder is None:
        return None
    note = cache_home.adopt_legacy(folder, args.out)
    if note:
        print(f"carebase report: {note}", file=sys.stderr)
    return str(folder)


def _open_output(args):
    """The build output, whole (with its index); raises ValueError with the user's message."""
    from carebase.output import OutputError, open_output

    try:
        output = open_output(args.site_data)
    except OutputError as exc:
        raise ValueError(f"--site-data: {exc}") from None
    if not output.indexed:
        raise ValueError(f"--site-data: {args.site_data} is still being indexed (a 'carebase serve' rebuild): "
                         f"try again in a moment, or run 'carebase build'")
    return output


def _run(args, formats, progress, scratch) -> int:
    from carebase.output import OutputError
    from carebase.report.build import build_report, make_normaliser
    from carebase.report.jsonl import ExportError
    from carebase.report.links import SourceLinks
    from carebase.report.queries import ensure_statistics, latest_event_ms, tune_for_reading
    from carebase.report.replay import RememberedReplays, WhooshReplayer
    from carebase.report.write import write_report

    progress("reading the build output")
    try:
        output = _open_output(args)
        lang = args.lang or output.default_language
        if lang not in output.languages:
            raise ValueError(f"--lang: expected one of the help centre's languages ({', '.join(output.languages)}), "
                             f"found {lang!r}")
        catalogue = output.catalogue_of(lang)
        output.open_index(lang).close()  # a missing or unreadable index is said now, as before
        # the searcher (spelling, phrases, vectors, the model's session) is opened on the first
        # failed search that is not a remembered replay (never, on a store whose replays are
        # all remembered); an index that fails then is said as at the start
        replayer = WhooshReplayer(opening=lambda: output.searcher(lang=lang))
        cache_dir = _cache_dir(args)
        if cache_dir and lang != output.default_language:
            cache_dir = os.path.join(cache_dir, lang)  # its own topics and replays, never another language's
        if cache_dir:  # the replays of an unchanged search index, read back
            meaning = "meaning" if output.searches_by_meaning(lang) else "lexical"
            replayer = RememberedReplays(replayer, cache_dir, f"{output.stamp['search']}\0{meaning}\0{lang}")
    except ValueError as exc:
        return _fail(str(exc), 2)
    except OutputError as exc:
        return _fail(f"--site-data: {exc}", 2)
    if catalogue.errors:
        print(f"carebase report: {len(catalogue.errors)} content problem(s) leave items out of the report "
              f"(run 'carebase check {catalogue.root}'); first: {catalogue.errors[0]}", file=sys.stderr)
    try:
        engine, source = _open_events(args, scratch, progress)
    except ExportError as exc:
        return _fail(str(exc), 1)
    except ValueError as exc:
        return _fail(str(exc), 2)
    tune_for_reading(engine)
    try:
        note = ensure_statistics(engine)
        if note:
            print(f"carebase report: {note}", file=sys.stderr)
        with engine.connect() as conn:
            latest = latest_event_ms(conn)
        try:
            periods = _periods(args, latest)
        except ValueError as exc:
            return _fail(str(exc), 2)
        normaliser = make_normaliser(catalogue)
        links = SourceLinks(catalogue.root, args.out, args.edit_url)
        translations = None
        if len(output.languages) > 1:
            from carebase.report.languages import language_engine, translation_rows

            if lang == output.default_language:
                progress("translations to write next")
                with engine.connect() as conn:
                    translations = translation_rows(output, conn, periods, links)
            engine = language_engine(engine, lang, output.languages)  # this language's events only
        try:
            report = build_report(catalogue, engine, periods, links, min_votes=args.min_votes,
                                  min_searches=args.min_searches, replayer=replayer, normaliser=normaliser,
                                  source=source, cache_dir=cache_dir, progress=progress)
        except OutputError as exc:  # the search index, opened for the first replay
            return _fail(f"--site-data: {exc}", 2)
        if len(output.languages) > 1:
            report["lang"] = lang  # the language this report is about
        if translations is not None:
            report["languages"] = translations
            report["summary"]["translate_next"] = len(translations["translate_next"])
    finally:
        engine.dispose()
    getattr(replayer, "save", lambda: None)()
    progress("writing")
    written = write_report(report, args.out, formats)
    getattr(progress, "done", lambda: None)()
    s = report["summary"]
    near = (f" ({s['near_need_pages']} voted down only by a near need's customers: no Fix row)"
            if s.get("near_need_pages") else "")
    print(f"{report['period']['label']}: {s['failing']} failing item(s){near}, {s['gaps']} content gap(s), "
          f"{s['findability']} findability gap(s), "
          + (f"{s['poor_answers']} poor answer(s) (a page's own need: see its Fix row), " if s.get("poor_answers") else "")
          + f"{s['overdue']} overdue review(s) "
          f"from {s['votes']:,} votes and {s['searches']:,} searches")
    if args.since_last:
        from carebase.backlog.digest import count, write_digest

        digest_files, digest = write_digest(report, args.out)
        written = list(written) + [str(p) for p in digest_files]
        since = "first digest" if digest["since_ms"] is None else f"{count(digest)} change(s) since the last run"
        print(f"digest: {since}{'; ' + digest['note'] if digest['note'] and digest['since_ms'] is None and 'first' not in digest['note'] else ''}")
    for path in written:
        print(f"  wrote {path}")
    return 0
